import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint } from '@rocket.chat/apps-engine/definition/api';
import type { IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import type { IApp } from '@rocket.chat/apps-engine/definition/IApp';

import { callerOf } from '../engine/caller';
import type { RoomIndexKeeper } from '../engine/RoomIndexKeeper';
import { wireSources } from '../engine/wireSources';
import type { Sources } from '../ports';
import type { HttpAnswer, RoomsRequest } from './handleRooms';
import { handleCountsRequest, handleRoomsRequest } from './handleRooms';
import { handleIndexRequest } from './handleIndex';

const HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };

type Handler = (request: RoomsRequest, sources: Sources) => Promise<HttpAnswer>;

/** A GET endpoint over the rooms: the engine's side of a pure handler (`handleRooms.ts`). */
abstract class RoomsGetEndpoint extends ApiEndpoint {
	public authRequired = true;

	protected abstract readonly handle: Handler;

	constructor(
		app: IApp,
		private readonly rooms: RoomIndexKeeper,
	) {
		super(app);
	}

	public async get(request: IApiRequest, _endpoint: IApiEndpointInfo, read: IRead): Promise<IApiResponse> {
		const user = request.user;
		const answer = await this.handle(
			{ user: user ? callerOf(user) : undefined, query: request.query ?? {} },
			wireSources(read, this.app.getLogger(), this.rooms),
		);
		return { status: answer.status, headers: { ...HEADERS, ...answer.headers }, content: answer.body };
	}

	// Every other method gets a clear 405 instead of the engine's "not exists" error, which the server turns into a 500.
	public post = (request: IApiRequest): Promise<IApiResponse> => this.notAllowed(request);
	public put = (request: IApiRequest): Promise<IApiResponse> => this.notAllowed(request);
	public delete = (request: IApiRequest): Promise<IApiResponse> => this.notAllowed(request);
	public patch = (request: IApiRequest): Promise<IApiResponse> => this.notAllowed(request);
	public head = (request: IApiRequest): Promise<IApiResponse> => this.notAllowed(request);
	public options = (request: IApiRequest): Promise<IApiResponse> => this.notAllowed(request);

	private async notAllowed(request: IApiRequest): Promise<IApiResponse> {
		const method = String(request.method).toUpperCase();
		return {
			status: 405,
			headers: { ...HEADERS, Allow: 'GET' },
			content: {
				success: false,
				error: `The method ${method} is not allowed on ${this.path}; use GET [error-method-not-allowed]`,
				errorType: 'error-method-not-allowed',
			},
		};
	}
}

/** `GET rooms`: Rocket.Chat's `GET /api/v1/livechat/rooms`, served by the app (JSON, or CSV with `format=csv`). */
export class RoomsEndpoint extends RoomsGetEndpoint {
	public path = 'rooms';

	protected readonly handle = handleRoomsRequest;
}

/** `GET rooms/counts`: the same filters and access, answered with counts (docs/endpoint.md, "`GET rooms/counts`"). */
export class RoomCountsEndpoint extends RoomsGetEndpoint {
	public path = 'rooms/counts';

	protected readonly handle = handleCountsRequest;
}

/** `rooms/index`: the index's state (GET), and an administrator's request for a reconciliation pass now (POST). */
export class RoomIndexEndpoint extends ApiEndpoint {
	public path = 'rooms/index';

	public authRequired = true;

	constructor(
		app: IApp,
		private readonly rooms: RoomIndexKeeper,
	) {
		super(app);
	}

	public get = (request: IApiRequest, _endpoint: IApiEndpointInfo, read: IRead): Promise<IApiResponse> => this.answer('GET', request, read);

	public post = (
		request: IApiRequest,
		_endpoint: IApiEndpointInfo,
		read: IRead,
		_modify: IModify,
		_http: IHttp,
		persistence: IPersistence,
	): Promise<IApiResponse> => this.answer('POST', request, read, persistence);

	private async answer(method: 'GET' | 'POST', request: IApiRequest, read: IRead, persistence?: IPersistence): Promise<IApiResponse> {
		const user = request.user;
		const answer = await handleIndexRequest(
			method,
			{ user: user ? callerOf(user) : undefined, query: request.query ?? {} },
			wireSources(read, this.app.getLogger(), this.rooms),
			{
				status: () => this.rooms.status(read),
				requestReconcile: () => {
					if (!persistence) throw new Error('no persistence accessor');
					return this.rooms.requestReconcile(read, persistence);
				},
			},
		);
		return { status: answer.status, headers: { ...HEADERS, ...answer.headers }, content: answer.body };
	}
}
