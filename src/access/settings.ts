/** Reads the two role settings through the engine (the app's own settings need no permission). */
import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';

import { DEFAULT_ALL_ROOMS_ROLES, DEFAULT_OWN_ROOMS_ROLES, SETTING_ALL_ROOMS_ROLES, SETTING_OWN_ROOMS_ROLES } from '../settings';
import type { AccessRoles } from './access';
import { parseRoles } from './access';

async function setting(read: IRead, id: string, fallback: string): Promise<unknown> {
	try {
		const value = await read.getEnvironmentReader().getSettings().getValueById(id);
		return value === undefined || value === null ? fallback : value;
	} catch {
		return fallback;
	}
}

export async function readAccessRoles(read: IRead): Promise<AccessRoles> {
	const [allRooms, ownRooms] = await Promise.all([
		setting(read, SETTING_ALL_ROOMS_ROLES, DEFAULT_ALL_ROOMS_ROLES),
		setting(read, SETTING_OWN_ROOMS_ROLES, DEFAULT_OWN_ROOMS_ROLES),
	]);
	return { allRooms: parseRoles(allRooms), ownRooms: parseRoles(ownRooms) };
}
