/**
 * The workspace's HTTP front, shaped like Rocket.Chat's: `/api/apps/public/<appId>/<path>` runs the app's endpoint
 * (query strings parsed by `qs` as Express does, `X-User-Id` + `X-Auth-Token` authentication, `401 Unauthorized`
 * for an `authRequired` endpoint without a user), `GET /api/info`, and `POST /api/v1/commands.run`.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

import * as qs from 'qs';
import type { IApiRequest } from '@rocket.chat/apps-engine/definition/api';
import { RequestMethod } from '@rocket.chat/apps-engine/definition/accessors';

import type { Workspace } from '../engine/Workspace';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const MAX_BODY = 1024 * 1024;

const NOT_LOGGED_IN = { status: 'error', message: 'You must be logged in to do this.' };

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

function parseJson(text: string): unknown {
	try {
		return text ? JSON.parse(text) : undefined;
	} catch {
		return undefined;
	}
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

	constructor(private readonly workspace: Workspace) {}

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
		const match = /^\/api\/apps\/public\/([^/]+)\/(.+)$/.exec(pathname);
		if (match) {
			await this.appEndpoint(req, res, method, decodeURIComponent(match[1]), decodeURIComponent(match[2]), search);
			return;
		}
		send(res, 404, { success: false, error: 'Not found' });
	}

	private async info(): Promise<Record<string, unknown>> {
		const status = await this.workspace.appStatus();
		const apps = status ? [{ ...this.summary(), status }] : [];
		return { success: true, version: '7.0.0-local-workspace', apps };
	}

	private summary(): Record<string, unknown> {
		const { id, name, version } = this.workspace.installed;
		return { id, name, version };
	}

	private async appEndpoint(req: http.IncomingMessage, res: http.ServerResponse, method: string, appId: string, endpointPath: string, search: string): Promise<void> {
		const endpoint = this.workspace.endpoint(appId, endpointPath);
		if (!endpoint) {
			send(res, 404, 'Not Found');
			return;
		}
		const user = this.workspace.state.authenticate(req.headers['x-user-id'], req.headers['x-auth-token']);
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
			content: parseJson(body) ?? body,
			user: this.workspace.state.appUser(user),
		};
		const response = await this.workspace.callEndpoint(endpointPath, request, appId);
		send(res, response.status, response.content, appHeaders(response.headers));
	}

	private async commandsRun(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const user = this.workspace.state.authenticate(req.headers['x-user-id'], req.headers['x-auth-token']);
		if (!user) {
			send(res, 401, NOT_LOGGED_IN);
			return;
		}
		const body = parseJson(await readBody(req).catch(() => '')) as Any;
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
		const outcome = await this.workspace.runCommand(user, body.command.toLowerCase(), body.params ?? '', body.roomId);
		send(res, outcome.status, outcome.body);
	}
}
