/**
 * Which rooms a query selects: upstream's MongoDB query (`LivechatRooms.findRoomsWithCriteria`) evaluated in memory,
 * with MongoDB's semantics for each operator it uses:
 * - `open`: `open: {$exists}` plus `onHold: {$ne: true}`; `open=true` also needs `servedBy: {$exists: true}`.
 * - `onhold`: `onHold: {$eq: true}` (replaces the `$ne` that `open` adds); `queued`: `open: true`,
 *   `servedBy: {$exists: false}`, `onHold: {$ne: true}` (replaces what `open` and `onhold` set).
 * - lists (`agents`, `departmentId`, `tags`, `units`): `$in`, which on an array field matches when any element is in
 *   the list; an empty list matches nothing, like `$in: []`.
 * - `createdAt` / `closedAt`: `$gte` / `$lte` on a `Date` field; a room without that field (or with something that is
 *   not a date there) never matches, as MongoDB's type bracketing has it.
 * - `customFields`: `livechatData.<key>` (a dotted key walks into sub-documents and arrays as MongoDB does) holds a
 *   string containing the value, case-insensitively. Literal text: no RegExp is ever built from user input.
 * - `roomName`: case-insensitive substring of `fname`, or (in double quotes) `fname` equal to it.
 *
 * A field holding `null` counts as absent (the room documents here never hold `null`, see `fromEngine`).
 * Case-insensitivity folds each code point on its own (upper then lower case, kept only when that stays one code
 * point), which is what a case-insensitive regular expression does in MongoDB (PCRE) for all but a few scripts.
 *
 * Everything a query needs is prepared once (sets, folded needles, split paths); checks run cheapest first.
 */
import type { DateRange, RoomQuery } from '../query/RoomQuery';
import type { RoomDocument } from './RoomDocument';
import { anyReached } from '../values/path';
import { foldCase, linearIncludes } from '../values/text';

type Test = (value: unknown) => boolean;

function storedTime(value: unknown): number {
	return value instanceof Date ? value.getTime() : NaN;
}

/** MongoDB's leaf rule: a value matches when it, or (for an array) one of its elements, passes. */
function leafMatches(value: unknown, test: Test): boolean {
	if (test(value)) return true;
	if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) if (test(value[i])) return true;
	}
	return false;
}

function isTrue(value: unknown): boolean {
	return value === true || (Array.isArray(value) && value.includes(true));
}

function inSet(value: unknown, set: ReadonlySet<unknown>): boolean {
	if (set.has(value)) return true;
	if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) if (set.has(value[i])) return true;
	}
	return false;
}

/** Needles up to this length use the engine's own substring search, which is fastest on ordinary text. */
const SHORT_NEEDLE = 64;

function containsFolded(needle: string): Test {
	if (needle.length <= SHORT_NEEDLE) return (value) => typeof value === 'string' && foldCase(value).includes(needle);
	const includes = linearIncludes(needle);
	return (value) => typeof value === 'string' && value.length >= needle.length && includes(foldCase(value));
}

const ID_PATH = ['_id'];
const USERNAME_PATH = ['username'];

/** `servedBy._id` or `servedBy.username` in the set. */
function servedByAny(servedBy: unknown, agents: ReadonlySet<unknown>): boolean {
	if (servedBy === null || typeof servedBy !== 'object') return false;
	if (!Array.isArray(servedBy)) {
		const agent = servedBy as Record<string, unknown>;
		return inSet(agent._id, agents) || inSet(agent.username, agents);
	}
	const test = (value: unknown) => agents.has(value);
	return anyReached(servedBy, ID_PATH, test) || anyReached(servedBy, USERNAME_PATH, test);
}

/** The access scope: `servedBy` is one user reference whose `_id` is exactly this id. */
function servedByUser(servedBy: unknown, userId: string): boolean {
	return servedBy !== null && typeof servedBy === 'object' && !Array.isArray(servedBy) && (servedBy as Record<string, unknown>)._id === userId;
}

const NONE = 0;
const PRESENT = 1;
const ABSENT = 2;
const IS_TRUE = 3;
const NOT_TRUE = 4;

interface Compiled {
	readonly openRule: number;
	readonly servedByRule: number;
	readonly onHoldRule: number;
	readonly departments?: ReadonlySet<unknown>;
	readonly agents?: ReadonlySet<unknown>;
	readonly servedById?: string;
	readonly tags?: ReadonlySet<unknown>;
	readonly units?: ReadonlySet<unknown>;
	readonly createdFrom: number;
	readonly createdTo: number;
	readonly closedFrom: number;
	readonly closedTo: number;
	readonly exactName?: string;
	readonly nameTest?: Test;
	readonly customFields: ReadonlyArray<readonly [path: readonly string[], test: Test]>;
}

/** A `createdAt` / `closedAt` range as inclusive bounds in ms (an absent bound is unbounded). */
export function rangeBounds(range: DateRange | undefined): readonly [from: number, to: number] {
	const start = range?.start;
	const end = range?.end;
	return [start instanceof Date ? start.getTime() : -Infinity, end instanceof Date ? end.getTime() : Infinity];
}

/** Upstream's precedence: `queued` replaces what `open` and `onhold` set; `onhold` replaces `open`'s `$ne`. */
function prepare(query: RoomQuery): Compiled {
	let openRule = NONE;
	let servedByRule = NONE;
	let onHoldRule = NONE;
	if (query.open !== undefined) {
		openRule = query.open ? PRESENT : ABSENT;
		onHoldRule = NOT_TRUE;
		if (query.open) servedByRule = PRESENT;
	}
	if (query.onHold) onHoldRule = IS_TRUE;
	if (query.queued) {
		openRule = IS_TRUE;
		servedByRule = ABSENT;
		onHoldRule = NOT_TRUE;
	}
	const roomName = query.roomName;
	return {
		openRule,
		servedByRule,
		onHoldRule,
		departments: query.departmentIds && new Set<unknown>(query.departmentIds),
		agents: query.agents && new Set<unknown>(query.agents),
		servedById: query.servedById,
		tags: query.tags && new Set<unknown>(query.tags),
		units: query.units && new Set<unknown>(query.units),
		createdFrom: rangeBounds(query.createdAt)[0],
		createdTo: rangeBounds(query.createdAt)[1],
		closedFrom: rangeBounds(query.closedAt)[0],
		closedTo: rangeBounds(query.closedAt)[1],
		exactName: roomName && roomName.exact ? roomName.text : undefined,
		nameTest: roomName && !roomName.exact ? containsFolded(foldCase(roomName.text)) : undefined,
		customFields: Object.keys(query.customFields ?? {}).map((key) => [key.split('.'), containsFolded(foldCase(query.customFields![key]))] as const),
	};
}

function presenceHolds(rule: number, value: unknown): boolean {
	switch (rule) {
		case PRESENT:
			return value !== null && value !== undefined;
		case ABSENT:
			return value === null || value === undefined;
		case IS_TRUE:
			return isTrue(value);
		case NOT_TRUE:
			return !isTrue(value);
		default:
			return true;
	}
}

/** Whether a room document satisfies every filter of the query but `query` (`compileMatcher` adds that one). */
function compileBuiltIn(query: RoomQuery): (room: RoomDocument) => boolean {
	const c = prepare(query);
	const { openRule, servedByRule, onHoldRule, departments, agents, servedById, tags, units, exactName, nameTest, customFields } = c;
	const { createdFrom, createdTo, closedFrom, closedTo } = c;
	const hasCreated = query.createdAt !== undefined;
	const hasClosed = query.closedAt !== undefined;
	const hasName = exactName !== undefined || nameTest !== undefined;
	const customCount = customFields.length;
	return (room: RoomDocument): boolean => {
		if (openRule !== NONE && !presenceHolds(openRule, room.open)) return false;
		if (onHoldRule !== NONE && !presenceHolds(onHoldRule, room.onHold)) return false;
		const servedBy = servedByRule !== NONE || agents !== undefined || servedById !== undefined ? room.servedBy : undefined;
		if (servedById !== undefined && !servedByUser(servedBy, servedById)) return false;
		if (servedByRule !== NONE && !presenceHolds(servedByRule, servedBy)) return false;
		if (departments !== undefined && !inSet(room.departmentId, departments)) return false;
		if (agents !== undefined && !servedByAny(servedBy, agents)) return false;
		if (tags !== undefined && !inSet(room.tags, tags)) return false;
		if (units !== undefined && !inSet(room.departmentAncestors, units)) return false;
		if (hasCreated) {
			const time = storedTime(room.ts);
			if (!(time >= createdFrom && time <= createdTo)) return false;
		}
		if (hasClosed) {
			const time = storedTime(room.closedAt);
			if (!(time >= closedFrom && time <= closedTo)) return false;
		}
		if (hasName) {
			const fname: unknown = room.fname;
			if (exactName !== undefined) {
				if (fname !== exactName && !(Array.isArray(fname) && fname.includes(exactName))) return false;
			} else if (!leafMatches(fname, nameTest!)) return false;
		}
		if (customCount > 0) {
			const livechatData = room.livechatData;
			for (let i = 0; i < customCount; i++) {
				const [path, test] = customFields[i];
				if (!anyReached(livechatData, path, test)) return false;
			}
		}
		return true;
	};
}

/** Whether a room document satisfies every filter of the query (the room's type is the caller's business). */
export function compileMatcher(query: RoomQuery): (room: RoomDocument) => boolean {
	const matches = compileBuiltIn(query);
	const filter = query.filter;
	return filter === undefined ? matches : (room) => matches(room) && filter(room);
}
