/**
 * A small, hand-made workspace whose answers can be worked out by hand: every room state, ties on `ts`, a deleted
 * department, rooms of other types. Documents are shaped as Rocket.Chat stores them.
 */
import type { StoredRoom, WorkspaceData, WorkspaceUser } from '../../workspace/data/types';

const d = (iso: string): Date => new Date(iso);

/** A user of the test data: id `u-<username>`, token `token-<username>`, and the `user` role beside `role`. */
export function testUser(username: string, name: string, role?: string): WorkspaceUser {
	return { _id: `u-${username}`, username, name, roles: role ? [role, 'user'] : ['user'], authToken: `token-${username}` };
}

export const USERS: WorkspaceUser[] = [
	testUser('admin', 'Admin', 'admin'),
	testUser('manager', 'Maria Manager', 'livechat-manager'),
	testUser('monitor', 'Mo Monitor', 'livechat-monitor'),
	testUser('alice', 'Alice Agent', 'livechat-agent'),
	testUser('bob', 'Bob Agent', 'livechat-agent'),
	testUser('carol', 'Carol User'),
];

export const DEPARTMENTS = [
	{ _id: 'd-sales', name: 'Sales', enabled: true },
	{ _id: 'd-support', name: 'Support', enabled: true },
];

const alice = { _id: 'u-alice', username: 'alice', ts: d('2024-01-01T00:00:00.000Z') };
const bob = { _id: 'u-bob', username: 'bob', ts: d('2024-01-01T00:00:00.000Z') };

function room(id: string, fields: Record<string, unknown>): StoredRoom {
	return {
		_id: id,
		t: 'l',
		msgs: 1,
		usersCount: 1,
		v: { _id: `v-${id}`, username: `guest-${id}`, token: `token-${id}`, status: 'online' },
		cl: false,
		_updatedAt: d('2024-03-01T00:00:00.000Z'),
		...fields,
	};
}

export const ROOMS: StoredRoom[] = [
	room('r01', {
		fname: 'Marcos Defendi',
		name: 'Marcos Defendi',
		ts: d('2024-01-10T10:00:00.000Z'),
		open: true,
		servedBy: alice,
		departmentId: 'd-sales',
		tags: ['vip'],
		livechatData: { docId: 'A-100', plan: 'Gold' },
		waitingResponse: true,
	}),
	room('r02', {
		fname: 'Ana Maria',
		ts: d('2024-01-11T10:00:00.000Z'),
		open: true,
		servedBy: bob,
		departmentId: 'd-support',
		livechatData: { docId: 'B-200' },
	}),
	room('r03', { fname: 'marcos silva', ts: d('2024-01-12T10:00:00.000Z'), open: true, departmentId: 'd-sales', queuedAt: d('2024-01-12T10:00:00.000Z') }),
	room('r04', { fname: 'Hold Me', ts: d('2024-01-13T10:00:00.000Z'), open: true, onHold: true, servedBy: alice, departmentId: 'd-support' }),
	room('r05', {
		fname: 'Marcos',
		ts: d('2024-01-14T10:00:00.000Z'),
		closedAt: d('2024-01-15T00:00:00.000Z'),
		closer: 'user',
		closedBy: { _id: 'u-alice', username: 'alice' },
		servedBy: alice,
		tags: ['rocket', 'chat'],
		livechatData: { docId: 'aobEdbYhXfu5hkeqG' },
	}),
	room('r06', {
		fname: 'Zed (regex.*)',
		ts: d('2024-01-20T10:00:00.000Z'),
		closedAt: d('2024-02-01T00:00:00.000Z'),
		closer: 'visitor',
		servedBy: bob,
		departmentId: 'd-gone',
		departmentAncestors: ['unit-1'],
		tags: ['chat'],
	}),
	room('r07', { fname: 'Tie With One', ts: d('2024-01-10T10:00:00.000Z'), open: true, servedBy: bob, departmentId: 'd-sales' }),
	{ _id: 'c-general', t: 'c', name: 'general', fname: 'general', ts: d('2024-01-01T00:00:00.000Z'), msgs: 10, usersCount: 6 },
	{ _id: 'd-dm', t: 'd', usernames: ['alice', 'bob'], ts: d('2024-01-02T00:00:00.000Z'), msgs: 2, usersCount: 2 },
];

export function fixture(extraRooms: StoredRoom[] = []): WorkspaceData {
	return { users: USERS.map((u) => ({ ...u, roles: [...u.roles] })), departments: DEPARTMENTS.map((dep) => ({ ...dep })), rooms: [...ROOMS, ...extraRooms] };
}
