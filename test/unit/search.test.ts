import fc from 'fast-check';
import mingo from 'mingo';

import type { RoomQuery } from '../../src/query/RoomQuery';
import { compileMatcher } from '../../src/rooms/match';
import { compareRooms } from '../../src/rooms/order';
import type { RoomDocument } from '../../src/rooms/RoomDocument';
import type { EngineRoom } from '../../src/rooms/EngineRoom';
import type { RoomPages } from '../../src/scan/RoomPages';
import { BestRooms, searchRooms } from '../../src/scan/search';
import { mongoFilter } from '../reference/mongoQuery';
import { convertToEngine, jsonHop, pagesOf, queryArbitrary, roomArbitrary } from './fixtures';

const base: RoomQuery = { offset: 0, count: 50, sort: [['ts', -1]] };
const q = (extra: Partial<RoomQuery>): RoomQuery => ({ ...base, ...extra });

function numbered(count: number, fields: (i: number) => Partial<RoomDocument> = () => ({})): RoomDocument[] {
	return Array.from({ length: count }, (_, i) => ({ _id: `r${String(i).padStart(4, '0')}`, t: 'l', ts: new Date(Date.UTC(2024, 0, 1, 0, i)), ...fields(i) }));
}

const engine = (rooms: RoomDocument[]) => rooms.map(convertToEngine);
const ids = (rooms: readonly RoomDocument[]) => rooms.map((room) => room._id);

/** What the search must answer: filter, full sort, slice. */
function expected(rooms: RoomDocument[], query: RoomQuery): { ids: string[]; total: number } {
	const matcher = compileMatcher(query);
	const all = rooms.filter((room) => room.t === 'l' && matcher(room)).sort(compareRooms(query.sort));
	const end = query.count === 0 ? all.length : query.offset + query.count;
	return { ids: ids(all.slice(query.offset, end)), total: all.length };
}

describe('searchRooms', () => {
	it('pages through the engine with skip/limit 100 until a short page', async () => {
		const pages = pagesOf(engine(numbered(250)));
		const { total } = await searchRooms(base, pages);
		expect(total).toBe(250);
		expect(pages.calls).toEqual([
			[0, 100],
			[100, 100],
			[200, 100],
		]);
	});

	it('asks once more after an exactly full last page', async () => {
		const pages = pagesOf(engine(numbered(200)));
		await searchRooms(base, pages);
		expect(pages.calls.map(([skip]) => skip)).toEqual([0, 100, 200]);
	});

	it('honours a smaller page size, and keeps the engine limit of 100', async () => {
		const small = pagesOf(engine(numbered(25)));
		await searchRooms(base, small, { pageSize: 10 });
		expect(small.calls).toEqual([
			[0, 10],
			[10, 10],
			[20, 10],
		]);
		const big = pagesOf(engine(numbered(5)));
		await searchRooms(base, big, { pageSize: 1000 });
		expect(big.calls).toEqual([[0, 100]]);
	});

	it('answers the requested page in order, with the total of all matches', async () => {
		const rooms = numbered(120);
		const { rooms: page, total } = await searchRooms(q({ offset: 10, count: 5 }), pagesOf(engine(rooms)));
		expect(total).toBe(120);
		expect(ids(page)).toEqual(['r0109', 'r0108', 'r0107', 'r0106', 'r0105']);
		expect(page[0]).toStrictEqual(rooms[109]);
	});

	it('count=0 answers every match from the offset', async () => {
		const { rooms, total } = await searchRooms(q({ count: 0, offset: 115, sort: [['ts', 1]] }), pagesOf(engine(numbered(120))));
		expect(total).toBe(120);
		expect(ids(rooms)).toEqual(['r0115', 'r0116', 'r0117', 'r0118', 'r0119']);
	});

	it('an offset past the end answers no rooms but the full total', async () => {
		const { rooms, total } = await searchRooms(q({ offset: 1000 }), pagesOf(engine(numbered(30))));
		expect(rooms).toEqual([]);
		expect(total).toBe(30);
	});

	it('counts only matching rooms and lists them converted to stored documents', async () => {
		const rooms = numbered(60, (i) => (i % 3 === 0 ? { open: true, servedBy: { _id: 'agent1', username: 'maria' } } : { closedAt: new Date(0) }));
		const { rooms: page, total } = await searchRooms(q({ open: true, count: 3 }), pagesOf(jsonHop(engine(rooms))));
		expect(total).toBe(20);
		expect(ids(page)).toEqual(['r0057', 'r0054', 'r0051']);
		expect(page[0].ts).toBeInstanceOf(Date);
	});

	it('ignores rooms that are not livechat rooms, and junk the reader may hand over', async () => {
		const raw: unknown[] = [...engine(numbered(3)), { id: 'd1', type: 'd' }, null, 'junk', { id: 'c1', type: 'c' }];
		const { total } = await searchRooms(base, pagesOf(raw as EngineRoom[]));
		expect(total).toBe(3);
	});

	it('counts and lists a room seen twice (moved between pages during the scan) once', async () => {
		const rooms = engine(numbered(150));
		const pages: RoomPages = {
			async page(skip, limit) {
				const page = rooms.slice(skip, skip + limit);
				return skip === 100 ? [rooms[99], ...page.slice(1)] : page;
			},
		};
		const { rooms: listed, total } = await searchRooms(q({ count: 0 }), pages);
		expect(total).toBe(149);
		expect(new Set(ids(listed)).size).toBe(listed.length);
	});

	it('stops when a reader hands back the same page again', async () => {
		const rooms = engine(numbered(100));
		let calls = 0;
		const pages: RoomPages = {
			async page() {
				calls++;
				return rooms;
			},
		};
		const { total } = await searchRooms(base, pages);
		expect(total).toBe(100);
		expect(calls).toBe(2);
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

	it('answers the best rooms out of many through a small selection', async () => {
		const rooms = numbered(1000, (i) => ({ msgs: (i * 7919) % 1000 }));
		const query = q({ sort: [['msgs', -1]], offset: 3, count: 4 });
		const { rooms: page } = await searchRooms(query, pagesOf(engine(rooms)));
		expect(page.map((room) => room.msgs)).toEqual([996, 995, 994, 993]);
	});

	it('pages over ties never overlap or skip a room', async () => {
		const rooms = numbered(95, (i) => ({ ts: new Date(Date.UTC(2024, 0, 1 + (i % 3))), fname: i % 2 ? 'same' : undefined }));
		const shuffled = engine([...rooms].sort((a, b) => (a._id.split('').reverse().join() < b._id.split('').reverse().join() ? -1 : 1)));
		for (const sort of [
			[['ts', -1]],
			[['fname', 1]],
			[
				['fname', -1],
				['ts', 1],
			],
		] as const) {
			const seen: string[] = [];
			for (let offset = 0; offset < 95; offset += 10) {
				const { rooms: page } = await searchRooms(q({ sort, offset, count: 10 }), pagesOf(shuffled));
				seen.push(...ids(page));
			}
			expect(seen.length).toBe(95);
			expect(new Set(seen).size).toBe(95);
			expect(seen).toEqual(ids([...rooms].sort(compareRooms(sort))));
		}
	});

	it('equals filter + full sort + slice on random rooms and queries (bounded selection property)', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.uniqueArray(roomArbitrary, { selector: (room) => room._id, maxLength: 60 }),
				queryArbitrary,
				fc.integer({ min: 1, max: 7 }),
				async (rooms, query, pageSize) => {
					const answer = await searchRooms(query, pagesOf(engine(rooms)), { pageSize });
					const want = expected(rooms, query);
					expect(answer.total).toBe(want.total);
					expect(ids(answer.rooms)).toEqual(want.ids);
				},
			),
			{ numRuns: 300 },
		);
	});

	it('selects the same rooms as upstream MongoDB query run by mingo', async () => {
		await fc.assert(
			fc.asyncProperty(fc.uniqueArray(roomArbitrary, { selector: (room) => room._id, maxLength: 40 }), queryArbitrary, async (rooms, query) => {
				const answer = await searchRooms({ ...query, count: 0, offset: 0 }, pagesOf(engine(rooms)));
				const oracle = mingo.find(rooms, mongoFilter(query)).all() as RoomDocument[];
				expect(answer.total).toBe(oracle.length);
				expect(new Set(ids(answer.rooms))).toEqual(new Set(ids(oracle)));
			}),
			{ numRuns: 200 },
		);
	});
});
