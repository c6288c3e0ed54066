/**
 * The room document rebuilt from what the engine hands the app: the exact inverse of Rocket.Chat's "raw" room
 * converter (docs/workspace.md, "How close to Rocket.Chat 8.x it is"). Renamed fields get their stored names back, the visitor gets `_id` again,
 * and every key of `_unmappedProperties_` is spread back in (it wins over a mapped field of the same name, as a
 * spread would). Fields with no value (`null`/`undefined`) are left out, never `null`.
 *
 * Decisions where the mapping is not one-to-one:
 * - `sysMes`: the converter answers `displaySystemMessages: true` when the stored room has no `sysMes`, and livechat
 *   rooms normally have none; so `true` is read as "absent" and only `false` (or Rocket.Chat's array form) is emitted.
 * - Dates: `ts`, `_updatedAt`, `lm` and `closedAt` may arrive as `Date` or as ISO strings (after a JSON hop); a
 *   string that parses becomes a `Date`, one that does not is kept as given. Values inside `_unmappedProperties_`
 *   (and unmapped top-level fields such as `queuedAt`) stay exactly as given.
 * - User references (`u`, `servedBy`, `closedBy`, `responseBy`) lose their empty keys (copied only when they have
 *   some); the visitor is copied to get `_id` back. Whatever the engine hands over is kept (nothing is invented,
 *   nothing it sent is dropped). Sub-objects may be shared with the engine's room: nothing here modifies them.
 * - A top-level key the table does not know (a newer engine's addition) is passed through unless it would collide
 *   with a stored name the table produces.
 *
 * Key order follows the stored shape the REST API returns (docs/endpoint.md, "Answer"), then the other mapped fields, then
 * the livechat fields Rocket.Chat 6.x/7.x store (`queuedAt`, `departmentAncestors`, `priorityWeight`, ...), then
 * the remaining unmapped fields in the order the engine gave them. The search converts only the rooms of the page it
 * answers; matching and ordering read the engine's room directly (`storedField`, `compileEngineMatcher`).
 */
import type { EngineRoom } from './EngineRoom';
import type { RoomDocument } from './RoomDocument';

const COPY = 0;
const DATE = 1;
const USER = 2;
const VISITOR = 3;
const SYSTEM_MESSAGES = 4;
type Kind = typeof COPY | typeof DATE | typeof USER | typeof VISITOR | typeof SYSTEM_MESSAGES;

/** A stored field: its name, where the engine puts it (`null`: only in `_unmappedProperties_`), how to restore it. */
type FieldSpec = readonly [stored: string, engine: string | null, kind: Kind];

/** Stored fields in the order documents are emitted (`roomFromEngine` spells the same list out). */
export const FIELDS: readonly FieldSpec[] = [
	['_id', 'id', COPY],
	['t', 'type', COPY],
	['fname', 'displayName', COPY],
	['name', 'slugifiedName', COPY],
	['msgs', 'messageCount', COPY],
	['usersCount', null, COPY],
	['lm', 'lastModifiedAt', DATE],
	['ts', 'createdAt', DATE],
	['_updatedAt', 'updatedAt', DATE],
	['v', 'visitor', VISITOR],
	['servedBy', 'servedBy', USER],
	['open', 'isOpen', COPY],
	['waitingResponse', 'isWaitingResponse', COPY],
	['onHold', null, COPY],
	['closedAt', 'closedAt', DATE],
	['closer', 'closer', COPY],
	['closedBy', 'closedBy', USER],
	['responseBy', 'responseBy', USER],
	['departmentId', 'departmentId', COPY],
	['tags', null, COPY],
	['livechatData', 'livechatData', COPY],
	['lastMessage', null, COPY],
	['metrics', null, COPY],
	['source', 'source', COPY],
	['cl', null, COPY],
	['u', 'creator', USER],
	['customFields', 'customFields', COPY],
	['description', 'description', COPY],
	['teamId', 'teamId', COPY],
	['contactId', 'contactId', COPY],
	['members', 'members', COPY],
	['usernames', 'usernames', COPY],
	['teamMain', 'isTeamMain', COPY],
	['default', 'isDefault', COPY],
	['ro', 'isReadOnly', COPY],
	['prid', 'parentRoomId', COPY],
	['uids', 'userIds', COPY],
	['sysMes', 'displaySystemMessages', SYSTEM_MESSAGES],
	// Newer 8.x converters map these two; older ones leave them in `_unmappedProperties_` (read either way).
	['federated', 'isFederated', COPY],
	['federation', 'federation', COPY],
	// Livechat fields the converter leaves in `_unmappedProperties_`, named here so most rooms keep one object shape.
	['queuedAt', null, COPY],
	['departmentAncestors', null, COPY],
	['priorityId', null, COPY],
	['priorityWeight', null, COPY],
	['slaId', null, COPY],
	['estimatedWaitingTimeQueue', null, COPY],
	['autoTransferredAt', null, COPY],
	['autoTransferOngoing', null, COPY],
	['transcriptRequest', null, COPY],
	['pdfTranscriptRequested', null, COPY],
	['pdfTranscriptFileId', null, COPY],
	['omnichannel', null, COPY],
	['email', null, COPY],
	['sms', null, COPY],
	['verified', null, COPY],
	['topic', null, COPY],
];

/** Where the engine keeps every stored field the converter does not map. */
export const UNMAPPED = '_unmappedProperties_';

const STORED_NAMES: ReadonlySet<string> = new Set(FIELDS.map(([stored]) => stored));
const ENGINE_NAMES: ReadonlySet<string> = new Set([UNMAPPED, ...FIELDS.map(([, engine]) => engine).filter((name): name is string => name !== null)]);

const hasOwn = Object.prototype.hasOwnProperty;

/** Sets an own property, even one named `__proto__`. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
	if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
	else target[key] = value;
}

/** The engine's `_unmappedProperties_`, when it is an object. */
export function unmappedOf(raw: EngineRoom): Record<string, unknown> | undefined {
	const unmapped = raw[UNMAPPED];
	return unmapped !== null && typeof unmapped === 'object' && !Array.isArray(unmapped) ? (unmapped as Record<string, unknown>) : undefined;
}

function digits(text: string, from: number, count: number): number {
	let value = 0;
	for (let i = from; i < from + count; i++) {
		const digit = text.charCodeAt(i) - 48;
		if (digit < 0 || digit > 9) return -1;
		value = value * 10 + digit;
	}
	return value;
}

/**
 * `Date.parse`, with a fast path for the one format dates travel in (`toISOString`: `2024-03-01T10:00:00.000Z`).
 * The fast path only takes values `Date.parse` reads the same way (no day past 28, no hour 24, no year below 100);
 * anything else goes to `Date.parse`.
 */
export function parseDate(text: string): number {
	if (
		text.length === 24 &&
		text.charCodeAt(4) === 45 &&
		text.charCodeAt(7) === 45 &&
		text.charCodeAt(10) === 84 &&
		text.charCodeAt(13) === 58 &&
		text.charCodeAt(16) === 58 &&
		text.charCodeAt(19) === 46 &&
		text.charCodeAt(23) === 90
	) {
		const year = digits(text, 0, 4);
		const month = digits(text, 5, 2);
		const day = digits(text, 8, 2);
		const hour = digits(text, 11, 2);
		const minute = digits(text, 14, 2);
		const second = digits(text, 17, 2);
		const millisecond = digits(text, 20, 3);
		if (
			year >= 100 &&
			month >= 1 &&
			month <= 12 &&
			day >= 1 &&
			day <= 28 &&
			hour >= 0 &&
			hour <= 23 &&
			minute >= 0 &&
			minute <= 59 &&
			second >= 0 &&
			second <= 59 &&
			millisecond >= 0
		) {
			return Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
		}
	}
	return Date.parse(text);
}

/** A date field as stored: a parsable ISO string becomes a `Date`; anything else stays as given. */
export function restoreDate(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	const time = parseDate(value);
	return Number.isNaN(time) ? value : new Date(time);
}

/** A user reference without its empty keys: the engine's own object when it has none (it is never modified). */
function withoutEmptyKeys(value: unknown): unknown {
	if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return value;
	const source = value as Record<string, unknown>;
	const keys = Object.keys(source);
	let empty = false;
	for (let i = 0; i < keys.length && !empty; i++) empty = source[keys[i]] === null || source[keys[i]] === undefined;
	if (!empty) return source;
	const copy: Record<string, unknown> = {};
	for (const key of keys) {
		const inner = source[key];
		if (inner !== null && inner !== undefined) setOwn(copy, key, inner);
	}
	return copy;
}

function restoreVisitor(value: unknown): unknown {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
	const visitor = value as Record<string, unknown>;
	const copy: Record<string, unknown> = {};
	const id = visitor.id;
	if (hasOwn.call(visitor, 'id') && id !== null && id !== undefined) copy._id = id;
	for (const key of Object.keys(visitor)) {
		if (key === 'id') continue;
		const inner = visitor[key];
		if (inner !== undefined) setOwn(copy, key, inner);
	}
	return copy;
}

/** A stored field as `roomFromEngine` restores it: `_unmappedProperties_` wins, else the engine's value. */
function pick(unmapped: Record<string, unknown> | undefined, stored: string, engineValue: unknown): unknown {
	return unmapped !== undefined && hasOwn.call(unmapped, stored) ? unmapped[stored] : engineValue;
}

/**
 * The engine's Deno runtime rewrites every `.usernames` in an app's (minified) code into an awaited getter, a fix for
 * a deprecated room API that turns an assignment to it into a syntax error; so the name is never written out whole.
 */
const USERNAMES = ['user', 'names'].join('');

/**
 * Rebuilds the stored room document (`rocketchat_room`) from the engine's `IRoomRaw` (inverse of the raw converter).
 * Written out field by field (the order of `FIELDS`): named stores keep every room on one fast object shape, where a
 * loop of keyed stores would turn each room into a slow dictionary object.
 */
export function roomFromEngine(raw: EngineRoom): RoomDocument {
	const u = unmappedOf(raw);
	const room: Record<string, unknown> = {};
	let v: unknown;
	if ((v = pick(u, '_id', raw.id)) != null) room._id = v;
	if ((v = pick(u, 't', raw.type)) != null) room.t = v;
	if ((v = pick(u, 'fname', raw.displayName)) != null) room.fname = v;
	if ((v = pick(u, 'name', raw.slugifiedName)) != null) room.name = v;
	if ((v = pick(u, 'msgs', raw.messageCount)) != null) room.msgs = v;
	if ((v = pick(u, 'usersCount', raw.usersCount)) != null) room.usersCount = v;
	if ((v = pick(u, 'lm', restoreDate(raw.lastModifiedAt))) != null) room.lm = v;
	if ((v = pick(u, 'ts', restoreDate(raw.createdAt))) != null) room.ts = v;
	if ((v = pick(u, '_updatedAt', restoreDate(raw.updatedAt))) != null) room._updatedAt = v;
	if ((v = pick(u, 'v', restoreVisitor(raw.visitor))) != null) room.v = v;
	if ((v = pick(u, 'servedBy', withoutEmptyKeys(raw.servedBy))) != null) room.servedBy = v;
	if ((v = pick(u, 'open', raw.isOpen)) != null) room.open = v;
	if ((v = pick(u, 'waitingResponse', raw.isWaitingResponse)) != null) room.waitingResponse = v;
	if ((v = pick(u, 'onHold', raw.onHold)) != null) room.onHold = v;
	if ((v = pick(u, 'closedAt', restoreDate(raw.closedAt))) != null) room.closedAt = v;
	if ((v = pick(u, 'closer', raw.closer)) != null) room.closer = v;
	if ((v = pick(u, 'closedBy', withoutEmptyKeys(raw.closedBy))) != null) room.closedBy = v;
	if ((v = pick(u, 'responseBy', withoutEmptyKeys(raw.responseBy))) != null) room.responseBy = v;
	if ((v = pick(u, 'departmentId', raw.departmentId)) != null) room.departmentId = v;
	if ((v = pick(u, 'tags', raw.tags)) != null) room.tags = v;
	if ((v = pick(u, 'livechatData', raw.livechatData)) != null) room.livechatData = v;
	if ((v = pick(u, 'lastMessage', raw.lastMessage)) != null) room.lastMessage = v;
	if ((v = pick(u, 'metrics', raw.metrics)) != null) room.metrics = v;
	if ((v = pick(u, 'source', raw.source)) != null) room.source = v;
	if ((v = pick(u, 'cl', raw.cl)) != null) room.cl = v;
	if ((v = pick(u, 'u', withoutEmptyKeys(raw.creator))) != null) room.u = v;
	if ((v = pick(u, 'customFields', raw.customFields)) != null) room.customFields = v;
	if ((v = pick(u, 'description', raw.description)) != null) room.description = v;
	if ((v = pick(u, 'teamId', raw.teamId)) != null) room.teamId = v;
	if ((v = pick(u, 'contactId', raw.contactId)) != null) room.contactId = v;
	if ((v = pick(u, 'members', raw.members)) != null) room.members = v;
	if ((v = pick(u, USERNAMES, raw[USERNAMES])) != null) room[USERNAMES] = v;
	if ((v = pick(u, 'teamMain', raw.isTeamMain)) != null) room.teamMain = v;
	if ((v = pick(u, 'default', raw.isDefault)) != null) room.default = v;
	if ((v = pick(u, 'ro', raw.isReadOnly)) != null) room.ro = v;
	if ((v = pick(u, 'prid', raw.parentRoomId)) != null) room.prid = v;
	if ((v = pick(u, 'uids', raw.userIds)) != null) room.uids = v;
	if ((v = pick(u, 'sysMes', raw.displaySystemMessages === true ? undefined : raw.displaySystemMessages)) != null) room.sysMes = v;
	if ((v = pick(u, 'federated', raw.isFederated)) != null) room.federated = v;
	if ((v = pick(u, 'federation', raw.federation)) != null) room.federation = v;
	if ((v = pick(u, 'queuedAt', raw.queuedAt)) != null) room.queuedAt = v;
	if ((v = pick(u, 'departmentAncestors', raw.departmentAncestors)) != null) room.departmentAncestors = v;
	if ((v = pick(u, 'priorityId', raw.priorityId)) != null) room.priorityId = v;
	if ((v = pick(u, 'priorityWeight', raw.priorityWeight)) != null) room.priorityWeight = v;
	if ((v = pick(u, 'slaId', raw.slaId)) != null) room.slaId = v;
	if ((v = pick(u, 'estimatedWaitingTimeQueue', raw.estimatedWaitingTimeQueue)) != null) room.estimatedWaitingTimeQueue = v;
	if ((v = pick(u, 'autoTransferredAt', raw.autoTransferredAt)) != null) room.autoTransferredAt = v;
	if ((v = pick(u, 'autoTransferOngoing', raw.autoTransferOngoing)) != null) room.autoTransferOngoing = v;
	if ((v = pick(u, 'transcriptRequest', raw.transcriptRequest)) != null) room.transcriptRequest = v;
	if ((v = pick(u, 'pdfTranscriptRequested', raw.pdfTranscriptRequested)) != null) room.pdfTranscriptRequested = v;
	if ((v = pick(u, 'pdfTranscriptFileId', raw.pdfTranscriptFileId)) != null) room.pdfTranscriptFileId = v;
	if ((v = pick(u, 'omnichannel', raw.omnichannel)) != null) room.omnichannel = v;
	if ((v = pick(u, 'email', raw.email)) != null) room.email = v;
	if ((v = pick(u, 'sms', raw.sms)) != null) room.sms = v;
	if ((v = pick(u, 'verified', raw.verified)) != null) room.verified = v;
	if ((v = pick(u, 'topic', raw.topic)) != null) room.topic = v;
	if (u !== undefined) {
		for (const key of Object.keys(u)) {
			if (STORED_NAMES.has(key)) continue;
			const value = u[key];
			if (value !== null && value !== undefined) setOwn(room, key, value);
		}
	}
	for (const key of Object.keys(raw)) {
		if (ENGINE_NAMES.has(key) || STORED_NAMES.has(key) || (u !== undefined && hasOwn.call(u, key))) continue;
		const value = raw[key];
		if (value !== null && value !== undefined) setOwn(room, key, value);
	}
	return room as RoomDocument;
}
