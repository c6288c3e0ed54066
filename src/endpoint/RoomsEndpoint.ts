import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint } from '@rocket.chat/apps-engine/definition/api';
import type { IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import { callerOf } from '../engine/caller';
import { engineSources } from '../engine/sources';
import { handleRoomsRequest } from './handleRooms';

const HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };

/** `GET rooms`: Rocket.Chat's `GET /api/v1/livechat/rooms`, served by the app; the engine's side of `handleRooms`. */
export class RoomsEndpoint extends ApiEndpoint {
	public path = 'rooms';

	public authRequired = true;

	public async get(
		request: IApiRequest,
		_endpoint: IApiEndpointInfo,
		read: IRead,
		_modify: IModify,
		_http: IHttp,
		_persis: IPersistence,
	): Promise<IApiResponse> {
		const user = request.user;
		const answer = await handleRoomsRequest(
			{ user: user ? callerOf(user) : undefined, query: request.query ?? {} },
			engineSources(read, this.app.getLogger()),
		);
		return this.json({ status: answer.status, headers: HEADERS, content: answer.body });
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
		return this.json({
			status: 405,
			headers: { ...HEADERS, Allow: 'GET' },
			content: {
				success: false,
				error: `The method ${method} is not allowed on rooms; use GET [error-method-not-allowed]`,
				errorType: 'error-method-not-allowed',
			},
		});
	}
}
