/** The search over the index's rooms: a bounded selection that equals filter + full sort + slice, and upstream's query. */
import fc from 'fast-check';
import mingo from 'mingo';

import { BestRooms } from '../../src/index/BestRooms';
import { searchRooms } from '../../src/index/RoomIndex';
import type { RoomQuery } from '../../src/query/RoomQuery';
import { compileMatcher } from '../../src/rooms/match';
import { compareRooms } from '../../src/rooms/order';
import type { RoomDocument } from '../../src/rooms/RoomDocument';
import { mongoFilter } from '../reference/mongoQuery';
import { queryArbitrary, roomArbitrary } from './fixtures';

const base: RoomQuery = { offset: 0, count: 50, sort: [['ts', -1]] };
const q = (extra: Partial<RoomQuery>): RoomQuery => ({ ...base, ...extra });

function numbered(count: number, fields: (i: number) => Partial<RoomDocument> = () => ({})): RoomDocument[] {
	return Array.from({ length: count }, (_, i) => ({ _id: `r${String(i).padStart(4, '0')}`, t: 'l', ts: new Date(Date.UTC(2024, 0, 1, 0, i)), ...fields(i) }));
}

const ids = (rooms: readonly RoomDocument[]) => rooms.map((room) => room._id);

/** What the search must answer: filter, full sort, slice. */
function expected(rooms: RoomDocument[], query: RoomQuery): { ids: string[]; total: number } {
	const matcher = compileMatcher(query);
	const all = rooms.filter((room) => room.t === 'l' && matcher(room)).sort(compareRooms(query.sort));
	const end = query.count === 0 ? all.length : query.offset + query.count;
	return { ids: ids(all.slice(query.offset, end)), total: all.length };
}

describe('searchRooms', () => {
	it('answers the requested page in order, with the total of all matches', () => {
		const rooms = numbered(120);
		const { rooms: page, total } = searchRooms(q({ offset: 10, count: 5 }), rooms);
		expect(total).toBe(120);
		expect(ids(page)).toEqual(['r0109', 'r0108', 'r0107', 'r0106', 'r0105']);
		expect(page[0]).toBe(rooms[109]);
	});

	it('count=0 answers every match from the offset; an offset past the end answers none but the total', () => {
		const every = searchRooms(q({ count: 0, offset: 115, sort: [['ts', 1]] }), numbered(120));
		expect(ids(every.rooms)).toEqual(['r0115', 'r0116', 'r0117', 'r0118', 'r0119']);
		const past = searchRooms(q({ offset: 1000 }), numbered(30));
		expect(past).toEqual({ rooms: [], total: 30 });
	});

	it('ignores rooms that are not livechat rooms', () => {
		const rooms = [...numbered(3), { _id: 'c1', t: 'c' }];
		expect(searchRooms(base, rooms).total).toBe(3);
	});

	it('BestRooms never holds more than its limit and keeps the best ones', () => {
		fc.assert(
			fc.property(fc.array(fc.nat(50)), fc.integer({ min: 1, max: 10 }), (values, limit) => {
				const compare = compareRooms([['msgs', 1]]);
				const best = new BestRooms(compare, limit);
				const rooms = values.map((msgs, i) => ({ _id: String(i).padStart(3, '0'), t: 'l', msgs }));
				for (const room of rooms) {
					best.offer(room);
					expect(best.size).toBeLessThanOrEqual(limit);
				}
				expect(best.sorted()).toEqual([...rooms].sort(compare).slice(0, limit));
			}),
			{ numRuns: 300 },
		);
	});

	it('pages over ties never overlap or skip a room', () => {
		const rooms = numbered(95, (i) => ({ ts: new Date(Date.UTC(2024, 0, 1 + (i % 3))), fname: i % 2 ? 'same' : undefined }));
		const shuffled = [...rooms].sort((a, b) => (a._id.split('').reverse().join() < b._id.split('').reverse().join() ? -1 : 1));
		for (const sort of [
			[['ts', -1]],
			[['fname', 1]],
			[
				['fname', -1],
				['ts', 1],
			],
		] as const) {
			const seen: string[] = [];
			for (let offset = 0; offset < 95; offset += 10) seen.push(...ids(searchRooms(q({ sort, offset, count: 10 }), shuffled).rooms));
			expect(seen).toEqual(ids([...rooms].sort(compareRooms(sort))));
		}
	});

	it('equals filter + full sort + slice on random rooms and queries', () => {
		fc.assert(
			fc.property(fc.uniqueArray(roomArbitrary, { selector: (room) => room._id, maxLength: 60 }), queryArbitrary, (rooms, query) => {
				const answer = searchRooms(query, rooms);
				const want = expected(rooms, query);
				expect(answer.total).toBe(want.total);
				expect(ids(answer.rooms)).toEqual(want.ids);
			}),
			{ numRuns: 300 },
		);
	});

	it('selects the same rooms as upstream MongoDB query run by mingo', () => {
		fc.assert(
			fc.property(fc.uniqueArray(roomArbitrary, { selector: (room) => room._id, maxLength: 40 }), queryArbitrary, (rooms, query) => {
				const answer = searchRooms({ ...query, count: 0, offset: 0 }, rooms);
				const oracle = mingo.find(rooms, mongoFilter(query)).all() as RoomDocument[];
				expect(answer.total).toBe(oracle.length);
				expect(new Set(ids(answer.rooms))).toEqual(new Set(ids(oracle)));
			}),
			{ numRuns: 200 },
		);
	});
});
