/**
 * Rooms of a department that no longer exists, on a cluster of two instances: Rocket.Chat's full read of such a room
 * (every event's room, `getById`) cannot name the department and drops its `departmentId`, while the room still stores
 * it. Events of every kind on those rooms, on either instance, must leave them in `departmentId=<id>` and in the
 * department counts of both instances, as the store has them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { RunningWorkspace } from '../../workspace';
import { startWorkspace } from '../../workspace';
import { DEMO_DELETED_DEPARTMENT_ID, DEMO_DEPARTMENTS, demoData } from '../../workspace/data/demo';
import type { Json } from './client';
import { call, indexReady, reconcileNow } from './client';

const GONE = DEMO_DELETED_DEPARTMENT_ID;

let running: RunningWorkspace;

const app = (instance: number, path: string, query: string) => call(running, instance, 'GET', `/api/apps/public/${running.app.id}/${path}?${query}`, 'manager');

/** The livechat rooms of the store, as it is now. */
async function stored(): Promise<Json[]> {
	return ((await call(running, 1, 'GET', '/api/workspace/export')).body.rooms as Json[]).filter((room) => room.t === 'l');
}

const idsIn = (rooms: Json[]): string[] => rooms.map((room) => room._id).sort();

/** What both instances answer for the department, against the store: the room list and the count. */
async function expectDepartmentExact(): Promise<void> {
	const truth = idsIn((await stored()).filter((room) => room.departmentId === GONE));
	expect(truth.length).toBeGreaterThan(0);
	for (const instance of [1, 2]) {
		const listed = await app(instance, 'rooms', `departmentId=${GONE}&count=0`);
		expect([instance, idsIn(listed.body.rooms)]).toEqual([instance, truth]);
		const counts = await app(instance, 'rooms/counts', '');
		expect([instance, counts.body.departments.find((entry: Json) => entry._id === GONE)?.count]).toEqual([instance, truth.length]);
	}
}

/**
 * A visitor's new room on `instance` (in `department` when given), moved into the deleted department behind the app's
 * back, as old data would be.
 */
async function roomOfGoneDepartment(instance: number, token: string, name: string, department?: string): Promise<string> {
	await call(running, instance, 'POST', '/api/v1/livechat/visitor', undefined, { visitor: { token, name, ...(department && { department }) } });
	const rid = (await call(running, instance, 'GET', `/api/v1/livechat/room?token=${token}`)).body.room._id as string;
	running.state.updateRoom(rid, { departmentId: GONE });
	return rid;
}

beforeAll(async () => {
	running = await startWorkspace({ data: demoData({ rooms: 300 }), instances: 2, schedulerPollMs: 0 });
	await indexReady(running);
}, 120000);

afterAll(async () => {
	await running?.stop();
});

describe('rooms of a deleted department', () => {
	it('are in departmentId=<id> and the counts on both instances, as stored', async () => {
		expect((await stored()).some((room) => room.departmentId === GONE)).toBe(true);
		await expectDepartmentExact();
	});

	it('stay there through room.saveInfo, inquiries.take and messages, on either instance', async () => {
		const served = await roomOfGoneDepartment(1, 'tok-gone-served', 'Gabi Gone');
		// Onboarding routes by manual selection: the room waits in the queue.
		const onboarding = DEMO_DEPARTMENTS.find((department) => department.name === 'Onboarding')!._id;
		const queuedRid = await roomOfGoneDepartment(2, 'tok-gone-queued', 'Quinn Gone', onboarding);
		expect((await stored()).find((room) => room._id === queuedRid).servedBy).toBeUndefined();
		// And a few closed rooms of other departments, so that each instance has some to save.
		for (const room of (await stored()).filter((r) => r.open !== true && typeof r.departmentId === 'string' && r.departmentId !== GONE).slice(0, 3))
			running.state.updateRoom(room._id, { departmentId: GONE });
		await reconcileNow(running);
		await new Promise((resolve) => setTimeout(resolve, 1100));
		await expectDepartmentExact();

		// room.saveInfo on old (closed) rooms of the department, on each instance.
		const old = (await stored()).filter((room) => room.departmentId === GONE && room.open !== true).slice(0, 4);
		expect(old.length).toBeGreaterThan(1);
		for (const [i, room] of old.entries()) {
			const saved = await call(running, 1 + (i % 2), 'POST', '/api/v1/livechat/room.saveInfo', 'manager', {
				guestData: { _id: room.v._id },
				roomData: { _id: room._id, topic: `touched ${i}`, tags: ['gone-department'] },
			});
			expect(saved.status).toBe(200);
		}
		// A message in the served room, on instance 2 (the room started on instance 1).
		const agent = (await stored()).find((room) => room._id === served).servedBy?.username ?? 'manager';
		expect((await call(running, 2, 'POST', '/api/v1/chat.sendMessage', agent, { message: { rid: served, msg: 'still here' } })).status).toBe(200);
		// The queued room taken from the queue, on instance 1.
		const inquiry = await call(running, 1, 'GET', `/api/v1/livechat/inquiries.getOne?roomId=${queuedRid}`, 'chen');
		expect(inquiry.body.inquiry).toMatchObject({ status: 'queued' });
		expect((await call(running, 1, 'POST', '/api/v1/livechat/inquiries.take', 'chen', { inquiryId: inquiry.body.inquiry._id })).status).toBe(200);
		expect((await stored()).find((room) => room._id === queuedRid)).toMatchObject({ servedBy: { username: 'chen' }, departmentId: GONE });

		// Within the instances' freshness (a second), with no reconciliation in between.
		await new Promise((resolve) => setTimeout(resolve, 1100));
		const tagged = await app(2, 'rooms', `tags=gone-department&departmentId=${GONE}&count=0`);
		expect(idsIn(tagged.body.rooms)).toEqual(idsIn(old));
		const message = await app(1, 'rooms', `departmentId=${GONE}&count=0&fields=${encodeURIComponent('{"lastMessage.msg":1}')}`);
		expect(message.body.rooms.find((room: Json) => room._id === served)?.lastMessage).toEqual({ msg: 'still here' });
		await expectDepartmentExact();
	});
});
