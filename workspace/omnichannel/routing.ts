/**
 * Rocket.Chat's routing of livechat inquiries (`QueueManager`, `RoutingManager`, `Helper.ts`), as far as the actions
 * need it.
 *
 * Routing method: Rocket.Chat's setting `Livechat_Routing_Method`, default `Auto_Selection` (the least busy available
 * agent is assigned at once; `autoAssignAgent`). `Manual_Selection` leaves the inquiry `queued` until an agent takes
 * it. Rocket.Chat has one method for the whole server; the workspace reads it per department, from the department's
 * `routingMethod` field when present (rooms without a department use `Auto_Selection`).
 *
 * Agents: users with the role `livechat-agent`, available unless their stored `statusLivechat` is `not-available` or
 * their `status` is `offline`. A department's agents are the ids in its `agents` field when present, otherwise every
 * agent. `Auto_Selection` picks the available agent of the department serving the fewest open rooms, ties broken by
 * username (Rocket.Chat's `getNextLeastBusyAgent`).
 */
import type { StoredRoom, WorkspaceDepartment, WorkspaceUser } from '../data/types';
import type { OmnichannelContext } from './context';
import { saveSystemMessage } from './messages';
import type { Inquiry } from './state';
import { isAgent } from './permissions';
import { now } from './messages';
import { updateRoom } from './update';
import type { Doc } from '../loose';

export type RoutingMethod = 'Auto_Selection' | 'Manual_Selection';

/** The department a room or an inquiry names, when it names one that exists. */
export function departmentOf(ctx: OmnichannelContext, departmentId: unknown): WorkspaceDepartment | undefined {
	return typeof departmentId === 'string' ? ctx.departments.byId(departmentId) : undefined;
}

export function routingMethod(ctx: OmnichannelContext, departmentId: unknown): RoutingMethod {
	const department = departmentOf(ctx, departmentId);
	return department?.routingMethod === 'Manual_Selection' ? 'Manual_Selection' : 'Auto_Selection';
}

export function isAvailable(user: WorkspaceUser): boolean {
	return isAgent(user) && user.statusLivechat !== 'not-available' && user.status !== 'offline' && user.active !== false;
}

/** The agents of a department (every agent when the department lists none, or when there is no department). */
export function departmentAgents(ctx: OmnichannelContext, departmentId: unknown): WorkspaceUser[] {
	const agents = departmentOf(ctx, departmentId)?.agents;
	const listed = Array.isArray(agents) ? agents.map((a) => (typeof a === 'string' ? a : a?.agentId)) : undefined;
	return ctx.users.all().filter((user) => isAgent(user) && (!listed || listed.includes(user._id)));
}

export function onlineAgents(ctx: OmnichannelContext, departmentId: unknown): WorkspaceUser[] {
	return departmentAgents(ctx, departmentId).filter(isAvailable);
}

/** `getNextLeastBusyAgent`: the available agent of the department serving the fewest open rooms. */
export function nextAgent(ctx: OmnichannelContext, departmentId: unknown, ignoreAgentId?: string): WorkspaceUser | undefined {
	const load = new Map<string, number>();
	for (const room of ctx.rooms.list()) {
		const servedBy = room.servedBy as Doc | undefined;
		if (room.t === 'l' && room.open === true && typeof servedBy?._id === 'string') load.set(servedBy._id, (load.get(servedBy._id) ?? 0) + 1);
	}
	const candidates = onlineAgents(ctx, departmentId).filter((user) => user._id !== ignoreAgentId);
	candidates.sort((a, b) => (load.get(a._id) ?? 0) - (load.get(b._id) ?? 0) || (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
	return candidates[0];
}

/**
 * The room's inquiry. Rocket.Chat keeps one for every open livechat room (`taken` once served); rooms loaded from a
 * data file come without one, so the workspace creates it the first time an action needs it, as it would be stored.
 */
export function inquiryOf(ctx: OmnichannelContext, room: StoredRoom): Inquiry | undefined {
	const existing = ctx.omnichannel.inquiryByRoomId(room._id as string);
	if (existing || room.open !== true) return existing;
	const v = (room.v ?? {}) as Doc;
	const inquiry: Inquiry = {
		_id: `inq-${room._id as string}`,
		rid: room._id as string,
		name: room.fname,
		ts: room.ts,
		message: '',
		status: room.servedBy ? 'taken' : 'queued',
		v: { _id: v._id, username: v.username, token: v.token, status: v.status },
		t: 'l',
		...(room.departmentId !== undefined && { department: room.departmentId }),
		...(room.source !== undefined && { source: room.source }),
		...(room.servedBy ? { takenAt: (room.servedBy as Doc).ts } : { queuedAt: room.queuedAt ?? room.ts }),
		_updatedAt: room._updatedAt,
	};
	ctx.omnichannel.inquiries.set(inquiry._id, inquiry);
	return inquiry;
}

/** The serving agent of a room loaded from a data file is subscribed to it, as Rocket.Chat would have made them. */
export function ensureSubscriptions(ctx: OmnichannelContext, room: StoredRoom): void {
	const rid = room._id as string;
	const servedBy = room.servedBy as Doc | undefined;
	if (!ctx.omnichannel.subscriptions.has(rid) && room.open === true && typeof servedBy?._id === 'string') ctx.omnichannel.subscribe(rid, servedBy._id);
}

function ownerOf(user: WorkspaceUser): { _id: string; username: string; name: string } {
	return { _id: user._id, username: user.username, name: user.name };
}

/**
 * `RoutingManager.takeInquiry` then `assignAgent`: the inquiry becomes `taken`; the agent is subscribed; the room's
 * `servedBy` becomes `{_id, username, ts}` and `usersCount` grows by one; the system messages `command` (`connected`)
 * and `uj` are saved; then `IPostLivechatAgentAssigned` with `{room, agent}` (the room read after the change;
 * Rocket.Chat does not await it). Nothing happens when the room is closed or already served by that agent.
 */
export async function takeInquiry(ctx: OmnichannelContext, inquiry: Inquiry, agent: WorkspaceUser, room: StoredRoom): Promise<StoredRoom> {
	const rid = room._id as string;
	if (room.open !== true) return room;
	const servedBy = room.servedBy as Doc | undefined;
	if (servedBy && servedBy._id === agent._id) return room;
	const at = now(ctx);
	Object.assign(inquiry, { status: 'taken', takenAt: at, _updatedAt: at });
	delete inquiry.defaultAgent;
	delete inquiry.estimatedInactivityCloseTimeAt;
	delete inquiry.queuedAt;
	ctx.omnichannel.subscribe(rid, agent._id);
	updateRoom(ctx.rooms, rid, { $set: { servedBy: { _id: agent._id, username: agent.username, ts: at } } });
	updateRoom(ctx.rooms, rid, { $inc: { usersCount: 1 } });
	await saveSystemMessage(ctx, 'command', rid, 'connected', ownerOf(agent));
	await saveSystemMessage(ctx, 'uj', rid, '', ownerOf(agent));
	const after = ctx.rooms.get(rid) as StoredRoom;
	await ctx.fire('IPostLivechatAgentAssigned', { room: ctx.fullRoom(after), agent: ctx.appUser(agent) });
	return after;
}

/**
 * `removeAgentFromSubscription` for every subscriber but `keep`: the subscription goes, the system message `ul` is
 * saved, then `IPostLivechatAgentUnassigned` with `{room, agent}` (the room as read before the message; Rocket.Chat
 * triggers it in `setImmediate`, not awaited). `usersCount` is not decremented (Rocket.Chat does not).
 */
export async function removeAllRoomSubscriptions(ctx: OmnichannelContext, rid: string, keep?: string): Promise<void> {
	for (const userId of ctx.omnichannel.subscribers(rid)) {
		if (userId === keep) continue;
		const room = ctx.rooms.get(rid);
		const user = ctx.users.byId(userId);
		if (!room || !user) continue;
		ctx.omnichannel.unsubscribe(rid, userId);
		await saveSystemMessage(ctx, 'ul', rid, user.username, ownerOf(user));
		await ctx.fire('IPostLivechatAgentUnassigned', { room: ctx.fullRoom(room), agent: ctx.appUser(user) });
	}
}

/** `LivechatRooms.removeAgentByRoomId`: `queuedAt` set to now, `servedBy` removed. */
export function removeAgent(ctx: OmnichannelContext, rid: string): void {
	updateRoom(ctx.rooms, rid, { $set: { queuedAt: now(ctx) }, $unset: { servedBy: 1 } });
}

/** `LivechatInquiry.queueInquiry`: back to `queued`, with `queuedAt` now and the room's last message. */
export function queueInquiry(ctx: OmnichannelContext, inquiry: Inquiry, lastMessage?: unknown): void {
	const at = now(ctx);
	Object.assign(inquiry, { status: 'queued', queuedAt: at, _updatedAt: at, ...(lastMessage !== undefined && { lastMessage }) });
	delete inquiry.takenAt;
}
