/** The room rebuilt from Rocket.Chat's full conversion (`getById`, event payloads) is the room rebuilt from the raw list. */
import { describe, expect, test } from '@jest/globals';

import { roomFromEngine } from '../../src/rooms/fromEngine';
import { demoData } from '../../workspace/data/demo';
import { convertRoomToAppRaw } from '../../workspace/engine/converter';
import { WorkspaceState } from '../../workspace/engine/state';
import { departmentDisagrees, roomFromFullEngine, withKnownDepartment, withListedFields } from '../../src/rooms/fromFullRoom';

const ts = new Date('2026-03-01T10:00:00.000Z');
const updated = new Date('2026-03-02T10:00:00.000Z');
const closed = new Date('2026-03-02T09:00:00.000Z');
const stored = {
	_id: 'room-1',
	t: 'l',
	fname: 'Ana Souza',
	msgs: 12,
	ts,
	_updatedAt: updated,
	v: { _id: 'visitor-1', username: 'guest-1', token: 'tok', status: 'online' },
	servedBy: { _id: 'agent-1', username: 'ana.agent', ts },
	closedBy: { _id: 'agent-1', username: 'ana.agent' },
	responseBy: { _id: 'agent-1', username: 'ana.agent', firstResponseTs: ts, lastMessageTs: ts },
	closedAt: closed,
	closer: 'user',
	departmentId: 'dept-1',
	tags: ['billing'],
	livechatData: { plan: 'gold' },
	onHold: false,
	usersCount: 2,
	metrics: { chatDuration: 300 },
	queuedAt: ts,
	source: { type: 'widget' },
};

const fullUser = { id: 'agent-1', username: 'ana.agent', name: 'Ana Agent', emails: [], roles: ['livechat-agent'], type: 'user', isEnabled: true };

/** What the full converter hands an app for `stored` (docs/workspace.md, "How close to Rocket.Chat 8.x it is"). */
const full = {
	id: 'room-1',
	type: 'l',
	displayName: 'Ana Souza',
	messageCount: 12,
	createdAt: ts,
	updatedAt: updated,
	closedAt: closed,
	closer: 'user',
	livechatData: { plan: 'gold' },
	source: { type: 'widget' },
	isDefault: false,
	isReadOnly: false,
	displaySystemMessages: true,
	visitor: { id: 'visitor-1', username: 'guest-1', token: 'tok', status: 'online', name: 'Ana Souza', visitorEmails: [] },
	visitorChannelInfo: {},
	servedBy: fullUser,
	closedBy: fullUser,
	responseBy: fullUser,
	department: { id: 'dept-1', name: 'Sales', enabled: true },
	_unmappedProperties_: {
		v: stored.v,
		tags: ['billing'],
		onHold: false,
		usersCount: 2,
		metrics: { chatDuration: 300 },
		queuedAt: ts,
	},
};

/** What the raw converter hands an app for `stored` through the projected list, plus the fields it leaves out. */
const raw = {
	id: 'room-1',
	type: 'l',
	displayName: 'Ana Souza',
	messageCount: 12,
	createdAt: ts,
	updatedAt: updated,
	closedAt: closed,
	closer: 'user',
	departmentId: 'dept-1',
	livechatData: { plan: 'gold' },
	source: { type: 'widget' },
	displaySystemMessages: true,
	visitor: { id: 'visitor-1', username: 'guest-1', token: 'tok', status: 'online' },
	servedBy: { _id: 'agent-1', username: 'ana.agent' },
	closedBy: { _id: 'agent-1', username: 'ana.agent' },
	responseBy: { _id: 'agent-1', username: 'ana.agent' },
	_unmappedProperties_: { tags: ['billing'], onHold: false, usersCount: 2, metrics: { chatDuration: 300 }, queuedAt: ts },
};

describe('roomFromFullEngine', () => {
	test('gives the same document as the raw list would with every field', () => {
		expect(roomFromFullEngine(full)).toEqual(roomFromEngine(raw));
	});

	test('keeps what the server stores and nothing it resolved', () => {
		const room = roomFromFullEngine(full);
		expect(room.servedBy).toEqual({ _id: 'agent-1', username: 'ana.agent' });
		expect(room.departmentId).toBe('dept-1');
		expect(room.tags).toEqual(['billing']);
		expect(room.v).toEqual(stored.v);
		expect(room).not.toHaveProperty('department');
		expect(room).not.toHaveProperty('visitorChannelInfo');
		expect(room).not.toHaveProperty('default');
		expect(room).not.toHaveProperty('ro');
	});

	test('a visitor who closed the room is a reference too', () => {
		const room = roomFromFullEngine({ ...full, closer: 'visitor', closedBy: { id: 'visitor-1', username: 'guest-1', token: 'tok' } });
		expect(room.closedBy).toEqual({ _id: 'visitor-1', username: 'guest-1' });
	});

	test('a room whose department no longer exists keeps no department id (the converter drops it)', () => {
		const { department: _gone, ...withoutDepartment } = full;
		expect(roomFromFullEngine(withoutDepartment)).not.toHaveProperty('departmentId');
	});
});

describe('withListedFields', () => {
	test('the list corrects the same version of a room, never another one', () => {
		const { department: _gone, ...withoutDepartment } = full;
		const fromFull = roomFromFullEngine(withoutDepartment);
		expect(withListedFields(fromFull, roomFromEngine(raw))).toEqual(roomFromEngine(raw));
		const older = roomFromEngine({ ...raw, updatedAt: ts, displayName: 'Old name' });
		// Another version corrects nothing but the department the full read could not name.
		expect(withListedFields(fromFull, older)).toEqual(roomFromEngine(raw));
		expect(withListedFields(fromFull, older).fname).toBe('Ana Souza');
		expect(withListedFields(roomFromFullEngine(full), older)).toEqual(roomFromFullEngine(full));
	});
});

describe('withKnownDepartment', () => {
	const { department: _gone, ...withoutDepartment } = full;
	const fromFull = roomFromFullEngine(withoutDepartment);
	const held = roomFromEngine(raw);

	test('a full read that names no department keeps the id of the copy held, at its place among the stored fields', () => {
		const kept = withKnownDepartment(fromFull, held);
		expect(kept).toEqual(held);
		expect(Object.keys(kept)).toEqual(Object.keys(held));
		expect(fromFull).not.toHaveProperty('departmentId');
	});

	test('the full read wins when it names a department, and nothing is kept from no copy, another room or no id', () => {
		const moved = roomFromFullEngine({ ...full, department: { id: 'dept-2', name: 'Other' } });
		expect(withKnownDepartment(moved, held).departmentId).toBe('dept-2');
		expect(withKnownDepartment(fromFull, undefined)).toBe(fromFull);
		expect(withKnownDepartment(fromFull, { ...held, _id: 'room-2' })).toBe(fromFull);
		const { departmentId: _none, ...heldWithout } = held;
		expect(withKnownDepartment(fromFull, heldWithout)).toBe(fromFull);
	});
});

describe('departmentDisagrees', () => {
	const held = roomFromEngine(raw);
	test("is whether the list's departmentId (or resolved department) is another than the copy's", () => {
		expect(departmentDisagrees(held, raw)).toBe(false);
		expect(departmentDisagrees(held, { ...raw, departmentId: 'dept-2' })).toBe(true);
		const { departmentId: _unset, ...unset } = raw;
		expect(departmentDisagrees(held, unset)).toBe(true);
		expect(departmentDisagrees(held, { ...unset, departmentId: null })).toBe(true);
		expect(departmentDisagrees(roomFromEngine(unset), unset)).toBe(false);
		expect(departmentDisagrees(held, { ...unset, department: { id: 'dept-1', name: 'Sales' } })).toBe(false);
	});
});

describe('over the demo workspace', () => {
	test('every demo room read in full is the room read from the unprojected list (the list restores a deleted department)', () => {
		const state = new WorkspaceState(demoData({ rooms: 400 }));
		const livechat = state.allRooms().filter((room) => room.t === 'l');
		expect(livechat.length).toBeGreaterThan(300);
		let orphans = 0;
		for (const room of livechat) {
			const listed = roomFromEngine(convertRoomToAppRaw(room));
			const full = roomFromFullEngine(state.convertFull(room));
			if (listed.departmentId !== undefined && !state.departments.some((d) => d._id === listed.departmentId)) {
				orphans++;
				const { departmentId: _lost, ...rest } = listed;
				expect(full).toEqual(rest);
			} else expect(full).toEqual(listed);
			expect(withListedFields(full, listed)).toEqual(listed);
		}
		expect(orphans).toBeGreaterThan(0);
	});
});
