/**
 * What Rocket.Chat 8.x does when an app reads rooms with `IRoomRead.getAllRooms` (docs/workspace.md, "How close to
 * Rocket.Chat 8.x it is"): it reads only the 34 fields of `ROOM_PROJECTION` from each stored room, then converts the document with the
 * server's "raw" room converter, which makes no database look-ups. Mapped fields are renamed, user references are cut
 * down to `{ _id, username?, name? }`, and every read field the converter does not know travels in
 * `_unmappedProperties_`. Written from the documented mapping, not copied.
 */
import type { StoredRoom } from '../data/types';

/** The fields Rocket.Chat's room bridge reads for `getAllRooms` (`rawRoomProjection`), in its order. */
export const ROOM_PROJECTION: readonly string[] = [
	'_id',
	'fname',
	'name',
	'usernames',
	'members',
	'uids',
	'default',
	'ro',
	'sysMes',
	'msgs',
	'ts',
	'_updatedAt',
	'closedAt',
	'lm',
	'description',
	'customFields',
	'prid',
	'teamId',
	'teamMain',
	'federated',
	'federation',
	'livechatData',
	'waitingResponse',
	'open',
	'source',
	'closer',
	't',
	'u',
	'v',
	'contactId',
	'departmentId',
	'closedBy',
	'servedBy',
	'responseBy',
];

/** A stored room cut to the projection, as MongoDB hands it back (absent fields stay absent). */
export function projectRoom(room: StoredRoom): StoredRoom {
	const out: StoredRoom = {};
	for (const field of ROOM_PROJECTION) {
		if (field in room) out[field] = room[field];
	}
	return out;
}

/** stored field -> app field, for the fields copied as they are. */
const RENAMED: ReadonlyArray<readonly [string, string]> = [
	['_id', 'id'],
	['t', 'type'],
	['fname', 'displayName'],
	['name', 'slugifiedName'],
	['msgs', 'messageCount'],
	['ts', 'createdAt'],
	['_updatedAt', 'updatedAt'],
	['lm', 'lastModifiedAt'],
	['closedAt', 'closedAt'],
	['customFields', 'customFields'],
	['livechatData', 'livechatData'],
	['description', 'description'],
	['source', 'source'],
	['closer', 'closer'],
	['teamId', 'teamId'],
	['contactId', 'contactId'],
	['departmentId', 'departmentId'],
	['members', 'members'],
	['usernames', 'usernames'],
	['waitingResponse', 'isWaitingResponse'],
	['open', 'isOpen'],
	['teamMain', 'isTeamMain'],
	['default', 'isDefault'],
	['ro', 'isReadOnly'],
	['prid', 'parentRoomId'],
	['uids', 'userIds'],
	// Federation: Rocket.Chat's raw map (`convertRoomRaw`, now `decodeRoomRaw` in `converters/codecs/rooms.ts`) renames
	// `federated` to `isFederated` and keeps `federation` as `federation` since the 8.x minor that exposed both fields
	// to apps (Rocket.Chat pull request 40791); the class-based `converters/rooms.ts` before it had neither entry, so
	// there both fields travelled in `_unmappedProperties_` (as apps on the earlier 8.x minors see them). The workspace
	// follows the current source; an app that must also serve older 8.x servers reads `isFederated ?? _unmappedProperties_.federated`.
	['federated', 'isFederated'],
	['federation', 'federation'],
];

/** stored user reference -> app field, each cut to `{ _id, username?, name? }`. */
const USER_REFERENCES: ReadonlyArray<readonly [string, string]> = [
	['u', 'creator'],
	['servedBy', 'servedBy'],
	['closedBy', 'closedBy'],
	['responseBy', 'responseBy'],
];

const MAPPED = new Set<string>([...RENAMED.map(([from]) => from), ...USER_REFERENCES.map(([from]) => from), 'sysMes', 'v']);

function userLookup(value: unknown): Record<string, unknown> | undefined {
	if (!value || typeof value !== 'object') return undefined;
	const user = value as Record<string, unknown>;
	const out: Record<string, unknown> = { _id: user._id ?? user.id };
	if (user.username) out.username = user.username;
	if (user.name) out.name = user.name;
	return out;
}

function visitor(value: unknown): Record<string, unknown> | undefined {
	if (!value || typeof value !== 'object') return undefined;
	const { _id, ...rest } = value as Record<string, unknown>;
	return { id: _id, ...rest };
}

/** The room as the app receives it (`IRoomRaw` plus `_unmappedProperties_`); fields with no value are left out. */
export function convertRoomToAppRaw(room: StoredRoom): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const set = (key: string, value: unknown): void => {
		if (value !== undefined) out[key] = value;
	};
	for (const [from, to] of RENAMED) set(to, room[from]);
	for (const [from, to] of USER_REFERENCES) set(to, userLookup(room[from]));
	out.displaySystemMessages = room.sysMes === undefined ? true : room.sysMes;
	set('visitor', visitor(room.v));
	const unmapped: Record<string, unknown> = {};
	for (const key of Object.keys(room)) {
		if (!MAPPED.has(key)) unmapped[key] = room[key];
	}
	out._unmappedProperties_ = unmapped;
	return out;
}
