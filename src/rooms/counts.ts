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
import { compareStrings, compareValues } from './order';
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

interface AgentTally {
	count: number;
	username: string | null;
	/** `ts` of the room the username came from. */
	seen: number;
}

/**
 * The counts over `rooms` (the livechat rooms the caller may see, any order), in one pass: each room is tested
 * against the non-status filters once and, when it passes, against the request's status filters.
 */
export function countRooms(rooms: Iterable<RoomDocument>, filters: CountFilters): RoomCounts {
	const status: Record<RoomStatus, number> = { queued: 0, open: 0, onhold: 0, closed: 0 };
	const departments = new Map<string | null, number>();
	const agents = new Map<string | null, AgentTally>();
	const tags = new Map<string, number>();
	const sources = new Map<string | null, number>();
	let total = 0;
	let waiting = 0;
	let longest: RoomDocument | undefined;
	let longestSince = NaN;

	for (const room of rooms) {
		if (!filters.matchesOthers(room)) continue;
		const state = roomStatus(room);
		if (state !== undefined) status[state]++;
		if (!filters.matchesStatus(room)) continue;
		total++;

		const departmentId = textOrNull(room.departmentId);
		departments.set(departmentId, (departments.get(departmentId) ?? 0) + 1);

		const servedBy = room.servedBy;
		const agentId = servedBy !== null && typeof servedBy === 'object' ? textOrNull(servedBy._id) : null;
		const username = agentId !== null ? textOrNull(servedBy!.username) : null;
		const ts = timeOf(room.ts);
		const agent = agents.get(agentId);
		if (agent === undefined) agents.set(agentId, { count: 1, username, seen: username === null ? -Infinity : ts });
		else {
			agent.count++;
			if (username !== null && (agent.username === null || ts > agent.seen || (ts === agent.seen && compareStrings(username, agent.username) < 0))) {
				agent.username = username;
				agent.seen = ts;
			}
		}

		const roomTags: unknown = room.tags;
		if (Array.isArray(roomTags)) {
			for (let i = 0; i < roomTags.length; i++) {
				const tag = roomTags[i];
				if (typeof tag === 'string' && roomTags.indexOf(tag) === i) tags.set(tag, (tags.get(tag) ?? 0) + 1);
			}
		}

		const source = room.source;
		const type = source !== null && typeof source === 'object' && !Array.isArray(source) ? textOrNull((source as Record<string, unknown>).type) : null;
		sources.set(type, (sources.get(type) ?? 0) + 1);

		if (state === 'queued') {
			waiting++;
			const since = waitingSince(room)?.getTime() ?? NaN;
			if (longest === undefined || isEarlier(since, room._id, longestSince, longest._id)) {
				longest = room;
				longestSince = since;
			}
		}
	}

	return {
		total,
		status,
		departments: [...departments].map(([_id, count]) => ({ _id, count })).sort(byCountThenKey((entry) => entry._id)),
		agents: [...agents].map(([_id, tally]) => ({ _id, username: tally.username, count: tally.count })).sort(byCountThenKey((entry) => entry._id)),
		tags: [...tags].map(([tag, count]) => ({ tag, count })).sort(byCountThenKey((entry) => entry.tag)),
		sources: [...sources].map(([type, count]) => ({ type, count })).sort(byCountThenKey((entry) => entry.type)),
		waiting: {
			count: waiting,
			longest:
				longest === undefined
					? null
					: { _id: longest._id, fname: textOrNull(longest.fname), since: Number.isNaN(longestSince) ? null : new Date(longestSince) },
		},
	};
}

/** Earlier wait first; a room with no date waits least; ties by `_id`. */
function isEarlier(since: number, id: string, otherSince: number, otherId: string): boolean {
	const known = !Number.isNaN(since);
	const otherKnown = !Number.isNaN(otherSince);
	if (known !== otherKnown) return known;
	if (known && since !== otherSince) return since < otherSince;
	return compareValues(id, otherId) < 0;
}
