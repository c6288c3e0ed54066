import fc from 'fast-check';
import { Query } from 'mingo';

import { parseMongoQuery } from '../../src/query/filter/compile';
import type { RoomFilter } from '../../src/query/filter/compile';
import type { RoomQuery } from '../../src/query/RoomQuery';
import { compileMatcher } from '../../src/rooms/match';
import type { RoomDocument } from '../../src/rooms/RoomDocument';
import { foldCase } from '../../src/values/text';
import { mongoFilter } from '../reference/mongoQuery';
import { closedRoom, queryArbitrary, roomArbitrary } from './fixtures';

const base: RoomQuery = { offset: 0, count: 50, sort: [['ts', -1]] };
const q = (extra: Partial<RoomQuery>): RoomQuery => ({ ...base, ...extra });
const matches = (extra: Partial<RoomQuery>, room: RoomDocument) => compileMatcher(q(extra))(room);
function compiled(query: unknown): RoomFilter {
	const result = parseMongoQuery(JSON.stringify(query));
	if (!result.ok) throw new Error(result.error.error);
	return result.value;
}

const room = (fields: Partial<RoomDocument>): RoomDocument => ({ _id: 'r', t: 'l', ...fields });
const open = room({ _id: 'open', open: true, servedBy: { _id: 'agent1', username: 'maria' } });
const queued = room({ _id: 'queued', open: true });
const onHold = room({ _id: 'hold', open: true, servedBy: { _id: 'agent1', username: 'maria' }, onHold: true });
const closed = room({ _id: 'closed', servedBy: { _id: 'agent2', username: 'joao' }, closedAt: new Date('2024-03-01T11:00:00Z') });
const all = [open, queued, onHold, closed];
const ids = (extra: Partial<RoomQuery>) => all.filter((r) => matches(extra, r)).map((r) => r._id);

describe('compileMatcher', () => {
	it('matches every room when there is no filter', () => {
		expect(ids({})).toEqual(['open', 'queued', 'hold', 'closed']);
	});

	describe('open, onhold and queued', () => {
		it('open=true: open, served, not on hold', () => {
			expect(ids({ open: true })).toEqual(['open']);
		});
		it('open=false: closed (no open field), not on hold', () => {
			expect(ids({ open: false })).toEqual(['closed']);
			expect(matches({ open: false }, room({ onHold: true }))).toBe(false);
		});
		it('onhold: only rooms with onHold true', () => {
			expect(ids({ onHold: true })).toEqual(['hold']);
		});
		it('onhold replaces the "not on hold" that open adds, and keeps the rest of open', () => {
			expect(ids({ open: true, onHold: true })).toEqual(['hold']);
			expect(ids({ open: false, onHold: true })).toEqual([]);
		});
		it('queued: open rooms nobody serves, not on hold; it overrides open and onhold', () => {
			expect(ids({ queued: true })).toEqual(['queued']);
			expect(ids({ queued: true, open: false })).toEqual(['queued']);
			expect(ids({ queued: true, open: true, onHold: true })).toEqual(['queued']);
			expect(matches({ queued: true }, room({ open: true, onHold: true }))).toBe(false);
		});
		it('open uses $exists: a stored open:false still counts as present; queued needs open exactly true', () => {
			const odd = room({ open: false, servedBy: { _id: 'a' } });
			expect(matches({ open: true }, odd)).toBe(true);
			expect(matches({ open: false }, odd)).toBe(false);
			expect(matches({ queued: true }, room({ open: false }))).toBe(false);
		});
	});

	describe('agents', () => {
		it('matches servedBy._id or servedBy.username', () => {
			expect(ids({ agents: ['agent1'] })).toEqual(['open', 'hold']);
			expect(ids({ agents: ['joao'] })).toEqual(['closed']);
			expect(ids({ agents: ['maria', 'agent2'] })).toEqual(['open', 'hold', 'closed']);
		});
		it('never matches a room nobody serves, and an empty list matches nothing', () => {
			expect(ids({ agents: ['nobody'] })).toEqual([]);
			expect(ids({ agents: [] })).toEqual([]);
		});
	});

	describe('departments and units', () => {
		const sales = room({ departmentId: 'sales', departmentAncestors: ['unitA', 'unitB'] });
		const none = room({});
		it('departmentId is one of the values', () => {
			expect(matches({ departmentIds: ['sales'] }, sales)).toBe(true);
			expect(matches({ departmentIds: ['support', 'sales'] }, sales)).toBe(true);
			expect(matches({ departmentIds: ['support'] }, sales)).toBe(false);
			expect(matches({ departmentIds: ['sales'] }, none)).toBe(false);
			expect(matches({ departmentIds: [] }, sales)).toBe(false);
		});
		it('units: departmentAncestors contains any of them', () => {
			expect(matches({ units: ['unitB'] }, sales)).toBe(true);
			expect(matches({ units: ['unitC', 'unitA'] }, sales)).toBe(true);
			expect(matches({ units: ['unitC'] }, sales)).toBe(false);
			expect(matches({ units: ['unitA'] }, none)).toBe(false);
		});
	});

	describe('tags', () => {
		it('rooms having any of the tags', () => {
			const tagged = room({ tags: ['rocket', 'chat'] });
			expect(matches({ tags: ['chat'] }, tagged)).toBe(true);
			expect(matches({ tags: ['vip', 'rocket'] }, tagged)).toBe(true);
			expect(matches({ tags: ['vip'] }, tagged)).toBe(false);
			expect(matches({ tags: ['chat'] }, room({}))).toBe(false);
			expect(matches({ tags: ['ROCKET'] }, tagged)).toBe(false);
		});
	});

	describe('createdAt and closedAt', () => {
		const at = (iso: string) => new Date(iso);
		const created = room({ ts: at('2024-03-01T10:00:00.000Z'), closedAt: at('2024-03-02T10:00:00.000Z') });
		it('both bounds are inclusive', () => {
			expect(matches({ createdAt: { start: at('2024-03-01T10:00:00.000Z'), end: at('2024-03-01T10:00:00.000Z') } }, created)).toBe(true);
			expect(matches({ createdAt: { start: at('2024-03-01T10:00:00.001Z') } }, created)).toBe(false);
			expect(matches({ createdAt: { end: at('2024-03-01T09:59:59.999Z') } }, created)).toBe(false);
		});
		it('either bound may be left out', () => {
			expect(matches({ createdAt: { start: at('2024-01-01T00:00:00Z') } }, created)).toBe(true);
			expect(matches({ createdAt: { end: at('2025-01-01T00:00:00Z') } }, created)).toBe(true);
		});
		it('a start after the end matches nothing', () => {
			expect(matches({ createdAt: { start: at('2025-01-01T00:00:00Z'), end: at('2024-01-01T00:00:00Z') } }, created)).toBe(false);
		});
		it('closedAt filters on closedAt, and rooms without closedAt never match', () => {
			expect(matches({ closedAt: { start: at('2024-03-02T10:00:00.000Z') } }, created)).toBe(true);
			expect(matches({ closedAt: { end: at('2030-01-01T00:00:00Z') } }, room({ ts: at('2024-01-01T00:00:00Z') }))).toBe(false);
		});
		it('a room without ts, or with something that is not a date there, never matches a createdAt range', () => {
			expect(matches({ createdAt: { end: at('2030-01-01T00:00:00Z') } }, room({}))).toBe(false);
			expect(matches({ createdAt: { end: at('2030-01-01T00:00:00Z') } }, room({ ts: '2024-01-01' as unknown as Date }))).toBe(false);
		});
	});

	describe('customFields', () => {
		const data = room({ livechatData: { docId: 'ABC-123', plan: 'Gold (yearly)', nested: { code: 'x1' }, list: ['alpha', 'Beta'] } });
		it('case-insensitive substring of livechatData.<key>; every key must match', () => {
			expect(matches({ customFields: { docId: 'abc' } }, data)).toBe(true);
			expect(matches({ customFields: { docId: 'c-12', plan: 'GOLD' } }, data)).toBe(true);
			expect(matches({ customFields: { docId: 'abc', plan: 'silver' } }, data)).toBe(false);
			expect(matches({ customFields: { missing: 'a' } }, data)).toBe(false);
		});
		it('reads regular-expression characters literally', () => {
			expect(matches({ customFields: { plan: '(yearly)' } }, data)).toBe(true);
			expect(matches({ customFields: { plan: 'G.ld' } }, data)).toBe(false);
			expect(matches({ customFields: { plan: '.*' } }, data)).toBe(false);
			expect(matches({ customFields: { plan: '(a+)+$' } }, data)).toBe(false);
		});
		it('walks dotted keys and arrays as MongoDB does; an empty value matches any string', () => {
			expect(matches({ customFields: { 'nested.code': 'X1' } }, data)).toBe(true);
			expect(matches({ customFields: { list: 'beta' } }, data)).toBe(true);
			expect(matches({ customFields: { docId: '' } }, data)).toBe(true);
			expect(matches({ customFields: { nested: '' } }, data)).toBe(false);
		});
		it('only strings match', () => {
			expect(matches({ customFields: { n: '1' } }, room({ livechatData: { n: 1 } }))).toBe(false);
		});
		it('reaches what query reaches on livechatData.<key>: numeric segments in MongoDB form, no leaf array after an index', () => {
			const lists = room({ livechatData: { list: ['alpha', 'Beta'], nested: [['inner']], docs: [{ '01': 'zero-one' }, { code: 'second' }] } });
			const viaQuery = (key: string, text: string) =>
				compileMatcher(q({ filter: compiled({ [`livechatData.${key}`]: { $regex: text, $options: 'i' } }) }))(lists);
			for (const [key, text, expected] of [
				['list.1', 'beta', true],
				['list.01', 'beta', false],
				['docs.01', 'zero', true],
				['docs.1.code', 'second', true],
				['docs.01.code', 'second', false],
				['nested.0', 'inner', false],
				['nested.0.0', 'inner', true],
			] as const) {
				expect([key, matches({ customFields: { [key]: text } }, lists)]).toEqual([key, expected]);
				expect([key, viaQuery(key, text)]).toEqual([key, expected]);
			}
		});
	});

	describe('roomName', () => {
		const marcos = room({ fname: 'Marcos Defendi' });
		it('is a case-insensitive substring of fname', () => {
			expect(matches({ roomName: { text: 'marcos', exact: false } }, marcos)).toBe(true);
			expect(matches({ roomName: { text: 'OS DEF', exact: false } }, marcos)).toBe(true);
			expect(matches({ roomName: { text: 'ana', exact: false } }, marcos)).toBe(false);
			expect(matches({ roomName: { text: 'marcos', exact: false } }, room({}))).toBe(false);
		});
		it('in double quotes, is an exact, case-sensitive match', () => {
			expect(matches({ roomName: { text: 'Marcos Defendi', exact: true } }, marcos)).toBe(true);
			expect(matches({ roomName: { text: 'marcos defendi', exact: true } }, marcos)).toBe(false);
			expect(matches({ roomName: { text: 'Marcos', exact: true } }, marcos)).toBe(false);
		});
		it('reads regular-expression characters literally and folds case beyond ASCII', () => {
			expect(matches({ roomName: { text: '.', exact: false } }, marcos)).toBe(false);
			expect(matches({ roomName: { text: '[bot]', exact: false } }, room({ fname: 'Helper [BOT]' }))).toBe(true);
			expect(matches({ roomName: { text: 'josé', exact: false } }, room({ fname: 'JOSÉ Silva' }))).toBe(true);
			expect(matches({ roomName: { text: 'σοφια', exact: false } }, room({ fname: 'ΣΟΦΙΑ' }))).toBe(true);
		});
	});

	it('combines every filter with AND', () => {
		const stored = closedRoom();
		const everything: Partial<RoomQuery> = {
			agents: ['maria'],
			departmentIds: ['sales'],
			open: false,
			createdAt: { start: new Date('2024-03-01T00:00:00Z'), end: new Date('2024-03-02T00:00:00Z') },
			closedAt: { start: new Date('2024-03-01T11:00:00Z') },
			tags: ['billing'],
			units: ['unitA'],
			customFields: { docId: 'abc', plan: 'gold' },
			roomName: { text: 'ana', exact: false },
		};
		expect(matches(everything, stored)).toBe(true);
		const breakers: Partial<RoomQuery> = {
			agents: ['joao'],
			departmentIds: ['support'],
			open: true,
			createdAt: { start: new Date('2024-03-01T10:00:00.001Z') },
			closedAt: { end: new Date('2024-03-01T10:59:59.999Z') },
			tags: ['vip'],
			units: ['unitB'],
			customFields: { docId: 'abc', plan: 'silver' },
			roomName: { text: 'ana souza', exact: true },
		};
		for (const key of Object.keys(breakers) as Array<keyof RoomQuery>) {
			expect([key, matches({ ...everything, [key]: breakers[key] }, stored)]).toEqual([key, false]);
		}
	});

	it('agrees with upstream MongoDB query evaluated by mingo, on random rooms and queries', () => {
		fc.assert(
			fc.property(fc.array(roomArbitrary, { maxLength: 12 }), queryArbitrary, (rooms, query) => {
				const oracle = new Query(mongoFilter(query));
				const matcher = compileMatcher(query);
				for (const stored of rooms) expect(matcher(stored)).toBe(oracle.test(stored));
			}),
			{ numRuns: 400 },
		);
	});
});

describe('foldCase', () => {
	it('folds one code point into one code point', () => {
		expect(foldCase('ABC')).toBe('abc');
		expect(foldCase('ÉÀÇ')).toBe('éàç');
		expect(foldCase('ΣΟΦΙΑ')).toBe(foldCase('σοφια'));
		expect(foldCase('ς')).toBe(foldCase('Σ'));
		expect(foldCase('İ').length).toBe(1);
		expect(foldCase('ß')).toBe('ß');
		expect(foldCase('😀A')).toBe('😀a');
	});
});
