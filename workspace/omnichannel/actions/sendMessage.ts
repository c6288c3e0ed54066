/** Messages in a livechat room: the visitor's (`livechat/message`) and an agent's (`chat.sendMessage`). */
import type { StoredRoom, WorkspaceUser } from '../../data/types';
import type { OmnichannelContext } from '../context';
import { meteorError, plainError } from '../errors';
import { now, saveAgentMessage, saveVisitorMessage } from '../messages';
import { hasPermission } from '../permissions';
import { ensureSubscriptions } from '../routing';
import type { Message } from '../state';
import { randomId } from '../state';
import { livechatRoom } from './lookups';
import { resumeRoom } from './onHold';
import type { Doc } from '../../loose';

/**
 * `POST /api/v1/livechat/message`: the visitor (by token, `invalid-token`) writes in its room (by id and token,
 * `invalid-room`; closed: `room-closed`). See `saveVisitorMessage` for what the room gets. A room on hold is resumed
 * by the visitor's message (the enterprise hook, as `rocket.cat`): see `resumeRoom`. Answers `{message}`.
 */
export async function visitorMessage(ctx: OmnichannelContext, params: { token: string; rid: string; msg: string; _id?: string }): Promise<Message> {
	const visitor = ctx.omnichannel.visitorByToken(params.token);
	if (!visitor) throw plainError('invalid-token');
	const room = livechatRoom(ctx, params.rid);
	if (!room || (room.v as Doc | undefined)?.token !== params.token) throw plainError('invalid-room');
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
	const servedBy = room.servedBy as Doc | undefined;
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
