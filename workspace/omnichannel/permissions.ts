/**
 * Rocket.Chat's default permission table (its `upsertPermissions` startup list, 7.x/8.x), for the permissions the
 * omnichannel actions check. Agents may close, put on hold and save the rooms they serve; forwarding, acting on rooms
 * served by others and deleting rooms belong to managers (and monitors, and admins, as listed).
 */
import type { WorkspaceUser } from '../data/types';

const DEFAULT_ROLES: Readonly<Record<string, readonly string[]>> = {
	'view-l-room': ['livechat-manager', 'livechat-monitor', 'livechat-agent', 'admin'],
	'view-livechat-rooms': ['livechat-manager', 'livechat-monitor', 'admin'],
	'close-livechat-room': ['livechat-manager', 'livechat-monitor', 'livechat-agent', 'admin'],
	'close-others-livechat-room': ['livechat-manager', 'livechat-monitor', 'admin'],
	'on-hold-livechat-room': ['livechat-manager', 'livechat-monitor', 'livechat-agent', 'admin'],
	'on-hold-others-livechat-room': ['livechat-manager', 'livechat-monitor', 'admin'],
	'save-others-livechat-room-info': ['livechat-manager', 'livechat-monitor'],
	'edit-livechat-room-customfields': ['livechat-manager', 'livechat-monitor', 'livechat-agent', 'admin'],
	'transfer-livechat-guest': ['livechat-manager', 'livechat-monitor', 'admin'],
	'remove-closed-livechat-room': ['livechat-manager', 'admin'],
	'remove-closed-livechat-rooms': ['livechat-manager', 'livechat-monitor', 'admin'],
};

export function hasPermission(user: WorkspaceUser, permission: string): boolean {
	const roles = DEFAULT_ROLES[permission];
	return roles ? user.roles.some((role) => roles.includes(role)) : false;
}

/** A user Rocket.Chat would consider a livechat agent (role `livechat-agent`). */
export function isAgent(user: WorkspaceUser): boolean {
	return user.roles.includes('livechat-agent');
}
