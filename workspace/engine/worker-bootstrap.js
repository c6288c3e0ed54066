/**
 * Entry of an instance's worker thread: jest's transform does not reach worker threads, so the TypeScript sources are
 * compiled on the fly (transpile only) before the instance's module is loaded.
 */
require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
require('./worker.ts');
