/**
 * `GET rooms/counts` (docs/endpoint.md, "`GET rooms/counts`"): the counts over the rooms a `rooms` request selects, in one pass.
 *
 * - `total`: the rooms matching every filter (what `rooms` answers as `total`).
 * - `status.<s>`: what `rooms` would answer as `total` with `queued=true` / `open=true` / `onhold=true` /
 *   `open=false` in place of the request's own `open`, `onhold` and `queued`: the rooms matching every other filter,
 *   classified as `roomStatus` (`status.ts`) does, by the matcher `rooms` uses. The four are disjoint (open needs `servedBy`, queued
 *   needs none; closed needs no `open` field; only onhold allows `onHold: true`), but a room may be in none of them
 *   (an open room with no agent that is on hold is only in `onhold`; `open: false` with no agent is in none).
 * - `departments`, `agents`, `sources`, `tags`, `waiting`: over the rooms matching every filter.
 *   Rooms without a department / agent / source are counted under `null`; each distinct tag of a room counts once
 *   for that room. Every list is sorted by count descending, then by key ascending in MongoDB's order (`null`
 *   first, strings by code point).
 * - `waiting`: the matching rooms that `queued=true` would keep (so none when the request asks for `open=true`,
 *   `onhold=true` or `open=false`); `longest` is the one with the earliest `queuedAt` (else `ts`; rooms with neither
 *   come last), ties by `_id`; `since` is that date.
 * - An agent's `username` is the one on the most recent of their rooms (by `ts`), so a renamed agent shows the new
 *   name; `null` when none of their rooms has one.
 */
import type { RoomQuery } from '../query/RoomQuery';
import { compileMatcher } from './match';
import { compareStrings, compareValues } from '../values/bsonOrder';
import type { RoomDocument } from './RoomDocument';
import type { RoomStatus } from './status';
import { roomStatus, waitingSince } from './status';

export interface RoomCounts {
	total: number;
	status: Record<RoomStatus, number>;
	/** By `departmentId`; the caller names them (a lookup the counting does not wait for). */
	departments: Array<{ _id: string | null; count: number }>;
	agents: Array<{ _id: string | null; username: string | null; count: number }>;
	tags: Array<{ tag: string; count: number }>;
	sources: Array<{ type: string | null; count: number }>;
	waiting: { count: number; longest: { _id: string; fname: string | null; since: Date | null } | null };
}

/** What one pass needs, apart from the rooms. */
export interface CountFilters {
	/** Every filter of the request (scope and `query` included) except `open`, `onhold` and `queued`. */
	readonly matchesOthers: (room: RoomDocument) => boolean;
	/** The request's `open`, `onhold` and `queued` alone (always true when it has none of them). */
	readonly matchesStatus: (room: RoomDocument) => boolean;
}

const PAGE = { offset: 0, count: 0, sort: [] } as const;

/** The filters of one request, split as `countRooms` needs them, with the matcher `rooms` uses. */
export function countFiltersFor(query: RoomQuery): CountFilters {
	const others: RoomQuery = { ...query, open: undefined, onHold: undefined, queued: undefined };
	const hasStatus = query.open !== undefined || query.onHold !== undefined || query.queued !== undefined;
	return {
		matchesOthers: compileMatcher(others),
		matchesStatus: hasStatus ? compileMatcher({ ...PAGE, open: query.open, onHold: query.onHold, queued: query.queued }) : () => true,
	};
}

function textOrNull(value: unknown): string | null {
	return typeof value === 'string' ? value : null;
}

function timeOf(value: unknown): number {
	return value instanceof Date ? value.getTime() : NaN;
}

/** Count descending, then key ascending (MongoDB order: `null` first). */
function byCountThenKey<T extends { count: number }>(key: (entry: T) => unknown): (a: T, b: T) => number {
	return (a, b) => b.count - a.count || compareValues(key(a), key(b));
}

/** The key a room is counted under in `departments`. */
export const departmentKey = (departmentId: unknown): string | null => textOrNull(departmentId);

/** The key a room is counted under in `agents`, and the username it offers for that agent. */
export function agentKey(servedBy: unknown): { readonly id: string | null; readonly username: string | null } {
	const id = servedBy !== null && typeof servedBy === 'object' ? textOrNull((servedBy as Record<string, unknown>)._id) : null;
	return { id, username: id !== null ? textOrNull((servedBy as Record<string, unknown>).username) : null };
}

/** The key a room is counted under in `sources`. */
export function sourceKey(source: unknown): string | null {
	return source !== null && typeof source === 'object' && !Array.isArray(source) ? textOrNull((source as Record<string, unknown>).type) : null;
}

/** The tags a room is counted under: each distinct string once. */
export function tagKeys(tags: unknown): string[] {
	if (!Array.isArray(tags)) return [];
	return tags.filter((tag, i): tag is string => typeof tag === 'string' && tags.indexOf(tag) === i);
}

export interface AgentTally {
	count: number;
	username: string | null;
	/** `ts` of the room the username came from. */
	seen: number;
}

/** Takes a room's username for its agent when it comes from a later room (`ts`), ties to the smaller name. */
export function offerUsername(agent: AgentTally, username: string | null, ts: number): void {
	if (username !== null && (agent.username === null || ts > agent.seen || (ts === agent.seen && compareStrings(username, agent.username) < 0))) {
		agent.username = username;
		agent.seen = ts;
	}
}

/** What the counts add up, before they are sorted into lists. */
export interface CountTally {
	total: number;
	readonly status: Record<RoomStatus, number>;
	readonly departments: Map<string | null, number>;
	readonly agents: Map<string | null, AgentTally>;
	readonly tags: Map<string, number>;
	readonly sources: Map<string | null, number>;
	waiting: number;
	longest?: { readonly _id: string; readonly fname: string | null; readonly since: number };
}

export function emptyTally(): CountTally {
	return {
		total: 0,
		status: { queued: 0, open: 0, onhold: 0, closed: 0 },
		departments: new Map(),
		agents: new Map(),
		tags: new Map(),
		sources: new Map(),
		waiting: 0,
	};
}

/** Adds `count` to a key's count. */
export function addTo<K>(counts: Map<K, number>, key: K, count = 1): void {
	counts.set(key, (counts.get(key) ?? 0) + count);
}

/** A queued room that waits since `since` (ms, `NaN`: no date) is the longest waiting if it is earlier. */
export function offerWaiting(tally: CountTally, id: string, fname: unknown, since: number): void {
	tally.waiting++;
	const longest = tally.longest;
	if (longest === undefined || isEarlier(since, id, longest.since, longest._id)) tally.longest = { _id: id, fname: textOrNull(fname), since };
}

/** The counts, as the endpoint answers them. */
export function countsOf(tally: CountTally): RoomCounts {
	const { longest } = tally;
	return {
		total: tally.total,
		status: tally.status,
		departments: [...tally.departments].map(([_id, count]) => ({ _id, count })).sort(byCountThenKey((entry) => entry._id)),
		agents: [...tally.agents].map(([_id, agent]) => ({ _id, username: agent.username, count: agent.count })).sort(byCountThenKey((entry) => entry._id)),
		tags: [...tally.tags].map(([tag, count]) => ({ tag, count })).sort(byCountThenKey((entry) => entry.tag)),
		sources: [...tally.sources].map(([type, count]) => ({ type, count })).sort(byCountThenKey((entry) => entry.type)),
		waiting: {
			count: tally.waiting,
			longest:
				longest === undefined ? null : { _id: longest._id, fname: longest.fname, since: Number.isNaN(longest.since) ? null : new Date(longest.since) },
		},
	};
}

/**
 * The counts over `rooms` (the livechat rooms the caller may see, any order), in one pass: each room is tested
 * against the non-status filters once and, when it passes, against the request's status filters.
 */
export function countRooms(rooms: Iterable<RoomDocument>, filters: CountFilters): RoomCounts {
	const tally = emptyTally();
	for (const room of rooms) {
		if (!filters.matchesOthers(room)) continue;
		const state = roomStatus(room);
		if (state !== undefined) tally.status[state]++;
		if (!filters.matchesStatus(room)) continue;
		tally.total++;
		addTo(tally.departments, departmentKey(room.departmentId));
		const { id, username } = agentKey(room.servedBy);
		const ts = timeOf(room.ts);
		const agent = tally.agents.get(id);
		if (agent === undefined) tally.agents.set(id, { count: 1, username, seen: username === null ? -Infinity : ts });
		else {
			agent.count++;
			offerUsername(agent, username, ts);
		}
		for (const tag of tagKeys(room.tags)) addTo(tally.tags, tag);
		addTo(tally.sources, sourceKey(room.source));
		if (state === 'queued') offerWaiting(tally, room._id, room.fname, waitingSince(room)?.getTime() ?? NaN);
	}
	return countsOf(tally);
}

/** Earlier wait first; a room with no date waits least; ties by `_id`. */
function isEarlier(since: number, id: string, otherSince: number, otherId: string): boolean {
	const known = !Number.isNaN(since);
	const otherKnown = !Number.isNaN(otherSince);
	if (known !== otherKnown) return known;
	if (known && since !== otherSince) return since < otherSince;
	return compareValues(id, otherId) < 0;
}
