/**
 * The console (docs/command.md, "The summary" and "Buttons: Previous, Next and List") through the local workspace as a client drives it: `/livechat-rooms` via
 * `POST /api/v1/commands.run`, its buttons via `POST /api/apps/ui.interaction/<appId>` (the answer to a press arrives
 * in `GET /api/workspace/inbox`), and the numbers against `GET rooms/counts` for the same caller.
 *
 * The fixture (test/engine/fixture.ts): open r01 (alice, Sales), r02 (bob, Support), r07 (bob, Sales); queued r03
 * (Sales); on hold r04 (alice, Support); closed r05 (alice), r06 (bob). Added here (created in 2023, so they list
 * after the fixture's rooms): r08 closed by bob at the start of today (UTC, the workspace's users' zone), r09 closed
 * the millisecond before, r10 queued in Support since before r03.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { StoredRoom } from '../../workspace/data/types';
import { TestClient } from './client';
import { fixture, ROOMS } from './fixture';
import type { Json } from './client';

interface Note {
	text: string;
	blocks: Json[];
}

/** A button of an answer: what it says, its action and the words it carries. */
interface Button {
	text: string;
	actionId: string;
	value: string;
	appId: string;
	blockId: string;
	/** The section text beside it (summary lines), or '' for an actions block. */
	line: string;
}

function buttonsOf(note: Note): Button[] {
	const buttons: Button[] = [];
	for (const block of note.blocks) {
		if (block.type === 'section' && block.accessory?.type === 'button')
			buttons.push({ ...block.accessory, text: block.accessory.text.text, line: block.text.text });
		if (block.type === 'actions') for (const element of block.elements) buttons.push({ ...element, text: element.text.text, line: '' });
	}
	return buttons;
}

const today = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00.000Z');
const like = (id: string, from: string, fields: Record<string, unknown>): StoredRoom => {
	const { _id, v, ...rest } = ROOMS.find((room) => room._id === from)!;
	return { ...rest, _id: id, v: { ...(v as object), _id: `v-${id}`, token: `token-${id}` }, ...fields };
};
const bob = { _id: 'u-bob', username: 'bob', ts: new Date('2024-01-01T00:00:00.000Z') };
const EXTRA: StoredRoom[] = [
	like('r08', 'r06', { fname: 'Closed Today', ts: new Date('2023-12-03T10:00:00.000Z'), closedAt: today, servedBy: bob, departmentId: 'd-sales' }),
	like('r09', 'r06', { fname: 'Closed Yesterday', ts: new Date('2023-12-02T10:00:00.000Z'), closedAt: new Date(today.getTime() - 1), servedBy: bob }),
	like('r10', 'r03', {
		fname: 'Waiting Longest',
		ts: new Date('2023-12-01T10:00:00.000Z'),
		queuedAt: new Date('2023-12-01T10:00:00.000Z'),
		departmentId: 'd-support',
	}),
];

let client: TestClient;
beforeAll(async () => {
	client = await TestClient.start(fixture(EXTRA));
});
afterAll(() => client.stop());

async function typed(params: string, username: string): Promise<Note> {
	const reply = await client.command(params, username);
	expect([params, reply.status, reply.body?.notifications?.length]).toEqual([params, 200, 1]);
	return reply.body.notifications[0] as Note;
}

/** Presses a button as `username` would (the client posts the button's action, block and value); the notes it got. */
async function press(button: Pick<Button, 'actionId' | 'value' | 'blockId'> & { appId?: string; rid?: string | null }, username: string): Promise<Note[]> {
	const appId = button.appId ?? client.running.app.id;
	// What earlier commands sent is in the inbox too: start from an empty one.
	await client.request(`${client.running.url}/api/workspace/inbox`, { headers: client.auth(username) });
	const reply = await client.request(`${client.running.url}/api/apps/ui.interaction/${appId}`, {
		method: 'POST',
		headers: { ...client.auth(username), 'Content-Type': 'application/json' },
		body: JSON.stringify({
			type: 'blockAction',
			actionId: button.actionId,
			payload: { blockId: button.blockId, value: button.value },
			container: { type: 'message', id: 'answer-1' },
			mid: 'answer-1',
			rid: button.rid === undefined ? 'r01' : (button.rid ?? undefined),
			triggerId: 'trigger-1',
		}),
	});
	expect(reply.status).toBe(200);
	const inbox = await client.request(`${client.running.url}/api/workspace/inbox`, { headers: client.auth(username) });
	expect(inbox.status).toBe(200);
	return inbox.body.notifications as Note[];
}

async function counts(query: string, username: string): Promise<Json> {
	const reply = await client.request(`${client.running.appUrl}/rooms/counts${query ? `?${query}` : ''}`, { headers: client.auth(username) });
	expect([query, reply.status]).toEqual([query, 200]);
	return reply.body;
}

/** `N rooms match` / `1 room matches` / `No rooms match` of a list's first line. */
function totalOf(note: Note): number {
	const first = note.text.split('\n')[0];
	if (/^No rooms match/.test(first)) return 0;
	const match = /^(\d+) rooms? match/.exec(first);
	if (!match) throw new Error(`not a list: ${first}`);
	return Number(match[1]);
}

/** The number a summary line shows: the first `*N*` or `*N something*`. */
function numberOf(line: string): number {
	const match = /\*(\d+)\b/.exec(line);
	if (!match) throw new Error(`no number in ${line}`);
	return Number(match[1]);
}

const siteUrlOf = (): string => client.running.url;
const linked = (note: Note): string[] =>
	[...note.text.matchAll(new RegExp(`${siteUrlOf().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/live/([\\w-]+)`, 'g'))].map((m) => m[1]);

describe('the summary', () => {
	it.each(['manager', 'alice', 'bob'])('every line leads to a list of as many rooms as it says, by button and by typed command (%s)', async (username) => {
		const summary = await typed('', username);
		const lines = buttonsOf(summary);
		expect(lines.length).toBeGreaterThanOrEqual(4);
		const found = [];
		for (const line of lines) {
			const list = await typed(line.value, username);
			const pressed = await press(line, username);
			expect(pressed.map((note) => note.text)).toEqual([list.text]);
			expect(pressed[0].blocks).toEqual(list.blocks);
			found.push([line.line, totalOf(list)]);
			// The typed command is the line's text fallback.
			expect(summary.text).toContain(`\`/livechat-rooms ${line.value}\``);
		}
		expect(found).toEqual(lines.map((line) => [line.line, numberOf(line.line)]));
	});

	it.each([
		['manager', ''],
		['alice', 'agents=u-alice'],
		['bob', 'agents=bob'],
	])('its numbers are the endpoint counts for the same caller (%s)', async (username, agents) => {
		const summary = await typed('', username);
		const lines = buttonsOf(summary);
		const all = await counts(agents, username);
		const open = await counts([agents, 'open=true'].filter(Boolean).join('&'), username);
		const onhold = await counts([agents, 'onhold=true'].filter(Boolean).join('&'), username);
		const byValue = new Map(lines.map((line) => [line.value, numberOf(line.line)]));
		const shown = (value: string): number | undefined => byValue.get(value);
		expect([shown('status=queued sort=queuedAt,created'), shown('status=open'), shown('status=onhold')]).toEqual([
			all.status.queued,
			all.status.open,
			all.status.onhold,
		]);
		const departments = (c: Json, status: string) =>
			c.departments.filter((d: Json) => d._id !== null).map((d: Json) => [`status=${status} departmentId=${d._id}`, d.count]);
		// Agents by username: unambiguous here (each username is one agent's, and nobody's id).
		const agentsOf = (c: Json, status: string) =>
			c.agents.filter((a: Json) => a._id !== null).map((a: Json) => [`status=${status} agent=${a.username}`, a.count]);
		const expected = [...departments(open, 'open'), ...departments(onhold, 'onhold')];
		if (username === 'manager') expected.push(...agentsOf(open, 'open'), ...agentsOf(onhold, 'onhold'));
		const breakdown = lines.filter((line) => /departmentId=|agent=/.test(line.value)).map((line) => [line.value, numberOf(line.line)]);
		expect(breakdown.sort()).toEqual(expected.sort());
	});

	it('links the longest-waiting queued rooms, and the manager sees the fixture queue', async () => {
		const summary = await typed('', 'manager');
		expect(linked(summary)).toEqual(['r10', 'r03']);
		expect(summary.text).toMatch(/🟡 2 queued · longest wait \d+d \d+h/);
		expect(summary.text).toMatch(/⚪ 1 closed today \(since \d{4}-\d\d-\d\d 00:00\)/);
		expect(summary.text).toContain('Times are UTC.');
	});

	it("counts only an agent's own rooms", async () => {
		const alice = await typed('', 'alice');
		expect(alice.text).toMatch(/^Your livechat rooms/);
		expect(alice.text).toContain('🟢 1 open');
		expect(alice.text).toContain('⏸ 1 on hold');
		expect(alice.text).toContain('🟡 0 queued');
		expect(alice.text).not.toContain('bob');
	});

	it.each([
		['the summary', ''],
		['a list', 'status=open'],
	])('a user without a role who presses a button for %s is refused (the host lets any user post a press)', async (_kind, value) => {
		const notes = await press({ actionId: 'livechat-rooms.list', value, blockId: 'livechat-rooms.summary' }, 'carol');
		expect(notes.map((note) => note.text)).toEqual([expect.stringMatching(/^⚠️ You may not list livechat rooms/)]);
	});
});

describe('Previous and Next', () => {
	it('Next then Previous lead to the typed neighbouring pages', async () => {
		const first = await typed('status=all count=3', 'manager');
		const next = buttonsOf(first).filter((b) => b.text === 'Next');
		expect(buttonsOf(first).map((b) => [b.text, b.value])).toEqual([['Next', 'status=all count=3 page=2']]);
		const [second] = await press(next[0], 'manager');
		expect(second).toEqual(await typed('status=all count=3 page=2', 'manager'));
		expect(linked(second)).toEqual(['r03', 'r02', 'r01']);
		expect(buttonsOf(second).map((b) => [b.text, b.value])).toEqual([
			['Previous', 'status=all count=3 page=1'],
			['Next', 'status=all count=3 page=3'],
		]);
		const [back] = await press(buttonsOf(second)[0], 'manager');
		expect(back).toEqual(first);
		const [third] = await press(buttonsOf(second)[1], 'manager');
		expect(linked(third)).toEqual(['r07', 'r08', 'r09']);
		const [last] = await press(buttonsOf(third)[1], 'manager');
		expect(linked(last)).toEqual(['r10']);
		expect(buttonsOf(last).map((b) => [b.text, b.value])).toEqual([['Previous', 'status=all count=3 page=3']]);
		expect(last.text).not.toContain('Next page');
	});

	it('pages by offset when the caller did', async () => {
		const first = await typed('offset=1 count=2', 'manager');
		expect(buttonsOf(first).map((b) => [b.text, b.value])).toEqual([
			['Previous', 'count=2 offset=0'],
			['Next', 'count=2 offset=3'],
		]);
	});

	it.each([
		['a forged value naming another agent', { actionId: 'livechat-rooms.next', value: 'agent=bob page=2' }, /^⚠️ You may only list your own rooms/],
		['a forged summary line', { actionId: 'livechat-rooms.list', value: 'status=open agent=u-bob' }, /^⚠️ You may only list your own rooms/],
		['a value that is not the grammar', { actionId: 'livechat-rooms.next', value: 'count=0' }, /^⚠️ count must be/],
	])('an agent pressing %s is answered as if they typed it: refused', async (_kind, forged, refusal) => {
		const notes = await press({ ...forged, blockId: 'livechat-rooms.pages' }, 'alice');
		expect(notes.map((note) => note.text)).toEqual([expect.stringMatching(refusal)]);
		expect(linked(notes[0])).toEqual([]);
	});

	it.each([
		['an action the app does not have', { actionId: 'delete-everything', value: 'status=all' }],
		['a value with a line break', { actionId: 'livechat-rooms.next', value: 'status=all\npage=2' }],
		['a value that is not text', { actionId: 'livechat-rooms.next', value: 42 as unknown as string }],
		['a press from no room', { actionId: 'livechat-rooms.next', value: 'status=all', rid: null }],
	])('%s is ignored: no answer', async (_kind, forged) => {
		expect(await press({ ...forged, blockId: 'livechat-rooms.pages' }, 'alice')).toEqual([]);
	});

	it("an agent's own buttons keep to their rooms", async () => {
		const first = await typed('count=1', 'alice');
		const [second] = await press(
			buttonsOf(first).find((b) => b.text === 'Next')!,
			'alice',
		);
		expect(linked(second)).toEqual(['r04']);
	});
});
