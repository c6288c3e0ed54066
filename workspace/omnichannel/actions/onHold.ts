/** On hold (enterprise): `livechat/room.onHold`, `livechat/room.resumeOnHold` and the on-hold service's resume. */
import type { StoredRoom, WorkspaceUser } from '../../data/types';
import type { OmnichannelContext } from '../context';
import { plainError } from '../errors';
import type { Owner } from '../messages';
import { saveSystemMessage } from '../messages';
import { hasPermission } from '../permissions';
import { ensureSubscriptions, inquiryOf } from '../routing';
import { updateRoom } from '../update';
import { livechatRoom, owner } from './lookups';
import type { Doc } from '../../loose';

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
	if ((room.lastMessage as Doc | undefined)?.token) throw plainError('error-cannot-place-chat-on-hold');
	if (!room.servedBy) throw plainError('error-unserved-rooms-cannot-be-placed-onhold');
	updateRoom(ctx.rooms, roomId, { $set: { onHold: true } });
	const comment = `Chat On Hold: The chat was manually placed On-Hold by ${user.name || `@${user.username}`}`;
	await saveSystemMessage(ctx, 'omnichannel_placed_chat_on_hold', roomId, '', owner(user), { comment });
}

/** `resumeRoomOnHold`: `onHold` removed, the system message `omnichannel_on_hold_chat_resumed` with the comment. */
export async function resumeRoom(ctx: OmnichannelContext, room: StoredRoom, comment: string, by: Owner): Promise<void> {
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
