/**
 * Every kind of answer `/livechat-rooms` gives, run through the local workspace's `commands.run` and shown by
 * Rocket.Chat's UIKit renderer (`@rocket.chat/fuselage-ui-kit` over `@rocket.chat/fuselage`) in headless Chromium:
 * the renderer must accept every block (no error, no console error, no block shown as nothing), and show the markdown
 * as formatted text. Blocks the renderer rejects make the same check fail.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

import type { Caller } from '../../src/access/access';
import { answerCommand } from '../../src/command/answerCommand';
import { viewerOf } from '../../src/command/viewer';
import type { RoomDocument } from '../../src/rooms/RoomDocument';
import { TestClient } from '../engine/client';
import { fixture } from '../engine/fixture';
import { fakeSources, roomsOf } from '../unit/fixtures';
import { bundledChromium, bundledChromiumPath, bundledChromiumVersion } from './chromium';
import type { Rendering } from './renderer';
import { UiKitRenderer, accepted } from './renderer';

interface Note {
	text: string;
	blocks: unknown[];
}

let client: TestClient;
let renderer: UiKitRenderer;

beforeAll(async () => {
	// One browser and one workspace for the whole file. Both are kept when one fails, so `afterAll` stops the other
	// (a workspace left running would keep jest from ending).
	const [started, opened] = await Promise.allSettled([TestClient.start(fixture()), UiKitRenderer.open()]);
	if (started.status === 'fulfilled') client = started.value;
	if (opened.status === 'fulfilled') renderer = opened.value;
	if (started.status === 'rejected') throw started.reason;
	if (opened.status === 'rejected') throw opened.reason;
}, 120000);

afterAll(async () => {
	await Promise.all([client?.stop(), renderer?.close()]);
});

async function answer(params: string, username: string): Promise<Note> {
	const reply = await client.command(params, username);
	expect([reply.status, reply.body?.notifications?.length]).toEqual([200, 1]);
	return reply.body.notifications[0] as Note;
}

/** What a failed check shows: the problems, the console errors and the counts, not just `false`. */
const verdict = (rendering: Rendering) => ({
	accepted: accepted(rendering),
	problems: rendering.problems,
	consoleErrors: rendering.consoleErrors,
	refused: rendering.refused,
	rendered: rendering.rendered,
});

/** The command's answer to `params`, rendered: every block accepted, `shown` in the text, the markdown formatted. */
async function expectRendered(blocks: Note['blocks'], params: string, shown: string): Promise<void> {
	const rendering = await renderer.render(blocks, 'message', { command: `/livechat-rooms ${params}` });
	expect(verdict(rendering)).toEqual({ accepted: true, problems: [], consoleErrors: [], refused: [], rendered: blocks.length });
	expect(rendering.text).toContain(shown);
	// The markdown was formatted, not shown as typed: no emphasis stars, no backticks, no link syntax.
	expect(rendering.text).not.toMatch(/`|\*\S|\]\(/);
}

describe("the answers, rendered by Rocket.Chat's UIKit renderer", () => {
	test.each([
		['the summary', '', 'manager', 'Livechat rooms'],
		["an agent's summary", '', 'alice', 'Your livechat rooms'],
		['a list with Previous and Next', 'status=all count=3 page=2', 'manager', '7 rooms match, showing 4-6.'],
		['a list with a next page', 'status=all count=3', 'manager', '7 rooms match, showing 1-3.'],
		['the last page', 'status=all count=3 page=3', 'manager', '7 rooms match, showing room 7.'],
		["an agent's own rooms", 'status=open', 'alice', '1 room matches.'],
		['no room', 'name=nobody', 'manager', 'No rooms match.'],
		['the help', 'help', 'manager', 'Usage: /livechat-rooms [key=value ...]'],
		['the help after an unknown key', 'colour=red', 'manager', 'colour'],
		['a bad value', 'count=0', 'manager', 'count must be a whole number from 1 to 100'],
		['a refusal', 'agent=bob', 'alice', 'You may only list your own rooms'],
	])('%s (%s as %s)', async (_kind, params, username, shown) => {
		await expectRendered((await answer(params, username)).blocks, params, shown);
	});
});

/**
 * The same kinds of answer in each language the app ships, on plain data (the fixture's users above carry no
 * language preference, so the Portuguese answers are built by `answerCommand` directly, as the engine class would for
 * a user whose preference is pt-BR, at UTC-03:00).
 */
describe('the answers in every language, rendered', () => {
	const manager: Caller = { id: 'u-manager', username: 'manager', roles: ['livechat-manager'] };
	const at = (ts: string) => new Date(ts);
	const rooms: RoomDocument[] = [
		{
			_id: 'R1',
			t: 'l',
			fname: 'Marcos Defendi',
			ts: at('2024-05-01T10:00:00Z'),
			open: true,
			servedBy: { _id: 'u-ana', username: 'ana' },
			departmentId: 'd1',
			tags: ['vip'],
		},
		{ _id: 'R2', t: 'l', fname: 'Ana *Maria*', ts: at('2024-05-01T11:00:00Z'), open: true, departmentId: 'd1', queuedAt: at('2024-05-01T11:00:00Z') },
		{ _id: 'R3', t: 'l', fname: 'Hold Me', ts: at('2024-05-01T12:00:00Z'), open: true, onHold: true, servedBy: { _id: 'u-bob', username: 'bob' } },
		{
			_id: 'R4',
			t: 'l',
			fname: 'Bruna',
			ts: at('2024-05-01T09:00:00Z'),
			closedAt: at('2024-05-01T16:00:00Z'),
			servedBy: { _id: 'u-bob', username: 'bob' },
		},
	];
	const sources = fakeSources({
		roles: async () => ({ allRooms: new Set(['livechat-manager']), ownRooms: new Set(['livechat-agent']) }),
		rooms: roomsOf(rooms),
		departments: async (idOrName) => (idOrName === 'd1' || idOrName === 'Vendas' ? { _id: 'd1', name: 'Vendas' } : undefined),
		siteUrl: async () => 'https://chat.example.com',
	});
	const NOW = at('2024-05-01T18:00:00Z');

	/** Each kind of answer once, with what it shows in each language. */
	const KINDS: [kind: string, params: string, en: string, ptBR: string][] = [
		['the summary', '', '1 queued', '1 na fila'],
		['a list with Previous and Next', 'count=1 page=2', '4 rooms match, showing room 2.', '4 salas encontradas, mostrando a sala 2.'],
		['no room', 'name=nobody', 'No rooms match.', 'Nenhuma sala encontrada.'],
		['the help', 'help', 'Usage: /livechat-rooms [key=value ...]', 'Uso: /livechat-rooms [key=value ...]'],
		['an error', 'department=Nope', 'department "Nope" not found', 'departamento "Nope" não encontrado'],
	];

	test.each(
		KINDS.flatMap(([kind, params, en, ptBR]): [string, string, string, string][] => [
			['en', kind, params, en],
			['pt-BR', kind, params, ptBR],
		]),
	)('%s: %s (%s)', async (language, _kind, params, shown) => {
		const reply = await answerCommand(params ? params.split(' ') : [], manager, sources, { viewer: viewerOf(language, -3, NOW), appId: 'app-1' });
		await expectRendered(reply.blocks, params, shown);
	});
});

describe('blocks the renderer rejects fail the check', () => {
	const SECTION = { type: 'section', text: { type: 'mrkdwn', text: '*7 rooms match.*' } };
	test.each([
		['an unknown block type (the renderer drops it silently)', [SECTION, { type: 'table', rows: [] }], 'block 2 (table): the renderer showed nothing'],
		['a text object of an unknown type', [{ type: 'section', text: { type: 'html', text: '<b>7</b>' } }], 'block 1 (section): the renderer showed nothing'],
		[
			'an unknown element in a context block',
			[
				{
					type: 'context',
					elements: [
						{ type: 'mrkdwn', text: 'Times are UTC.' },
						{ type: 'badge', text: 'new' },
					],
				},
			],
			'block 1 (context) element 2 (badge): the renderer showed nothing',
		],
		['a section whose fields are not a list (the renderer throws)', [SECTION, { type: 'section', fields: 'open' }], 'block 2 (section): '],
		['a context block without elements (the renderer throws)', [{ type: 'context' }], 'block 1 (context): '],
		[
			'markdown this page cannot show',
			[{ type: 'section', text: { type: 'mrkdwn', text: '```\ncode\n```' } }],
			'markdown block CODE is not shown by this page',
		],
		[
			'an image from outside the page (refused, a console error)',
			[{ type: 'image', imageUrl: 'http://images.invalid/chart.png', altText: 'chart', title: { type: 'plain_text', text: 'Queue' } }],
			'http://images.invalid/chart.png',
		],
	])('%s', async (_kind, blocks, problem) => {
		const rendering = await renderer.render(blocks);
		expect(accepted(rendering)).toBe(false);
		expect([...rendering.problems, ...rendering.consoleErrors, ...rendering.refused].join('\n')).toContain(problem);
	});

	const BUTTON = (text: string, actionId: string) => ({
		type: 'button',
		text: { type: 'plain_text', text },
		actionId,
		value: '2',
		appId: 'livechat-rooms',
		blockId: 'pages',
	});
	test.each([
		['a section', [SECTION]],
		[
			'buttons, a divider and a context',
			[
				SECTION,
				{ type: 'divider' },
				{ type: 'actions', elements: [BUTTON('Previous', 'previous'), BUTTON('Next', 'next')] },
				{
					type: 'context',
					elements: [
						{ type: 'mrkdwn', text: 'Times are UTC.' },
						{ type: 'plain_text', text: 'page 2' },
					],
				},
			],
		],
	])('well-formed blocks pass the same check: %s', async (_kind, blocks) => {
		expect(verdict(await renderer.render(blocks))).toEqual({ accepted: true, problems: [], consoleErrors: [], refused: [], rendered: blocks.length });
	});

	test('blocks render on the modal surface too', async () => {
		const rendering = await renderer.render([SECTION, { type: 'divider' }], 'modal');
		expect(verdict(rendering)).toEqual({ accepted: true, problems: [], consoleErrors: [], refused: [], rendered: 2 });
	});
});

test('a Chromium that is not there fails at once, saying what to set', async () => {
	await expect(UiKitRenderer.open('/nonexistent/chromium')).rejects.toThrow(
		'No Chromium at /nonexistent/chromium: CHROMIUM must name a Chromium binary, or be left unset to use the one from @sparticuz/chromium',
	);
});

test("two runs unpacking @sparticuz/chromium's binary at once both get the whole binary, and leave nothing half-written", async () => {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-unpack-'));
	try {
		const binary = bundledChromiumPath(tmp);
		expect(path.relative(tmp, binary)).toBe(
			path.join(`livechat-rooms-chromium-${bundledChromiumVersion()}-${process.getuid?.() ?? os.userInfo().username}`, 'chromium'),
		);
		const [first, second] = await Promise.all([bundledChromium(tmp), bundledChromium(tmp)]);
		expect([first, second]).toEqual([binary, binary]);
		expect(fs.readdirSync(path.dirname(binary))).toEqual(['chromium']);
		expect(execFileSync(binary, ['--version'], { encoding: 'utf8' })).toMatch(/^Chromium \d+\./);
		// A second look finds it unpacked.
		await expect(bundledChromium(tmp)).resolves.toBe(binary);
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}, 120_000);
