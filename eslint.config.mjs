import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The Apps-Engine, under any of its paths (type-only imports included). */
const ENGINE = {
	group: ['@rocket.chat/apps-engine', '@rocket.chat/apps-engine/*'],
	message: 'Only src/engine/ and the two front-door classes meet the Apps-Engine: take plain data, or add an adapter in src/engine/.',
};
/** The adapters themselves: importing one would pull the engine into the core through the back door. */
const ADAPTERS = {
	group: ['**/engine/*'],
	message: 'The core takes its sources as plain functions (src/ports.ts); only the front-door classes wire src/engine/.',
};
/** A folder (and any folder inside it) may not reach back up the line endpoint/command -> access -> index -> rooms -> query -> values. */
const above = (...folders) => ({
	group: folders.flatMap((folder) => [`../${folder}/*`, `../../${folder}/*`]),
	message: `The line runs endpoint/command -> access -> index -> rooms -> query -> values, never back up: this folder may not import ${folders.join(', ')}.`,
});

/** Core folders: no engine, no adapter, and no import from a folder above them. */
const CORE = [
	{ files: ['src/values/**/*.ts'], up: ['query', 'rooms', 'index', 'access', 'endpoint', 'command'] },
	{ files: ['src/query/**/*.ts'], up: ['rooms', 'index', 'access', 'endpoint', 'command'] },
	{ files: ['src/rooms/**/*.ts'], up: ['index', 'access', 'endpoint', 'command'] },
	{ files: ['src/index/**/*.ts'], up: ['access', 'endpoint', 'command'] },
	{ files: ['src/access/**/*.ts'], up: ['endpoint', 'command'] },
	{ files: ['src/endpoint/**/*.ts', 'src/command/**/*.ts', 'src/*.ts'], up: [] },
].map(({ files, up }) => ({
	files,
	ignores: ['src/endpoint/RoomsEndpoint.ts', 'src/command/LivechatRoomsCommand.ts'],
	rules: { 'no-restricted-imports': ['error', { patterns: [ENGINE, ADAPTERS, ...(up.length > 0 ? [above(...up)] : [])] }] },
}));

export default tseslint.config(
	{ ignores: ['node_modules/', 'dist/', 'coverage/', 'bench/floor-app/dist/', 'scripts/compiler-node-types/'] },
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		files: ['**/*.ts'],
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			'no-console': 'error',
		},
	},
	...CORE,
	{
		files: ['**/*.js'],
		languageOptions: {
			sourceType: 'commonjs',
			globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly', Buffer: 'readonly' },
		},
		rules: { '@typescript-eslint/no-require-imports': 'off' },
	},
	{
		files: ['workspace/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts', 'scripts/**'],
		rules: { 'no-console': 'off' },
	},
);
