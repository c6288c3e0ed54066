/**
 * The index's compact copy (`roomColumns.ts`, behind `RoomIndex`) against the plainest model of it: a map of whole
 * documents with the same rule for versions. Every query and count answered from views and packed documents must be
 * the one a plain filter, sort and count of the documents gives; every document must come back exactly as it went in.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';

import { zlibPacker } from '../../src/engine/zlibPacker';
import { countRoomSet, RoomIndex, searchRooms, searchRoomSet, updatedAtOf } from '../../src/index/RoomIndex';
import { parseRoomQuery } from '../../src/query/fromParams';
import type { RoomQuery } from '../../src/query/RoomQuery';
import { countFiltersFor, countRooms } from '../../src/rooms/counts';
import type { RoomDocument } from '../../src/rooms/RoomDocument';
import { queryArbitrary, roomArbitrary } from './fixtures';

/** The model: whole documents by id, the later `_updatedAt` winning, a tie going to another department. */
function model(rooms: readonly RoomDocument[]): Map<string, RoomDocument> {
	const held = new Map<string, RoomDocument>();
	for (const room of rooms) {
		const current = held.get(room._id);
		if (current && (updatedAtOf(current) > updatedAtOf(room) || (updatedAtOf(current) === updatedAtOf(room) && current.departmentId === room.departmentId)))
			continue;
		held.set(room._id, room);
	}
	return held;
}

function indexOf(rooms: readonly RoomDocument[], packed = true): RoomIndex {
	const index = new RoomIndex(packed ? zlibPacker : undefined);
	for (const room of rooms) index.apply(room);
	return index;
}

const byId = (a: RoomDocument, b: RoomDocument): number => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

const FILTERS = [
	'{"livechatData.plan":"gold"}',
	'{"$or":[{"tags":"vip"},{"servedBy.username":"maria"}]}',
	'{"ts":{"$gte":{"$date":"2024-01-03T00:00:00Z"}}}',
	'{"v.username":"guest-1"}',
	'{"msgs":{"$gt":5}}',
	'{"onHold":{"$ne":true},"open":{"$exists":true}}',
	'{"servedBy.ts":{"$gte":{"$date":"2024-01-02T00:00:00Z"}}}',
	'{"servedBy._id":"agent1","tags":"vip"}',
	'{"livechatData.plan":{"$exists":false},"livechatData.a.tier":"gold"}',
	'{"$or":[{"livechatData.plan.1":"gold"},{"livechatData":{"$size":1}}]}',
	'{"$or":[{"tags":"vip"},{"msgs":{"$gt":10}}],"ts":{"$gte":{"$date":"2024-01-02T00:00:00Z"}}}',
	'{"$and":[{"v.username":"guest-1"},{"$or":[{"servedBy.ts":{"$exists":true}},{"open":true}]}],"msgs":{"$lt":15}}',
];

const withFilter = fc.tuple(queryArbitrary, fc.option(fc.constantFrom(...FILTERS), { nil: undefined })).map(([query, filter]) => {
	if (filter === undefined) return query;
	const parsed = parseRoomQuery({ query: filter });
	if (!parsed.ok) throw new Error(parsed.error.error);
	return { ...query, filter: parsed.value.filter, filterPaths: parsed.value.filterPaths, filterParts: parsed.value.filterParts } as RoomQuery;
});

describe('the compact copy answers as the whole documents do', () => {
	test('every query: the same page (whole documents) and total; every count the same', () => {
		fc.assert(
			fc.property(fc.array(roomArbitrary, { maxLength: 60 }), withFilter, fc.boolean(), (rooms, query, packed) => {
				const docs = [...model(rooms).values()];
				const index = indexOf(rooms, packed);
				expect(searchRoomSet(query, index)).toEqual(searchRooms(query, docs));
				expect(countRoomSet(query, index)).toEqual(countRooms(docs, countFiltersFor(query)));
			}),
			{ numRuns: 400 },
		);
	});

	test('a room whose creation date is not a date is counted as a pass over the documents counts it (the agent named by the room seen first)', () => {
		const at = (day: number) => new Date(Date.UTC(2024, 0, day));
		const agent = { _id: 'agent1', username: 'maria' };
		for (const ts of ['2024-01-05', 7, null, undefined]) {
			const rooms = [
				{ _id: 'r2', t: 'l', ts, open: true, servedBy: { ...agent, username: 'maria2' }, fname: 'Two' },
				{ _id: 'r1', t: 'l', ts: at(2), open: true, servedBy: agent, fname: 'One' },
				{ _id: 'r3', t: 'l', ts: at(3), open: true, fname: 'Three', queuedAt: at(3) },
				{ _id: 'r4', t: 'l', ts, open: true, fname: 'Four' },
			] as unknown as RoomDocument[];
			const index = indexOf(rooms);
			for (const query of [{}, { queued: true }, { open: true }]) {
				const full = { offset: 0, count: 25, sort: [['ts', -1]], ...query } as unknown as RoomQuery;
				expect(index.count(full)).toEqual(countRooms(rooms, countFiltersFor(full)));
			}
		}
	});

	test('the paths of the columns themselves: every room dated (counts by code), odd values in the other dates, one-key sorts on columns', () => {
		// (An invalid date is left out: jest never finds two of them equal.)
		const odd = fc.constantFrom<unknown>('2024-01-02', 5, [new Date(1)], null);
		const dated = fc
			.tuple(
				roomArbitrary,
				fc.constantFrom(...[0, 1, 2, 3].map((day) => new Date(Date.UTC(2024, 0, 1 + day)))),
				fc.option(odd, { nil: undefined }),
				fc.boolean(),
				fc.constantFrom(undefined, 'renamed', 'a'),
			)
			.map(([room, ts, strange, queued, rename]) => {
				const out: Record<string, unknown> = { ...room, ts: room.ts ?? ts };
				// An agent renamed: the same id under another username on some rooms.
				if (rename && room.servedBy) out.servedBy = { ...room.servedBy, username: rename };
				// Custom fields holding lists and sub-documents: the columns keep parts of them.
				if (rename === 'a') out.livechatData = { plan: ['x', 'gold'], a: { tier: 'gold', n: 1 } };
				if (rename === 'renamed') out.livechatData = { a: ['x', { tier: 'gold' }] };
				// Rocket.Chat stamps when the agent took the room: the columns keep only the agent of it.
				if (room.servedBy && queued) out.servedBy = { ...(out.servedBy as object), ts };
				if (strange !== undefined) out[queued ? 'queuedAt' : 'closedAt'] = strange;
				else if (queued) out.queuedAt = ts;
				return out as RoomDocument;
			});
		// At most one built-in filter, so that pages hold many rooms and their order is tested.
		const filters = ['agents', 'departmentIds', 'open', 'onHold', 'queued', 'createdAt', 'closedAt', 'tags', 'customFields', 'roomName', 'units'];
		const sorted = fc
			.tuple(
				withFilter,
				fc.subarray(filters, { maxLength: 1 }),
				fc.constantFrom(
					'ts',
					'closedAt',
					'queuedAt',
					'departmentId',
					'livechatData.plan',
					'servedBy.username',
					'servedBy.ts',
					'servedBy',
					'tags',
					'open',
					'source.type',
				),
				fc.constantFrom<1 | -1>(1, -1),
				fc.nat(3),
			)
			.map(([query, kept, path, direction, offset]) => {
				const sparse: Record<string, unknown> = {
					offset,
					count: query.count,
					sort: [[path, direction]],
					filter: query.filter,
					filterPaths: query.filterPaths,
					filterParts: query.filterParts,
				};
				for (const key of kept) sparse[key] = (query as unknown as Record<string, unknown>)[key];
				return sparse as unknown as RoomQuery;
			});
		fc.assert(
			fc.property(fc.array(dated, { maxLength: 60 }), sorted, (rooms, query) => {
				const docs = [...model(rooms).values()];
				const index = indexOf(rooms);
				expect(searchRoomSet(query, index)).toEqual(searchRooms(query, docs));
				expect(index.count(query)).toEqual(countRooms(docs, countFiltersFor(query)));
			}),
			{ numRuns: 400 },
		);
	});

	test('a filter on a field the columns do not keep reads the whole documents', () => {
		const parsed = parseRoomQuery({ query: '{"v.username":"guest-1"}' });
		if (!parsed.ok) throw new Error(parsed.error.error);
		expect(parsed.value.filterPaths).toEqual(['v.username']);
		const rooms = [
			{ _id: 'a', t: 'l', v: { username: 'guest-1' }, _updatedAt: new Date(1) },
			{ _id: 'b', t: 'l', v: { username: 'guest-2' }, _updatedAt: new Date(1) },
		] as RoomDocument[];
		expect(searchRoomSet(parsed.value, indexOf(rooms)).rooms).toEqual([rooms[0]]);
	});
});

describe('documents come back as they went in', () => {
	test('dates, odd numbers, dates that are not dates, objects that look like tags', () => {
		const odd = {
			_id: 'odd',
			t: 'l',
			ts: '2024-01-01',
			closedAt: new Date(NaN),
			_updatedAt: new Date(7),
			lm: 5,
			metrics: { chatDuration: NaN, big: Infinity, small: -Infinity, zero: -0, when: new Date(3) },
			livechatData: { $date: 'not a date' },
			source: { $object: { x: 1 } },
			tags: ['a', 'b'],
			lastMessage: { msg: 'olá 👋', ts: new Date(9) },
		} as unknown as RoomDocument;
		const index = indexOf([odd]);
		const { closedAt, ...rest } = index.get('odd') as unknown as Record<string, unknown>;
		const { closedAt: _invalid, ...expectedRest } = odd as unknown as Record<string, unknown>;
		expect(rest).toEqual(expectedRest);
		// An invalid date stays a date, and invalid (jest's toEqual tells two invalid dates apart).
		expect(Object.prototype.toString.call(closedAt)).toBe('[object Date]');
		expect(Number.isNaN((closedAt as Date).getTime())).toBe(true);
		expect(Object.is((index.get('odd') as unknown as { metrics: { zero: number } }).metrics.zero, -0)).toBe(true);
		const { closedAt: viewClosed, ...view } = index.view('odd') as unknown as Record<string, unknown>;
		expect(Number.isNaN((viewClosed as Date).getTime())).toBe(true);
		expect(view).toEqual({
			_id: 'odd',
			t: 'l',
			ts: '2024-01-01',
			_updatedAt: new Date(7),
			lm: 5,
			livechatData: { $date: 'not a date' },
			source: { $object: { x: 1 } },
			tags: ['a', 'b'],
		});
	});

	test('through many versions, deletions and repacked blocks, every room is its latest version', () => {
		const version = (i: number, round: number): RoomDocument =>
			({
				_id: `r${i}`,
				t: 'l',
				fname: `room ${i} v${round}`,
				_updatedAt: new Date(round * 10_000 + i),
				tags: [`t${round % 3}`],
				ts: new Date(i),
			}) as RoomDocument;
		const index = new RoomIndex(zlibPacker);
		const expected = new Map<string, RoomDocument>();
		const gone = new Set<string>();
		for (let i = 0; i < 1000; i++) {
			index.apply(version(i, 0));
			expected.set(`r${i}`, version(i, 0));
		}
		for (let round = 1; round < 6; round++) {
			for (let i = round; i < 1000; i += round + 1) {
				// A deleted room never comes back.
				expect(index.apply(version(i, round))).toBe(!gone.has(`r${i}`));
				if (!gone.has(`r${i}`)) expected.set(`r${i}`, version(i, round));
			}
			for (let i = round * 7; i < 1000; i += 97) {
				index.remove(`r${i}`);
				expected.delete(`r${i}`);
				gone.add(`r${i}`);
			}
		}
		expect(index.size).toBe(expected.size);
		for (const [id, room] of expected) expect(index.get(id)).toEqual(room);
		expect([...index.values()].sort(byId)).toEqual([...expected.values()].sort(byId));
		expect([...index.views()].map((view) => view.fname).sort()).toEqual([...expected.values()].map((room) => room.fname).sort());
	});
});
