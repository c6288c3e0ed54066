/** The one place the front doors' sources are wired to the engine: the endpoint and the command both call this. */
import type { ILogger, IRead } from '@rocket.chat/apps-engine/definition/accessors';

import type { Sources } from '../ports';
import { engineDepartments, readEnabledDepartments, readSiteUrl } from './readers';
import type { RoomIndexKeeper } from './RoomIndexKeeper';
import { readAccessRoles } from './settings';

export function wireSources(read: IRead, logger: ILogger, rooms: RoomIndexKeeper): Sources {
	return {
		roles: () => readAccessRoles(read),
		rooms: { current: () => rooms.current(read) },
		departments: engineDepartments(read),
		enabledDepartments: () => readEnabledDepartments(read),
		siteUrl: () => readSiteUrl(read, logger),
		logError: (message, error) => logger.error(message, error),
	};
}
