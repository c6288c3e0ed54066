/**
 * `npm run bench`: the scan at workspace scale, measured side by side at 10,000 and 100,000 livechat rooms.
 *
 * For each size, a fresh local workspace (the real Apps-Engine runtime) with the app and the benchmark's floor app
 * (`bench/floor-app/`) installed over the same demo rooms:
 * 1. the floor: the floor app pages through every livechat room and does nothing else;
 * 2. the app's `rooms` endpoint on typical queries, as a `livechat-manager`, each with its ratio to the floor;
 * 3. the peak resident memory (`VmHWM`) of the app's Deno runtime;
 * 4. the pure core against `mingo` over the same rooms in memory (`core.ts`).
 * Then the targets, PASS or MISS. Nothing here asserts: this is a measurement, not a test.
 *
 *   npm run bench                       # both sizes, 5 runs after 1 warm-up
 *   BENCH_RUNS=3 BENCH_SIZES=10000 npm run bench
 */
import { execFileSync } from 'child_process';
import * as os from 'os';

import { version as engineVersion } from '@rocket.chat/apps-engine/package.json';
import { version as mingoVersion } from 'mingo/package.json';

import { demoData } from '../workspace/data/demo';
import { ensurePackage } from '../workspace/package';
import type { CoreFigures } from './core';
import { compareOnQuery, inMemoryRooms } from './core';
import { floorPackage } from './floor';
import { QUERIES } from './queries';
import type { SizeFigures } from './report';
import { DEFAULT_ENGINE_TIMEOUT_MS, sizeReport, summaryReport } from './report';
import type { WorkspaceFigures } from './workspacePhase';
import { workspacePhase } from './workspacePhase';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { denoBinary } = require('../workspace/setup/deno-bin.js') as { denoBinary(): string };

const log = (line: string): void => console.log(line);

/** A positive whole number from the environment, or the default. */
function setting(name: string, fallback: number): number {
	const value = Number(process.env[name]);
	return Number.isInteger(value) && value > 0 ? value : fallback;
}

const RUNS = setting('BENCH_RUNS', 5);
const WARMUPS = 1;
/**
 * Rocket.Chat gives every call into an app 30 s by default; `count=0` over every room at 100,000 rooms needs more, so
 * the bench raises the limit (unless set) to time it, and flags any call over 30 s in the tables.
 */
const BENCH_ENGINE_TIMEOUT_MS = 300000;

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000')
	.split(',')
	.map(Number)
	.filter((n) => Number.isInteger(n) && n > 0);

function denoVersion(): string {
	try {
		return execFileSync(denoBinary(), ['--version'], { encoding: 'utf8' }).split('\n')[0];
	} catch {
		return 'deno (version unknown)';
	}
}

/** The machine the figures come from. */
function machine(): string {
	const cpus = os.cpus();
	return [
		`Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, load average ${os
			.loadavg()
			.map((load) => load.toFixed(2))
			.join(' ')} at start`,
		`Software: Node.js ${process.version}, ${denoVersion()}, @rocket.chat/apps-engine ${engineVersion}, mingo ${mingoVersion}`,
	].join('\n');
}

/** Where the endpoint's last answers differ from the core's search over the same rooms. */
function endpointMismatches(workspace: WorkspaceFigures, core: readonly CoreFigures[], coreIds: ReadonlyMap<string, string[]>): string[] {
	const problems: string[] = [];
	for (const answer of workspace.queries) {
		const expected = core.find((c) => c.label === answer.query.label);
		const ids = coreIds.get(answer.query.label) ?? [];
		if (expected && expected.matched !== answer.total) problems.push(`${answer.query.label}: total ${answer.total}, core ${expected.matched}`);
		if (ids.length !== answer.ids.length || ids.some((id, i) => id !== answer.ids[i]))
			problems.push(`${answer.query.label}: the endpoint's page differs from the core's`);
	}
	if (workspace.floorTotal !== (core[0]?.scanned ?? workspace.floorTotal))
		problems.push(`floor counted ${workspace.floorTotal} rooms, core scanned ${core[0]?.scanned}`);
	return problems;
}

async function benchSize(rooms: number, appZip: Buffer, floorZip: Buffer): Promise<SizeFigures> {
	log(`\n${rooms.toLocaleString('en-US')} rooms: generating the demo data...`);
	const data = demoData({ rooms });
	log('  starting the workspace (app + floor app)...');
	const workspace = await workspacePhase({ data, appZip, floorZip, runs: RUNS, warmups: WARMUPS, log });
	log('  core vs mingo in memory...');
	const memory = inMemoryRooms(data.rooms);
	const core: CoreFigures[] = [];
	const coreIds = new Map<string, string[]>();
	for (const query of QUERIES) {
		const figures = await compareOnQuery(query, memory, RUNS);
		core.push(figures);
		coreIds.set(query.label, figures.ids);
	}
	return { rooms, workspace, core, endpointMismatches: endpointMismatches(workspace, core, coreIds) };
}

async function main(): Promise<void> {
	const started = Date.now();
	if (process.env.APPS_ENGINE_RUNTIME_TIMEOUT === undefined) process.env.APPS_ENGINE_RUNTIME_TIMEOUT = String(BENCH_ENGINE_TIMEOUT_MS);
	log(machine());
	log(`Engine call timeout for this run: ${process.env.APPS_ENGINE_RUNTIME_TIMEOUT} ms (Rocket.Chat's default: ${DEFAULT_ENGINE_TIMEOUT_MS} ms)`);
	const appZip = ensurePackage(log);
	const floorZip = floorPackage((line) => log(`floor app: ${line}`));
	const sizes: SizeFigures[] = [];
	for (const rooms of SIZES) sizes.push(await benchSize(rooms, appZip, floorZip));
	log('');
	for (const size of sizes) log(`${sizeReport(size, RUNS, WARMUPS)}\n`);
	if (sizes.length > 0) log(summaryReport(sizes));
	log(`\nTotal run time ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
