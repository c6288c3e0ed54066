/**
 * Plain-data helpers for the core's unit tests: Rocket.Chat's raw room converter (the forward direction
 * `roomFromEngine` inverts, as the local workspace copies it), realistic livechat room documents, random rooms and queries for
 * property tests, an in-memory `RoomPages` and fake `Sources`. Upstream's MongoDB query for a `RoomQuery` (the
 * independent oracle, evaluated by mingo) is `test/reference/mongoQuery.ts`, shared with the bench.
 */
import fc from 'fast-check';

import type { AccessRoles } from '../../src/access/access';
import type { RoomQuery } from '../../src/query/RoomQuery';
import type { EngineRoom } from '../../src/rooms/EngineRoom';
import type { RoomDocument } from '../../src/rooms/RoomDocument';
import type { DepartmentLookup, RoomSource, Sources } from '../../src/ports';
import { convertRoomToAppRaw } from '../../workspace/engine/converter';

/** What the engine hands the app for a stored room: the local workspace's copy of Rocket.Chat's raw converter. */
export function convertToEngine(room: Record<string, unknown>): EngineRoom {
	return convertRoomToAppRaw(room);
}

/** The same room after a JSON hop (what a subprocess runtime may deliver): dates become ISO strings, undefined goes. */
export function jsonHop<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

/** The seed's success example, as stored. */
export function seedRoom(): RoomDocument {
	return {
		_id: '9dQMveZhqxiDgCM3B',
		msgs: 1,
		usersCount: 1,
		lm: new Date('2019-08-09T20:18:02.350Z'),
		fname: 'Marcos Defendi',
		t: 'l',
		ts: new Date('2019-08-09T20:18:02.108Z'),
		v: { _id: 'xh45w4y7oPW5SiMJu', username: 'guest-4', token: 'xn5hdkyptei11m07f3me', status: 'online' },
		servedBy: { _id: '3kyWm8PsmwhC7xgwg', username: 'marcos' },
		cl: false,
		open: true,
		waitingResponse: true,
		departmentId: 'xnmXQmytuvxp2TuSC',
		_updatedAt: new Date('2019-08-09T20:19:34.856Z'),
		lastMessage: {
			_id: 'TBEz7zSCBaKsfyrzc',
			rid: '9dQMveZhqxiDgCM3B',
			msg: 'Hello',
			token: 'xn5hdkyptei11m07f3me',
			alias: 'Marcos Defendi',
			ts: new Date('2019-08-09T20:18:02.350Z'),
			u: { _id: 'xh45w4y7oPW5SiMJu', username: 'guest-4', name: 'Marcos Defendi' },
			_updatedAt: new Date('2019-08-09T20:18:02.383Z'),
			mentions: [],
			channels: [],
			newRoom: false,
			showConnecting: false,
		},
		metrics: { v: { lq: new Date('2019-08-09T20:18:02.350Z') } },
		livechatData: { docId: '0310584343112' },
		tags: ['rocket', 'chat'],
		name: 'Marcos Defendi',
	};
}

/** A closed room with most of the fields a Rocket.Chat 6.x/7.x livechat room carries. */
export function closedRoom(): RoomDocument {
	return {
		_id: 'closed1',
		t: 'l',
		fname: 'Ana Souza',
		name: 'Ana Souza',
		msgs: 12,
		usersCount: 2,
		lm: new Date('2024-03-01T10:05:00.000Z'),
		ts: new Date('2024-03-01T10:00:00.000Z'),
		_updatedAt: new Date('2024-03-01T11:00:00.000Z'),
		v: { _id: 'visitor1', username: 'guest-17', token: 'tok17', status: 'offline', lastMessageTs: new Date('2024-03-01T10:04:00.000Z') },
		servedBy: { _id: 'agent1', username: 'maria' },
		closedBy: { _id: 'agent1', username: 'maria' },
		responseBy: { _id: 'agent1', username: 'maria' },
		u: { _id: 'rocket.cat', username: 'rocket.cat' },
		closedAt: new Date('2024-03-01T11:00:00.000Z'),
		closer: 'user',
		waitingResponse: true,
		departmentId: 'sales',
		departmentAncestors: ['unitA'],
		tags: ['billing'],
		livechatData: { docId: 'ABC-123', plan: 'Gold' },
		source: { type: 'widget', alias: 'site' },
		metrics: { chatDuration: 3600, serviceTimeDuration: 3000, response: { avg: 5, ft: 5, total: 1 } },
		queuedAt: new Date('2024-03-01T10:00:01.000Z'),
		priorityWeight: 3,
		contactId: 'contact1',
		uids: ['agent1'],
		sysMes: false,
		cl: false,
	};
}

const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const NAMES = ['Marcos Defendi', 'marcos', 'Ana', 'ANA souza', 'Zé', 'bob', 'Bob [bot]', 'a.b*c'];
const DEPARTMENTS = ['sales', 'support', 'undefined'];
const AGENTS = [
	{ _id: 'agent1', username: 'maria' },
	{ _id: 'agent2', username: 'joao' },
	{ _id: 'agent3', username: 'agent1' },
];
const TAGS = ['rocket', 'chat', 'billing', 'vip'];
const UNITS = ['unitA', 'unitB'];
const TIMES = [0, 1, 2, 3, 4, 5].map((day) => Date.UTC(2024, 0, 1 + day));

const date = fc.constantFrom(...TIMES).map((time) => new Date(time));
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

/** fast-check builds records without a prototype; stored rooms are plain objects. */
function plain(value: unknown): unknown {
	if (value === null || typeof value !== 'object' || value instanceof Date || Array.isArray(value)) return value;
	return { ...(value as Record<string, unknown>) };
}

/** A random livechat room as stored (no `null`s: stored rooms leave fields out). */
export const roomArbitrary: fc.Arbitrary<RoomDocument> = fc
	.record({
		_id: fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom(...IDS) }),
		fname: optional(fc.constantFrom(...NAMES)),
		msgs: fc.nat(20),
		ts: optional(date),
		_updatedAt: date,
		lm: optional(date),
		v: fc.record({ _id: fc.constantFrom('v1', 'v2'), username: fc.constantFrom('guest-1', 'guest-2'), token: fc.constant('t') }),
		servedBy: optional(fc.constantFrom(...AGENTS)),
		open: optional(fc.constant(true)),
		waitingResponse: optional(fc.boolean()),
		onHold: optional(fc.boolean()),
		closedAt: optional(date),
		departmentId: optional(fc.constantFrom(...DEPARTMENTS)),
		departmentAncestors: optional(fc.subarray(UNITS)),
		tags: optional(fc.subarray(TAGS)),
		livechatData: optional(fc.dictionary(fc.constantFrom('docId', 'plan', 'a'), fc.constantFrom('ABC-123', 'gold', 'Gold plan', 'x.y', 'a'))),
		usersCount: optional(fc.nat(3)),
		priorityWeight: optional(fc.integer({ min: -1, max: 2 })),
	})
	.map((fields) => {
		const room: Record<string, unknown> = { t: 'l' };
		for (const [key, value] of Object.entries(fields)) if (value !== undefined) room[key] = plain(value);
		return room as RoomDocument;
	});

const list = <T>(values: readonly T[]) => fc.uniqueArray(fc.constantFrom(...values), { maxLength: 3 });
const range = fc
	.record({ start: optional(date), end: optional(date) })
	.filter((r) => r.start !== undefined || r.end !== undefined)
	.map((r) => ({ ...(r.start && { start: r.start }), ...(r.end && { end: r.end }) }));

/** A random parsed query over the same small vocabulary as `roomArbitrary`, so filters hit and miss. */
export const queryArbitrary: fc.Arbitrary<RoomQuery> = fc
	.record({
		agents: optional(list(['agent1', 'agent2', 'maria', 'joao', 'nobody'])),
		departmentIds: optional(list(DEPARTMENTS)),
		open: optional(fc.boolean()),
		onHold: optional(fc.constant(true)),
		queued: optional(fc.constant(true)),
		createdAt: optional(range),
		closedAt: optional(range),
		tags: optional(list(TAGS)),
		customFields: optional(fc.dictionary(fc.constantFrom('docId', 'plan', 'a'), fc.constantFrom('abc', 'GOLD', '.', 'x.y', '', 'zzz'), { maxKeys: 2 })),
		roomName: optional(fc.record({ text: fc.constantFrom('marcos', 'Marcos Defendi', 'ana', 'Zé', '[bot]', '*', ''), exact: fc.boolean() })),
		units: optional(list(UNITS)),
		offset: fc.nat(12),
		count: fc.nat(8),
		sort: fc.uniqueArray(
			fc.tuple(
				fc.constantFrom('ts', 'fname', 'servedBy.username', 'tags', 'msgs', 'onHold', 'missing', 'v.username', '_id'),
				fc.constantFrom<1 | -1>(1, -1),
			),
			{ maxLength: 3, selector: ([path]) => path },
		),
	})
	.map((fields) => {
		const query: Record<string, unknown> = {};
		for (const [key, value] of Object.entries(fields)) if (value !== undefined) query[key] = value;
		return query as unknown as RoomQuery;
	});

/** A rooms source over room documents already in memory (as the app's index holds them). */
export function roomsOf(rooms: readonly RoomDocument[]): RoomSource {
	return { current: async () => ({ ok: true, rooms: { values: () => rooms, size: rooms.length } }) };
}

/** `Sources` on plain data, as the engine's are wired; `logged` holds what was logged. */
export function fakeSources(parts: {
	roles: () => Promise<AccessRoles>;
	rooms: RoomSource;
	departments: DepartmentLookup;
	siteUrl?: () => Promise<string>;
	enabledDepartments?: Sources['enabledDepartments'];
}): Sources & { readonly logged: Array<[string, unknown]> } {
	const logged: Array<[string, unknown]> = [];
	return {
		roles: parts.roles,
		rooms: parts.rooms,
		departments: parts.departments,
		siteUrl: parts.siteUrl ?? (async () => ''),
		enabledDepartments: parts.enabledDepartments ?? (async () => []),
		logError: (message, error) => {
			logged.push([message, error]);
		},
		logged,
	};
}
