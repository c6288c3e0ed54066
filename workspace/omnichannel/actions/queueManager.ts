/** Starting a room: the REST route `livechat/room` (`createRoom` -> `QueueManager.requestRoom`). */

/** `LivechatPriorityWeight.NOT_SPECIFIED` and `DEFAULT_SLA_CONFIG.ESTIMATED_WAITING_TIME_QUEUE`, stamped on new rooms and inquiries. */
const PRIORITY_WEIGHT_NOT_SPECIFIED = 99;
const ESTIMATED_WAITING_TIME_QUEUE = 9999999;
import type { StoredRoom } from '../../data/types';
import type { OmnichannelContext } from '../context';
import { meteorError } from '../errors';
import { now, saveSystemMessage } from '../messages';
import { isAvailable, nextAgent, onlineAgents, routingMethod, takeInquiry } from '../routing';
import type { Inquiry, Visitor } from '../state';
import { objectId, randomId } from '../state';
import { departmentAncestors } from './lookups';
import type { Doc } from '../../loose';

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
	const open = ctx.rooms.list().find((room) => room.t === 'l' && room.open === true && (room.v as Doc | undefined)?.token === visitor.token);
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
	const ancestors = departmentAncestors(ctx, departmentId);
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
