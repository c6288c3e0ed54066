/**
 * `npm start -- --instances 2 --traffic`, for a while: the traffic drives the demo data through the omnichannel REST
 * paths on both instances in turn (visitors arrive and write, agents take, answer, hold, resume, tag and close rooms, a
 * manager transfers them). Afterwards every answer of both instances is checked against the store, exactly: every
 * room document as stored, the filters evaluated by mingo on upstream's MongoDB query, the counts, the command's total.
 * And nothing the traffic did was lost: each room it drove is in the store as its last action left it.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Query } from 'mingo';

import { parseRoomQuery } from '../../src/query/fromParams';
import type { RunningWorkspace } from '../../workspace';
import { startWorkspace } from '../../workspace';
import { DEMO_NOW, demoData } from '../../workspace/data/demo';
import type { StoredRoom, WorkspaceData, WorkspaceUser } from '../../workspace/data/types';
import { Traffic } from '../../workspace/traffic';
import type { TrafficAction } from '../../workspace/traffic';
import { indexReady } from '../engine/client';
import { mongoFilter, mongoSort } from '../reference/mongoQuery';
import { announcedTotal } from '../robustness/harness';
import type { Json } from '../engine/client';

/** How long the traffic runs at least, and how many actions it takes at least (whichever ends later; at most 50 s). */
const RUN_MS = 20_000;
const MIN_ACTIONS = 150;
const MAX_RUN_MS = 50_000;

let running: RunningWorkspace;
let data: WorkspaceData;
let traffic: Traffic;
let livechatAtStart: number;
let manager: WorkspaceUser;

/** A value as it crosses JSON, keys sorted: dates as ISO strings, undefined left out. */
function canonical(value: unknown): unknown {
	if (value instanceof Date) return value.toISOString();
	if (Array.isArray(value)) return value.map(canonical);
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const key of Object.keys(value).sort()) {
			const v = (value as Record<string, unknown>)[key];
			if (v !== undefined) out[key] = canonical(v);
		}
		return out;
	}
	return value;
}

function livechat(): StoredRoom[] {
	return running.state.allRooms().filter((room) => room.t === 'l');
}

/** A user reference as the engine hands it over: `_id` and `username`, what is stored beside them dropped. */
function reference(value: unknown): unknown {
	if (!value || typeof value !== 'object') return value;
	const { _id, username } = value as { _id?: unknown; username?: unknown };
	return { _id, username };
}

/**
 * A stored room as the endpoint answers it (docs/endpoint.md, "Answer"): the document, its user references cut to
 * `_id` and `username`, and its department's name when the department exists.
 */
function asAnswered(room: StoredRoom): unknown {
	const department = running.state.departments.find((d) => d._id === room.departmentId);
	const users = Object.fromEntries(['servedBy', 'closedBy', 'responseBy'].filter((key) => room[key] !== undefined).map((key) => [key, reference(room[key])]));
	return canonical({ ...room, ...users, ...(department && { department: { _id: department._id, name: department.name } }) });
}

/** What the store answers for an endpoint query string: the ids in order, and the total (mingo on upstream's query). */
function fromStore(search: string): { ids: string[]; total: number } {
	const parsed = parseRoomQuery(Object.fromEntries(new URLSearchParams(search)));
	if (!parsed.ok) throw new Error(`${search}: ${JSON.stringify(parsed)}`);
	const matched = new Query(mongoFilter(parsed.value)).find<StoredRoom>(livechat()).sort(mongoSort(parsed.value)).all();
	return { ids: matched.map((room) => room._id as string), total: matched.length };
}

async function get(url: string, user: WorkspaceUser): Promise<{ status: number; body: Json }> {
	const res = await fetch(url, { headers: { 'X-User-Id': user._id, 'X-Auth-Token': user.authToken } });
	return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
	data = demoData({ now: DEMO_NOW });
	livechatAtStart = data.rooms.filter((room) => room.t === 'l').length;
	manager = data.users.find((u) => u.roles.includes('livechat-manager')) as WorkspaceUser;
	running = await startWorkspace({ data, instances: 2, schedulerPollMs: 0 });
	await indexReady(running);
	traffic = new Traffic({ urls: running.instances.map((i) => i.url), data, perMinute: 1200, seed: 7 });
	const started = Date.now();
	traffic.start();
	const done = (): number => Object.values(traffic.stats.done).reduce((a, b) => a + (b ?? 0), 0);
	while (Date.now() - started < MAX_RUN_MS && (Date.now() - started < RUN_MS || done() < MIN_ACTIONS)) {
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	await traffic.stop();
	// Each instance replays what the other handled at most once a second before answering.
	await new Promise((resolve) => setTimeout(resolve, 1500));
}, 180_000);

afterAll(async () => {
	await traffic?.stop();
	await running?.stop();
});

describe('the traffic', () => {
	test('every action it sent was accepted, on both instances in turn', () => {
		expect(traffic.stats.failures).toEqual([]);
		const [first, second] = traffic.stats.perInstance;
		expect(Math.abs(first - second)).toBeLessThanOrEqual(1);
		expect(first + second).toBeGreaterThanOrEqual(MIN_ACTIONS);
	});

	test('did what a contact centre does: every kind of action', () => {
		const kinds: TrafficAction[] = ['arrive', 'take', 'visitor message', 'agent message', 'hold', 'resume', 'transfer', 'tag', 'close'];
		expect(kinds.filter((kind) => !traffic.stats.done[kind])).toEqual([]);
	});

	test('lost nothing: each room it drove is stored as its last action left it', () => {
		const started = [...traffic.rooms.values()].filter((room) => room.started);
		expect(livechat().length).toBe(livechatAtStart + started.length);
		const differences: string[] = [];
		for (const room of traffic.rooms.values()) {
			const stored = running.state.findRoom(room.rid);
			if (!stored) {
				differences.push(`${room.rid}: not in the store`);
				continue;
			}
			const state = stored.open !== true ? 'closed' : stored.onHold === true ? 'onhold' : stored.servedBy ? 'open' : 'queued';
			const agentId = (stored.servedBy as { _id?: string } | undefined)?._id;
			if (state !== room.state) differences.push(`${room.rid}: ${state}, the traffic left it ${room.state}`);
			if (room.state !== 'closed' && agentId !== room.agentId) differences.push(`${room.rid}: served by ${agentId}, the traffic saw ${room.agentId}`);
			if (stored.departmentId !== room.departmentId)
				differences.push(`${room.rid}: department ${stored.departmentId}, the traffic saw ${room.departmentId}`);
			const tags = (stored.tags as string[] | undefined) ?? [];
			const missing = room.tags.filter((tag) => !tags.includes(tag));
			if (missing.length) differences.push(`${room.rid}: tags ${tags.join(',')} lack ${missing.join(',')}`);
		}
		expect(differences).toEqual([]);
		expect(started.length).toBeGreaterThan(0);
		expect([...traffic.rooms.values()].filter((room) => room.state === 'closed').length).toBeGreaterThan(0);
	});
});

describe.each([1, 2])('instance %i, afterwards, answers exactly what the store holds', (k) => {
	const appUrl = (): string => running.instances[k - 1].appUrl;

	test('every livechat room, each document as stored', async () => {
		const answer = await get(`${appUrl()}/rooms?count=0`, manager);
		expect(answer.status).toBe(200);
		const expected = fromStore('count=0');
		expect(answer.body.total).toBe(expected.total);
		expect(answer.body.rooms.map((room: Json) => room._id)).toEqual(expected.ids);
		const byId = new Map(livechat().map((room) => [room._id as string, room]));
		const differing = (answer.body.rooms as Json[]).filter(
			(room) => JSON.stringify(canonical(room)) !== JSON.stringify(asAnswered(byId.get(room._id) as StoredRoom)),
		);
		const first = differing[0];
		expect(first && { answered: canonical(first), stored: asAnswered(byId.get(first._id) as StoredRoom) }).toBeUndefined();
		expect(differing.map((room) => room._id)).toEqual([]);
	});

	const queries = (): string[] => [
		'open=true&count=0',
		'queued=true&count=0',
		'onhold=true&count=0',
		'open=false&count=0',
		'open=true&onhold=true&count=0',
		'tags=vip&count=0',
		`sort=${encodeURIComponent('{"_updatedAt":-1}')}&count=25`,
		`sort=${encodeURIComponent('{"msgs":-1}')}&count=10&offset=5`,
		...data.departments.map((d) => `departmentId=${d._id}&count=0`),
		...data.users.filter((u) => u.roles.includes('livechat-agent')).map((u) => `agents=${u._id}&count=0`),
	];

	test('every filter, every page: the same rooms in the same order, and the same total', async () => {
		const wrong: string[] = [];
		for (const search of queries()) {
			const answer = await get(`${appUrl()}/rooms?${search}&fields=${encodeURIComponent('{"_id":1}')}`, manager);
			const expected = fromStore(search);
			const ids = (answer.body.rooms as Json[]).map((room) => room._id);
			const page = search.includes('count=0')
				? expected.ids
				: expected.ids.slice(Number(/offset=(\d+)/.exec(search)?.[1] ?? 0)).slice(0, Number(/count=(\d+)/.exec(search)?.[1]));
			if (answer.status !== 200 || answer.body.total !== expected.total || JSON.stringify(ids) !== JSON.stringify(page)) {
				wrong.push(`${search}: ${answer.status}, total ${answer.body.total} (store ${expected.total})`);
			}
		}
		expect(wrong).toEqual([]);
	});

	test('rooms/counts: the four statuses as the store counts them', async () => {
		const answer = await get(`${appUrl()}/rooms/counts`, manager);
		expect(answer.status).toBe(200);
		expect(answer.body.total).toBe(livechat().length);
		expect(answer.body.status).toEqual({
			queued: fromStore('queued=true').total,
			open: fromStore('open=true').total,
			onhold: fromStore('onhold=true').total,
			closed: fromStore('open=false').total,
		});
	});

	test("the command's list announces the store's total", async () => {
		const res = await fetch(`${running.instances[k - 1].url}/api/v1/commands.run`, {
			method: 'POST',
			headers: { 'X-User-Id': manager._id, 'X-Auth-Token': manager.authToken, 'Content-Type': 'application/json' },
			body: JSON.stringify({ command: 'livechat-rooms', params: 'status=open count=5' }),
		});
		const body = (await res.json()) as Json;
		expect(announcedTotal(body.notifications[0].text)).toBe(fromStore('open=true').total);
	});
});
