/**
 * The pictures of the slash command's answers (README, docs/command.md): the real app answers in the local workspace on the demo data
 * (as a manager), and Rocket.Chat's UIKit renderer shows each answer in headless Chromium (test/render/renderer.ts).
 * A picture is written only when the renderer accepted every block. The console's view is shown on the renderer's
 * modal surface (it has no contextual-bar surface), where only its agent filter (`users_select`, which this release
 * of the renderer predates and Rocket.Chat's client renders itself) may be reported unshown.
 *
 *   node -r ts-node/register/transpile-only scripts/answer-pictures.ts [folder]    (default: docs)
 *
 * Chromium comes from `@sparticuz/chromium` (or `CHROMIUM=/path`); the status markers are emoji, drawn in colour
 * when the machine has a colour emoji font (Debian: `fonts-noto-color-emoji`).
 */
import * as path from 'path';

import { UiKitRenderer, accepted } from '../test/render/renderer';
import { startWorkspace } from '../workspace';
import { demoData } from '../workspace/data/demo';

/** Each picture: its file name, and what the manager types after `/livechat-rooms`. */
export const PICTURES: ReadonlyArray<readonly [string, string]> = [
	['command-summary.png', ''],
	['command-list.png', 'status=all count=4 page=2'],
	['command-empty.png', 'status=queued department=Sales tag=vip'],
	['command-help.png', 'help'],
	['command-error.png', 'count=500'],
];

/** The console: opened by `/livechat-rooms` with a trigger, then each press in turn (an element's action and value). */
export const CONSOLE_PICTURES: ReadonlyArray<readonly [string, ReadonlyArray<readonly [string, unknown]>]> = [
	['console-bar.png', []],
	['console-filtered.png', [['livechat-rooms.filter.status', 'open']]],
];

/** What may be unshown in the console's picture: the users select alone. */
const onlyUsersSelect = (problems: readonly string[]): boolean => problems.every((problem) => problem.includes('(users_select): the renderer showed nothing'));

async function main(): Promise<void> {
	const folder = process.argv[2] ?? path.join(__dirname, '..', 'docs');
	// As `npm start` lays it out: back from now, so the summary shows minutes of waiting and rooms closed today.
	const data = demoData({ now: new Date() });
	const manager = data.users.find((u) => u.roles.includes('livechat-manager'));
	if (!manager) throw new Error('no manager in the demo data');
	const [running, renderer] = await Promise.all([startWorkspace({ data }), UiKitRenderer.open()]);
	try {
		// The app answers from its index, built by a job right after install: run due jobs until it answers.
		const headers = { 'X-User-Id': manager._id, 'X-Auth-Token': manager.authToken };
		for (let tries = 0; ; tries++) {
			await running.scheduler.advance(1000);
			const ready = await fetch(`${running.appUrl}/rooms?count=1`, { headers });
			if (ready.status !== 503) break;
			if (tries > 600) throw new Error(`the app's index was not ready: ${await ready.text()}`);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		for (const [file, params] of PICTURES) {
			const res = await fetch(`${running.url}/api/v1/commands.run`, {
				method: 'POST',
				headers: { 'X-User-Id': manager._id, 'X-Auth-Token': manager.authToken, 'Content-Type': 'application/json' },
				body: JSON.stringify({ command: 'livechat-rooms', params }),
			});
			const body = (await res.json()) as { notifications?: Array<{ blocks: unknown[] }> };
			const blocks = body.notifications?.[0]?.blocks;
			if (!blocks) throw new Error(`no answer to /livechat-rooms ${params}: ${JSON.stringify(body)}`);
			const rendering = await renderer.render(blocks, 'message', { command: `/livechat-rooms ${params}`, sender: 'Livechat Rooms' });
			if (!accepted(rendering)) throw new Error(`the renderer rejected /livechat-rooms ${params}: ${JSON.stringify(rendering)}`);
			await renderer.screenshot(path.join(folder, file));
			process.stdout.write(`${path.join(folder, file)}  /livechat-rooms ${params}\n`);
		}
		const post = async (
			url: string,
			body: unknown,
		): Promise<{ interactions?: Array<{ view: { id: string; blocks: Array<Record<string, unknown>> } }> }> => {
			const res = await fetch(url, {
				method: 'POST',
				headers: { 'X-User-Id': manager._id, 'X-Auth-Token': manager.authToken, 'Content-Type': 'application/json' },
				body: JSON.stringify(body),
			});
			return (await res.json()) as { interactions?: Array<{ view: { id: string; blocks: Array<Record<string, unknown>> } }> };
		};
		const inbox = async () =>
			(await (await fetch(`${running.url}/api/workspace/inbox`, { headers })).json()) as {
				interactions: Array<{ view: { id: string; blocks: Array<Record<string, unknown>> } }>;
			};
		for (const [file, presses] of CONSOLE_PICTURES) {
			await inbox();
			let view = (await post(`${running.url}/api/v1/commands.run`, { command: 'livechat-rooms', params: '', triggerId: 'picture' })).interactions?.[0]
				?.view;
			for (const [actionId, value] of presses) {
				const element = view?.blocks
					.flatMap((block) => (block.elements as Array<Record<string, unknown>> | undefined) ?? [])
					.find((e) => e.actionId === actionId);
				if (!view || !element) throw new Error(`no ${actionId} in the console`);
				await inbox();
				await post(`${running.url}/api/apps/ui.interaction/${running.app.id}`, {
					type: 'blockAction',
					actionId,
					payload: { blockId: element.blockId, value },
					container: { type: 'view', id: view.id },
					triggerId: 'picture',
				});
				view = (await inbox()).interactions[0]?.view;
			}
			if (!view) throw new Error(`the console did not open for ${file}`);
			const rendering = await renderer.render(view.blocks, 'modal');
			if (!onlyUsersSelect(rendering.problems) || rendering.consoleErrors.length > 0 || rendering.refused.length > 0) {
				throw new Error(`the renderer rejected the console: ${JSON.stringify(rendering)}`);
			}
			await renderer.screenshot(path.join(folder, file));
			process.stdout.write(
				`${path.join(folder, file)}  the console${presses.length ? `, then ${presses.map(([a, v]) => `${a}=${JSON.stringify(v)}`).join(', ')}` : ''}\n`,
			);
		}
	} finally {
		await Promise.all([running.stop(), renderer.close()]);
	}
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
