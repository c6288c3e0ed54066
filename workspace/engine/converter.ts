/**
 * A faithful copy of what Rocket.Chat does when an app reads rooms with `IRoomRead.getAllRooms`: each stored room
 * document is converted by the server's "raw" room converter (see the project's engine notes, section 3). Mapped
 * fields are renamed, user references are cut down to `{ _id, username?, name? }`, and every field the converter does
 * not know travels untouched in `_unmappedProperties_`. Written from the documented mapping, not copied.
 */
export type StoredRoom = Record<string, unknown>;

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
	const out: Record<string, unknown> = { _id: user._id };
	if (user.username !== undefined) out.username = user.username;
	if (user.name !== undefined) out.name = user.name;
	return out;
}

function visitor(value: unknown): Record<string, unknown> | undefined {
	if (!value || typeof value !== 'object') return undefined;
	const { _id, ...rest } = value as Record<string, unknown>;
	return { id: _id, ...rest };
}

/** The room as the app receives it (`IRoomRaw` plus `_unmappedProperties_`). */
export function convertRoomToAppRaw(room: StoredRoom): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [from, to] of RENAMED) out[to] = room[from];
	for (const [from, to] of USER_REFERENCES) out[to] = userLookup(room[from]);
	out.displaySystemMessages = room.sysMes === undefined ? true : room.sysMes;
	out.visitor = visitor(room.v);
	const unmapped: Record<string, unknown> = {};
	for (const key of Object.keys(room)) {
		if (!MAPPED.has(key)) unmapped[key] = room[key];
	}
	out._unmappedProperties_ = unmapped;
	return out;
}
