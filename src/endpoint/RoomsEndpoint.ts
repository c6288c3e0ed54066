import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint } from '@rocket.chat/apps-engine/definition/api';
import type { IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import type { Caller } from '../access/access';
import { readAccessRoles } from '../access/settings';
import { engineDepartments, engineRoomPages } from '../scan/engineRooms';
import type { HttpAnswer } from './handleRooms';
import { handleRoomsRequest } from './handleRooms';

const HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };

/** `GET rooms`: Rocket.Chat's `GET /api/v1/livechat/rooms`, served by the app. */
export class RoomsEndpoint extends ApiEndpoint {
	public path = 'rooms';

	public authRequired = true;

	public async get(request: IApiRequest, _endpoint: IApiEndpointInfo, read: IRead, _modify: IModify, _http: IHttp, _persis: IPersistence): Promise<IApiResponse> {
		const user = request.user;
		const caller: Caller | undefined = user ? { id: user.id, username: user.username, roles: user.roles ?? [] } : undefined;
		let answer: HttpAnswer;
		try {
			answer = await handleRoomsRequest(
				{ user: caller, query: request.query ?? {} },
				{ roles: () => readAccessRoles(read), pages: engineRoomPages(read), departments: engineDepartments(read) },
			);
		} catch (error) {
			this.app.getLogger().error('rooms endpoint failed', error);
			answer = { status: 500, body: { success: false, error: 'The rooms could not be listed; the error was logged.' } };
		}
		return this.json({ status: answer.status, headers: HEADERS, content: answer.body });
	}
}
