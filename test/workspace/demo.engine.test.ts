/**
 * The demo data on a cluster of two instances, as `npm start -- --instances 2` runs it: docs/workspace.md's omnichannel
 * example (a visitor, their room, an agent takes it, the agent closes it) works against the demo users.
 */
import { startWorkspace } from '../../workspace';
import { DEMO_DEPARTMENTS, DEMO_USERS, demoData } from '../../workspace/data/demo';
import type { Json } from '../engine/client';
import { callsOn } from '../engine/client';
import { probeZip } from './probe';

let running: Awaited<ReturnType<typeof startWorkspace>>;

beforeAll(async () => {
	running = await startWorkspace({ data: demoData({ rooms: 30 }), instances: 2, zip: probeZip(), schedulerPollMs: 0 });
}, 120000);

afterAll(async () => {
	await running?.stop();
});

function caller(username: string): { id: string; token: string } {
	const user = DEMO_USERS.find((u) => u.username === username);
	if (!user) throw new Error(`no demo user ${username}`);
	return { id: user._id, token: user.authToken };
}

const call = callsOn(() => running);

function department(name: string): { _id: string; agents?: unknown[] } {
	const found = DEMO_DEPARTMENTS.find((d) => d.name === name);
	if (!found) throw new Error(`no demo department ${name}`);
	return found;
}

test('manual selection (Onboarding): visitor, room in the queue, an agent of the department takes it and closes it', async () => {
	const onboarding = department('Onboarding');
	expect((await call(2, 'POST', '/api/v1/livechat/visitor', { visitor: { token: 'tok-demo-1', name: 'Olga', department: onboarding._id } })).status).toBe(
		200,
	);
	const started = await call(2, 'GET', '/api/v1/livechat/room?token=tok-demo-1');
	expect(started.status).toBe(200);
	const rid = started.body.room._id as string;
	expect(started.body.room.servedBy).toBeUndefined();

	const chen = caller('chen');
	const inquiry = await call(2, 'GET', `/api/v1/livechat/inquiries.getOne?roomId=${rid}`, undefined, chen);
	expect(inquiry.body.inquiry).toMatchObject({ rid, status: 'queued' });
	expect(await call(2, 'POST', '/api/v1/livechat/inquiries.take', { inquiryId: inquiry.body.inquiry._id }, chen)).toEqual({
		status: 200,
		body: { success: true },
	});
	expect(await call(2, 'POST', '/api/v1/livechat/room.closeByUser', { rid, comment: 'welcome aboard' }, chen)).toEqual({
		status: 200,
		body: { success: true },
	});

	const room = ((await call(1, 'GET', '/api/workspace/export')).body.rooms as Json[]).find((r) => r._id === rid) as Json;
	expect(room).toMatchObject({ servedBy: { _id: caller('chen').id }, closer: 'user', closedBy: { username: 'chen' }, departmentId: onboarding._id });
});

test('auto selection (Sales): the room goes at once to an available agent of the department, who closes it', async () => {
	const sales = department('Sales');
	await call(1, 'POST', '/api/v1/livechat/visitor', { visitor: { token: 'tok-demo-2', name: 'Sam', department: sales._id } });
	const started = await call(1, 'GET', '/api/v1/livechat/room?token=tok-demo-2');
	expect(started.status).toBe(200);
	const servedBy = started.body.room.servedBy as Json;
	expect(sales.agents).toContain(servedBy._id);
	const agent = DEMO_USERS.find((u) => u._id === servedBy._id);
	expect(agent).toBeDefined();
	expect(
		await call(1, 'POST', '/api/v1/livechat/room.closeByUser', { rid: started.body.room._id }, { id: servedBy._id, token: agent?.authToken ?? '' }),
	).toEqual({ status: 200, body: { success: true } });
});
