import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint } from '@rocket.chat/apps-engine/definition/api';
import type { IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import { engineRoomPages } from '../scan/engineRooms';

/** `GET rooms`: Rocket.Chat's `GET /api/v1/livechat/rooms`, served by the app. */
export class RoomsEndpoint extends ApiEndpoint {
	public path = 'rooms';

	public authRequired = true;

	public async get(request: IApiRequest, _endpoint: IApiEndpointInfo, read: IRead, _modify: IModify, _http: IHttp, _persis: IPersistence): Promise<IApiResponse> {
		const pages = engineRoomPages(read);
		let total = 0;
		for (let skip = 0; ; skip += 100) {
			const page = await pages.page(skip, 100);
			total += page.length;
			if (page.length < 100) break;
		}
		return this.json({ status: 200, content: { total, user: request.user?.username, query: request.query } });
	}
}
