/**
 * The workspace's omnichannel actions, without the engine: two instances over one store (each with its own recorder of
 * fired events), every action through `routeOmnichannel` as the HTTP front calls it. For each action: the answer, what
 * the store holds afterwards, and the app events with their payloads, on the instance that received the call only.
 */
import type { StoredRoom, WorkspaceData, WorkspaceUser } from '../../workspace/data/types';
import { WorkspaceState } from '../../workspace/engine/state';
import { routeOmnichannel } from '../../workspace/omnichannel';
import type { OmnichannelContext, OmnichannelResponse } from '../../workspace/omnichannel/context';
import type { OmnichannelState } from '../../workspace/omnichannel/state';
import { createOmnichannelState, omnichannelContext } from '../../workspace/omnichannel/wiring';
import type { Json } from '../engine/client';
import { testUser, USERS as FIXTURE_USERS } from '../engine/fixture';

interface Fired {
	name: string;
	payload: Json;
}

/** The engine fixture's admin, manager and two agents; a third agent, Carol; and Dave, with no omnichannel role. */
const USERS: WorkspaceUser[] = [
	...FIXTURE_USERS.filter((user) => ['admin', 'manager', 'alice', 'bob'].includes(user.username)),
	testUser('carol', 'Carol Agent', 'livechat-agent'),
	testUser('dave', 'Dave User'),
];

function data(): WorkspaceData {
	const d = (iso: string): Date => new Date(iso);
	return {
		users: USERS.map((u) => ({ ...u, roles: [...u.roles] })),
		departments: [
			{ _id: 'd-sales', name: 'Sales', enabled: true, agents: ['u-alice', 'u-bob'] },
			{ _id: 'd-queue', name: 'Queue', enabled: true, agents: ['u-alice', 'u-bob', 'u-carol'], routingMethod: 'Manual_Selection' },
			{ _id: 'd-carol', name: 'Carol only', enabled: true, agents: ['u-carol'], ancestors: ['unit-1'], chatClosingTags: ['closing'] },
		] as unknown as WorkspaceData['departments'],
		rooms: [
			// Alice already serves one open room: Bob is the least busy agent of Sales.
			{
				_id: 'r-busy',
				t: 'l',
				fname: 'Busy',
				msgs: 4,
				usersCount: 2,
				ts: d('2024-01-01T00:00:00.000Z'),
				lm: d('2024-01-01T00:00:00.000Z'),
				open: true,
				servedBy: { _id: 'u-alice', username: 'alice', ts: d('2024-01-01T00:01:00.000Z') },
				departmentId: 'd-sales',
				v: { _id: 'v-busy', username: 'guest-busy', token: 'tok-busy', status: 'online' },
				tags: ['old'],
				_updatedAt: d('2024-01-01T00:00:00.000Z'),
			},
			{
				_id: 'r-closed',
				t: 'l',
				fname: 'Closed',
				msgs: 2,
				ts: d('2024-01-02T00:00:00.000Z'),
				closedAt: d('2024-01-03T00:00:00.000Z'),
				departmentId: 'd-sales',
				v: { _id: 'v-c', username: 'guest-c', token: 'tok-c' },
			},
			{
				_id: 'r-closed-2',
				t: 'l',
				fname: 'Closed 2',
				msgs: 2,
				ts: d('2024-01-02T00:00:00.000Z'),
				closedAt: d('2024-01-03T00:00:00.000Z'),
				departmentId: 'd-queue',
				v: { _id: 'v-c2', username: 'guest-c2', token: 'tok-c2' },
			},
			{ _id: 'c-general', t: 'c', name: 'general', fname: 'general', msgs: 1, ts: d('2024-01-01T00:00:00.000Z') },
		],
	};
}

interface Cluster {
	state: WorkspaceState;
	omnichannel: OmnichannelState;
	instances: OmnichannelContext[];
	fired: Fired[][];
	call(instance: number, method: string, path: string, options?: { body?: unknown; query?: Json; user?: string }): Promise<OmnichannelResponse>;
	room(id: string): Json;
	names(instance: number): string[];
	reset(): void;
}

function cluster(): Cluster {
	const state = new WorkspaceState(data());
	const omnichannel = createOmnichannelState(state);
	const fired: Fired[][] = [[], []];
	// A clock that moves one second at each reading: durations and metrics never depend on how fast the test runs.
	let clock = Date.parse('2026-11-02T09:00:00.000Z');
	const now = (): Date => new Date((clock += 1000));
	const instances = [0, 1].map((k) =>
		omnichannelContext(
			state,
			omnichannel,
			async (name, payload) => {
				fired[k].push({ name, payload: payload as Json });
			},
			{ now },
		),
	);
	return {
		state,
		omnichannel,
		instances,
		fired,
		async call(instance, method, path, options = {}) {
			const user = options.user ? state.userById(options.user) : undefined;
			const response = await routeOmnichannel(instances[instance - 1], {
				method,
				pathname: `/api/v1/${path}`,
				query: options.query ?? {},
				body: options.body,
				user,
				headers: {},
			});
			if (!response) throw new Error(`not an omnichannel path: ${method} ${path}`);
			return response;
		},
		room: (id) => state.findRoom(id) as Json,
		names: (instance) => fired[instance - 1].map((event) => event.name),
		reset() {
			fired[0].length = 0;
			fired[1].length = 0;
		},
	};
}

/** A visitor and its room started on instance 1. */
async function started(c: Cluster, department?: string, token = 'tok-1'): Promise<Json> {
	await c.call(1, 'POST', 'livechat/visitor', { body: { visitor: { token, name: 'Vera Visitor', ...(department && { department }) } } });
	const response = await c.call(1, 'GET', 'livechat/room', { query: { token } });
	expect(response.status).toBe(200);
	return (response.body as Json).room;
}

/** A room started in Sales, where Bob (its agent) has written `msg`. */
async function answeredByBob(c: Cluster, msg: string): Promise<Json> {
	const room = await started(c, 'd-sales');
	await c.call(1, 'POST', 'chat.sendMessage', { body: { message: { rid: room._id, msg } }, user: 'u-bob' });
	return room;
}

function time(value: unknown): number {
	return (value as Date).getTime();
}

describe('visitors', () => {
	test('a new token creates a visitor named guest-N, the same token updates it', async () => {
		const c = cluster();
		const first = await c.call(1, 'POST', 'livechat/visitor', {
			body: { visitor: { token: 'tok-new', name: 'Ann', email: 'Ann@Example.com', department: 'Sales' } },
		});
		expect(first.status).toBe(200);
		const visitor = (first.body as Json).visitor;
		expect(visitor).toMatchObject({
			token: 'tok-new',
			name: 'Ann',
			visitorEmails: [{ address: 'ann@example.com' }],
			department: 'd-sales',
			status: 'online',
		});
		expect(visitor.username).toMatch(/^guest-\d+$/);
		const again = await c.call(2, 'POST', 'livechat/visitor', { body: { visitor: { token: 'tok-new', name: 'Ann B' } } });
		expect((again.body as Json).visitor).toMatchObject({ _id: visitor._id, username: visitor.username, name: 'Ann B' });
		expect(c.names(1)).toEqual([]);
		expect(c.names(2)).toEqual([]);
	});

	test.each([
		[{}, "must have required property 'visitor'"],
		[{ visitor: {} }, "must have required property 'token'"],
		[{ visitor: { token: 5 } }, 'must be string'],
	])('body %j answers invalid-params', async (body, error) => {
		const c = cluster();
		const response = await c.call(1, 'POST', 'livechat/visitor', { body });
		expect(response).toEqual({ status: 400, body: { success: false, errorType: 'invalid-params', error } });
	});

	test('an unknown department is refused', async () => {
		const c = cluster();
		const response = await c.call(1, 'POST', 'livechat/visitor', { body: { visitor: { token: 'x', department: 'nope' } } });
		expect(response).toEqual({
			status: 400,
			body: { success: false, error: 'The provided department is invalid [error-invalid-department]', errorType: 'error-invalid-department' },
		});
	});
});

describe('starting a room', () => {
	test('auto selection: the least busy agent of the department serves the new room; events on the receiving instance only', async () => {
		const c = cluster();
		const room = await started(c, 'd-sales');
		const stored = c.room(room._id);
		expect(stored).toMatchObject({
			t: 'l',
			fname: 'Vera Visitor',
			departmentId: 'd-sales',
			open: true,
			waitingResponse: true,
			cl: false,
			verified: false,
			usersCount: 2,
			msgs: 3,
			source: { type: 'api' },
			priorityWeight: 99,
			estimatedWaitingTimeQueue: 9999999,
			servedBy: { _id: 'u-bob', username: 'bob' },
		});
		expect(stored.v).toMatchObject({ username: expect.stringMatching(/^guest-/), token: 'tok-1', status: 'online' });
		expect(typeof stored.contactId).toBe('string');
		expect(stored.servedBy.ts).toBeInstanceOf(Date);
		expect(time(stored.queuedAt)).toBe(time(stored.ts));
		expect(c.omnichannel.inquiryByRoomId(room._id)).toMatchObject({ status: 'taken', department: 'd-sales' });

		expect(c.names(1)).toEqual([
			'IPostSystemMessageSent',
			'IPostLivechatRoomStarted',
			'IPostSystemMessageSent',
			'IPostSystemMessageSent',
			'IPostLivechatAgentAssigned',
		]);
		expect(c.names(2)).toEqual([]);
		const [startedMessage, roomStarted, connected, joined, assigned] = c.fired[0].map((e) => e.payload);
		expect(startedMessage).toMatchObject({ type: 'livechat-started', text: '', token: 'tok-1', room: { id: room._id }, sender: { id: stored.v._id } });
		// The room as inserted: no message counted yet, nobody serving it.
		expect(roomStarted).toMatchObject({ id: room._id, type: 'l', isOpen: true, messageCount: 0, department: { id: 'd-sales' } });
		expect(roomStarted.servedBy).toBeUndefined();
		expect(roomStarted._unmappedProperties_).toMatchObject({ usersCount: 1, cl: false });
		expect(connected).toMatchObject({ type: 'command', text: 'connected', sender: { id: 'u-bob' } });
		expect(joined).toMatchObject({ type: 'uj', sender: { id: 'u-bob' } });
		expect(assigned.agent).toMatchObject({ id: 'u-bob', username: 'bob' });
		expect(assigned.room).toMatchObject({ id: room._id, servedBy: { id: 'u-bob' }, messageCount: 3 });
		expect(assigned.room._unmappedProperties_).toMatchObject({ usersCount: 2 });
	});

	test('the open room is answered again, not a new one', async () => {
		const c = cluster();
		const room = await started(c, 'd-sales');
		c.reset();
		const again = await c.call(2, 'GET', 'livechat/room', { query: { token: 'tok-1' } });
		expect(again.body).toMatchObject({ room: { _id: room._id }, newRoom: false, success: true });
		expect(c.names(2)).toEqual([]);
	});

	test('a requested available agent is preferred to the least busy one', async () => {
		const c = cluster();
		await c.call(1, 'POST', 'livechat/visitor', { body: { visitor: { token: 'tok-a', department: 'd-sales' } } });
		const response = await c.call(1, 'GET', 'livechat/room', { query: { token: 'tok-a', agentId: 'u-alice' } });
		expect((response.body as Json).room.servedBy).toMatchObject({ _id: 'u-alice' });
	});

	test.each([
		[{ token: 'tok-1', department: 'd-sales' }, 'Match error: Unknown key in field department'],
		[{}, "Match error: Missing key 'token'"],
		[{ token: ['a', 'b'] }, 'Match error: Expected string, got object in field token'],
	])('the query %j is refused as Meteor checks it', async (query, error) => {
		const c = cluster();
		expect(await c.call(1, 'GET', 'livechat/room', { query })).toEqual({ status: 400, body: { success: false, error } });
	});

	test('manual selection: the room waits in the queue', async () => {
		const c = cluster();
		const room = await started(c, 'd-queue');
		const stored = c.room(room._id);
		expect(stored.servedBy).toBeUndefined();
		expect(stored).toMatchObject({ usersCount: 1, msgs: 1, departmentId: 'd-queue' });
		expect(c.names(1)).toEqual(['IPostSystemMessageSent', 'IPostLivechatRoomStarted']);
		const inquiry = await c.call(1, 'GET', 'livechat/inquiries.getOne', { query: { roomId: room._id }, user: 'u-alice' });
		expect(inquiry.body).toMatchObject({ inquiry: { rid: room._id, status: 'queued', department: 'd-queue' }, success: true });
	});

	test('an unknown token, and a department without available agents, are refused', async () => {
		const c = cluster();
		expect(await c.call(1, 'GET', 'livechat/room', { query: { token: 'nobody' } })).toEqual({
			status: 400,
			body: { success: false, error: 'invalid-token' },
		});
		(c.state.userById('u-carol') as Json).statusLivechat = 'not-available';
		await c.call(1, 'POST', 'livechat/visitor', { body: { visitor: { token: 'tok-c', department: 'd-carol' } } });
		expect(await c.call(1, 'GET', 'livechat/room', { query: { token: 'tok-c' } })).toEqual({
			status: 400,
			body: { success: false, error: 'Sorry, no online agents [no-agent-online]', errorType: 'no-agent-online' },
		});
		expect(c.state.allRooms().length).toBe(4);
	});
});

describe('inquiries', () => {
	test('an agent takes a queued inquiry: served, and the assignment event fires where the call landed', async () => {
		const c = cluster();
		const room = await started(c, 'd-queue');
		c.reset();
		const inquiry = (c.omnichannel.inquiryByRoomId(room._id) as Json)._id;
		const before = time(c.room(room._id)._updatedAt);
		const response = await c.call(2, 'POST', 'livechat/inquiries.take', { body: { inquiryId: inquiry }, user: 'u-carol' });
		expect(response).toEqual({ status: 200, body: { success: true } });
		const stored = c.room(room._id);
		expect(stored).toMatchObject({ servedBy: { _id: 'u-carol', username: 'carol' }, usersCount: 2, msgs: 3 });
		expect(time(stored._updatedAt)).toBeGreaterThan(before);
		expect(c.names(1)).toEqual([]);
		expect(c.names(2)).toEqual(['IPostSystemMessageSent', 'IPostSystemMessageSent', 'IPostLivechatAgentAssigned']);
		expect(c.fired[1][2].payload).toMatchObject({ agent: { id: 'u-carol' }, room: { id: room._id, servedBy: { id: 'u-carol' } } });

		const twice = await c.call(1, 'POST', 'livechat/inquiries.take', { body: { inquiryId: inquiry }, user: 'u-alice' });
		expect(twice).toEqual({
			status: 400,
			body: { success: false, error: 'Inquiry already taken [error-inquiry-taken]', errorType: 'error-inquiry-taken' },
		});
	});

	test.each([
		['u-alice', { inquiryId: 'nope' }, 400, { success: false, error: 'Inquiry not found [error-not-found]', errorType: 'error-not-found' }],
		['u-dave', { inquiryId: 'nope' }, 403, { success: false, error: 'User does not have the permissions required for this action [error-unauthorized]' }],
		[undefined, { inquiryId: 'nope' }, 401, { status: 'error', message: 'You must be logged in to do this.' }],
		['u-alice', {}, 400, { success: false, errorType: 'invalid-params', error: "must have required property 'inquiryId'" }],
	])('take as %s with %j answers %i', async (user, body, status, answer) => {
		const c = cluster();
		expect(await c.call(1, 'POST', 'livechat/inquiries.take', { body, user })).toEqual({ status, body: answer });
	});
});

describe('messages', () => {
	test('a visitor message counts, becomes the last message and makes the room wait', async () => {
		const c = cluster();
		const room = await answeredByBob(c, 'hello');
		c.reset();
		const response = await c.call(2, 'POST', 'livechat/message', { body: { token: 'tok-1', rid: room._id, msg: 'help me' } });
		expect(response.status).toBe(200);
		const message = (response.body as Json).message;
		expect(message).toMatchObject({ rid: room._id, msg: 'help me', token: 'tok-1' });
		const stored = c.room(room._id);
		expect(stored).toMatchObject({ msgs: 5, waitingResponse: true, lastMessage: { _id: message._id, msg: 'help me', token: 'tok-1' } });
		expect(stored.responseBy).toBeUndefined();
		expect(time(stored.lm)).toBe(time(message.ts));
		expect(time(stored.v.lastMessageTs)).toBe(time(message.ts));
		expect(time(stored.metrics.v.lq)).toBe(time(message.ts));
		expect(c.names(1)).toEqual([]);
		expect(c.names(2)).toEqual(['IPostMessageSent']);
		expect(c.fired[1][0].payload).toMatchObject({
			id: message._id,
			text: 'help me',
			token: 'tok-1',
			room: { id: room._id },
			sender: { id: stored.v._id, username: stored.v.username },
		});
	});

	test('an agent message answers the visitor: responseBy set, waitingResponse removed', async () => {
		const c = cluster();
		const room = await started(c, 'd-sales');
		c.reset();
		const response = await c.call(1, 'POST', 'chat.sendMessage', { body: { message: { rid: room._id, msg: 'hi' } }, user: 'u-bob' });
		expect(response.status).toBe(200);
		const message = (response.body as Json).message;
		const stored = c.room(room._id);
		expect(stored.waitingResponse).toBeUndefined();
		expect(stored.responseBy).toMatchObject({ _id: 'u-bob', username: 'bob' });
		expect(time(stored.responseBy.firstResponseTs)).toBe(time(message.ts));
		expect(stored).toMatchObject({ msgs: 4, lastMessage: { _id: message._id, msg: 'hi', u: { _id: 'u-bob' } } });
		expect(stored.v.activity).toEqual([(message.ts as Date).toISOString().slice(0, 7)]);
		expect(c.names(1)).toEqual(['IPostMessageSent']);
		expect(c.fired[0][0].payload).toMatchObject({ text: 'hi', sender: { id: 'u-bob', roles: ['livechat-agent', 'user'] } });
		expect(c.names(2)).toEqual([]);
	});

	test('response metrics: the first answer, an answer to no new question, an answer to a new question', async () => {
		const c = cluster();
		const room = await started(c, 'd-sales');
		const rid = room._id as string;
		const agent = (msg: string) => c.call(1, 'POST', 'chat.sendMessage', { body: { message: { rid, msg } }, user: 'u-bob' });
		const visitor = (msg: string) => c.call(1, 'POST', 'livechat/message', { body: { token: 'tok-1', rid, msg } });

		await visitor('question 1');
		const asked = time(c.room(rid).metrics.v.lq);
		const first = (await agent('answer 1')).body as Json;
		let m = c.room(rid).metrics;
		const answered = time(first.message.ts);
		const responseTime = (answered - asked) / 1000;
		const reactionTime = (answered - time(c.room(rid).servedBy.ts)) / 1000;
		expect(time(m.servedBy.lr)).toBe(answered);
		expect(m.response).toEqual({ avg: responseTime, total: 1, tt: responseTime, fd: m.response.fd, ft: responseTime });
		expect(m.reaction).toEqual({ tt: reactionTime, fd: m.reaction.fd, ft: reactionTime });
		expect(time(m.response.fd)).toBe(answered);

		await agent('anything else?');
		expect(c.room(rid).metrics.response.total).toBe(1);

		await visitor('question 2');
		const asked2 = time(c.room(rid).metrics.v.lq);
		expect(asked2).toBeGreaterThanOrEqual(answered);
		const second = (await agent('answer 2')).body as Json;
		m = c.room(rid).metrics;
		const responseTime2 = (time(second.message.ts) - asked2) / 1000;
		expect(m.response).toMatchObject({ total: 2, tt: responseTime + responseTime2, avg: (responseTime + responseTime2) / 2, ft: responseTime });
		expect(m.reaction.tt).toBe(reactionTime + responseTime2);
	});

	test('an agent who neither serves the room nor may see every room cannot write in it', async () => {
		const c = cluster();
		const room = await started(c, 'd-sales');
		const response = await c.call(1, 'POST', 'chat.sendMessage', { body: { message: { rid: room._id, msg: 'x' } }, user: 'u-carol' });
		expect(response).toEqual({ status: 400, body: { success: false, error: 'Not allowed [error-not-allowed]', errorType: 'error-not-allowed' } });
	});

	test.each([
		['tok-c', 'r-closed', 'room-closed'],
		['tok-c', 'r-busy', 'invalid-room'],
		['nobody', 'r-busy', 'invalid-token'],
	])('a visitor with token %s writing in %s is refused: %s', async (token, rid, error) => {
		const c = cluster();
		const response = await c.call(1, 'POST', 'livechat/message', { body: { token, rid, msg: 'x' } });
		expect(response).toEqual({ status: 400, body: { success: false, error } });
		expect(c.names(1)).toEqual([]);
	});
});

describe('forwarding', () => {
	test('to an agent: the new agent serves it, the old one leaves; assigned, unassigned and transferred events', async () => {
		const c = cluster();
		c.reset();
		const response = await c.call(2, 'POST', 'livechat/room.forward', {
			body: { roomId: 'r-busy', userId: 'u-carol', comment: 'over to you' },
			user: 'u-manager',
		});
		expect(response).toEqual({ status: 200, body: { success: true } });
		const stored = c.room('r-busy');
		expect(stored).toMatchObject({ servedBy: { _id: 'u-carol', username: 'carol' }, usersCount: 3, msgs: 8, departmentId: 'd-sales' });
		expect(c.names(1)).toEqual([]);
		expect(c.names(2)).toEqual([
			'IPostSystemMessageSent',
			'IPostSystemMessageSent',
			'IPostLivechatAgentAssigned',
			'IPostSystemMessageSent',
			'IPostSystemMessageSent',
			'IPostLivechatAgentUnassigned',
			'IPostLivechatRoomTransferred',
		]);
		const payloads = c.fired[1].map((e) => e.payload);
		expect(payloads[3]).toMatchObject({
			type: 'livechat_transfer_history',
			_unmappedProperties_: {
				transferData: {
					scope: 'agent',
					comment: 'over to you',
					transferredBy: { _id: 'u-manager', userType: 'user' },
					transferredTo: { _id: 'u-carol' },
					previousDepartment: 'd-sales',
				},
			},
		});
		expect(payloads[4]).toMatchObject({ type: 'ul', text: 'alice', sender: { id: 'u-alice' } });
		expect(payloads[5]).toMatchObject({ agent: { id: 'u-alice' }, room: { id: 'r-busy', servedBy: { id: 'u-carol' } } });
		expect(payloads[6]).toMatchObject({
			type: 'agent',
			from: { id: 'u-alice' },
			to: { id: 'u-carol' },
			room: { id: 'r-busy', servedBy: { id: 'u-carol' } },
		});
	});

	test('to a department with auto selection: its least busy agent takes it and the department changes', async () => {
		const c = cluster();
		const response = await c.call(1, 'POST', 'livechat/room.forward', { body: { roomId: 'r-busy', departmentId: 'd-carol' }, user: 'u-admin' });
		expect(response.status).toBe(200);
		expect(c.room('r-busy')).toMatchObject({ servedBy: { _id: 'u-carol' }, departmentId: 'd-carol', departmentAncestors: ['unit-1'] });
		expect(c.names(1).filter((n) => n !== 'IPostSystemMessageSent')).toEqual([
			'IPostLivechatAgentAssigned',
			'IPostLivechatAgentUnassigned',
			'IPostLivechatRoomTransferred',
		]);
		const transferred = c.fired[0].find((e) => e.name === 'IPostLivechatRoomTransferred')?.payload;
		expect(transferred).toMatchObject({
			type: 'department',
			from: { id: 'd-sales', name: 'Sales' },
			to: { id: 'd-carol', name: 'Carol only' },
			room: { id: 'r-busy', department: { id: 'd-carol' } },
		});
		expect(c.names(2)).toEqual([]);
	});

	test('to a department with manual selection: back in the queue, nobody serves it', async () => {
		const c = cluster();
		const response = await c.call(1, 'POST', 'livechat/room.forward', { body: { roomId: 'r-busy', departmentId: 'd-queue' }, user: 'u-admin' });
		expect(response.status).toBe(200);
		const stored = c.room('r-busy');
		expect(stored.servedBy).toBeUndefined();
		expect(stored.departmentId).toBe('d-queue');
		expect(stored.departmentAncestors).toBeUndefined();
		expect(time(stored.queuedAt)).toBeGreaterThan(time(stored.ts));
		expect(c.omnichannel.inquiryByRoomId('r-busy')).toMatchObject({ status: 'queued', department: 'd-queue' });
		expect(c.names(1).filter((n) => n !== 'IPostSystemMessageSent')).toEqual(['IPostLivechatRoomTransferred', 'IPostLivechatAgentUnassigned']);
	});

	test.each([
		['u-alice', { roomId: 'r-busy', userId: 'u-bob' }, 403, 'User does not have the permissions required for this action [error-unauthorized]'],
		['u-manager', { roomId: 'r-busy', userId: 'u-alice' }, 400, 'error-selected-agent-room-agent-are-same'],
		['u-manager', { roomId: 'r-busy', userId: 'u-dave' }, 400, 'error-user-is-offline'],
		['u-manager', { roomId: 'r-busy', departmentId: 'd-sales' }, 400, 'error-forwarding-chat-same-department'],
		['u-manager', { roomId: 'r-busy', departmentId: 'nope' }, 400, 'error-invalid-department'],
		['u-manager', { roomId: 'r-closed', userId: 'u-bob' }, 400, 'This_conversation_is_already_closed'],
		['u-manager', { roomId: 'c-general', userId: 'u-bob' }, 400, 'error-invalid-room'],
	])('%s forwarding %j answers %i %s', async (user, body, status, error) => {
		const c = cluster();
		expect(await c.call(1, 'POST', 'livechat/room.forward', { body, user })).toEqual({ status, body: { success: false, error } });
		expect(c.names(1)).toEqual([]);
	});
});

describe('on hold', () => {
	test('placed on hold and resumed: onHold set then removed, one system message each, nothing else fired', async () => {
		const c = cluster();
		const room = await answeredByBob(c, 'one moment');
		c.reset();
		expect(await c.call(2, 'POST', 'livechat/room.onHold', { body: { roomId: room._id }, user: 'u-bob' })).toEqual({
			status: 200,
			body: { success: true },
		});
		expect(c.room(room._id).onHold).toBe(true);
		expect(c.names(2)).toEqual(['IPostSystemMessageSent']);
		expect(c.fired[1][0].payload).toMatchObject({
			type: 'omnichannel_placed_chat_on_hold',
			room: { id: room._id, _unmappedProperties_: { onHold: true } },
			_unmappedProperties_: { comment: 'Chat On Hold: The chat was manually placed On-Hold by Bob Agent' },
		});
		expect(await c.call(2, 'POST', 'livechat/room.onHold', { body: { roomId: room._id }, user: 'u-bob' })).toEqual({
			status: 400,
			body: { success: false, error: 'error-room-is-already-on-hold' },
		});

		expect(await c.call(1, 'POST', 'livechat/room.resumeOnHold', { body: { roomId: room._id }, user: 'u-bob' })).toEqual({
			status: 200,
			body: { success: true },
		});
		expect(c.room(room._id).onHold).toBeUndefined();
		expect(c.room(room._id).servedBy._id).toBe('u-bob');
		expect(c.names(1)).toEqual(['IPostSystemMessageSent']);
		expect(c.fired[0][0].payload).toMatchObject({
			type: 'omnichannel_on_hold_chat_resumed',
			_unmappedProperties_: { comment: 'The chat was manually resumed from On Hold by Bob Agent' },
		});
	});

	test.each([
		['the visitor wrote last', 'u-bob', true, 'error-cannot-place-chat-on-hold'],
		['another agent without on-hold-others', 'u-alice', false, 'Not_authorized'],
	])('refused when %s', async (_why, user, visitorWrites, error) => {
		const c = cluster();
		const room = await started(c, 'd-sales');
		if (visitorWrites) await c.call(1, 'POST', 'livechat/message', { body: { token: 'tok-1', rid: room._id, msg: 'x' } });
		expect(await c.call(1, 'POST', 'livechat/room.onHold', { body: { roomId: room._id }, user })).toEqual({ status: 400, body: { success: false, error } });
		expect(c.room(room._id).onHold).toBeUndefined();
	});

	test("a visitor's message resumes a room on hold", async () => {
		const c = cluster();
		const room = await answeredByBob(c, 'wait');
		await c.call(1, 'POST', 'livechat/room.onHold', { body: { roomId: room._id }, user: 'u-bob' });
		c.reset();
		await c.call(1, 'POST', 'livechat/message', { body: { token: 'tok-1', rid: room._id, msg: 'back' } });
		expect(c.room(room._id).onHold).toBeUndefined();
		expect(c.names(1)).toEqual(['IPostMessageSent', 'IPostSystemMessageSent']);
		expect(c.fired[0][1].payload).toMatchObject({
			type: 'omnichannel_on_hold_chat_resumed',
			sender: { id: 'rocket.cat', username: 'rocket.cat' },
			_unmappedProperties_: { comment: 'The chat was automatically resumed from On Hold upon receiving a new message from Vera Visitor' },
		});
	});
});

describe('closing', () => {
	test('closed by the serving agent with a comment and tags', async () => {
		const c = cluster();
		const before = c.room('r-busy');
		const response = await c.call(2, 'POST', 'livechat/room.closeByUser', {
			body: { rid: 'r-busy', comment: 'solved', tags: ['billing', 'old'] },
			user: 'u-alice',
		});
		expect(response).toEqual({ status: 200, body: { success: true } });
		const stored = c.room('r-busy');
		expect(stored.open).toBeUndefined();
		expect(stored).toMatchObject({
			closer: 'user',
			closedBy: { _id: 'u-alice', username: 'alice' },
			tags: ['billing', 'old'],
			v: { status: 'offline' },
			msgs: before.msgs + 1,
		});
		expect(stored.metrics.chatDuration).toBe((time(stored.closedAt) - time(before.ts)) / 1000);
		expect(stored.metrics.serviceTimeDuration).toBe((time(stored.closedAt) - time(before.servedBy.ts)) / 1000);
		expect(stored.servedBy._id).toBe('u-alice');
		expect(c.omnichannel.inquiryByRoomId('r-busy')).toBeUndefined();
		expect(c.names(1)).toEqual([]);
		expect(c.names(2)).toEqual(['IPostSystemMessageSent', 'ILivechatRoomClosedHandler', 'IPostLivechatRoomClosed']);
		expect(c.fired[1][0].payload).toMatchObject({ type: 'livechat-close', text: 'solved' });
		const closed = c.fired[1][2].payload;
		expect(closed).toMatchObject({
			id: 'r-busy',
			closer: 'user',
			closedBy: { id: 'u-alice' },
			messageCount: before.msgs,
			_unmappedProperties_: { tags: ['billing', 'old'] },
		});
		expect(closed.isOpen).toBeUndefined();
		expect(await c.call(2, 'POST', 'livechat/room.closeByUser', { body: { rid: 'r-busy' }, user: 'u-alice' })).toEqual({
			status: 400,
			body: { success: false, error: 'error-not-authorized' },
		});
		expect(await c.call(2, 'POST', 'livechat/room.closeByUser', { body: { rid: 'r-busy' }, user: 'u-manager' })).toEqual({
			status: 400,
			body: { success: false, error: 'error-room-already-closed' },
		});
		expect(await c.call(2, 'POST', 'livechat/room.closeByUser', { body: { rid: 'nope' }, user: 'u-manager' })).toEqual({
			status: 400,
			body: { success: false, error: 'error-invalid-room' },
		});
		expect(c.names(2)).toEqual(['IPostSystemMessageSent', 'ILivechatRoomClosedHandler', 'IPostLivechatRoomClosed']);
	});

	test('a room closed while on hold: the event still shows it on hold, the store no longer does', async () => {
		const c = cluster();
		const room = await answeredByBob(c, 'wait');
		await c.call(1, 'POST', 'livechat/room.onHold', { body: { roomId: room._id }, user: 'u-bob' });
		c.reset();
		await c.call(1, 'POST', 'livechat/room.closeByUser', { body: { rid: room._id }, user: 'u-bob' });
		expect(c.fired[0].find((e) => e.name === 'IPostLivechatRoomClosed')?.payload._unmappedProperties_).toMatchObject({ onHold: true });
		expect(c.room(room._id).onHold).toBeUndefined();
	});

	test("a department's closing tags join the room's", async () => {
		const c = cluster();
		const room = await started(c, 'd-carol');
		await c.call(1, 'POST', 'livechat/room.closeByUser', { body: { rid: room._id }, user: 'u-carol' });
		expect(c.room(room._id).tags).toEqual(['closing']);
	});

	test.each([
		['u-bob', 400, { success: false, error: 'error-not-authorized' }],
		['u-dave', 403, { success: false, error: 'User does not have the permissions required for this action [error-unauthorized]' }],
	])('%s may not close a room served by another', async (user, status, body) => {
		const c = cluster();
		expect(await c.call(1, 'POST', 'livechat/room.closeByUser', { body: { rid: 'r-busy' }, user })).toEqual({ status, body });
		expect(c.room('r-busy').open).toBe(true);
	});
});

describe('saving room info', () => {
	test('topic, tags, custom fields and priority are written; the saved event carries the room', async () => {
		const c = cluster();
		const room = await started(c, 'd-sales');
		c.reset();
		const body = {
			guestData: { _id: c.room(room._id).v._id, name: 'Vera V.' },
			roomData: { _id: room._id, topic: ' billing ', tags: ['a', 'b'], livechatData: { plan: ' Gold ', empty: ' ' }, priorityId: 'p-high' },
		};
		expect(await c.call(2, 'POST', 'livechat/room.saveInfo', { body, user: 'u-bob' })).toEqual({ status: 200, body: { success: true } });
		const stored = c.room(room._id);
		expect(stored).toMatchObject({ topic: 'billing', tags: ['a', 'b'], livechatData: { plan: 'Gold' }, priorityId: 'p-high', fname: 'Vera Visitor' });
		expect(c.omnichannel.visitorById(stored.v._id)).toMatchObject({ name: 'Vera V.' });
		expect(c.names(2)).toEqual(['IPostLivechatGuestSaved', 'IPostLivechatRoomSaved']);
		expect(c.fired[1][0].payload).toMatchObject({ id: stored.v._id, name: 'Vera V.', token: 'tok-1' });
		expect(c.fired[1][1].payload).toMatchObject({
			id: room._id,
			livechatData: { plan: 'Gold' },
			visitor: { name: 'Vera V.' },
			_unmappedProperties_: { tags: ['a', 'b'], topic: 'billing', priorityId: 'p-high' },
		});
		expect(c.names(1)).toEqual([]);

		// An unknown visitor fails the call, after the room was saved (Rocket.Chat saves both concurrently).
		c.reset();
		const failed = await c.call(2, 'POST', 'livechat/room.saveInfo', {
			body: { guestData: { _id: 'nobody' }, roomData: { _id: room._id, priorityId: '' } },
			user: 'u-bob',
		});
		expect(failed).toEqual({ status: 400, body: { success: false, error: '' } });
		expect(c.names(2)).toEqual(['IPostLivechatRoomSaved']);
		const after = c.room(room._id);
		expect(after.tags).toBeUndefined();
		expect(after.priorityId).toBeUndefined();
		expect(after.topic).toBe('billing');
	});

	test('an agent may not save a room served by another; a manager may', async () => {
		const c = cluster();
		const body = { guestData: { _id: 'v-busy' }, roomData: { _id: 'r-busy', topic: 't' } };
		expect(await c.call(1, 'POST', 'livechat/room.saveInfo', { body, user: 'u-bob' })).toEqual({
			status: 403,
			body: { success: false, error: 'unauthorized' },
		});
		expect(c.names(1)).toEqual([]);
		expect((await c.call(1, 'POST', 'livechat/room.saveInfo', { body, user: 'u-manager' })).status).toBe(200);
		expect(c.room('r-busy').topic).toBe('t');
	});
});

describe('deleting', () => {
	test('one room, then every closed room: gone from the store, and no event anywhere', async () => {
		const c = cluster();
		expect(await c.call(1, 'POST', 'livechat/rooms.delete', { body: { roomId: 'r-busy' }, user: 'u-manager' })).toEqual({
			status: 400,
			body: { success: false },
		});
		expect(await c.call(1, 'POST', 'livechat/rooms.delete', { body: { roomId: 'c-general' }, user: 'u-manager' })).toEqual({
			status: 400,
			body: { success: false },
		});
		expect(await c.call(1, 'POST', 'livechat/rooms.delete', { body: { roomId: 'r-closed' }, user: 'u-manager' })).toEqual({
			status: 200,
			body: { success: true },
		});
		expect(c.room('r-closed')).toBeUndefined();
		expect(await c.call(1, 'POST', 'livechat/rooms.delete', { body: { roomId: 'r-closed' }, user: 'u-manager' })).toEqual({
			status: 400,
			body: { success: false, error: 'Invalid room' },
		});
		expect(c.names(1)).toEqual([]);
		await c.call(1, 'POST', 'livechat/room.closeByUser', { body: { rid: 'r-busy' }, user: 'u-alice' });
		c.reset();
		expect(await c.call(2, 'POST', 'livechat/rooms.removeAllClosedRooms', { body: { departmentIds: ['d-queue'] }, user: 'u-admin' })).toEqual({
			status: 200,
			body: { removedRooms: 1, success: true },
		});
		expect(c.room('r-closed-2')).toBeUndefined();
		expect(await c.call(2, 'POST', 'livechat/rooms.removeAllClosedRooms', { user: 'u-admin' })).toEqual({
			status: 200,
			body: { removedRooms: 1, success: true },
		});
		expect(c.state.allRooms().map((r: StoredRoom) => r._id)).toEqual(['c-general']);
		expect(c.omnichannel.messagesOf('r-busy')).toEqual([]);
		expect(c.names(1)).toEqual([]);
		expect(c.names(2)).toEqual([]);
	});

	test.each([
		['livechat/rooms.delete', { roomId: 'r-busy' }],
		['livechat/rooms.removeAllClosedRooms', {}],
	])('an agent may not call %s', async (path, body) => {
		const c = cluster();
		expect(await c.call(1, 'POST', path, { body, user: 'u-alice' })).toEqual({
			status: 403,
			body: { success: false, error: 'User does not have the permissions required for this action [error-unauthorized]' },
		});
		expect(c.state.allRooms().length).toBe(4);
	});
});

test('paths and methods that are not omnichannel actions are left to the rest of the workspace', async () => {
	const c = cluster();
	for (const [method, pathname] of [
		['GET', '/api/v1/livechat/visitor'],
		['POST', '/api/v1/livechat/rooms'],
		['GET', '/api/info'],
	]) {
		expect(await routeOmnichannel(c.instances[0], { method, pathname, query: {}, body: undefined, headers: {} })).toBeUndefined();
	}
});
