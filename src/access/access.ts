/**
 * Who may see what. Rocket.Chat grants `view-livechat-rooms` (every room) and `view-l-room` (one's own rooms); an app
 * cannot read the permission table, so the decision is taken from the caller's roles against two settings that start
 * from Rocket.Chat's defaults.
 */
import type { QueryError, RoomQuery } from '../query/RoomQuery';

export interface Caller {
	readonly id: string;
	readonly username: string;
	readonly roles: readonly string[];
}

export interface AccessRoles {
	/** Roles that may list every livechat room. */
	readonly allRooms: ReadonlySet<string>;
	/** Roles that may list the rooms they serve. */
	readonly ownRooms: ReadonlySet<string>;
}

/** `all`: every room; `own`: only rooms the caller serves; `none`: nothing. */
export type Scope = 'all' | 'own' | 'none';

export const FORBIDDEN: QueryError = { status: 403, error: 'unauthorized' };

/** A setting's comma-separated role list (`"admin, livechat-manager"`) as a set; blanks ignored. */
export function parseRoles(value: unknown): ReadonlySet<string> {
	if (typeof value !== 'string') return new Set();
	return new Set(
		value
			.split(',')
			.map((role) => role.trim())
			.filter(Boolean),
	);
}

export function scopeOf(caller: Caller, roles: AccessRoles): Scope {
	if (caller.roles.some((role) => roles.allRooms.has(role))) return 'all';
	if (caller.roles.some((role) => roles.ownRooms.has(role))) return 'own';
	return 'none';
}

/** Whether a list of agents names the caller and nobody else (by id or by username). */
export function namesOnlyCaller(caller: Caller, agents: readonly string[] | undefined): boolean {
	return Boolean(agents && agents.length > 0 && agents.every((agent) => agent === caller.id || agent === caller.username));
}

/**
 * The endpoint's rule, as upstream's: every room with `view-livechat-rooms`; with only `view-l-room`, the request
 * must ask for the caller's own rooms (`agents` naming exactly the caller); otherwise 403.
 */
export function endpointRefusal(caller: Caller, scope: Scope, agents: readonly string[] | undefined): QueryError | undefined {
	if (scope === 'all') return undefined;
	if (scope === 'own' && namesOnlyCaller(caller, agents)) return undefined;
	return FORBIDDEN;
}

/**
 * The query as the caller may run it. All-rooms callers run it as asked. For own-rooms callers, whose `agents` named
 * only themself, the list gives way to the scope: the rooms they serve, by user id (`servedById`).
 */
export function withinScope(query: RoomQuery, caller: Caller, scope: Scope): RoomQuery {
	if (scope === 'all') return query;
	const { agents: _named, ...rest } = query;
	return { ...rest, servedById: caller.id };
}

/** The command's `agents` once the caller is known: `me` replaced, and scoped to the caller unless they see all rooms. */
export type AgentsDecision = { readonly ok: true; readonly agents?: string[] } | { readonly ok: false; readonly message: string };

/** The command's refusal for a caller whose roles list no rooms at all. */
export const REFUSE_NONE = "You may not list livechat rooms: none of your roles is allowed to (see the app's role settings).";
/** The command's refusal for an own-rooms caller who names another agent. */
export const REFUSE_OTHERS = 'You may only list your own rooms: leave agent out, or write agent=me.';

/**
 * The command's rule: `all` sees what it asks for; `own` is held to its own rooms (implied when no agent is named,
 * refused when another agent is); `none` is refused. `named` are the agents typed, `me` whether `agent=me` was.
 */
export function agentsFor(caller: Caller, scope: Scope, named: readonly string[] | undefined, me: boolean): AgentsDecision {
	if (scope === 'none') return { ok: false, message: REFUSE_NONE };
	const listed = [...(named ?? []), ...(me ? [caller.id] : [])];
	if (scope === 'all') return { ok: true, agents: listed.length > 0 ? listed : undefined };
	if (listed.length === 0) return { ok: true, agents: [caller.id] };
	return namesOnlyCaller(caller, listed) ? { ok: true, agents: listed } : { ok: false, message: REFUSE_OTHERS };
}
