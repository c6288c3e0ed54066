/**
 * `npm start`: the local workspace with the packaged app, on demo data or your own.
 *
 *   npm start                                   # port 3000, built-in demo data
 *   npm start -- --port 3100 --data file.json   # your own data
 *   npm start -- --port 3100 --rooms 100000     # demo data with that many livechat rooms
 */
import type { WorkspaceData } from './data/types';
import { DataFileError, loadDataFile } from './data/load';
import { demoData } from './data/demo';
import { startWorkspace } from './index';
import { ensurePackage } from './package';

interface Options {
	port: number;
	host: string;
	data?: string;
	rooms?: number;
}

const USAGE = 'usage: npm start -- [--port N] [--host ADDRESS] [--data FILE.json | --rooms N]';

function fail(message: string): never {
	process.stderr.write(`${message}\n`);
	process.exit(1);
}

function wholeNumber(flag: string, value: string | undefined, min: number, max: number): number {
	const n = Number(value);
	if (value === undefined || !/^\d+$/.test(value) || n < min || n > max) fail(`${flag} must be a whole number from ${min} to ${max}\n${USAGE}`);
	return n;
}

function parseOptions(argv: readonly string[]): Options {
	const options: Options = { port: 3000, host: '127.0.0.1' };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split(/=(.*)/s, 2);
		const value = (): string | undefined => (inline !== undefined ? inline : argv[++i]);
		switch (flag) {
			case '--port':
				options.port = wholeNumber('--port', value(), 0, 65535);
				break;
			case '--host':
				options.host = value() ?? fail(`--host needs an address\n${USAGE}`);
				break;
			case '--data':
				options.data = value() ?? fail(`--data needs a file\n${USAGE}`);
				break;
			case '--rooms':
				options.rooms = wholeNumber('--rooms', value(), 0, 2_000_000);
				break;
			case '--help':
			case '-h':
				process.stdout.write(`${USAGE}\n`);
				process.exit(0);
				break;
			default:
				fail(`unknown option ${argv[i]}\n${USAGE}`);
		}
	}
	if (options.data !== undefined && options.rooms !== undefined) fail(`--data and --rooms do not go together\n${USAGE}`);
	return options;
}

function loadData(options: Options): WorkspaceData {
	if (options.data === undefined) return demoData({ rooms: options.rooms });
	try {
		return loadDataFile(options.data);
	} catch (error) {
		if (error instanceof DataFileError) fail(error.message);
		throw error;
	}
}

function banner(url: string, appUrl: string, data: WorkspaceData): string {
	const livechat = data.rooms.filter((room) => room.t === 'l').length;
	const users = data.users.map((u) => `  ${u.username.padEnd(14)} ${u.roles.join(',').padEnd(28)} X-User-Id: ${u._id}  X-Auth-Token: ${u.authToken}`);
	const manager = data.users.find((u) => u.roles.includes('livechat-manager')) ?? data.users.find((u) => u.roles.includes('admin')) ?? data.users[0];
	const agent = data.users.find((u) => u.roles.includes('livechat-agent') && !u.roles.includes('livechat-manager'));
	const auth = (u: { _id: string; authToken: string }): string => `-H 'X-User-Id: ${u._id}' -H 'X-Auth-Token: ${u.authToken}'`;
	const lines = [
		'',
		`Livechat Rooms is running in the local workspace at ${url}`,
		`  ${livechat} livechat rooms, ${data.departments.length} departments, ${data.users.length} users`,
		`  app endpoint: ${appUrl}/rooms`,
		'',
		'Users:',
		...users,
		'',
		'Try:',
		`  curl -s ${url}/api/info`,
	];
	if (manager) {
		lines.push(
			`  curl -s ${auth(manager)} '${appUrl}/rooms?count=5'`,
			`  curl -s ${auth(manager)} '${appUrl}/rooms?open=true&sort=%7B%22ts%22:1%7D&fields=%7B%22fname%22:1,%22servedBy%22:1%7D'`,
			`  curl -s ${auth(manager)} -H 'Content-Type: application/json' -d '{"command":"livechat-rooms","params":"status=open count=3"}' ${url}/api/v1/commands.run`,
		);
	}
	if (agent) lines.push(`  curl -s ${auth(agent)} '${appUrl}/rooms?agents=${agent._id}'`);
	lines.push('', 'Stop with Ctrl+C.', '');
	return lines.join('\n');
}

async function main(): Promise<void> {
	const options = parseOptions(process.argv.slice(2));
	const data = loadData(options);
	const zip = ensurePackage((line) => process.stdout.write(`${line}\n`));
	const running = await startWorkspace({ data, zip, port: options.port, host: options.host }).catch((error: Error & { code?: string }) =>
		fail(error.code === 'EADDRINUSE' ? `port ${options.port} is in use; pick another with --port` : `the workspace did not start: ${error.message}`),
	);
	process.stdout.write(banner(running.url, running.appUrl, data));
	let stopping = false;
	const stop = (): void => {
		if (stopping) return;
		stopping = true;
		process.stdout.write('Stopping...\n');
		running.stop().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: Error) => fail(error.stack ?? String(error)));
