/** Forwarding a room to an agent or a department: `livechat/room.forward` (`lib/transfer`, `lib/Helper`'s forwarders). */
import type { StoredRoom, WorkspaceUser } from '../../data/types';
import type { OmnichannelContext } from '../context';
import { plainError } from '../errors';
import { now, saveSystemMessage } from '../messages';
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
} from '../routing';
import type { Inquiry } from '../state';
import { updateRoom } from '../update';
import { departmentAncestors, livechatRoom, visitorOf } from './lookups';
import type { Doc } from '../../loose';

interface TransferData {
	roomId: string;
	userId?: string;
	departmentId?: string;
	comment?: string;
	clientAction?: boolean;
	transferredBy: Doc;
	transferredTo?: Doc;
	department?: { _id: string; name: string };
	scope?: string;
}

/** `saveTransferHistory`: the system message `livechat_transfer_history` with the transfer's data. */
async function saveTransferHistory(ctx: OmnichannelContext, room: StoredRoom, data: TransferData): Promise<void> {
	const previousDepartment = room.departmentId;
	const scope = data.scope || (data.department ? 'department' : 'agent');
	const transferData: Doc = {
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
	const ancestors = departmentAncestors(ctx, newDepartmentId);
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
	const oldServedBy = room.servedBy as Doc | undefined;
	if (oldServedBy && oldServedBy._id === target._id) throw plainError('error-selected-agent-room-agent-are-same');
	const taken = await takeInquiry(ctx, inquiry, target, room);
	await saveTransferHistory(ctx, room, data);
	const servedBy = taken.servedBy as Doc | undefined;
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
	const department = ctx.departments.byId(departmentId);
	const oldServedBy = room.servedBy as Doc | undefined;
	if (
		routingMethod(ctx, departmentId) === 'Manual_Selection' ||
		(department?.allowReceiveForwardOffline === true && onlineAgents(ctx, departmentId).length === 0)
	) {
		await saveTransferHistory(ctx, room, data);
		return unassignAgent(ctx, inquiry, departmentId);
	}
	const chosen = agent ?? nextAgent(ctx, departmentId);
	const taken = chosen ? await takeInquiry(ctx, inquiry, chosen, room) : (ctx.rooms.get(rid) as StoredRoom);
	const servedBy = taken.servedBy as Doc | undefined;
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
	const servedBy = room.servedBy as Doc | undefined;
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
