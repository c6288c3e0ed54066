/**
 * The console beside the chat, driven through the local workspace as Rocket.Chat's client drives it: opened by
 * `commands.run` with the client's `triggerId` and by the app's action buttons (`GET /api/apps/actionButtons`,
 * `POST /api/apps/ui.interaction/<appId>` type `actionButton`), its filters and buttons pressed as block actions in a
 * view (the element's `blockId` and new `value`, nothing else), a submission and a close; what the app opened or
 * updated read from `GET /api/workspace/inbox`. Its numbers are checked against `rooms/counts` and its lists against
 * `rooms` for the same caller.
 *
 * The fixture (test/engine/fixture.ts): open r01 (alice, Sales), r02 (bob, Support), r07 (bob, Sales); queued r03
 * (Sales); on hold r04 (alice, Support); closed r05 (alice), r06 (bob). Added here: eight closed rooms of bob's in
 * 2023 (so the manager's list has two pages), and the department Billing, enabled with agents, that no room names.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { StoredRoom } from '../../workspace/data/types';
import { announceStarted, TestClient, withoutPermission } from './client';
import { fixture, ROOMS } from './fixture';
import type { Json } from './client';

const BAR = 'livechat-rooms.console';
const MODAL = 'livechat-rooms.console.modal';

const bob = { _id: 'u-bob', username: 'bob', ts: new Date('2024-01-01T00:00:00.000Z') };
const EXTRA: StoredRoom[] = Array.from({ length: 8 }, (_, i) => {
	const { _id, v, ...rest } = ROOMS.find((room) => room._id === 'r06')!;
	const id = `c${i + 1}`;
	return {
		...rest,
		_id: id,
		fname: `Closed ${i + 1}`,
		v: { ...(v as object), _id: `v-${id}`, token: `token-${id}` },
		ts: new Date(Date.UTC(2023, 5, i + 1, 10)),
		closedAt: new Date(Date.UTC(2023, 5, i + 1, 12)),
		servedBy: bob,
		departmentId: 'd-support',
		tags: ['billing'],
	};
});

function data() {
	const base = fixture(EXTRA);
	base.departments.push({ _id: 'd-billing', name: 'Billing', enabled: true });
	return base;
}

let client: TestClient;
beforeAll(async () => {
	client = await TestClient.start(data());
});
afterAll(() => client.stop());

const appId = (): string => client.running.app.id;

/** `username` signed in, sending JSON. */
function auth(username: string): Record<string, string> {
	return { ...client.auth(username), 'Content-Type': 'application/json' };
}

async function inbox(username: string): Promise<{ interactions: Json[]; notifications: Json[] }> {
	const reply = await client.request(`${client.running.url}/api/workspace/inbox`, { headers: auth(username) });
	expect(reply.status).toBe(200);
	return reply.body;
}

let triggers = 0;
const trigger = (): string => `trigger-${++triggers}`;

/** Posts a UIKit interaction as `username`; answers the app's reply and the one view it opened or updated. */
async function interact(
	username: string,
	body: Record<string, unknown>,
	url = `${client.running.url}/api/apps/ui.interaction/${appId()}`,
): Promise<{ status: number; body: Json; shown: Json[] }> {
	await inbox(username);
	const reply = await client.request(url, { method: 'POST', headers: auth(username), body: JSON.stringify(body) });
	return { status: reply.status, body: reply.body, shown: (await inbox(username)).interactions };
}

/** `/livechat-rooms <params>` with a trigger, as the client runs it: the view it opened. */
async function openByCommand(username: string, params = ''): Promise<Json> {
	const triggerId = trigger();
	await inbox(username);
	const reply = await client.command(params, username, { triggerId, roomId: 'r01' });
	expect([reply.status, reply.body.notifications, reply.body.interactions.length]).toEqual([200, [], 1]);
	const [shown] = reply.body.interactions;
	expect(shown).toMatchObject({ type: 'contextual_bar.open', triggerId, appId: appId(), view: { id: BAR, type: 'contextualBar', appId: appId() } });
	return shown.view;
}

/** Every interactive element of a view, with the block it sits in. */
function elementsOf(view: Json): Array<Json & { block: Json }> {
	const out: Json[] = [];
	for (const block of view.blocks) {
		if (block.type === 'actions') for (const element of block.elements) out.push({ ...element, block });
		if (block.type === 'section' && block.accessory) out.push({ ...block.accessory, block });
		if (block.type === 'input') out.push({ ...block.element, block });
	}
	return out;
}

const elementOf = (view: Json, actionId: string, value?: string): Json => {
	const found = elementsOf(view).find((element) => element.actionId === actionId && (value === undefined || element.value === value));
	if (!found) throw new Error(`no ${actionId} in the view`);
	return found;
};

/** Presses an element of the view as the client does (a view's block action carries the block id and the value). */
async function press(username: string, view: Json, element: Json, value: unknown = element.value): Promise<Json> {
	const triggerId = trigger();
	const answer = await interact(username, {
		type: 'blockAction',
		actionId: element.actionId,
		payload: { blockId: element.blockId ?? element.block.blockId, value },
		container: { type: 'view', id: view.id },
		triggerId,
	});
	expect([answer.status, answer.shown.length]).toEqual([200, 1]);
	expect(answer.shown[0]).toMatchObject({ type: view.id === MODAL ? 'modal.update' : 'contextual_bar.update', triggerId, view: { id: view.id } });
	return answer.shown[0].view;
}

const textOf = (view: Json): string => JSON.stringify(view.blocks);

/** The list part of the view: what follows the filters. */
function listOf(view: Json): Json[] {
	const last = view.blocks.map((block: Json) => String(block.blockId ?? '').startsWith('livechat-rooms.filters.6|')).lastIndexOf(true);
	return last < 0 ? [] : view.blocks.slice(last + 2);
}

/** The list's `N rooms match` (0 for none). */
function totalOf(view: Json): number {
	const header = listOf(view)[0]?.text?.text ?? '';
	if (/^\*No rooms match/.test(header)) return 0;
	const match = /^\*(\d+) rooms? match/.exec(header);
	if (!match)
		throw new Error(
			`no list header: ${header} in ${JSON.stringify(view.blocks.filter((block: Json) => block.type === 'section').map((block: Json) => block.text?.text))}`,
		);
	return Number(match[1]);
}

const linkedIn = (blocks: Json[]): string[] => [...JSON.stringify(blocks).matchAll(/\/live\/([\w-]+)/g)].map((m) => m[1]);

async function endpoint(path: string, query: string, username: string): Promise<Json> {
	const reply = await client.request(`${client.running.appUrl}/${path}?${query}`, { headers: auth(username) });
	expect([query, reply.status]).toEqual([query, 200]);
	return reply.body;
}

describe('where the console opens', () => {
	it('lists its two action buttons, for whoever may run the command, without a user', async () => {
		const reply = await client.request(`${client.running.url}/api/apps/actionButtons`);
		expect(reply.status).toBe(200);
		expect(reply.body).toEqual([
			{
				appId: appId(),
				actionId: 'livechat-rooms.console.room',
				context: 'roomAction',
				labelI18n: 'Command_Button_Open_Console',
				when: { hasOnePermission: ['view-l-room'], roomTypes: ['livechat'] },
			},
			{
				appId: appId(),
				actionId: 'livechat-rooms.console.user-menu',
				context: 'userDropdownAction',
				labelI18n: 'Command_Button_Open_Console',
				when: { hasOnePermission: ['view-l-room'] },
			},
		]);
	});

	it.each(['', 'panel', 'PANEL'])('/livechat-rooms %j with a trigger opens the bar, with the trigger', async (params) => {
		const view = await openByCommand('manager', params);
		expect(view.title.text).toBe('Livechat rooms');
		// What the client reads is in the inbox too, once.
		expect((await inbox('manager')).interactions.map((shown: Json) => shown.view.id)).toEqual([BAR]);
		expect((await inbox('manager')).interactions).toEqual([]);
	});

	it('without a trigger (a client that cannot open it), or with summary, it answers the summary as a message', async () => {
		for (const [params, extra] of [
			['', {}],
			['summary', { triggerId: trigger() }],
		] as const) {
			const reply = await client.command(params, 'manager', extra);
			expect([reply.status, reply.body.interactions, reply.body.notifications.length]).toEqual([200, [], 1]);
			expect(reply.body.notifications[0].text).toMatch(/^Livechat rooms/);
		}
	});

	it('typed words keep their ephemeral answers', async () => {
		const reply = await client.command('status=open', 'manager', { triggerId: trigger() });
		expect([reply.body.interactions, reply.body.notifications[0].text.split('\n')[0]]).toEqual([[], '3 rooms match, showing 1-3. Times are UTC.']);
	});

	it("the room's button opens the bar, the user menu's a modal, each with its trigger", async () => {
		for (const [actionId, context, type, id] of [
			['livechat-rooms.console.room', 'roomAction', 'contextual_bar.open', BAR],
			['livechat-rooms.console.user-menu', 'userDropdownAction', 'modal.open', MODAL],
		]) {
			const triggerId = trigger();
			const answer = await interact('manager', {
				type: 'actionButton',
				actionId,
				triggerId,
				rid: context === 'roomAction' ? 'r01' : undefined,
				payload: { context },
			});
			expect([answer.status, answer.body]).toEqual([200, { success: true }]);
			expect(answer.shown).toHaveLength(1);
			expect(answer.shown[0]).toMatchObject({ type, triggerId, view: { id } });
			expect(totalOf(answer.shown[0].view)).toBe((await endpoint('rooms', '', 'manager')).total);
		}
	});
});

describe('what it shows, beside what the endpoint answers', () => {
	it.each([
		['manager', ''],
		['alice', 'agents=u-alice'],
		['bob', 'agents=u-bob'],
	])("%s: the summary's numbers are rooms/counts', its list the first page of rooms", async (username, scope) => {
		const view = await openByCommand(username);
		const counts = await endpoint('rooms/counts', scope, username);
		const text = textOf(view);
		expect(text).toContain(`${counts.status.queued} queued`);
		expect(text).toContain(`${counts.status.open} open`);
		expect(text).toContain(`${counts.status.onhold} on hold`);
		expect(totalOf(view)).toBe(counts.total);
		const rooms = await endpoint('rooms', `${scope}${scope ? '&' : ''}count=10`, username);
		expect(linkedIn(listOf(view))).toEqual(rooms.rooms.map((room: Json) => room._id));
	});

	it("every summary line's List sets the list to that line, and the list has as many rooms as the line says", async () => {
		const view = await openByCommand('manager');
		const lines = elementsOf(view).filter((element) => element.actionId === 'livechat-rooms.list' && element.block.type === 'section');
		expect(lines.length).toBeGreaterThanOrEqual(5);
		for (const line of lines) {
			const listed = await press('manager', view, line);
			const number = Number(/\*(\d+)\b/.exec(line.block.text.text)?.[1]);
			expect([line.value, totalOf(listed)]).toEqual([line.value, number]);
			expect(textOf(listed)).toContain(`/livechat-rooms ${line.value}`);
		}
		// The agents' lines name them by username.
		expect(lines.map((line) => line.value)).toContain('status=open agent=bob');
	});

	it('offers the departments the rooms name and those the livechat reader lists, and the tags of the rooms', async () => {
		const view = await openByCommand('manager');
		const departments = elementOf(view, 'livechat-rooms.filter.department').options.map((o: Json) => o.value);
		expect(departments).toEqual(['', 'd-billing', 'd-gone', 'd-sales', 'd-support']);
		expect(
			elementOf(view, 'livechat-rooms.filter.tags')
				.options.map((o: Json) => o.value)
				.sort(),
		).toEqual(['billing', 'chat', 'rocket', 'vip']);
	});
});

describe('it changes in place', () => {
	it('a filter replaces the list with what rooms answers for the same filter', async () => {
		const view = await openByCommand('manager');
		const open = await press('manager', view, elementOf(view, 'livechat-rooms.filter.status'), 'open');
		expect(totalOf(open)).toBe((await endpoint('rooms', 'open=true', 'manager')).total);
		expect(elementOf(open, 'livechat-rooms.filter.status').initialValue).toBe('open');
		const sales = await press('manager', open, elementOf(open, 'livechat-rooms.filter.department'), 'd-sales');
		const rooms = await endpoint('rooms', 'open=true&departmentId=d-sales', 'manager');
		expect([totalOf(sales), linkedIn(listOf(sales))]).toEqual([rooms.total, rooms.rooms.map((room: Json) => room._id)]);
		expect(textOf(sales)).toContain('/livechat-rooms status=open departmentId=d-sales');
		const bobs = await press('manager', sales, elementOf(sales, 'livechat-rooms.filter.agent'), 'bob');
		expect(totalOf(bobs)).toBe((await endpoint('rooms', 'open=true&departmentId=d-sales&agents=bob', 'manager')).total);
		const tagged = await press('manager', view, elementOf(view, 'livechat-rooms.filter.tags'), ['chat']);
		expect(totalOf(tagged)).toBe((await endpoint('rooms', 'tags=chat', 'manager')).total);
		const named = await press('manager', view, elementOf(view, 'livechat-rooms.filter.name'), 'marcos');
		expect(totalOf(named)).toBe((await endpoint('rooms', 'roomName=marcos', 'manager')).total);
		const cleared = await press('manager', named, elementOf(named, 'livechat-rooms.list', 'list'));
		expect(totalOf(cleared)).toBe((await endpoint('rooms', '', 'manager')).total);
	});

	it("dates are days in the caller's zone, shown back in the pickers", async () => {
		const view = await openByCommand('manager');
		const from = await press('manager', view, elementOf(view, 'livechat-rooms.filter.closed.start'), '2023-06-03');
		const to = await press('manager', from, elementOf(from, 'livechat-rooms.filter.closed.end'), '2023-06-05');
		const closedAt = JSON.stringify({ start: '2023-06-03T00:00:00.000Z', end: '2023-06-05T23:59:59.999Z' });
		expect(totalOf(to)).toBe((await endpoint('rooms', `closedAt=${encodeURIComponent(closedAt)}`, 'manager')).total);
		expect(totalOf(to)).toBe(3);
		expect([elementOf(to, 'livechat-rooms.filter.closed.start').initialDate, elementOf(to, 'livechat-rooms.filter.closed.end').initialDate]).toEqual([
			'2023-06-03',
			'2023-06-05',
		]);
	});

	it('Next and Previous turn the page in place, as rooms pages', async () => {
		const view = await openByCommand('manager');
		const second = await press('manager', view, elementOf(view, 'livechat-rooms.next'));
		const rooms = await endpoint('rooms', 'offset=10&count=10', 'manager');
		expect(linkedIn(listOf(second))).toEqual(rooms.rooms.map((room: Json) => room._id));
		expect(() => elementOf(second, 'livechat-rooms.next')).toThrow();
		const first = await press('manager', second, elementOf(second, 'livechat-rooms.previous'));
		expect(linkedIn(listOf(first))).toEqual(linkedIn(listOf(view)));
	});

	it('Refresh shows what changed since', async () => {
		const view = await openByCommand('manager');
		const before = totalOf(view);
		const { _id, v, ...rest } = ROOMS.find((room) => room._id === 'r03')!;
		client.running.state.addRoom({
			...rest,
			_id: 'r-new',
			fname: 'Just Arrived',
			v: { ...(v as object), _id: 'v-new', token: 'token-new' },
			ts: new Date(),
		});
		await announceStarted(client.running, ['r-new']);
		const refreshed = await press('manager', view, elementOf(view, 'livechat-rooms.refresh'));
		expect(totalOf(refreshed)).toBe(before + 1);
		expect(linkedIn(listOf(refreshed))[0]).toBe('r-new');
	});

	it('a submission applies the state of the inputs; a close is answered and changes nothing', async () => {
		const view = await openByCommand('manager');
		const status = elementOf(view, 'livechat-rooms.filter.status');
		const triggerId = trigger();
		const submitted = await interact('manager', {
			type: 'viewSubmit',
			triggerId,
			viewId: view.id,
			payload: { view: { ...view, state: { [status.blockId]: { [status.actionId]: 'queued' } } } },
		});
		expect([submitted.status, submitted.shown.length, submitted.shown[0]?.type]).toEqual([200, 1, 'contextual_bar.update']);
		expect(totalOf(submitted.shown[0].view)).toBe((await endpoint('rooms', 'queued=true', 'manager')).total);
		const closed = await interact('manager', {
			type: 'viewClosed',
			triggerId: trigger(),
			payload: { viewId: view.id, view: { ...view, state: {} }, isCleared: false },
		});
		expect([closed.status, closed.body, closed.shown]).toEqual([200, { success: true }, []]);
	});
});

describe('every press is judged with the presser’s own roles', () => {
	it("an agent's console is their own rooms, and a forged press for another agent's is refused", async () => {
		const view = await openByCommand('alice');
		expect(linkedIn(listOf(view)).sort()).toEqual(['r01', 'r04', 'r05']);
		// A forged filter block (the words in its id say agent=bob) and a forged button value.
		const status = elementOf(view, 'livechat-rooms.filter.status');
		const forged = await press('alice', view, { ...status, blockId: 'livechat-rooms.filters.1|agent=bob' }, 'open');
		expect(textOf(forged)).toContain('You may only list your own rooms');
		expect(linkedIn(listOf(forged))).toEqual([]);
		const value = await press('alice', view, { ...elementOf(view, 'livechat-rooms.refresh'), value: 'agents=u-bob' });
		expect(textOf(value)).toContain('You may only list your own rooms');
		// The users select may name anyone; only alice's own rooms are listed.
		const picked = await press('alice', view, elementOf(view, 'livechat-rooms.filter.agent'), 'bob');
		expect(textOf(picked)).toContain('You may only list your own rooms');
		const herself = await press('alice', view, elementOf(view, 'livechat-rooms.filter.agent'), 'alice');
		expect(totalOf(herself)).toBe(3);
	});

	it('a value no element could send is refused, and the list stays as it was', async () => {
		const view = await openByCommand('manager');
		const bad = await press('manager', view, elementOf(view, 'livechat-rooms.filter.status'), { $ne: 'open' });
		expect(textOf(bad)).toContain('That choice could not be read; the list is as it was.');
		expect(totalOf(bad)).toBe((await endpoint('rooms', '', 'manager')).total);
	});

	it('a user without a livechat role cannot run the command, and a forged button press opens only the refusal', async () => {
		expect((await client.command('', 'carol', { triggerId: trigger() })).status).toBe(403);
		const answer = await interact('carol', {
			type: 'actionButton',
			actionId: 'livechat-rooms.console.room',
			triggerId: trigger(),
			rid: 'r01',
			payload: { context: 'roomAction' },
		});
		expect(answer.shown).toHaveLength(1);
		const { blocks } = answer.shown[0].view;
		expect(blocks).toHaveLength(1);
		expect(blocks[0].text.text).toMatch(/^⚠️ You may not list livechat rooms/);
		expect(linkedIn(blocks)).toEqual([]);
	});

	it('unauthenticated interactions are refused before the app runs; an unknown type is a 400', async () => {
		const url = `${client.running.url}/api/apps/ui.interaction/${appId()}`;
		const anonymous = await client.request(url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ type: 'blockAction' }),
		});
		expect([anonymous.status, anonymous.body]).toEqual([401, { status: 'error', message: 'You must be logged in to do this.' }]);
		expect((await interact('manager', { type: 'nothing' })).status).toBe(400);
	});
});

describe('each console permission is needed', () => {
	// The file's workspace is stopped first: the engine checks permissions against the last AppManager made in this
	// thread, so a second workspace alive beside it would answer for both (and, once stopped, leave the first one's
	// unload refused every permission, with a stack trace on the console).
	beforeAll(() => client.stop());

	const manager = { 'X-User-Id': 'u-manager', 'X-Auth-Token': 'token-manager', 'Content-Type': 'application/json' };
	const run = (url: string, triggerId: string) =>
		fetch(`${url}/api/v1/commands.run`, {
			method: 'POST',
			headers: manager,
			body: JSON.stringify({ command: 'livechat-rooms', params: '', triggerId }),
		}).then((res) => res.json() as Promise<Json>);

	it('without ui.interact the console never opens', async () => {
		await withoutPermission('ui.interact', data(), async (running) => {
			expect((await run(running.url, 'T')).interactions).toEqual([]);
		});
	});

	it('without ui.registerButtons there are no action buttons', async () => {
		await withoutPermission('ui.registerButtons', data(), async (running) => {
			expect(await (await fetch(`${running.url}/api/apps/actionButtons`)).json()).toEqual([]);
		});
	});

	it('without livechat-department.multiple the departments no room names are not offered (the others still are)', async () => {
		await withoutPermission('livechat-department.multiple', data(), async (running) => {
			const [shown] = (await run(running.url, 'T')).interactions;
			const options = elementOf(shown.view, 'livechat-rooms.filter.department').options;
			expect(options.map((o: Json) => [o.value, o.text.text])).toEqual([
				['', 'any department'],
				['d-gone', 'd-gone'],
				['d-sales', 'Sales'],
				['d-support', 'Support'],
			]);
		});
	});
});
