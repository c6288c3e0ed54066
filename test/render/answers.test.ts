/**
 * Every kind of answer `/livechat-rooms` gives, run through the local workspace's `commands.run` and shown by
 * Rocket.Chat's UIKit renderer (`@rocket.chat/fuselage-ui-kit` over `@rocket.chat/fuselage`) in headless Chromium:
 * the renderer must accept every block (no error, no console error, no block shown as nothing), and show the markdown
 * as formatted text. Blocks the renderer rejects make the same check fail.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

import { TestClient } from '../engine/client';
import { fixture } from '../engine/fixture';
import type { Rendering } from './renderer';
import { UiKitRenderer, accepted } from './renderer';

interface Note {
	text: string;
	blocks: unknown[];
}

let client: TestClient;
let renderer: UiKitRenderer;

beforeAll(async () => {
	// One browser and one workspace for the whole file.
	[client, renderer] = await Promise.all([TestClient.start(fixture()), UiKitRenderer.open()]);
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

describe("the answers, rendered by Rocket.Chat's UIKit renderer", () => {
	test.each([
		['a list with a next page', 'status=all count=3', 'manager', '7 rooms match, showing 1-3.'],
		['the last page', 'status=all count=3 page=3', 'manager', '7 rooms match, showing room 7.'],
		["an agent's own rooms", 'status=open', 'alice', '1 room matches.'],
		['no room', 'name=nobody', 'manager', 'No rooms match.'],
		['the help', 'help', 'manager', 'Usage: /livechat-rooms [key=value ...]'],
		['the help after an unknown key', 'colour=red', 'manager', 'colour'],
		['a bad value', 'count=0', 'manager', 'count must be a whole number from 1 to 100'],
		['a refusal', 'agent=bob', 'alice', 'You may only list your own rooms'],
	])('%s (%s as %s)', async (_kind, params, username, shown) => {
		const note = await answer(params, username);
		const rendering = await renderer.render(note.blocks, 'message', { command: `/livechat-rooms ${params}` });
		expect(verdict(rendering)).toEqual({ accepted: true, problems: [], consoleErrors: [], refused: [], rendered: note.blocks.length });
		// The markdown was formatted, not shown as typed: no emphasis stars, no backticks, no link syntax.
		expect(rendering.text).toContain(shown);
		expect(rendering.text).not.toMatch(/`|\*\S|\]\(/);
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

test('without Chromium the rendering fails at once, saying what to install', async () => {
	await expect(UiKitRenderer.open('/nonexistent/chromium')).rejects.toThrow(
		'Chromium is not installed at /nonexistent/chromium: the UIKit rendering needs it (apt-get install -y chromium',
	);
});
