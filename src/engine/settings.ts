/** The app's settings: ids in one place, labels in `i18n/<language>.json`; and the role settings read back. */
import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { SettingType } from '@rocket.chat/apps-engine/definition/settings';
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';

import type { AccessRoles } from '../access/access';
import { parseRoles } from '../access/access';

export const SETTING_ALL_ROOMS_ROLES = 'all_rooms_roles';
export const SETTING_OWN_ROOMS_ROLES = 'own_rooms_roles';

/** Rocket.Chat's defaults: `view-livechat-rooms` and `view-l-room` holders (monitors left out on purpose, see README). */
export const DEFAULT_ALL_ROOMS_ROLES = 'admin, livechat-manager';
export const DEFAULT_OWN_ROOMS_ROLES = 'admin, livechat-manager, livechat-monitor, livechat-agent';

export const SETTINGS: readonly ISetting[] = [
	{
		id: SETTING_ALL_ROOMS_ROLES,
		type: SettingType.STRING,
		packageValue: DEFAULT_ALL_ROOMS_ROLES,
		required: false,
		public: false,
		i18nLabel: 'Setting_All_Rooms_Roles',
		i18nDescription: 'Setting_All_Rooms_Roles_Description',
	},
	{
		id: SETTING_OWN_ROOMS_ROLES,
		type: SettingType.STRING,
		packageValue: DEFAULT_OWN_ROOMS_ROLES,
		required: false,
		public: false,
		i18nLabel: 'Setting_Own_Rooms_Roles',
		i18nDescription: 'Setting_Own_Rooms_Roles_Description',
	},
];

/** A role setting that cannot be read: the request is refused and the error logged, never answered with defaults. */
export class SettingReadError extends Error {}

/**
 * One role setting (the app's own settings need no permission). The engine already answers the package value for a
 * setting nobody changed, so a read that fails or finds no value at all is a failure: it throws, and the front door
 * refuses. Falling back to the defaults would widen roles an administrator narrowed.
 */
async function roleSetting(read: IRead, id: string): Promise<ReadonlySet<string>> {
	let value: unknown;
	try {
		value = await read.getEnvironmentReader().getSettings().getValueById(id);
	} catch (error) {
		throw new SettingReadError(`the setting ${id} could not be read: ${error instanceof Error ? error.message : String(error)}`);
	}
	if (value === undefined || value === null) throw new SettingReadError(`the setting ${id} has no value`);
	return parseRoles(value);
}

/** Both role settings; throws `SettingReadError` when either cannot be read. */
export async function readAccessRoles(read: IRead): Promise<AccessRoles> {
	const [allRooms, ownRooms] = await Promise.all([roleSetting(read, SETTING_ALL_ROOMS_ROLES), roleSetting(read, SETTING_OWN_ROOMS_ROLES)]);
	return { allRooms, ownRooms };
}
