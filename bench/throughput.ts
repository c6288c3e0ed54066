/**
 * Throughput: `CALLERS` callers at once, each sending the typical queries (`queries.ts`, `typical: true`) one after
 * another, taken round robin from one shared turn, for `durationMs`: answers a second, and each answer's time. Meanwhile
 * real changes, one a second, through the omnichannel REST actions of the same instance (`changes.ts`); after each
 * action answers, the app's endpoint is asked for that room (`query={"_id": ...}`) until it answers with the room's
 * `_updatedAt` as the store now holds it: the delay until the change is in that instance's answers. Then every paged
 * query is checked against the store.
 */
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { RunningWorkspace } from '../workspace/index';
import type { Change, ChangeFigures } from './changes';
import { driveChanges } from './changes';
import type { CallLog } from './endpoint';
import { callApp, getRequest } from './endpoint';
import type { BenchQuery } from './queries';
import { params } from './queries';
import { now } from './stats';

/** Callers at once (issue 16). */
export const CALLERS = 8;
/** How long they call, ms: `BENCH_THROUGHPUT_S` seconds, 60 unless set. */
export function throughputMs(): number {
	const seconds = Number(process.env.BENCH_THROUGHPUT_S);
	return (Number.isFinite(seconds) && seconds > 0 ? seconds : 60) * 1000;
}

/** A change not in the answers after this long is reported as never seen. */
const SEEN_LIMIT_MS = 30_000;
/** Pause between two looks at a changed room. */
const POLL_MS = 10;

export interface QueryLoad {
	readonly label: string;
	readonly answers: number;
	readonly medianMs: number;
	readonly slowestMs: number;
}

export interface ChangeSeen {
	readonly kind: string;
	/** From the action's answer to the endpoint's first answer showing the change, ms; -1 if never (within 30 s). */
	readonly delayMs: number;
	/** The action itself (the app's listeners run inside it), ms. */
	readonly actionMs: number;
	/** Endpoint calls it took. */
	readonly looks: number;
}

export interface ThroughputFigures {
	readonly callers: number;
	/** From the first call to the last answer, ms. */
	readonly elapsedMs: number;
	/** Answers 200 to the callers (the looks at changed rooms not counted), and per second of `elapsedMs`. */
	readonly answers: number;
	readonly perSecond: number;
	/** Answer times of the callers' calls, ms: median, 95th and 99th percentile, slowest (and which query). */
	readonly medianMs: number;
	readonly p95Ms: number;
	readonly p99Ms: number;
	readonly slowestMs: number;
	readonly slowestLabel: string;
	readonly byQuery: QueryLoad[];
	/** Callers' calls that did not answer 200. */
	readonly failures: string[];
	readonly changes: ChangeFigures;
	readonly seen: ChangeSeen[];
	/** Where the answers after the load differ from the store. */
	readonly mismatches: string[];
	/** CPU time over the load: the app's Deno runtime and the host, ms. */
	readonly denoCpuMs: number;
	readonly hostCpuMs: number;
}

/** The `p` quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return 0;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** `_updatedAt` as the endpoint writes it (ISO text, extended JSON or a number), in ms since the epoch. */
function timeOf(value: unknown): number {
	if (value instanceof Date) return value.getTime();
	if (typeof value === 'string') return Date.parse(value);
	if (typeof value === 'number') return value;
	if (value !== null && typeof value === 'object' && '$date' in value) return timeOf((value as { $date: unknown }).$date);
	return NaN;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export interface ThroughputOptions {
	readonly running: RunningWorkspace;
	readonly appId: string;
	readonly appUser: IUser;
	readonly queries: readonly BenchQuery[];
	readonly durationMs: number;
	/** Every call to the app is logged there too (the report's calls after ready). */
	readonly log: CallLog;
	/** The endpoint's answers against the store, after the load. */
	readonly check: () => Promise<string[]>;
	readonly cpu: () => { deno: number; host: number };
}

/** Asks the endpoint for the changed room until it shows the store's version of it. */
async function lookUntilSeen(options: ThroughputOptions, change: Change): Promise<ChangeSeen> {
	const { running, appId, appUser, log } = options;
	const expected = timeOf(running.state.findRoom(change.roomId)?._updatedAt);
	const query = { query: JSON.stringify({ _id: change.roomId }), fields: JSON.stringify({ _updatedAt: 1 }) };
	let looks = 0;
	while (now() - change.answeredAt < SEEN_LIMIT_MS) {
		looks++;
		const answer = await callApp(running.workspace, appId, 'rooms', getRequest(query, appUser), log);
		const rooms = Array.isArray(answer.body.rooms) ? (answer.body.rooms as Array<{ _updatedAt?: unknown }>) : [];
		if (answer.status === 200 && rooms.length === 1 && timeOf(rooms[0]._updatedAt) >= expected) {
			return { kind: change.kind, delayMs: now() - change.answeredAt, actionMs: change.answeredAt - change.sentAt, looks };
		}
		await sleep(POLL_MS);
	}
	return { kind: change.kind, delayMs: -1, actionMs: change.answeredAt - change.sentAt, looks };
}

export async function throughput(options: ThroughputOptions): Promise<ThroughputFigures> {
	const { running, appId, appUser, queries, durationMs, log } = options;
	const requests = queries.map((query) => getRequest(params(query), appUser));
	const times: number[][] = queries.map(() => []);
	const failures: string[] = [];
	let turn = 0;
	const cpuStart = options.cpu();
	const begin = now();
	const end = begin + durationMs;
	const caller = async (): Promise<void> => {
		while (now() < end) {
			const i = turn++ % queries.length;
			const answer = await callApp(running.workspace, appId, 'rooms', requests[i], log);
			if (answer.status === 200) times[i].push(answer.ms);
			else failures.push(`${queries[i].label}: ${answer.status} after ${answer.ms.toFixed(0)} ms ${JSON.stringify(answer.body).slice(0, 120)}`);
		}
	};
	const looks: Array<Promise<ChangeSeen>> = [];
	const changing = driveChanges(running, Math.max(1, Math.floor(durationMs / 1000)), 1000, (change) => {
		looks.push(lookUntilSeen(options, change));
	});
	await Promise.all(Array.from({ length: CALLERS }, caller));
	const elapsedMs = now() - begin;
	const cpuEnd = options.cpu();
	const changes = await changing;
	const seen = await Promise.all(looks);
	const all = times.flat().sort((a, b) => a - b);
	const slowestAt = times.findIndex((list) => list.some((ms) => ms === all[all.length - 1]));
	return {
		callers: CALLERS,
		elapsedMs,
		answers: all.length,
		perSecond: all.length / (elapsedMs / 1000),
		medianMs: quantile(all, 0.5),
		p95Ms: quantile(all, 0.95),
		p99Ms: quantile(all, 0.99),
		slowestMs: all.length ? all[all.length - 1] : 0,
		slowestLabel: slowestAt >= 0 ? queries[slowestAt].label : '-',
		byQuery: queries.map((query, i) => {
			const sorted = [...times[i]].sort((a, b) => a - b);
			return { label: query.label, answers: sorted.length, medianMs: quantile(sorted, 0.5), slowestMs: sorted[sorted.length - 1] ?? 0 };
		}),
		failures,
		changes,
		seen,
		mismatches: await options.check(),
		denoCpuMs: cpuEnd.deno - cpuStart.deno,
		hostCpuMs: cpuEnd.host - cpuStart.host,
	};
}
