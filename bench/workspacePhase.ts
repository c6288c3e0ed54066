/**
 * One workspace per size: the app and the floor app installed side by side over the same demo rooms, the floor and
 * the app's `rooms` endpoint timed in interleaved rounds (floor, then each query, per round), and the app's Deno
 * runtime peak memory read after the paged queries and again after the `count=0` ones.
 */
import type { WorkspaceData } from '../workspace/data/types';
import { startWorkspace } from '../workspace/index';
import type { Workspace } from '../workspace/engine/Workspace';
import { allRoomsUser, callApp, getRequest, memoryOf } from './endpoint';
import { installFloor } from './floor';
import type { BenchQuery } from './queries';
import { params, QUERIES } from './queries';
import type { Summary } from './stats';
import { now, summarize } from './stats';

export interface EndpointFigures {
	readonly query: BenchQuery;
	readonly time: Summary;
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

interface Timed {
	readonly total: number;
	readonly ids: string[];
}

/** Reads an answer's body, whether the engine hands back the object or its JSON text. */
function bodyOf(content: unknown): Record<string, unknown> {
	return (typeof content === 'string' ? JSON.parse(content) : content) as Record<string, unknown>;
}

type Task = () => Promise<Timed>;

/**
 * Runs the tasks in rounds (`warmups` untimed, then `runs` timed), one of each per round, so slow drifts of the
 * machine spread over all of them alike. Answers each task's timings and last result.
 */
async function rounds(tasks: readonly Task[], runs: number, warmups: number): Promise<Array<{ times: number[]; last: Timed }>> {
	const out = tasks.map(() => ({ times: [] as number[], last: { total: 0, ids: [] as string[] } }));
	for (let round = 0; round < warmups + runs; round++) {
		for (let i = 0; i < tasks.length; i++) {
			const start = now();
			out[i].last = await tasks[i]();
			if (round >= warmups) out[i].times.push(now() - start);
		}
	}
	return out;
}

function floorTask(workspace: Workspace, floorId: string): Task {
	return async () => {
		const body = bodyOf((await callApp(workspace, floorId, 'floor', getRequest({}))).content);
		return { total: Number(body.total), ids: [] };
	};
}

function queryTask(workspace: Workspace, appId: string, query: BenchQuery): Task {
	const { appUser } = allRoomsUser(workspace);
	return async () => {
		const body = bodyOf((await callApp(workspace, appId, 'rooms', getRequest(params(query), appUser))).content);
		const rooms = body.rooms as Array<{ _id: string }>;
		return { total: Number(body.total), ids: rooms.map((room) => room._id) };
	};
}

/** Past this long a warm-up call, a query gets at most `SLOW_RUNS` timed runs, to keep the whole bench within minutes. */
const SLOW_CALL_MS = 10000;
const SLOW_RUNS = 3;

/** Times one task on its own: a warm-up, then `runs` runs (fewer when the warm-up was slow). */
async function alone(task: Task, runs: number, warmups: number): Promise<{ times: number[]; last: Timed }> {
	let slowest = 0;
	let last: Timed = { total: 0, ids: [] };
	for (let i = 0; i < warmups; i++) {
		const start = now();
		last = await task();
		slowest = Math.max(slowest, now() - start);
	}
	const times: number[] = [];
	for (let i = 0; i < (slowest > SLOW_CALL_MS ? Math.min(runs, SLOW_RUNS) : runs); i++) {
		const start = now();
		last = await task();
		times.push(now() - start);
	}
	return { times, last };
}

/** Starts the workspace, installs the floor app next to the app, measures, and always stops everything. */
export async function workspacePhase(options: PhaseOptions): Promise<WorkspaceFigures> {
	const started = now();
	const running = await startWorkspace({ data: options.data, zip: options.appZip });
	try {
		const workspace = running.workspace;
		const floor = await installFloor(workspace, options.floorZip);
		const pid = workspace.runtimePid();
		if (pid === undefined || floor.pid === undefined) throw new Error('cannot find the Deno runtimes');
		const paged = QUERIES.filter((query) => query.paged);
		const unpaged = QUERIES.filter((query) => !query.paged);
		options.log(`  floor + ${paged.length} paged queries: ${options.warmups} warm-up + ${options.runs} rounds...`);
		const first = await rounds([floorTask(workspace, floor.id), ...paged.map((query) => queryTask(workspace, running.app.id, query))], options.runs, options.warmups);
		const pagedPeakKib = memoryOf(pid).peakKib;
		const second: Array<{ times: number[]; last: Timed }> = [];
		for (const query of unpaged) {
			options.log(`  ${query.label}: ${options.warmups} warm-up + up to ${options.runs} runs...`);
			second.push(await alone(queryTask(workspace, running.app.id, query), options.runs, options.warmups));
		}
		const memory: MemoryFigures = { pagedPeakKib, allPeakKib: memoryOf(pid).peakKib, floorPeakKib: memoryOf(floor.pid).peakKib, pid };
		const timed = [...first.slice(1), ...second];
		const queries = [...paged, ...unpaged].map((query, i) => ({ query, time: summarize(timed[i].times), total: timed[i].last.total, ids: timed[i].last.ids }));
		return { floor: summarize(first[0].times), floorTotal: first[0].last.total, queries, memory, elapsed: now() - started };
	} finally {
		await running.stop();
	}
}
