/**
 * The omnichannel actions over HTTP on a cluster of two instances, each with its own engine and Deno runtime running
 * the probe app (which records the livechat and message events its listeners receive): an action sent to instance 2
 * changes the shared store, reaches the app of instance 2 (its listeners finished before the action answers), and
 * never the app of instance 1.
 */
import { startWorkspace } from '../../workspace';
import type { WorkspaceData } from '../../workspace/data/types';
import type { Json } from '../engine/client';
import { callsOn } from '../engine/client';
import { memory, op, probeZip } from './probe';

const DATA: WorkspaceData = {
	users: [
		{ _id: 'u-admin', username: 'admin', name: 'Admin', roles: ['admin', 'user'], authToken: 't-admin' },
		{ _id: 'u-alice', username: 'alice', name: 'Alice Agent', roles: ['livechat-agent', 'user'], authToken: 't-alice' },
		{ _id: 'u-bob', username: 'bob', name: 'Bob Agent', roles: ['livechat-agent', 'user'], authToken: 't-bob', statusLivechat: 'not-available' },
		{
			_id: 'u-carol',
			username: 'carol',
			name: 'Carol Agent',
			roles: ['livechat-agent', 'user'],
			authToken: 't-carol',
			statusLivechat: 'available',
			status: 'online',
		},
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

const call = callsOn(() => running);

const LIFECYCLE = ['IPostLivechatRoomStarted', 'IPostLivechatRoomClosed'];

/** The room started and closed events instance k's app heard. */
async function events(instance: number): Promise<Json[]> {
	return (await memory(running, instance)).events.filter((event: Json) => LIFECYCLE.includes(event.event));
}

/** Every event instance k's app heard about this room (message events carry the room inside the message). */
async function eventsOf(instance: number, rid: string): Promise<Json[]> {
	return (await memory(running, instance)).events.filter((event: Json) => (event.room ?? event.message?.room)?.id === rid);
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
	const room = (exported.body.rooms as Json[]).find((r) => r._id === rid) as Json;
	expect(room).toMatchObject({ closer: 'user', closedBy: { _id: 'u-alice', username: 'alice' }, tags: ['e2e'], servedBy: { _id: 'u-alice' } });
	expect(room.open).toBeUndefined();

	expect(await eventsOf(1, rid)).toEqual([]);
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
	const room = async (rid: string): Promise<Json> =>
		((await call(2, 'GET', '/api/workspace/export')).body.rooms as Json[]).find((r) => r._id === rid) as Json;
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

	const saved = await call(
		1,
		'POST',
		'/api/v1/livechat/room.saveInfo',
		{ guestData: { _id: (await room(rid)).v._id }, roomData: { _id: rid, topic: 'refund', tags: ['vip'], livechatData: { plan: 'Gold' } } },
		alice,
	);
	expect(saved).toEqual({ status: 200, body: { success: true } });
	expect(await room(rid)).toMatchObject({ topic: 'refund', tags: ['vip'], livechatData: { plan: 'Gold' } });

	const offline = await call(1, 'POST', '/api/v1/livechat/room.forward', { roomId: rid, userId: 'u-bob' }, admin);
	expect(offline).toEqual({ status: 400, body: { success: false, error: 'error-user-is-offline' } });
	expect(await call(1, 'POST', '/api/v1/livechat/room.closeByUser', { rid }, { id: 'u-bob', token: 't-bob' })).toEqual({
		status: 400,
		body: { success: false, error: 'error-not-authorized' },
	});
	expect(await call(1, 'POST', '/api/v1/livechat/room.closeByUser', { rid, tags: ['done'] }, alice)).toEqual({ status: 200, body: { success: true } });
	expect(await room(rid)).toMatchObject({ tags: ['done', 'vip'], closer: 'user' });
	expect(await call(1, 'POST', '/api/v1/livechat/rooms.removeAllClosedRooms', {}, admin)).toEqual({ status: 200, body: { removedRooms: 1, success: true } });
	expect(await room(rid)).toBeUndefined();

	// Instance 1 heard this room start and close; instance 2 heard nothing new.
	expect((await events(1)).map((event) => event.event)).toEqual(['IPostLivechatRoomStarted', 'IPostLivechatRoomClosed']);
	expect((await events(2)).length).toBe(2);
});

/** The one event of this name in the list. */
function one(list: Json[], name: string): Json {
	const found = list.filter((event) => event.event === name);
	expect(found).toHaveLength(1);
	return found[0] as Json;
}

/** A room as the full converter hands it to apps (users and department resolved), not the raw one (`servedBy._id`). */
function expectFullRoom(room: Json, rid: string): void {
	expect(room).toMatchObject({ id: rid, type: 'l', visitor: { id: expect.any(String), token: 'tok-3' }, department: { id: 'd-sales', name: 'Sales' } });
	expect(room.departmentId).toBeUndefined();
	if (room.servedBy !== undefined) {
		expect(room.servedBy).toMatchObject({ id: expect.any(String), username: expect.any(String), roles: expect.any(Array) });
		expect(room.servedBy._id).toBeUndefined();
	}
}

test('every event of the actions reaches the app of the receiving instance, finished before the action answers', async () => {
	const alice = { id: 'u-alice', token: 't-alice' };
	const admin = { id: 'u-admin', token: 't-admin' };
	const carol = { id: 'u-carol', token: 't-carol' };
	// Each listener of instance 2 waits before it records: an event not awaited by the action would show up too late.
	expect(await op(running, 2, { op: 'eventDelay', ms: 300 })).toEqual({ result: 300 });
	try {
		await call(2, 'POST', '/api/v1/livechat/visitor', { visitor: { token: 'tok-3', name: 'Gus', department: 'd-sales' } });
		const started = await call(2, 'GET', '/api/v1/livechat/room?token=tok-3');
		expect(started.status).toBe(200);
		const rid = started.body.room._id as string;
		let seen = 0;
		/** The events instance 2 heard about the room since the last call; instance 1 never hears any. */
		const fresh = async (): Promise<Json[]> => {
			const all = await eventsOf(2, rid);
			const since = all.slice(seen);
			seen = all.length;
			expect(await eventsOf(1, rid)).toEqual([]);
			return since;
		};
		const names = (list: Json[]): string[] => list.map((event) => event.event);
		const systemTypes = (list: Json[]): string[] => list.filter((event) => event.event === 'IPostSystemMessageSent').map((event) => event.message.type);

		// The room started and was assigned to alice (the least busy available agent).
		let heard = await fresh();
		expect(names(heard).filter((name) => name !== 'IPostSystemMessageSent')).toEqual(['IPostLivechatRoomStarted', 'IPostLivechatAgentAssigned']);
		expect(systemTypes(heard)).toEqual(expect.arrayContaining(['livechat-started', 'command', 'uj']));
		const assigned = one(heard, 'IPostLivechatAgentAssigned');
		expect(assigned.agent).toMatchObject({ id: 'u-alice', username: 'alice' });
		expectFullRoom(assigned.room, rid);
		expect(assigned.room.servedBy).toMatchObject({ id: 'u-alice' });
		for (const event of heard.filter((e) => e.event === 'IPostSystemMessageSent')) expectFullRoom(event.message.room, rid);

		// A visitor's message, then the agent's answer.
		expect((await call(2, 'POST', '/api/v1/livechat/message', { token: 'tok-3', rid, msg: 'hello there' })).status).toBe(200);
		heard = await fresh();
		expect(names(heard)).toEqual(['IPostMessageSent']);
		expect(heard[0].message).toMatchObject({ text: 'hello there', token: 'tok-3' });
		expectFullRoom(heard[0].message.room, rid);
		expect((await call(2, 'POST', '/api/v1/chat.sendMessage', { message: { rid, msg: 'hi Gus' } }, alice)).status).toBe(200);
		heard = await fresh();
		expect(names(heard)).toEqual(['IPostMessageSent']);
		expect(heard[0].message).toMatchObject({ text: 'hi Gus', sender: { id: 'u-alice', username: 'alice' } });

		// On hold: a system message whose room shows the hold.
		expect((await call(2, 'POST', '/api/v1/livechat/room.onHold', { roomId: rid }, alice)).status).toBe(200);
		heard = await fresh();
		expect(names(heard)).toEqual(['IPostSystemMessageSent']);
		expect(heard[0].message.type).toBe('omnichannel_placed_chat_on_hold');
		expect(heard[0].message.room._unmappedProperties_).toMatchObject({ onHold: true });
		expect((await call(2, 'POST', '/api/v1/livechat/room.resumeOnHold', { roomId: rid }, alice)).status).toBe(200);
		heard = await fresh();
		expect(systemTypes(heard)).toEqual(['omnichannel_on_hold_chat_resumed']);

		// Saved: the room with its new tags.
		const visitorId = started.body.room.v._id as string;
		expect(
			(
				await call(
					2,
					'POST',
					'/api/v1/livechat/room.saveInfo',
					{ guestData: { _id: visitorId }, roomData: { _id: rid, topic: 'refund', tags: ['vip'] } },
					alice,
				)
			).status,
		).toBe(200);
		heard = (await fresh()).filter((event) => event.event === 'IPostLivechatRoomSaved');
		expect(heard).toHaveLength(1);
		expectFullRoom(heard[0].room, rid);
		expect(heard[0].room._unmappedProperties_).toMatchObject({ tags: ['vip'], topic: 'refund' });

		// Forwarded to carol: assigned, unassigned, transferred.
		expect(await call(2, 'POST', '/api/v1/livechat/room.forward', { roomId: rid, userId: 'u-carol' }, admin)).toEqual({
			status: 200,
			body: { success: true },
		});
		heard = await fresh();
		expect(names(heard).filter((name) => name !== 'IPostSystemMessageSent')).toEqual(
			expect.arrayContaining(['IPostLivechatAgentAssigned', 'IPostLivechatAgentUnassigned', 'IPostLivechatRoomTransferred']),
		);
		expect(one(heard, 'IPostLivechatAgentAssigned').agent).toMatchObject({ id: 'u-carol' });
		expect(one(heard, 'IPostLivechatAgentUnassigned').agent).toMatchObject({ id: 'u-alice' });
		const transferred = one(heard, 'IPostLivechatRoomTransferred');
		expect(transferred).toMatchObject({ type: 'agent', from: { id: 'u-alice' }, to: { id: 'u-carol' } });
		expectFullRoom(transferred.room, rid);
		expect(systemTypes(heard)).toContain('livechat_transfer_history');

		// Closed by carol: the closed room, tags and all.
		expect(await call(2, 'POST', '/api/v1/livechat/room.closeByUser', { rid, tags: ['done'] }, carol)).toEqual({ status: 200, body: { success: true } });
		heard = await fresh();
		const closed = one(heard, 'IPostLivechatRoomClosed');
		expectFullRoom(closed.room, rid);
		expect(closed.room).toMatchObject({ closer: 'user', closedBy: { id: 'u-carol' } });
		expect(closed.room.isOpen).toBeUndefined();
		expect(closed.room._unmappedProperties_.tags).toEqual(['done', 'vip']);
		expect(systemTypes(heard)).toContain('livechat-close');
	} finally {
		await op(running, 2, { op: 'eventDelay', ms: 0 });
	}
});

test.each(['IPostMessageSent', 'IPostSystemMessageSent', 'IPostLivechatRoomSaved'])(
	'a %s listener that fails is logged, never thrown back to the action',
	async (name) => {
		const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
		try {
			// A payload the listener manager or the app fails on: the failure is logged (by the workspace or the engine).
			await expect(running.fire(2, name, null)).resolves.toBeUndefined();
			expect(consoleError).toHaveBeenCalled();
		} finally {
			consoleError.mockRestore();
		}
	},
);
