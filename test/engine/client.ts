/** A small client for engine tests: a workspace per suite, requests as a given user. */
import * as fs from 'fs';
import * as path from 'path';

import { expect, jest } from '@jest/globals';

import { DEFAULT_RECONCILE_MINUTES } from '../../src/engine/settings';
import type { WorkspaceData, WorkspaceUser } from '../../workspace/data/types';
import type { RunningWorkspace } from '../../workspace';
import { startWorkspace } from '../../workspace';
import { jsonOf } from '../../workspace/http/json';
import { ROOT } from '../../workspace/package';

/** JSON as the tests read it: whatever the answer holds. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Reply {
	status: number;
	headers: Headers;
	text: string;
	body: Json;
}

/** A request and its answer, the body parsed as JSON (undefined when it is none). */
export async function request(url: string, init: RequestInit = {}): Promise<Reply> {
	const res = await fetch(url, init);
	const text = await res.text();
	return { status: res.status, headers: res.headers, text, body: jsonOf(text) };
}

/** Who a request is from: a username of the workspace's data, or a user id and its token. */
export type Credentials = string | { readonly id: string; readonly token: string };

/** The headers that sign a user in; none without one. */
export function authHeaders(running: RunningWorkspace, who?: Credentials): Record<string, string> {
	if (!who) return {};
	if (typeof who !== 'string') return { 'X-User-Id': who.id, 'X-Auth-Token': who.token };
	const user = running.state.userByUsername(who);
	if (!user) throw new Error(`no user ${who} in the test data`);
	return { 'X-User-Id': user._id, 'X-Auth-Token': user.authToken };
}

/** `method route` on instance `instance` (1-based) of the workspace, as `who`, with `body` sent as JSON. */
export function call(running: RunningWorkspace, instance: number, method: string, route: string, who?: Credentials, body?: unknown): Promise<Reply> {
	return request(`${running.instances[instance - 1].url}${route}`, {
		method,
		headers: { ...authHeaders(running, who), 'Content-Type': 'application/json' },
		...(body !== undefined && { body: JSON.stringify(body) }),
	});
}

/**
 * `call` on the workspace `running()` holds, with the body before the caller and only `{ status, body }` answered
 * (what a test compares with `toEqual`).
 */
export function callsOn(running: () => RunningWorkspace) {
	return async (instance: number, method: string, route: string, body?: unknown, who?: Credentials): Promise<{ status: number; body: Json }> => {
		const reply = await call(running(), instance, method, route, who, body);
		return { status: reply.status, body: reply.body };
	};
}

export class TestClient {
	private constructor(public readonly running: RunningWorkspace) {}

	public static async start(data: WorkspaceData): Promise<TestClient> {
		const running = await startWorkspace({ data });
		try {
			await indexReady(running);
		} catch (error) {
			await running.stop();
			throw error;
		}
		return new TestClient(running);
	}

	public stop(): Promise<void> {
		return this.running.stop();
	}

	public user(username: string): WorkspaceUser {
		const user = this.running.workspace.state.userByUsername(username);
		if (!user) throw new Error(`no user ${username} in the test data`);
		return user;
	}

	/** `GET <app>/rooms?<query>` as `username` (no user: anonymous). */
	public async rooms(query: string, username?: string): Promise<Reply> {
		return this.request(`${this.running.appUrl}/rooms${query ? `?${query}` : ''}`, { headers: this.auth(username) });
	}

	/** `POST /api/v1/commands.run` as `username`. */
	public async command(params: string, username?: string, extra: Record<string, unknown> = {}): Promise<Reply> {
		return this.request(`${this.running.url}/api/v1/commands.run`, {
			method: 'POST',
			headers: { ...this.auth(username), 'Content-Type': 'application/json' },
			body: JSON.stringify({ command: 'livechat-rooms', params, ...extra }),
		});
	}

	public request(url: string, init: RequestInit = {}): Promise<Reply> {
		return request(url, init);
	}

	/** The headers that sign `username` in; none without a user. */
	public auth(username?: string): Record<string, string> {
		return authHeaders(this.running, username);
	}
}

/** The permissions `app.json` declares. */
export const DECLARED_PERMISSIONS: ReadonlyArray<{ name: string }> = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8')).permissions;

/**
 * Runs `run` in a workspace that grants every declared permission but `permission`, then checks that the engine
 * refused the app that very permission, and nothing it was granted (it reports each refusal on the console, captured
 * here; a refusal may also name an alternative the app does not declare, as `livechat-department.multiple`).
 */
export async function withoutPermission<T>(permission: string, data: WorkspaceData, run: (running: RunningWorkspace) => Promise<T>): Promise<T> {
	expect(DECLARED_PERMISSIONS.map((p) => p.name)).toContain(permission);
	const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
	try {
		const running = await startWorkspace({ data, permissionsGranted: DECLARED_PERMISSIONS.filter((p) => p.name !== permission) });
		try {
			// Let the index's first build run (or fail, for the permissions it needs) before the test looks.
			await indexReady(running, 5_000).catch(() => undefined);
			return await run(running);
		} finally {
			await running.stop();
		}
	} finally {
		const refusals = consoleError.mock.calls.map((call) => call.map(String).join(' ')).filter((line) => line.includes('lacks the following permissions'));
		consoleError.mockRestore();
		expect(refusals.some((line) => line.includes(JSON.stringify([permission])))).toBe(true);
		const granted = DECLARED_PERMISSIONS.filter((p) => p.name !== permission).map((p) => JSON.stringify([p.name]));
		expect(refusals.filter((line) => granted.some((name) => line.includes(name)))).toEqual([]);
	}
}

/**
 * Waits until the app answers from its index: right after install the index's first build runs on the scheduler,
 * and until it has finished the endpoint answers 503. Runs due jobs now instead of waiting for the scheduler's poll.
 */
export async function indexReady(running: RunningWorkspace, timeoutMs = 60_000): Promise<void> {
	const caller = running.state.users.find((user) => user.roles.includes('admin') || user.roles.includes('livechat-manager'));
	if (!caller) throw new Error('indexReady needs an admin or a livechat-manager in the data');
	const headers = { 'X-User-Id': caller._id, 'X-Auth-Token': caller.authToken };
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		await running.scheduler.advance(1000);
		const answers = await Promise.all(running.instances.map((instance) => fetch(`${instance.appUrl}/rooms?count=1`, { headers })));
		if (answers.every((answer) => answer.status !== 503)) return;
		if (Date.now() > deadline) throw new Error(`the app's index was not ready after ${timeoutMs} ms: ${await answers[0].text()}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

/**
 * Rooms that started behind the app's back (written to the store directly): tells the app as Rocket.Chat would, with
 * the livechat event, on instance `instance`.
 */
export async function announceStarted(running: RunningWorkspace, roomIds: readonly string[], instance = 1): Promise<void> {
	for (const id of roomIds) await running.fire(instance, 'IPostLivechatRoomStarted', running.fullRoom(id));
}

/**
 * Changes no event announces (deletions, rooms written directly): moves the scheduler's clock a minute at a time past
 * the reconciliation interval (`minutes` ticks of the recurring job: the setting's default unless told), so a
 * reconciliation pass runs now (small data: one slice).
 */
export async function reconcileNow(running: RunningWorkspace, minutes: number = DEFAULT_RECONCILE_MINUTES): Promise<void> {
	for (let minute = 0; minute <= minutes; minute++) await running.scheduler.advance(60_000);
	await running.scheduler.advance(2_000);
}
