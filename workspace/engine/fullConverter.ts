/**
 * What Rocket.Chat does when an app reads one room with `IRoomRead.getById` (and what it hands to the livechat event
 * listeners): the full room converter, `convertRoom`, which looks up every related document. Written from the
 * documented behaviour of Rocket.Chat's `apps/meteor/app/apps/server/converters/rooms.ts`, not copied.
 *
 * Where each stored field of the room document goes (app field <- stored field):
 *
 *   id                    <- _id
 *   displayName           <- fname
 *   slugifiedName         <- name
 *   members               <- members
 *   userIds               <- uids
 *   messageCount          <- msgs
 *   createdAt             <- ts
 *   updatedAt             <- _updatedAt
 *   closedAt              <- closedAt
 *   lastModifiedAt        <- lm
 *   customFields          <- customFields
 *   livechatData          <- livechatData
 *   isWaitingResponse     <- waitingResponse
 *   isOpen                <- open
 *   _USERNAMES            <- _USERNAMES
 *   description           <- description
 *   source                <- source
 *   closer                <- closer
 *   teamId                <- teamId
 *   isTeamMain            <- teamMain
 *   isFederated           <- federated    (since the 8.x minor that exposed federation to apps; before it,
 *   federation            <- federation    both stayed in `_unmappedProperties_`: see converter.ts)
 *   isDefault             <- default, as a boolean (false when absent)
 *   isReadOnly            <- ro, as a boolean (false when absent)
 *   displaySystemMessages <- sysMes (true when absent)
 *   type                  <- t ('l' for a livechat room)
 *   creator               <- u: the full app user found by u._id (the user converter)
 *   visitor               <- v: the full app visitor found by v._id (the visitor converter); `v` itself ALSO stays
 *                            in _unmappedProperties_, as on the server
 *   visitorChannelInfo    <- v.phone and v.lastMessageTs, when set (`v` is not consumed)
 *   contact               <- contactId: the contact found by that id (this workspace keeps no contacts, so it is
 *                            absent); `contactId` ALSO stays in _unmappedProperties_
 *   department            <- departmentId: the app department found by that id (the department converter)
 *   closedBy              <- closedBy: the full app user found by closedBy._id when closer is 'user', else the
 *                            full visitor
 *   servedBy              <- servedBy: the full app user found by servedBy._id (servedBy.ts is lost)
 *   responseBy            <- responseBy: the full app user found by responseBy._id (its timestamps are lost)
 *   parentRoom            <- prid: the parent room, fully converted in turn
 *   _unmappedProperties_  <- every other stored field, untouched: tags, onHold, usersCount, cl, lastMessage,
 *                            metrics, queuedAt, departmentAncestors, priorityId, priorityWeight, slaId,
 *                            estimatedWaitingTimeQueue, email, transcriptRequest, usernames, contactId, v, ...
 *
 * A relation whose document cannot be found is left out (the converters answer `undefined`), and so is any field
 * with no value.
 */
import type { StoredRoom } from '../data/types';
import { isDate } from './dates';
import type { Doc } from '../loose';

/** The look-ups the full converter makes; each answers the app's shape of the document, or undefined. */
export interface RoomLookups {
	user(id: string): Doc | undefined;
	visitor(id: string): Doc | undefined;
	department(id: string): Doc | undefined;
	contact(id: string): Doc | undefined;
	room(id: string): StoredRoom | undefined;
}

const COPIED: ReadonlyArray<readonly [string, string]> = [
	['id', '_id'],
	['displayName', 'fname'],
	['slugifiedName', 'name'],
	['members', 'members'],
	['userIds', 'uids'],
	['messageCount', 'msgs'],
	['createdAt', 'ts'],
	['updatedAt', '_updatedAt'],
	['closedAt', 'closedAt'],
	['lastModifiedAt', 'lm'],
	['customFields', 'customFields'],
	['livechatData', 'livechatData'],
	['isWaitingResponse', 'waitingResponse'],
	['isOpen', 'open'],
	['_USERNAMES', '_USERNAMES'],
	['description', 'description'],
	['source', 'source'],
	['closer', 'closer'],
	['teamId', 'teamId'],
	['isTeamMain', 'teamMain'],
	['isFederated', 'federated'],
	['federation', 'federation'],
];

function idOf(value: unknown): string | undefined {
	if (!value || typeof value !== 'object') return undefined;
	const id = (value as Doc)._id ?? (value as Doc).id;
	return typeof id === 'string' ? id : undefined;
}

/** A deep copy that keeps `Date`s (the converter never hands out the stored objects themselves). */
export function cloneDoc<T>(value: T): T {
	if (isDate(value)) return new Date(value.getTime()) as T;
	if (Array.isArray(value)) return value.map(cloneDoc) as T;
	if (value && typeof value === 'object') {
		const out: Doc = {};
		for (const [key, item] of Object.entries(value as Doc)) out[key] = cloneDoc(item);
		return out as T;
	}
	return value;
}

/** `convertRoom`: the room with its relations resolved, every other stored field in `_unmappedProperties_`. */
export function convertRoomFull(stored: StoredRoom, lookups: RoomLookups, depth = 0): Doc {
	const room = cloneDoc(stored);
	const out: Doc = {};
	const set = (key: string, value: unknown): void => {
		if (value !== undefined) out[key] = value;
	};
	for (const [to, from] of COPIED) {
		set(to, room[from]);
		delete room[from];
	}
	out.isDefault = Boolean(room.default);
	delete room.default;
	out.isReadOnly = Boolean(room.ro);
	delete room.ro;
	out.displaySystemMessages = room.sysMes === undefined ? true : room.sysMes;
	delete room.sysMes;
	set('type', room.t);
	delete room.t;
	const creator = idOf(room.u);
	if (room.u) set('creator', creator ? lookups.user(creator) : undefined);
	delete room.u;
	const visitorId = idOf(room.v);
	if (visitorId) set('visitor', lookups.visitor(visitorId));
	if (room.v && typeof room.v === 'object') {
		const { phone, lastMessageTs } = room.v as Doc;
		const info: Doc = {};
		if (phone) info.phone = phone;
		if (lastMessageTs) info.lastMessageTs = lastMessageTs;
		out.visitorChannelInfo = info;
	}
	if (typeof room.contactId === 'string' && room.contactId) set('contact', lookups.contact(room.contactId));
	if (typeof room.departmentId === 'string' && room.departmentId) set('department', lookups.department(room.departmentId));
	delete room.departmentId;
	const closedBy = idOf(room.closedBy);
	if (closedBy) set('closedBy', stored.closer === 'user' ? lookups.user(closedBy) : lookups.visitor(closedBy));
	delete room.closedBy;
	const servedBy = idOf(room.servedBy);
	if (servedBy) set('servedBy', lookups.user(servedBy));
	delete room.servedBy;
	const responseBy = idOf(room.responseBy);
	if (responseBy) set('responseBy', lookups.user(responseBy));
	delete room.responseBy;
	if (typeof room.prid === 'string' && room.prid) {
		const parent = depth < 5 ? lookups.room(room.prid) : undefined;
		if (parent) out.parentRoom = convertRoomFull(parent, lookups, depth + 1);
	}
	delete room.prid;
	out._unmappedProperties_ = room;
	return out;
}

/** A visitor as Rocket.Chat's visitor converter hands it to apps: the mapped fields renamed, the rest unmapped. */
export function convertVisitor(stored: Record<string, unknown>): Record<string, unknown> {
	const rest: Record<string, unknown> = { ...stored };
	const out: Record<string, unknown> = {};
	for (const [to, from] of [
		['id', '_id'],
		['username', 'username'],
		['name', 'name'],
		['department', 'department'],
		['updatedAt', '_updatedAt'],
		['token', 'token'],
		['phone', 'phone'],
		['visitorEmails', 'visitorEmails'],
		['livechatData', 'livechatData'],
		['status', 'status'],
	]) {
		if (rest[from] !== undefined) out[to] = rest[from];
		delete rest[from];
	}
	out._unmappedProperties_ = rest;
	return out;
}
