/**
 * What the local workspace is loaded with: the users who may call it, the livechat departments, and the rooms as
 * Rocket.Chat stores them. This is the shape of a data file once it is parsed and validated, and of the demo data.
 */

/** A workspace user: who may call the app's endpoint and run its slash command. */
export interface WorkspaceUser {
	_id: string;
	username: string;
	name: string;
	/** Rocket.Chat role ids, e.g. `user`, `livechat-agent`, `livechat-manager`, `livechat-monitor`, `admin`. */
	roles: string[];
	/** The login token sent as `X-Auth-Token` together with `X-User-Id: <_id>`. */
	authToken: string;
}

/** A livechat department, as the department reader hands it to an app (by id or by name). */
export interface WorkspaceDepartment {
	_id: string;
	name: string;
	enabled: boolean;
}

/**
 * A room document exactly as it sits in Rocket.Chat's `rocketchat_room` collection, of any type (`l`, `c`, `p`, `d`,
 * ...): `_id` and `t` are always strings, dates are `Date` objects, fields with no value are absent.
 */
export type StoredRoom = Record<string, unknown>;

/** Everything the workspace holds; rooms in insertion order (MongoDB's natural order). */
export interface WorkspaceData {
	users: WorkspaceUser[];
	departments: WorkspaceDepartment[];
	rooms: StoredRoom[];
}
