/** Deleting rooms, with no app event: `livechat/rooms.delete`, `livechat/rooms.removeAllClosedRooms` (`removeOmnichannelRoom`). */
import type { OmnichannelContext } from '../context';
import { failure } from '../errors';

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
