/**
 * `npm start`: the local workspace with the packaged app, on demo data or your own.
 *
 *   npm start                                   # port 3000, built-in demo data
 *   npm start -- --port 3100 --data file.json   # your own data
 *   npm start -- --port 3100 --rooms 100000     # demo data with that many livechat rooms
 *   npm start -- --instances 2                  # a cluster of two instances: instance k on port + k - 1
 *   npm start -- --rooms-as full                # getAllRooms hands over every stored field (comparisons only)
 *   npm start -- --instances 2 --traffic        # a contact centre at work: 30 actions a minute, on each instance in turn
 *   npm start -- --traffic=120                  # 120 actions a minute
 *
 * The demo data is laid out back from the moment the workspace starts, so its newest rooms are minutes old.
 */
import type { WorkspaceData } from './data/types';
import { DataFileError, loadDataFile } from './data/load';
import { demoData } from './data/demo';
import { startWorkspace } from './index';
import type { RunningInstance } from './index';
import type { RoomsAs } from './engine/bridges';
import { ensurePackage } from './package';
import { DEFAULT_TRAFFIC_PER_MINUTE, MAX_TRAFFIC_PER_MINUTE, Traffic } from './traffic';

interface Options {
	port: number;
	host: string;
	data?: string;
	rooms?: number;
	instances: number;
	roomsAs: RoomsAs;
	/** Actions a minute of the traffic; undefined: no traffic. */
	traffic?: number;
}

const USAGE = [
	'usage: npm start -- [options]',
	"  --port N                   the first instance's port (default 3000; instance k listens on port + k - 1)",
	'  --host ADDRESS             the address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)',
	'  --data FILE.json           your own users, departments and rooms instead of the demo data',
	'  --rooms N                  demo data with N livechat rooms (default 60)',
	'  --instances N              a cluster of N instances over one store (default 1, at most 16)',
	"  --rooms-as projected|full  what getAllRooms hands the app: Rocket.Chat 8.x's projection (default), or every field",
	`  --traffic[=RATE]           visitors arrive, agents take, answer, hold, transfer and close rooms: RATE actions a minute`,
	`                             (default ${DEFAULT_TRAFFIC_PER_MINUTE}, at most ${MAX_TRAFFIC_PER_MINUTE}), on each instance in turn`,
	'  --help                     this text',
].join('\n');

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
	const options: Options = { port: 3000, host: '127.0.0.1', instances: 1, roomsAs: 'projected' };
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
			case '--instances':
				options.instances = wholeNumber('--instances', value(), 1, 16);
				break;
			case '--rooms-as': {
				const mode = value();
				if (mode !== 'projected' && mode !== 'full') fail(`--rooms-as must be projected or full\n${USAGE}`);
				options.roomsAs = mode;
				break;
			}
			case '--traffic':
				options.traffic = inline === undefined ? DEFAULT_TRAFFIC_PER_MINUTE : wholeNumber('--traffic', inline, 1, MAX_TRAFFIC_PER_MINUTE);
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
	if (options.port !== 0 && options.port + options.instances - 1 > 65535)
		fail(`--port ${options.port} leaves no room for ${options.instances} instances\n${USAGE}`);
	return options;
}

function loadData(options: Options): WorkspaceData {
	// Laid out back from now: the newest rooms minutes old, the queue waiting minutes, rooms closed today.
	if (options.data === undefined) return demoData({ rooms: options.rooms, now: new Date() });
	try {
		return loadDataFile(options.data);
	} catch (error) {
		if (error instanceof DataFileError) fail(error.message);
		throw error;
	}
}

function banner(instances: readonly RunningInstance[], data: WorkspaceData, roomsAs: RoomsAs, traffic: number | undefined): string {
	const { url, appUrl } = instances[0];
	const livechat = data.rooms.filter((room) => room.t === 'l').length;
	const users = data.users.map((u) => `  ${u.username.padEnd(14)} ${u.roles.join(',').padEnd(28)} X-User-Id: ${u._id}  X-Auth-Token: ${u.authToken}`);
	const manager = data.users.find((u) => u.roles.includes('livechat-manager')) ?? data.users.find((u) => u.roles.includes('admin')) ?? data.users[0];
	const agent = data.users.find((u) => u.roles.includes('livechat-agent') && !u.roles.includes('livechat-manager'));
	const auth = (u: { _id: string; authToken: string }): string => `-H 'X-User-Id: ${u._id}' -H 'X-Auth-Token: ${u.authToken}'`;
	const lines = [
		'',
		instances.length === 1
			? `Livechat Rooms is running in the local workspace at ${url}`
			: `Livechat Rooms is running in a local workspace cluster of ${instances.length} instances (one shared store):`,
		...(instances.length === 1 ? [] : instances.map((i) => `  instance ${i.instance}: ${i.url}`)),
		`  ${livechat} livechat rooms, ${data.departments.length} departments, ${data.users.length} users`,
		`  getAllRooms: ${roomsAs === 'full' ? 'every stored field (--rooms-as full, for comparisons)' : "Rocket.Chat 8.x's 34-field projection"}`,
		`  app endpoint: ${appUrl}/rooms`,
		'',
		'Users:',
		...users,
		'',
		'Try:',
		`  curl -s ${url}/api/info`,
		`  curl -s ${url}/api/workspace/stats`,
	];
	if (manager) {
		lines.push(
			`  curl -s ${auth(manager)} '${appUrl}/rooms?count=5'`,
			`  curl -s ${auth(manager)} '${appUrl}/rooms?open=true&sort=%7B%22ts%22:1%7D&fields=%7B%22fname%22:1,%22servedBy%22:1%7D'`,
			`  curl -s ${auth(manager)} '${appUrl}/rooms/counts?departmentId=${data.departments[0]?._id ?? ''}'`,
			`  curl -s ${auth(manager)} '${appUrl}/rooms?format=csv&count=0' > rooms.csv`,
			`  curl -s ${auth(manager)} -H 'Content-Type: application/json' -d '{"command":"livechat-rooms","params":"status=open count=3"}' ${url}/api/v1/commands.run`,
		);
	}
	if (agent) lines.push(`  curl -s ${auth(agent)} '${appUrl}/rooms?agents=${agent._id}'`);
	// An omnichannel action (a visitor, then their room) on the last instance, whose app alone hears of it; the store as a data file.
	const last = instances[instances.length - 1].url;
	const department = data.departments.find((d) => d.enabled && d.routingMethod !== 'Manual_Selection');
	const visitor = JSON.stringify({ visitor: { token: 'demo-visitor', name: 'Demo Visitor', ...(department && { department: department._id }) } });
	lines.push(
		`  curl -s -H 'Content-Type: application/json' -d '${visitor}' ${last}/api/v1/livechat/visitor && curl -s '${last}/api/v1/livechat/room?token=demo-visitor'`,
		`  curl -s ${url}/api/workspace/export > data.json   # then: npm start -- --data data.json`,
	);
	lines.push('', 'The app builds its index of the rooms first: until then (a few seconds here) it answers 503 with Retry-After.');
	lines.push(
		traffic === undefined
			? 'Add --traffic to watch a contact centre at work: visitors arrive, agents take, answer, hold, transfer and close rooms.'
			: `Traffic: ${traffic} actions a minute${instances.length > 1 ? `, on instances 1 to ${instances.length} in turn` : ''}; each is printed below.`,
	);
	lines.push('Stop with Ctrl+C.', '');
	return lines.join('\n');
}

async function main(): Promise<void> {
	const options = parseOptions(process.argv.slice(2));
	const data = loadData(options);
	const zip = ensurePackage((line) => process.stdout.write(`${line}\n`));
	const running = await startWorkspace({ data, zip, port: options.port, host: options.host, instances: options.instances, roomsAs: options.roomsAs }).catch(
		(error: Error & { code?: string }) =>
			fail(
				error.code === 'EADDRINUSE'
					? `port ${options.instances > 1 ? `${options.port}-${options.port + options.instances - 1}` : options.port} is in use; pick another with --port`
					: `the workspace did not start: ${error.message}`,
			),
	);
	process.stdout.write(banner(running.instances, data, options.roomsAs, options.traffic));
	const traffic =
		options.traffic === undefined
			? undefined
			: new Traffic({ urls: running.instances.map((i) => i.url), data, perMinute: options.traffic, log: (line) => process.stdout.write(`${line}\n`) });
	traffic?.start();
	let stopping = false;
	const stop = (): void => {
		if (stopping) return;
		stopping = true;
		process.stdout.write('Stopping...\n');
		Promise.resolve(traffic?.stop())
			.then(() => running.stop())
			.then(
				() => process.exit(0),
				() => process.exit(1),
			);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: Error) => fail(error.stack ?? String(error)));
