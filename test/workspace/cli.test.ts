/**
 * `npm start`'s options: a wrong one answers with a line naming it and the usage, and a non-zero exit, never a stack
 * trace; `--help` answers the usage. (Starting for real is what the engine and workspace tests do.)
 */
import { spawnSync } from 'child_process';

import { describe, expect, test } from '@jest/globals';

import { ROOT } from '../../workspace/package';

function start(...args: string[]): { status: number | null; stdout: string; stderr: string } {
	return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'workspace/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
}

describe('npm start', () => {
	test('--help answers the usage, every option listed, and exits 0', () => {
		const result = start('--help');
		expect(result.status).toBe(0);
		expect(result.stderr).toBe('');
		for (const option of ['--port', '--host', '--data', '--rooms', '--instances', '--rooms-as', '--traffic[=RATE]', '--help']) {
			expect(result.stdout).toContain(`  ${option} `);
		}
	});

	test.each([
		[['--bogus'], 'unknown option --bogus'],
		[['--traffic=0'], '--traffic must be a whole number from 1 to 6000'],
		[['--traffic=fast'], '--traffic must be a whole number from 1 to 6000'],
		[['--instances', 'two'], '--instances must be a whole number from 1 to 16'],
		[['--rooms', '10', '--data', 'x.json'], '--data and --rooms do not go together'],
	])('%j answers "%s" and the usage, and exits 1', (args, message) => {
		const result = start(...args);
		expect(result.status).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr.split('\n')[0]).toBe(message);
		expect(result.stderr).toContain('usage: npm start -- [options]');
		expect(result.stderr).not.toMatch(/\n\s+at /);
	});
});
