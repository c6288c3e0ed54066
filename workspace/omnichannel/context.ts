/**
 * What the omnichannel actions need from the workspace that receives a request. The cluster keeps one store (rooms,
 * users, departments) and one `OmnichannelState` (visitors, inquiries, messages, subscriptions) for every instance, as
 * the instances of a Rocket.Chat cluster share one MongoDB; `fire` is the only thing that belongs to the instance that
 * received the request: it runs the app's listener in that instance's runtime, and nowhere else.
 */
import type { StoredRoom, WorkspaceDepartment, WorkspaceUser } from '../data/types';
import type { OmnichannelState } from './state';

/** The shared room collection. Writes stamp `_updatedAt`, as Rocket.Chat's models do on every update. */
export interface OmnichannelRoomStore {
	/** The stored room with this id (any type), or undefined. */
	get(id: string): StoredRoom | undefined;
	/** Every stored room, in insertion order. */
	list(): readonly StoredRoom[];
	/** Appends a new room (the store stamps `_updatedAt`). */
	insert(room: StoredRoom): void;
	/** Sets and removes top-level fields of a room (the store stamps `_updatedAt`). */
	update(id: string, set: Record<string, unknown>, unset: readonly string[]): void;
	remove(id: string): void;
}

export interface OmnichannelContext {
	rooms: OmnichannelRoomStore;
	users: {
		byId(id: string): WorkspaceUser | undefined;
		all(): readonly WorkspaceUser[];
	};
	departments: {
		/** The department document; extra stored fields (`agents`, `routingMethod`, `ancestors`, `chatClosingTags`, ...) are read when present. */
		byId(id: string): WorkspaceDepartment | undefined;
		/** The department of this id, else of this name (`departmentByIdOrName`). */
		byIdOrName(idOrName: string): WorkspaceDepartment | undefined;
	};
	/** Visitors, inquiries, messages and subscriptions: shared by every instance, like the rooms. */
	omnichannel: OmnichannelState;
	/**
	 * Runs the app's listener for this event interface (e.g. `IPostLivechatRoomClosed`) in the runtime of the instance
	 * that received the request, and resolves when the listener has finished. (The engine's
	 * `AppListenerManager.executeListener` does not wait for `IPostMessageSent` and `IPostSystemMessageSent`: it starts
	 * `executePostMessageSent` / `executePostSystemMessageSent` and returns; to wait, call those two directly.)
	 */
	fire(interfaceName: string, payload: unknown): Promise<void>;
	/** A stored room as Rocket.Chat's full room converter (`convertRoom`) hands it to apps. */
	fullRoom(room: StoredRoom): unknown;
	/** A workspace user as Rocket.Chat's user converter hands it to apps. */
	appUser(user: WorkspaceUser): unknown;
	/** A department as Rocket.Chat's department converter hands it to apps, or undefined. */
	appDepartment(id: string): unknown;
	/** The clock (tests may pin it). */
	now?(): Date;
}

/** An HTTP request as the workspace's front parsed it. */
export interface OmnichannelRequest {
	method: string;
	pathname: string;
	/** The query string parsed by `qs`, as Express does. */
	query: Record<string, unknown>;
	/** The JSON body, parsed (undefined when there is none or it is not JSON). */
	body: unknown;
	/** The caller, authenticated by `X-User-Id` + `X-Auth-Token`. */
	user?: WorkspaceUser;
	headers: Record<string, string | string[] | undefined>;
}

export interface OmnichannelResponse {
	status: number;
	body: unknown;
}
