/** The one place the front doors' sources are wired to the engine: the endpoint and the command both call this. */
import type { ILogger, IRead } from '@rocket.chat/apps-engine/definition/accessors';

import { scannedRooms } from '../scan/findRooms';
import type { Sources } from '../sources';
import { engineDepartments, engineRoomPages, readSiteUrl } from './readers';
import { readAccessRoles } from './settings';

export function engineSources(read: IRead, logger: ILogger): Sources {
	const departments = engineDepartments(read);
	return {
		roles: () => readAccessRoles(read),
		rooms: scannedRooms(engineRoomPages(read), departments),
		departments,
		siteUrl: () => readSiteUrl(read, logger),
		logError: (message, error) => logger.error(message, error),
	};
}
