/** Closing a room: `livechat/room.closeByUser` (`closeLivechatRoom` -> `lib/closeRoom`). */
import type { StoredRoom, WorkspaceUser } from '../../data/types';
import type { OmnichannelContext } from '../context';
import { plainError } from '../errors';
import { now, saveSystemMessage } from '../messages';
import { hasPermission } from '../permissions';
import { departmentOf, ensureSubscriptions } from '../routing';
import { updateRoom } from '../update';
import { isDate } from '../../engine/dates';
import type { Doc } from '../../loose';

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
	const department = departmentOf(ctx, room.departmentId);
	if (department) {
		const closingTags = Array.isArray(department.chatClosingTags) ? department.chatClosingTags : [];
		const withDepartment = unique(tags, closingTags);
		if (department.requestTagBeforeClosingChat === true && (tags.length === 0 || closingTags.length === 0))
			throw plainError('error-tags-must-be-assigned-before-closing-chat');
		tags = withDepartment;
	}
	const at = now(ctx);
	const servedBy = room.servedBy as Doc | undefined;
	const servedAt = isDate(servedBy?.ts) ? servedBy.ts.getTime() : typeof servedBy?.ts === 'string' ? Date.parse(servedBy.ts) : NaN;
	const serviceTimeDuration = servedBy ? (at.getTime() - servedAt) / 1000 : undefined;
	const created = isDate(room.ts) ? room.ts.getTime() : Date.parse(String(room.ts));
	const $set: Doc = {
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
