/**
 * The omnichannel actions, each as Rocket.Chat 7.x/8.x performs it (facts taken from its source: the REST files of
 * `apps/meteor/app/livechat/server/api/v1` and `imports/server/rest`, `lib/QueueManager`, `lib/RoutingManager`,
 * `lib/Helper`, `lib/closeRoom`, `lib/rooms`, `lib/transfer`, `lib/takeInquiry`, the `LivechatRooms` model, and the
 * enterprise on-hold service), written in the workspace's own words.
 *
 * App events: Rocket.Chat triggers every livechat event without awaiting it (`void`, often inside `setImmediate` or
 * `process.nextTick`), on the instance that ran the action only, and answers the REST call without waiting for the
 * app. The workspace awaits each listener before going on and before answering, so that a test sees the events of a
 * call once the call has answered; the order of the events is the order in which Rocket.Chat queues them.
 */
import type { StoredRoom, WorkspaceUser } from '../data/types';
import { convertVisitor } from '../engine/fullConverter';
import type { OmnichannelContext } from './context';
import { failure, forbidden, meteorError, plainError } from './errors';
import type { Owner } from './messages';
import { now, saveAgentMessage, saveSystemMessage, saveVisitorMessage } from './messages';
import { hasPermission } from './permissions';
import {
	ensureSubscriptions,
	inquiryOf,
	isAvailable,
	nextAgent,
	onlineAgents,
	queueInquiry,
	removeAgent,
	removeAllRoomSubscriptions,
	routingMethod,
	takeInquiry,
	departmentAgents,
} from './routing';
import type { Inquiry, Message, Visitor } from './state';
import { objectId, randomId } from './state';
import { updateRoom } from './update';
import { isDate } from '../engine/dates';

type Any = Record<string, unknown>;

/** `LivechatPriorityWeight.NOT_SPECIFIED` and `DEFAULT_SLA_CONFIG.ESTIMATED_WAITING_TIME_QUEUE`, stamped on new rooms and inquiries. */
const PRIORITY_WEIGHT_NOT_SPECIFIED = 99;
const ESTIMATED_WAITING_TIME_QUEUE = 9999999;

function livechatRoom(ctx: OmnichannelContext, id: unknown): StoredRoom | undefined {
	if (typeof id !== 'string') return undefined;
	const room = ctx.rooms.get(id);
	return room && room.t === 'l' ? room : undefined;
}

function owner(user: WorkspaceUser): Owner {
	return { _id: user._id, username: user.username, name: user.name };
}

/** The visitor record of a room (rooms from a data file carry their visitor in `v` only: that stands for the record). */
function visitorOf(ctx: OmnichannelContext, room: StoredRoom): Visitor | undefined {
	const v = (room.v ?? {}) as Any;
	if (typeof v._id !== 'string') return undefined;
	return ctx.omnichannel.visitorById(v._id) ?? ({ ...v, _id: v._id } as Visitor);
}

// ---------------------------------------------------------------------------------------------------------------
// Visitors

export interface VisitorParams {
	token: string;
	id?: string;
	name?: string;
	email?: string;
	department?: string;
	phone?: string;
	username?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * `POST /api/v1/livechat/visitor` (`registerGuest`): finds the visitor by token (else by phone, else by email) and
 * updates it, or creates it with the next `guest-N` username. A department is looked up by id or name and must
 * exist (`error-invalid-department`). Open rooms of the visitor then take the visitor's name as `fname`
 * (`updateRoomsInfoFromVisitorUpdate`; no app event). Answers `{visitor}`.
 */
export function registerVisitor(ctx: OmnichannelContext, params: VisitorParams): Visitor {
	const { token, id, name, email, department, phone, username } = params;
	const at = now(ctx);
	const update: Any = { token, status: 'online', ...(phone && { phone: [{ phoneNumber: phone }] }), ...(name && { name }) };
	let address: string | undefined;
	if (email) {
		address = email.trim().toLowerCase();
		if (!EMAIL.test(address)) throw meteorError('error-invalid-email', `Invalid email ${address}`);
		update.visitorEmails = [{ address }];
	}
	const existing = ctx.omnichannel.visitorByToken(token);
	if (department && existing?.department !== department) {
		const found = ctx.departments.byId(department) ?? (ctx.departments.all?.() ?? []).find((d) => d.name === department);
		if (!found) throw meteorError('error-invalid-department', 'The provided department is invalid');
		update.department = found._id;
	}
	let target: Visitor | undefined = existing;
	if (!target && phone)
		target = [...ctx.omnichannel.visitors.values()].find((v) => ((v.phone as Any[] | undefined) ?? []).some((p) => p.phoneNumber === phone));
	if (target && !existing) update.token = target.token;
	if (!target && address)
		target = [...ctx.omnichannel.visitors.values()].find((v) => ((v.visitorEmails as Any[] | undefined) ?? []).some((e) => e.address === address));
	let visitor: Visitor;
	if (target) {
		visitor = { ...target, ...update, _updatedAt: at } as Visitor;
	} else {
		visitor = {
			_id: id || randomId(),
			...update,
			username: username || ctx.omnichannel.nextVisitorUsername(),
			status: 'online',
			ts: at,
			_updatedAt: at,
		} as unknown as Visitor;
	}
	ctx.omnichannel.saveVisitor(visitor);
	if (typeof visitor.name === 'string' && visitor.name.trim()) {
		for (const room of ctx.rooms.list()) {
			const v = room.v as Any | undefined;
			if (room.t === 'l' && room.open === true && v?.token === visitor.token && room.fname !== visitor.name) {
				updateRoom(ctx.rooms, room._id as string, { $set: { fname: visitor.name } });
				const inquiry = ctx.omnichannel.inquiryByRoomId(room._id as string);
				if (inquiry) inquiry.name = visitor.name;
			}
		}
	}
	return visitor;
}

// ---------------------------------------------------------------------------------------------------------------
// Starting a room

/**
 * `GET /api/v1/livechat/room?token=` without `rid`: the visitor's open room when there is one (`newRoom: false`),
 * otherwise a new room (`createRoom` -> `QueueManager.requestRoom`):
 * - department: the visitor's, kept when it has an available agent (no fallback department is modelled); with the
 *   setting `Livechat_accept_chats_with_no_agents` off (the default), no available agent answers
 *   `no-agent-online` ("Sorry, no online agents");
 * - the room is inserted as `prepareLivechatRoom` builds it: `msgs: 0`, `usersCount: 1`, `lm`/`ts`/`queuedAt` now,
 *   `fname` the contact's name (the visitor's name, else username), `t: 'l'`, `departmentId`, `v {_id, username,
 *   token, status}`, `contactId`, `cl: false`, `open: true`, `waitingResponse: true`, `verified: false`,
 *   `source {type: 'api'}`, `priorityWeight`, `estimatedWaitingTimeQueue`; (`departmentAncestors` when the
 *   department has `ancestors`, as the enterprise hooks add them);
 * - its inquiry is created `ready` (auto-assigning routing) or `queued` (manual selection);
 * - the system message `livechat-started` is saved (owner: the visitor, with its token);
 * - `IPostLivechatRoomStarted` with the room as inserted (full conversion; before any agent is assigned);
 * - a `ready` inquiry is delegated: the agent asked for with `agentId` when available, else the least busy available
 *   agent takes it (see `takeInquiry`); with no agent available it stays `ready` and the room unserved.
 * Answers `{room, newRoom: true}` with the room as stored afterwards.
 */
export async function startRoom(ctx: OmnichannelContext, visitor: Visitor, agentId?: string): Promise<{ room: StoredRoom; newRoom: boolean }> {
	const open = ctx.rooms.list().find((room) => room.t === 'l' && room.open === true && (room.v as Any | undefined)?.token === visitor.token);
	if (open) return { room: open, newRoom: false };

	const requested = typeof visitor.department === 'string' ? visitor.department : undefined;
	const departmentId = requested && onlineAgents(ctx, requested).length > 0 ? requested : undefined;
	if (requested && !departmentId) throw meteorError('no-agent-online', 'Sorry, no online agents');
	if (!requested && onlineAgents(ctx, undefined).length === 0) throw meteorError('no-agent-online', 'Sorry, no online agents');

	const at = now(ctx);
	const rid = randomId();
	let contactId = ctx.omnichannel.contacts.get(visitor._id);
	if (!contactId) {
		contactId = objectId();
		ctx.omnichannel.contacts.set(visitor._id, contactId);
	}
	const department = departmentId ? (ctx.departments.byId(departmentId) as Any | undefined) : undefined;
	const ancestors = Array.isArray(department?.ancestors) && (department?.ancestors as unknown[]).length ? department?.ancestors : undefined;
	const room: StoredRoom = {
		_id: rid,
		msgs: 0,
		usersCount: 1,
		lm: at,
		fname: (visitor.name as string | undefined) || visitor.username,
		t: 'l',
		ts: at,
		...(departmentId && { departmentId }),
		v: { _id: visitor._id, username: visitor.username, token: visitor.token, status: visitor.status ?? 'online' },
		contactId,
		cl: false,
		open: true,
		waitingResponse: true,
		verified: false,
		source: { type: 'api' },
		queuedAt: at,
		priorityWeight: PRIORITY_WEIGHT_NOT_SPECIFIED,
		estimatedWaitingTimeQueue: ESTIMATED_WAITING_TIME_QUEUE,
		...(ancestors && { departmentAncestors: ancestors }),
	};
	ctx.rooms.insert(room);
	const inserted = ctx.rooms.get(rid) as StoredRoom;
	const method = routingMethod(ctx, departmentId);
	const inquiry: Inquiry = {
		_id: objectId(),
		rid,
		name: room.fname,
		ts: at,
		...(departmentId && { department: departmentId }),
		message: '',
		status: method === 'Auto_Selection' ? 'ready' : 'queued',
		// A queued inquiry carries `queuedAt` (Rocket.Chat's own tests of `inquiries.getOne` expect it).
		...(method === 'Manual_Selection' && { queuedAt: at }),
		v: { _id: visitor._id, username: visitor.username, token: visitor.token, status: visitor.status ?? 'online' },
		t: 'l',
		priorityWeight: PRIORITY_WEIGHT_NOT_SPECIFIED,
		estimatedWaitingTimeQueue: ESTIMATED_WAITING_TIME_QUEUE,
		source: { type: 'api' },
		_updatedAt: at,
	};
	ctx.omnichannel.inquiries.set(inquiry._id, inquiry);

	await saveSystemMessage(ctx, 'livechat-started', rid, '', { _id: visitor._id, username: visitor.username }, { groupable: false, token: visitor.token });
	await ctx.fire('IPostLivechatRoomStarted', ctx.fullRoom(inserted));

	if (inquiry.status === 'ready') {
		// `delegateInquiry`: the requested agent when available, otherwise the routing method's choice.
		const requestedAgent = agentId ? ctx.users.byId(agentId) : undefined;
		const agent = requestedAgent && isAvailable(requestedAgent) ? requestedAgent : nextAgent(ctx, departmentId);
		if (agent) await takeInquiry(ctx, inquiry, agent, ctx.rooms.get(rid) as StoredRoom);
	}
	return { room: ctx.rooms.get(rid) as StoredRoom, newRoom: true };
}

// ---------------------------------------------------------------------------------------------------------------
// Messages

/**
 * `POST /api/v1/livechat/message`: the visitor (by token, `invalid-token`) writes in its room (by id and token,
 * `invalid-room`; closed: `room-closed`). See `saveVisitorMessage` for what the room gets. A room on hold is resumed
 * by the visitor's message (the enterprise hook, as `rocket.cat`): see `resumeRoom`. Answers `{message}`.
 */
export async function visitorMessage(ctx: OmnichannelContext, params: { token: string; rid: string; msg: string; _id?: string }): Promise<Message> {
	const visitor = ctx.omnichannel.visitorByToken(params.token);
	if (!visitor) throw plainError('invalid-token');
	const room = livechatRoom(ctx, params.rid);
	if (!room || (room.v as Any | undefined)?.token !== params.token) throw plainError('invalid-room');
	if (room.open !== true) throw plainError('room-closed');
	const ts = now(ctx);
	const message: Message = {
		_id: params._id || randomId(),
		rid: room._id as string,
		msg: params.msg,
		token: params.token,
		...(typeof visitor.name === 'string' && visitor.name && { alias: visitor.name }),
		ts,
		u: { _id: visitor._id, username: visitor.username, ...(typeof visitor.name === 'string' && { name: visitor.name }) },
		_updatedAt: ts,
	};
	await saveVisitorMessage(ctx, room, message);
	const after = ctx.rooms.get(room._id as string) as StoredRoom;
	if (after.onHold === true) {
		// The enterprise hook `livechat-resume-on-hold`: resumed by the system user `rocket.cat`; its failures are
		// logged and swallowed, never answered.
		const guest = (visitor.name as string | undefined) || visitor.username;
		const comment = `The chat was automatically resumed from On Hold upon receiving a new message from ${guest}`;
		await resumeRoom(ctx, after, comment, { _id: 'rocket.cat', username: 'rocket.cat', name: 'Rocket.Cat' }).catch(() => undefined);
	}
	return message;
}

/**
 * `POST /api/v1/chat.sendMessage` in a livechat room: the user must be able to access the room (`canAccessRoom`'s
 * livechat rule: the serving agent, a subscriber, or `view-livechat-rooms`), else `error-not-allowed`. See
 * `saveAgentMessage`. Answers `{message}`.
 */
export async function agentMessage(ctx: OmnichannelContext, user: WorkspaceUser, params: { rid: string; msg: string; _id?: string }): Promise<Message> {
	const room = ctx.rooms.get(params.rid);
	if (!room) throw meteorError('error-invalid-room', 'Invalid room');
	if (room.t !== 'l') throw meteorError('error-not-allowed', 'Not allowed');
	ensureSubscriptions(ctx, room);
	const servedBy = room.servedBy as Any | undefined;
	const canAccess = servedBy?._id === user._id || ctx.omnichannel.isSubscribed(room._id as string, user._id) || hasPermission(user, 'view-livechat-rooms');
	if (!canAccess) throw meteorError('error-not-allowed', 'Not allowed');
	const ts = now(ctx);
	const message: Message = {
		_id: params._id || randomId(),
		rid: room._id as string,
		msg: params.msg,
		ts,
		u: { _id: user._id, username: user.username, name: user.name },
		_updatedAt: ts,
	};
	await saveAgentMessage(ctx, room, message);
	return message;
}

// ---------------------------------------------------------------------------------------------------------------
// Inquiries

/** `GET /api/v1/livechat/inquiries.getOne?roomId=`: the room's inquiry, or null (closed and deleted rooms have none). */
export function getInquiry(ctx: OmnichannelContext, roomId: string): Inquiry | null {
	const room = livechatRoom(ctx, roomId);
	if (room) return inquiryOf(ctx, room) ?? null;
	return ctx.omnichannel.inquiryByRoomId(roomId) ?? null;
}

/**
 * `POST /api/v1/livechat/inquiries.take` (`takeInquiry`): the inquiry must exist (`error-not-found`) and not be
 * taken (`error-inquiry-taken`); the taker must be an available agent (`error-agent-status-service-offline`). Then
 * `RoutingManager.takeInquiry` (see `routing.takeInquiry`). Answers `{}` (Rocket.Chat returns nothing as `inquiry`).
 */
export async function takeInquiryAction(ctx: OmnichannelContext, taker: WorkspaceUser, inquiryId: string): Promise<void> {
	const inquiry = ctx.omnichannel.inquiries.get(inquiryId);
	if (!inquiry) throw meteorError('error-not-found', 'Inquiry not found');
	if (inquiry.status === 'taken') throw meteorError('error-inquiry-taken', 'Inquiry already taken');
	if (!isAvailable(taker)) throw meteorError('error-agent-status-service-offline', 'Agent status is offline or Omnichannel service is not active');
	const room = livechatRoom(ctx, inquiry.rid);
	if (!room) throw meteorError('error-mac-limit-reached');
	await takeInquiry(ctx, inquiry, taker, room);
}

// ---------------------------------------------------------------------------------------------------------------
// Forwarding

interface TransferData {
	roomId: string;
	userId?: string;
	departmentId?: string;
	comment?: string;
	clientAction?: boolean;
	transferredBy: Any;
	transferredTo?: Any;
	department?: { _id: string; name: string };
	scope?: string;
}

/** `saveTransferHistory`: the system message `livechat_transfer_history` with the transfer's data. */
async function saveTransferHistory(ctx: OmnichannelContext, room: StoredRoom, data: TransferData): Promise<void> {
	const previousDepartment = room.departmentId;
	const scope = data.scope || (data.department ? 'department' : 'agent');
	const transferData: Any = {
		transferredBy: data.transferredBy,
		ts: now(ctx),
		scope,
		...(data.comment !== undefined && { comment: data.comment }),
		...(previousDepartment !== undefined && { previousDepartment }),
		...(data.department && { nextDepartment: data.department }),
		...(data.transferredTo && { transferredTo: data.transferredTo }),
	};
	await saveSystemMessage(
		ctx,
		'livechat_transfer_history',
		room._id as string,
		'',
		{ _id: data.transferredBy._id as string, username: data.transferredBy.username as string },
		{ transferData },
	);
}

/**
 * `updateChatDepartment`: the room's and the inquiry's `departmentId`, the enterprise `departmentAncestors` (set from
 * the department's `ancestors`, else removed), then `IPostLivechatRoomTransferred` `{type: 'department', room, from,
 * to}` (room read by id, departments converted by id; `from` undefined when the room had none).
 */
async function updateChatDepartment(ctx: OmnichannelContext, rid: string, newDepartmentId: string, oldDepartmentId: unknown): Promise<void> {
	updateRoom(ctx.rooms, rid, { $set: { departmentId: newDepartmentId } });
	const inquiry = ctx.omnichannel.inquiryByRoomId(rid);
	if (inquiry) inquiry.department = newDepartmentId;
	const department = ctx.departments.byId(newDepartmentId) as Any | undefined;
	const ancestors = Array.isArray(department?.ancestors) && (department?.ancestors as unknown[]).length ? department?.ancestors : undefined;
	updateRoom(ctx.rooms, rid, ancestors ? { $set: { departmentAncestors: ancestors } } : { $unset: { departmentAncestors: 1 } });
	await ctx.fire('IPostLivechatRoomTransferred', {
		type: 'department',
		room: ctx.fullRoom(ctx.rooms.get(rid) as StoredRoom),
		from: typeof oldDepartmentId === 'string' ? ctx.appDepartment(oldDepartmentId) : undefined,
		to: ctx.appDepartment(newDepartmentId),
	});
}

/**
 * `RoutingManager.unassignAgent(inquiry, departmentId, shouldQueue = true)`: a new department is written first
 * (`updateChatDepartment`), the inquiry goes back to `queued`, and a served room loses its agent
 * (`removeAgentByRoomId`: `queuedAt` now, `servedBy` removed) and every subscriber (`ul` + `IPostLivechatAgentUnassigned`).
 */
async function unassignAgent(ctx: OmnichannelContext, inquiry: Inquiry, departmentId: string | undefined): Promise<boolean> {
	const room = ctx.rooms.get(inquiry.rid);
	if (!room || room.open !== true) return false;
	if (departmentId && departmentId !== inquiry.department) {
		await updateChatDepartment(ctx, inquiry.rid, departmentId, inquiry.department);
		inquiry.department = departmentId;
	}
	queueInquiry(ctx, inquiry, room.lastMessage);
	if (room.servedBy) {
		removeAgent(ctx, inquiry.rid);
		await removeAllRoomSubscriptions(ctx, inquiry.rid);
	}
	return true;
}

/**
 * `forwardRoomToAgent`: the target must be an available agent (`error-user-is-offline`), the room must have an
 * inquiry (`error-invalid-inquiry`) and another agent (`error-selected-agent-room-agent-are-same`). The agent takes
 * the inquiry (servedBy, usersCount + 1, `connected` + `uj`, `IPostLivechatAgentAssigned`), the transfer is recorded
 * (`livechat_transfer_history`), the previous agent is unsubscribed (`ul`, `IPostLivechatAgentUnassigned`), then
 * `IPostLivechatRoomTransferred` `{type: 'agent', room, from: previous agent, to: new agent}`.
 */
async function forwardToAgent(ctx: OmnichannelContext, room: StoredRoom, data: TransferData): Promise<boolean> {
	if (room.open !== true) return false;
	const target = data.userId ? ctx.users.byId(data.userId) : undefined;
	if (!target || !isAvailable(target)) throw plainError('error-user-is-offline');
	const inquiry = inquiryOf(ctx, room);
	if (!inquiry) throw plainError('error-invalid-inquiry');
	const oldServedBy = room.servedBy as Any | undefined;
	if (oldServedBy && oldServedBy._id === target._id) throw plainError('error-selected-agent-room-agent-are-same');
	const taken = await takeInquiry(ctx, inquiry, target, room);
	await saveTransferHistory(ctx, room, data);
	const servedBy = taken.servedBy as Any | undefined;
	if (servedBy) {
		if (oldServedBy && servedBy._id !== oldServedBy._id) await removeAllRoomSubscriptions(ctx, room._id as string, servedBy._id as string);
		const oldUser = typeof oldServedBy?._id === 'string' ? ctx.users.byId(oldServedBy._id) : undefined;
		await ctx.fire('IPostLivechatRoomTransferred', {
			type: 'agent',
			room: ctx.fullRoom(ctx.rooms.get(room._id as string) as StoredRoom),
			from: oldUser ? ctx.appUser(oldUser) : undefined,
			to: ctx.appUser(target),
		});
	}
	return true;
}

/**
 * `forwardRoomToDepartment`: the room needs an inquiry (`error-transferring-inquiry`) and another department
 * (`error-forwarding-chat-same-department`); a given agent must be available and in the department. With manual
 * selection the transfer is recorded and the room goes back to the new department's queue (`unassignAgent`). With
 * auto-assignment the given agent, else the least busy available agent of the new department, takes the room; when
 * that leaves the same agent serving, `error-no-agents-online-in-department`. Then the transfer is recorded, the
 * previous agent unsubscribed, and the department written (`updateChatDepartment`).
 */
async function forwardToDepartment(ctx: OmnichannelContext, room: StoredRoom, data: TransferData): Promise<boolean> {
	if (room.open !== true) return false;
	const rid = room._id as string;
	const inquiry = inquiryOf(ctx, room);
	if (!inquiry) throw plainError('error-transferring-inquiry');
	const departmentId = data.departmentId as string;
	if (room.departmentId === departmentId) throw plainError('error-forwarding-chat-same-department');
	let agent: WorkspaceUser | undefined;
	if (data.userId) {
		const user = ctx.users.byId(data.userId);
		if (!user || !isAvailable(user)) throw plainError('error-user-is-offline');
		if (!departmentAgents(ctx, departmentId).some((a) => a._id === user._id)) throw plainError('error-user-not-belong-to-department');
		agent = user;
	}
	const department = ctx.departments.byId(departmentId) as Any | undefined;
	const oldServedBy = room.servedBy as Any | undefined;
	if (
		routingMethod(ctx, departmentId) === 'Manual_Selection' ||
		(department?.allowReceiveForwardOffline === true && onlineAgents(ctx, departmentId).length === 0)
	) {
		await saveTransferHistory(ctx, room, data);
		return unassignAgent(ctx, inquiry, departmentId);
	}
	const chosen = agent ?? nextAgent(ctx, departmentId);
	const taken = chosen ? await takeInquiry(ctx, inquiry, chosen, room) : (ctx.rooms.get(rid) as StoredRoom);
	const servedBy = taken.servedBy as Any | undefined;
	if (oldServedBy && servedBy && oldServedBy._id === servedBy._id) throw plainError('error-no-agents-online-in-department');
	await saveTransferHistory(ctx, room, data);
	if (oldServedBy) await removeAllRoomSubscriptions(ctx, rid, servedBy?._id as string | undefined);
	await updateChatDepartment(ctx, rid, departmentId, room.departmentId);
	return true;
}

/**
 * `POST /api/v1/livechat/room.forward`: the room must be a livechat room (`error-invalid-room`), open
 * (`This_conversation_is_already_closed`) and not on hold (`error-room-onHold`); a department must exist
 * (`error-invalid-department`). `transferredBy` is the caller (`userType` `agent` when serving the room, else
 * `user`). A transfer that does not happen answers `error-forwarding-chat`. Answers `{}`.
 */
export async function forwardRoom(
	ctx: OmnichannelContext,
	user: WorkspaceUser,
	params: { roomId: string; userId?: string; departmentId?: string; comment?: string; clientAction?: boolean },
): Promise<void> {
	const room = livechatRoom(ctx, params.roomId);
	if (!room) throw plainError('error-invalid-room');
	if (room.open !== true) throw plainError('This_conversation_is_already_closed');
	if (!visitorOf(ctx, room)) throw plainError('error-invalid-visitor');
	ensureSubscriptions(ctx, room);
	const servedBy = room.servedBy as Any | undefined;
	const data: TransferData = {
		...params,
		transferredBy: {
			_id: user._id,
			username: user.username,
			...(user.name && { name: user.name }),
			userType: servedBy?._id === user._id ? 'agent' : 'user',
		},
	};
	if (params.userId) {
		const to = ctx.users.byId(params.userId);
		if (to) data.transferredTo = { _id: to._id, username: to.username, name: to.name };
	}
	if (room.onHold === true) throw plainError('error-room-onHold');
	if (params.departmentId) {
		const department = ctx.departments.byId(params.departmentId);
		if (!department) throw plainError('error-invalid-department');
		data.department = { _id: department._id, name: department.name };
	}
	let done = false;
	if (params.departmentId) done = await forwardToDepartment(ctx, room, data);
	else if (params.userId) done = await forwardToAgent(ctx, room, data);
	if (!done) throw plainError('error-forwarding-chat');
}

// ---------------------------------------------------------------------------------------------------------------
// On hold (enterprise)

/**
 * `POST /api/v1/livechat/room.onHold` (`placeRoomOnHold`): the room must exist (`error-invalid-room`); the caller
 * must be subscribed (serve it) or have `on-hold-others-livechat-room` (`Not_authorized`); the room must be open
 * (`error-room-already-closed`), not on hold (`error-room-is-already-on-hold`), not waiting on the visitor's last
 * message (`error-cannot-place-chat-on-hold`, the default of `Livechat_allow_manual_on_hold_upon_agent_engagement_only`)
 * and served (`error-unserved-rooms-cannot-be-placed-onhold`). The room gets `onHold: true` and the system message
 * `omnichannel_placed_chat_on_hold` with the comment (its `IPostSystemMessageSent` is the only app event).
 */
export async function placeOnHold(ctx: OmnichannelContext, user: WorkspaceUser, roomId: string): Promise<void> {
	const room = ctx.rooms.get(roomId);
	if (!room) throw plainError('error-invalid-room');
	ensureSubscriptions(ctx, room);
	if (!ctx.omnichannel.isSubscribed(roomId, user._id) && !hasPermission(user, 'on-hold-others-livechat-room')) throw plainError('Not_authorized');
	if (room.t !== 'l') throw plainError('error-invalid-room');
	if (room.open !== true) throw plainError('error-room-already-closed');
	if (room.onHold === true) throw plainError('error-room-is-already-on-hold');
	if ((room.lastMessage as Any | undefined)?.token) throw plainError('error-cannot-place-chat-on-hold');
	if (!room.servedBy) throw plainError('error-unserved-rooms-cannot-be-placed-onhold');
	updateRoom(ctx.rooms, roomId, { $set: { onHold: true } });
	const comment = `Chat On Hold: The chat was manually placed On-Hold by ${user.name || `@${user.username}`}`;
	await saveSystemMessage(ctx, 'omnichannel_placed_chat_on_hold', roomId, '', owner(user), { comment });
}

/** `resumeRoomOnHold`: `onHold` removed, the system message `omnichannel_on_hold_chat_resumed` with the comment. */
async function resumeRoom(ctx: OmnichannelContext, room: StoredRoom, comment: string, by: Owner): Promise<void> {
	const rid = room._id as string;
	if (room.open !== true) throw plainError('This_conversation_is_already_closed');
	if (room.onHold !== true) throw plainError('error-room-not-on-hold');
	if (!room.servedBy) throw plainError('error-room-not-served');
	if (!inquiryOf(ctx, room)) throw plainError('error-invalid-inquiry');
	updateRoom(ctx.rooms, rid, { $unset: { onHold: 1 } });
	await saveSystemMessage(ctx, 'omnichannel_on_hold_chat_resumed', rid, '', by, { comment });
}

/**
 * `POST /api/v1/livechat/room.resumeOnHold`: the room must be a livechat room (`error-invalid-room`); the caller must
 * be subscribed or have `on-hold-others-livechat-room` (`Not_authorized`); then open, on hold, served (see
 * `resumeRoom`). The serving agent keeps the room.
 */
export async function resumeOnHold(ctx: OmnichannelContext, user: WorkspaceUser, roomId: string): Promise<void> {
	const room = livechatRoom(ctx, roomId);
	if (!room) throw plainError('error-invalid-room');
	ensureSubscriptions(ctx, room);
	if (!ctx.omnichannel.isSubscribed(roomId, user._id) && !hasPermission(user, 'on-hold-others-livechat-room')) throw plainError('Not_authorized');
	await resumeRoom(ctx, room, `The chat was manually resumed from On Hold by ${user.name || `@${user.username}`}`, owner(user));
}

// ---------------------------------------------------------------------------------------------------------------
// Closing

function unique(...lists: Array<unknown>): string[] {
	const out: string[] = [];
	for (const list of lists) if (Array.isArray(list)) for (const item of list) if (typeof item === 'string' && !out.includes(item)) out.push(item);
	return out;
}

/**
 * `POST /api/v1/livechat/room.closeByUser` (`closeLivechatRoom` -> `closeRoom`): the room must exist
 * (`error-invalid-room`); the caller must be subscribed or have `close-others-livechat-room` (`error-not-authorized`;
 * checked first, so the agent of a room already closed, no longer subscribed, gets this one); the room must be an
 * open livechat room (`error-room-already-closed`). Tags: the given tags then the room's, without repeats, plus
 * the department's `chatClosingTags`; a department with `requestTagBeforeClosingChat` refuses a close without tags
 * (`error-tags-must-be-assigned-before-closing-chat`). The room gets (`closeRoomById`): `closedAt` now,
 * `metrics.chatDuration` (seconds since `ts`), `metrics.serviceTimeDuration` (seconds since `servedBy.ts`, when
 * served), `v.status: 'offline'`, `closer: 'user'`, `closedBy {_id, username}`, `tags` (when any); `open` removed.
 * The inquiry and the subscriptions are removed (no `ul`, no unassigned event). Then the system message
 * `livechat-close` (the comment as text), and `ILivechatRoomClosedHandler` (deprecated) and `IPostLivechatRoomClosed`
 * with the room as read right after the close (before the closing message counted in `msgs`). Last, the enterprise
 * hook removes `onHold` (a room closed while on hold: the event still shows `onHold`, the store does not).
 */
export async function closeRoom(ctx: OmnichannelContext, user: WorkspaceUser, params: { rid: string; comment?: string; tags?: string[] }): Promise<void> {
	const room = ctx.rooms.get(params.rid);
	if (!room) throw plainError('error-invalid-room');
	const rid = room._id as string;
	ensureSubscriptions(ctx, room);
	if (!ctx.omnichannel.isSubscribed(rid, user._id) && !hasPermission(user, 'close-others-livechat-room')) throw plainError('error-not-authorized');
	// (`forceClose` needs the setting `Omnichannel_allow_force_close_conversations`, off by default: ignored.)
	if (room.open !== true || room.t !== 'l') throw plainError('error-room-already-closed');

	let tags = unique(params.tags, room.tags);
	const department = typeof room.departmentId === 'string' ? (ctx.departments.byId(room.departmentId) as Any | undefined) : undefined;
	if (department) {
		const closingTags = Array.isArray(department.chatClosingTags) ? (department.chatClosingTags as string[]) : [];
		const withDepartment = unique(tags, closingTags);
		if (department.requestTagBeforeClosingChat === true && (tags.length === 0 || closingTags.length === 0))
			throw plainError('error-tags-must-be-assigned-before-closing-chat');
		tags = withDepartment;
	}
	const at = now(ctx);
	const servedBy = room.servedBy as Any | undefined;
	const servedAt = isDate(servedBy?.ts) ? servedBy.ts.getTime() : typeof servedBy?.ts === 'string' ? Date.parse(servedBy.ts) : NaN;
	const serviceTimeDuration = servedBy ? (at.getTime() - servedAt) / 1000 : undefined;
	const created = isDate(room.ts) ? room.ts.getTime() : Date.parse(String(room.ts));
	const $set: Any = {
		closedAt: at,
		'metrics.chatDuration': (at.getTime() - created) / 1000,
		'v.status': 'offline',
		closer: 'user',
		closedBy: { _id: user._id, username: user.username },
		...(tags.length && { tags }),
	};
	// `...(serviceTimeDuration && {...})`: a zero or unknown duration is not written.
	if (serviceTimeDuration) $set['metrics.serviceTimeDuration'] = serviceTimeDuration;
	ctx.omnichannel.removeInquiryByRoomId(rid);
	const closed = updateRoom(ctx.rooms, rid, { $set, $unset: { open: 1 } }) as StoredRoom;
	ctx.omnichannel.subscriptions.delete(rid);
	await saveSystemMessage(
		ctx,
		'livechat-close',
		rid,
		params.comment ?? '',
		{ _id: user._id, username: user.username },
		{ groupable: false, transcriptRequested: false },
	);
	const payload = ctx.fullRoom(closed);
	// Rocket.Chat triggers both events without waiting, and runs the enterprise `livechat.closeRoom` hook (which
	// clears the on-hold state) alongside: the events carry the room as read before the hook, while an app that
	// reads the room back reads it after the hook's write (its read crosses to another process). The call answers
	// once the listeners have finished.
	const heard = Promise.all([ctx.fire('ILivechatRoomClosedHandler', payload), ctx.fire('IPostLivechatRoomClosed', payload)]);
	updateRoom(ctx.rooms, rid, { $unset: { onHold: 1 } });
	await heard;
}

// ---------------------------------------------------------------------------------------------------------------
// Room info

export interface SaveInfoParams {
	guestData: { _id: string; name?: string; email?: string; phone?: string; livechatData?: Record<string, string> };
	roomData: { _id: string; topic?: string; tags?: string[]; livechatData?: Record<string, string>; priorityId?: string; slaId?: string };
}

/**
 * `POST /api/v1/livechat/room.saveInfo`: the room must be a livechat room (`error-invalid-room`); someone other than
 * the serving agent needs `save-others-livechat-room-info` (else `403 unauthorized`).
 * - the visitor (`saveGuest`): `name`, `visitorEmails`, `phone`, `livechatData` updated; `IPostLivechatGuestSaved`
 *   with the visitor; an unknown visitor makes the call answer `400` (with an empty error) after the room was saved;
 * - the room (`saveRoomInfo` -> `saveRoomById`): `topic` trimmed (empty: removed); `tags` set when a non-empty list is
 *   given, **removed otherwise** (saving without tags clears them, as Rocket.Chat does); `livechatData.<key>` set to
 *   the trimmed value (empty: removed) for the room custom fields (the workspace holds no custom field definitions and
 *   takes every key; Rocket.Chat keeps only defined ones; the route calls `saveRoomInfo` without the user, so no
 *   permission is checked for them); `priorityId` / `slaId` set, `''` removes them; the room's `fname` does not
 *   change (the route does not hand `guestData` to `saveRoomInfo`);
 * - `IPostLivechatRoomSaved` with the room read by id.
 */
export async function saveInfo(ctx: OmnichannelContext, user: WorkspaceUser, params: SaveInfoParams): Promise<void> {
	const { guestData, roomData } = params;
	const room = livechatRoom(ctx, roomData._id);
	if (!room) throw plainError('error-invalid-room');
	const servedBy = room.servedBy as Any | undefined;
	if (servedBy?._id !== user._id && !hasPermission(user, 'save-others-livechat-room-info')) throw forbidden();
	const rid = room._id as string;

	// Rocket.Chat saves the visitor and the room concurrently (`Promise.allSettled`): an unknown visitor
	// (`error-invalid-visitor`) fails the call, but only after the room was saved and its event queued.
	const visitor = ctx.omnichannel.visitorById(guestData._id);
	if (visitor) {
		const next: Visitor = { ...visitor, _updatedAt: now(ctx) };
		if (guestData.name) next.name = guestData.name;
		if (guestData.email) next.visitorEmails = [{ address: guestData.email }];
		if (guestData.phone && !room.sms) next.phone = [{ phoneNumber: guestData.phone }];
		if (guestData.livechatData && hasPermission(user, 'edit-livechat-room-customfields')) {
			const data = { ...((visitor.livechatData as Any | undefined) ?? {}) };
			for (const [key, value] of Object.entries(guestData.livechatData)) {
				const trimmed = String(value).trim();
				if (trimmed) data[key] = trimmed;
				else delete data[key];
			}
			next.livechatData = data;
		}
		ctx.omnichannel.saveVisitor(next);
		await ctx.fire('IPostLivechatGuestSaved', convertVisitor(next));
	}

	const $set: Any = {};
	const $unset: Any = {};
	if (roomData.topic != null) {
		const topic = roomData.topic.trim();
		if (topic.length) $set.topic = topic;
		else $unset.topic = 1;
	}
	if (Array.isArray(roomData.tags) && roomData.tags.length > 0) $set.tags = roomData.tags;
	else $unset.tags = 1;
	for (const key of ['priorityId', 'slaId'] as const) {
		if (roomData[key] === '') $unset[key] = 1;
		else if (roomData[key] !== undefined) $set[key] = roomData[key];
	}
	if (roomData.livechatData) {
		for (const [key, value] of Object.entries(roomData.livechatData)) {
			const trimmed = String(value).trim();
			if (trimmed) $set[`livechatData.${key}`] = trimmed;
			else $unset[`livechatData.${key}`] = 1;
		}
	}
	updateRoom(ctx.rooms, rid, { $set, $unset });
	await ctx.fire('IPostLivechatRoomSaved', ctx.fullRoom(ctx.rooms.get(rid) as StoredRoom));
	// The route rethrows the rejection's `error` property, which a plain `Error` does not have: an empty message.
	if (!visitor) throw plainError('');
}

// ---------------------------------------------------------------------------------------------------------------
// Deleting (no app event)

/** `removeOmnichannelRoom`: the room, its messages, subscriptions and inquiry are deleted. No app event. */
function removeRoom(ctx: OmnichannelContext, rid: string): void {
	ctx.omnichannel.removeRoom(rid);
	ctx.rooms.remove(rid);
}

/**
 * `POST /api/v1/livechat/rooms.delete`: a closed livechat room. The route answers a Meteor error with its reason
 * only: `Invalid room` for an unknown room, and nothing but `{"success": false}` for a room of another type
 * (`error-this-is-not-a-livechat-room`) or an open one (`error-room-is-not-closed`), whose errors have no reason.
 */
export function deleteRoom(ctx: OmnichannelContext, roomId: string): void {
	const room = ctx.rooms.get(roomId);
	if (!room) throw failure('Invalid room');
	if (room.t !== 'l' || room.open) throw failure();
	removeRoom(ctx, roomId);
}

/**
 * `POST /api/v1/livechat/rooms.removeAllClosedRooms`: every livechat room with no `open` field and a `closedAt`
 * (`findClosedRooms`), in the given departments when the list is not empty. Answers `{removedRooms}`.
 */
export function removeAllClosedRooms(ctx: OmnichannelContext, departmentIds?: string[]): number {
	const closed = ctx.rooms
		.list()
		.filter((room) => room.t === 'l' && room.open === undefined && room.closedAt !== undefined)
		.filter((room) => !departmentIds || departmentIds.length === 0 || departmentIds.includes(room.departmentId as string))
		.map((room) => room._id as string);
	for (const rid of closed) removeRoom(ctx, rid);
	return closed.length;
}
