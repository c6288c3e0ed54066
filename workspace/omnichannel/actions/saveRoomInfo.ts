/** Saving a room's and its visitor's info: `livechat/room.saveInfo` (`saveGuest`, `saveRoomInfo`). */
import type { StoredRoom, WorkspaceUser } from '../../data/types';
import { convertVisitor } from '../../engine/fullConverter';
import type { OmnichannelContext } from '../context';
import { forbidden, plainError } from '../errors';
import { now } from '../messages';
import { hasPermission } from '../permissions';
import type { Visitor } from '../state';
import { updateRoom } from '../update';
import { livechatRoom } from './lookups';
import type { Doc } from '../../loose';

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
	const servedBy = room.servedBy as Doc | undefined;
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
			const data = { ...((visitor.livechatData as Doc | undefined) ?? {}) };
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

	const $set: Doc = {};
	const $unset: Doc = {};
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
