/** A small client for engine tests: a workspace per suite, requests as a given user. */
import type { WorkspaceData, WorkspaceUser } from '../../workspace/data/types';
import type { RunningWorkspace } from '../../workspace';
import { startWorkspace } from '../../workspace';

export interface Reply {
	status: number;
	headers: Headers;
	text: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
}

export class TestClient {
	private constructor(public readonly running: RunningWorkspace) {}

	public static async start(data: WorkspaceData): Promise<TestClient> {
		return new TestClient(await startWorkspace({ data }));
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

	public async request(url: string, init: RequestInit = {}): Promise<Reply> {
		const res = await fetch(url, init);
		const text = await res.text();
		let body: unknown;
		try {
			body = JSON.parse(text);
		} catch {
			body = undefined;
		}
		return { status: res.status, headers: res.headers, text, body };
	}

	private auth(username?: string): Record<string, string> {
		if (!username) return {};
		const user = this.user(username);
		return { 'X-User-Id': user._id, 'X-Auth-Token': user.authToken };
	}
}
