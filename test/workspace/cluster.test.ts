/**
 * A cluster of two instances running the probe app: each instance its own engine and Deno runtime, one shared store,
 * persistence and scheduler; events only where they are fired; settings broadcast; restarts lose memory, not data.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';

import type { RunningWorkspace } from '../../workspace';
import { startWorkspace } from '../../workspace';
import { parseData } from '../../workspace/data/load';
import { fixture } from '../engine/fixture';
import { ADMIN, json, memory, op, probeZip } from './probe';

let running: RunningWorkspace;
const ALICE = { 'X-User-Id': 'u-alice', 'X-Auth-Token': 'token-alice' };
const misc = (id: string): { model: string; id: string } => ({ model: 'misc', id });
const room = (id: string): { model: string; id: string } => ({ model: 'room', id });
/** What a value looks like once it has crossed JSON (dates as ISO strings, undefined gone). */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

beforeAll(async () => {
	running = await startWorkspace({ data: fixture(), instances: 2, zip: probeZip(), schedulerPollMs: 0 });
}, 180_000);

afterAll(async () => {
	await running?.stop();
});

describe('the instances', () => {
	test.each([1, 2])('instance %i answers /api/info with its number and the app enabled', async (k) => {
		const reply = await json(`${running.instances[k - 1].url}/api/info`);
		expect(reply.body).toMatchObject({ success: true, instance: k, apps: [{ id: running.app.id, status: expect.stringMatching(/enabled/) }] });
	});

	test('each instance runs its own Deno runtime', async () => {
		const pids = await Promise.all(running.cluster.instances.map((instance) => instance.pid()));
		expect(pids.every((pid) => typeof pid === 'number')).toBe(true);
		expect(new Set(pids).size).toBe(2);
	});
});

describe('events run in the receiving instance only', () => {
	test.each([
		[1, 2],
		[2, 1],
	])('fired on instance %i, not seen on instance %i', async (k, other) => {
		const id = `event-room-${k}`;
		running.state.addRoom({
			_id: id,
			t: 'l',
			fname: 'Event',
			ts: new Date('2026-01-01T00:00:00.000Z'),
			open: true,
			tags: ['t1'],
			v: { _id: 'v-r01', username: 'guest-r01', token: 'token-r01' },
		});
		await running.fire(k, 'IPostLivechatRoomStarted', running.fullRoom(id));
		const mine = (await memory(running, k)).events.filter((e) => e.room?.id === id);
		const theirs = (await memory(running, other)).events.filter((e) => e.room?.id === id);
		expect(mine).toHaveLength(1);
		expect(theirs).toHaveLength(0);
		// the full room, dates still dates in the app, every other stored field in _unmappedProperties_
		expect(mine[0]).toMatchObject({ event: 'IPostLivechatRoomStarted', createdAtIsDate: true, room: { _unmappedProperties_: { tags: ['t1'] } } });
		expect(mine[0].room).toEqual(asJson(running.fullRoom(id)));
	});

	test('a failing or unknown event is logged, never thrown', async () => {
		const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
		try {
			await expect(running.fire(2, 'INoSuchEvent', {})).resolves.toBeUndefined();
			await expect(running.fire(7, 'IPostLivechatRoomStarted', {})).resolves.toBeUndefined();
			expect(consoleError).toHaveBeenCalledTimes(2);
		} finally {
			consoleError.mockRestore();
		}
	});
});

describe('the rooms an app reads', () => {
	test.each([1, 2])('getById on instance %i is the full conversion', async (k) => {
		const before = running.state.stats.roomById;
		const { result } = await op(running, k, { op: 'room', id: 'r05' });
		expect(result).toEqual(asJson(running.fullRoom('r05')));
		expect(result._unmappedProperties_.tags).toEqual(['rocket', 'chat']);
		expect(running.state.stats.roomById).toBe(before + 1);
	});

	test('getAllRooms pages through the projection in insertion order', async () => {
		const { result } = await op(running, 2, { op: 'rooms', limit: 3, skip: 1 });
		const livechat = running.state.allRooms().filter((r) => r.t === 'l');
		expect(result.map((r: { id: string }) => r.id)).toEqual(livechat.slice(1, 4).map((r) => r._id));
		for (const r of result) {
			expect(Object.keys(r._unmappedProperties_)).toEqual([]);
			expect(r.tags).toBeUndefined();
		}
	});

	test.each([
		[{ limit: 0 }, 'limit'],
		[{ limit: 101 }, 'limit'],
		[{ skip: -1 }, 'skip'],
	])('getAllRooms refuses %j', async (paging, word) => {
		const { error } = await op(running, 1, { op: 'rooms', ...paging });
		expect(error).toContain(word);
	});
});

describe('persistence is one store for the cluster', () => {
	test('written on one instance, read and updated on the other, with the bridge semantics', async () => {
		const tag = `p-${Date.now()}`;
		const created = await op(running, 1, { op: 'createWithAssociations', data: { n: 1 }, associations: [room('r01'), misc(tag)] });
		expect(typeof created.result).toBe('string');
		expect((await op(running, 2, { op: 'read', id: created.result })).result).toEqual({ n: 1 });
		expect((await op(running, 2, { op: 'readByAssociations', associations: [misc(tag)] })).result).toEqual([{ n: 1 }]);
		expect((await op(running, 2, { op: 'readByAssociations', associations: [misc(tag), misc('other')] })).result).toEqual([]);
		// the exact list, order included
		await op(running, 2, { op: 'updateByAssociations', associations: [misc(tag), room('r01')], data: { n: 2 }, upsert: false });
		expect((await op(running, 1, { op: 'read', id: created.result })).result).toEqual({ n: 1 });
		await op(running, 2, { op: 'updateByAssociations', associations: [room('r01'), misc(tag)], data: { n: 3 }, upsert: false });
		expect((await op(running, 1, { op: 'read', id: created.result })).result).toEqual({ n: 3 });
		expect((await op(running, 1, { op: 'update', id: created.result, data: { n: 4 } })).error).toContain('Not implemented');
		expect((await op(running, 2, { op: 'removeByAssociations', associations: [misc(tag)] })).result).toEqual([{ n: 3 }]);
		expect((await op(running, 1, { op: 'readByAssociations', associations: [misc(tag)] })).result).toEqual([]);
	});

	test('reads, writes and the bytes written are counted in the stats', async () => {
		await json(`${running.url}/api/workspace/stats/reset`, { method: 'POST' });
		await op(running, 2, { op: 'create', data: { n: 1 } });
		await op(running, 1, { op: 'readByAssociations', associations: [misc('none')] });
		const stats = (await json(`${running.instances[1].url}/api/workspace/stats`)).body;
		// `{"n":1}`: seven bytes of data, and no associations.
		expect(stats).toEqual({ roomListCalls: 0, roomsWalked: 0, roomById: 0, persistenceReads: 1, persistenceWrites: 1, persistenceBytesWritten: 7 });
	});
});

describe('the scheduler runs a job once per cluster', () => {
	const runsOf = async (name: string): Promise<unknown[]> =>
		(await op(running, 1, { op: 'readByAssociations', associations: [misc('runs'), misc(name)] })).result;

	test('the startup job both instances registered is one job, and one run per interval', async () => {
		const sweep = running.scheduler.list(running.app.id).filter((job) => job.name === `sweep_${running.app.id}`);
		expect(sweep).toHaveLength(1);
		expect(await runsOf('sweep')).toHaveLength(0);
		await running.scheduler.advance(15 * 60_000);
		expect(await runsOf('sweep')).toHaveLength(1);
		await running.scheduler.advance(15 * 60_000);
		const runs = (await runsOf('sweep')) as Array<{ overlapped: boolean }>;
		expect(runs).toHaveLength(2);
		expect(runs.some((run) => run.overlapped)).toBe(false);
		const inMemory = [...(await memory(running, 1)).jobs, ...(await memory(running, 2)).jobs].filter((job) => job.name === 'sweep');
		expect(inMemory).toHaveLength(2);
	});

	test('a one-time job scheduled by the app runs once, with its data', async () => {
		const scheduled = await op(running, 2, { op: 'scheduleOnce', id: 'once', when: 'in 10 minutes', data: { room: 'r01' } });
		expect(scheduled.error).toBeUndefined();
		await running.scheduler.advance(10 * 60_000);
		await running.scheduler.advance(10 * 60_000);
		const runs = (await runsOf('once')) as Array<{ data: Record<string, unknown> }>;
		expect(runs).toHaveLength(1);
		expect(runs[0].data).toMatchObject({ room: 'r01' });
	});

	test('a job cancelled by the app does not run', async () => {
		await op(running, 1, { op: 'scheduleRecurring', id: 'every', interval: '1 minute', skipImmediate: true });
		await op(running, 2, { op: 'cancelJob', id: 'every' });
		await running.scheduler.advance(2 * 60_000);
		expect(await runsOf('every')).toHaveLength(0);
	});
});

describe('app settings, as the apps REST API serves them', () => {
	const settingsUrl = (k: number): string => `${running.instances[k - 1].url}/api/apps/${running.app.id}/settings`;
	const post = (k: number, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> =>
		json(settingsUrl(k), { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

	test('a change on one instance runs the settings hook on every instance', async () => {
		const reply = await post(1, ADMIN, {
			settings: [
				{ id: 'greeting', value: 'bonjour' },
				{ id: 'no-such-setting', value: 1 },
			],
		});
		expect(reply).toEqual({ status: 200, body: { updated: [{ id: 'greeting', value: 'bonjour' }], success: true } });
		for (const k of [1, 2]) expect((await memory(running, k)).settings).toContainEqual({ id: 'greeting', value: 'bonjour' });
		const read = await json(settingsUrl(2), { headers: ADMIN });
		expect(read.status).toBe(200);
		expect(read.body).toMatchObject({ success: true, settings: { greeting: { id: 'greeting', value: 'bonjour' } } });
	});

	test('the same value again updates nothing', async () => {
		await post(2, ADMIN, { settings: [{ id: 'greeting', value: 'hola' }] });
		expect((await post(2, ADMIN, { settings: [{ id: 'greeting', value: 'hola' }] })).body).toEqual({ updated: [], success: true });
	});

	test.each([
		['anonymous', {}, { settings: [] }, 401],
		['not an admin', ALICE, { settings: [] }, 403],
		['no settings', ADMIN, {}, 400],
	])('%s: %#', async (_name, headers, body, status) => {
		expect((await post(1, headers as Record<string, string>, body)).status).toBe(status);
	});

	test('an unknown app is a 404', async () => {
		expect((await json(`${running.url}/api/apps/no-such-app/settings`, { headers: ADMIN })).status).toBe(404);
	});
});

describe('UIKit interactions', () => {
	test('a block action reaches the app with the room, and the view it opens is collected for the user', async () => {
		const reply = await json(`${running.instances[1].url}/api/apps/ui.interaction/${running.app.id}`, {
			method: 'POST',
			headers: { ...ALICE, 'Content-Type': 'application/json' },
			body: JSON.stringify({
				type: 'blockAction',
				actionId: 'press',
				triggerId: 't-1',
				rid: 'r01',
				payload: { blockId: 'b', value: 'v1' },
				container: { type: 'message', id: 'm' },
			}),
		});
		expect(reply).toEqual({ status: 200, body: { success: true } });
		expect((await memory(running, 2)).events).toContainEqual({ event: 'blockAction', actionId: 'press', value: 'v1', room: 'r01' });
		expect((await memory(running, 1)).events.filter((e) => e.event === 'blockAction')).toEqual([]);
		const inbox = await json(`${running.url}/api/workspace/inbox`, { headers: ALICE });
		expect(inbox.body.interactions).toHaveLength(1);
		expect(JSON.stringify(inbox.body.interactions[0])).toContain('probe-bar');
		expect((await json(`${running.url}/api/workspace/inbox`, { headers: ALICE })).body.interactions).toEqual([]);
	});

	test.each([
		['anonymous', {}, { type: 'blockAction' }, 401],
		['an unknown type', ALICE, { type: 'nothing' }, 400],
	])('%s', async (_name, headers, body, status) => {
		const reply = await json(`${running.url}/api/apps/ui.interaction/${running.app.id}`, {
			method: 'POST',
			headers: { ...headers, 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
		});
		expect(reply.status).toBe(status);
	});
});

describe('restarts and status changes', () => {
	test("restarting an instance's runtime loses its memory, keeps persistence and jobs", async () => {
		const kept = await op(running, 2, { op: 'createWithAssociations', data: { kept: true }, associations: [misc('restart')] });
		const pid = await running.cluster.instance(2).pid();
		const jobs = running.scheduler.list().length;
		expect((await memory(running, 2)).events.length).toBeGreaterThan(0);
		await running.restartRuntime(2);
		expect(await running.cluster.instance(2).pid()).not.toBe(pid);
		expect(await memory(running, 2)).toEqual({ events: [], settings: [], jobs: [] });
		expect((await op(running, 2, { op: 'read', id: kept.result })).result).toEqual({ kept: true });
		expect(running.scheduler.list()).toHaveLength(jobs);
		// the restarted runtime still runs the cluster's jobs
		const before = (await op(running, 1, { op: 'readByAssociations', associations: [misc('runs'), misc('sweep')] })).result.length;
		await running.scheduler.advance(15 * 60_000);
		await running.scheduler.advance(15 * 60_000);
		expect((await op(running, 1, { op: 'readByAssociations', associations: [misc('runs'), misc('sweep')] })).result).toHaveLength(before + 2);
	});

	test('a disabled app hears no event; enabled again, it does', async () => {
		await running.setAppEnabled(2, false);
		try {
			expect((await json(`${running.instances[1].url}/api/info`)).body.apps[0].status).toMatch(/disabled/);
			await running.fire(2, 'IPostLivechatRoomStarted', running.fullRoom('r02'));
		} finally {
			await running.setAppEnabled(2, true);
		}
		expect((await json(`${running.instances[1].url}/api/info`)).body.apps[0].status).toMatch(/enabled/);
		expect((await memory(running, 2)).events.filter((e) => e.room?.id === 'r02')).toEqual([]);
		await running.fire(2, 'IPostLivechatRoomStarted', running.fullRoom('r02'));
		expect((await memory(running, 2)).events.filter((e) => e.room?.id === 'r02')).toHaveLength(1);
	});
});

describe('the workspace routes', () => {
	test('export is the store as it is, loadable as a data file', async () => {
		running.state.updateRoom('r03', { fname: 'Exported' });
		const reply = await json(`${running.instances[1].url}/api/workspace/export`);
		const loaded = parseData(reply.body, 'export.json');
		expect(loaded.rooms.map((r) => r._id)).toEqual(running.state.allRooms().map((r) => r._id));
		expect(loaded.rooms.find((r) => r._id === 'r03')).toEqual(running.state.findRoom('r03'));
		expect(loaded.users).toEqual(running.state.users);
	});
});
