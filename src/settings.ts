/** The app's settings: ids in one place, labels in `i18n/<language>.json`. */
import { SettingType } from '@rocket.chat/apps-engine/definition/settings';
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';

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
