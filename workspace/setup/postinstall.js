#!/usr/bin/env node
/*
 * Makes the Apps-Engine's Deno runtime start offline (see docs/workspace.md, "How the local workspace runs the engine").
 *
 * The runtime's import map points `@std/cli`, `@std/io` and `@std/streams` at JSR, which this project does not
 * depend on: they are replaced by three small local modules. One import of the runtime names a file the npm package
 * does not ship; a one-line re-export supplies it. Then the runtime's npm imports are cached with
 * `deno install --config=... --entrypoint main.ts` into the engine's own DENO_DIR, because the engine starts Deno
 * with `--cached-only`. Idempotent: running it twice changes nothing.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const engineDir = path.dirname(require.resolve('@rocket.chat/apps-engine/package.json'));
const runtimeDir = path.join(engineDir, 'deno-runtime');
const offlineDir = path.join(runtimeDir, 'offline-std');
const configPath = path.join(runtimeDir, 'deno.jsonc');
const lockPath = path.join(runtimeDir, 'deno.lock');

function step(message) {
	process.stdout.write(`[postinstall] ${message}\n`);
}

// 1. Local modules instead of the JSR ones.
fs.mkdirSync(offlineDir, { recursive: true });
for (const file of ['parse-args.ts', 'io.ts', 'streams.ts']) {
	fs.copyFileSync(path.join(__dirname, 'offline-std', file), path.join(offlineDir, file));
}
let config = fs.readFileSync(configPath, 'utf8');
const mapped = {
	'"@std/cli"': '"@std/cli/parse-args": "./offline-std/parse-args.ts"',
	'"@std/io"': '"@std/io": "./offline-std/io.ts"',
	'"@std/streams"': '"@std/streams": "./offline-std/streams.ts"',
};
for (const [key, replacement] of Object.entries(mapped)) {
	config = config.replace(new RegExp(`${key.replace(/[/@]/g, '\\$&')}\\s*:\\s*"jsr:[^"]*"`), replacement);
}
fs.writeFileSync(configPath, config);
step('import map points @std/* at local modules');

// 2. The lock file must not ask for JSR packages.
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
for (const key of Object.keys(lock.specifiers || {})) {
	if (key.startsWith('jsr:')) delete lock.specifiers[key];
}
delete lock.jsr;
if (lock.workspace && Array.isArray(lock.workspace.dependencies)) {
	lock.workspace.dependencies = lock.workspace.dependencies.filter((dep) => !dep.startsWith('jsr:'));
}
fs.writeFileSync(lockPath, JSON.stringify(lock, null, 2));
step('lock file holds no JSR entries');

// 3. The file one runtime import names but the package lacks.
const missing = path.join(engineDir, 'src', 'definition', 'exceptions', 'AppsEngineException.ts');
fs.mkdirSync(path.dirname(missing), { recursive: true });
fs.writeFileSync(missing, "export { AppsEngineException } from '../../../definition/exceptions/AppsEngineException.js';\n");
step('added the re-export the runtime imports');

// 4. Cache the runtime's npm imports where the engine looks for them.
const denoBin = require('./deno-bin.js').denoBinary();
const result = spawnSync(denoBin, ['install', `--config=${configPath}`, '--entrypoint', 'main.ts'], {
	cwd: runtimeDir,
	env: { ...process.env, DENO_DIR: path.join(engineDir, '.deno-cache'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
	// Deno's download log is noise on success; it is shown when the install fails.
	stdio: 'pipe',
	encoding: 'utf8',
});
if (result.status !== 0) {
	process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
	process.stderr.write(`[postinstall] deno install failed (exit ${result.status}); the local workspace cannot start the engine.\n`);
	process.exit(1);
}
step('Deno runtime dependencies cached');
