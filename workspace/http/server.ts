/**
 * The HTTP front of one instance of the workspace, shaped like Rocket.Chat's: `/api/apps/public/<appId>/<path>` runs
 * the app's endpoint (query strings parsed by `qs` as Express does, `X-User-Id` + `X-Auth-Token` authentication,
 * `401 Unauthorized` for an `authRequired` endpoint without a user), `GET /api/info`, `POST /api/v1/commands.run`,
 * the apps REST API's settings route, the UIKit interaction route, the omnichannel actions, and the workspace's own
 * `/api/workspace/...` routes. Every request runs in this instance's engine; the store is the cluster's.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

import * as qs from 'qs';
import type { IApiRequest } from '@rocket.chat/apps-engine/definition/api';
import { RequestMethod } from '@rocket.chat/apps-engine/definition/accessors';

import type { Cluster } from '../engine/cluster';
import type { EngineInstance } from '../engine/Workspace';
import type { WorkspaceState } from '../engine/state';
import type { WorkspaceUser } from '../data/types';
import type { OmnichannelRequest, OmnichannelResponse } from '../omnichannel/context';
import { toExtendedJson } from '../data/export';
import type { Any } from '../loose';
import { jsonOf } from './json';

const MAX_BODY = 1024 * 1024;

const NOT_LOGGED_IN = { status: 'error', message: 'You must be logged in to do this.' };

const NO_PERMISSION = { success: false, error: 'User does not have the permissions required for this action [error-unauthorized]' };

/** A request the omnichannel actions may answer (`undefined`: not theirs). */
export type OmnichannelRoute = (instance: number, request: OmnichannelRequest) => Promise<OmnichannelResponse | undefined>;

/** Like Express's `res.set(headers).status(status).send(body)`: an object body becomes JSON. */
function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	if (res.headersSent) return;
	const isText = typeof body === 'string' || body === undefined;
	const payload = body === undefined ? '' : isText ? (body as string) : JSON.stringify(body);
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = value;
	const type = out['content-type'] ?? (isText ? 'text/plain' : 'application/json');
	out['content-type'] = /charset=/i.test(type) ? type : `${type}; charset=utf-8`;
	out['content-length'] = String(Buffer.byteLength(payload));
	res.writeHead(status, out);
	res.end(payload);
}

function readBody(req: http.IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		let size = 0;
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY) {
				reject(new Error('body too large'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** Express hands `res.set()` string values; the app's headers pass through as they are. */
function appHeaders(headers: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	if (headers && typeof headers === 'object') {
		for (const [key, value] of Object.entries(headers as Record<string, unknown>)) out[key] = String(value);
	}
	return out;
}

export class WorkspaceServer {
	private server?: http.Server;

	private readonly state: WorkspaceState;

	constructor(
		private readonly cluster: Cluster,
		private readonly engine: EngineInstance,
		private readonly omnichannel?: OmnichannelRoute,
	) {
		this.state = cluster.state;
	}

	public async listen(port: number, host = '127.0.0.1'): Promise<number> {
		// Long query strings (10,000-element lists, 100 KB values) must reach the app: 1 MiB of headers, not Node's 16 KiB.
		const server = http.createServer({ maxHeaderSize: 1024 * 1024 }, (req, res) => {
			this.handle(req, res).catch((error: Error) => send(res, 500, { success: false, error: error.message }));
		});
		this.server = server;
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => resolve());
		});
		return (server.address() as AddressInfo).port;
	}

	public async close(): Promise<void> {
		const server = this.server;
		if (!server) return;
		server.closeAllConnections?.();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const url = req.url ?? '/';
		const mark = url.indexOf('?');
		const pathname = mark >= 0 ? url.slice(0, mark) : url;
		const search = mark >= 0 ? url.slice(mark + 1) : '';
		const method = (req.method ?? 'GET').toUpperCase();

		if (pathname === '/api/info' && method === 'GET') {
			send(res, 200, await this.info());
			return;
		}
		if (pathname === '/api/v1/commands.run' && method === 'POST') {
			await this.commandsRun(req, res);
			return;
		}
		if (pathname.startsWith('/api/workspace/')) {
			await this.workspaceRoute(req, res, method, pathname);
			return;
		}
		if (pathname === '/api/apps/actionButtons' && method === 'GET') {
			await this.actionButtons(res);
			return;
		}
		const ui = /^\/api\/apps\/ui\.interaction\/([^/]+)\/?$/.exec(pathname);
		if (ui && method === 'POST') {
			await this.uiInteraction(req, res, decodeURIComponent(ui[1]));
			return;
		}
		const settings = /^\/api\/apps\/([^/]+)\/settings\/?$/.exec(pathname);
		if (settings && (method === 'GET' || method === 'POST') && settings[1] !== 'public') {
			await this.appSettings(req, res, method, decodeURIComponent(settings[1]));
			return;
		}
		const match = /^\/api\/apps\/public\/([^/]+)\/(.+)$/.exec(pathname);
		if (match) {
			await this.appEndpoint(req, res, method, decodeURIComponent(match[1]), decodeURIComponent(match[2]), search);
			return;
		}
		if (this.omnichannel) {
			const body = method === 'GET' || method === 'HEAD' ? undefined : jsonOf(await readBody(req).catch(() => ''));
			const user = this.state.authenticate(req.headers['x-user-id'], req.headers['x-auth-token']);
			const answer = await this.omnichannel(this.engine.instance, {
				method,
				pathname,
				query: qs.parse(search) as Record<string, unknown>,
				body,
				user,
				headers: req.headers,
			});
			if (answer) {
				send(res, answer.status, answer.body);
				return;
			}
		}
		send(res, 404, { success: false, error: 'Not found' });
	}

	private async info(): Promise<Record<string, unknown>> {
		const status = await this.engine.appStatus();
		const app = this.cluster.app;
		const apps = status && app ? [{ id: app.id, name: app.name, version: app.version, status }] : [];
		return { success: true, version: '8.0.0-local-workspace', instance: this.engine.instance, apps };
	}

	private user(req: http.IncomingMessage): WorkspaceUser | undefined {
		return this.state.authenticate(req.headers['x-user-id'], req.headers['x-auth-token']);
	}

	/** The workspace's own routes: the store as it is, what the apps asked of it, and what they sent the caller. */
	private async workspaceRoute(req: http.IncomingMessage, res: http.ServerResponse, method: string, pathname: string): Promise<void> {
		if (pathname === '/api/workspace/export' && method === 'GET') {
			send(res, 200, toExtendedJson(this.state.exportData()));
			return;
		}
		if (pathname === '/api/workspace/stats' && method === 'GET') {
			send(res, 200, { ...this.state.stats });
			return;
		}
		if (pathname === '/api/workspace/stats/reset' && method === 'POST') {
			this.state.resetStats();
			send(res, 200, { ...this.state.stats });
			return;
		}
		if (pathname === '/api/workspace/inbox' && method === 'GET') {
			const user = this.user(req);
			if (!user) {
				send(res, 401, NOT_LOGGED_IN);
				return;
			}
			send(res, 200, { success: true, ...(toExtendedJson(this.state.drainInbox(user._id)) as Record<string, unknown>) });
			return;
		}
		send(res, 404, { success: false, error: 'Not found' });
	}

	/** Rocket.Chat's apps REST API, `GET|POST /api/apps/:id/settings` (permission `manage-apps`: admins). */
	private async appSettings(req: http.IncomingMessage, res: http.ServerResponse, method: string, appId: string): Promise<void> {
		const user = this.user(req);
		if (!user) {
			send(res, 401, NOT_LOGGED_IN);
			return;
		}
		if (!user.roles.includes('admin')) {
			send(res, 403, NO_PERMISSION);
			return;
		}
		const body = method === 'POST' ? (jsonOf(await readBody(req).catch(() => '')) as Any) : undefined;
		if (method === 'POST' && !body?.settings) {
			send(res, 400, { success: false, error: 'The settings to update must be present.' });
			return;
		}
		let current: Array<Record<string, unknown>>;
		try {
			current = await this.engine.appSettings(appId);
		} catch {
			send(res, 404, { success: false, error: `No App found by the id of: ${appId}` });
			return;
		}
		if (method === 'GET') {
			const settings: Record<string, unknown> = {};
			for (const setting of current) if (!setting.hidden) settings[setting.id as string] = setting;
			send(res, 200, { settings, success: true });
			return;
		}
		const list = Array.isArray(body.settings) ? (body.settings as Array<Record<string, unknown>>) : [];
		const updated = await this.cluster.updateSettings(this.engine.instance, appId, list);
		send(res, 200, { updated, success: true });
	}

	/**
	 * `POST /api/apps/ui.interaction/:appId`, as Rocket.Chat's UIKit router (`AppUIKitInteractionApi`) hands each kind of
	 * interaction to the app's `IUIKitInteractionHandler`, field for field:
	 * - `blockAction` (a button or input element in a message or a view): `actionId`, `triggerId`, `payload`
	 *   (`{blockId, value}`), `container` (`{type: 'message' | 'view', id}`), the room by `rid` fully converted (none
	 *   when the client sent none, as from a view), the user converted;
	 * - `viewSubmit`: `actionId`, `triggerId`, `payload` (`{view}` with its `state`), the user;
	 * - `viewClosed`: `payload` (`{view, isCleared}`) and the user only (Rocket.Chat passes no `actionId` nor `triggerId`);
	 * - `actionButton` (an app's button in a room, a message or the user menu): `actionId`, `triggerId`, `tmid`,
	 *   `payload` (`{context}`, and `message` when the client sent one), the room by `rid`, the user.
	 * Messages are not kept by the workspace, so `mid` converts to no message, as an unknown id does on the server. The
	 * caller must be authenticated (401 otherwise, before anything else); any other `type` is a 400; the app's answer is
	 * sent back as it is, and an error thrown on the way is a 500 with its message, as Rocket.Chat answers it.
	 */
	private async uiInteraction(req: http.IncomingMessage, res: http.ServerResponse, appId: string): Promise<void> {
		const user = this.user(req);
		if (!user) {
			send(res, 401, NOT_LOGGED_IN);
			return;
		}
		const body = (jsonOf(await readBody(req).catch(() => '')) as Any) ?? {};
		const appUser = this.state.appUser(user);
		const roomOf = (rid: unknown) => (typeof rid === 'string' ? this.state.fullRoom(rid) : undefined);
		let interaction: Record<string, unknown>;
		try {
			switch (body.type) {
				case 'blockAction': {
					const { type, actionId, triggerId, payload, container } = body;
					interaction = { type, container, appId, actionId, message: undefined, triggerId, payload, user: appUser, room: roomOf(body.rid) };
					break;
				}
				case 'viewSubmit': {
					const { type, actionId, triggerId, payload } = body;
					interaction = { type, appId, actionId, triggerId, payload, user: appUser };
					break;
				}
				case 'viewClosed': {
					const {
						type,
						payload: { view, isCleared },
					} = body;
					interaction = { type, appId, user: appUser, payload: { view, isCleared } };
					break;
				}
				case 'actionButton': {
					const {
						type,
						actionId,
						triggerId,
						tmid,
						payload: { context, message },
					} = body;
					interaction = {
						type,
						appId,
						actionId,
						triggerId,
						user: appUser,
						room: roomOf(body.rid),
						message: undefined,
						tmid,
						payload: { context, ...(message ? { message } : {}) },
					};
					break;
				}
				default:
					send(res, 400, { error: 'Unknown action' });
					return;
			}
			const outcome = await this.engine.uiInteraction(user._id, interaction);
			send(res, 200, outcome.result === undefined ? '' : outcome.result);
		} catch (error) {
			send(res, 500, { error: (error as Error)?.message ?? String(error) });
		}
	}

	/** `GET /api/apps/actionButtons` (no user needed): every enabled app's registered buttons; the client filters them. */
	private async actionButtons(res: http.ServerResponse): Promise<void> {
		// Rocket.Chat answers `API.v1.success(buttons)`: the array itself (the `success` it sets on it is not serialised).
		send(res, 200, await this.engine.actionButtons());
	}

	private async appEndpoint(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		method: string,
		appId: string,
		endpointPath: string,
		search: string,
	): Promise<void> {
		const endpoint = await this.engine.endpointInfo(appId, endpointPath);
		if (!endpoint) {
			send(res, 404, 'Not Found');
			return;
		}
		const user = this.user(req);
		if (endpoint.authRequired && !user) {
			send(res, 401, 'Unauthorized');
			return;
		}
		const body = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
		const request: IApiRequest = {
			method: method.toLowerCase() as RequestMethod,
			headers: req.headers as Record<string, string>,
			// Express 4's default ("extended") query parser.
			query: qs.parse(search, { allowPrototypes: true }) as Any,
			params: {},
			content: jsonOf(body) ?? body,
			user: this.state.appUser(user),
		};
		const response = await this.engine.callEndpoint(endpointPath, request, appId);
		send(res, response.status, response.content, appHeaders(response.headers));
	}

	private async commandsRun(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const user = this.user(req);
		if (!user) {
			send(res, 401, NOT_LOGGED_IN);
			return;
		}
		const body = jsonOf(await readBody(req).catch(() => '')) as Any;
		if (!body || typeof body !== 'object' || typeof body.command !== 'string' || !body.command) {
			send(res, 400, { success: false, error: 'You must provide a command to run.' });
			return;
		}
		if (body.params !== undefined && typeof body.params !== 'string') {
			send(res, 400, { success: false, error: 'The parameters for the command must be a single string.' });
			return;
		}
		if (body.roomId !== undefined && typeof body.roomId !== 'string') {
			send(res, 400, { success: false, error: 'The room id must be a string.' });
			return;
		}
		// Rocket.Chat hands the client's `triggerId` to the command as it came (a view the command opens needs it).
		const triggerId = typeof body.triggerId === 'string' ? body.triggerId : undefined;
		const outcome = await this.engine.runCommand(user, body.command.toLowerCase(), body.params ?? '', body.roomId, triggerId);
		send(res, outcome.status, outcome.body);
	}
}
