/** The endpoint's straight line on plain data: what the host cannot show (a request reaching the app without a user). */
import { describe, expect, it } from '@jest/globals';

import { parseRoles } from '../../src/access/access';
import type { AccessRoles } from '../../src/access/access';
import { handleRoomsRequest } from '../../src/endpoint/handleRooms';
import type { RoomsSources } from '../../src/endpoint/handleRooms';
import type { EngineRoom } from '../../src/scan/RoomPages';

const roles: AccessRoles = { allRooms: parseRoles('admin, livechat-manager'), ownRooms: parseRoles('livechat-agent') };

function engineRoom(id: string, agent: string): EngineRoom {
	return { id, type: 'l', displayName: `Visitor ${id}`, createdAt: new Date(`2024-01-0${id.slice(1)}T00:00:00Z`), isOpen: true, servedBy: { _id: agent, username: agent }, departmentId: 'd1', _unmappedProperties_: {} };
}

const rooms = [engineRoom('r1', 'alice'), engineRoom('r2', 'bob')];
const sources: RoomsSources = {
	roles: async () => roles,
	pages: { page: async (skip, limit) => rooms.slice(skip, skip + limit) },
	departments: async (id) => (id === 'd1' ? { _id: 'd1', name: 'Sales' } : undefined),
};

describe('handleRoomsRequest', () => {
	it('refuses a request without a user with the documented 401 body', async () => {
		expect(await handleRoomsRequest({ query: {} }, sources)).toEqual({ status: 401, body: { status: 'error', message: 'You must be logged in to do this.' } });
	});

	it('checks parameters before permission', async () => {
		const answer = await handleRoomsRequest({ user: { id: 'carol', username: 'carol', roles: ['user'] }, query: { count: 'x' } }, sources);
		expect(answer.status).toBe(400);
	});

	it('lets an own-rooms caller list only their own rooms', async () => {
		const alice = { id: 'alice', username: 'alice', roles: ['livechat-agent'] };
		expect((await handleRoomsRequest({ user: alice, query: {} }, sources)).status).toBe(403);
		expect((await handleRoomsRequest({ user: alice, query: { agents: 'bob' } }, sources)).body).toEqual({ success: false, error: 'unauthorized' });
		const own = await handleRoomsRequest({ user: alice, query: { agents: 'alice', fields: '{"fname":1,"department":1}' } }, sources);
		expect(own.body).toEqual({ rooms: [{ _id: 'r1', fname: 'Visitor r1', department: { _id: 'd1', name: 'Sales' } }], count: 1, offset: 0, total: 1, success: true });
	});

	it('reads role settings leniently', () => {
		expect([...parseRoles(' admin,, livechat-manager ,')]).toEqual(['admin', 'livechat-manager']);
		expect([...parseRoles(undefined)]).toEqual([]);
	});
});
