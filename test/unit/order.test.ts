import fc from 'fast-check';
import mingo from 'mingo';

import { compareRooms } from '../../src/rooms/order';
import { compareStrings, compareValues } from '../../src/values/bsonOrder';
import type { RoomDocument } from '../../src/rooms/RoomDocument';
import { queryArbitrary, roomArbitrary } from './fixtures';

const room = (id: string, fields: Record<string, unknown> = {}): RoomDocument => ({ _id: id, t: 'l', ...fields });
const order = (rooms: RoomDocument[], sort: ReadonlyArray<readonly [string, 1 | -1]>) => [...rooms].sort(compareRooms(sort)).map((r) => r._id);

describe('compareRooms', () => {
	it('sorts by ts descending by default key, ties by _id ascending', () => {
		const rooms = [room('b', { ts: new Date(1) }), room('c', { ts: new Date(2) }), room('a', { ts: new Date(1) })];
		expect(order(rooms, [['ts', -1]])).toEqual(['c', 'a', 'b']);
		expect(order(rooms, [['ts', 1]])).toEqual(['a', 'b', 'c']);
	});

	it('breaks ties by _id ascending even when every key ties, and with no key at all', () => {
		const rooms = [room('c'), room('a'), room('b')];
		expect(order(rooms, [['fname', -1]])).toEqual(['a', 'b', 'c']);
		expect(order(rooms, [])).toEqual(['a', 'b', 'c']);
	});

	it('lets the caller sort by _id descending', () => {
		expect(order([room('a'), room('c'), room('b')], [['_id', -1]])).toEqual(['c', 'b', 'a']);
	});

	it('sorts on a nested field, missing fields as null before every value', () => {
		const rooms = [
			room('1', { servedBy: { _id: 'x', username: 'zoe' } }),
			room('2', { servedBy: { _id: 'y', username: 'ana' } }),
			room('3'),
			room('4', { servedBy: { _id: 'z' } }),
			room('5', { servedBy: 'not a document' }),
		];
		expect(order(rooms, [['servedBy.username', 1]])).toEqual(['3', '4', '5', '2', '1']);
		expect(order(rooms, [['servedBy.username', -1]])).toEqual(['1', '2', '3', '4', '5']);
	});

	it('orders types as MongoDB does: empty array < null < numbers < strings < objects < arrays < booleans < dates', () => {
		const rooms = [
			room('date', { x: new Date(0) }),
			room('true', { x: true }),
			room('false', { x: false }),
			room('object', { x: { a: 1 } }),
			room('string', { x: 'a' }),
			room('number', { x: 5 }),
			room('null', { x: null }),
			room('missing'),
			room('empty', { x: [] }),
		];
		expect(order(rooms, [['x', 1]])).toEqual(['empty', 'missing', 'null', 'number', 'string', 'object', 'false', 'true', 'date']);
		expect(order(rooms, [['x', -1]])).toEqual(['date', 'true', 'false', 'object', 'string', 'number', 'missing', 'null', 'empty']);
	});

	it('sorts an array field by its smallest element ascending and its largest descending', () => {
		const rooms = [room('a', { tags: ['m', 'z'] }), room('b', { tags: ['n'] }), room('c', { tags: ['a', 'y'] })];
		expect(order(rooms, [['tags', 1]])).toEqual(['c', 'a', 'b']);
		expect(order(rooms, [['tags', -1]])).toEqual(['a', 'c', 'b']);
	});

	it('walks arrays of sub-documents; an element without the field counts as null', () => {
		const rooms = [room('a', { list: [{ n: 3 }, { n: 1 }] }), room('b', { list: [{ n: 2 }] }), room('c', { list: [{ n: 9 }, { other: 1 }] })];
		expect(order(rooms, [['list.n', 1]])).toEqual(['c', 'a', 'b']);
		expect(order(rooms, [['list.n', -1]])).toEqual(['c', 'a', 'b']);
		expect(order(rooms, [['list.0.n', 1]])).toEqual(['b', 'a', 'c']);
	});

	it('compares strings by code point, not by UTF-16 unit', () => {
		expect(compareStrings('\uffff', '\u{1f600}')).toBe(-1);
		expect(compareStrings('\u{1f600}', '\uffff')).toBe(1);
		expect(compareStrings('B', 'a')).toBe(-1);
		expect(compareStrings('ab', 'abc')).toBe(-1);
		expect(compareStrings('same', 'same')).toBe(0);
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
				const byBytes = Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
				expect(compareStrings(a, b)).toBe(byBytes);
			}),
			{ numRuns: 500 },
		);
	});

	it('compares objects field by field (type, name, value) and arrays element by element', () => {
		expect(compareValues({ a: 1 }, { a: 1, b: 2 })).toBe(-1);
		expect(compareValues({ a: 1, b: 2 }, { b: 0 })).toBe(-1);
		expect(compareValues({ b: 0 }, { a: 'x' })).toBe(-1);
		expect(compareValues([1, 2], [1, 3])).toBe(-1);
		expect(compareValues([2], [1, 9])).toBe(1);
		expect(compareValues(NaN, -Infinity)).toBe(-1);
		expect(compareValues(NaN, NaN)).toBe(0);
	});

	it('reads only own fields, whatever the path is called', () => {
		const rooms = [room('b', { constructor: 'b' }), room('a'), room('c', { constructor: 'a' })];
		expect(order(rooms, [['constructor', 1]])).toEqual(['a', 'c', 'b']);
		expect(order(rooms, [['__proto__', 1]])).toEqual(['a', 'b', 'c']);
		expect(order(rooms, [['toString.length', 1]])).toEqual(['a', 'b', 'c']);
	});

	it('is a total order: antisymmetric and transitive on random rooms', () => {
		fc.assert(
			fc.property(fc.uniqueArray(roomArbitrary, { selector: (r) => r._id, maxLength: 15 }), queryArbitrary, (rooms, query) => {
				const compare = compareRooms(query.sort);
				const sorted = [...rooms].sort(compare);
				for (let i = 0; i + 1 < sorted.length; i++) {
					expect(compare(sorted[i], sorted[i + 1])).toBeLessThan(0);
					expect(compare(sorted[i + 1], sorted[i])).toBeGreaterThan(0);
				}
			}),
			{ numRuns: 300 },
		);
	});

	// mingo orders array fields (tags) lexicographically; MongoDB (and this module) by their smallest element
	// ascending and largest descending, which the explicit test above pins down.
	it('agrees with MongoDB semantics as mingo implements them, where both define the order', () => {
		const mingoAgrees = (sort: ReadonlyArray<readonly [string, 1 | -1]>) => !sort.some(([path]) => path === 'tags');
		fc.assert(
			fc.property(
				fc.uniqueArray(roomArbitrary, { selector: (r) => r._id, maxLength: 15 }),
				queryArbitrary.filter((query) => mingoAgrees(query.sort)),
				(rooms, query) => {
					const sort: Record<string, 1 | -1> = {};
					for (const [path, direction] of query.sort) sort[path] = direction;
					if (!('_id' in sort)) sort._id = 1;
					const expected = mingo
						.find(rooms, {})
						.sort(sort)
						.all()
						.map((r) => (r as RoomDocument)._id);
					expect(order(rooms, query.sort)).toEqual(expected);
				},
			),
			{ numRuns: 300 },
		);
	});
});
