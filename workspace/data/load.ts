/**
 * Reads a workspace data file: one JSON object with `users`, `departments` (optional) and `rooms`, validated
 * strictly. Room documents may come straight from `mongoexport --jsonArray` of `rocketchat_room`: MongoDB extended
 * JSON (`$date`, `$oid`, `$numberInt`, `$numberLong`, `$numberDouble`) is decoded anywhere in the file, and the ISO
 * strings of the date fields Rocket.Chat stores on rooms become `Date`s. Every problem is reported as a
 * `DataFileError` whose message names the file and the exact place, e.g. `rooms.json: rooms[12]._id must be a
 * non-empty string`.
 */
import { readFileSync } from 'fs';

import type { StoredRoom, WorkspaceData, WorkspaceDepartment, WorkspaceUser } from './types';
import { isDate } from '../engine/dates';
import type { Doc } from '../loose';

/** A data file that cannot be used; the message is `<file>: <problem>`. */
export class DataFileError extends Error {
	constructor(
		public readonly source: string,
		public readonly problem: string,
	) {
		super(`${source}: ${problem}`);
		this.name = 'DataFileError';
	}
}

/** Where a value sits in the file, as segments; formatted only when something is wrong. */
type Path = Array<string | number>;

/** Thrown while walking the document; turned into a `DataFileError` with the source name at the top. */
class Problem extends Error {}

const TOP_LEVEL_KEYS = ['users', 'departments', 'rooms'];

const MAX_DEPTH = 100;

/** Date fields Rocket.Chat stores on room documents, by dotted path; their ISO strings become `Date`s. */
export const ROOM_DATE_FIELDS: readonly string[] = [
	'ts',
	'_updatedAt',
	'lm',
	'closedAt',
	'queuedAt',
	'autoTransferredAt',
	'webRtcCallStartTime',
	'callStarted',
	'servedBy.ts',
	'responseBy.firstResponseTs',
	'responseBy.lastMessageTs',
	'v.lastMessageTs',
	'lastMessage.ts',
	'lastMessage._updatedAt',
	'lastMessage.editedAt',
	'lastMessage.pinnedAt',
	'lastMessage.tlm',
	'closingMessage.ts',
	'closingMessage._updatedAt',
	'metrics.v.lq',
	'metrics.servedBy.lr',
	'metrics.reaction.fd',
	'metrics.response.fd',
	'omnichannel.predictedVisitorAbandonmentAt',
	'transcriptRequest.requestedAt',
];

const DATE_PATHS = ROOM_DATE_FIELDS.map((field) => field.split('.'));

/** Room fields whose type is checked when present (`null` is accepted everywhere but `_id` and `t`). */
const ROOM_FIELD_TYPES: ReadonlyArray<readonly [string, FieldType]> = [
	['fname', 'string'],
	['name', 'string'],
	['departmentId', 'string'],
	['closer', 'string'],
	['msgs', 'number'],
	['usersCount', 'number'],
	['priorityWeight', 'number'],
	['estimatedWaitingTimeQueue', 'number'],
	['open', 'boolean'],
	['onHold', 'boolean'],
	['waitingResponse', 'boolean'],
	['cl', 'boolean'],
	['ro', 'boolean'],
	['tags', 'strings'],
	['departmentAncestors', 'strings'],
	['usernames', 'strings'],
	['uids', 'strings'],
	['v', 'object'],
	['livechatData', 'object'],
	['customFields', 'object'],
	['metrics', 'object'],
	['source', 'object'],
	['lastMessage', 'object'],
	['servedBy', 'user'],
	['closedBy', 'user'],
	['responseBy', 'user'],
	['u', 'user'],
];

type FieldType = 'string' | 'number' | 'boolean' | 'strings' | 'object' | 'user';

const TYPE_NAMES: Record<FieldType, string> = {
	string: 'a string',
	number: 'a number',
	boolean: 'a boolean',
	strings: 'an array of strings',
	object: 'an object',
	user: 'an object with a non-empty string _id',
};

/** `YYYY-MM-DDTHH:mm[:ss[.fff...]]` with `Z` or `+HH:mm` / `-HH:mm`: what mongoexport and `toISOString` write. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/** Reads, parses and validates a data file; throws a `DataFileError` naming the file and the problem. */
export function loadDataFile(file: string): WorkspaceData {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		throw new DataFileError(file, `cannot read the file (${errorText(error)})`);
	}
	return validate(parseJson(text, file), file, false);
}

/**
 * Validates already-parsed JSON (or JavaScript values) as workspace data; `source` names it in error messages.
 * `users` and `rooms` are required, `departments` may be left out (no departments). The input is not modified:
 * the rooms returned are copies (any `Date` in the input is kept as it is).
 */
export function parseData(json: unknown, source: string): WorkspaceData {
	return validate(json, source, true);
}

/** `copy`: build new objects; otherwise decode in place (the freshly parsed file belongs to nobody else). */
function validate(json: unknown, source: string, copy: boolean): WorkspaceData {
	try {
		const top = checkTopLevel(decode(json, [], 0, copy));
		return {
			users: checkUsers(top.users),
			departments: top.departments === undefined ? [] : checkDepartments(top.departments),
			rooms: checkRooms(top.rooms),
		};
	} catch (error) {
		if (error instanceof Problem) throw new DataFileError(source, error.message);
		throw error;
	}
}

function parseJson(text: string, source: string): unknown {
	const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	try {
		return JSON.parse(body);
	} catch (error) {
		throw new DataFileError(source, `not valid JSON (${describeSyntaxError(body, errorText(error))})`);
	}
}

function errorText(error: unknown): string {
	const message = error && typeof error === 'object' ? (error as { message?: unknown }).message : undefined;
	return typeof message === 'string' ? message : String(error);
}

/**
 * The parser's message with the line and column of the error. Node's parser gives a position for most errors; for
 * an unexpected token it quotes the text instead, so the position is found by scanning.
 */
function describeSyntaxError(text: string, message: string): string {
	const given = /at position (\d+)/.exec(message);
	if (given) return /line \d+/.test(message) ? message : `${message}, ${lineAndColumn(text, Number(given[1]))}`;
	const at = syntaxErrorOffset(text);
	if (at === undefined) return message;
	const token = /^(Unexpected token '.+?'),/s.exec(message);
	return `${token ? token[1] : message} in JSON at position ${at}, ${lineAndColumn(text, at)}`;
}

function lineAndColumn(text: string, position: number): string {
	const before = text.slice(0, position);
	const line = before.split('\n').length;
	const column = before.length - before.lastIndexOf('\n');
	return `line ${line} column ${column}`;
}

const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

type Expecting = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'next' | 'end';

/** Where the first character that cannot continue a JSON text sits; undefined when the text only ends early. */
function syntaxErrorOffset(text: string): number | undefined {
	const stack: string[] = [];
	let expecting: Expecting = 'value';
	let i = 0;
	for (;;) {
		while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
		if (i >= text.length) return undefined;
		const c = text[i];
		const top = stack[stack.length - 1];
		if ((expecting === 'valueOrClose' && c === ']') || (expecting === 'keyOrClose' && c === '}')) {
			stack.pop();
			i++;
			expecting = stack.length ? 'next' : 'end';
		} else if (expecting === 'value' || expecting === 'valueOrClose') {
			if (c === '{' || c === '[') {
				stack.push(c);
				i++;
				expecting = c === '{' ? 'keyOrClose' : 'valueOrClose';
				continue;
			}
			const end = scalarEnd(text, i);
			if (end === undefined || end < 0) return end === undefined ? undefined : -end - 1;
			i = end;
			expecting = stack.length ? 'next' : 'end';
		} else if (expecting === 'key' || expecting === 'keyOrClose') {
			if (c !== '"') return i;
			const end = stringEnd(text, i);
			if (end === undefined) return undefined;
			i = end;
			expecting = 'colon';
		} else if (expecting === 'colon') {
			if (c !== ':') return i;
			i++;
			expecting = 'value';
		} else if (expecting === 'next' && c === ',') {
			i++;
			expecting = top === '{' ? 'key' : 'value';
		} else if (expecting === 'next' && ((c === '}' && top === '{') || (c === ']' && top === '['))) {
			stack.pop();
			i++;
			expecting = stack.length ? 'next' : 'end';
		} else {
			return i;
		}
	}
}

/** After the string, number or literal at `i`: its end; `-(offset + 1)` for a bad character; undefined if cut short. */
function scalarEnd(text: string, i: number): number | undefined {
	const c = text[i];
	if (c === '"') return stringEnd(text, i);
	for (const word of ['true', 'false', 'null']) {
		if (c !== word[0]) continue;
		for (let k = 1; k < word.length; k++) {
			if (i + k >= text.length) return undefined;
			if (text[i + k] !== word[k]) return -(i + k) - 1;
		}
		return i + word.length;
	}
	JSON_NUMBER.lastIndex = i;
	return JSON_NUMBER.test(text) ? JSON_NUMBER.lastIndex : -i - 1;
}

/** The index after the closing quote of the string opening at `i`, or undefined when the text ends first. */
function stringEnd(text: string, i: number): number | undefined {
	for (let k = i + 1; k < text.length; k++) {
		if (text[k] === '\\') k++;
		else if (text[k] === '"') return k + 1;
	}
	return undefined;
}

function formatPath(path: Path): string {
	let out = '';
	for (const segment of path) {
		if (typeof segment === 'number') out += `[${segment}]`;
		else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out ? `.${segment}` : segment;
		else out += `[${JSON.stringify(segment)}]`;
	}
	return out || 'the top level';
}

function fail(path: Path, problem: string): never {
	throw new Problem(`${formatPath(path)} ${problem}`);
}

function isPlainObject(value: unknown): value is Doc {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
	const proto = Object.getPrototypeOf(value);
	return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
	if (isDate(value)) return 'a Date';
	const text = JSON.stringify(value);
	if (text === undefined) return typeof value;
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

// ---- MongoDB extended JSON ----

/**
 * `value` with every extended JSON wrapper replaced by its plain value: a copy when `copy` is set, otherwise the
 * same containers, changed in place.
 */
function decode(value: unknown, path: Path, depth: number, copy: boolean): unknown {
	if (depth > MAX_DEPTH) fail(path, `is nested more than ${MAX_DEPTH} levels deep`);
	if (Array.isArray(value)) return decodeArray(value, path, depth, copy);
	if (!isPlainObject(value)) return value;
	const wrapper = wrapperKey(value);
	if (wrapper !== undefined) return decodeWrapper(wrapper, value[wrapper], path);
	const out: Doc = copy ? {} : value;
	for (const key in value) {
		const item = value[key];
		if (item === null || typeof item !== 'object') {
			if (copy) out[key] = item;
			continue;
		}
		path.push(key);
		const decoded = decode(item, path, depth + 1, copy);
		path.pop();
		if (copy || decoded !== item) out[key] = decoded;
	}
	return out;
}

/** The key of an extended JSON wrapper (an object whose only key starts with `$`), or undefined. */
function wrapperKey(value: Doc): string | undefined {
	let found: string | undefined;
	for (const key in value) {
		if (found !== undefined || key.charCodeAt(0) !== 36) return undefined;
		found = key;
	}
	return found;
}

function decodeArray(value: unknown[], path: Path, depth: number, copy: boolean): unknown[] {
	const out = copy ? new Array<unknown>(value.length) : value;
	for (let i = 0; i < value.length; i++) {
		const item = value[i];
		if (item === null || typeof item !== 'object') {
			if (copy) out[i] = item;
			continue;
		}
		path.push(i);
		out[i] = decode(item, path, depth + 1, copy);
		path.pop();
	}
	return out;
}

function decodeWrapper(key: string, inner: unknown, path: Path): unknown {
	switch (key) {
		case '$date':
			return decodeDate(inner, path);
		case '$oid':
			if (typeof inner === 'string' && /^[0-9a-fA-F]{24}$/.test(inner)) return inner;
			return fail(path, `is not a valid ObjectId (${describe({ $oid: inner })})`);
		case '$numberInt':
		case '$numberLong':
		case '$numberDouble':
			return decodeNumber(key, inner, path);
		default:
			return fail(path, `uses the extended JSON type "${key}", which a data file does not support`);
	}
}

function decodeDate(inner: unknown, path: Path): Date {
	let date: Date | undefined;
	if (typeof inner === 'string') date = parseIsoDate(inner);
	else if (typeof inner === 'number' && Number.isFinite(inner)) date = new Date(inner);
	else if (isPlainObject(inner) && Object.keys(inner).length === 1 && typeof inner.$numberLong === 'string' && /^-?\d+$/.test(inner.$numberLong)) {
		date = new Date(Number(inner.$numberLong));
	}
	if (!date || Number.isNaN(date.getTime())) fail(path, `is not a valid date (${describe({ $date: inner })})`);
	return date;
}

function decodeNumber(key: string, inner: unknown, path: Path): number {
	const text = typeof inner === 'string' ? inner.trim() : '';
	const special: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
	if (key === '$numberDouble' && text in special) return special[text];
	const pattern = key === '$numberDouble' ? /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/ : /^-?\d+$/;
	if (!pattern.test(text)) fail(path, `is not a valid number (${describe({ [key]: inner })})`);
	return Number(text);
}

/** An ISO 8601 date-time with a time zone (`Z` or an offset), on a real calendar day; otherwise undefined. */
function parseIsoDate(text: string): Date | undefined {
	if (!ISO_DATE_TIME.test(text)) return undefined;
	const date = new Date(text);
	const time = date.getTime();
	if (Number.isNaN(time)) return undefined;
	const offset = text.endsWith('Z')
		? 0
		: (text.charCodeAt(text.length - 6) === 45 ? -1 : 1) * (digits(text, text.length - 5, 2) * 60 + digits(text, text.length - 2, 2));
	const written = offset === 0 ? date : new Date(time + offset * 60000);
	const sameDay =
		written.getUTCFullYear() === digits(text, 0, 4) && written.getUTCMonth() + 1 === digits(text, 5, 2) && written.getUTCDate() === digits(text, 8, 2);
	return sameDay ? date : undefined;
}

/** The decimal number written at `text[start .. start + length)` (digits only, already checked). */
function digits(text: string, start: number, length: number): number {
	let n = 0;
	for (let i = start; i < start + length; i++) n = n * 10 + text.charCodeAt(i) - 48;
	return n;
}

// ---- top level ----

function checkTopLevel(value: unknown): { users: unknown; departments: unknown; rooms: unknown } {
	if (Array.isArray(value)) {
		throw new Problem(
			'the top level is an array; it must be an object {"users": [...], "departments": [...], "rooms": [...]} ' +
				'(put a mongoexport --jsonArray of rocketchat_room under "rooms")',
		);
	}
	if (!isPlainObject(value)) throw new Problem('the top level must be an object {"users": [...], "departments": [...], "rooms": [...]}');
	for (const key of Object.keys(value)) {
		if (!TOP_LEVEL_KEYS.includes(key)) {
			throw new Problem(`unknown top-level key ${JSON.stringify(key)} (expected "users", "departments" and "rooms")`);
		}
	}
	if (value.users === undefined) throw new Problem('missing "users" (an array of {_id, username, name, roles, authToken})');
	if (value.rooms === undefined) throw new Problem('missing "rooms" (an array of room documents)');
	return { users: value.users, departments: value.departments, rooms: value.rooms };
}

function checkArray(value: unknown, key: string): unknown[] {
	if (!Array.isArray(value)) fail([key], `must be an array (got ${describe(value)})`);
	return value;
}

function checkObject(value: unknown, path: Path): Doc {
	if (!isPlainObject(value)) fail(path, `must be an object (got ${describe(value)})`);
	return value;
}

function nonEmptyString(value: unknown, path: Path): string {
	if (typeof value !== 'string' || value === '') fail(path, 'must be a non-empty string');
	return value;
}

/** Remembers ids by list; fails on the second occurrence of one. */
function checkUnique(seen: Map<string, number>, id: string, list: string, index: number, field: string): void {
	const first = seen.get(id);
	if (first !== undefined) fail([list, index, field], `${JSON.stringify(id)} duplicates ${list}[${first}].${field}`);
	seen.set(id, index);
}

// ---- users and departments ----

function checkUsers(value: unknown): WorkspaceUser[] {
	const list = checkArray(value, 'users');
	const ids = new Map<string, number>();
	const names = new Map<string, number>();
	return list.map((item, index) => {
		const user = checkUser(item, index);
		checkUnique(ids, user._id, 'users', index, '_id');
		checkUnique(names, user.username, 'users', index, 'username');
		return user;
	});
}

function checkUser(value: unknown, index: number): WorkspaceUser {
	const user = checkObject(value, ['users', index]);
	const roles = user.roles;
	if (!Array.isArray(roles) || roles.some((role) => typeof role !== 'string')) {
		fail(['users', index, 'roles'], 'must be an array of strings');
	}
	return {
		_id: nonEmptyString(user._id, ['users', index, '_id']),
		username: nonEmptyString(user.username, ['users', index, 'username']),
		name: nonEmptyString(user.name, ['users', index, 'name']),
		roles: [...(roles as string[])],
		authToken: nonEmptyString(user.authToken, ['users', index, 'authToken']),
		...(optionalFields(user, USER_FIELDS, ['users', index]) as Partial<WorkspaceUser>),
	};
}

/** How an optional field of a user or department is checked; the message completes "<path> must be ...". */
interface OptionalField {
	name: string;
	check(value: unknown): boolean;
	expected: string;
}

function oneOf(name: string, values: readonly string[]): OptionalField {
	const listed = values.map((v) => JSON.stringify(v));
	const expected = listed.length === 2 ? `${listed[0]} or ${listed[1]}` : `one of ${listed.join(', ')}`;
	return { name, check: (value) => typeof value === 'string' && values.includes(value), expected };
}

function boolean(name: string): OptionalField {
	return { name, check: (value) => typeof value === 'boolean', expected: 'a boolean' };
}

function strings(name: string): OptionalField {
	return { name, check: (value) => hasType(value, 'strings'), expected: 'an array of strings' };
}

/** The user fields the omnichannel actions read (routing skips agents who are not available, offline or deactivated). */
const USER_FIELDS: readonly OptionalField[] = [
	oneOf('statusLivechat', ['available', 'not-available']),
	oneOf('status', ['online', 'away', 'busy', 'offline', 'disabled']),
	boolean('active'),
	{
		name: 'utcOffset',
		check: (value) => typeof value === 'number' && Number.isFinite(value) && value >= -14 && value <= 14,
		expected: 'a number of hours from -14 to 14',
	},
	{
		name: 'language',
		check: (value) => typeof value === 'string' && /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/.test(value),
		expected: 'a language tag such as "pt-BR"',
	},
];

/** The department fields the omnichannel actions read (routing, forwarding, closing). */
const DEPARTMENT_FIELDS: readonly OptionalField[] = [
	{
		name: 'agents',
		check: (value) =>
			Array.isArray(value) &&
			value.every(
				(agent) => (typeof agent === 'string' && agent !== '') || (isPlainObject(agent) && typeof agent.agentId === 'string' && agent.agentId !== ''),
			),
		expected: 'an array of user ids or of objects with a non-empty string agentId',
	},
	oneOf('routingMethod', ['Auto_Selection', 'Manual_Selection']),
	strings('ancestors'),
	strings('chatClosingTags'),
	boolean('requestTagBeforeClosingChat'),
	boolean('allowReceiveForwardOffline'),
];

/** The listed fields present in `doc`, each checked (absent ones are left out; `null` is a type error). */
function optionalFields(doc: Doc, fields: readonly OptionalField[], at: Path): Doc {
	const out: Doc = {};
	for (const field of fields) {
		const value = doc[field.name];
		if (value === undefined) continue;
		if (!field.check(value)) fail([...at, field.name], `must be ${field.expected} (got ${describe(value)})`);
		out[field.name] = copyJson(value);
	}
	return out;
}

/** A copy of a checked JSON value (arrays and plain objects copied, made in this realm: `structuredClone` is not). */
function copyJson(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(copyJson);
	if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copyJson(item)]));
	return value;
}

function checkDepartments(value: unknown): WorkspaceDepartment[] {
	const list = checkArray(value, 'departments');
	const ids = new Map<string, number>();
	return list.map((item, index) => {
		const department = checkObject(item, ['departments', index]);
		const _id = nonEmptyString(department._id, ['departments', index, '_id']);
		const name = nonEmptyString(department.name, ['departments', index, 'name']);
		if (typeof department.enabled !== 'boolean') fail(['departments', index, 'enabled'], 'must be a boolean');
		checkUnique(ids, _id, 'departments', index, '_id');
		return {
			_id,
			name,
			enabled: department.enabled,
			...(optionalFields(department, DEPARTMENT_FIELDS, ['departments', index]) as Partial<WorkspaceDepartment>),
		};
	});
}

// ---- rooms ----

function checkRooms(value: unknown): StoredRoom[] {
	const list = checkArray(value, 'rooms');
	const ids = new Map<string, number>();
	const rooms = new Array<StoredRoom>(list.length);
	for (let index = 0; index < list.length; index++) {
		const room = checkRoom(list[index], index);
		checkUnique(ids, room._id as string, 'rooms', index, '_id');
		rooms[index] = room;
	}
	return rooms;
}

function checkRoom(value: unknown, index: number): StoredRoom {
	const room = checkObject(value, ['rooms', index]);
	nonEmptyString(room._id, ['rooms', index, '_id']);
	nonEmptyString(room.t, ['rooms', index, 't']);
	for (const [field, type] of ROOM_FIELD_TYPES) checkField(room[field], type, ['rooms', index, field]);
	for (const path of DATE_PATHS) convertDate(room, path, index);
	return room;
}

function checkField(value: unknown, type: FieldType, path: Path): void {
	if (value === undefined || value === null || hasType(value, type)) return;
	fail(path, `must be ${TYPE_NAMES[type]} (got ${describe(value)})`);
}

function hasType(value: unknown, type: FieldType): boolean {
	switch (type) {
		case 'strings':
			return Array.isArray(value) && value.every((item) => typeof item === 'string');
		case 'object':
			return isPlainObject(value);
		case 'user':
			return isPlainObject(value) && typeof value._id === 'string' && value._id !== '';
		default:
			return typeof value === type;
	}
}

/** Turns the ISO string at `path` (inside the decoded, already copied room) into a `Date`, in place. */
function convertDate(room: Doc, path: readonly string[], index: number): void {
	let holder: unknown = room;
	for (let i = 0; i < path.length - 1; i++) {
		if (!isPlainObject(holder)) return;
		holder = holder[path[i]];
	}
	if (!isPlainObject(holder)) return;
	const key = path[path.length - 1];
	const value = holder[key];
	if (value === undefined || value === null) return;
	if (isDate(value) && !Number.isNaN(value.getTime())) return;
	const date = typeof value === 'string' ? parseIsoDate(value) : undefined;
	if (!date) {
		fail(
			['rooms', index, ...path],
			`is not a valid date (got ${describe(value)}; expected an ISO 8601 date-time with a time zone, ` +
				'e.g. "2026-10-01T12:00:00.000Z", or {"$date": ...})',
		);
	}
	holder[key] = date;
}
