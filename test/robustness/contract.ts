/**
 * The endpoint's and the command's contracts as checks on one answer (docs/endpoint.md, docs/command.md):
 * each returns what is wrong with the answer, or undefined. Written from the reference, not from the app's code; only
 * the list of parameter names is the parser's own, so that a parameter added there is fuzzed at once.
 */
import { ROOM_PARAMETERS } from '../../src/query/fromParams';
import type { Answer } from './harness';
import { announcedTotal, hostQuery } from './harness';

/** The endpoint's parameters: every name the parser's table holds. */
export const PARAMETERS: readonly string[] = ROOM_PARAMETERS;

const KNOWN = new Set(PARAMETERS);

/** What a caller may list, from their roles and the default role settings. */
export type Scope = 'all' | 'own' | 'none';

export const ALL_ROOMS_ROLES: readonly string[] = ['admin', 'livechat-manager'];
export const OWN_ROOMS_ROLES: readonly string[] = ['admin', 'livechat-manager', 'livechat-monitor', 'livechat-agent'];

export function scopeOfRoles(roles: readonly string[]): Scope {
	if (roles.some((role) => ALL_ROOMS_ROLES.includes(role))) return 'all';
	if (roles.some((role) => OWN_ROOMS_ROLES.includes(role))) return 'own';
	return 'none';
}

/** The parameter a key names: `agents[]`, `agents[3]` -> `agents` (a host that leaves brackets in the keys). */
export function parameterOf(key: string): string {
	const open = key.indexOf('[');
	return open > 0 && key.endsWith(']') ? key.slice(0, open) : key;
}

/** Parameter names in the order the host hands them over. */
export function namesOf(query: Record<string, unknown>): string[] {
	return Object.keys(query).map(parameterOf);
}

const SHAPE = /^(\w+) must be (a non-negative integer|a string|a string or an array of strings) \[invalid-params\]$/;
const UNKNOWN = /^must NOT have additional properties: ("(?:[^"\\]|\\.)*") \[invalid-params\]$/;
const SORT = /^Invalid sort parameter provided: "[\s\S]*" \[error-invalid-sort\]$/;
const FIELDS = /^Invalid fields parameter provided: "[\s\S]*" \[error-invalid-fields\]$/;
const RANGE = /^The "(createdAt|closedAt)" query parameter must (?:be a valid JSON|have "start" or "end")\.$/;
const RANGE_BOUND = /^The "(createdAt|closedAt)\.(?:start|end)" query parameter must be a valid date\.$/;
const CUSTOM_FIELDS = /^The "customFields" query parameter must be a valid JSON\.$/;
const QUERY = /^Invalid query parameter(?: provided: "[\s\S]*"|: [\s\S]+) \[error-invalid-query\]$/;
const FORMAT = /^format must be "json" or "csv", not "[\s\S]*" \[invalid-params\]$/;

/** The parameter a 400's message names, with the `errorType` that message must come with; undefined for any other text. */
export function namedParameter(error: string): { name: string; errorType?: string } | undefined {
	let match = UNKNOWN.exec(error);
	if (match) return { name: JSON.parse(match[1]) as string, errorType: 'invalid-params' };
	match = SHAPE.exec(error);
	if (match) return KNOWN.has(match[1]) ? { name: match[1], errorType: 'invalid-params' } : undefined;
	if (SORT.test(error)) return { name: 'sort', errorType: 'error-invalid-sort' };
	if (FIELDS.test(error)) return { name: 'fields', errorType: 'error-invalid-fields' };
	match = RANGE.exec(error) ?? RANGE_BOUND.exec(error);
	if (match) return { name: match[1] };
	if (CUSTOM_FIELDS.test(error)) return { name: 'customFields' };
	if (QUERY.test(error)) return { name: 'query', errorType: 'error-invalid-query' };
	if (FORMAT.test(error)) return { name: 'format', errorType: 'invalid-params' };
	return undefined;
}

/**
 * A 200 to `format=csv`: `text/csv; charset=utf-8`, a header row, every row ending with CRLF, a page of at most 100
 * rooms unless `count=0` (rows are counted by CRLF outside quotes).
 */
function csvProblem(search: string, answer: Answer): string | undefined {
	if (!/^text\/csv; charset=utf-8\b/.test(answer.contentType)) return `a CSV answer with content type ${answer.contentType}`;
	const text = answer.text;
	if (!text.endsWith('\r\n')) return `CSV that does not end with CRLF: ${JSON.stringify(text.slice(-50))}`;
	let rows = 0;
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		if (text[i] === '"') quoted = !quoted;
		else if (!quoted && text[i] === '\r' && text[i + 1] === '\n') rows++;
	}
	if (quoted) return 'CSV with an unclosed quote';
	if (text.startsWith('\r\n')) return 'CSV without a header row';
	if (rows - 1 > 100 && !/(^|&)count=0(&|$)/.test(search)) return `${rows - 1} rooms in one CSV page`;
	return undefined;
}

/**
 * One endpoint answer against the contract, for the query string the server received (`search`) and the caller's
 * scope:
 * - 200, 400 or 403 only, JSON (`Content-Type: application/json`) with a boolean `success`;
 * - 400: `success: false`, and `error` is one of the reference's messages naming a parameter the request holds: the first
 *   unknown name when there is one (names are checked before values), else one of the parameters; `errorType`
 *   as that message requires;
 * - 403: `{"success":false,"error":"unauthorized"}`, never for a caller who may list every room;
 * - 200: only for a request whose names are all known, from a caller who may list rooms, with the envelope; for
 *   `format=csv`, CSV instead (`csvProblem`).
 */
export function endpointProblem(search: string, answer: Answer, scope: Scope): string | undefined {
	const { status, body } = answer;
	if (status !== 200 && status !== 400 && status !== 403) return `status ${status}: ${answer.text.slice(0, 300)}`;
	const query = hostQuery(search);
	const names = namesOf(query);
	const unknown = names.find((name) => !KNOWN.has(name));
	if (status === 200 && query.format === 'csv') {
		if (unknown !== undefined) return `200 for a request with the unknown parameter ${JSON.stringify(unknown)}`;
		if (scope === 'none') return 'a caller without a rooms role got 200';
		return csvProblem(search, answer);
	}
	if (!/^application\/json\b/.test(answer.contentType)) return `content type ${answer.contentType}`;
	if (body === null || typeof body !== 'object' || typeof body.success !== 'boolean')
		return `body is no JSON object with a boolean success: ${answer.text.slice(0, 300)}`;
	if (status === 200) {
		if (body.success !== true) return 'a 200 without success: true';
		if (unknown !== undefined) return `200 for a request with the unknown parameter ${JSON.stringify(unknown)}`;
		if (scope === 'none') return 'a caller without a rooms role got 200';
		const keys = Object.keys(body).join(',');
		if (keys !== 'rooms,count,offset,total,success') return `envelope keys ${keys}`;
		if (!Array.isArray(body.rooms) || body.count !== body.rooms.length) return `count ${body.count} for ${body.rooms?.length} rooms`;
		if (!Number.isInteger(body.offset) || body.offset < 0) return `offset ${body.offset}`;
		if (!Number.isInteger(body.total) || body.total < body.count) return `total ${body.total} below count ${body.count}`;
		if (body.rooms.length > 100 && !/(^|&)count=0(&|$)/.test(search)) return `${body.rooms.length} rooms in one page`;
		return undefined;
	}
	if (body.success !== false) return `a ${status} with success: ${body.success}`;
	if (typeof body.error !== 'string') return `a ${status} whose error is no string`;
	if (status === 403) {
		if (body.error !== 'unauthorized' || body.errorType !== undefined) return `403 body ${answer.text}`;
		if (scope === 'all') return 'a caller who may list every room got 403';
		return undefined;
	}
	const named = namedParameter(body.error);
	if (!named) return `400 error names no parameter: ${JSON.stringify(body.error)}`;
	if (body.errorType !== named.errorType) return `errorType ${JSON.stringify(body.errorType)} with ${JSON.stringify(body.error)}`;
	if (unknown !== undefined) {
		return named.name === unknown ? undefined : `the unknown parameter ${JSON.stringify(unknown)} is not the one named: ${body.error}`;
	}
	if (!names.includes(named.name)) return `400 names ${named.name}, which the request does not hold (${names.join(',')})`;
	return undefined;
}

/** The command's usage starts with this (docs/command.md: help, or an unknown key). */
const USAGE = '/livechat-rooms [key=value ...]';
const STACK_FRAME = /^\s*at \S.*(?::\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;

/** The summary's first line (docs/command.md, "The summary": no words at all), as an English-speaking caller reads it. */
const SUMMARY = /^(?:Livechat rooms|Your livechat rooms) · /;

/** What kind of reply the command gave, or undefined when it is none of the four the contract allows. */
export function replyKind(text: string): 'help' | 'error' | 'rooms' | 'summary' | undefined {
	if (text.includes(USAGE)) return 'help';
	if (text.startsWith('⚠️ ')) return 'error';
	if (announcedTotal(text) !== undefined) return 'rooms';
	if (SUMMARY.test(text)) return 'summary';
	return undefined;
}

/**
 * One `commands.run` answer for `/livechat-rooms <params>` by a caller who holds `view-l-room`: 200, one notification
 * with text (help, one error line, a room list or the summary) and blocks, and no trace of an exception (no stack frame, no
 * `Error:` the caller did not type, not the app's "something went wrong" line that stands for a thrown error).
 */
export function commandProblem(params: string, answer: Answer): string | undefined {
	if (answer.status !== 200) return `status ${answer.status}: ${answer.text.slice(0, 300)}`;
	const body = answer.body;
	if (!body || body.success !== true || !Array.isArray(body.notifications)) return `body ${answer.text.slice(0, 300)}`;
	if (body.notifications.length !== 1) return `${body.notifications.length} notifications`;
	const [notification] = body.notifications;
	const text: unknown = notification.text;
	if (typeof text !== 'string' || text.trim() === '') return 'a notification without text';
	if (!Array.isArray(notification.blocks) || notification.blocks.length === 0) return 'a notification without blocks';
	if (STACK_FRAME.test(text)) return `a stack frame in the reply: ${text.slice(0, 500)}`;
	if (text.includes('Error:') && !params.includes('Error:')) return `"Error:" in the reply: ${text.slice(0, 500)}`;
	if (text.includes('Something went wrong') && !params.includes('Something went wrong')) return `the app failed (it logged an error): ${text.slice(0, 300)}`;
	if (!replyKind(text)) return `neither help, an error line, a room list nor the summary: ${text.slice(0, 300)}`;
	return undefined;
}
