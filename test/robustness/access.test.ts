/**
 * A permission property: random callers (all-rooms roles, own-rooms roles, both, none, near-miss role names) and
 * random queries. No room outside the caller's scope is ever returned, by the endpoint or the command, and `total`
 * never counts one. The rooms each caller may see, and which of them a query selects, are worked out here from the
 * data alone (docs/endpoint.md, "Parameters" and "Who may ask"; docs/command.md), never by asking the app.
 *
 * A caller's own rooms are the rooms whose `servedBy._id` is the caller's id: a user's identity is the id, a
 * username is only a name (upstream's `view-l-room` rule compares `agents` with the caller's id).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import type { StoredRoom, WorkspaceData, WorkspaceUser } from '../../workspace/data/types';
import type { Scope } from './contract';
import { replyKind, scopeOfRoles } from './contract';
import { Prng, Robust, announcedTotal, linkedRoomIds } from './harness';

const SEED = 20261107;

const user = (_id: string, username: string, roles: string[]): WorkspaceUser => ({
	_id,
	username,
	name: username.toUpperCase(),
	roles,
	authToken: `token-${_id}`,
});

/** The callers of the property: every kind of role holder, with no username equal to anybody's id. */
const CALLERS: readonly WorkspaceUser[] = [
	user('u-admin', 'ada', ['admin']),
	user('u-mgr', 'max', ['livechat-manager', 'user']),
	user('u-mgr-agent', 'mia', ['livechat-manager', 'livechat-agent']),
	user('u-mon', 'moe', ['livechat-monitor', 'user']),
	user('u-ag1', 'ann', ['livechat-agent', 'user']),
	user('u-ag2', 'ben', ['livechat-agent']),
	user('u-ag3', 'cat', ['livechat-agent', 'livechat-monitor']),
	user('u-plain', 'pat', ['user']),
	user('u-bot', 'bot', ['bot']),
	user('u-noroles', 'nil', []),
	user('u-near', 'nea', ['Admin', 'livechat-agents', 'admin ', 'livechat_manager', 'LIVECHAT-MANAGER']),
	user('u-guest', 'gus', ['livechat-guest', 'anonymous']),
];

/** Users whose names collide: `Q`'s username is `P`'s id (usernames and ids share an alphabet in Rocket.Chat). */
const P = user('Pq7cRz2nW4xYk9bTd', 'pia', ['livechat-agent']);
const Q = user('Qm3vL8sF6hJ2aE5gC', P._id, ['livechat-agent']);

/** Agents who serve rooms: the callers above (a user with no rooms role among them), and one deleted agent. */
const SERVERS: ReadonlyArray<{ _id: string; username: string }> = [
	...CALLERS.filter((u) => ['ann', 'ben', 'cat', 'moe', 'mia', 'ada', 'pat'].includes(u.username)).map(({ _id, username }) => ({ _id, username })),
	{ _id: 'u-gone', username: 'zed' },
];

const DEPARTMENTS = [
	{ _id: 'd1', name: 'Sales', enabled: true },
	{ _id: 'd2', name: 'Support', enabled: true },
	{ _id: 'd3', name: 'Billing', enabled: false },
];
const TAGS = ['vip', 'billing', 'bug', 'sales'];
const NAMES = ['Ana Silva', 'Marcos Defendi', 'John Smith', 'Priya Sharma', 'Lukas Meyer', 'Sofia Rossi', 'Kenji Tanaka', 'Omar Haddad'];
const DAY = 24 * 3600 * 1000;
const START = Date.parse('2024-01-01T00:00:00.000Z');

function livechatRoom(random: Prng, i: number, servedBy?: { _id: string; username: string }): StoredRoom {
	const _id = `r${String(i).padStart(4, '0')}`;
	const ts = new Date(START + random.int(0, 180) * DAY + random.int(0, DAY - 1));
	const state = random.pick(['open', 'open', 'queued', 'onhold', 'closed', 'closed']);
	const agent = state === 'queued' ? undefined : (servedBy ?? (random.chance(0.9) ? random.pick(SERVERS) : undefined));
	const room: StoredRoom = {
		_id,
		t: 'l',
		fname: random.pick(NAMES),
		msgs: random.int(1, 30),
		usersCount: agent ? 2 : 1,
		ts,
		_updatedAt: ts,
		v: { _id: `v-${_id}`, username: `guest-${i}`, token: `tok-${i}`, status: 'online' },
		cl: false,
	};
	if (agent) room.servedBy = { _id: agent._id, username: agent.username, ts };
	if (state !== 'closed') room.open = true;
	if (state === 'onhold') room.onHold = true;
	if (state === 'closed') room.closedAt = new Date(ts.getTime() + random.int(1, 5) * DAY);
	const departmentId = random.pick(['d1', 'd2', 'd3', 'd1', 'd-gone', undefined]);
	if (departmentId) room.departmentId = departmentId;
	const tags = random.subset(TAGS, 0.3);
	if (tags.length) room.tags = tags;
	return room;
}

function makeData(): WorkspaceData {
	const random = new Prng(SEED);
	const rooms: StoredRoom[] = [];
	for (let i = 0; i < 220; i++) rooms.push(livechatRoom(random, i));
	// P's, Q's, and a room an agent long gone served under the username P has now.
	rooms.push({ ...livechatRoom(random, 900, P), fname: 'Pia Own' });
	rooms.push({ ...livechatRoom(random, 901, P), fname: 'Pia Own Two' });
	rooms.push({ ...livechatRoom(random, 902, Q), fname: 'Quinn Own' });
	rooms.push({ ...livechatRoom(random, 903, { _id: 'u-renamed', username: P.username }), fname: 'Old Agent Room' });
	rooms.push({ _id: 'c-general', t: 'c', name: 'general', fname: 'general', ts: new Date(START), msgs: 3, usersCount: 9 });
	rooms.push({ _id: 'p-team', t: 'p', name: 'team', fname: 'team', ts: new Date(START), msgs: 3, usersCount: 2, u: { _id: 'u-ag1', username: 'ann' } });
	rooms.push({ _id: 'u-ag1u-ag2', t: 'd', usernames: ['ann', 'ben'], uids: ['u-ag1', 'u-ag2'], ts: new Date(START), msgs: 2, usersCount: 2 });
	return { users: [...CALLERS, P, Q].map((u) => ({ ...u, roles: [...u.roles] })), departments: DEPARTMENTS.map((d) => ({ ...d })), rooms };
}

// ---------------------------------------------------------------------------------------------------------------
// The reference: which rooms a caller may see, and which a query selects

interface Filters {
	open?: boolean;
	onHold?: boolean;
	queued?: boolean;
	tags?: string[];
	departmentIds?: string[];
	roomName?: string;
	created?: { start?: number; end?: number };
	/** `servedBy._id` or `servedBy.username` in the list (an empty list selects nothing). */
	agents?: string[];
}

type Room = StoredRoom & { _id: string; servedBy?: { _id: string; username: string }; ts: Date; tags?: string[] };

function selects(room: Room, f: Filters): boolean {
	const onHold = room.onHold === true;
	if (f.queued) {
		if (room.open !== true || room.servedBy || onHold) return false;
	} else {
		if (f.open === true && (room.open !== true || !room.servedBy)) return false;
		if (f.open === false && room.open !== undefined) return false;
		if (f.onHold) {
			if (!onHold) return false;
		} else if (f.open !== undefined && onHold) return false;
	}
	if (f.agents && !(room.servedBy && (f.agents.includes(room.servedBy._id) || f.agents.includes(room.servedBy.username)))) return false;
	if (f.departmentIds && !f.departmentIds.includes(room.departmentId as string)) return false;
	if (f.tags && !(room.tags ?? []).some((tag) => f.tags!.includes(tag))) return false;
	if (f.roomName !== undefined && !String(room.fname).toLowerCase().includes(f.roomName.toLowerCase())) return false;
	const ts = room.ts.getTime();
	if (f.created?.start !== undefined && ts < f.created.start) return false;
	if (f.created?.end !== undefined && ts > f.created.end) return false;
	return true;
}

function visible(room: Room, caller: WorkspaceUser, scope: Scope): boolean {
	if (scope === 'all') return true;
	if (scope === 'own') return room.servedBy?._id === caller._id;
	return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Random queries

/** `agents` values: the caller's own id or username (`self-id`, `self-name`), someone else's, or nobody's. */
const AGENT_VALUES = ['self-id', 'self-name', 'self-id', 'self-name', 'u-ag1', 'ann', 'u-ag2', 'ben', 'u-mgr-agent', 'mia', 'u-gone', 'zed', 'nobody'];

const resolveAgent = (value: string, caller: WorkspaceUser): string => (value === 'self-id' ? caller._id : value === 'self-name' ? caller.username : value);

const dayOf = (n: number): string => new Date(START + n * DAY).toISOString().slice(0, 10);

interface EndpointSpec {
	caller: WorkspaceUser;
	open?: 'true' | 'false';
	onhold?: string;
	queued?: string;
	tags?: string[];
	departmentId?: string[];
	roomName?: string;
	createdAt?: { start?: number; end?: number };
	agents?: string[];
	agentsForm: 'repeated' | 'json' | 'brackets';
	count?: number;
	offset?: number;
	fields?: string;
}

const endpointSpec: fc.Arbitrary<EndpointSpec> = fc.record(
	{
		caller: fc.constantFrom(...CALLERS),
		open: fc.constantFrom('true', 'false'),
		onhold: fc.constantFrom('true', '1', 't'),
		queued: fc.constantFrom('true', '1', 't'),
		tags: fc.subarray(TAGS, { minLength: 1 }),
		departmentId: fc.subarray(['d1', 'd2', 'd3', 'd-gone'], { minLength: 1 }),
		roomName: fc.constantFrom('ana', 'SILVA', 'mar', 'o', 'x', 'Own'),
		createdAt: fc.record({ start: fc.integer({ min: 0, max: 180 }), end: fc.integer({ min: 0, max: 181 }) }, { requiredKeys: [] }),
		agents: fc.option(
			fc.oneof(
				fc.array(fc.constantFrom('self-id', 'self-name'), { minLength: 1, maxLength: 2 }),
				fc.array(fc.constantFrom(...AGENT_VALUES), { maxLength: 3 }),
			),
			{ nil: undefined, freq: 5 },
		),
		agentsForm: fc.constantFrom('repeated', 'json', 'brackets'),
		count: fc.constantFrom(0, 1, 5, 50, 100, 500),
		offset: fc.constantFrom(0, 3, 50, 250),
		fields: fc.constantFrom('{"fname":1}', '{"lastMessage":0}', '{"_id":1,"servedBy":1}'),
	},
	{ requiredKeys: ['caller', 'agents', 'agentsForm'] },
);

function endpointSearch(spec: EndpointSpec): { search: string; agents?: string[] } {
	const parts: string[] = [];
	const add = (name: string, value: string) => parts.push(`${name}=${encodeURIComponent(value)}`);
	if (spec.open) add('open', spec.open);
	if (spec.onhold) add('onhold', spec.onhold);
	if (spec.queued) add('queued', spec.queued);
	if (spec.tags) add('tags', JSON.stringify(spec.tags));
	if (spec.departmentId) for (const id of spec.departmentId) add('departmentId', id);
	if (spec.roomName) add('roomName', spec.roomName);
	if (spec.createdAt && (spec.createdAt.start !== undefined || spec.createdAt.end !== undefined)) {
		const range: Record<string, string> = {};
		if (spec.createdAt.start !== undefined) range.start = new Date(START + spec.createdAt.start * DAY).toISOString();
		if (spec.createdAt.end !== undefined) range.end = new Date(START + spec.createdAt.end * DAY).toISOString();
		add('createdAt', JSON.stringify(range));
	}
	let agents: string[] | undefined;
	if (spec.agents) {
		const values = spec.agents.map((value) => resolveAgent(value, spec.caller));
		if (spec.agentsForm === 'json') {
			add('agents', JSON.stringify(values));
			agents = values;
		} else {
			for (const value of values) parts.push(`agents${spec.agentsForm === 'brackets' ? '[]' : ''}=${encodeURIComponent(value)}`);
			if (values.length > 0) agents = values;
		}
	}
	if (spec.count !== undefined) add('count', String(spec.count));
	if (spec.offset !== undefined) add('offset', String(spec.offset));
	if (spec.fields) add('fields', spec.fields);
	return { search: parts.join('&'), agents };
}

function endpointFilters(spec: EndpointSpec, agents: string[] | undefined): Filters {
	const truthy = (flag?: string) => flag !== undefined;
	return {
		open: spec.open === undefined ? undefined : spec.open === 'true',
		onHold: truthy(spec.onhold),
		queued: truthy(spec.queued),
		tags: spec.tags,
		departmentIds: spec.departmentId,
		roomName: spec.roomName,
		created: spec.createdAt && {
			start: spec.createdAt.start === undefined ? undefined : START + spec.createdAt.start * DAY,
			end: spec.createdAt.end === undefined ? undefined : START + spec.createdAt.end * DAY,
		},
		agents,
	};
}

interface CommandSpec {
	caller: WorkspaceUser;
	status?: 'open' | 'closed' | 'queued' | 'onhold' | 'all';
	agent?: string[];
	tag?: string;
	department?: string;
	name?: string;
	created?: [number, number];
	count?: number;
	page?: number;
}

const commandSpec: fc.Arbitrary<CommandSpec> = fc.record(
	{
		caller: fc.constantFrom(...CALLERS),
		status: fc.constantFrom('open', 'closed', 'queued', 'onhold', 'all'),
		agent: fc.array(fc.constantFrom('me', ...AGENT_VALUES), { minLength: 1, maxLength: 3 }),
		tag: fc.constantFrom(...TAGS),
		department: fc.constantFrom('d1', 'Sales', 'd2', 'Support', 'Billing'),
		name: fc.constantFrom('ana', 'Silva', 'mar', 'o', '"John Smith"', 'Own'),
		created: fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 60 })).map(([from, length]) => [from, from + length] as [number, number]),
		count: fc.integer({ min: 1, max: 100 }),
		page: fc.integer({ min: 1, max: 4 }),
	},
	{ requiredKeys: ['caller'] },
);

function commandLine(spec: CommandSpec): string {
	const words: string[] = [];
	if (spec.status) words.push(`status=${spec.status}`);
	if (spec.agent) words.push(`agent=${spec.agent.map((value) => resolveAgent(value, spec.caller)).join(',')}`);
	if (spec.tag) words.push(`tag=${spec.tag}`);
	if (spec.department) words.push(`department=${spec.department}`);
	if (spec.name) words.push(`name=${spec.name}`);
	if (spec.created) words.push(`created=${dayOf(spec.created[0])}..${dayOf(spec.created[1])}`);
	if (spec.count) words.push(`count=${spec.count}`);
	if (spec.page) words.push(`page=${spec.page}`);
	return words.join(' ');
}

const DEPARTMENT_IDS: Record<string, string> = { Sales: 'd1', Support: 'd2', Billing: 'd3' };

function commandFilters(spec: CommandSpec, agents: string[] | undefined): Filters {
	const name = spec.name?.replace(/^"|"$/g, '');
	return {
		open: spec.status === 'open' ? true : spec.status === 'closed' ? false : undefined,
		onHold: spec.status === 'onhold',
		queued: spec.status === 'queued',
		tags: spec.tag ? [spec.tag] : undefined,
		departmentIds: spec.department ? [DEPARTMENT_IDS[spec.department] ?? spec.department] : undefined,
		roomName: name,
		created: spec.created && { start: START + spec.created[0] * DAY, end: START + (spec.created[1] + 1) * DAY - 1 },
		agents,
	};
}

// ---------------------------------------------------------------------------------------------------------------

describe("access: no room outside the caller's scope, ever", () => {
	let ws: Robust;
	let rooms: Room[];
	const scopeOf = (caller: WorkspaceUser): Scope => scopeOfRoles(caller.roles);
	const tally = new Map<string, number>();
	const count = (kind: string) => tally.set(kind, (tally.get(kind) ?? 0) + 1);

	beforeAll(async () => {
		const data = makeData();
		rooms = data.rooms.filter((room) => room.t === 'l') as Room[];
		ws = await Robust.start(data);
	}, 120000);
	afterAll(() => ws?.stop());

	/** The rooms a caller may see that the filters select: what the answer may hold, and what `total` must count. */
	const expected = (caller: WorkspaceUser, filters: Filters): Set<string> =>
		new Set(rooms.filter((room) => visible(room, caller, scopeOf(caller)) && selects(room, filters)).map((room) => room._id));

	it('the endpoint, for 500 random callers and queries', async () => {
		await fc.assert(
			fc.asyncProperty(endpointSpec, async (spec) => {
				const { caller } = spec;
				const scope = scopeOf(caller);
				const { search, agents } = endpointSearch(spec);
				const answer = await ws.rooms(search, caller.username);
				const where = `GET rooms?${search} as ${caller.username} (${caller.roles.join(',') || 'no roles'})`;
				const onlySelf = agents !== undefined && agents.length > 0 && agents.every((a) => a === caller._id || a === caller.username);
				const allowed = scope === 'all' || (scope === 'own' && onlySelf);
				if (!allowed) {
					if (answer.status !== 403 || answer.body?.error !== 'unauthorized')
						throw new Error(`${where}: expected 403, got ${answer.status} ${answer.text.slice(0, 300)}`);
					count('403');
					return;
				}
				if (answer.status !== 200) throw new Error(`${where}: expected 200, got ${answer.status} ${answer.text.slice(0, 300)}`);
				const want = expected(caller, endpointFilters(spec, agents));
				const ids: string[] = answer.body.rooms.map((room: { _id: string }) => room._id);
				const outside = ids.filter((id) => !want.has(id));
				if (outside.length > 0) throw new Error(`${where}: rooms outside the caller's scope or the filters: ${outside.join(', ')}`);
				if (answer.body.total !== want.size)
					throw new Error(`${where}: total ${answer.body.total}, but the caller may see ${want.size} matching rooms`);
				const page = spec.count === undefined ? 50 : spec.count === 0 ? Infinity : Math.min(spec.count, 100);
				const size = Math.min(page, Math.max(0, want.size - (spec.offset ?? 0)));
				if (ids.length !== size || new Set(ids).size !== ids.length)
					throw new Error(`${where}: ${ids.length} rooms (${new Set(ids).size} distinct), expected ${size}`);
				count(`200 ${scope}`);
			}),
			{ seed: SEED, numRuns: 500 },
		);
		expect([tally.get('403') ?? 0, tally.get('200 all') ?? 0, tally.get('200 own') ?? 0].every((n) => n >= 20)).toBe(true);
	}, 180000);

	it('the command, for 300 random callers and command lines', async () => {
		await fc.assert(
			fc.asyncProperty(commandSpec, async (spec) => {
				const { caller } = spec;
				const scope = scopeOf(caller);
				const line = commandLine(spec);
				const answer = await ws.command(line, caller.username);
				const where = `/livechat-rooms ${line} as ${caller.username} (${caller.roles.join(',') || 'no roles'})`;
				if (scope === 'none') {
					if (
						answer.status !== 403 &&
						!(answer.status === 200 && answer.body.notifications.every((n: { text: string }) => linkedRoomIds(n.text, ws.siteUrl).length === 0))
					) {
						throw new Error(`${where}: a caller without a rooms role got ${answer.text.slice(0, 300)}`);
					}
					count('command none');
					return;
				}
				if (answer.status !== 200 || answer.body.notifications?.length !== 1)
					throw new Error(`${where}: ${answer.status} ${answer.text.slice(0, 300)}`);
				const text: string = answer.body.notifications[0].text;
				const named = spec.agent?.map((value) => (value === 'me' ? caller._id : resolveAgent(value, caller)));
				const othersNamed = named !== undefined && named.some((a) => a !== caller._id && a !== caller.username);
				if (scope === 'own' && othersNamed) {
					if (replyKind(text) !== 'error' || linkedRoomIds(text, ws.siteUrl).length > 0)
						throw new Error(`${where}: expected a refusal, got ${text.slice(0, 300)}`);
					count('command refused');
					return;
				}
				const agents = named ?? (scope === 'own' ? [caller._id] : undefined);
				const want = expected(caller, commandFilters(spec, agents));
				const total = announcedTotal(text);
				const ids = linkedRoomIds(text, ws.siteUrl);
				const outside = ids.filter((id) => !want.has(id));
				if (outside.length > 0) throw new Error(`${where}: rooms outside the caller's scope or the filters: ${outside.join(', ')}`);
				if (total !== want.size)
					throw new Error(`${where}: the reply counts ${total} rooms, but the caller may see ${want.size} matching rooms: ${text.split('\n')[0]}`);
				const perPage = spec.count ?? 10;
				const size = Math.min(perPage, Math.max(0, want.size - ((spec.page ?? 1) - 1) * perPage));
				if (ids.length !== size || new Set(ids).size !== ids.length)
					throw new Error(`${where}: ${ids.length} rooms listed (${new Set(ids).size} distinct), expected ${size}`);
				count(`command ${scope}`);
			}),
			{ seed: SEED, numRuns: 300 },
		);
		expect(['command none', 'command refused', 'command all', 'command own'].map((kind) => [kind, (tally.get(kind) ?? 0) >= 10])).toEqual(
			['command none', 'command refused', 'command all', 'command own'].map((kind) => [kind, true]),
		);
	}, 180000);

	describe("when a username equals another user's id, or a room carries a username its agent no longer has", () => {
		const served = (id: string): string[] =>
			rooms
				.filter((room) => room.servedBy?._id === id)
				.map((room) => room._id)
				.sort();
		const idsOf = (answer: { body: { rooms: Array<{ _id: string }> } }): string[] => answer.body.rooms.map((room) => room._id).sort();

		it('an agent asking for their rooms by id gets their rooms, not those of the agent whose username is that id', async () => {
			const answer = await ws.rooms(`agents=${P._id}&count=0`, P.username);
			expect(answer.status).toBe(200);
			expect(idsOf(answer)).toEqual(served(P._id));
			expect(answer.body.total).toBe(served(P._id).length);
		});

		it("an agent asking by their username (another user's id) gets only their own rooms", async () => {
			const answer = await ws.rooms(`agents=${encodeURIComponent(Q.username)}&count=0`, Q.username);
			expect(answer.status).toBe(200);
			expect(idsOf(answer)).toEqual(served(Q._id));
			expect(answer.body.total).toBe(served(Q._id).length);
		});

		it('an agent asking by username does not get a room served by another id under that username', async () => {
			const answer = await ws.rooms(`agents=${P.username}&count=0`, P.username);
			expect(answer.status).toBe(200);
			expect(idsOf(answer)).toEqual(served(P._id));
		});

		it("the command with no agent lists only the caller's rooms", async () => {
			for (const caller of [P, Q]) {
				const answer = await ws.command('count=100', caller.username);
				const text: string = answer.body.notifications[0].text;
				expect([caller.username, linkedRoomIds(text, ws.siteUrl).sort()]).toEqual([caller.username, served(caller._id)]);
				expect([caller.username, announcedTotal(text)]).toEqual([caller.username, served(caller._id).length]);
			}
		});
	});
});
