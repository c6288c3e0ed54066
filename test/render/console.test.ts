/**
 * Every state of the console's view (src/command/console.ts), opened and driven through the local workspace, shown
 * by Rocket.Chat's UIKit renderer in headless Chromium (see answers.test.ts for the checks).
 *
 * The published renderer (`@rocket.chat/fuselage-ui-kit`, the newest release on the registry) has no contextual-bar
 * surface: the view's blocks are shown on its modal surface, which renders the same blocks and input elements (a
 * contextual bar accepts actions, context, divider, image, input and section blocks, all of which a modal renders).
 * That release also predates the `users_select` element (the agent filter), which Rocket.Chat's own client renders
 * with its user autocomplete: the check expects the renderer to report that one element, and nothing else.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

import { answerConsole } from '../../src/command/console';
import { viewerOf } from '../../src/command/viewer';
import type { RoomDocument } from '../../src/rooms/RoomDocument';
import { TestClient } from '../engine/client';
import { fixture } from '../engine/fixture';
import { fakeSources, roomsOf } from '../unit/fixtures';
import type { Rendering } from './renderer';
import { UiKitRenderer } from './renderer';
import type { Json } from '../engine/client';

let client: TestClient;
let renderer: UiKitRenderer;

beforeAll(async () => {
	[client, renderer] = await Promise.all([TestClient.start(fixture()), UiKitRenderer.open()]);
}, 120000);

afterAll(async () => {
	await Promise.all([client?.stop(), renderer?.close()]);
});

/** `username` signed in, sending JSON. */
function auth(username: string): Record<string, string> {
	return { ...client.auth(username), 'Content-Type': 'application/json' };
}

async function opened(username: string): Promise<Json> {
	const reply = await client.command('', username, { triggerId: 'render-open' });
	expect([reply.status, reply.body.interactions.length]).toEqual([200, 1]);
	return reply.body.interactions[0].view;
}

/** A press in the view, as the client sends it; the view it was updated to. */
async function pressed(username: string, view: Json, actionId: string, value?: unknown, blockId?: string): Promise<Json> {
	const element = view.blocks
		.flatMap((block: Json) =>
			block.type === 'actions' ? block.elements : block.type === 'input' ? [block.element] : block.accessory ? [block.accessory] : [],
		)
		.find((candidate: Json) => candidate.actionId === actionId);
	await client.request(`${client.running.url}/api/workspace/inbox`, { headers: auth(username) });
	const reply = await client.request(`${client.running.url}/api/apps/ui.interaction/${client.running.app.id}`, {
		method: 'POST',
		headers: auth(username),
		body: JSON.stringify({
			type: 'blockAction',
			actionId,
			payload: { blockId: blockId ?? element.blockId, value: value === undefined ? element.value : value },
			container: { type: 'view', id: view.id },
			triggerId: 'render-press',
		}),
	});
	expect(reply.status).toBe(200);
	const inbox = await client.request(`${client.running.url}/api/workspace/inbox`, { headers: auth(username) });
	return inbox.body.interactions[0].view;
}

/** The block whose agent filter the renderer's release cannot show (see above). */
const usersSelectProblems = (blocks: Json[]): string[] =>
	blocks.flatMap((block, index) => {
		if (block.type !== 'actions') return [];
		return block.elements.flatMap((element: Json, i: number) =>
			element.type === 'users_select'
				? [
						block.elements.length > 1
							? `block ${index + 1} (actions) element ${i + 1} (users_select): the renderer showed nothing`
							: `block ${index + 1} (actions): the renderer showed nothing`,
					]
				: [],
		);
	});

const verdict = (rendering: Rendering) => ({
	problems: rendering.problems,
	consoleErrors: rendering.consoleErrors,
	refused: rendering.refused,
});

async function check(blocks: Json[], shown: string): Promise<void> {
	const rendering = await renderer.render(blocks, 'modal');
	expect(verdict(rendering)).toEqual({ problems: usersSelectProblems(blocks), consoleErrors: [], refused: [] });
	expect(rendering.text).toContain(shown);
	expect(rendering.text).not.toMatch(/`|\*\S|\]\(/);
}

describe("the console's view, rendered on the modal surface", () => {
	test.each([
		['opened by a manager', 'manager', [], '7 rooms match, showing 1-7.'],
		['opened by an agent (their own rooms)', 'alice', [], '3 rooms match, showing 1-3.'],
		['filtered by status', 'manager', [['livechat-rooms.filter.status', 'open']], '3 rooms match, showing 1-3.'],
		[
			'filtered by department and tag',
			'manager',
			[
				['livechat-rooms.filter.department', 'd-sales'],
				['livechat-rooms.filter.tags', ['vip']],
			],
			'1 room matches.',
		],
		['filtered to nothing', 'manager', [['livechat-rooms.filter.name', 'nobody']], 'No rooms match.'],
		['a summary line listed', 'manager', [['livechat-rooms.list', 'status=queued sort=queuedAt,created']], '1 room matches.'],
		['a forged press refused', 'alice', [['livechat-rooms.refresh', 'agent=bob']], 'You may only list your own rooms'],
		['a value no element sends', 'manager', [['livechat-rooms.filter.status', 'everything']], 'That choice could not be read'],
	] as Array<[string, string, Array<[string, unknown]>, string]>)('%s', async (_kind, username, presses, shown) => {
		let view = await opened(username);
		for (const [actionId, value] of presses) view = await pressed(username, view, actionId, value);
		await check(view.blocks, shown);
	});

	test('a user without a livechat role: the refusal alone', async () => {
		await client.request(`${client.running.url}/api/workspace/inbox`, { headers: auth('carol') });
		await client.request(`${client.running.url}/api/apps/ui.interaction/${client.running.app.id}`, {
			method: 'POST',
			headers: auth('carol'),
			body: JSON.stringify({
				type: 'actionButton',
				actionId: 'livechat-rooms.console.room',
				triggerId: 'render-carol',
				rid: 'r01',
				payload: { context: 'roomAction' },
			}),
		});
		const inbox = await client.request(`${client.running.url}/api/workspace/inbox`, { headers: auth('carol') });
		await check(inbox.body.interactions[0].view.blocks, 'You may not list livechat rooms');
	});

	test.each([
		['en', 'Filters'],
		['pt-BR', 'Filtros'],
	])('in %s, with a second page', async (language, shown) => {
		const at = (ts: string) => new Date(ts);
		const rooms: RoomDocument[] = Array.from({ length: 12 }, (_, i) => ({
			_id: `R${i}`,
			t: 'l',
			fname: `Visitor ${i}`,
			ts: at(`2024-05-01T${String(i + 8).padStart(2, '0')}:00:00Z`),
			open: true,
			servedBy: { _id: 'u-ana', username: 'ana' },
			departmentId: 'd1',
			tags: i % 2 ? ['vip'] : [],
		}));
		const sources = fakeSources({
			roles: async () => ({ allRooms: new Set(['livechat-manager']), ownRooms: new Set(['livechat-agent']) }),
			rooms: roomsOf(rooms),
			departments: async (idOrName) => (idOrName === 'd1' ? { _id: 'd1', name: 'Vendas' } : undefined),
			enabledDepartments: async () => [{ _id: 'd2', name: 'Suporte' }],
			siteUrl: async () => 'https://chat.example.com',
		});
		const view = await answerConsole('created=2024-05-01 page=2', { id: 'u-m', username: 'maria', roles: ['livechat-manager'] }, sources, {
			viewer: viewerOf(language, -3, at('2024-05-01T23:00:00Z')),
			appId: 'app-1',
		});
		await check(view.blocks, shown);
	});
});
