/**
 * What the workspace hands an app for a stored room: through `getAllRooms` (Rocket.Chat 8.x's 34-field projection,
 * then the raw converter) and through `getById` (the full converter, every stored field accounted for).
 */
import { ROOM_PROJECTION, convertRoomToAppRaw, projectRoom } from '../../workspace/engine/converter';
import { WorkspaceState } from '../../workspace/engine/state';
import { fixture } from '../engine/fixture';

const d = (iso: string): Date => new Date(iso);

/** A livechat room carrying every field Rocket.Chat may store on one, projected or not. */
const STORED = {
	_id: 'r-full',
	t: 'l',
	fname: 'Full Room',
	name: 'full-room',
	msgs: 7,
	usersCount: 2,
	ts: d('2026-01-10T10:00:00.000Z'),
	_updatedAt: d('2026-01-11T10:00:00.000Z'),
	lm: d('2026-01-11T09:00:00.000Z'),
	open: true,
	onHold: true,
	waitingResponse: true,
	tags: ['vip', 'billing'],
	cl: false,
	v: { _id: 'v-1', username: 'guest-1', token: 'tok-1', status: 'online', lastMessageTs: d('2026-01-11T08:00:00.000Z'), phone: '+15550100' },
	servedBy: { _id: 'u-alice', username: 'alice', ts: d('2026-01-10T10:05:00.000Z') },
	responseBy: { _id: 'u-alice', username: 'alice', lastMessageTs: d('2026-01-10T10:06:00.000Z'), firstResponseTs: d('2026-01-10T10:06:00.000Z') },
	u: { _id: 'u-bob', username: 'bob', name: 'Bob Agent' },
	departmentId: 'd-sales',
	departmentAncestors: ['unit-1'],
	livechatData: { plan: 'Gold' },
	customFields: { region: 'EU' },
	source: { type: 'widget' },
	contactId: 'c-1',
	queuedAt: d('2026-01-10T10:00:01.000Z'),
	lastMessage: { _id: 'm-1', msg: 'hi', ts: d('2026-01-11T08:00:00.000Z') },
	metrics: { v: { lq: d('2026-01-11T08:00:00.000Z') } },
	priorityWeight: 3,
	slaId: 'sla-1',
	federated: false,
	sysMes: false,
};

describe('getAllRooms: the 34-field projection, then the raw converter', () => {
	test('the projection is the 34 fields of Rocket.Chat 8.x, without duplicates', () => {
		expect(ROOM_PROJECTION).toHaveLength(34);
		expect(new Set(ROOM_PROJECTION).size).toBe(34);
	});

	test.each(['tags', 'onHold', 'usersCount', 'cl', 'lastMessage', 'metrics', 'queuedAt', 'departmentAncestors', 'priorityWeight', 'slaId'])(
		'%s never reaches the app, not even in _unmappedProperties_',
		(field) => {
			const app = convertRoomToAppRaw(projectRoom(STORED));
			expect(Object.keys(app)).not.toContain(field);
			expect(Object.keys(app._unmappedProperties_ as object)).not.toContain(field);
			// with every field (--rooms-as full), it travels in _unmappedProperties_
			expect(Object.keys(convertRoomToAppRaw(STORED)._unmappedProperties_ as object)).toContain(field);
		},
	);

	test.each([
		['id', 'r-full'],
		['type', 'l'],
		['displayName', 'Full Room'],
		['slugifiedName', 'full-room'],
		['messageCount', 7],
		['createdAt', d('2026-01-10T10:00:00.000Z')],
		['updatedAt', d('2026-01-11T10:00:00.000Z')],
		['lastModifiedAt', d('2026-01-11T09:00:00.000Z')],
		['isOpen', true],
		['isWaitingResponse', true],
		['departmentId', 'd-sales'],
		['contactId', 'c-1'],
		['livechatData', { plan: 'Gold' }],
		['customFields', { region: 'EU' }],
		['source', { type: 'widget' }],
		['isFederated', false],
		['displaySystemMessages', false],
		['servedBy', { _id: 'u-alice', username: 'alice' }],
		['responseBy', { _id: 'u-alice', username: 'alice' }],
		['creator', { _id: 'u-bob', username: 'bob', name: 'Bob Agent' }],
		['visitor', { id: 'v-1', username: 'guest-1', token: 'tok-1', status: 'online', lastMessageTs: d('2026-01-11T08:00:00.000Z'), phone: '+15550100' }],
	])('%s', (field, value) => {
		expect(convertRoomToAppRaw(projectRoom(STORED))[field]).toEqual(value);
	});

	test('an absent field stays absent, and sysMes defaults to true', () => {
		const app = convertRoomToAppRaw(projectRoom({ _id: 'r', t: 'l' }));
		expect(app).toEqual({ id: 'r', type: 'l', displaySystemMessages: true, _unmappedProperties_: {} });
	});
});

describe('getById: the full converter', () => {
	const state = new WorkspaceState(fixture([STORED]));
	const room = state.fullRoom('r-full') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

	test.each([
		['creator', 'u-bob'],
		['servedBy', 'u-alice'],
		['responseBy', 'u-alice'],
	])('%s is the full app user', (field, id) => {
		expect(room[field]).toEqual(state.appUserById(id));
		expect(room[field].roles).toBeDefined();
	});

	test('visitor is the full visitor, department the app department, and the visitor channel info is kept', () => {
		expect(room.visitor).toMatchObject({ id: 'v-1', username: 'guest-1', token: 'tok-1', status: 'online', phone: '+15550100' });
		expect(room.department).toEqual(state.appDepartment('d-sales'));
		expect(room.visitorChannelInfo).toEqual({ phone: '+15550100', lastMessageTs: d('2026-01-11T08:00:00.000Z') });
	});

	test('every other stored field, v and contactId included, is in _unmappedProperties_ untouched', () => {
		expect(room._unmappedProperties_).toEqual({
			usersCount: 2,
			onHold: true,
			tags: ['vip', 'billing'],
			cl: false,
			v: STORED.v,
			departmentAncestors: ['unit-1'],
			contactId: 'c-1',
			queuedAt: STORED.queuedAt,
			lastMessage: STORED.lastMessage,
			metrics: STORED.metrics,
			priorityWeight: 3,
			slaId: 'sla-1',
		});
	});

	test('every stored field is accounted for: mapped, resolved or unmapped', () => {
		const consumed = [
			'_id',
			't',
			'fname',
			'name',
			'msgs',
			'ts',
			'_updatedAt',
			'lm',
			'open',
			'waitingResponse',
			'servedBy',
			'responseBy',
			'u',
			'departmentId',
			'livechatData',
			'customFields',
			'source',
			'federated',
			'sysMes',
		];
		const unmapped = Object.keys(room._unmappedProperties_);
		expect([...consumed, ...unmapped].sort()).toEqual(Object.keys(STORED).sort());
	});

	test('closedBy is a user when the closer is a user, the visitor when the closer is the visitor', () => {
		const closed = new WorkspaceState(
			fixture([
				{ _id: 'c1', t: 'l', closer: 'user', closedBy: { _id: 'u-alice', username: 'alice' }, v: { _id: 'v-9', username: 'guest-9', token: 't9' } },
				{ _id: 'c2', t: 'l', closer: 'visitor', closedBy: { _id: 'v-9', username: 'guest-9' }, v: { _id: 'v-9', username: 'guest-9', token: 't9' } },
			]),
		);
		expect((closed.fullRoom('c1') as Record<string, unknown>).closedBy).toEqual(closed.appUserById('u-alice'));
		expect((closed.fullRoom('c2') as Record<string, unknown>).closedBy).toMatchObject({ id: 'v-9', username: 'guest-9' });
	});

	test('a relation whose document is gone is left out; the room is not changed by converting it', () => {
		const gone = new WorkspaceState(fixture([{ _id: 'g', t: 'l', servedBy: { _id: 'u-nobody' }, departmentId: 'd-gone', u: { _id: 'u-nobody' } }]));
		const before = JSON.stringify(gone.findRoom('g'));
		const app = gone.fullRoom('g') as Record<string, unknown>;
		expect(app.servedBy).toBeUndefined();
		expect(app.department).toBeUndefined();
		expect(app.creator).toBeUndefined();
		expect(JSON.stringify(gone.findRoom('g'))).toBe(before);
	});

	test('getById is counted, fullRoom (for event payloads) is not', () => {
		const counted = new WorkspaceState(fixture());
		counted.roomById('r01');
		counted.fullRoom('r01');
		expect(counted.stats.roomById).toBe(1);
	});
});

describe('every write to a room stamps _updatedAt', () => {
	test.each([
		['insert', (s: WorkspaceState) => s.addRoom({ _id: 'new', t: 'l', _updatedAt: d('2000-01-01T00:00:00.000Z') }) && 'new'],
		['update', (s: WorkspaceState) => s.updateRoom('r01', { fname: 'Renamed' }) && 'r01'],
		['update that only unsets', (s: WorkspaceState) => s.updateRoom('r04', {}, ['onHold']) && 'r04'],
		['update that tries to set _updatedAt itself', (s: WorkspaceState) => s.updateRoom('r02', { _updatedAt: d('2000-01-01T00:00:00.000Z') }) && 'r02'],
	])('%s', (_name, write) => {
		const state = new WorkspaceState(fixture());
		const before = Date.now();
		const id = write(state) as string;
		const stamped = (state.findRoom(id) as Record<string, unknown>)._updatedAt as Date;
		expect(stamped).toBeInstanceOf(Date);
		expect(stamped.getTime()).toBeGreaterThanOrEqual(before);
	});

	test('two writes in a row get increasing stamps', () => {
		const state = new WorkspaceState(fixture());
		state.updateRoom('r01', { fname: 'a' });
		state.updateRoom('r01', { fname: 'b' });
		state.updateRoom('r02', { fname: 'c' });
		const stamps = ['r01', 'r02'].map((id) => ((state.findRoom(id) as Record<string, unknown>)._updatedAt as Date).getTime());
		expect(stamps[1]).toBeGreaterThan(stamps[0]);
	});

	test('rooms loaded from the data keep their own _updatedAt', () => {
		const state = new WorkspaceState(fixture());
		expect((state.findRoom('r01') as Record<string, unknown>)._updatedAt).toEqual(d('2024-03-01T00:00:00.000Z'));
	});
});
