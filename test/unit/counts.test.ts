import fc from 'fast-check';

import type { RoomQuery } from '../../src/query/RoomQuery';
import { countFiltersFor, countRooms } from '../../src/rooms/counts';
import { roomStatus, waitingSince } from '../../src/rooms/status';
import { compileMatcher } from '../../src/rooms/match';
import type { RoomDocument } from '../../src/rooms/RoomDocument';
import { queryArbitrary, roomArbitrary } from './fixtures';

const base: RoomQuery = { offset: 0, count: 50, sort: [['ts', -1]] };
const room = (fields: Record<string, unknown>): RoomDocument => ({ _id: 'r', t: 'l', ...fields }) as RoomDocument;
const count = (rooms: RoomDocument[], query: RoomQuery = base) => countRooms(rooms, countFiltersFor(query));

const maria = { _id: 'a1', username: 'maria' };
const joao = { _id: 'a2', username: 'joao' };
const t = (day: number) => new Date(Date.UTC(2024, 0, day));

const rooms: RoomDocument[] = [
	room({ _id: 'q2', open: true, ts: t(2), departmentId: 'd1', tags: ['vip', 'vip', 'billing'], source: { type: 'widget' } }),
	room({ _id: 'q1', open: true, ts: t(5), queuedAt: t(3), departmentId: 'd1', source: { type: 'email' } }),
	room({ _id: 'q0', open: true, ts: t(3), departmentId: 'gone' }),
	room({ _id: 'o1', open: true, servedBy: maria, ts: t(1), departmentId: 'd2', tags: ['vip'], source: { type: 'widget' } }),
	room({ _id: 'h1', open: true, servedBy: joao, onHold: true, ts: t(1), tags: ['billing'], source: { type: 'widget' } }),
	room({ _id: 'c1', servedBy: maria, ts: t(1), closedAt: t(2), departmentId: 'd2', source: { type: 'api' } }),
	room({ _id: 'c2', servedBy: { _id: 'a1', username: 'maria.new' }, ts: t(4), closedAt: t(4), departmentId: 'd2' }),
	room({ _id: 'x1', open: false, servedBy: joao, ts: t(1) }),
];

describe('roomStatus', () => {
	test.each([
		['q1', 'queued'],
		['o1', 'open'],
		['h1', 'onhold'],
		['c1', 'closed'],
		['x1', 'open'],
	])('%s is %s', (id, status) => {
		expect(roomStatus(rooms.find((r) => r._id === id)!)).toBe(status);
	});
	it('is undefined for an open room on hold with no agent, and for open: false with no agent', () => {
		expect(roomStatus(room({ open: true, onHold: true }))).toBe('onhold');
		expect(roomStatus(room({ open: false }))).toBeUndefined();
	});
	it('is onhold for a room stored closed that still carries onHold, as onhold=true lists it and open=false does not', () => {
		expect(roomStatus(room({ onHold: true, closedAt: t(2) }))).toBe('onhold');
	});
});

describe('waitingSince', () => {
	it('is queuedAt, else the creation, else undefined; a date that is not one does not count', () => {
		expect(waitingSince(room({ queuedAt: t(2), ts: t(1) }))).toEqual(t(2));
		expect(waitingSince(room({ ts: t(1) }))).toEqual(t(1));
		expect(waitingSince(room({ queuedAt: new Date(NaN), ts: t(1) }))).toEqual(t(1));
		expect(waitingSince(room({ queuedAt: '2024-01-01T00:00:00Z' }))).toBeUndefined();
		expect(waitingSince(room({}))).toBeUndefined();
	});
});

describe('countRooms', () => {
	it('answers the contract shape over every room', () => {
		expect(count(rooms)).toStrictEqual({
			total: 8,
			status: { queued: 3, open: 2, onhold: 1, closed: 2 },
			departments: [
				{ _id: 'd2', count: 3 },
				{ _id: null, count: 2 },
				{ _id: 'd1', count: 2 },
				{ _id: 'gone', count: 1 },
			],
			agents: [
				{ _id: null, username: null, count: 3 },
				{ _id: 'a1', username: 'maria.new', count: 3 },
				{ _id: 'a2', username: 'joao', count: 2 },
			],
			tags: [
				{ tag: 'billing', count: 2 },
				{ tag: 'vip', count: 2 },
			],
			sources: [
				{ type: null, count: 3 },
				{ type: 'widget', count: 3 },
				{ type: 'api', count: 1 },
				{ type: 'email', count: 1 },
			],
			waiting: { count: 3, longest: { _id: 'q2', fname: null, since: t(2) } },
		});
	});

	it('status counts ignore the request status filters; the rest honour them', () => {
		const counts = count(rooms, { ...base, open: true });
		expect(counts.total).toBe(2);
		expect(counts.status).toStrictEqual({ queued: 3, open: 2, onhold: 1, closed: 2 });
		expect(counts.departments).toStrictEqual([
			{ _id: null, count: 1 },
			{ _id: 'd2', count: 1 },
		]);
		expect(counts.waiting).toStrictEqual({ count: 0, longest: null });
	});

	it('status counts honour every other filter', () => {
		const counts = count(rooms, { ...base, departmentIds: ['d1'], queued: true });
		expect(counts.status).toStrictEqual({ queued: 2, open: 0, onhold: 0, closed: 0 });
		expect(counts.total).toBe(2);
	});

	it('waiting: queuedAt first, else ts; ties by _id', () => {
		const tie = [room({ _id: 'b', open: true, ts: t(1) }), room({ _id: 'a', open: true, ts: t(9), queuedAt: t(1) }), room({ _id: 'c', open: true })];
		expect(count(tie).waiting).toStrictEqual({ count: 3, longest: { _id: 'a', fname: null, since: t(1) } });
		expect(count([room({ _id: 'z', open: true, fname: 'Ana' })]).waiting).toStrictEqual({ count: 1, longest: { _id: 'z', fname: 'Ana', since: null } });
	});

	it('an empty set', () => {
		expect(count([])).toStrictEqual({
			total: 0,
			status: { queued: 0, open: 0, onhold: 0, closed: 0 },
			departments: [],
			agents: [],
			tags: [],
			sources: [],
			waiting: { count: 0, longest: null },
		});
	});

	it('agrees with rooms: total and each status are what the matcher selects', () => {
		fc.assert(
			fc.property(queryArbitrary, fc.array(roomArbitrary, { maxLength: 25 }), (query, sample) => {
				const counts = count(sample, query);
				const totalOf = (q: RoomQuery) => sample.filter(compileMatcher(q)).length;
				const others = { ...query, open: undefined, onHold: undefined, queued: undefined };
				expect(counts.total).toBe(totalOf(query));
				expect(counts.status).toStrictEqual({
					queued: totalOf({ ...others, queued: true }),
					open: totalOf({ ...others, open: true }),
					onhold: totalOf({ ...others, onHold: true }),
					closed: totalOf({ ...others, open: false }),
				});
				const matching = sample.filter(compileMatcher(query));
				const sum = (list: Array<{ count: number }>) => list.reduce((total, entry) => total + entry.count, 0);
				expect([sum(counts.departments), sum(counts.agents), sum(counts.sources)]).toEqual([matching.length, matching.length, matching.length]);
				expect(counts.waiting.count).toBe(matching.filter((r) => roomStatus(r) === 'queued').length);
				for (const list of [counts.departments, counts.agents, counts.tags, counts.sources]) {
					for (let i = 1; i < list.length; i++) expect(list[i - 1].count).toBeGreaterThanOrEqual(list[i].count);
				}
			}),
			{ numRuns: 400, seed: 7 },
		);
	});
});
