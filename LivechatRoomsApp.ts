import { App } from '@rocket.chat/apps-engine/definition/App';
import type { IAppAccessors, IConfigurationExtend, IEnvironmentRead, ILogger } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiSecurity, ApiVisibility } from '@rocket.chat/apps-engine/definition/api';
import type { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';

import { LivechatRoomsCommand } from './src/command/LivechatRoomsCommand';
import { RoomsEndpoint } from './src/endpoint/RoomsEndpoint';
import { SETTINGS } from './src/engine/settings';

/** Registers the settings, the `rooms` endpoint and the `/livechat-rooms` command; everything else lives in `src/`. */
export class LivechatRoomsApp extends App {
	constructor(info: IAppInfo, logger: ILogger, accessors: IAppAccessors) {
		super(info, logger, accessors);
	}

	protected async extendConfiguration(configuration: IConfigurationExtend, _environment: IEnvironmentRead): Promise<void> {
		await Promise.all(SETTINGS.map((setting) => configuration.settings.provideSetting(setting)));
		await configuration.api.provideApi({
			visibility: ApiVisibility.PUBLIC,
			security: ApiSecurity.UNSECURE,
			endpoints: [new RoomsEndpoint(this)],
		});
		await configuration.slashCommands.provideSlashCommand(new LivechatRoomsCommand(this));
	}
}
