/**
 * The rest of upstream's contract and what managers ask for first (docs/endpoint.md: `query`, `rooms/counts`, CSV), over HTTP through the real
 * engine: `query`, `rooms/counts` and `format=csv`, each checked against the endpoint's own `rooms` answers.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import mingo from 'mingo';

import { parseRoomQuery } from '../../src/query/fromParams';
import { mongoFilter, mongoSort } from '../reference/mongoQuery';
import type { Json } from './client';
import { announceStarted, TestClient } from './client';
import { fixture } from './fixture';

let client: TestClient;

beforeAll(async () => {
	client = await TestClient.start(fixture());
}, 120000);

afterAll(async () => {
	await client?.stop();
});

const enc = encodeURIComponent;
const ids = (body: Json): string[] => body.rooms.map((room: Json) => room._id);
const counts = (query: string, username = 'manager') =>
	client.request(`${client.running.appUrl}/rooms/counts${query ? `?${query}` : ''}`, { headers: client.auth(username) });

/** RFC 4180 rows of a CSV text. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (c === '"') quoted = false;
			else cell += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			row.push(cell);
			cell = '';
		} else if (c === '\r' && text[i + 1] === '\n') {
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
			i++;
		} else cell += c;
	}
	if (cell !== '' || row.length > 0) rows.push([...row, cell]);
	return rows;
}

describe('query', () => {
	it.each([
		['{"tags":{"$in":["vip"]}}', 'tags=vip'],
		['{"servedBy.username":"alice"}', 'agents=alice'],
		['{"open":{"$exists":false},"onHold":{"$ne":true}}', 'open=false'],
		['{"fname":"Marcos Defendi"}', `roomName=${enc('"Marcos Defendi"')}`],
		['{"fname":{"$regex":"marcos","$options":"i"}}', 'roomName=marcos'],
	])('%s selects what the built-in filter %s selects', async (query, same) => {
		const viaQuery = await client.rooms(`query=${enc(query)}&count=0`, 'manager');
		const builtIn = await client.rooms(`${same}&count=0`, 'manager');
		expect(viaQuery.status).toBe(200);
		expect(ids(viaQuery.body)).toEqual(ids(builtIn.body));
		expect(viaQuery.body.total).toBeGreaterThan(0);
	});

	it('is ANDed with the other filters and dates are extended JSON: the rooms of the store that MongoDB would select, in order', async () => {
		const answer = await client.rooms(`open=true&query=${enc('{"ts":{"$gte":{"$date":"2024-01-11T00:00:00Z"}}}')}&count=0`, 'manager');
		expect(answer.status).toBe(200);
		const open = parseRoomQuery({ open: 'true', count: '0' });
		if (!open.ok) throw new Error(open.error.error);
		const filter = { $and: [mongoFilter(open.value), { ts: { $gte: new Date('2024-01-11T00:00:00Z') } }] };
		const expected = mingo
			.find([...client.running.state.allRooms()], filter)
			.sort(mongoSort(open.value))
			.all() as Json[];
		expect(expected.length).toBeGreaterThan(0);
		expect(expected.length).toBeLessThan(mingo.find([...client.running.state.allRooms()], mongoFilter(open.value)).all().length);
		expect(ids(answer.body)).toEqual(expected.map((room) => room._id));
	});

	it.each([
		['{"$where":"sleep(1)"}', /\$where/],
		['{"fname":{"$regex":"(a+)+$"}}', /\$regex/],
		['not json', /^Invalid query parameter provided: "not json" \[error-invalid-query\]$/],
	])('refuses %s with a 400 naming it', async (query, message) => {
		const answer = await client.rooms(`query=${enc(query)}`, 'manager');
		expect(answer.status).toBe(400);
		expect(answer.body.errorType).toBe('error-invalid-query');
		expect(answer.body.error).toMatch(message);
	});

	it("runs inside an agent's own scope", async () => {
		const mine = await client.rooms(`agents=u-alice&query=${enc('{"servedBy.username":{"$in":["alice","bob"]}}')}&count=0`, 'alice');
		expect(mine.status).toBe(200);
		expect(mine.body.rooms.every((room: Json) => room.servedBy._id === 'u-alice')).toBe(true);
	});
});

describe('rooms/counts', () => {
	it.each(['', 'departmentId=d-sales', 'tags=vip', `createdAt=${enc('{"start":"2024-01-11T00:00:00Z"}')}`, 'open=true', 'queued=true'])(
		'with "%s": total and every status count are what rooms answers as total',
		async (filters) => {
			const answer = await counts(filters);
			expect(answer.status).toBe(200);
			const total = async (extra: string): Promise<number> => {
				const params = new URLSearchParams(filters);
				for (const key of ['open', 'onhold', 'queued']) params.delete(key);
				return (await client.rooms(`${params.toString()}${params.toString() ? '&' : ''}${extra}&count=1`, 'manager')).body.total;
			};
			expect(answer.body.total).toBe((await client.rooms(`${filters}${filters ? '&' : ''}count=1`, 'manager')).body.total);
			expect(answer.body.status).toEqual({
				queued: await total('queued=true'),
				open: await total('open=true'),
				onhold: await total('onhold=true'),
				closed: await total('open=false'),
			});
			const sum = (list: Array<{ count: number }>) => list.reduce((n, entry) => n + entry.count, 0);
			expect(sum(answer.body.departments)).toBe(answer.body.total);
			expect(sum(answer.body.agents)).toBe(answer.body.total);
			expect(sum(answer.body.sources)).toBe(answer.body.total);
			expect(answer.body.success).toBe(true);
		},
	);

	it('names departments that exist, and null for those that do not', async () => {
		const { body } = await counts('');
		expect(body.departments).toContainEqual(expect.objectContaining({ _id: 'd-sales', name: 'Sales' }));
		for (const entry of body.departments) if (entry._id === null || !['d-sales', 'd-support'].includes(entry._id)) expect(entry.name).toBeNull();
	});

	it('has the longest wait among the queued rooms', async () => {
		const { body } = await counts('');
		const queued = await client.rooms(`queued=true&count=0&sort=${enc('{"ts":1}')}`, 'manager');
		expect(body.waiting.count).toBe(queued.body.total);
		if (queued.body.total > 0) expect(body.waiting.longest._id).toBe(queued.body.rooms[0]._id);
	});

	it.each(['offset=0', 'count=5', `sort=${enc('{"ts":1}')}`, `fields=${enc('{"_id":1}')}`, 'format=csv'])('refuses the page parameter %s', async (param) => {
		const answer = await counts(param);
		expect(answer.status).toBe(400);
		expect(answer.body.error).toMatch(new RegExp(`^must NOT have additional properties: "${param.split('=')[0]}" \\[invalid-params\\]$`));
	});

	it('has the same access as rooms: an agent their own rooms only, nobody else anything', async () => {
		expect((await counts('agents=u-alice', 'alice')).status).toBe(200);
		expect((await counts('agents=u-alice', 'alice')).body.total).toBe((await client.rooms('agents=u-alice&count=1', 'alice')).body.total);
		expect((await counts('', 'alice')).status).toBe(403);
		expect((await counts('', 'carol')).status).toBe(403);
		expect((await client.request(`${client.running.appUrl}/rooms/counts`)).status).toBe(401);
	});
});

describe('format=csv', () => {
	it('answers the page as RFC 4180 CSV with the default columns, errors staying JSON', async () => {
		const answer = await client.rooms('format=csv&count=0', 'manager');
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
		expect(answer.headers.get('content-disposition')).toBe('attachment; filename="livechat-rooms.csv"');
		const rows = parseCsv(answer.text);
		expect(rows[0]).toEqual(['_id', 'fname', 'status', 'servedBy.username', 'department.name', 'ts', 'closedAt', 'tags', 'source.type', 'msgs']);
		const json = await client.rooms('count=0', 'manager');
		expect(rows.slice(1).map((row) => row[0])).toEqual(ids(json.body));
		const bad = await client.rooms('format=csv&count=-1', 'manager');
		expect([bad.status, bad.headers.get('content-type')]).toEqual([400, expect.stringMatching(/application\/json/)]);
	});

	it('takes the fields inclusion as its columns', async () => {
		const answer = await client.rooms(`format=csv&fields=${enc('{"fname":1,"tags":1}')}&tags=vip`, 'manager');
		const rows = parseCsv(answer.text);
		expect(rows[0]).toEqual(['_id', 'fname', 'tags']);
		expect(rows.length - 1).toBe((await client.rooms('tags=vip', 'manager')).body.count);
	});

	it('gives a room stored closed but still marked on hold the one status the filters, the counts and the command give it: onhold', async () => {
		client.running.workspace.state.addRoom({
			_id: 'r-stale-hold',
			t: 'l',
			fname: 'Stale Hold',
			ts: new Date('2024-02-02T00:00:00Z'),
			closedAt: new Date('2024-02-02T01:00:00Z'),
			servedBy: { _id: 'u-alice', username: 'alice' },
			onHold: true,
			tags: ['stale-hold'],
			msgs: 1,
		});
		await announceStarted(client.running, ['r-stale-hold']);
		const rows = parseCsv((await client.rooms('format=csv&tags=stale-hold', 'manager')).text);
		expect(rows.map((row) => [row[0], row[2]])).toEqual([
			['_id', 'status'],
			['r-stale-hold', 'onhold'],
		]);
		expect((await counts('tags=stale-hold')).body.status).toEqual({ queued: 0, open: 0, onhold: 1, closed: 0 });
		expect(ids((await client.rooms('tags=stale-hold&onhold=true', 'manager')).body)).toEqual(['r-stale-hold']);
		expect((await client.rooms('tags=stale-hold&open=false', 'manager')).body.total).toBe(0);
		const command = await client.command('tag=stale-hold', 'manager');
		const text: string = command.body.notifications[0].text;
		expect(text.split('\n').find((line) => line.includes('Stale Hold'))).toMatch(/^⏸ Stale Hold · @alice · on hold · /);
		expect((await client.command('tag=stale-hold status=closed', 'manager')).body.notifications[0].text).toMatch(/^No rooms match\./);
	});

	it('never lets a cell run as a formula in a spreadsheet', async () => {
		const state = client.running.workspace.state;
		state.addRoom({
			_id: 'r-formula',
			t: 'l',
			fname: '=HYPERLINK("http://example.com","x")',
			ts: new Date('2024-02-01T00:00:00Z'),
			tags: ['+1', '@x'],
			msgs: 0,
		});
		await announceStarted(client.running, ['r-formula']);
		const rows = parseCsv((await client.rooms(`format=csv&roomName=${enc('HYPERLINK')}`, 'manager')).text);
		expect(rows[1][1]).toBe('\'=HYPERLINK("http://example.com","x")');
		expect(rows[1][7]).toBe("'+1;@x");
	});
});
