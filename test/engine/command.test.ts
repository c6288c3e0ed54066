/**
 * `/livechat-rooms` through the local workspace's `POST /api/v1/commands.run`, against docs/command.md (and docs/endpoint.md for the
 * query underneath). Every expected answer is worked out by hand from the fixture (test/engine/fixture.ts):
 *
 *   r01 ts 01-10T10 open, alice, Sales,     tags [vip],          livechatData {docId A-100, plan Gold}, fname "Marcos Defendi"
 *   r02 ts 01-11T10 open, bob,   Support,                        livechatData {docId B-200},           fname "Ana Maria"
 *   r03 ts 01-12T10 open, no agent (queued), Sales,                                                  fname "marcos silva"
 *   r04 ts 01-13T10 open, on hold, alice, Support,                                                   fname "Hold Me"
 *   r05 ts 01-14T10 closed 01-15T00, alice, no department, tags [rocket, chat], livechatData {docId aobEdbYhXfu5hkeqG}, fname "Marcos"
 *   r06 ts 01-20T10 closed 02-01T00, bob, d-gone (deleted), units [unit-1], tags [chat],              fname "Zed (regex.*)"
 *   r07 ts 01-10T10 open, bob,   Sales (same ts as r01),                                             fname "Tie With One"
 *
 * Default order (newest first, ties by _id): r06 r05 r04 r03 r02 r01 r07. The reply's rooms are read back from the
 * links `<Site_Url>/live/<id>` (the workspace's Site_Url is its own URL), in the order they appear.
 */

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { Reply } from './client';
import { announceStarted, reconcileNow, TestClient, withoutPermission } from './client';
import { fixture } from './fixture';

const DEFAULT_ORDER = ['r06', 'r05', 'r04', 'r03', 'r02', 'r01', 'r07'];
const ALICE_ROOMS = ['r05', 'r04', 'r01'];
const BOB_ROOMS = ['r06', 'r02', 'r07'];

interface Note {
	text: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	blocks: any[];
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Command words and the room ids the reply lists, in order. */
type RoomsCase = readonly [params: string, expected: string[]];
/** Command words and the key its one error line must name. */
type LineCase = readonly [params: string, key: string];

describe('/livechat-rooms through commands.run', () => {
	let client: TestClient;
	let siteUrl: string;
	beforeAll(async () => {
		client = await TestClient.start(fixture());
		siteUrl = client.running.url;
	});
	afterAll(() => client.stop());

	/** Room ids in the order their links appear. */
	function linked(text: string): string[] {
		const pattern = new RegExp(`${escapeRegExp(siteUrl)}/live/([\\w-]+)`, 'g');
		return [...text.matchAll(pattern)].map((match) => match[1]);
	}

	/** The one ephemeral notification the command answers with; text and blocks both present. */
	async function run(params: string, username = 'manager'): Promise<Note> {
		const reply: Reply = await client.command(params, username);
		expect([params, reply.status, reply.body?.success, reply.body?.notifications?.length]).toEqual([params, 200, true, 1]);
		const note = reply.body.notifications[0] as Note;
		expect([params, typeof note.text, note.text.length > 0, Array.isArray(note.blocks), note.blocks.length > 0]).toEqual([
			params,
			'string',
			true,
			true,
			true,
		]);
		return note;
	}

	/** The rooms a reply lists, read from the text and from the blocks: both must agree. */
	async function roomsOf(params: string, username = 'manager'): Promise<string[]> {
		const note = await run(params, username);
		const fromText = linked(note.text);
		const fromBlocks = linked(JSON.stringify(note.blocks));
		expect([params, fromBlocks]).toEqual([params, fromText]);
		return fromText;
	}

	/** Every case is run, then all are compared at once: a failure shows each case that went wrong. */
	async function expectRooms(cases: readonly RoomsCase[], username = 'manager'): Promise<void> {
		const answers = [];
		for (const [params] of cases) answers.push([params, await roomsOf(params, username)]);
		expect(answers).toEqual(cases.map(([params, expected]) => [params, expected]));
	}

	/** A bad value: one line that names the key, no rooms, not the help, no stack trace. */
	async function expectOneLine(cases: readonly LineCase[], username = 'manager'): Promise<void> {
		for (const [params, key] of cases) {
			const note = await run(params, username);
			const blocksText = JSON.stringify(note.blocks);
			expect([
				params,
				note.text.trim().includes('\n'),
				note.text.includes(key),
				linked(note.text),
				/Usage/i.test(note.text),
				/\sat .*:\d+:\d+|Error:/.test(note.text + blocksText),
			]).toEqual([params, false, true, [], false, false]);
			expect([params, blocksText.includes(key)]).toEqual([params, true]);
		}
	}

	/** The command for the next page printed in a reply, without its leading slash word; undefined when absent. */
	function nextPage(note: Note): string | undefined {
		const match = /\/livechat-rooms ([^`\n]+)/.exec(note.text);
		return match ? match[1].trim() : undefined;
	}

	const header = (note: Note): string => note.text.split('\n')[0];

	describe('keys', () => {
		it('lists every room, newest first, with list alone', async () => {
			await expectRooms([['list', DEFAULT_ORDER]]);
			const note = await run('list');
			expect(header(note)).toMatch(/^7 rooms match, showing 1-7\b/);
			expect(JSON.stringify(note.blocks)).toContain('7 rooms match, showing 1-7');
			expect(nextPage(note)).toBeUndefined();
		});

		it('status: open, closed, queued, onhold, all', async () => {
			await expectRooms([
				['status=open', ['r02', 'r01', 'r07']],
				['status=closed', ['r06', 'r05']],
				['status=queued', ['r03']],
				['status=onhold', ['r04']],
				['status=all', DEFAULT_ORDER],
			]);
			expect(header(await run('status=open'))).toMatch(/^3 rooms match, showing 1-3\b/);
		});

		it('agent: a username, a user id, me, several', async () => {
			await expectRooms([
				['agent=alice', ALICE_ROOMS],
				['agent=u-alice', ALICE_ROOMS],
				['agent=bob', BOB_ROOMS],
				['agent=u-bob', BOB_ROOMS],
				['agent=me', []],
				['agent=alice,bob', ['r06', 'r05', 'r04', 'r02', 'r01', 'r07']],
				['agent=alice agent=u-bob', ['r06', 'r05', 'r04', 'r02', 'r01', 'r07']],
				['agent=nobody', []],
			]);
			await expectRooms([['agent=me', ALICE_ROOMS]], 'alice');
		});

		it('department: by name and by id; an unknown name is an error, not an empty list', async () => {
			await expectRooms([
				['department=Sales', ['r03', 'r01', 'r07']],
				['department=d-sales', ['r03', 'r01', 'r07']],
				['department=Support', ['r04', 'r02']],
				['department=d-support', ['r04', 'r02']],
				['department=Sales,d-support', ['r04', 'r03', 'r02', 'r01', 'r07']],
				['department=Sales department=Support', ['r04', 'r03', 'r02', 'r01', 'r07']],
				['department="Sales"', ['r03', 'r01', 'r07']],
			]);
			await expectOneLine([
				['department=Nope', 'department'],
				['department=Nope', 'Nope'],
				['department=Sales,Nope', 'Nope'],
			]);
		});

		it.each<RoomsCase>([
			['tag=vip', ['r01']],
			['tag=chat', ['r06', 'r05']],
			['tag=rocket,vip', ['r05', 'r01']],
			['tag=chat tag=vip', ['r06', 'r05', 'r01']],
			['tag=nope', []],
		])('tag: one, a comma list, repeated: %s', (...row) => expectRooms([row]));

		it.each<RoomsCase>([
			['name=marcos', ['r05', 'r03', 'r01']],
			['name=MARCOS', ['r05', 'r03', 'r01']],
			['name="marcos"', ['r05', 'r03', 'r01']],
			['name="Marcos Defendi"', ['r01']],
			['name="marcos s"', ['r03']],
			['name="Zed (regex.*)"', ['r06']],
			['name=.*', ['r06']],
			['name="Marcos Defendi" status=closed', []],
			['name=nobody', []],
		])('name: a case-insensitive substring, values with spaces and quotes: %s', (...row) => expectRooms([row]));

		it.each<RoomsCase>([
			['created=2024-01-12T10:00:00.000Z..2024-01-14T10:00:00.000Z', ['r05', 'r04', 'r03']],
			['created=2024-01-12T10:00:00.001Z..2024-01-14T09:59:59.999Z', ['r04']],
			['created=2024-01-13..', ['r06', 'r05', 'r04']],
			['created=2024-01-12..', ['r06', 'r05', 'r04', 'r03']],
			['created=..2024-01-10T10:00:00.000Z', ['r01', 'r07']],
			['created=2025-01-01..', []],
			['closed=2024-01-15T00:00:00.000Z..2024-01-15T00:00:00.000Z', ['r05']],
			['closed=2024-01-16..', ['r06']],
			['closed=2024-01-01..', ['r06', 'r05']],
			['closed=..2024-01-15T00:00:00.000Z', ['r05']],
			['created=2024-01-01.. closed=2024-01-16..', ['r06']],
		])('created and closed: START..END, either side optional, inclusive, dates or ISO-8601: %s', (...row) => expectRooms([row]));

		it.each<RoomsCase>([
			['field.docId=A-100', ['r01']],
			['field.docId=a-1', ['r01']],
			['field.plan=GOLD', ['r01']],
			['field.docId=-', ['r02', 'r01']],
			['field.docId=a field.plan=old', ['r01']],
			['field.docId=AOBEDBY', ['r05']],
			['field.docId=.', []],
			['field.docId=.*', []],
			['field.missing=x', []],
		])('field.<key>: a case-insensitive literal substring of the custom field: %s', (...row) => expectRooms([row]));

		it.each<RoomsCase>([
			['sort=-ts', DEFAULT_ORDER],
			['sort=ts', ['r01', 'r07', 'r02', 'r03', 'r04', 'r05', 'r06']],
			['sort=servedBy.username', ['r03', 'r01', 'r04', 'r05', 'r02', 'r06', 'r07']],
			['sort=-servedBy.username', ['r02', 'r06', 'r07', 'r01', 'r04', 'r05', 'r03']],
			['sort=closedAt', ['r01', 'r02', 'r03', 'r04', 'r07', 'r05', 'r06']],
			['sort=-closedAt', ['r06', 'r05', 'r01', 'r02', 'r03', 'r04', 'r07']],
			['sort=livechatData.docId', ['r03', 'r04', 'r06', 'r07', 'r01', 'r02', 'r05']],
		])('sort: a field, -field for descending, nested fields: %s', (...row) => expectRooms([row]));

		it('count and page', async () => {
			await expectRooms([
				['count=2', ['r06', 'r05']],
				['count=2 page=1', ['r06', 'r05']],
				['count=2 page=2', ['r04', 'r03']],
				['count=2 page=3', ['r02', 'r01']],
				['count=2 page=4', ['r07']],
				['count=2 page=5', []],
				['page=2', []],
				['count=100', DEFAULT_ORDER],
				['count=1 page=6', ['r01']],
			]);
			expect(header(await run('count=2 page=2'))).toMatch(/^7 rooms match, showing 3-4\b/);
			expect(header(await run('count=3 page=2'))).toMatch(/^7 rooms match, showing 4-6\b/);
		});

		it('keys are case-insensitive', async () => {
			await expectRooms([
				['STATUS=open', ['r02', 'r01', 'r07']],
				['Agent=alice', ALICE_ROOMS],
				['DEPARTMENT=Sales', ['r03', 'r01', 'r07']],
				['Tag=vip', ['r01']],
				['Name=marcos Count=1 PAGE=2', ['r03']],
				['Sort=ts', ['r01', 'r07', 'r02', 'r03', 'r04', 'r05', 'r06']],
				['Field.plan=gold', ['r01']],
			]);
		});

		it("the endpoint's own parameter names", async () => {
			await expectRooms([
				['agents=alice', ALICE_ROOMS],
				['agents=u-bob', BOB_ROOMS],
				['departmentId=d-sales', ['r03', 'r01', 'r07']],
				['open=true', ['r02', 'r01', 'r07']],
				['open=false', ['r06', 'r05']],
				['queued=true', ['r03']],
				['onhold=true', ['r04']],
				['tags=vip', ['r01']],
				['roomName=marcos', ['r05', 'r03', 'r01']],
				['createdAt={"start":"2024-01-14T10:00:00.000Z"}', ['r06', 'r05']],
				['closedAt={"end":"2024-01-15T00:00:00.000Z"}', ['r05']],
				['customFields={"docId":"a-1"}', ['r01']],
				['sort={"ts":1}', ['r01', 'r07', 'r02', 'r03', 'r04', 'r05', 'r06']],
				['sort={"servedBy.username":-1}', ['r02', 'r06', 'r07', 'r01', 'r04', 'r05', 'r03']],
				['units=unit-1', ['r06']],
				['offset=5 count=2', ['r01', 'r07']],
				['queued=true open=true', ['r03']],
			]);
		});
	});

	describe('help and mistakes', () => {
		const KEYS = ['status', 'agent', 'department', 'tag', 'name', 'created', 'closed', 'field.', 'sort', 'count', 'page'];

		function expectHelp(note: Note): void {
			for (const key of KEYS) {
				expect([key, note.text.includes(key)]).toEqual([key, true]);
				expect([key, JSON.stringify(note.blocks).includes(key)]).toEqual([key, true]);
			}
			// the usage line plus three examples
			expect((note.text.match(/\/livechat-rooms /g) ?? []).length).toBeGreaterThanOrEqual(4);
			expect((JSON.stringify(note.blocks).match(/\/livechat-rooms /g) ?? []).length).toBeGreaterThanOrEqual(4);
			expect(linked(note.text)).toEqual([]);
		}

		it('help answers with the usage, every key and three examples', async () => {
			expectHelp(await run('help'));
			expectHelp(await run('help', 'alice'));
		});

		it('an unknown key answers with the help, naming the key', async () => {
			for (const params of ['colour=red', 'status=open colour=red', 'agnet=alice']) {
				const note = await run(params);
				expectHelp(note);
				const key = params.split(' ').pop()?.split('=')[0] ?? '';
				expect([params, note.text.includes(key)]).toEqual([params, true]);
			}
		});

		it.each<LineCase>([
			['status=maybe', 'status'],
			['count=0', 'count'],
			['count=101', 'count'],
			['count=abc', 'count'],
			['page=0', 'page'],
			['page=x', 'page'],
			['created=yesterday', 'created'],
			['created=2024-13-01..', 'created'],
			['closed=soon..', 'closed'],
			['sort=-', 'sort'],
			['agent=', 'agent'],
			['tag=', 'tag'],
			['name="Marcos', 'name'],
			['createdAt=nope', 'createdAt'],
			['closedAt={}', 'closedAt'],
			['customFields=nope', 'customFields'],
			['sort={"ts":2}', 'sort'],
		])('a bad value answers with one line naming the key: %s', (...row) => expectOneLine([row]));

		it('no input shows a stack trace or breaks the command', async () => {
			for (const params of [
				'=',
				'==',
				'a=b=c',
				'"',
				'name=""',
				'field.=x',
				'count=99999999999999999999',
				'sort={"__proto__":1}',
				'agent=,,,',
				'\u0000=1',
			]) {
				const note = await run(params);
				expect([params, /\sat .*:\d+:\d+/.test(note.text), note.text.includes('TypeError')]).toEqual([params, false, false]);
			}
			await expectRooms([['list', DEFAULT_ORDER]]);
		});
	});

	describe('paging', () => {
		/** Runs a command, then every next-page command it prints, and returns each page's rooms and header. */
		async function follow(params: string, username = 'manager'): Promise<Array<{ rooms: string[]; header: string; next?: string }>> {
			const pages: Array<{ rooms: string[]; header: string; next?: string }> = [];
			let current: string | undefined = params;
			while (current !== undefined && pages.length < 20) {
				const note = await run(current, username);
				const next = nextPage(note);
				pages.push({ rooms: linked(note.text), header: header(note), next });
				current = next;
			}
			return pages;
		}

		it('prints the exact command for the next page, which gives the next rooms, and none on the last page', async () => {
			const pages = await follow('agent=alice,bob count=2');
			expect(pages.map((page) => page.rooms)).toEqual([
				['r06', 'r05'],
				['r04', 'r02'],
				['r01', 'r07'],
			]);
			expect(pages[0].header).toMatch(/^6 rooms match, showing 1-2\b/);
			expect(pages[1].header).toMatch(/^6 rooms match, showing 3-4\b/);
			expect(pages[2].header).toMatch(/^6 rooms match, showing 5-6\b/);
			expect(pages.map((page) => page.next !== undefined)).toEqual([true, true, false]);
		});

		it('keeps every filter, quotes and sort in the next-page command', async () => {
			const byName = await follow('name="marcos" count=1');
			expect(byName.map((page) => page.rooms)).toEqual([['r05'], ['r03'], ['r01']]);
			const bySales = await follow('department="Sales" sort=-servedBy.username count=2');
			expect(bySales.map((page) => page.rooms)).toEqual([['r07', 'r01'], ['r03']]);
			const nested = await follow('sort=-servedBy.username count=3');
			expect(nested.map((page) => page.rooms)).toEqual([['r02', 'r06', 'r07'], ['r01', 'r04', 'r05'], ['r03']]);
			expect(nested[0].header).toMatch(/^7 rooms match, showing 1-3\b/);
			expect(nested[1].header).toMatch(/^7 rooms match, showing 4-6\b/);
			expect(nested[2].header).toMatch(/^7 rooms match, showing\b/);
			const endpointNames = await follow('open=true sort={"ts":1} count=2');
			expect(endpointNames.map((page) => page.rooms)).toEqual([['r01', 'r07'], ['r02']]);
			const fromOffset = await follow('offset=3 count=2');
			expect(fromOffset.map((page) => page.rooms)).toEqual([
				['r03', 'r02'],
				['r01', 'r07'],
			]);
		});

		it('shows 10 rooms by default', async () => {
			// five more rooms, closed and older than every fixture room: x05 newest of them
			const extra = [1, 2, 3, 4, 5].map((n) => ({
				_id: `x0${n}`,
				t: 'l',
				fname: `Extra ${n}`,
				msgs: 0,
				usersCount: 1,
				v: { _id: `v-x0${n}`, username: `guest-x0${n}`, token: `token-x0${n}`, status: 'offline' },
				ts: new Date(Date.UTC(2023, 0, n)),
				_updatedAt: new Date(Date.UTC(2023, 0, n)),
			}));
			const state = client.running.workspace.state;
			for (const room of extra) state.addRoom(room);
			await announceStarted(
				client.running,
				extra.map((room) => room._id),
			);
			try {
				const pages = await follow('list');
				expect(pages.map((page) => page.rooms)).toEqual([
					[...DEFAULT_ORDER, 'x05', 'x04', 'x03'],
					['x02', 'x01'],
				]);
				expect(pages[0].header).toMatch(/^12 rooms match, showing 1-10\b/);
				expect(pages[1].header).toMatch(/^12 rooms match, showing 11-12\b/);
				expect(pages.map((page) => page.next !== undefined)).toEqual([true, false]);
			} finally {
				for (const room of extra) state.removeRoom(room._id);
				await reconcileNow(client.running);
			}
			expect(await roomsOf('list')).toEqual(DEFAULT_ORDER);
		});

		it('starts from the page asked for', async () => {
			const pages = await follow('count=3 page=2');
			expect(pages.map((page) => page.rooms)).toEqual([['r03', 'r02', 'r01'], ['r07']]);
			const exact = await run('count=7');
			expect(linked(exact.text)).toEqual(DEFAULT_ORDER);
			expect(nextPage(exact)).toBeUndefined();
			expect(nextPage(await run('count=6'))).toBeDefined();
		});
	});

	describe('the reply', () => {
		it('links each visitor name to <Site_Url>/live/<id>, in the text and in the blocks', async () => {
			const note = await run('list');
			for (const id of DEFAULT_ORDER) {
				expect(note.text).toContain(`${siteUrl}/live/${id}`);
				expect(JSON.stringify(note.blocks)).toContain(`(${siteUrl}/live/${id})`);
			}
			expect(note.blocks.every((block: { type: unknown }) => typeof block.type === 'string')).toBe(true);
		});

		it("shows each room's visitor, agent, department, times and tags", async () => {
			const note = await run('list');
			const lineOf = (id: string): string => note.text.split('\n').find((line) => line.includes(`/live/${id}`)) ?? '';
			expect(lineOf('r01')).toEqual(expect.stringContaining('Marcos Defendi'));
			expect(lineOf('r01')).toEqual(expect.stringContaining('alice'));
			expect(lineOf('r01')).toEqual(expect.stringContaining('Sales'));
			expect(lineOf('r01')).toEqual(expect.stringContaining('vip'));
			expect(lineOf('r01')).toEqual(expect.stringContaining('2024-01-10'));
			expect(lineOf('r02')).toEqual(expect.stringContaining('Support'));
			expect(lineOf('r02')).toEqual(expect.stringContaining('bob'));
			expect(lineOf('r05')).toEqual(expect.stringContaining('2024-01-14'));
			expect(lineOf('r05')).toEqual(expect.stringContaining('2024-01-15'));
			expect(lineOf('r05')).toEqual(expect.stringContaining('rocket'));
			expect(lineOf('r05')).toEqual(expect.stringContaining('chat'));
			// the four states are told apart
			const states = ['r01', 'r03', 'r04', 'r05'].map((id) => lineOf(id).replace(/ .*/, ''));
			expect(new Set(states).size).toBe(4);
		});
	});

	describe('access', () => {
		it('an agent is scoped to their own rooms by default', async () => {
			await expectRooms(
				[
					['list', ALICE_ROOMS],
					['agent=me', ALICE_ROOMS],
					['agent=alice', ALICE_ROOMS],
					['agent=u-alice', ALICE_ROOMS],
					['agents=alice', ALICE_ROOMS],
					['status=open', ['r01']],
					['status=closed', ['r05']],
					['tag=vip,rocket', ['r05', 'r01']],
				],
				'alice',
			);
			await expectRooms([['list', BOB_ROOMS]], 'bob');
			await expectRooms([['list', []]], 'monitor');
		});

		it("an agent asking for another agent's rooms gets a one-line refusal", async () => {
			for (const params of ['agent=bob', 'agent=u-bob', 'agent=alice,bob', 'agent=me agent=bob', 'agents=u-bob']) {
				const note = await run(params, 'alice');
				expect([params, note.text.trim().includes('\n'), linked(note.text), linked(JSON.stringify(note.blocks))]).toEqual([params, false, [], []]);
			}
			const monitor = await run('agent=alice', 'monitor');
			expect([monitor.text.trim().includes('\n'), linked(monitor.text)]).toEqual([false, []]);
		});

		it('managers and admins see every room', async () => {
			await expectRooms(
				[
					['list', DEFAULT_ORDER],
					['agent=bob', BOB_ROOMS],
				],
				'manager',
			);
			await expectRooms(
				[
					['list', DEFAULT_ORDER],
					['agent=alice', ALICE_ROOMS],
				],
				'admin',
			);
		});

		it('a user without view-l-room is refused by the host with 403', async () => {
			for (const params of ['', 'help', 'agent=me']) {
				const reply = await client.command(params, 'carol');
				expect([params, reply.status, reply.body]).toEqual([params, 403, { success: false, error: 'unauthorized' }]);
			}
		});

		it('an unauthenticated caller is refused by the host with 401', async () => {
			const reply = await client.command('');
			expect(reply.status).toBe(401);
		});
	});
});

describe('each permission the command uses is needed', () => {
	const manager = { 'X-User-Id': 'u-manager', 'X-Auth-Token': 'token-manager', 'Content-Type': 'application/json' };

	/** Runs the command as the manager in a workspace that lacks `permission` (see `withoutPermission`). */
	async function runWithout(
		permission: string,
		params: string,
	): Promise<{ status: number; body: { success: boolean; error?: string; notifications?: Note[] }; registered: boolean; url: string }> {
		return withoutPermission(permission, fixture(), async (running) => {
			const res = await fetch(`${running.url}/api/v1/commands.run`, {
				method: 'POST',
				headers: manager,
				body: JSON.stringify({ command: 'livechat-rooms', params }),
			});
			return {
				status: res.status,
				body: (await res.json()) as { success: boolean },
				registered: running.workspace.bridges.commands.has('livechat-rooms'),
				url: running.url,
			};
		});
	}

	it('without slashcommand the command is not registered', async () => {
		const outcome = await runWithout('slashcommand', '');
		expect(outcome.registered).toBe(false);
		expect([outcome.status, outcome.body.success]).toEqual([400, false]);
	});

	it('without message.write no answer reaches the caller', async () => {
		const outcome = await runWithout('message.write', '');
		expect(outcome.registered).toBe(true);
		expect([outcome.status, outcome.body.success, outcome.body.notifications]).toEqual([200, true, []]);
	});

	it('without server-setting.read the rooms are listed without links', async () => {
		const outcome = await runWithout('server-setting.read', 'list');
		expect([outcome.status, outcome.body.notifications?.length]).toEqual([200, 1]);
		const note = (outcome.body.notifications ?? [])[0];
		expect(note.text).toMatch(/^7 rooms match, showing 1-7\b/);
		expect(note.text).toContain('Tie With One');
		expect(note.text).not.toContain('/live/');
		expect(JSON.stringify(note.blocks)).not.toContain('/live/');
		expect(note.text).not.toContain(outcome.url);
	});
});
