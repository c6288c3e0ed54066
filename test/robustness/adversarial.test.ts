/**
 * Input built to make a naive matcher slow: regular-expression patterns that backtrack catastrophically against long
 * `aaaa…!` room names and custom fields, substrings that drive a string search to its worst case, 100 KB values and
 * 10,000-element lists. Each is answered correctly (checked against the data), within the harness's request limit
 * (a hang guard, not a timing check: no test here measures speed; the bench does, and `linearIncludes` is proven
 * linear on its own).
 *
 * Queries too long for a URL (Node's HTTP server refuses request lines past 16 KB with 431) go to the endpoint
 * through the engine, with the host's own `qs` parse.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { DEMO_DEPARTMENTS, DEMO_UNITS, DEMO_USERS, demoData } from '../../workspace/data/demo';
import type { StoredRoom } from '../../workspace/data/types';
import type { Answer } from './harness';
import { Robust, announcedTotal } from './harness';

const LONG_A = 'a'.repeat(100000);
const LONG_E = 'É'.repeat(50000);
/** A needle V8's substring search handles worst against a long run of `a` (a mismatch in the middle of a long match). */
const worstNeedle = (half: number): string => `${'a'.repeat(half)}b${'a'.repeat(half)}`;

const old = (day: number): Date => new Date(Date.UTC(2025, 0, day));

function extraRooms(): StoredRoom[] {
	const base = (id: string, day: number, fields: Record<string, unknown>): StoredRoom => ({
		_id: id,
		t: 'l',
		msgs: 1,
		usersCount: 1,
		ts: old(day),
		_updatedAt: old(day),
		closedAt: old(day + 1),
		v: { _id: `v-${id}`, username: `guest-${id}`, token: `token-${id}`, status: 'offline' },
		cl: false,
		...fields,
	});
	return [
		...Array.from({ length: 6 }, (_, i) => base(`long-a-${i}`, i + 1, { fname: `${LONG_A}!`, livechatData: { note: `${LONG_A}!` } })),
		...Array.from({ length: 4 }, (_, i) => base(`long-e-${i}`, i + 10, { fname: `${LONG_E}!`, livechatData: { note: `${LONG_E.toLowerCase()}!` } })),
		base('literal-regex', 20, { fname: 'Fan of (a+)+$ and .*', livechatData: { note: '(a+)+$' } }),
	];
}

type Room = StoredRoom & { _id: string; fname?: string; livechatData?: Record<string, string>; servedBy?: { _id: string; username: string } };

describe('adversarial input is answered correctly', () => {
	let ws: Robust;
	let rooms: Room[];
	let pid: number | undefined;
	const ids = (filter: (room: Room) => boolean): string[] =>
		rooms
			.filter(filter)
			.map((room) => room._id)
			.sort();
	const named = (test: (fname: string) => boolean) => ids((room) => typeof room.fname === 'string' && test(room.fname));
	const noted = (test: (note: string) => boolean) => ids((room) => typeof room.livechatData?.note === 'string' && test(room.livechatData.note));

	beforeAll(async () => {
		const data = demoData({ rooms: 300 });
		data.rooms.push(...extraRooms());
		rooms = data.rooms.filter((room) => room.t === 'l') as Room[];
		ws = await Robust.start(data);
		pid = (await ws.health()).pid;
	}, 120000);
	afterAll(() => ws?.stop());

	const ONLY_IDS = `count=0&fields=${encodeURIComponent('{"_id":1}')}`;

	const roomIds = (answer: Answer): string[] => answer.body.rooms.map((room: { _id: string }) => room._id).sort();

	/** An endpoint query (`search` without the paging and projection) over HTTP or through the engine. */
	async function endpointCase(label: string, search: string, expected: string[], via: 'http' | 'engine' = 'http'): Promise<void> {
		const query = `${search}&${ONLY_IDS}`;
		const answer = await (via === 'http' ? ws.rooms(query, 'manager') : ws.roomsDirect(query, 'manager'));
		expect([label, answer.status]).toEqual([label, 200]);
		expect([label, answer.body.total, roomIds(answer)]).toEqual([label, expected.length, expected]);
	}

	/** A command line, checked by the number of rooms its reply announces. */
	async function commandCase(label: string, line: string, expectedTotal: number): Promise<void> {
		const answer = await ws.command(line, 'manager');
		expect([label, answer.status, answer.body.notifications?.length]).toEqual([label, 200, 1]);
		expect([label, announcedTotal(answer.body.notifications[0].text)]).toEqual([label, expectedTotal]);
	}

	const q = (name: string, value: string): string => `${name}=${encodeURIComponent(value)}`;

	describe('regular-expression patterns are taken literally', () => {
		it('roomName=(a+)+$', () => endpointCase('roomName=(a+)+$', q('roomName', '(a+)+$'), ['literal-regex']));
		it('roomName=^(a|a)*$', () => endpointCase('roomName=^(a|a)*$', q('roomName', '^(a|a)*$'), []));
		it('roomName=(.*a){25}', () => endpointCase('roomName=(.*a){25}', q('roomName', '(.*a){25}'), []));
		it('roomName=aaa…a! (a long literal run)', () =>
			endpointCase(
				'roomName=a{30}!',
				q('roomName', `${'a'.repeat(30)}!`),
				named((f) => f.includes(`${'a'.repeat(30)}!`)),
			));
		it('customFields={"note":"(a+)+$"}', () => endpointCase('customFields (a+)+$', q('customFields', '{"note":"(a+)+$"}'), ['literal-regex']));
		it('customFields={"note":"^(([a-z])+.)+[A-Z]([a-z])+$"}', () =>
			endpointCase('customFields nested groups', q('customFields', '{"note":"^(([a-z])+.)+[A-Z]([a-z])+$"}'), []));
		it('case-insensitive match against 50,000-character non-ASCII names', () =>
			endpointCase('roomName=éééééééééé!', q('roomName', 'éééééééééé!'), ['long-e-0', 'long-e-1', 'long-e-2', 'long-e-3']));
		it('the command: name=(a+)+$ and field.note=(a+)+$', async () => {
			await commandCase('/livechat-rooms name=(a+)+$', 'name=(a+)+$', 1);
			await commandCase('/livechat-rooms field.note=(a+)+$', 'field.note=(a+)+$', 1);
		});
	});

	describe('100 KB values (through the engine)', () => {
		it('roomName of 100,000 a', () =>
			endpointCase(
				'roomName=a{100000}',
				q('roomName', LONG_A),
				named((f) => f.includes(LONG_A)),
				'engine',
			));
		it('roomName, exact, of 100,000 a and !', () =>
			endpointCase(
				'roomName="a{100000}!"',
				q('roomName', `"${LONG_A}!"`),
				named((f) => f === `${LONG_A}!`),
				'engine',
			));
		it('customFields value of 100,000 a and !', () =>
			endpointCase(
				'customFields a{100000}!',
				q('customFields', JSON.stringify({ note: `${LONG_A}!` })),
				noted((n) => n.includes(`${LONG_A}!`)),
				'engine',
			));
		it('roomName of 50,000 é', () =>
			endpointCase('roomName=é{50000}', q('roomName', 'é'.repeat(50000)), ['long-e-0', 'long-e-1', 'long-e-2', 'long-e-3'], 'engine'));
	});

	describe('10,000-element lists', () => {
		const many = (prefix: string, real: string): string[] => [...Array.from({ length: 9999 }, (_, i) => `${prefix}-${i}`), real];
		const alice = DEMO_USERS.find((u) => u.username === 'alice')!;
		const sales = DEMO_DEPARTMENTS.find((d) => d.name === 'Sales')!._id;
		const americas = DEMO_UNITS.find((u) => u.name === 'Americas')!._id;

		it('agents as a JSON array', () =>
			endpointCase(
				'agents[10000]',
				q('agents', JSON.stringify(many('nobody', alice._id))),
				ids((r) => r.servedBy?._id === alice._id),
				'engine',
			));
		it('tags as a JSON array', () =>
			endpointCase(
				'tags[10000]',
				q('tags', JSON.stringify(many('tag', 'vip'))),
				ids((r) => Array.isArray(r.tags) && r.tags.includes('vip')),
				'engine',
			));
		it('departmentId as a JSON array', () =>
			endpointCase(
				'departmentId[10000]',
				q('departmentId', JSON.stringify(many('dep', sales))),
				ids((r) => r.departmentId === sales),
				'engine',
			));
		it('units as a JSON array', () =>
			endpointCase(
				'units[10000]',
				q('units', JSON.stringify(many('unit', americas))),
				ids((r) => Array.isArray(r.departmentAncestors) && r.departmentAncestors.includes(americas)),
				'engine',
			));
		it('tags as 1,000 repeated keys over HTTP (the host parses at most 1,000 parameters)', () =>
			endpointCase(
				'tags x1000',
				[...Array.from({ length: 999 }, (_, i) => `tags=t${i}`), 'tags=vip'].join('&'),
				ids((r) => Array.isArray(r.tags) && r.tags.includes('vip')),
			));
		it('customFields with 5,000 keys', () =>
			endpointCase(
				'customFields {5000 keys}',
				q('customFields', JSON.stringify(Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, 'a'])))),
				[],
				'engine',
			));
		it('the command: tag= with 10,000 tags, department= with 10,000 names', async () => {
			const vip = rooms.filter((r) => Array.isArray(r.tags) && r.tags.includes('vip')).length;
			await commandCase('/livechat-rooms tag=<10,000 tags>', `tag=${many('tag', 'vip').join(',')}`, vip);
			await commandCase(
				'/livechat-rooms department=<Sales x10,000>',
				`department=${Array(10000).fill('Sales').join(',')}`,
				rooms.filter((r) => r.departmentId === sales).length,
			);
		});
	});

	describe('worst cases of the substring search', () => {
		it('roomName of 3,000 a, b, 3,000 a against 100,000-character names', () =>
			endpointCase('roomName=a{3000}ba{3000}', q('roomName', worstNeedle(3000)), []));
		it('customFields of 3,000 a, b, 3,000 a against 100,000-character values', () =>
			endpointCase('customFields a{3000}ba{3000}', q('customFields', JSON.stringify({ note: worstNeedle(3000) })), []));
		it('roomName of 25,000 a, b, 25,000 a (through the engine)', () =>
			endpointCase('roomName=a{25000}ba{25000}', q('roomName', worstNeedle(25000)), [], 'engine'));
		it('the command: name= 3,000 a, b, 3,000 a', () => commandCase('/livechat-rooms name=a{3000}ba{3000}', `name=${worstNeedle(3000)}`, 0));
	});

	describe('a command line of 100 KB', () => {
		it('agent=<16,000 names> is answered in about the time of an ordinary command', async () => {
			const alice = DEMO_USERS.find((u) => u.username === 'alice')!;
			const names = [...Array.from({ length: 15999 }, (_, i) => `n${i}`), 'alice'];
			await commandCase('/livechat-rooms agent=<16,000 names>', `agent=${names.join(',')}`, rooms.filter((r) => r.servedBy?._id === alice._id).length);
		}, 120000);
	});

	describe('hostile query filters: refused with a 400 naming the limit, or answered right, never a 500', () => {
		const nested = (depth: number): string => `${'{"$and":['.repeat(depth)}{"fname":"x"}${']}'.repeat(depth)}`;
		const refusedCase = async (label: string, filter: string, message: RegExp): Promise<void> => {
			const answer = await ws.roomsDirect(`query=${encodeURIComponent(filter)}&${ONLY_IDS}`, 'manager');
			expect([label, answer.status, answer.body.errorType]).toEqual([label, 400, 'error-invalid-query']);
			expect(answer.body.error).toMatch(message);
		};
		it.each([
			[10000, /limit: length/],
			[1000, /depth/i],
		])('nesting %i deep', (depth, message) => refusedCase(`depth ${depth}`, nested(depth), message));
		it('$in of 100,000 values', () =>
			refusedCase('huge $in', JSON.stringify({ tags: { $in: Array.from({ length: 100000 }, (_, i) => `t${i}`) } }), /list|limit|length/i));
		it('backtracking patterns', () => refusedCase('(a+)+$', JSON.stringify({ fname: { $regex: '(a+)+$' } }), /\$regex/));
		it('$where and $function', () => refusedCase('$where', JSON.stringify({ $where: 'while(true){}' }), /\$where/));
		it('a literal pattern against 100,000-character names is answered right', () =>
			endpointCase(
				'literal $regex',
				`query=${encodeURIComponent(JSON.stringify({ fname: { $regex: `${'a'.repeat(4000)}!$` } }))}`,
				named((name) => name.endsWith(`${'a'.repeat(4000)}!`)),
				'engine',
			));
		it.each(['__proto__', 'constructor', 'prototype'])('the prototype key %s behaves as a missing field', async (key) => {
			for (const filter of [`{"${key}":{"$exists":true}}`, `{"${key}.polluted":1}`, `{"livechatData.${key}":null}`]) {
				const answer = await ws.roomsDirect(`query=${encodeURIComponent(filter)}&${ONLY_IDS}`, 'manager');
				expect([filter, answer.status]).toEqual([filter, 200]);
			}
			expect(({} as Record<string, unknown>).polluted).toBeUndefined();
			const absent = await ws.roomsDirect(`query=${encodeURIComponent(`{"${key}":{"$exists":true}}`)}&${ONLY_IDS}`, 'manager');
			expect(absent.body.total).toBe(0);
		});
	});

	it('leaves the app enabled, its runtime never restarted, and nothing in its error log', async () => {
		expect(await ws.health()).toEqual({ status: 'manually_enabled', pid, errors: [] });
	});
});
