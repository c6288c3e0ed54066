/**
 * One workspace per size: the app and the floor app installed side by side over the same demo rooms, timed in rounds
 * (each round: the floor, then each query), so that every query time has a floor time measured right next to it and
 * the ratio holds even when the machine's load drifts. Two blocks of rounds: the paged queries first, then the
 * `count=0` ones, with the app's Deno peak memory read after each block (`count=0` holds every match at once; the
 * memory target covers pages of up to 100 rooms).
 */
import type { WorkspaceData } from '../workspace/data/types';
import { startWorkspace } from '../workspace/index';
import type { Workspace } from '../workspace/engine/Workspace';
import { allRoomsUser, callApp, cpuMsOf, getRequest, hostCpuMs, memoryOf } from './endpoint';
import { installFloor } from './floor';
import type { BenchQuery } from './queries';
import { params, QUERIES } from './queries';
import type { Summary } from './stats';
import { now, summarize } from './stats';

export interface EndpointFigures {
	readonly query: BenchQuery;
	readonly time: Summary;
	/** Each timed run divided by the floor run of the same round. */
	readonly ratio: Summary;
	/**
	 * The same with CPU time (the called app's Deno runtime plus the host, which serve a call in turn): steadier than
	 * wall time on a shared machine, since time spent waiting for another process's turn on a core is not counted.
	 */
	readonly cpuRatio: Summary;
	/** What the endpoint answered on its last run, to check against the core. */
	readonly total: number;
	readonly ids: string[];
}

export interface MemoryFigures {
	/** The app's Deno runtime: peak resident set (`VmHWM`) after the paged queries, in KiB. */
	readonly pagedPeakKib: number;
	/** The same after the `count=0` queries too. */
	readonly allPeakKib: number;
	/** The floor app's own Deno runtime, after all its runs: the peak of paging alone. */
	readonly floorPeakKib: number;
	readonly pid: number;
}

export interface WorkspaceFigures {
	readonly floor: Summary;
	readonly floorTotal: number;
	readonly queries: EndpointFigures[];
	readonly memory: MemoryFigures;
	/** Wall time of the whole phase, ms. */
	readonly elapsed: number;
}

export interface PhaseOptions {
	readonly data: WorkspaceData;
	readonly appZip: Buffer;
	readonly floorZip: Buffer;
	readonly runs: number;
	readonly warmups: number;
	readonly log: (line: string) => void;
}

/** An installed app and the pid of its Deno runtime. */
interface RunningApp {
	readonly id: string;
	readonly pid: number;
}

interface Timed {
	readonly total: number;
	readonly ids: string[];
}

/** One endpoint call, and the Deno runtime that serves it. */
interface Task {
	readonly pid: number;
	run(): Promise<Timed>;
}

/** One timed call: wall time and CPU time (runtime + host), ms. */
interface Sample {
	readonly wall: number;
	readonly cpu: number;
}

interface Rounds {
	/** `samples[task][round]`. */
	readonly samples: Sample[][];
	readonly last: Timed[];
}

/** Past this long one warm-up call, a block gets at most `SLOW_RUNS` timed rounds, to keep the bench within minutes. */
const SLOW_CALL_MS = 20000;
const SLOW_RUNS = 3;

/** Reads an answer's body, whether the engine hands back the object or its JSON text. */
function bodyOf(content: unknown): Record<string, unknown> {
	return (typeof content === 'string' ? JSON.parse(content) : content) as Record<string, unknown>;
}

async function timeRound(tasks: readonly Task[], last: Timed[]): Promise<Sample[]> {
	const samples: Sample[] = [];
	for (let i = 0; i < tasks.length; i++) {
		const cpu = cpuMsOf(tasks[i].pid) + hostCpuMs();
		const start = now();
		last[i] = await tasks[i].run();
		const wall = now() - start;
		samples.push({ wall, cpu: cpuMsOf(tasks[i].pid) + hostCpuMs() - cpu });
	}
	return samples;
}

/**
 * Runs the tasks in rounds, one of each per round: `warmups` untimed, then `runs` timed (at most `SLOW_RUNS` when a
 * warm-up call took longer than `SLOW_CALL_MS`).
 */
async function rounds(tasks: readonly Task[], runs: number, warmups: number): Promise<Rounds> {
	const last: Timed[] = tasks.map(() => ({ total: 0, ids: [] }));
	let slowest = 0;
	for (let round = 0; round < warmups; round++) slowest = Math.max(slowest, ...(await timeRound(tasks, last)).map((sample) => sample.wall));
	const samples: Sample[][] = tasks.map(() => []);
	const count = slowest > SLOW_CALL_MS ? Math.min(runs, SLOW_RUNS) : runs;
	for (let round = 0; round < count; round++) (await timeRound(tasks, last)).forEach((sample, i) => samples[i].push(sample));
	return { samples, last };
}

function floorTask(workspace: Workspace, floor: RunningApp): Task {
	return {
		pid: floor.pid,
		async run() {
			const body = bodyOf((await callApp(workspace, floor.id, 'floor', getRequest({}))).content);
			return { total: Number(body.total), ids: [] };
		},
	};
}

function queryTask(workspace: Workspace, app: RunningApp, query: BenchQuery): Task {
	const { appUser } = allRoomsUser(workspace);
	return {
		pid: app.pid,
		async run() {
			const body = bodyOf((await callApp(workspace, app.id, 'rooms', getRequest(params(query), appUser))).content);
			const rooms = body.rooms as Array<{ _id: string }>;
			return { total: Number(body.total), ids: rooms.map((room) => room._id) };
		},
	};
}

/** Paired ratios: each query sample over the floor sample of the same round. */
function paired(samples: readonly Sample[], floor: readonly Sample[], pick: (sample: Sample) => number): Summary {
	return summarize(samples.map((sample, round) => pick(sample) / pick(floor[round])));
}

/** Times a block: the floor then each query, per round; answers each query's figures and the floor's samples. */
async function block(
	workspace: Workspace,
	app: RunningApp,
	floor: RunningApp,
	queries: readonly BenchQuery[],
	options: PhaseOptions,
): Promise<{ floor: Sample[]; queries: EndpointFigures[]; floorTotal: number }> {
	options.log(`  floor + ${queries.map((query) => query.label).join(', ')}: ${options.warmups} warm-up + ${options.runs} rounds...`);
	const tasks = [floorTask(workspace, floor), ...queries.map((query) => queryTask(workspace, app, query))];
	const { samples, last } = await rounds(tasks, options.runs, options.warmups);
	const floorSamples = samples[0];
	const figures = queries.map((query, i) => ({
		query,
		time: summarize(samples[i + 1].map((sample) => sample.wall)),
		ratio: paired(samples[i + 1], floorSamples, (sample) => sample.wall),
		cpuRatio: paired(samples[i + 1], floorSamples, (sample) => sample.cpu),
		total: last[i + 1].total,
		ids: last[i + 1].ids,
	}));
	return { floor: floorSamples, queries: figures, floorTotal: last[0].total };
}

/**
 * The engine's liveness watchdog (a 10 s interval per runtime) is not stopped when an app's runtime is: once the
 * Deno process is gone it pings a closed pipe and prints `EPIPE`. Stop it first (engine 1.62.0 behaviour).
 */
function stopWatchdogs(workspace: Workspace, appIds: readonly string[]): void {
	for (const id of appIds) {
		const controller = workspace.manager.getOneById(id)?.getRuntimeController() as unknown as { livenessManager?: { stop(): void } } | undefined;
		controller?.livenessManager?.stop();
	}
}

/** Starts the workspace, installs the floor app next to the app, measures, and always stops everything. */
export async function workspacePhase(options: PhaseOptions): Promise<WorkspaceFigures> {
	const started = now();
	const running = await startWorkspace({ data: options.data, zip: options.appZip });
	const appIds = [running.app.id];
	try {
		const workspace = running.workspace;
		const installed = await installFloor(workspace, options.floorZip);
		appIds.push(installed.id);
		const pid = workspace.runtimePid();
		if (pid === undefined || installed.pid === undefined) throw new Error('cannot find the Deno runtimes');
		const app = { id: running.app.id, pid };
		const floor = { id: installed.id, pid: installed.pid };
		const paged = await block(
			workspace,
			app,
			floor,
			QUERIES.filter((query) => query.paged),
			options,
		);
		const pagedPeakKib = memoryOf(pid).peakKib;
		const unpaged = await block(
			workspace,
			app,
			floor,
			QUERIES.filter((query) => !query.paged),
			options,
		);
		const memory: MemoryFigures = { pagedPeakKib, allPeakKib: memoryOf(pid).peakKib, floorPeakKib: memoryOf(floor.pid).peakKib, pid };
		return {
			floor: summarize([...paged.floor, ...unpaged.floor].map((sample) => sample.wall)),
			floorTotal: paged.floorTotal,
			queries: [...paged.queries, ...unpaged.queries],
			memory,
			elapsed: now() - started,
		};
	} finally {
		stopWatchdogs(running.workspace, appIds);
		await running.stop();
	}
}
