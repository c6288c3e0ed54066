/**
 * The endpoint's straight line on plain data: what the host cannot show (a request reaching the app without a user),
 * and that nothing internal turns into an answer that looks normal (failures refuse, and reach the app's log).
 */
import { describe, expect, it } from '@jest/globals';

import { parseRoles } from '../../src/access/access';
import type { AccessRoles } from '../../src/access/access';
import { FAILED, handleRoomsRequest } from '../../src/endpoint/handleRooms';
import type { EngineRoom } from '../../src/rooms/EngineRoom';
import { roomFromEngine } from '../../src/rooms/fromEngine';
import { fakeSources, roomsOf } from './fixtures';

const roles: AccessRoles = { allRooms: parseRoles('admin, livechat-manager'), ownRooms: parseRoles('livechat-agent') };

function engineRoom(id: string, agent: string): EngineRoom {
	return {
		id,
		type: 'l',
		displayName: `Visitor ${id}`,
		createdAt: new Date(`2024-01-0${id.slice(1)}T00:00:00Z`),
		isOpen: true,
		servedBy: { _id: agent, username: agent },
		departmentId: 'd1',
		_unmappedProperties_: {},
	};
}

const rooms = [engineRoom('r1', 'alice'), engineRoom('r2', 'bob')];
const sources = () =>
	fakeSources({
		roles: async () => roles,
		rooms: roomsOf(rooms.map(roomFromEngine)),
		departments: async (id) => (id === 'd1' ? { _id: 'd1', name: 'Sales' } : undefined),
	});
const manager = { id: 'maria', username: 'maria', roles: ['livechat-manager'] };

describe('handleRoomsRequest', () => {
	it('refuses a request without a user with the documented 401 body', async () => {
		expect(await handleRoomsRequest({ query: {} }, sources())).toEqual({
			status: 401,
			body: { status: 'error', message: 'You must be logged in to do this.' },
		});
	});

	it('checks parameters before permission', async () => {
		const answer = await handleRoomsRequest({ user: { id: 'carol', username: 'carol', roles: ['user'] }, query: { count: 'x' } }, sources());
		expect(answer.status).toBe(400);
	});

	it('lets an own-rooms caller list only their own rooms', async () => {
		const alice = { id: 'alice', username: 'alice', roles: ['livechat-agent'] };
		expect((await handleRoomsRequest({ user: alice, query: {} }, sources())).status).toBe(403);
		expect((await handleRoomsRequest({ user: alice, query: { agents: 'bob' } }, sources())).body).toEqual({ success: false, error: 'unauthorized' });
		const own = await handleRoomsRequest({ user: alice, query: { agents: 'alice', fields: '{"fname":1,"department":1}' } }, sources());
		expect(own.body).toEqual({
			rooms: [{ _id: 'r1', fname: 'Visitor r1', department: { _id: 'd1', name: 'Sales' } }],
			count: 1,
			offset: 0,
			total: 1,
			success: true,
		});
	});

	it('reads role settings leniently', () => {
		expect([...parseRoles(' admin,, livechat-manager ,')]).toEqual(['admin', 'livechat-manager']);
		expect([...parseRoles(undefined)]).toEqual([]);
	});
});

describe('handleRoomsRequest fails closed and logs', () => {
	it('refuses with the 500 when the role settings cannot be read, and logs why', async () => {
		const broken = new Error('settings store down');
		const from = { ...sources(), roles: () => Promise.reject(broken) };
		const logged: unknown[] = [];
		const answer = await handleRoomsRequest({ user: manager, query: {} }, { ...from, logError: (_message, error) => logged.push(error) });
		expect(answer).toEqual(FAILED);
		expect(logged).toEqual([broken]);
	});

	it('answers a search that throws with the 500, and logs the error', async () => {
		const broken = new Error('search bug');
		const from = sources();
		const answer = await handleRoomsRequest({ user: manager, query: {} }, { ...from, rooms: { current: () => Promise.reject(broken) } });
		expect(answer).toEqual(FAILED);
		expect(from.logged).toEqual([['rooms endpoint failed', broken]]);
	});

	it('logs the error behind a 400 the parser caught', async () => {
		const trap = new Proxy(
			{},
			{
				ownKeys: () => {
					throw new Error('trap');
				},
			},
		);
		const from = sources();
		const answer = await handleRoomsRequest({ user: manager, query: trap }, from);
		expect(answer).toEqual({
			status: 400,
			body: { success: false, error: 'query parameters must be an object of strings [invalid-params]', errorType: 'invalid-params' },
		});
		expect(from.logged).toEqual([['rooms endpoint could not read the query parameters', new Error('trap')]]);
	});

	it('logs nothing for a refusal of what the caller asked', async () => {
		const from = sources();
		expect((await handleRoomsRequest({ user: manager, query: { count: 'x' } }, from)).status).toBe(400);
		expect(from.logged).toEqual([]);
	});
});
