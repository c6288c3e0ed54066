/**
 * What the omnichannel actions share. The actions (this folder, a file for each Rocket.Chat module an action
 * follows) each do as Rocket.Chat 7.x/8.x does (facts taken from its source: the REST files of `apps/meteor/app/livechat/server/api/v1` and `imports/server/rest`, `lib/QueueManager`, `lib/RoutingManager`,
 * `lib/Helper`, `lib/closeRoom`, `lib/rooms`, `lib/transfer`, `lib/takeInquiry`, the `LivechatRooms` model, and the
 * enterprise on-hold service), written in the workspace's own words.
 *
 * App events: Rocket.Chat triggers every livechat event without awaiting it (`void`, often inside `setImmediate` or
 * `process.nextTick`), on the instance that ran the action only, and answers the REST call without waiting for the
 * app. The workspace awaits each listener before going on and before answering, so that a test sees the events of a
 * call once the call has answered; the order of the events is the order in which Rocket.Chat queues them.
 */
import type { StoredRoom, WorkspaceUser } from '../../data/types';
import type { OmnichannelContext } from '../context';
import type { Owner } from '../messages';
import { departmentOf } from '../routing';
import type { Visitor } from '../state';
import type { Doc } from '../../loose';

/** A loosely typed record: the workspace's rooms, visitors and departments are plain documents. */

/** The livechat room of this id, or undefined (another type of room, or none). */
export function livechatRoom(ctx: OmnichannelContext, id: unknown): StoredRoom | undefined {
	if (typeof id !== 'string') return undefined;
	const room = ctx.rooms.get(id);
	return room && room.t === 'l' ? room : undefined;
}

export function owner(user: WorkspaceUser): Owner {
	return { _id: user._id, username: user.username, name: user.name };
}

/** The visitor record of a room (rooms from a data file carry their visitor in `v` only: that stands for the record). */
export function visitorOf(ctx: OmnichannelContext, room: StoredRoom): Visitor | undefined {
	const v = (room.v ?? {}) as Doc;
	if (typeof v._id !== 'string') return undefined;
	return ctx.omnichannel.visitorById(v._id) ?? ({ ...v, _id: v._id } as Visitor);
}

/** The enterprise `departmentAncestors` of a room in this department: the department's `ancestors`, when it has any. */
export function departmentAncestors(ctx: OmnichannelContext, departmentId: string | undefined): unknown[] | undefined {
	const ancestors = departmentOf(ctx, departmentId)?.ancestors;
	return Array.isArray(ancestors) && ancestors.length > 0 ? ancestors : undefined;
}
