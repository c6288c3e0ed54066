/** The app's settings: ids in one place, labels in `i18n/<language>.json`; and the role settings read back. */
import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { SettingType } from '@rocket.chat/apps-engine/definition/settings';
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';

import type { AccessRoles } from '../access/access';
import { parseRoles } from '../access/access';
import { WALK_BUDGET } from '../index/maintenance';
import type { IndexSettings } from './RoomIndexKeeper';

export const SETTING_ALL_ROOMS_ROLES = 'all_rooms_roles';
export const SETTING_OWN_ROOMS_ROLES = 'own_rooms_roles';
export const SETTING_INDEX_ENABLED = 'room_index_enabled';
export const SETTING_RECONCILE_MINUTES = 'room_index_reconcile_minutes';
export const SETTING_WALK_BUDGET = 'room_index_walk_budget';

/** The reconciliation interval: default, and the range a setting is held to. */
export const DEFAULT_RECONCILE_MINUTES = 15;
export const RECONCILE_MINUTES_RANGE = [1, 1440] as const;
/** Room-list entries the reconciliation may walk a day: default (the upkeep's own), and the range it is held to. */
export const DEFAULT_WALK_BUDGET = WALK_BUDGET;
export const WALK_BUDGET_RANGE = [1e6, 1e15] as const;

/** Rocket.Chat's defaults: `view-livechat-rooms` and `view-l-room` holders (monitors left out on purpose, see the README, "Settings"). */
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
	{
		id: SETTING_INDEX_ENABLED,
		type: SettingType.BOOLEAN,
		packageValue: true,
		required: false,
		public: false,
		i18nLabel: 'Setting_Room_Index_Enabled',
		i18nDescription: 'Setting_Room_Index_Enabled_Description',
	},
	{
		id: SETTING_RECONCILE_MINUTES,
		type: SettingType.NUMBER,
		packageValue: DEFAULT_RECONCILE_MINUTES,
		required: false,
		public: false,
		i18nLabel: 'Setting_Room_Index_Reconcile_Minutes',
		i18nDescription: 'Setting_Room_Index_Reconcile_Minutes_Description',
	},
	{
		id: SETTING_WALK_BUDGET,
		type: SettingType.NUMBER,
		packageValue: DEFAULT_WALK_BUDGET,
		required: false,
		public: false,
		i18nLabel: 'Setting_Room_Index_Walk_Budget',
		i18nDescription: 'Setting_Room_Index_Walk_Budget_Description',
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
	return parseRoles(await settingValue(read, id));
}

/** Both role settings; throws `SettingReadError` when either cannot be read. */
export async function readAccessRoles(read: IRead): Promise<AccessRoles> {
	const [allRooms, ownRooms] = await Promise.all([roleSetting(read, SETTING_ALL_ROOMS_ROLES), roleSetting(read, SETTING_OWN_ROOMS_ROLES)]);
	return { allRooms, ownRooms };
}

/** A setting's value; throws `SettingReadError` when it cannot be read or has none. */
async function settingValue(read: IRead, id: string): Promise<unknown> {
	let value: unknown;
	try {
		value = await read.getEnvironmentReader().getSettings().getValueById(id);
	} catch (error) {
		throw new SettingReadError(`the setting ${id} could not be read: ${error instanceof Error ? error.message : String(error)}`);
	}
	if (value === undefined || value === null) throw new SettingReadError(`the setting ${id} has no value`);
	return value;
}

/** A whole number held to a range; text that is no number: the default. */
function bounded(value: unknown, [low, high]: readonly [number, number], fallback: number): number {
	const number = Math.round(Number(value));
	return Number.isFinite(number) ? Math.min(high, Math.max(low, number)) : fallback;
}

/**
 * The index settings. Whether to answer from the index is read as given (`true`/`false`, or their text); the
 * reconciliation interval is a whole number of minutes held to 1..1440, the walk budget a whole number held to
 * 10^6..10^15 (text that is no number: the default).
 */
export async function readIndexSettings(read: IRead): Promise<IndexSettings> {
	const [enabled, minutes, budget] = await Promise.all([
		readIndexEnabled(read),
		settingValue(read, SETTING_RECONCILE_MINUTES),
		settingValue(read, SETTING_WALK_BUDGET),
	]);
	return {
		enabled,
		reconcileMinutes: bounded(minutes, RECONCILE_MINUTES_RANGE, DEFAULT_RECONCILE_MINUTES),
		walkBudget: bounded(budget, WALK_BUDGET_RANGE, DEFAULT_WALK_BUDGET),
	};
}

/** Whether requests are answered from the index: the one setting a request needs (one host call, not three). */
export async function readIndexEnabled(read: IRead): Promise<boolean> {
	const enabled = await settingValue(read, SETTING_INDEX_ENABLED);
	return enabled !== false && enabled !== 'false';
}
