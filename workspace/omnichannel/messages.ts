/**
 * Messages in livechat rooms, written as Rocket.Chat writes them, and handed to apps as its message converter does.
 *
 * - System messages (`Message.saveSystemMessage`): the message is inserted with `t`, `groupable: false` and the extra
 *   data; the room's `msgs` is incremented (`Rooms.incMsgCountById`: nothing else of the room changes: no `lm`, no
 *   `lastMessage`); then `IPostSystemMessageSent` is triggered with the message (not awaited by Rocket.Chat). Every
 *   system message of a livechat action goes this way: `livechat-started`, `command` (`connected`), `uj`, `ul`,
 *   `livechat_transfer_history`, `livechat-close`, `omnichannel_placed_chat_on_hold`,
 *   `omnichannel_on_hold_chat_resumed`.
 * - Regular messages (`sendMessage`): inserted, `IPostMessageSent` triggered (not awaited), then the room is updated
 *   in one write: `msgs` + 1, `lm` and `lastMessage` set to the message, plus the livechat hooks below. Here too the
 *   trigger starts first and the room is written while the app's listener is on its way (an app that reads the room
 *   back reads it written, as it does on a server, where its read crosses to another process); the REST call answers
 *   once the listener has finished, so that tests know when the app has heard.
 *
 * The app receives `IMessage`: `id`, `text` (`msg`), `createdAt` (`ts`), `updatedAt`, `groupable`, `token`, `type`
 * (`t`), `room` (the full room conversion, read by id), `sender` (the user converted by id; for a visitor's message,
 * the `u` sub-document converted as it is), and every other stored field in `_unmappedProperties_`.
 */
import type { StoredRoom } from '../data/types';
import type { OmnichannelContext } from './context';
import type { Message } from './state';
import { randomId } from './state';
import { updateRoom } from './update';
import { isDate } from '../engine/dates';

export type Owner = { _id: string; username: string; name?: string };

const MAPPED = [
	'_id',
	'tmid',
	'reactions',
	'parseUrls',
	'msg',
	'ts',
	'_updatedAt',
	'editedAt',
	'emoji',
	'avatar',
	'alias',
	'file',
	'customFields',
	'groupable',
	'token',
	'blocks',
	't',
	'rid',
	'u',
	'editedBy',
	'attachments',
];

const RENAMED: ReadonlyArray<readonly [string, string]> = [
	['_id', 'id'],
	['tmid', 'threadId'],
	['reactions', 'reactions'],
	['parseUrls', 'parseUrls'],
	['msg', 'text'],
	['ts', 'createdAt'],
	['_updatedAt', 'updatedAt'],
	['editedAt', 'editedAt'],
	['emoji', 'emoji'],
	['avatar', 'avatarUrl'],
	['alias', 'alias'],
	['file', 'file'],
	['customFields', 'customFields'],
	['groupable', 'groupable'],
	['token', 'token'],
	['blocks', 'blocks'],
	['t', 'type'],
];

/** The message as an app receives it in `IPostMessageSent` / `IPostSystemMessageSent`. */
export function appMessage(ctx: OmnichannelContext, message: Message, room: StoredRoom | undefined): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [from, to] of RENAMED) if (message[from] !== undefined) out[to] = message[from];
	out.room = room ? ctx.fullRoom(room) : undefined;
	out.editor = undefined;
	out.attachments = undefined;
	const user = message.token ? undefined : ctx.users.byId(message.u._id);
	out.sender = user ? ctx.appUser(user) : { id: message.u._id, username: message.u.username, ...(message.u.name !== undefined && { name: message.u.name }) };
	const unmapped: Record<string, unknown> = {};
	for (const key of Object.keys(message)) if (!MAPPED.includes(key)) unmapped[key] = message[key];
	out._unmappedProperties_ = unmapped;
	return out;
}

export function now(ctx: OmnichannelContext): Date {
	return ctx.now ? ctx.now() : new Date();
}

/** `Message.saveSystemMessage(type, rid, msg, owner, extraData)`. */
export async function saveSystemMessage(
	ctx: OmnichannelContext,
	type: string,
	rid: string,
	msg: string,
	owner: Owner,
	extra: Record<string, unknown> = {},
): Promise<Message> {
	const ts = now(ctx);
	const message: Message = {
		_id: randomId(),
		t: type,
		rid,
		ts,
		msg,
		u: { _id: owner._id, username: owner.username, ...(owner.name !== undefined && { name: owner.name }) },
		groupable: false,
		...extra,
		_updatedAt: ts,
	};
	ctx.omnichannel.messages.push(message);
	const room = updateRoom(ctx.rooms, rid, { $inc: { msgs: 1 } });
	await ctx.fire('IPostSystemMessageSent', appMessage(ctx, message, room));
	return message;
}

/** What `lastMessage` keeps of a message (the whole message document, as Rocket.Chat stores it). */
function lastMessageOf(message: Message): Record<string, unknown> {
	return { ...message };
}

/**
 * A visitor's message (`livechat/message`): the room gets `msgs` + 1, `lm`, `lastMessage`, `v.lastMessageTs`; the
 * analytics hook sets `metrics.v.lq` when this message starts a new question (the agent answered the previous one);
 * `markRoomNotResponded` sets `waitingResponse: true` and removes `responseBy` unless the room already waits.
 */
export async function saveVisitorMessage(ctx: OmnichannelContext, room: StoredRoom, message: Message): Promise<void> {
	ctx.omnichannel.messages.push(message);
	const heard = ctx.fire('IPostMessageSent', appMessage(ctx, message, room));
	const { visitorLastQuery, agentLastReply } = lastQueryAndReply(room);
	const $set: Record<string, unknown> = { lm: message.ts, lastMessage: lastMessageOf(message), 'v.lastMessageTs': message.ts };
	const $unset: Record<string, unknown> = {};
	if (time(agentLastReply) >= time(visitorLastQuery)) $set['metrics.v.lq'] = message.ts;
	if (!room.waitingResponse) {
		$set.waitingResponse = true;
		$unset.responseBy = 1;
	}
	updateRoom(ctx.rooms, room._id as string, { $set, $unset, $inc: { msgs: 1 } });
	await heard;
}

/**
 * The response analytics of an agent's message (`saveAnalyticsData`), in seconds:
 * - the first answer (no `metrics.servedBy.lr` yet): response time since the visitor's last question
 *   (`metrics.v.lq`, else `ts`), reaction time since the agent joined (`servedBy.ts`, else `ts`);
 * - a later answer to a newer question (`lq` after `lr`): response and reaction time since that question;
 * - otherwise nothing.
 * The room then gets `metrics.response.avg` (the running average), `metrics.response.total` + 1,
 * `metrics.response.tt` and `metrics.reaction.tt` increased, and for a first answer `metrics.response.fd/ft` and
 * `metrics.reaction.fd/ft`.
 */
function responseAnalytics(room: StoredRoom, at: Date, $set: Record<string, unknown>, $inc: Record<string, number>): void {
	const metrics = (room.metrics ?? {}) as Record<string, Record<string, unknown> | undefined>;
	const visitorLastQuery = time(metrics.v?.lq ?? room.ts);
	const lastReply = metrics.servedBy?.lr;
	const agentJoinTime = time((room.servedBy as Record<string, unknown> | undefined)?.ts ?? room.ts);
	const totalResponseTime = (metrics.response?.tt as number | undefined) ?? 0;
	const responseCount = (metrics.response?.total as number | undefined) ?? 0;
	const since = (from: number): number => (at.getTime() - from) / 1000;
	let responseTime: number;
	let reactionTime: number;
	let first = false;
	if (lastReply === undefined) {
		responseTime = since(visitorLastQuery);
		reactionTime = since(agentJoinTime);
		first = true;
	} else if (visitorLastQuery > time(lastReply)) {
		responseTime = since(visitorLastQuery);
		reactionTime = responseTime;
	} else {
		return;
	}
	$set['metrics.response.avg'] = (totalResponseTime + responseTime) / (responseCount + 1);
	$inc['metrics.response.total'] = 1;
	$inc['metrics.response.tt'] = responseTime;
	$inc['metrics.reaction.tt'] = reactionTime;
	if (first && responseTime) {
		$set['metrics.reaction.fd'] = at;
		$set['metrics.reaction.ft'] = reactionTime;
		$set['metrics.response.fd'] = at;
		$set['metrics.response.ft'] = responseTime;
	}
}

/**
 * An agent's message (`chat.sendMessage`): `msgs` + 1, `lm`, `lastMessage`; `markRoomResponded` adds the month
 * (`YYYY-MM`) to `v.activity` (the visitor counts as active that month), sets `responseBy.lastMessageTs` when someone
 * already answered, and when the room waits for an answer sets `responseBy` (`{_id, username, firstResponseTs,
 * lastMessageTs}`, kept if it exists) and removes `waitingResponse`; the analytics hook writes the response metrics
 * (`responseAnalytics`) and `metrics.servedBy.lr` when this answers a newer visitor question.
 */
export async function saveAgentMessage(ctx: OmnichannelContext, room: StoredRoom, message: Message): Promise<void> {
	ctx.omnichannel.messages.push(message);
	const heard = ctx.fire('IPostMessageSent', appMessage(ctx, message, room));
	const { visitorLastQuery, agentLastReply } = lastQueryAndReply(room);
	const $set: Record<string, unknown> = { lm: message.ts, lastMessage: lastMessageOf(message) };
	const $unset: Record<string, unknown> = {};
	const $inc: Record<string, number> = { msgs: 1 };
	responseAnalytics(room, message.ts, $set, $inc);
	if (time(visitorLastQuery) > time(agentLastReply)) $set['metrics.servedBy.lr'] = message.ts;
	if (room.responseBy) $set['responseBy.lastMessageTs'] = message.ts;
	const month = message.ts.toISOString().slice(0, 7);
	const activity = ((room.v as Record<string, unknown> | undefined)?.activity ?? []) as unknown[];
	const $addToSet: Record<string, unknown> = activity.includes(month) ? {} : { 'v.activity': month };
	if (room.waitingResponse) {
		$set.responseBy = room.responseBy ?? { _id: message.u._id, username: message.u.username, firstResponseTs: message.ts, lastMessageTs: message.ts };
		$unset.waitingResponse = 1;
	}
	updateRoom(ctx.rooms, room._id as string, { $set, $unset, $inc, $addToSet });
	await heard;
}

/** The visitor's last question (`metrics.v.lq`) and the agent's last reply (`metrics.servedBy.lr`), else the room's `ts`. */
function lastQueryAndReply(room: StoredRoom): { visitorLastQuery: Date; agentLastReply: Date } {
	const metrics = (room.metrics ?? {}) as Record<string, Record<string, unknown> | undefined>;
	return {
		visitorLastQuery: (metrics.v?.lq as Date | undefined) ?? (room.ts as Date),
		agentLastReply: (metrics.servedBy?.lr as Date | undefined) ?? (room.ts as Date),
	};
}

function time(value: unknown): number {
	return isDate(value) ? value.getTime() : typeof value === 'string' ? Date.parse(value) : 0;
}
