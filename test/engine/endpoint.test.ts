/**
 * `GET <app>/rooms` through the local workspace over HTTP, against docs/endpoint.md. Every expected answer is worked out by hand
 * from the fixture (test/engine/fixture.ts) and the spec, never by calling the app's own code.
 *
 * The workspace holds the fixture's rooms r01..r07 plus 120 generated rooms g001..g120 (for the count clamp and
 * `count=0`). The generated rooms are livechat rooms created in 2023 (before every fixture room), closed (no `open`),
 * unserved, with no department, tags, custom fields or `closedAt`, named `Bulk 001`..`Bulk 120`; they come in groups of
 * three sharing a `ts` (g001-g003 at 2023-01-01T00:00Z, g004-g006 an hour later, ...), so the default order has ties
 * inside their pages. Most filters leave them out; where one does not, the expectation says so.
 *
 * The fixture's rooms, as the filters see them:
 *   r01 ts 01-10T10 open, alice, d-sales,   tags [vip],          livechatData {docId A-100, plan Gold}, fname "Marcos Defendi"
 *   r02 ts 01-11T10 open, bob,   d-support,                      livechatData {docId B-200},           fname "Ana Maria"
 *   r03 ts 01-12T10 open, no agent (queued), d-sales,                                                fname "marcos silva"
 *   r04 ts 01-13T10 open, on hold, alice, d-support,                                                 fname "Hold Me"
 *   r05 ts 01-14T10 closed 01-15T00, alice, no department, tags [rocket, chat], livechatData {docId aobEdbYhXfu5hkeqG}, fname "Marcos"
 *   r06 ts 01-20T10 closed 02-01T00, bob, d-gone (deleted), units [unit-1], tags [chat],              fname "Zed (regex.*)"
 *   r07 ts 01-10T10 open, bob,   d-sales (same ts as r01),                                           fname "Tie With One"
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { StoredRoom } from '../../workspace/data/types';
import type { Reply } from './client';
import { TestClient } from './client';
import { fixture } from './fixture';

// ---------------------------------------------------------------------------------------------------------------
// The generated rooms and the orders worked out by hand

const HOUR = 3600000;
const BULK_START = Date.UTC(2023, 0, 1);
const bulkId = (n: number): string => `g${String(n).padStart(3, '0')}`;

const BULK: StoredRoom[] = Array.from({ length: 120 }, (_, i) => ({
	_id: bulkId(i + 1),
	t: 'l',
	fname: `Bulk ${String(i + 1).padStart(3, '0')}`,
	msgs: 0,
	usersCount: 1,
	v: { _id: `v-${bulkId(i + 1)}`, username: `guest-${bulkId(i + 1)}`, token: `token-${bulkId(i + 1)}`, status: 'offline' },
	ts: new Date(BULK_START + Math.floor(i / 3) * HOUR),
	_updatedAt: new Date(BULK_START),
	cl: false,
}));

/** The generated rooms newest first: groups of three from the last, each group by `_id` ascending (the tie-break). */
const BULK_DESC: string[] = [];
for (let group = 39; group >= 0; group--) for (let k = 1; k <= 3; k++) BULK_DESC.push(bulkId(group * 3 + k));
/** The generated rooms by `_id` ascending (how they come when they tie on a missing field). */
const BULK_ASC: string[] = Array.from({ length: 120 }, (_, i) => bulkId(i + 1));

/** The fixture's rooms in the default order `{"ts":-1}`: r01 and r07 tie on ts, `_id` ascending breaks it. */
const FIXTURE_DESC = ['r06', 'r05', 'r04', 'r03', 'r02', 'r01', 'r07'];
/** Every livechat room in the default order. */
const ALL_DESC = [...FIXTURE_DESC, ...BULK_DESC];
const TOTAL = 127;
/** The answer of a request that filters nothing: the first page of every room, newest first, and the total. */
const UNFILTERED = [ALL_DESC.slice(0, 50), TOTAL] as const;

const enc = encodeURIComponent;
/** A filter that selects exactly the fixture's seven rooms (the generated ones are from 2023). */
const ONLY_FIXTURE = `createdAt=${enc('{"start":"2024-01-01T00:00:00.000Z"}')}`;

// ---------------------------------------------------------------------------------------------------------------
// The fixture's rooms as the endpoint returns them (docs/endpoint.md, "Answer"), dates as ISO strings

const UPDATED = '2024-03-01T00:00:00.000Z';
const visitor = (id: string) => ({ _id: `v-${id}`, username: `guest-${id}`, token: `token-${id}`, status: 'online' });
const ALICE = { _id: 'u-alice', username: 'alice' };
const BOB = { _id: 'u-bob', username: 'bob' };
const SALES = { _id: 'd-sales', name: 'Sales' };
const SUPPORT = { _id: 'd-support', name: 'Support' };

// prettier-ignore
const DOCS: Record<string, Record<string, unknown>> = {
	r01: {
		_id: 'r01', t: 'l', fname: 'Marcos Defendi', name: 'Marcos Defendi', msgs: 1, usersCount: 1, ts: '2024-01-10T10:00:00.000Z', _updatedAt: UPDATED,
		v: visitor('r01'), servedBy: ALICE, open: true, waitingResponse: true, departmentId: 'd-sales', tags: ['vip'],
		livechatData: { docId: 'A-100', plan: 'Gold' }, cl: false, department: SALES,
	},
	r02: {
		_id: 'r02', t: 'l', fname: 'Ana Maria', msgs: 1, usersCount: 1, ts: '2024-01-11T10:00:00.000Z', _updatedAt: UPDATED,
		v: visitor('r02'), servedBy: BOB, open: true, departmentId: 'd-support', livechatData: { docId: 'B-200' }, cl: false, department: SUPPORT,
	},
	r03: {
		_id: 'r03', t: 'l', fname: 'marcos silva', msgs: 1, usersCount: 1, ts: '2024-01-12T10:00:00.000Z', _updatedAt: UPDATED,
		v: visitor('r03'), open: true, departmentId: 'd-sales', cl: false, queuedAt: '2024-01-12T10:00:00.000Z', department: SALES,
	},
	r04: {
		_id: 'r04', t: 'l', fname: 'Hold Me', msgs: 1, usersCount: 1, ts: '2024-01-13T10:00:00.000Z', _updatedAt: UPDATED,
		v: visitor('r04'), servedBy: ALICE, open: true, onHold: true, departmentId: 'd-support', cl: false, department: SUPPORT,
	},
	r05: {
		_id: 'r05', t: 'l', fname: 'Marcos', msgs: 1, usersCount: 1, ts: '2024-01-14T10:00:00.000Z', _updatedAt: UPDATED,
		v: visitor('r05'), servedBy: ALICE, closedAt: '2024-01-15T00:00:00.000Z', closer: 'user', closedBy: ALICE, tags: ['rocket', 'chat'],
		livechatData: { docId: 'aobEdbYhXfu5hkeqG' }, cl: false,
	},
	r06: {
		_id: 'r06', t: 'l', fname: 'Zed (regex.*)', msgs: 1, usersCount: 1, ts: '2024-01-20T10:00:00.000Z', _updatedAt: UPDATED,
		v: visitor('r06'), servedBy: BOB, closedAt: '2024-02-01T00:00:00.000Z', closer: 'visitor', departmentId: 'd-gone', tags: ['chat'], cl: false,
		departmentAncestors: ['unit-1'],
	},
	r07: {
		_id: 'r07', t: 'l', fname: 'Tie With One', msgs: 1, usersCount: 1, ts: '2024-01-10T10:00:00.000Z', _updatedAt: UPDATED,
		v: visitor('r07'), servedBy: BOB, open: true, departmentId: 'd-sales', cl: false, department: SALES,
	},
};

/** A document without some top-level keys. */
function without(doc: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
	const copy = { ...doc };
	for (const key of keys) delete copy[key];
	return copy;
}

// ---------------------------------------------------------------------------------------------------------------

const ids = (reply: Reply): string[] => (reply.body?.rooms ?? []).map((room: { _id: string }) => room._id);

const invalidParams = (name: string) => ({
	success: false,
	error: expect.stringMatching(new RegExp(`^${name} must be .+ \\[invalid-params\\]$`)),
	errorType: 'invalid-params',
});

/** The refusal of a `sort` or `fields` text the parser cannot take, quoting it as upstream does. */
const invalidJsonParam = (name: 'sort' | 'fields', raw: string) => ({
	success: false,
	error: `Invalid ${name} parameter provided: "${raw}" [error-invalid-${name}]`,
	errorType: `error-invalid-${name}`,
});
const plain = (error: string) => ({ success: false, error });
const FORBIDDEN = { success: false, error: 'unauthorized' };

/** A query, the room ids it answers in order, and its total when that is not the number of ids. */
type RoomsCase = readonly [query: string, expected: string[], total?: number];
/** A query and the refusal's body. */
type ErrorCase = readonly [query: string, body: unknown];

describe('GET rooms through the local workspace', () => {
	let client: TestClient;
	beforeAll(async () => {
		client = await TestClient.start(fixture(BULK));
	});
	afterAll(() => client.stop());

	/** The ids of the answer, with the query so that a failure says which request it was. */
	async function idsOf(query: string, user = 'manager'): Promise<[string, number, string[], number]> {
		const reply = await client.rooms(query, user);
		return [query, reply.status, ids(reply), reply.body?.total];
	}

	/** Every case is run, then all are compared at once: a failure shows each case that went wrong. */
	async function expectRooms(cases: readonly RoomsCase[], user = 'manager'): Promise<void> {
		const answers = [];
		for (const [query] of cases) answers.push(await idsOf(query, user));
		expect(answers).toEqual(cases.map(([query, expected, total]) => [query, 200, expected, total ?? expected.length]));
	}

	async function expectError(cases: readonly ErrorCase[], user = 'manager', status = 400): Promise<void> {
		const answers = [];
		for (const [query] of cases) {
			const reply = await client.rooms(query, user);
			answers.push([query, reply.status, reply.body]);
		}
		expect(answers).toEqual(cases.map(([query, body]) => [query, status, body]));
	}

	describe('the envelope', () => {
		it('answers the first 50 rooms newest first with count, offset, total and success, keys in that order', async () => {
			const reply = await client.rooms('', 'manager');
			expect(reply.status).toBe(200);
			expect(Object.keys(reply.body)).toEqual(['rooms', 'count', 'offset', 'total', 'success']);
			expect(ids(reply)).toEqual(ALL_DESC.slice(0, 50));
			expect(reply.body).toEqual({ rooms: expect.any(Array), count: 50, offset: 0, total: TOTAL, success: true });
		});

		it('sends Content-Type: application/json and Cache-Control: no-store', async () => {
			const reply = await client.rooms('count=1', 'manager');
			expect(reply.headers.get('content-type')).toMatch(/^application\/json(;|$)/);
			expect(reply.headers.get('cache-control')).toBe('no-store');
			const refused = await client.rooms('count=x', 'manager');
			expect(refused.headers.get('content-type')).toMatch(/^application\/json(;|$)/);
		});

		it('returns each room as Rocket.Chat stores it, with its department, dates as ISO strings', async () => {
			const reply = await client.rooms(`${ONLY_FIXTURE}&count=0`, 'manager');
			expect(reply.body.rooms).toEqual(FIXTURE_DESC.map((id) => DOCS[id]));
			expect(reply.text).toContain('"ts":"2024-01-10T10:00:00.000Z"');
			expect(reply.text).toContain('"closedAt":"2024-01-15T00:00:00.000Z"');
			expect(reply.text).toContain('"_updatedAt":"2024-03-01T00:00:00.000Z"');
			expect(reply.text).toContain('"queuedAt":"2024-01-12T10:00:00.000Z"');
			expect(reply.text).not.toContain('null');
		});

		it('enriches with the department name only when the department exists', async () => {
			const reply = await client.rooms(`${ONLY_FIXTURE}&count=0`, 'manager');
			const byId = new Map<string, Record<string, unknown>>(reply.body.rooms.map((room: Record<string, unknown>) => [room._id as string, room]));
			expect(byId.get('r01')?.department).toEqual({ _id: 'd-sales', name: 'Sales' });
			expect(byId.get('r02')?.department).toEqual({ _id: 'd-support', name: 'Support' });
			// deleted department: the id stays, no department object
			expect(byId.get('r06')?.departmentId).toBe('d-gone');
			expect('department' in (byId.get('r06') ?? {})).toBe(false);
			// no department at all
			expect('department' in (byId.get('r05') ?? {})).toBe(false);
			// the servedBy the engine hands over has no ts: none is invented
			expect(byId.get('r01')?.servedBy).toEqual({ _id: 'u-alice', username: 'alice' });
		});

		it('never lists rooms of other types', async () => {
			const reply = await client.rooms('count=0', 'manager');
			expect(ids(reply)).toEqual(ALL_DESC);
			expect(ids(reply)).not.toContain('c-general');
			expect(ids(reply)).not.toContain('d-dm');
		});
	});

	describe('each parameter alone', () => {
		it.each<RoomsCase>([
			['agents=u-alice', ['r05', 'r04', 'r01']],
			['agents=alice', ['r05', 'r04', 'r01']],
			['agents=u-bob', ['r06', 'r02', 'r07']],
			['agents=bob', ['r06', 'r02', 'r07']],
			['agents=alice&agents=u-bob', ['r06', 'r05', 'r04', 'r02', 'r01', 'r07']],
			['agents=nobody', []],
			['agents=Alice', []],
		])('agents: ids and usernames of servedBy: %s', (...row) => expectRooms([row]));

		it.each<RoomsCase>([
			['departmentId=d-sales', ['r03', 'r01', 'r07']],
			['departmentId=d-support', ['r04', 'r02']],
			['departmentId=d-gone', ['r06']],
			['departmentId=d-sales&departmentId=d-support', ['r04', 'r03', 'r02', 'r01', 'r07']],
			['departmentId=Sales', []],
			['departmentId=undefined', ...UNFILTERED],
		])('departmentId: one or several ids; the literal undefined means no filter: %s', (...row) => expectRooms([row]));

		it.each<RoomsCase>([
			['open=true', ['r02', 'r01', 'r07']],
			['open=false', ['r06', 'r05', ...BULK_DESC.slice(0, 48)], 122],
			[`open=false&${ONLY_FIXTURE}`, ['r06', 'r05']],
			['open=1', ...UNFILTERED],
			['open=yes', ...UNFILTERED],
		])('open: true is open, served, not on hold; false is closed; anything else no filter: %s', (...row) => expectRooms([row]));

		// The two flags read their value alike: true, 1 or t; any other value is no filter.
		it.each<RoomsCase>(
			[
				['onhold', ['r04']],
				['queued', ['r03']],
			].flatMap(([flag, rooms]): RoomsCase[] => [
				...['true', '1', 't'].map((value): RoomsCase => [`${flag}=${value}`, rooms as string[]]),
				...['false', '0'].map((value): RoomsCase => [`${flag}=${value}`, ...UNFILTERED]),
			]),
		)('onhold (on hold) and queued (open, unserved, not on hold): %s', (...row) => expectRooms([row]));

		it('createdAt: both bounds inclusive, either may be left out', async () => {
			const range = (value: unknown) => `createdAt=${enc(JSON.stringify(value))}`;
			await expectRooms([
				// r03 is exactly on start, r05 exactly on end
				[range({ start: '2024-01-12T10:00:00.000Z', end: '2024-01-14T10:00:00.000Z' }), ['r05', 'r04', 'r03']],
				[range({ start: '2024-01-12T10:00:00.001Z', end: '2024-01-14T09:59:59.999Z' }), ['r04']],
				[range({ start: '2024-01-14T10:00:00.000Z' }), ['r06', 'r05']],
				[range({ start: '2024-01-14T10:00:00.001Z' }), ['r06']],
				[range({ end: '2024-01-10T10:00:00.000Z' }), ['r01', 'r07', ...BULK_DESC.slice(0, 48)], 122],
				[range({ start: '2024-01-10', end: '2024-01-10T10:00:00.000Z' }), ['r01', 'r07']],
				[range({ start: '2023-01-01T00:00:00.000Z', end: '2023-01-01T01:00:00.000Z' }), ['g004', 'g005', 'g006', 'g001', 'g002', 'g003']],
				[range({ start: '2025-01-01T00:00:00.000Z' }), []],
			]);
		});

		it('closedAt: inclusive bounds; rooms without closedAt never match', async () => {
			const range = (value: unknown) => `closedAt=${enc(JSON.stringify(value))}`;
			await expectRooms([
				[range({ start: '2024-01-15T00:00:00.000Z', end: '2024-02-01T00:00:00.000Z' }), ['r06', 'r05']],
				[range({ end: '2024-01-15T00:00:00.000Z' }), ['r05']],
				[range({ start: '2024-02-01T00:00:00.000Z' }), ['r06']],
				[range({ start: '2000-01-01T00:00:00.000Z' }), ['r06', 'r05']],
				[range({ start: '2024-01-15T00:00:00.001Z', end: '2024-01-31T23:59:59.999Z' }), []],
			]);
		});

		it.each<RoomsCase>([
			['tags=vip', ['r01']],
			['tags=chat', ['r06', 'r05']],
			['tags=rocket', ['r05']],
			['tags=vip&tags=rocket', ['r05', 'r01']],
			['tags=VIP', []],
			['tags=nope', []],
		])('tags: rooms having any of the tags: %s', (...row) => expectRooms([row]));

		it('customFields: every key a case-insensitive literal substring of livechatData.<key>', async () => {
			const custom = (value: unknown) => `customFields=${enc(JSON.stringify(value))}`;
			await expectRooms([
				[custom({ docId: 'A-100' }), ['r01']],
				[custom({ docId: 'a-1' }), ['r01']],
				[custom({ docId: 'aobEdbYhXfu5hkeqG' }), ['r05']],
				[custom({ docId: 'AOBEDBY' }), ['r05']],
				[custom({ docId: '-' }), ['r02', 'r01']],
				[custom({ docId: 'A-100', plan: 'gold' }), ['r01']],
				[custom({ docId: 'B-200', plan: 'gold' }), []],
				[custom({ plan: 'OLD' }), ['r01']],
				[custom({ missing: 'x' }), []],
				// regex characters are literal: as regexes these would match every room with a docId, or throw
				[custom({ docId: '.' }), []],
				[custom({ docId: '.*' }), []],
				[custom({ docId: 'A.100' }), []],
				[custom({ docId: '[' }), []],
				[custom({ docId: '(' }), []],
				[custom({ docId: '^A' }), []],
			]);
		});

		it.each<RoomsCase>([
			['roomName=marcos', ['r05', 'r03', 'r01']],
			['roomName=MARCOS', ['r05', 'r03', 'r01']],
			['roomName=a', ['r05', 'r03', 'r02', 'r01']],
			[`roomName=${enc('marcos d')}`, ['r01']],
			[`roomName=${enc('"Marcos"')}`, ['r05']],
			[`roomName=${enc('"Marcos Defendi"')}`, ['r01']],
			[`roomName=${enc('"marcos"')}`, []],
			[`roomName=${enc('"Marcos Def"')}`, []],
			[`roomName=${enc('"MARCOS"')}`, []],
			// regex characters are literal
			[`roomName=${enc('.*')}`, ['r06']],
			[`roomName=${enc('(regex.*)')}`, ['r06']],
			[`roomName=${enc('M.rcos')}`, []],
			['roomName=nobody', []],
		])('roomName: case-insensitive substring of fname, or exact and case-sensitive in double quotes: %s', (...row) => expectRooms([row]));

		it.each<RoomsCase>([
			['units=unit-1', ['r06']],
			['units=unit-1&units=unit-2', ['r06']],
			['units=unit-2', []],
		])('units: rooms whose departmentAncestors contains any of the values: %s', (...row) => expectRooms([row]));
	});

	describe('lists in every form', () => {
		it("repeated keys, x[]=, x[0]=, JSON array, the documentation's quoted form and a single value", async () => {
			await expectRooms([
				['tags=vip&tags=rocket', ['r05', 'r01']],
				['tags[]=vip&tags[]=rocket', ['r05', 'r01']],
				['tags[0]=vip&tags[1]=rocket', ['r05', 'r01']],
				[`tags=${enc('["vip","rocket"]')}`, ['r05', 'r01']],
				[`tags=${enc("['vip', 'rocket']")}`, ['r05', 'r01']],
				[`tags=${enc("['rocket', 'chat']")}`, ['r06', 'r05']],
				['tags=vip', ['r01']],
				[`tags=${enc('["vip"]')}`, ['r01']],
				['tags[]=vip', ['r01']],

				['agents=alice&agents=u-bob', ['r06', 'r05', 'r04', 'r02', 'r01', 'r07']],
				['agents[]=alice&agents[]=u-bob', ['r06', 'r05', 'r04', 'r02', 'r01', 'r07']],
				['agents[0]=alice&agents[1]=u-bob', ['r06', 'r05', 'r04', 'r02', 'r01', 'r07']],
				[`agents=${enc('["alice","u-bob"]')}`, ['r06', 'r05', 'r04', 'r02', 'r01', 'r07']],
				[`agents=${enc("['alice', 'u-bob']")}`, ['r06', 'r05', 'r04', 'r02', 'r01', 'r07']],
				['agents=alice', ['r05', 'r04', 'r01']],

				['departmentId=d-sales&departmentId=d-gone', ['r06', 'r03', 'r01', 'r07']],
				['departmentId[]=d-sales&departmentId[]=d-gone', ['r06', 'r03', 'r01', 'r07']],
				['departmentId[0]=d-sales&departmentId[1]=d-gone', ['r06', 'r03', 'r01', 'r07']],
				[`departmentId=${enc('["d-sales","d-gone"]')}`, ['r06', 'r03', 'r01', 'r07']],
				[`departmentId=${enc("['d-sales', 'd-gone']")}`, ['r06', 'r03', 'r01', 'r07']],

				['units[]=unit-1', ['r06']],
				[`units=${enc("['unit-2', 'unit-1']")}`, ['r06']],
			]);
		});
	});

	describe('open, onhold and queued together', () => {
		it.each<RoomsCase>([
			['queued=true&open=true', ['r03']],
			['queued=true&open=false', ['r03']],
			['queued=true&onhold=true', ['r03']],
			['queued=true&open=true&onhold=true', ['r03']],
			['queued=false&open=true', ['r02', 'r01', 'r07']],
			// upstream: onhold sets onHold: {$eq: true} over open's onHold: {$ne: true}
			['open=true&onhold=true', ['r04']],
			['open=false&onhold=true', []],
			['open=true&onhold=false', ['r02', 'r01', 'r07']],
			['open=maybe&onhold=true', ['r04']],
		])('queued overrides open and onhold; onhold replaces open\'s "not on hold": %s', (...row) => expectRooms([row]));
	});

	describe('parameters in combination', () => {
		it.each<RoomsCase>([
			['agents=alice&open=true', ['r01']],
			['agents=alice&open=false', ['r05']],
			['agents=alice&onhold=true', ['r04']],
			['agents=bob&departmentId=d-sales', ['r07']],
			['agents=u-bob&tags=chat', ['r06']],
			['agents=alice&tags=vip&tags=rocket', ['r05', 'r01']],
			['agents=alice&queued=true', []],
			['roomName=marcos&open=true', ['r01']],
			['roomName=marcos&queued=true', ['r03']],
			['roomName=marcos&departmentId=d-sales', ['r03', 'r01']],
			[`roomName=marcos&customFields=${enc('{"docId":"a"}')}`, ['r05', 'r01']],
			[`departmentId=d-sales&createdAt=${enc('{"end":"2024-01-10T10:00:00.000Z"}')}`, ['r01', 'r07']],
			[`tags=chat&closedAt=${enc('{"end":"2024-01-31T00:00:00.000Z"}')}`, ['r05']],
			['units=unit-1&open=false', ['r06']],
			[`agents=bob&customFields=${enc('{"docId":"-"}')}`, ['r02']],
			[`open=true&sort=${enc('{"ts":1}')}&count=2&offset=1`, ['r07', 'r02'], 3],
			[`agents=alice&agents=bob&departmentId=d-support&open=true&${ONLY_FIXTURE}`, ['r02']],
		])('every filter narrows the others: %s', (...row) => expectRooms([row]));
	});

	describe('paging', () => {
		it('count and offset cut the ordered matches; total counts them all', async () => {
			const page = async (query: string) => {
				const reply = await client.rooms(query, 'manager');
				return [query, reply.status, ids(reply), reply.body.count, reply.body.offset, reply.body.total];
			};
			expect(await page('count=3')).toEqual(['count=3', 200, ['r06', 'r05', 'r04'], 3, 0, TOTAL]);
			expect(await page('count=3&offset=5')).toEqual(['count=3&offset=5', 200, ['r01', 'r07', 'g118'], 3, 5, TOTAL]);
			expect(await page('offset=6&count=1')).toEqual(['offset=6&count=1', 200, ['r07'], 1, 6, TOTAL]);
			expect(await page('offset=120')).toEqual(['offset=120', 200, ALL_DESC.slice(120), 7, 120, TOTAL]);
			expect(await page('offset=127')).toEqual(['offset=127', 200, [], 0, 127, TOTAL]);
			expect(await page('offset=1000')).toEqual(['offset=1000', 200, [], 0, 1000, TOTAL]);
			expect(await page('open=true&count=2')).toEqual(['open=true&count=2', 200, ['r02', 'r01'], 2, 0, 3]);
			expect(await page('open=true&offset=2')).toEqual(['open=true&offset=2', 200, ['r07'], 1, 2, 3]);
			expect(await page('open=true&offset=3')).toEqual(['open=true&offset=3', 200, [], 0, 3, 3]);
		});

		it('count defaults to 50, is clamped at 100, and 0 means every match', async () => {
			const page = async (query: string) => {
				const reply = await client.rooms(query, 'manager');
				return [query, ids(reply), reply.body.count, reply.body.total];
			};
			expect(await page('')).toEqual(['', ALL_DESC.slice(0, 50), 50, TOTAL]);
			expect(await page('count=100')).toEqual(['count=100', ALL_DESC.slice(0, 100), 100, TOTAL]);
			expect(await page('count=101')).toEqual(['count=101', ALL_DESC.slice(0, 100), 100, TOTAL]);
			expect(await page('count=1000000')).toEqual(['count=1000000', ALL_DESC.slice(0, 100), 100, TOTAL]);
			expect(await page('count=0')).toEqual(['count=0', ALL_DESC, TOTAL, TOTAL]);
			expect(await page('count=0&offset=100')).toEqual(['count=0&offset=100', ALL_DESC.slice(100), 27, TOTAL]);
			expect(await page('count=200&offset=20')).toEqual(['count=200&offset=20', ALL_DESC.slice(20, 120), 100, TOTAL]);
			expect(await page('count=0&open=true')).toEqual(['count=0&open=true', ['r02', 'r01', 'r07'], 3, 3]);
		});

		it('pages of the default order meet exactly, across ties of the generated rooms', async () => {
			for (const count of [40, 50]) {
				const seen: string[] = [];
				for (let offset = 0; offset < TOTAL; offset += count) {
					const reply = await client.rooms(`count=${count}&offset=${offset}`, 'manager');
					expect(reply.body.total).toBe(TOTAL);
					seen.push(...ids(reply));
				}
				expect([count, seen]).toEqual([count, ALL_DESC]);
			}
		});
	});

	describe('sort', () => {
		const sorted = (sort: unknown, rest = '') => `sort=${enc(JSON.stringify(sort))}&${ONLY_FIXTURE}${rest}`;

		it.each<RoomsCase>([
			[sorted({ ts: -1 }), FIXTURE_DESC],
			[sorted({ ts: 1 }), ['r01', 'r07', 'r02', 'r03', 'r04', 'r05', 'r06']],
			[sorted({ _id: -1 }), ['r07', 'r06', 'r05', 'r04', 'r03', 'r02', 'r01']],
			// MongoDB compares strings by code unit: capitals first
			[sorted({ fname: 1 }), ['r02', 'r04', 'r05', 'r01', 'r07', 'r06', 'r03']],
			[sorted({ 'servedBy.username': 1 }), ['r03', 'r01', 'r04', 'r05', 'r02', 'r06', 'r07']],
			[sorted({ 'servedBy.username': -1 }), ['r02', 'r06', 'r07', 'r01', 'r04', 'r05', 'r03']],
			[sorted({ 'servedBy.username': 1, ts: -1 }), ['r03', 'r05', 'r04', 'r01', 'r06', 'r02', 'r07']],
			[sorted({ 'livechatData.docId': 1 }), ['r03', 'r04', 'r06', 'r07', 'r01', 'r02', 'r05']],
			[sorted({ 'livechatData.docId': -1 }), ['r05', 'r02', 'r01', 'r03', 'r04', 'r06', 'r07']],
			[sorted({ 'department.name': 1 }), ['r01', 'r02', 'r03', 'r04', 'r05', 'r06', 'r07']],
		])('orders on top-level and nested fields, ties broken by _id ascending whatever the direction: %s', (...row) => expectRooms([row]));

		it.each<RoomsCase>([
			[sorted({ closedAt: 1 }), ['r01', 'r02', 'r03', 'r04', 'r07', 'r05', 'r06']],
			[sorted({ closedAt: -1 }), ['r06', 'r05', 'r01', 'r02', 'r03', 'r04', 'r07']],
			[sorted({ departmentId: 1 }), ['r05', 'r06', 'r01', 'r03', 'r07', 'r02', 'r04']],
			[sorted({ departmentId: -1, ts: 1 }), ['r02', 'r04', 'r01', 'r07', 'r03', 'r06', 'r05']],
			// booleans after null
			[sorted({ open: 1 }), ['r05', 'r06', 'r01', 'r02', 'r03', 'r04', 'r07']],
			// arrays: ascending by their smallest element, descending by their largest
			[sorted({ tags: 1 }), ['r02', 'r03', 'r04', 'r07', 'r05', 'r06', 'r01']],
			[sorted({ tags: -1 }), ['r01', 'r05', 'r06', 'r02', 'r03', 'r04', 'r07']],
			[`sort=${enc('{"closedAt":1}')}&count=0`, [...BULK_ASC, 'r01', 'r02', 'r03', 'r04', 'r07', 'r05', 'r06'], TOTAL],
		])('sorts a field some rooms lack as null: first ascending, last descending: %s', (...row) => expectRooms([row]));

		it('pages of 1, 2 and 3 over ties meet exactly, with no overlap and no gap', async () => {
			for (const [sort, full] of [
				[{ 'servedBy.username': 1 }, ['r03', 'r01', 'r04', 'r05', 'r02', 'r06', 'r07']],
				[{ 'servedBy.username': -1 }, ['r02', 'r06', 'r07', 'r01', 'r04', 'r05', 'r03']],
				[{ departmentId: 1 }, ['r05', 'r06', 'r01', 'r03', 'r07', 'r02', 'r04']],
				[{ ts: -1 }, FIXTURE_DESC],
			] as Array<[Record<string, number>, string[]]>) {
				for (const count of [1, 2, 3]) {
					const seen: string[] = [];
					for (let offset = 0; offset < full.length + count; offset += count) {
						const reply = await client.rooms(sorted(sort, `&count=${count}&offset=${offset}`), 'manager');
						expect(reply.body.total).toBe(7);
						expect(reply.body.count).toBe(Math.max(0, Math.min(count, full.length - offset)));
						seen.push(...ids(reply));
					}
					expect([sort, count, seen]).toEqual([sort, count, full]);
				}
			}
		});
	});

	describe('fields', () => {
		const projected = async (fields: unknown, rest = ONLY_FIXTURE) =>
			(await client.rooms(`fields=${enc(JSON.stringify(fields))}&${rest}`, 'manager')).body.rooms;

		it('inclusion keeps _id unless _id is 0, and takes dotted paths', async () => {
			const names: Record<string, string> = {
				r01: 'Marcos Defendi',
				r02: 'Ana Maria',
				r03: 'marcos silva',
				r04: 'Hold Me',
				r05: 'Marcos',
				r06: 'Zed (regex.*)',
				r07: 'Tie With One',
			};
			expect(await projected({ fname: 1 })).toEqual(FIXTURE_DESC.map((id) => ({ _id: id, fname: names[id] })));
			expect(await projected({ fname: 1, _id: 0 })).toEqual(FIXTURE_DESC.map((id) => ({ fname: names[id] })));
			expect(await projected({ _id: 0, fname: 1 })).toEqual(FIXTURE_DESC.map((id) => ({ fname: names[id] })));
			expect(await projected({ 'v.username': 1 })).toEqual(FIXTURE_DESC.map((id) => ({ _id: id, v: { username: `guest-${id}` } })));
			expect(await projected({ 'servedBy.username': 1, tags: 1 })).toEqual([
				{ _id: 'r06', servedBy: { username: 'bob' }, tags: ['chat'] },
				{ _id: 'r05', servedBy: { username: 'alice' }, tags: ['rocket', 'chat'] },
				{ _id: 'r04', servedBy: { username: 'alice' } },
				{ _id: 'r03' },
				{ _id: 'r02', servedBy: { username: 'bob' } },
				{ _id: 'r01', servedBy: { username: 'alice' }, tags: ['vip'] },
				{ _id: 'r07', servedBy: { username: 'bob' } },
			]);
			expect(await projected({ ts: 1, closedAt: 1 }, `roomName=${enc('"Marcos"')}`)).toEqual([
				{ _id: 'r05', ts: '2024-01-14T10:00:00.000Z', closedAt: '2024-01-15T00:00:00.000Z' },
			]);
		});

		it('applies to the department too (added before the projection), including the deleted one', async () => {
			expect(await projected({ department: 1 })).toEqual([
				{ _id: 'r06' },
				{ _id: 'r05' },
				{ _id: 'r04', department: SUPPORT },
				{ _id: 'r03', department: SALES },
				{ _id: 'r02', department: SUPPORT },
				{ _id: 'r01', department: SALES },
				{ _id: 'r07', department: SALES },
			]);
			expect(await projected({ 'department.name': 1, _id: 0 })).toEqual([
				{},
				{},
				{ department: { name: 'Support' } },
				{ department: { name: 'Sales' } },
				{ department: { name: 'Support' } },
				{ department: { name: 'Sales' } },
				{ department: { name: 'Sales' } },
			]);
			expect(await projected({ department: 0 })).toEqual(FIXTURE_DESC.map((id) => without(DOCS[id], 'department')));
		});

		it('exclusion drops the named paths and keeps the rest', async () => {
			expect(await projected({ v: 0, livechatData: 0, department: 0 })).toEqual(
				FIXTURE_DESC.map((id) => without(DOCS[id], 'v', 'livechatData', 'department')),
			);
			expect(await projected({ _id: 0 })).toEqual(FIXTURE_DESC.map((id) => without(DOCS[id], '_id')));
			expect(await projected({ 'v.token': 0, 'servedBy.username': 0 }, `roomName=${enc('"Marcos Defendi"')}`)).toEqual([
				{ ...DOCS.r01, v: { _id: 'v-r01', username: 'guest-r01', status: 'online' }, servedBy: { _id: 'u-alice' } },
			]);
			expect(await projected({ 'department._id': 0, _id: 0 }, 'departmentId=d-support')).toEqual([
				{ ...without(DOCS.r04, '_id'), department: { name: 'Support' } },
				{ ...without(DOCS.r02, '_id'), department: { name: 'Support' } },
			]);
		});

		it('projects after sorting and paging: the order is that of the whole rooms', async () => {
			const reply = await client.rooms(
				`fields=${enc('{"fname":1}')}&sort=${enc('{"servedBy.username":-1}')}&count=3&offset=2&${ONLY_FIXTURE}`,
				'manager',
			);
			expect(reply.body).toEqual({
				rooms: [
					{ _id: 'r07', fname: 'Tie With One' },
					{ _id: 'r01', fname: 'Marcos Defendi' },
					{ _id: 'r04', fname: 'Hold Me' },
				],
				count: 3,
				offset: 2,
				total: 7,
				success: true,
			});
		});
	});

	describe('errors', () => {
		it('unknown parameter names, named in the message', async () => {
			for (const [query, name] of [
				['foo=1', 'foo'],
				['foo[]=1', 'foo'],
				['agents=alice&visitorId=v-r01', 'visitorId'],
				['Count=1', 'Count'],
			]) {
				const reply = await client.rooms(query, 'manager');
				expect([query, reply.status, reply.body]).toEqual([
					query,
					400,
					{
						success: false,
						error: expect.stringMatching(/^must NOT have additional properties\b.* \[invalid-params\]$/),
						errorType: 'invalid-params',
					},
				]);
				expect([query, reply.body.error.includes(name)]).toEqual([query, true]);
			}
		});

		it.each<ErrorCase>([
			['count=abc', invalidParams('count')],
			['count=-1', invalidParams('count')],
			['count=1.5', invalidParams('count')],
			['count[]=1', invalidParams('count')],
			['offset=-1', invalidParams('offset')],
			['offset=x', invalidParams('offset')],
			['offset=1&offset=2', invalidParams('offset')],
			['roomName[x]=a', invalidParams('roomName')],
			['roomName=a&roomName=b', invalidParams('roomName')],
			['agents[x]=alice', invalidParams('agents')],
			['tags[a]=vip', invalidParams('tags')],
			['departmentId[x]=d-sales', invalidParams('departmentId')],
			['units[x]=unit-1', invalidParams('units')],
			['sort[ts]=1', invalidParams('sort')],
			['fields[fname]=1', invalidParams('fields')],
			['createdAt[start]=2024-01-01', invalidParams('createdAt')],
			['closedAt[start]=2024-01-01', invalidParams('closedAt')],
			['customFields[docId]=A', invalidParams('customFields')],
			['open[x]=true', invalidParams('open')],
			['onhold[x]=true', invalidParams('onhold')],
			['queued[x]=true', invalidParams('queued')],
		])('values of the wrong shape: %s', (...row) => expectError([row]));

		it('sort: not JSON, not an object, or values other than 1 and -1', async () => {
			await expectError(
				['ts', '{"ts":2}', '{"ts":0}', '{"ts":"asc"}', '{"ts":"1"}', '[1]', '"ts"', '{"ts":1', 'null', '1'].map(
					(raw) => [`sort=${enc(raw)}`, invalidJsonParam('sort', raw)] as const,
				),
			);
		});

		it('fields: not JSON, not an object, values other than 0 and 1, or a mix of 1 and 0', async () => {
			await expectError(
				[
					'fname',
					'{"fname":1,"msgs":0}',
					'{"msgs":0,"fname":1}',
					'{"v.username":1,"ts":0}',
					'{"fname":2}',
					'{"fname":"1"}',
					'{"fname":-1}',
					'[1]',
					'{"fname":1',
				].map((raw) => [`fields=${enc(raw)}`, invalidJsonParam('fields', raw)] as const),
			);
		});

		it('createdAt and closedAt: not JSON, not an object, a bound that is not a date, neither bound', async () => {
			const cases: Array<readonly [string, unknown]> = [];
			for (const name of ['createdAt', 'closedAt']) {
				const json = plain(`The "${name}" query parameter must be a valid JSON.`);
				cases.push(
					[`${name}=nope`, json],
					[`${name}=${enc('{"start":')}`, json],
					[`${name}=${enc('[1,2]')}`, json],
					[`${name}=${enc('"2024-01-01"')}`, json],
					[`${name}=5`, json],
					[`${name}=${enc('{"start":"yesterday"}')}`, plain(`The "${name}.start" query parameter must be a valid date.`)],
					[`${name}=${enc('{"start":"2024-01-01","end":"tomorrow"}')}`, plain(`The "${name}.end" query parameter must be a valid date.`)],
					[`${name}=${enc('{"end":"2024-13-45"}')}`, plain(`The "${name}.end" query parameter must be a valid date.`)],
					[`${name}=${enc('{}')}`, plain(`The "${name}" query parameter must have "start" or "end".`)],
					[`${name}=${enc('{"from":"2024-01-01"}')}`, plain(`The "${name}" query parameter must have "start" or "end".`)],
				);
			}
			await expectError(cases);
		});

		it('customFields: not a JSON object of strings', async () => {
			const json = plain('The "customFields" query parameter must be a valid JSON.');
			await expectError([
				['customFields=nope', json],
				[`customFields=${enc('{"docId":')}`, json],
				[`customFields=${enc('["A-100"]')}`, json],
				[`customFields=${enc('"A-100"')}`, json],
				[`customFields=${enc('{"docId":100}')}`, json],
				[`customFields=${enc('{"docId":{"$regex":"A"}}')}`, json],
				[`customFields=${enc('{"docId":"A","plan":null}')}`, json],
			]);
		});

		it('no input produces a 500', async () => {
			for (const query of [
				'agents[99999999]=alice',
				`sort=${enc('{"__proto__":1}')}`,
				`fields=${enc('{"constructor":1}')}`,
				`customFields=${enc('{"__proto__":"a"}')}`,
				'count=99999999999999999999999',
				`roomName=${enc('\u0000')}`,
				'agents[__proto__]=x',
				`tags=${enc('[[]]')}`,
				'__proto__[x]=1',
			]) {
				const reply = await client.rooms(query, 'manager');
				expect([query, [200, 400].includes(reply.status), reply.body?.success === (reply.status === 200)]).toEqual([query, true, true]);
			}
			expect((await client.rooms('', 'manager')).status).toBe(200);
		});
	});

	describe('permissions', () => {
		it('managers and admins see every room', async () => {
			for (const user of ['manager', 'admin']) {
				const reply = await client.rooms('count=0', user);
				expect([user, reply.status, ids(reply), reply.body.total]).toEqual([user, 200, ALL_DESC, TOTAL]);
				expect([user, ids(await client.rooms('agents=bob', user))]).toEqual([user, ['r06', 'r02', 'r07']]);
			}
		});

		it("agents see their own rooms by id or username and nobody else's", async () => {
			await expectRooms(
				[
					['agents=u-alice', ['r05', 'r04', 'r01']],
					['agents=alice', ['r05', 'r04', 'r01']],
					['agents=alice&agents=u-alice', ['r05', 'r04', 'r01']],
					[`agents=${enc('["u-alice"]')}`, ['r05', 'r04', 'r01']],
					['agents[]=alice', ['r05', 'r04', 'r01']],
					['agents=alice&open=true', ['r01']],
				],
				'alice',
			);
			await expectRooms(
				[
					['agents=u-bob', ['r06', 'r02', 'r07']],
					['agents=bob', ['r06', 'r02', 'r07']],
				],
				'bob',
			);
			for (const [user, other] of [
				['alice', 'u-bob'],
				['alice', 'bob'],
				['bob', 'u-alice'],
			]) {
				const self = `u-${user}`;
				await expectError(
					[
						[`agents=${other}`, FORBIDDEN],
						[`agents=${self}&agents=${other}`, FORBIDDEN],
						[`agents=${user}&agents=${other}`, FORBIDDEN],
						['', FORBIDDEN],
						['open=true', FORBIDDEN],
					],
					user,
					403,
				);
			}
		});

		it('a monitor sees only their own (no) rooms', async () => {
			for (const query of ['agents=u-monitor', 'agents=monitor']) {
				const reply = await client.rooms(query, 'monitor');
				expect([query, reply.status, reply.body]).toEqual([query, 200, { rooms: [], count: 0, offset: 0, total: 0, success: true }]);
			}
			await expectError(
				[
					['agents=u-alice', FORBIDDEN],
					['agents=u-monitor&agents=u-alice', FORBIDDEN],
					['', FORBIDDEN],
				],
				'monitor',
				403,
			);
		});

		it('a user with no omnichannel role is refused, even asking for their own rooms', async () => {
			await expectError(
				[
					['', FORBIDDEN],
					['agents=u-carol', FORBIDDEN],
					['agents=carol', FORBIDDEN],
				],
				'carol',
				403,
			);
		});

		it('an unauthenticated request gets 401 Unauthorized', async () => {
			for (const query of ['', 'agents=u-alice', 'count=abc']) {
				const reply = await client.rooms(query);
				expect([query, reply.status, reply.text]).toEqual([query, 401, 'Unauthorized']);
			}
		});

		it('checks parameters before permission', async () => {
			await expectError(
				[
					['count=abc', invalidParams('count')],
					[`sort=${enc('nope')}`, invalidJsonParam('sort', 'nope')],
					[`createdAt=${enc('{}')}`, plain('The "createdAt" query parameter must have "start" or "end".')],
				],
				'carol',
			);
			const unknown = await client.rooms('foo=1', 'carol');
			expect([unknown.status, unknown.body.errorType]).toEqual([400, 'invalid-params']);
			await expectError([['agents=u-bob&fields=nope', invalidJsonParam('fields', 'nope')]], 'alice');
			await expectError([['customFields=nope', plain('The "customFields" query parameter must be a valid JSON.')]], 'monitor');
		});
	});
});
