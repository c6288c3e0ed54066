/**
 * One workspace per size, the app's whole life in it, measured step by step:
 * 1. **cold start**: the workspace starts and installs the app (its scheduler polling every 5 s, as Agenda does); the
 *    endpoint is asked once a second until it stops answering 503 (the first build of the index runs meanwhile);
 * 2. the floor app is installed next to it, over the same rooms;
 * 3. **warm queries**, timed in rounds (each round: the floor, then each query), so that every query time has a floor
 *    time measured right next to it and the ratio holds even when the machine's load drifts; what each call asked of
 *    the host is counted (workspace stats);
 * 4. **paging**: 40 pages of 50 over exactly 2,000 matches, against one floor per round;
 * 5. **counts**: `rooms/counts` next to `rooms` with the same filters, in rounds;
 * 6. **freshness**: 60 real changes at one per second (`changes.ts`), the host's work over that minute counted; then
 *    the answers are checked against the store (every change fired an event, so they must already be exact);
 * 7. **reconciliation**: some closed rooms deleted (no event), then one reconciliation pass run through the scheduler
 *    (`advance`), its cost counted; then the answers are checked against the store again;
 * 8. **throughput** (`throughput.ts`): 8 callers at once sending the typical queries while changes are made one a
 *    second, each change's delay until it is in the answers measured; then the answers are checked again;
 * 9. **upkeep**: the interval in force (`GET rooms/index`) and what persistence holds, for the report's figures a day;
 * 10. the bulk answers last (`count=0` over every room), so that the peak memory of everything else is read before them.
 */
import type { WorkspaceState, WorkspaceStats } from '../workspace/engine/state';
import type { WorkspaceData } from '../workspace/data/types';
import type { RunningWorkspace } from '../workspace/index';
import { startWorkspace } from '../workspace/index';
import type { Workspace } from '../workspace/engine/Workspace';
import { searchRooms } from '../src/index/RoomIndex';
import { BUCKET_MS, NAMES } from '../src/index/shared';
import type { ChangeFigures } from './changes';
import { deleteClosedRooms, driveChanges } from './changes';
import { difference, indexedDocuments } from './core';
import { allRoomsUser, callApp, CallLog, cpuMsOf, getRequest, hostCpuMs, memoryOf, statsDelta, statsOf } from './endpoint';
import { installFloor } from './floor';
import type { BenchQuery } from './queries';
import { countParams, params, QUERIES, roomQuery } from './queries';
import { LARGE, TARGETS } from './report';
import type { Summary } from './stats';
import { now, summarize } from './stats';
import type { ThroughputFigures } from './throughput';
import { throughput, throughputMs } from './throughput';

/** What one call asked of the host, on average over the timed rounds. */
export interface HostWork {
	readonly roomsWalked: number;
	readonly roomListCalls: number;
	readonly roomById: number;
	readonly persistenceReads: number;
	readonly persistenceWrites: number;
}

export interface EndpointFigures {
	readonly query: BenchQuery;
	readonly time: Summary;
	/** Each timed run divided by the floor run of the same round. */
	readonly ratio: Summary;
	/** The same with CPU time (the called app's Deno runtime plus the host, which serve a call in turn). */
	readonly cpuRatio: Summary;
	/** Each timed run divided by the empty call of the same round (the targets at 1,000,000 rooms, where no floor answers). */
	readonly pingRatio: Summary;
	readonly perCall: HostWork;
	/** What the endpoint answered on its last run. */
	readonly total: number;
	readonly returned: number;
}

export interface ColdFigures {
	/** `startWorkspace`: the runtimes started and the app installed and enabled, ms. */
	readonly installMs: number;
	/** From the app enabled to the endpoint's first answer that is not a 503, ms. */
	readonly toReadyMs: number;
	/** From the app enabled to the first answer to `queued=true` (the open rooms read: the queue first), ms; -1 if never. */
	readonly toQueueReadyMs: number;
	/**
	 * From the app enabled to the upkeep job's first run (its recurring tick, which starts the build), on the scheduler's
	 * clock, ms; negative when it ran during the install (a job saved due runs at once, as Agenda runs it).
	 */
	readonly firstJobRunMs: number;
	/** Everything the app asked of the host from the workspace's start to ready. */
	readonly work: WorkspaceStats;
	readonly answers503: number;
	readonly slowest503Ms: number;
	readonly retryAfter: string[];
	/** A 503's message, as the caller reads it. */
	readonly sampleMessage?: string;
	/** Answers neither 200 nor 503 during the cold start. */
	readonly failures: string[];
	readonly ready: boolean;
	/** Slices the maintenance job ran (scheduler runs of the app's jobs). */
	readonly jobRuns: number;
	readonly peakKibAtReady: number;
	/** The first answer after ready (200), ms. */
	readonly firstAnswerMs: number;
	/**
	 * A query a little over a second after ready (past the index's one-second poll): the index replays the journal's
	 * last buckets, which still hold the build's last pages of full rooms. Time, and persistence reads.
	 */
	readonly tailAnswerMs: number;
	readonly tailReads: number;
	/** CPU time from the start to ready: the app's Deno runtime, and the host (this process: engine, bridges, store). */
	readonly denoCpuMs: number;
	readonly hostCpuMs: number;
}

export interface PagingFigures {
	readonly total: number;
	readonly pages: number;
	/** Distinct rooms over every page (2,000 when the pages neither overlap nor skip). */
	readonly distinct: number;
	/** All pages together, per round. */
	readonly time: Summary;
	readonly ratio: Summary;
	readonly cpuRatio: Summary;
	readonly perRequest: HostWork;
}

export interface CountsRow {
	readonly query: BenchQuery;
	readonly rooms: Summary;
	readonly counts: Summary;
	/** counts / rooms, per round. */
	readonly ratio: Summary;
}

export interface CountsFigures {
	readonly measured: boolean;
	readonly reason?: string;
	readonly rows: CountsRow[];
}

export interface FreshFigures {
	readonly changes: ChangeFigures;
	/** What the app asked of the host over the minute of changes (scheduler ticks included). */
	readonly work: WorkspaceStats;
	readonly minutes: number;
	/** CPU time over the changes: the app's Deno runtime, and the host (the actions themselves included), ms. */
	readonly denoCpuMs: number;
	readonly hostCpuMs: number;
	/** Where the answers right after the changes differ from the store. */
	readonly mismatches: string[];
}

export interface ReconcileFigures {
	readonly ran: boolean;
	readonly note: string;
	readonly deleted: number;
	readonly wallMs: number;
	readonly slices: number;
	readonly work: WorkspaceStats;
	/** CPU time of the pass: the app's Deno runtime and the host, ms. */
	readonly denoCpuMs: number;
	readonly hostCpuMs: number;
	/** The recurring job's ticks before the one that started the pass, and what they asked of the host together. */
	readonly idleTicks: number;
	readonly idleTickWork: WorkspaceStats;
	/** Where the answers after the pass differ from the store. */
	readonly mismatches: string[];
}

export interface MemoryFigures {
	/**
	 * The app's Deno runtime: peak resident set (`VmHWM`) in KiB, at ready, after the warm queries, after everything but
	 * the bulk answers (build, queries, paging, counts, changes, reconciliation: the figure the target judges), and at
	 * the end (bulk answers included).
	 */
	readonly readyPeakKib: number;
	readonly warmPeakKib: number;
	readonly judgedPeakKib: number;
	readonly endPeakKib: number;
	readonly endRssKib: number;
	/** Before the throughput step (8 callers at once), which is judged with the rest. */
	readonly beforeThroughputPeakKib: number;
	/** The floor app's own Deno runtime just installed, before its first pass: an app runtime that holds no rooms. */
	readonly floorPeakKib: number;
	readonly pid: number;
}

/** The upkeep's clock and what persistence holds, read after the reconciliation pass. */
export interface UpkeepFigures {
	/** The reconciliation interval in force and the minutes setting, as `GET rooms/index` says (0 when it cannot). */
	readonly intervalMinutes: number;
	readonly settingMinutes: number;
	/** Room-list entries one pass walks, as the app reckons it. */
	readonly walkPerPass: number;
	/** Bytes the app's persistence holds. */
	readonly heldBytes: number;
	/** Why the interval is unknown, if it is. */
	readonly note?: string;
}

export interface CallSummary {
	readonly calls: number;
	readonly failures: string[];
	readonly slowestMs: number;
}

/** The fixed cost of one call into an app: the floor app's `ping`, which does nothing. */
export interface PingFigures {
	readonly time: Summary;
	readonly ratio: Summary;
}

export interface WorkspaceFigures {
	readonly cold: ColdFigures;
	readonly ping: PingFigures;
	readonly floor: Summary;
	readonly floorTotal: number;
	/** Why the floor is not timed at this size (its pass passed the call limit), when it is not. */
	readonly floorMissing?: string;
	/** Why the bulk `count=0` answers were not asked at this size, when they were not. */
	readonly bulkSkipped?: string;
	readonly queries: EndpointFigures[];
	readonly paging: PagingFigures;
	readonly counts: CountsFigures;
	readonly fresh: FreshFigures;
	readonly reconcile: ReconcileFigures;
	readonly throughput: ThroughputFigures;
	readonly upkeep: UpkeepFigures;
	readonly memory: MemoryFigures;
	/** Every call to the app's endpoints after ready. */
	readonly warmCalls: CallSummary;
	/** Wall time of the whole phase, ms. */
	readonly elapsed: number;
}

export interface PhaseOptions {
	readonly data: WorkspaceData;
	readonly appZip: Buffer;
	readonly floorZip: Buffer;
	readonly runs: number;
	readonly warmups: number;
	/** Changes over the simulated minute (one per second). */
	readonly changes: number;
	/** The reconciliation interval the app uses (its setting's default), in ms of the scheduler's clock. */
	readonly reconcileEveryMs: number;
	readonly log: (line: string) => void;
	/** Called with the store as it ended, before the workspace stops. */
	readonly onState?: (state: WorkspaceState) => void;
}

/** An installed app and the pid of its Deno runtime. */
interface RunningApp {
	readonly id: string;
	readonly pid: number;
}

interface Outcome {
	readonly total: number;
	readonly returned: number;
	readonly ids: string[];
}

/** One endpoint call (or a group of calls timed as one), and the Deno runtime that serves it. */
interface Task {
	readonly pid: number;
	/** Calls the task makes per run (host work is reported per call). */
	readonly calls: number;
	run(): Promise<Outcome>;
}

/** One timed run: wall time, CPU time (runtime + host), ms, and what it asked of the host. */
interface Sample {
	readonly wall: number;
	readonly cpu: number;
	readonly work: WorkspaceStats;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Past this long one warm-up call, a block gets at most `SLOW_RUNS` timed rounds, to keep the bench within minutes. */
const SLOW_CALL_MS = 20000;
const SLOW_RUNS = 3;
/** The cold start is given up after this long. */
const COLD_LIMIT_MS = 20 * 60_000;
/** How often the cold start asks the endpoint. */
const COLD_POLL_MS = 1000;

class Phase {
	public readonly warm = new CallLog();

	/** Set when the floor's pass did not answer (past the call limit): from then on it is not asked again. */
	public floorMissing: string | undefined;

	private readonly state: WorkspaceState;

	private readonly workspace: Workspace;

	constructor(
		running: RunningWorkspace,
		private readonly app: RunningApp,
		private readonly options: PhaseOptions,
	) {
		this.state = running.state;
		this.workspace = running.workspace;
	}

	private async timeRound(tasks: readonly Task[], last: Outcome[]): Promise<Sample[]> {
		const samples: Sample[] = [];
		for (let i = 0; i < tasks.length; i++) {
			const cpu = cpuMsOf(tasks[i].pid) + hostCpuMs();
			const stats = statsOf(this.state);
			const start = now();
			last[i] = await tasks[i].run();
			const wall = now() - start;
			samples.push({ wall, cpu: cpuMsOf(tasks[i].pid) + hostCpuMs() - cpu, work: statsDelta(stats, statsOf(this.state)) });
		}
		return samples;
	}

	/** Runs the tasks in rounds: `warmups` untimed, then `runs` timed (fewer when a warm-up call was very slow). */
	public async rounds(tasks: readonly Task[]): Promise<{ samples: Sample[][]; last: Outcome[] }> {
		const last: Outcome[] = tasks.map(() => ({ total: 0, returned: 0, ids: [] }));
		let slowest = 0;
		for (let round = 0; round < this.options.warmups; round++)
			slowest = Math.max(slowest, ...(await this.timeRound(tasks, last)).map((sample) => sample.wall));
		const samples: Sample[][] = tasks.map(() => []);
		const count = slowest > SLOW_CALL_MS ? Math.min(this.options.runs, SLOW_RUNS) : this.options.runs;
		for (let round = 0; round < count; round++) (await this.timeRound(tasks, last)).forEach((sample, i) => samples[i].push(sample));
		return { samples, last };
	}

	/** The floor app's one pass over every room. */
	public floorTask(floor: RunningApp): Task {
		return this.floorAppTask(floor, 'floor');
	}

	/** One call to the app; a call that does not answer 200 is logged (the report counts it) and answers nothing. */
	public async ask(path: string, query: Record<string, unknown>): Promise<Outcome> {
		const { appUser } = allRoomsUser(this.workspace);
		const answer = await callApp(this.workspace, this.app.id, path, getRequest(query, appUser), this.warm);
		if (answer.status !== 200) return { total: -1, returned: 0, ids: [] };
		const rooms = Array.isArray(answer.body.rooms) ? (answer.body.rooms as Array<{ _id: string }>) : [];
		return { total: Number(answer.body.total), returned: rooms.length, ids: rooms.map((room) => room._id) };
	}

	/** An empty call into the floor app: the fixed cost of a call. */
	public pingTask(floor: RunningApp): Task {
		return this.floorAppTask(floor, 'ping');
	}

	private floorAppTask(floor: RunningApp, path: 'floor' | 'ping'): Task {
		return {
			pid: floor.pid,
			calls: 1,
			run: async () => {
				if (path === 'floor' && this.floorMissing !== undefined) return { total: -1, returned: 0, ids: [] };
				const answer = await callApp(this.workspace, floor.id, path, getRequest({}));
				if (answer.status !== 200 && path === 'floor') return this.withoutFloor(floor, answer);
				if (answer.status !== 200) throw new Error(`the floor app's ${path} answered ${answer.status}`);
				return { total: path === 'floor' ? Number(answer.body.total) : 0, returned: 0, ids: [] };
			},
		};
	}

	/**
	 * The floor's pass passed the call limit (1,000,000 rooms): it is not timed at this size. Its runtime goes on with
	 * the pass it was asked for; the empty call (the same runtime) is timed once it answers promptly again.
	 */
	private async withoutFloor(floor: RunningApp, answer: { status: number; ms: number }): Promise<Outcome> {
		const outcome = answer.status === 0 ? 'gave no answer' : `answered ${answer.status}`;
		this.floorMissing = `its pass ${outcome} after ${(answer.ms / 1000).toFixed(1)} s (Rocket.Chat's limit on a call is ${TARGETS.callMs / 1000} s)`;
		const until = now() + 5 * 60_000;
		while (now() < until && (await callApp(this.workspace, floor.id, 'ping', getRequest({}))).ms > 1000) await sleep(1000);
		return { total: -1, returned: 0, ids: [] };
	}

	public queryTask(query: BenchQuery): Task {
		return { pid: this.app.pid, calls: 1, run: () => this.ask('rooms', params(query)) };
	}

	/** The endpoint's answers against the app's own search over the store as it is now. */
	public async check(queries: readonly BenchQuery[]): Promise<string[]> {
		const documents = indexedDocuments(this.state);
		const problems: string[] = [];
		for (const query of queries) {
			const expected = searchRooms(roomQuery(query), documents);
			const answer = await this.ask('rooms', params(query));
			if (answer.total !== expected.total) problems.push(`${query.label}: total ${answer.total}, store ${expected.total}`);
			const ids = expected.rooms.map((room) => room._id);
			const differs = difference('endpoint', ids, answer.ids);
			if (differs) problems.push(`${query.label}: ${differs}`);
		}
		return problems;
	}
}

function perCall(samples: readonly Sample[], calls: number): HostWork {
	const mean = (pick: (work: WorkspaceStats) => number): number =>
		samples.reduce((sum, sample) => sum + pick(sample.work), 0) / Math.max(1, samples.length * calls);
	return {
		roomsWalked: mean((w) => w.roomsWalked),
		roomListCalls: mean((w) => w.roomListCalls),
		roomById: mean((w) => w.roomById),
		persistenceReads: mean((w) => w.persistenceReads),
		persistenceWrites: mean((w) => w.persistenceWrites),
	};
}

/** Paired ratios: each sample over the floor sample of the same round. */
function paired(samples: readonly Sample[], floor: readonly Sample[], pick: (sample: Sample) => number): Summary {
	return summarize(samples.map((sample, round) => pick(sample) / pick(floor[round])));
}

/**
 * Notes the app's job runs seen so far: a one-time job (each continuation slice) leaves the scheduler once it has
 * run, so its id is kept here while it runs; a recurring job counts its runs.
 */
function noteRuns(running: RunningWorkspace, seen: Map<string, number>): void {
	for (const job of running.scheduler.list(running.app.id)) if (job.runCount > 0) seen.set(job._id, job.runCount);
}

const runsOf = (seen: ReadonlyMap<string, number>): number => [...seen.values()].reduce((sum, runs) => sum + runs, 0);

/** Starts the workspace (the app installed), then asks the endpoint once a second until it stops answering 503. */
async function coldStart(options: PhaseOptions): Promise<{ running: RunningWorkspace; cold: ColdFigures }> {
	const started = now();
	const hostStart = hostCpuMs();
	// The scheduler scans every 5 s and runs what is due before the next scan at its own time (Agenda's rules, as on
	// Rocket.Chat): the maintenance job runs in real time.
	const running = await startWorkspace({ data: options.data, zip: options.appZip });
	const enabled = now();
	const enabledAt = running.scheduler.now().getTime();
	let firstJobRunMs = -1;
	let firstJobSeen = false;
	const pid = running.workspace.runtimePid();
	if (pid === undefined) throw new Error("cannot find the app's Deno runtime");
	const { appUser } = allRoomsUser(running.workspace);
	const log = new CallLog();
	const retryAfter = new Set<string>();
	let sampleMessage: string | undefined;
	const failures: string[] = [];
	let ready = false;
	let firstAnswerMs = 0;
	let toQueueReadyMs = -1;
	let lastLine = 0;
	const runs = new Map<string, number>();
	while (now() - enabled < COLD_LIMIT_MS) {
		const asked = now();
		noteRuns(running, runs);
		if (!firstJobSeen) {
			const first = running.scheduler.list(running.app.id).find((job) => job.runCount > 0 && job.lastRunAt !== undefined);
			if (first?.lastRunAt) {
				firstJobRunMs = first.lastRunAt.getTime() - enabledAt;
				firstJobSeen = true;
			}
		}
		// The queue first: the queue is answered once the open rooms are read, before the others.
		if (toQueueReadyMs < 0) {
			const queue = await callApp(running.workspace, running.app.id, 'rooms', getRequest({ queued: 'true' }, appUser), log);
			if (queue.status === 200) toQueueReadyMs = now() - enabled;
			else if (queue.status !== 503) failures.push(`queued=true ${queue.status}: ${JSON.stringify(queue.body).slice(0, 200)}`);
		}
		const answer = await callApp(running.workspace, running.app.id, 'rooms', getRequest({}, appUser), log);
		if (answer.status === 200) {
			if (toQueueReadyMs < 0) toQueueReadyMs = now() - enabled;
			ready = true;
			firstAnswerMs = answer.ms;
			break;
		}
		if (answer.status === 503) {
			const header = Object.entries(answer.headers).find(([name]) => name.toLowerCase() === 'retry-after');
			retryAfter.add(header ? String(header[1]) : '(none)');
			sampleMessage = String(answer.body.error ?? answer.body.message ?? JSON.stringify(answer.body));
			if (now() - lastLine > 15000) {
				options.log(`    ${((now() - enabled) / 1000).toFixed(0)} s: 503 "${sampleMessage.slice(0, 150)}"`);
				lastLine = now();
			}
		} else failures.push(`${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}`);
		await sleep(asked + COLD_POLL_MS - now());
	}
	const toReadyMs = now() - enabled;
	const denoCpuMs = cpuMsOf(pid);
	const hostCpu = hostCpuMs() - hostStart;
	const work = statsOf(running.state);
	await sleep(1100);
	const tail = await callApp(running.workspace, running.app.id, 'rooms', getRequest({}, appUser), log);
	const cold: ColdFigures = {
		installMs: enabled - started,
		toReadyMs,
		toQueueReadyMs,
		firstJobRunMs,
		work,
		firstAnswerMs,
		tailAnswerMs: tail.ms,
		tailReads: statsOf(running.state).persistenceReads - work.persistenceReads,
		answers503: log.count(503),
		slowest503Ms: log.slowest(503),
		retryAfter: [...retryAfter],
		sampleMessage,
		failures,
		ready,
		jobRuns: (noteRuns(running, runs), runsOf(runs)),
		peakKibAtReady: memoryOf(pid).peakKib,
		denoCpuMs,
		hostCpuMs: hostCpu,
	};
	return { running, cold };
}

/** Times a block: the floor, the empty call, then each query, per round. */
async function queryBlock(
	phase: Phase,
	floor: Task,
	ping: Task,
	queries: readonly BenchQuery[],
	options: PhaseOptions,
): Promise<{ floor: Sample[]; ping: PingFigures; queries: EndpointFigures[]; floorTotal: number }> {
	options.log(`  floor + empty call + ${queries.length} queries: ${options.warmups} warm-up + ${options.runs} rounds...`);
	const tasks = [floor, ping, ...queries.map((query) => phase.queryTask(query))];
	const { samples, last } = await phase.rounds(tasks);
	const floorSamples = samples[0];
	const figures = queries.map((query, i) => ({
		query,
		time: summarize(samples[i + 2].map((sample) => sample.wall)),
		ratio: paired(samples[i + 2], floorSamples, (sample) => sample.wall),
		cpuRatio: paired(samples[i + 2], floorSamples, (sample) => sample.cpu),
		pingRatio: paired(samples[i + 2], samples[1], (sample) => sample.wall),
		perCall: perCall(samples[i + 2], 1),
		total: last[i + 2].total,
		returned: last[i + 2].returned,
	}));
	const pingFigures = { time: summarize(samples[1].map((sample) => sample.wall)), ratio: paired(samples[1], floorSamples, (sample) => sample.wall) };
	return { floor: floorSamples, ping: pingFigures, queries: figures, floorTotal: last[0].total };
}

/** A `createdAt` window holding exactly 2,000 livechat rooms (fewer when the workspace has fewer), from the middle. */
function pagingQuery(data: WorkspaceData): BenchQuery {
	const times = data.rooms
		.filter((room) => room.t === 'l')
		.map((room) => new Date(room.ts as string | Date).getTime())
		.sort((a, b) => a - b);
	const wanted = Math.min(2000, times.length);
	const from = Math.max(0, Math.floor(times.length / 2) - wanted / 2);
	const window = { start: new Date(times[from]).toISOString(), end: new Date(times[from + wanted - 1]).toISOString() };
	return { label: 'createdAt window, 2,000 matches', search: `createdAt=${encodeURIComponent(JSON.stringify(window))}&count=50`, paged: true, typical: true };
}

async function paging(phase: Phase, floor: Task, app: RunningApp, data: WorkspaceData, options: PhaseOptions): Promise<PagingFigures> {
	const query = pagingQuery(data);
	const pages = 40;
	const seen = new Set<string>();
	let total = 0;
	const pager: Task = {
		pid: app.pid,
		calls: pages,
		run: async () => {
			seen.clear();
			for (let page = 0; page < pages; page++) {
				const answer = await phase.ask('rooms', { ...params(query), offset: String(page * 50) });
				total = answer.total;
				for (const id of answer.ids) seen.add(id);
			}
			return { total, returned: seen.size, ids: [] };
		},
	};
	options.log(`  paging: floor + ${pages} pages of 50: ${options.warmups} warm-up + ${options.runs} rounds...`);
	const { samples } = await phase.rounds([floor, pager]);
	return {
		total,
		pages,
		distinct: seen.size,
		time: summarize(samples[1].map((sample) => sample.wall)),
		ratio: paired(samples[1], samples[0], (sample) => sample.wall),
		cpuRatio: paired(samples[1], samples[0], (sample) => sample.cpu),
		perRequest: perCall(samples[1], pages),
	};
}

async function counts(phase: Phase, app: RunningApp, options: PhaseOptions): Promise<CountsFigures> {
	const probe = await phase.ask('rooms/counts', {});
	if (probe.total < 0) {
		const last = phase.warm.records[phase.warm.records.length - 1];
		// The probe's refusal is not a failure of the app: the path is not there yet.
		phase.warm.records.pop();
		return { measured: false, reason: `GET rooms/counts answered ${last?.status ?? '?'} (the endpoint is not in this build)`, rows: [] };
	}
	const queries = QUERIES.filter((query) => query.paged && query.typical);
	options.log(`  counts: rooms + rooms/counts for ${queries.length} queries: ${options.warmups} warm-up + ${options.runs} rounds...`);
	const tasks: Task[] = queries.flatMap((query) => [
		{ pid: app.pid, calls: 1, run: () => phase.ask('rooms', params(query)) },
		{ pid: app.pid, calls: 1, run: () => phase.ask('rooms/counts', countParams(query)) },
	]);
	const { samples } = await phase.rounds(tasks);
	return {
		measured: true,
		rows: queries.map((query, i) => ({
			query,
			rooms: summarize(samples[2 * i].map((s) => s.wall)),
			counts: summarize(samples[2 * i + 1].map((s) => s.wall)),
			ratio: paired(samples[2 * i + 1], samples[2 * i], (s) => s.wall),
		})),
	};
}

/** The app's maintenance records (its own format, `src/index/shared.ts`), read without counting as the app's reads. */
function record(running: RunningWorkspace, name: string): Record<string, unknown> | undefined {
	return running.state.persistence.all(running.app.id).find((r) => r.associations?.length === 1 && r.associations[0].id === name)?.data;
}

/**
 * One reconciliation pass, driven through the scheduler as Rocket.Chat would run it: the app's recurring job ticks
 * once a minute and starts a pass every `reconcileEveryMs` worth of ticks, counted on the scheduler's clock; so the
 * scheduler's clock is moved on a minute at a time (one tick each) until a pass starts, then a second at a time (each
 * continuation slice comes due) until it is over. The pass's figures start at the tick that started it (the idle
 * ticks before it each read the job's record and write its tick count: reported apart).
 */
async function reconcile(running: RunningWorkspace, options: PhaseOptions, pid: number): Promise<Omit<ReconcileFigures, 'deleted' | 'mismatches'>> {
	// Wait for any slice under way to end.
	for (let i = 0; i < 120 && record(running, NAMES.job) !== undefined && record(running, NAMES.job)?.phase !== 'idle'; i++) await sleep(500);
	const none = statsOf(running.state);
	const job = record(running, NAMES.job);
	if (!job || !record(running, NAMES.manifest)) {
		return {
			ran: false,
			note: 'no maintenance records in the app persistence (the index is not in this build)',
			wallMs: 0,
			slices: 0,
			work: statsDelta(none, none),
			denoCpuMs: 0,
			hostCpuMs: 0,
			idleTicks: 0,
			idleTickWork: statsDelta(none, none),
		};
	}
	const passBefore = job.pass;
	const mark = (): { at: number; stats: WorkspaceStats; deno: number; host: number } => ({
		at: now(),
		stats: statsOf(running.state),
		deno: cpuMsOf(pid),
		host: hostCpuMs(),
	});
	const first = mark();
	let start = first;
	let idleTicks = 0;
	let slices = 0;
	// The interval in force grows with the rooms (41 minutes at 100,000): an administrator asks for the pass, as the
	// app lets them (`POST rooms/index`), and the upkeep's next tick starts it.
	const admin = options.data.users.find((user) => user.roles.includes('admin'));
	if (admin) {
		await fetch(`${running.appUrl}/rooms/index`, { method: 'POST', headers: { 'X-User-Id': admin._id, 'X-Auth-Token': admin.authToken } });
	}
	const finishedBefore = job.finishedAt;
	// A pass under way, or one already over (a whole pass may run within one minute of the scheduler's clock).
	const started = (): boolean => {
		const current = record(running, NAMES.job);
		return current?.pass !== passBefore && (current?.kind === 'reconcile' || (current?.kind === 'idle' && current.finishedAt !== finishedBefore));
	};
	const ticks = Math.ceil(options.reconcileEveryMs / 60_000) + 2;
	for (let tick = 0; tick < ticks; tick++) {
		start = mark();
		const ran = await running.scheduler.advance(60_000);
		if (started()) {
			slices += ran;
			break;
		}
		idleTicks += ran;
	}
	const idleTickWork = statsDelta(first.stats, start.stats);
	if (!started()) {
		return {
			ran: false,
			note: `no pass started after ${ticks} minutes of ticks`,
			wallMs: 0,
			slices: 0,
			work: statsDelta(none, none),
			denoCpuMs: 0,
			hostCpuMs: 0,
			idleTicks,
			idleTickWork,
		};
	}
	while (now() - start.at < 10 * 60_000 && record(running, NAMES.job)?.phase !== 'idle') {
		const ran = await running.scheduler.advance(1000);
		slices += ran;
		if (ran === 0) await sleep(50);
	}
	const end = mark();
	const current = record(running, NAMES.job);
	const ok = current?.phase === 'idle';
	return {
		ran: ok,
		note: ok
			? `the pass started by tick ${idleTicks + 1} and ended (the job idle again) after ${slices} slices`
			: 'the pass did not finish within 10 minutes',
		wallMs: end.at - start.at,
		slices,
		work: statsDelta(start.stats, end.stats),
		denoCpuMs: end.deno - start.deno,
		hostCpuMs: end.host - start.host,
		idleTicks,
		idleTickWork,
	};
}

/** The interval in force as the app reports it (`GET rooms/index`), and the bytes its persistence holds. */
async function upkeepOf(running: RunningWorkspace): Promise<UpkeepFigures> {
	const heldBytes = running.state.persistence.heldBytes(running.app.id);
	const answer = await callApp(running.workspace, running.app.id, 'rooms/index', getRequest({}, allRoomsUser(running.workspace).appUser));
	const reconcile = (answer.body.index as { reconcile?: { intervalMinutes?: unknown; settingMinutes?: unknown; walkPerPass?: unknown } } | undefined)
		?.reconcile;
	if (answer.status !== 200 || typeof reconcile?.intervalMinutes !== 'number') {
		return { intervalMinutes: 0, settingMinutes: 0, walkPerPass: 0, heldBytes, note: `GET rooms/index answered ${answer.status}` };
	}
	return {
		intervalMinutes: reconcile.intervalMinutes,
		settingMinutes: Number(reconcile.settingMinutes),
		walkPerPass: Number(reconcile.walkPerPass),
		heldBytes,
	};
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

/** Starts the workspace, measures every step above, and always stops everything. */
export async function workspacePhase(options: PhaseOptions): Promise<WorkspaceFigures> {
	const started = now();
	options.log('  cold start: installing the app, asking the endpoint every second until it answers...');
	const { running, cold } = await coldStart(options);
	const readyAt = now();
	options.log(
		`  ready after ${(cold.toReadyMs / 1000).toFixed(1)} s (${cold.answers503} answers 503, ${cold.work.roomById} getById, ${cold.work.roomListCalls} getAllRooms)`,
	);
	const appIds = [running.app.id];
	try {
		const workspace = running.workspace;
		const installed = await installFloor(workspace, options.floorZip);
		appIds.push(installed.id);
		const pid = workspace.runtimePid();
		if (pid === undefined || installed.pid === undefined) throw new Error('cannot find the Deno runtimes');
		const app = { id: running.app.id, pid };
		const floorApp = { id: installed.id, pid: installed.pid };
		// A runtime holding none: the floor app's, just installed, before its first pass reads any room.
		const floorPeakKib = memoryOf(floorApp.pid).peakKib;
		// Warm means up to date and settled: the journal's last buckets (10 s each) no longer hold the build's pages.
		options.log('  waiting for the journal buckets written during the build to age (2 x 10 s)...');
		await sleep(readyAt + 2 * BUCKET_MS + 1000 - now());
		const phase = new Phase(running, app, options);
		const floor = phase.floorTask(floorApp);
		const ping = phase.pingTask(floorApp);

		const warm = await queryBlock(
			phase,
			floor,
			ping,
			QUERIES.filter((query) => query.typical),
			options,
		);
		const warmPeakKib = memoryOf(pid).peakKib;
		const pagingFigures = await paging(phase, floor, app, options.data, options);
		const countsFigures = await counts(phase, app, options);

		options.log(`  freshness: ${options.changes} changes, one per second...`);
		const before = statsOf(running.state);
		const cpuBefore = { deno: cpuMsOf(pid), host: hostCpuMs() };
		const changes = await driveChanges(running, options.changes, 1000);
		const work = statsDelta(before, statsOf(running.state));
		const freshCpu = { denoCpuMs: cpuMsOf(pid) - cpuBefore.deno, hostCpuMs: hostCpuMs() - cpuBefore.host };
		const freshMismatches = await phase.check(QUERIES.filter((query) => query.paged));

		options.log('  reconciliation: deleting closed rooms (no event), then one pass through the scheduler...');
		const deleted = await deleteClosedRooms(running, 10);
		const pass = await reconcile(running, options, pid);
		const reconcileMismatches = await phase.check(QUERIES.filter((query) => query.typical));
		const upkeep = await upkeepOf(running);

		const beforeThroughputPeakKib = memoryOf(pid).peakKib;
		const durationMs = throughputMs();
		options.log(`  throughput: 8 callers at once for ${(durationMs / 1000).toFixed(0)} s, changes one a second meanwhile...`);
		const load = await throughput({
			running,
			appId: app.id,
			appUser: allRoomsUser(workspace).appUser,
			queries: QUERIES.filter((query) => query.typical),
			durationMs,
			log: phase.warm,
			check: () => phase.check(QUERIES.filter((query) => query.paged)),
			cpu: () => ({ deno: cpuMsOf(pid), host: hostCpuMs() }),
		});
		const judgedPeakKib = memoryOf(pid).peakKib;

		// Last, the bulk answers (every room at once): their memory is reported apart from the rest of the app's life.
		// Past 100,000 rooms one such answer would be gigabytes of JSON: they are not asked.
		const bulkSkipped =
			options.data.rooms.length > LARGE
				? `not asked above ${LARGE.toLocaleString('en-US')} rooms: one answer would hold every room, gigabytes of JSON`
				: undefined;
		const bulk = bulkSkipped
			? { floor: [], queries: [] }
			: await queryBlock(
					phase,
					floor,
					ping,
					QUERIES.filter((query) => !query.typical),
					{ ...options, runs: Math.min(options.runs, 3) },
				);
		options.onState?.(running.state);
		const end = memoryOf(pid);
		const memory: MemoryFigures = {
			readyPeakKib: cold.peakKibAtReady,
			warmPeakKib,
			judgedPeakKib,
			endPeakKib: end.peakKib,
			endRssKib: end.rssKib,
			beforeThroughputPeakKib,
			floorPeakKib,
			pid,
		};
		return {
			cold,
			ping: warm.ping,
			floor: summarize([...warm.floor, ...bulk.floor].map((sample) => sample.wall)),
			floorTotal: warm.floorTotal,
			floorMissing: phase.floorMissing,
			bulkSkipped,
			queries: [...warm.queries, ...bulk.queries],
			paging: pagingFigures,
			counts: countsFigures,
			fresh: { changes, work, minutes: changes.elapsedMs / 60_000, ...freshCpu, mismatches: freshMismatches },
			reconcile: { ...pass, deleted, mismatches: reconcileMismatches },
			throughput: load,
			upkeep,
			memory,
			warmCalls: {
				calls: phase.warm.count(),
				failures: phase.warm.failures().map((r) => `${r.path} ${r.status} after ${(r.ms / 1000).toFixed(1)} s: ${r.error ?? ''}`),
				slowestMs: phase.warm.slowest(),
			},
			elapsed: now() - started,
		};
	} finally {
		stopWatchdogs(running.workspace, appIds);
		await running.stop();
	}
}
