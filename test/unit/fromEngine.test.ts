import fc from 'fast-check';

import { FIELDS, parseDate, roomFromEngine } from '../../src/rooms/fromEngine';
import { closedRoom, convertToEngine, jsonHop, roomArbitrary, seedRoom } from './fixtures';

describe('roomFromEngine: the inverse of the raw room converter', () => {
	it('rebuilds the seed example exactly', () => {
		const stored = seedRoom();
		expect(roomFromEngine(convertToEngine(stored))).toStrictEqual(stored);
	});

	it('rebuilds a closed room with user references, visitor extras, metrics and sysMes: false', () => {
		const stored = closedRoom();
		expect(roomFromEngine(convertToEngine(stored))).toStrictEqual(stored);
	});

	it('round-trips random livechat rooms', () => {
		fc.assert(
			fc.property(roomArbitrary, (stored) => {
				expect(roomFromEngine(convertToEngine(stored))).toStrictEqual(stored);
			}),
			{ numRuns: 300 },
		);
	});

	it('maps every renamed field back to its stored name', () => {
		const room = roomFromEngine({
			id: 'r1',
			type: 'l',
			displayName: 'Visitor',
			slugifiedName: 'visitor',
			messageCount: 3,
			createdAt: new Date(1),
			updatedAt: new Date(2),
			lastModifiedAt: new Date(3),
			isWaitingResponse: true,
			isOpen: true,
			isTeamMain: false,
			isDefault: false,
			isReadOnly: true,
			parentRoomId: 'p',
			userIds: ['u1'],
			displaySystemMessages: false,
			visitor: { id: 'v1', token: 't', username: 'guest' },
			creator: { _id: 'c', username: 'cat' },
			servedBy: { _id: 'a', username: 'agent' },
			closedBy: { _id: 'a', username: 'agent' },
			responseBy: { _id: 'a', username: 'agent' },
			_unmappedProperties_: { tags: ['x'], onHold: true },
		});
		expect(room).toStrictEqual({
			_id: 'r1',
			t: 'l',
			fname: 'Visitor',
			name: 'visitor',
			msgs: 3,
			lm: new Date(3),
			ts: new Date(1),
			_updatedAt: new Date(2),
			v: { _id: 'v1', token: 't', username: 'guest' },
			servedBy: { _id: 'a', username: 'agent' },
			open: true,
			waitingResponse: true,
			onHold: true,
			closedBy: { _id: 'a', username: 'agent' },
			responseBy: { _id: 'a', username: 'agent' },
			tags: ['x'],
			u: { _id: 'c', username: 'cat' },
			teamMain: false,
			default: false,
			ro: true,
			prid: 'p',
			uids: ['u1'],
			sysMes: false,
		});
	});

	it('emits fields in the stored shape order of docs/endpoint.md, "Answer"', () => {
		const keys = Object.keys(roomFromEngine(convertToEngine(seedRoom())));
		expect(keys).toEqual([
			'_id',
			't',
			'fname',
			'name',
			'msgs',
			'usersCount',
			'lm',
			'ts',
			'_updatedAt',
			'v',
			'servedBy',
			'open',
			'waitingResponse',
			'departmentId',
			'tags',
			'livechatData',
			'lastMessage',
			'metrics',
			'cl',
		]);
	});

	it('leaves out fields that arrive as null or undefined, at the top level and in user references', () => {
		const room = roomFromEngine({
			id: 'r1',
			type: 'l',
			displayName: null,
			isOpen: undefined,
			closedAt: null,
			servedBy: { _id: 'a', username: null, name: undefined },
			visitor: { id: null, token: 't' },
			_unmappedProperties_: { onHold: null, tags: undefined, cl: false },
		});
		expect(room).toStrictEqual({ _id: 'r1', t: 'l', v: { token: 't' }, servedBy: { _id: 'a' }, cl: false });
		expect(Object.values(room)).not.toContain(null);
	});

	it('reads displaySystemMessages true (or absent) as a room without sysMes, and keeps false or a list', () => {
		expect(roomFromEngine({ id: 'r', type: 'l', displaySystemMessages: true })).not.toHaveProperty('sysMes');
		expect(roomFromEngine({ id: 'r', type: 'l' })).not.toHaveProperty('sysMes');
		expect(roomFromEngine({ id: 'r', type: 'l', displaySystemMessages: false }).sysMes).toBe(false);
		expect(roomFromEngine({ id: 'r', type: 'l', displaySystemMessages: ['uj'] }).sysMes).toEqual(['uj']);
	});

	it('turns ISO date strings of the known date fields into Dates and leaves unmapped dates as given', () => {
		const stored = closedRoom();
		const room = roomFromEngine(jsonHop(convertToEngine(stored)));
		for (const field of ['ts', '_updatedAt', 'lm', 'closedAt'] as const) {
			expect(room[field]).toBeInstanceOf(Date);
			expect((room[field] as Date).getTime()).toBe((stored[field] as Date).getTime());
		}
		expect(room.queuedAt).toBe('2024-03-01T10:00:01.000Z');
		expect((room.v as Record<string, unknown>).lastMessageTs).toBe('2024-03-01T10:04:00.000Z');
	});

	it('parses dates exactly as Date.parse does, fast path or not', () => {
		const sameAsDateParse = (text: string) => expect([text, parseDate(text)]).toEqual([text, Date.parse(text)]);
		fc.assert(
			fc.property(fc.date({ min: new Date(-62198755200000), max: new Date(253402300799999), noInvalidDate: true }), (date) =>
				sameAsDateParse(date.toISOString()),
			),
			{ numRuns: 2000 },
		);
		const field = (width: number) => fc.integer({ min: 0, max: 10 ** width - 1 }).map((n) => String(n).padStart(width, '0'));
		fc.assert(
			fc.property(field(4), field(2), field(2), field(2), field(2), field(2), field(3), (y, mo, d, h, mi, s, ms) =>
				sameAsDateParse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`),
			),
			{ numRuns: 2000 },
		);
		for (const text of [
			'2024-02-30T00:00:00.000Z',
			'2024-01-01T24:00:00.000Z',
			'0050-01-01T00:00:00.000Z',
			'2024-1a-01T00:00:00.000Z',
			'2024-01-01',
			'x'.repeat(24),
			'',
		])
			sameAsDateParse(text);
	});

	it('keeps a date string it cannot parse as given', () => {
		expect(roomFromEngine({ id: 'r', type: 'l', createdAt: 'not a date' }).ts).toBe('not a date');
	});

	it('lets _unmappedProperties_ win over a mapped field, as a spread would', () => {
		expect(roomFromEngine({ id: 'r', type: 'l', displayName: 'engine', _unmappedProperties_: { fname: 'stored' } }).fname).toBe('stored');
	});

	it('passes through top-level fields the table does not know, without clobbering stored names', () => {
		const room = roomFromEngine({ id: 'r', type: 'l', isOpen: true, futureField: 1, open: false, _unmappedProperties_: { futureField: 2 } });
		expect(room.futureField).toBe(2);
		expect(room.open).toBe(true);
		expect(roomFromEngine({ id: 'r', type: 'l', somethingNew: 'x' }).somethingNew).toBe('x');
	});

	it('keeps __proto__ and constructor keys as plain data, never touching prototypes', () => {
		const raw = JSON.parse('{"id":"r","type":"l","_unmappedProperties_":{"__proto__":{"polluted":true},"constructor":"c"}}');
		const room = roomFromEngine(raw);
		expect(Object.prototype.hasOwnProperty.call(room, '__proto__')).toBe(true);
		expect(Object.getPrototypeOf(room)).toBe(Object.prototype);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(room.constructor).toBe('c');
	});

	it('restores every field of the mapping table (the spelled-out converter and the table agree)', () => {
		const position = (name: string) => FIELDS.findIndex(([stored]) => stored === name);
		for (const [stored, engine] of FIELDS) {
			const raw = engine === null ? { id: 'r', type: 'l', _unmappedProperties_: { [stored]: false } } : { id: 'r', type: 'l', [engine]: false };
			const room = roomFromEngine(raw);
			expect([stored, room[stored]]).toEqual([stored, stored === '_id' || stored === 't' ? room[stored] : false]);
			const keys = [...new Set(['_id', 't', stored])].sort((a, b) => position(a) - position(b));
			expect([stored, Object.keys(room)]).toEqual([stored, keys]);
		}
	});

	it('never throws on odd engine rooms', () => {
		fc.assert(
			fc.property(fc.dictionary(fc.string(), fc.anything()), fc.anything(), (raw, unmapped) => {
				roomFromEngine(raw);
				roomFromEngine({ ...raw, _unmappedProperties_: unmapped, visitor: unmapped, servedBy: unmapped, createdAt: unmapped });
			}),
			{ numRuns: 300 },
		);
	});
});
