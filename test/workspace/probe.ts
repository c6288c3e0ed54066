/** The probe app (`fixture-app/`), packaged with the same `rc-apps` script as the app, and a client for it. */
import * as path from 'path';

import type { RunningWorkspace } from '../../workspace';
import { ensurePackage } from '../../workspace/package';
import type { Json } from '../engine/client';
import { request } from '../engine/client';

const PROBE_DIR = path.join(__dirname, 'fixture-app');

/** The packaged probe app, rebuilt when its sources changed. */
export function probeZip(): Buffer {
	return ensurePackage(() => undefined, PROBE_DIR, ['WorkspaceProbeApp.ts', 'app.json', 'icon.png']);
}

export const ADMIN = { 'X-User-Id': 'u-admin', 'X-Auth-Token': 'token-admin' };

export async function json(url: string, init: RequestInit = {}): Promise<{ status: number; body: Json }> {
	const reply = await request(url, init);
	// A text answer stays text.
	return { status: reply.status, body: reply.body === undefined ? reply.text : reply.body };
}

/** What instance k's runtime saw since it started: events, settings updates and job runs. */
export async function memory(running: RunningWorkspace, k: number): Promise<{ events: Json[]; settings: Json[]; jobs: Json[] }> {
	const reply = await json(`${running.instances[k - 1].appUrl}/probe`);
	if (reply.status !== 200) throw new Error(`probe answered ${reply.status}: ${JSON.stringify(reply.body)}`);
	return reply.body;
}

/** One call of a reader or the persistence/scheduler in instance k's runtime: `{ result }` or `{ error }`. */
export async function op(running: RunningWorkspace, k: number, body: Record<string, unknown>): Promise<{ result?: Json; error?: string }> {
	const reply = await json(`${running.instances[k - 1].appUrl}/probe`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	if (reply.status !== 200) throw new Error(`probe answered ${reply.status}: ${JSON.stringify(reply.body)}`);
	return reply.body;
}
