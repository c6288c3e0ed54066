/**
 * Benchmark only, never shipped: the floor the Livechat Rooms app is measured against. Its `floor` endpoint pages
 * through every livechat room as a scan must (`getAllRooms`, pages of 100, until a short page) and does nothing else
 * with them, so its time is the unavoidable cost of reading the rooms through the engine. Its `ping` endpoint does
 * nothing at all: the fixed cost of one call into an app.
 */
import { App } from '@rocket.chat/apps-engine/definition/App';
import type { IAppAccessors, IConfigurationExtend, IEnvironmentRead, ILogger, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint, ApiSecurity, ApiVisibility } from '@rocket.chat/apps-engine/definition/api';
import type { IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import type { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';

/** The engine's largest page. */
const PAGE = 100;

/** `GET floor`: reads every livechat room, page by page, and answers how many there were. */
class FloorEndpoint extends ApiEndpoint {
	public path = 'floor';

	public async get(_request: IApiRequest, _endpoint: IApiEndpointInfo, read: IRead): Promise<IApiResponse> {
		const reader = read.getRoomReader();
		let total = 0;
		for (;;) {
			const page = await reader.getAllRooms({ types: [RoomType.LIVE_CHAT] }, { limit: PAGE, skip: total });
			const length = page ? page.length : 0;
			total += length;
			if (length < PAGE) break;
		}
		return this.json({ status: 200, content: { total } });
	}
}

/** `GET ping`: answers at once. */
class PingEndpoint extends ApiEndpoint {
	public path = 'ping';

	public async get(): Promise<IApiResponse> {
		return this.json({ status: 200, content: { success: true } });
	}
}

/** Registers the two endpoints and nothing else. */
export class LivechatRoomsFloorApp extends App {
	constructor(info: IAppInfo, logger: ILogger, accessors: IAppAccessors) {
		super(info, logger, accessors);
	}

	protected async extendConfiguration(configuration: IConfigurationExtend, _environment: IEnvironmentRead): Promise<void> {
		await configuration.api.provideApi({
			visibility: ApiVisibility.PUBLIC,
			security: ApiSecurity.UNSECURE,
			endpoints: [new FloorEndpoint(this), new PingEndpoint(this)],
		});
	}
}
