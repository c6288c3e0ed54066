/**
 * The omnichannel actions over HTTP on a cluster of two instances, each with its own engine and Deno runtime running
 * the probe app (which records the livechat events its listeners receive): an action sent to instance 2 changes the
 * shared store, reaches the app of instance 2, and never the app of instance 1.
 */
import { startWorkspace } from '../../workspace';
import type { WorkspaceData } from '../../workspace/data/types';
import { memory, probeZip } from './probe';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DATA: WorkspaceData = {
	users: [
		{ _id: 'u-admin', username: 'admin', name: 'Admin', roles: ['admin', 'user'], authToken: 't-admin' },
		{ _id: 'u-alice', username: 'alice', name: 'Alice Agent', roles: ['livechat-agent', 'user'], authToken: 't-alice' },
		{ _id: 'u-bob', username: 'bob', name: 'Bob Agent', roles: ['livechat-agent', 'user'], authToken: 't-bob', statusLivechat: 'not-available' } as WorkspaceData['users'][number],
	],
	departments: [{ _id: 'd-sales', name: 'Sales', enabled: true }],
	rooms: [],
};

let running: Awaited<ReturnType<typeof startWorkspace>>;

beforeAll(async () => {
	running = await startWorkspace({ data: DATA, instances: 2, zip: probeZip(), schedulerPollMs: 0 });
}, 120000);

afterAll(async () => {
	await running?.stop();
});

async function call(instance: number, method: string, route: string, body?: unknown, user?: { id: string; token: string }): Promise<{ status: number; body: Any }> {
	const response = await fetch(`${running.instances[instance - 1].url}${route}`, {
		method,
		headers: { 'content-type': 'application/json', ...(user && { 'x-user-id': user.id, 'x-auth-token': user.token }) },
		...(body !== undefined && { body: JSON.stringify(body) }),
	});
	return { status: response.status, body: (await response.json()) as Any };
}

async function events(instance: number): Promise<Any[]> {
	return (await memory(running, instance)).events.filter((event: Any) => String(event.event).includes('Livechat'));
}

test('a room started, served and closed on instance 2: the store changes, only instance 2 hears of it', async () => {
	const alice = { id: 'u-alice', token: 't-alice' };
	expect((await call(2, 'POST', '/api/v1/livechat/visitor', { visitor: { token: 'tok-e2e', name: 'Eve', department: 'd-sales' } })).status).toBe(200);
	const started = await call(2, 'GET', '/api/v1/livechat/room?token=tok-e2e');
	expect(started.status).toBe(200);
	const rid = started.body.room._id as string;
	expect(started.body).toMatchObject({ newRoom: true, success: true, room: { servedBy: { _id: 'u-alice' }, departmentId: 'd-sales', open: true } });

	const closed = await call(2, 'POST', '/api/v1/livechat/room.closeByUser', { rid, comment: 'done', tags: ['e2e'] }, alice);
	expect(closed).toEqual({ status: 200, body: { success: true } });

	const exported = await call(1, 'GET', '/api/workspace/export');
	const room = (exported.body.rooms as Any[]).find((r) => r._id === rid) as Any;
	expect(room).toMatchObject({ closer: 'user', closedBy: { _id: 'u-alice', username: 'alice' }, tags: ['e2e'], servedBy: { _id: 'u-alice' } });
	expect(room.open).toBeUndefined();

	expect(await events(1)).toEqual([]);
	const heard = await events(2);
	expect(heard.map((event) => event.event)).toEqual(['IPostLivechatRoomStarted', 'IPostLivechatRoomClosed']);
	expect(heard[0].room).toMatchObject({ id: rid, isOpen: true, messageCount: 0 });
	expect(heard[1].room).toMatchObject({ id: rid, closer: 'user', _unmappedProperties_: { tags: ['e2e'] } });

	const deleted = await call(1, 'POST', '/api/v1/livechat/rooms.delete', { roomId: rid }, { id: 'u-admin', token: 't-admin' });
	expect(deleted).toEqual({ status: 200, body: { success: true } });
	expect(await events(1)).toEqual([]);
	expect((await events(2)).length).toBe(2);
});

test('every other action through HTTP on instance 1: the shared store changes as Rocket.Chat writes it', async () => {
	const alice = { id: 'u-alice', token: 't-alice' };
	const admin = { id: 'u-admin', token: 't-admin' };
	const room = async (rid: string): Promise<Any> => ((await call(2, 'GET', '/api/workspace/export')).body.rooms as Any[]).find((r) => r._id === rid) as Any;
	await call(1, 'POST', '/api/v1/livechat/visitor', { visitor: { token: 'tok-2', name: 'Finn', department: 'd-sales' } });
	const rid = (await call(1, 'GET', '/api/v1/livechat/room?token=tok-2')).body.room._id as string;

	expect((await call(1, 'POST', '/api/v1/livechat/message', { token: 'tok-2', rid, msg: 'hello' })).status).toBe(200);
	expect((await room(rid)).waitingResponse).toBe(true);
	expect((await call(1, 'POST', '/api/v1/chat.sendMessage', { message: { rid, msg: 'hi' } }, alice)).status).toBe(200);
	expect(await room(rid)).toMatchObject({ responseBy: { _id: 'u-alice' }, lastMessage: { msg: 'hi' } });

	expect(await call(1, 'POST', '/api/v1/livechat/room.onHold', { roomId: rid }, alice)).toEqual({ status: 200, body: { success: true } });
	expect((await room(rid)).onHold).toBe(true);
	expect(await call(1, 'POST', '/api/v1/livechat/room.resumeOnHold', { roomId: rid }, alice)).toEqual({ status: 200, body: { success: true } });
	expect((await room(rid)).onHold).toBeUndefined();

	const saved = await call(1, 'POST', '/api/v1/livechat/room.saveInfo', { guestData: { _id: (await room(rid)).v._id }, roomData: { _id: rid, topic: 'refund', tags: ['vip'], livechatData: { plan: 'Gold' } } }, alice);
	expect(saved).toEqual({ status: 200, body: { success: true } });
	expect(await room(rid)).toMatchObject({ topic: 'refund', tags: ['vip'], livechatData: { plan: 'Gold' } });

	const offline = await call(1, 'POST', '/api/v1/livechat/room.forward', { roomId: rid, userId: 'u-bob' }, admin);
	expect(offline).toEqual({ status: 400, body: { success: false, error: 'error-user-is-offline' } });
	expect(await call(1, 'POST', '/api/v1/livechat/room.closeByUser', { rid }, { id: 'u-bob', token: 't-bob' })).toEqual({ status: 400, body: { success: false, error: 'error-not-authorized' } });
	expect(await call(1, 'POST', '/api/v1/livechat/room.closeByUser', { rid, tags: ['done'] }, alice)).toEqual({ status: 200, body: { success: true } });
	expect(await room(rid)).toMatchObject({ tags: ['done', 'vip'], closer: 'user' });
	expect(await call(1, 'POST', '/api/v1/livechat/rooms.removeAllClosedRooms', {}, admin)).toEqual({ status: 200, body: { removedRooms: 1, success: true } });
	expect(await room(rid)).toBeUndefined();

	// Instance 1 heard this room start and close; instance 2 heard nothing new.
	expect((await events(1)).map((event) => event.event)).toEqual(['IPostLivechatRoomStarted', 'IPostLivechatRoomClosed']);
	expect((await events(2)).length).toBe(2);
});
