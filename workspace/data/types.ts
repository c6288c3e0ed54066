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
	/** Whether the agent takes livechats (Rocket.Chat's `statusLivechat`); an agent without it counts as available. */
	statusLivechat?: 'available' | 'not-available';
	/** Presence (Rocket.Chat's `status`); an `offline` agent is not routed to. Absent: online. */
	status?: 'online' | 'away' | 'busy' | 'offline' | 'disabled';
	/** `false`: a deactivated user, never routed to. Absent: active. */
	active?: boolean;
}

/** A livechat department, as the department reader hands it to an app (by id or by name). */
export interface WorkspaceDepartment {
	_id: string;
	name: string;
	enabled: boolean;
	/**
	 * The department's agents (Rocket.Chat keeps them in `rocketchat_livechat_department_agents`): user ids, or
	 * `{ agentId, ... }` records as that collection stores them. Absent: every livechat agent serves the department.
	 */
	agents?: Array<string | { agentId: string; [key: string]: unknown }>;
	/** How its inquiries are routed (Rocket.Chat's `Livechat_Routing_Method`, per department here). Absent: `Auto_Selection`. */
	routingMethod?: 'Auto_Selection' | 'Manual_Selection';
	/** Parent department ids (enterprise); copied to a room's `departmentAncestors`. */
	ancestors?: string[];
	/** Tags an agent may pick when closing a chat of this department. */
	chatClosingTags?: string[];
	/** `true`: a chat of this department cannot be closed without tags. */
	requestTagBeforeClosingChat?: boolean;
	/** `true`: a forward to this department is accepted (and queued) when none of its agents is online. */
	allowReceiveForwardOffline?: boolean;
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
