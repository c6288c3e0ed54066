/**
 * The `/livechat-rooms` command's words, turned into the endpoint's parameters: a second grammar over the same
 * query (docs/command.md), not a second engine. Pure: nothing here knows the Apps-Engine. The caller hands `params` to
 * `parseRoomQuery`, exactly as the endpoint does with its query string.
 */
import type { ListParam, RoomParams, TextParam } from '../query/fromParams';
import { ENDPOINT_MAX_COUNT } from '../query/fromParams';
import type { MessageKey, Viewer } from './viewer';
import { isoOffset, say } from './viewer';

/**
 * What is wrong with the words, as an i18n key and its values: the answer says it in the caller's language
 * (`problemText`). The values echo only what the caller typed.
 */
export interface Problem {
	readonly key: MessageKey;
	readonly values?: Readonly<Record<string, string | number>>;
}

const problem = (key: MessageKey, values: Readonly<Record<string, string | number>> = {}): Problem => ({ key, values });

/** A problem in the viewer's words (English when no viewer is given). */
export const problemText = (found: Problem, viewer: Pick<Viewer, 'language'> = { language: 'en' }): string => say(viewer, found.key, found.values);

/** What the caller typed, understood. */
export type CommandRequest = SummaryRequest | HelpRequest | ErrorRequest | QueryRequest;

/**
 * The summary of the caller's scope: no words at all or `panel` (`console`: the console beside the chat, where the
 * client can open it; docs/command.md), or `summary` (always answered here, as a message).
 */
export interface SummaryRequest {
	readonly kind: 'summary';
	readonly console: boolean;
}

/** `help`, or a word the grammar does not know (then `notice` says which, as the answer's first line). */
export interface HelpRequest {
	readonly kind: 'help';
	/** In English; `problem` says it in any language. */
	readonly notice?: string;
	readonly problem?: Problem;
}

/** A value the grammar refuses: one line naming the command key and the expected form. */
export interface ErrorRequest {
	readonly kind: 'error';
	/** In English; `problem` says it in any language. */
	readonly message: string;
	readonly problem: Problem;
}

export interface QueryRequest {
	readonly kind: 'query';
	/** The endpoint's parameters, as a query string would carry them (`count` and `offset` always present). */
	readonly params: RoomParams;
	/** `department=` values (names or ids) still to be resolved into `departmentId`. */
	readonly departmentNames: string[];
	/** `agent=me` was asked: the caller's id joins `agents`. */
	readonly agentMe: boolean;
	/** 1-based page of `count` rooms (when paging by `offset=`, the page the offset falls in). */
	readonly page: number;
	readonly count: number;
	/** The first room to show, 0-based: `(page - 1) * count`, or the endpoint's `offset=`. */
	readonly offset: number;
	/** Whether the caller paged with `page=` (or not at all) or with the endpoint's `offset=`. */
	readonly paging: 'page' | 'offset';
	/** The words as typed, minus `page=` / `offset=`: the base of the next page's command. */
	readonly words: string[];
	/** A date or time was typed without an offset, and so read in the caller's zone (the answer says so). */
	readonly zonedDates: boolean;
}

/** How to read the words: dates and times typed without an offset are the caller's (minutes east of UTC). */
export interface ReadOptions {
	readonly offsetMinutes?: number;
}

/** The command's name, as typed after the slash. */
export const COMMAND = 'livechat-rooms';
/** Rooms per page when `count` is left out: a chat reply stays readable at a glance. */
export const COMMAND_DEFAULT_COUNT = 10;
/** The most rooms per page: the endpoint's own cap. */
export const COMMAND_MAX_COUNT = ENDPOINT_MAX_COUNT;

const STATUS_VALUES = ['open', 'closed', 'queued', 'onhold', 'all'] as const;
type Status = (typeof STATUS_VALUES)[number];

/** `status=` in the endpoint's words. */
const STATUS_PARAMS: Readonly<Record<Status, readonly [TextParam, string] | undefined>> = {
	open: ['open', 'true'],
	closed: ['open', 'false'],
	queued: ['queued', 'true'],
	onhold: ['onhold', 'true'],
	all: undefined,
};

/** Friendlier names for `sort=` fields, as the command's own keys name them. */
const SORT_ALIASES: ReadonlyMap<string, string> = new Map([
	['created', 'ts'],
	['closed', 'closedAt'],
	['name', 'fname'],
	['agent', 'servedBy.username'],
]);

const HELP_WORDS = new Set(['help', '?', '-h', '--help']);
/** The word that lists with the defaults, where no words at all answer the summary. */
export const LIST_WORD = 'list';
/** The word that opens the console beside the chat, as no words do. */
export const PANEL_WORD = 'panel';
/** The word that answers the summary as a message, even where the console could open. */
export const SUMMARY_WORD = 'summary';

// ---------------------------------------------------------------------------------------------------------------
// Words

/** One character of a word, and whether quoting or a backslash made it literal (a literal `,` does not split). */
interface Char {
	readonly c: string;
	readonly literal: boolean;
}

interface Word {
	/** As typed, quotes included: repeating it reproduces the same value. */
	readonly raw: string;
	readonly chars: readonly Char[];
}

const QUOTES = new Set(['"', '\u201c', '\u201d']);

/**
 * Splits the typed line into words: whitespace separates words outside double quotes (`"`, or the curly quotes a
 * phone keyboard types); `\"` and `\\` stand for `"` and `\` anywhere. `unclosed` holds the word whose quote never
 * closes.
 */
export function splitWords(line: string): { words: Word[]; unclosed?: string } {
	const words: Word[] = [];
	let chars: Char[] = [];
	let start = -1;
	let quoted = false;
	const end = (at: number): void => {
		if (start >= 0) words.push({ raw: line.slice(start, at), chars });
		chars = [];
		start = -1;
	};
	for (let i = 0; i < line.length; i++) {
		const c = line[i];
		if (!quoted && /\s/.test(c)) {
			end(i);
			continue;
		}
		if (start < 0) start = i;
		if (c === '\\' && (QUOTES.has(line[i + 1]) || line[i + 1] === '\\')) {
			chars.push({ c: QUOTES.has(line[i + 1]) ? '"' : '\\', literal: true });
			i++;
		} else if (QUOTES.has(c)) {
			quoted = !quoted;
		} else {
			chars.push({ c, literal: quoted });
		}
	}
	if (quoted) return { words, unclosed: line.slice(start) };
	end(line.length);
	return { words };
}

const text = (chars: readonly Char[]): string => chars.map((ch) => ch.c).join('');

/** A value's comma-separated items; commas inside quotes belong to the item. Blank items are dropped. */
function items(chars: readonly Char[]): string[] {
	const out: string[] = [];
	let current: Char[] = [];
	for (const ch of chars) {
		if (ch.c === ',' && !ch.literal) {
			out.push(text(current));
			current = [];
		} else {
			current.push(ch);
		}
	}
	out.push(text(current));
	return out.map((item) => item.trim()).filter((item) => item.length > 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Dates

const DATE = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function isCalendarDate(year: number, month: number, day: number): boolean {
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `Z` for UTC, else the offset as ISO-8601 writes it. */
const zoneOf = (offsetMinutes: number): string => (offsetMinutes === 0 ? 'Z' : isoOffset(offsetMinutes));

/** Whether a side of a range is read in the caller's zone: a date, a month, or a date and time without an offset. */
export function isZoned(value: string): boolean {
	const time = DATE_TIME.exec(value);
	return DATE.test(value) || (time !== null && time[8] === undefined);
}

/**
 * One side of a `START..END` range as the ISO string the endpoint gets, or undefined when it is not a date.
 * A date (`2024-05-01`) or a month (`2024-05`) covers all of it: its first millisecond as a start, its last as an end,
 * in the caller's zone (`offsetMinutes` east of UTC; the server's own zone would make the answer depend on where it
 * runs). A date and time without an offset is the caller's too; one with an offset (`Z`, `-03:00`) is as written.
 */
export function rangeBound(value: string, side: 'start' | 'end', offsetMinutes = 0): string | undefined {
	const zone = zoneOf(offsetMinutes);
	const date = DATE.exec(value);
	if (date) {
		const year = Number(date[1]);
		const month = Number(date[2]);
		const hasDay = date[3] !== undefined;
		const firstDay = hasDay ? Number(date[3]) : 1;
		if (month < 1 || month > 12 || !isCalendarDate(year, month, firstDay)) return undefined;
		if (side === 'start') return `${pad(year, 4)}-${pad(month)}-${pad(firstDay)}T00:00:00.000${zone}`;
		const lastDay = hasDay ? firstDay : new Date(Date.UTC(year, month, 0)).getUTCDate();
		return `${pad(year, 4)}-${pad(month)}-${pad(lastDay)}T23:59:59.999${zone}`;
	}
	const time = DATE_TIME.exec(value);
	if (!time) return undefined;
	const [, year, month, day, hour, minute, second] = time;
	if (!isCalendarDate(Number(year), Number(month), Number(day))) return undefined;
	if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return undefined;
	const typed = time[8];
	let iso = value.slice(0, value.length - (typed?.length ?? 0)).replace(/t/i, 'T');
	if (!typed) iso += zone;
	else if (typed.toUpperCase() === 'Z') iso += 'Z';
	else if (typed.length === 3) iso += `${typed}:00`;
	else iso += `${typed.slice(0, 3)}:${typed.slice(-2)}`;
	return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

/** A range's two sides as typed: `START..END`, or one date or month standing for both; undefined when malformed. */
export function rangeSides(value: string): readonly [string, string] | undefined {
	const parts = value.split('..');
	if (parts.length > 2) return undefined;
	return parts.length === 2 ? [parts[0], parts[1]] : [value, value];
}

/**
 * `created=` / `closed=`: `START..END` (either side optional) or a single date or month, as the endpoint's JSON;
 * dates without an offset in the caller's zone.
 */
export function rangeParam(value: string, offsetMinutes = 0): string | undefined {
	const sides = rangeSides(value);
	if (!sides) return undefined;
	const [startText, endText] = sides;
	if (!startText && !endText) return undefined;
	const start = startText ? rangeBound(startText, 'start', offsetMinutes) : undefined;
	const end = endText ? rangeBound(endText, 'end', offsetMinutes) : undefined;
	if ((startText && !start) || (endText && !end)) return undefined;
	if (start && end && Date.parse(start) > Date.parse(end)) return undefined;
	return JSON.stringify({ ...(start ? { start } : {}), ...(end ? { end } : {}) });
}

// ---------------------------------------------------------------------------------------------------------------
// Keys

const WHOLE = /^\d{1,12}$/;
const SORT_FIELD = /^[A-Za-z_$][\w$]*(?:\.[\w$]+)*$/;

/** A word's value three ways: unquoted and trimmed, as typed (for JSON), and character by character (for lists). */
interface Value {
	readonly text: string;
	readonly raw: string;
	readonly chars: readonly Char[];
}

/** The parameters being built, each remembering the word that set it (for "conflicts with" lines). */
interface Draft {
	readonly scalars: Map<TextParam, { value: string; word: string }>;
	readonly lists: Map<ListParam, string[]>;
	readonly fields: Map<string, { value: string; word: string }>;
	readonly sort: Array<[string, 1 | -1]>;
	readonly departmentNames: string[];
	readonly offsetMinutes: number;
	agentMe: boolean;
	zonedDates: boolean;
	status?: { value: Status; word: string };
	count?: number;
	page?: number;
	offset?: number;
}

/** A problem, or undefined when the word was taken. */
type Step = Problem | undefined;

type Handler = (draft: Draft, key: string, value: Value) => Step;

const wordOf = (key: string, value: string): string => `${key}=${value}`;

const conflict = (word: string, earlier: string): Problem => problem('Command_Error_Conflicts', { word, earlier });

function setScalar(draft: Draft, param: TextParam, value: string, word: string): Step {
	const earlier = draft.scalars.get(param);
	if (earlier && earlier.value !== value) return conflict(word, earlier.word);
	draft.scalars.set(param, { value, word });
	return undefined;
}

/** A value typed in JSON: as typed when that is a JSON object or array (its quotes survive), else unquoted. */
function jsonText(value: Value): string {
	for (const candidate of [value.raw, value.text]) {
		try {
			const parsed: unknown = JSON.parse(candidate);
			if (typeof parsed === 'object' && parsed !== null) return candidate;
		} catch {
			// not JSON as it stands: try the other reading
		}
	}
	return value.text;
}

/** A list value: comma-separated items, or a JSON array of strings (the endpoint's form); undefined when malformed. */
function listValues(value: Value): string[] | undefined {
	if (!value.text.startsWith('[')) return items(value.chars);
	try {
		const parsed: unknown = JSON.parse(jsonText(value));
		if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) {
			return parsed.map((item: string) => item.trim()).filter(Boolean);
		}
	} catch {
		// malformed: reported below
	}
	return undefined;
}

const status: Handler = (draft, key, value) => {
	const wanted = value.text.toLowerCase() as Status;
	if (!STATUS_VALUES.includes(wanted)) return problem('Command_Error_Status', { key, values: STATUS_VALUES.join(', ') });
	const word = wordOf(key, value.text);
	if (draft.status && draft.status.value !== wanted) return conflict(word, draft.status.word);
	draft.status = { value: wanted, word };
	const param = STATUS_PARAMS[wanted];
	return param ? setScalar(draft, param[0], param[1], word) : undefined;
};

/** Adds values to a list parameter in place: a line may hold thousands of them, so never copy the list per value. */
function appendTo(list: string[], values: readonly string[]): void {
	for (const value of values) list.push(value);
}

/** The draft's list for an endpoint parameter, started when first needed. */
function listParam(draft: Draft, param: ListParam): string[] {
	let list = draft.lists.get(param);
	if (!list) {
		list = [];
		draft.lists.set(param, list);
	}
	return list;
}

const agents: Handler = (draft, key, value) => {
	const values = listValues(value);
	if (!values || values.length === 0) return problem('Command_Error_Agent', { key });
	const named = values.filter((agent) => agent.toLowerCase() !== 'me').map((agent) => agent.replace(/^@/, ''));
	if (named.length !== values.length) draft.agentMe = true;
	if (named.length > 0) appendTo(listParam(draft, 'agents'), named);
	return undefined;
};

/** A list key: `param` is the endpoint's parameter, or `departmentNames` for names still to resolve. */
const list =
	(param: ListParam | 'departmentNames', what: MessageKey): Handler =>
	(draft, key, value) => {
		const values = listValues(value);
		if (!values || values.length === 0) return problem(what, { key });
		appendTo(param === 'departmentNames' ? draft.departmentNames : listParam(draft, param), values);
		return undefined;
	};

const range =
	(param: 'createdAt' | 'closedAt'): Handler =>
	(draft, key, value) => {
		const json = rangeParam(value.text, draft.offsetMinutes);
		if (!json) return problem('Command_Error_Dates', { key });
		if (rangeSides(value.text)?.some((side) => side !== '' && isZoned(side))) draft.zonedDates = true;
		return setScalar(draft, param, json, wordOf(key, value.text));
	};

const roomName =
	(example: string): Handler =>
	(draft, key, value) =>
		value.text ? setScalar(draft, 'roomName', value.text, wordOf(key, value.text)) : problem('Command_Error_Name', { key, example });

const sortKeys = (draft: Draft): string => draft.sort.map(([f, d]) => (d < 0 ? '-' : '') + f).join(',');

const sort: Handler = (draft, key, value) => {
	if (value.text.startsWith('{')) {
		const json = jsonText(value);
		if (draft.sort.length > 0) return conflict(wordOf(key, json), `${key}=${sortKeys(draft)}`);
		return setScalar(draft, 'sort', json, wordOf(key, json));
	}
	const earlier = draft.scalars.get('sort');
	if (earlier) return conflict(wordOf(key, value.text), earlier.word);
	const expected = problem('Command_Error_Sort', { key });
	const fields = items(value.chars);
	if (fields.length === 0) return expected;
	for (const item of fields) {
		const name = item.replace(/^[-+]/, '');
		const path = SORT_ALIASES.get(name.toLowerCase()) ?? name;
		if (!SORT_FIELD.test(path)) return expected;
		if (draft.sort.some(([f]) => f === path)) return problem('Command_Error_Sort_Twice', { key, field: path });
		draft.sort.push([path, item.startsWith('-') ? -1 : 1]);
	}
	return undefined;
};

function whole(text: string, min: number, max: number): number | undefined {
	if (!WHOLE.test(text)) return undefined;
	const n = Number(text);
	return n >= min && n <= max ? n : undefined;
}

const count: Handler = (draft, key, value) => {
	const n = whole(value.text, 1, COMMAND_MAX_COUNT);
	if (n === undefined) return problem('Command_Error_Count', { key, max: COMMAND_MAX_COUNT });
	if (draft.count !== undefined && draft.count !== n) return conflict(wordOf(key, value.text), `${key}=${draft.count}`);
	draft.count = n;
	return undefined;
};

const paging =
	(which: 'page' | 'offset'): Handler =>
	(draft, key, value) => {
		const min = which === 'page' ? 1 : 0;
		const n = whole(value.text, min, Number.MAX_SAFE_INTEGER);
		if (n === undefined) return problem('Command_Error_Whole', { key, min });
		if ((which === 'page' ? draft.offset : draft.page) !== undefined) return problem('Command_Error_Page_Or_Offset');
		const earlier = draft[which];
		if (earlier !== undefined && earlier !== n) return conflict(wordOf(key, value.text), `${key}=${earlier}`);
		draft[which] = n;
		return undefined;
	};

const field: Handler = (draft, key, value) => {
	const name = key.slice('field.'.length);
	if (!name) return problem('Command_Error_Field_Key');
	if (!value.text) return problem('Command_Error_Field_Value', { key });
	const word = wordOf(key, value.text);
	const json = draft.scalars.get('customFields');
	if (json) return conflict(word, json.word);
	const earlier = draft.fields.get(name);
	if (earlier && earlier.value !== value.text) return conflict(word, earlier.word);
	draft.fields.set(name, { value: value.text, word });
	return undefined;
};

const customFields: Handler = (draft, key, value) => {
	const json = jsonText(value);
	const first = draft.fields.values().next();
	if (!first.done) return conflict(wordOf(key, json), first.value.word);
	return setScalar(draft, 'customFields', json, wordOf(key, json));
};

/** An endpoint parameter passed on as typed: `parseRoomQuery` judges it and names it. */
const passThrough =
	(param: TextParam, json = false): Handler =>
	(draft, key, value) => {
		const text = json ? jsonText(value) : value.text;
		return setScalar(draft, param, text, wordOf(key, text));
	};

/** Every key the command knows, lower-cased: its own, then the endpoint's (`field.<key>` is matched apart). */
const KEYS: ReadonlyMap<string, Handler> = new Map(
	Object.entries({
		status,
		agent: agents,
		department: list('departmentNames', 'Command_Error_Departments'),
		tag: list('tags', 'Command_Error_Tags'),
		name: roomName('"Marcos Defendi"'),
		created: range('createdAt'),
		closed: range('closedAt'),
		sort,
		count,
		page: paging('page'),
		agents,
		departmentid: list('departmentId', 'Command_Error_Department_Ids'),
		open: passThrough('open'),
		onhold: passThrough('onhold'),
		queued: passThrough('queued'),
		tags: list('tags', 'Command_Error_Tags'),
		roomname: roomName('Marcos'),
		createdat: passThrough('createdAt', true),
		closedat: passThrough('closedAt', true),
		customfields: customFields,
		units: list('units', 'Command_Error_Units'),
		offset: paging('offset'),
		fields: () => problem('Command_Error_Fields'),
	}),
);

/** Keys offered in "did you mean" hints: the command's own. */
const OWN_KEYS = ['status', 'agent', 'department', 'tag', 'name', 'created', 'closed', 'field.', 'sort', 'count', 'page'];

function distance(a: string, b: string): number {
	const row = Array.from({ length: b.length + 1 }, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		let diagonal = row[0];
		row[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const above = row[j];
			row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
			diagonal = above;
		}
	}
	return row[b.length];
}

function unknownKey(key: string): Problem {
	const lower = key.toLowerCase();
	const near = [...OWN_KEYS, ...KEYS.keys()]
		.map((candidate) => ({ candidate, d: distance(lower, candidate.toLowerCase()) }))
		.filter(({ d }) => d <= 2)
		.sort((a, b) => a.d - b.d)[0];
	if (!near || near.candidate === 'fields') return problem('Command_Error_Unknown_Key', { key });
	return problem('Command_Error_Unknown_Key_Hint', { key, suggestion: near.candidate === 'field.' ? 'field.<key>' : near.candidate });
}

function bareWord(word: string): Problem {
	const lower = word.toLowerCase();
	return (STATUS_VALUES as readonly string[]).includes(lower)
		? problem('Command_Error_Bare_Word_Hint', { word, status: lower })
		: problem('Command_Error_Bare_Word', { word });
}

const helpWith = (found: Problem): HelpRequest => ({ kind: 'help', notice: problemText(found), problem: found });
const errorWith = (found: Problem): ErrorRequest => ({ kind: 'error', message: problemText(found), problem: found });

// ---------------------------------------------------------------------------------------------------------------
// The request

/** Entries as a JSON object, in their order (a key such as `__proto__` stays a plain key). */
function jsonObject(entries: ReadonlyArray<readonly [string, unknown]>): string {
	const object: Record<string, unknown> = Object.create(null);
	for (const [key, value] of entries) object[key] = value;
	return JSON.stringify(object);
}

function finish(draft: Draft, words: string[]): QueryRequest {
	const params: { -readonly [K in keyof RoomParams]: RoomParams[K] } = {};
	for (const [param, { value }] of draft.scalars) params[param] = value;
	for (const [param, values] of draft.lists) params[param] = values;
	if (draft.fields.size > 0) params.customFields = jsonObject([...draft.fields].map(([key, { value }]) => [key, value]));
	if (draft.sort.length > 0) params.sort = jsonObject(draft.sort);
	const count = draft.count ?? COMMAND_DEFAULT_COUNT;
	const offset = draft.offset ?? ((draft.page ?? 1) - 1) * count;
	params.count = String(count);
	params.offset = String(offset);
	return {
		kind: 'query',
		params,
		departmentNames: draft.departmentNames,
		agentMe: draft.agentMe,
		page: Math.floor(offset / count) + 1,
		count,
		offset,
		paging: draft.offset === undefined ? 'page' : 'offset',
		words,
		zonedDates: draft.zonedDates,
	};
}

/**
 * Reads the command's arguments (as Rocket.Chat splits them: on single spaces) into a request; dates and times typed
 * without an offset are read at `offsetMinutes` east of UTC (the caller's zone; UTC when left out).
 */
export function parseCommand(args: readonly string[], options: ReadOptions = {}): CommandRequest {
	const split = splitWords(args.join(' '));
	if (split.words.some((word) => word.chars.every((ch) => !ch.literal) && HELP_WORDS.has(text(word.chars).toLowerCase()))) {
		return { kind: 'help' };
	}
	if (split.unclosed !== undefined) {
		const key = split.unclosed.split('=')[0].replace(/["\u201c\u201d]/g, '');
		return errorWith(key ? problem('Command_Error_Unclosed', { key }) : problem('Command_Error_Unclosed_Value'));
	}
	if (split.words.length === 0) return { kind: 'summary', console: true };
	const first = split.words[0];
	const alone = split.words.length === 1 && first.chars.every((ch) => !ch.literal) ? text(first.chars).toLowerCase() : undefined;
	if (alone === PANEL_WORD || alone === SUMMARY_WORD) return { kind: 'summary', console: alone === PANEL_WORD };
	const listed = first.chars.every((ch) => !ch.literal) && text(first.chars).toLowerCase() === LIST_WORD;
	const draft: Draft = {
		scalars: new Map(),
		lists: new Map(),
		fields: new Map(),
		sort: [],
		departmentNames: [],
		offsetMinutes: options.offsetMinutes ?? 0,
		agentMe: false,
		zonedDates: false,
	};
	const words: string[] = [];
	for (const word of listed ? split.words.slice(1) : split.words) {
		let at = word.chars.findIndex((ch) => ch.c === '=' && !ch.literal);
		if (at < 0) at = word.chars.findIndex((ch) => ch.c === '=');
		if (at < 0) return helpWith(bareWord(text(word.chars)));
		const key = text(word.chars.slice(0, at)).trim();
		const chars = word.chars.slice(at + 1);
		const value: Value = { text: text(chars).trim(), raw: word.raw.slice(word.raw.indexOf('=') + 1), chars };
		const lower = key.toLowerCase();
		const handler = lower.startsWith('field.') ? field : KEYS.get(lower);
		if (!handler) return helpWith(unknownKey(key));
		const found = handler(draft, key, value);
		if (found) return errorWith(found);
		if (lower !== 'page' && lower !== 'offset') words.push(word.raw);
	}
	return finish(draft, words);
}

/**
 * The words (after the command's name) that show the page after this one, or undefined when this page reaches the
 * last match. They are what the Next button carries, and what the text fallback prints after `/livechat-rooms`.
 */
export function nextPageWords(request: QueryRequest, total: number): string | undefined {
	const next = request.offset + request.count;
	if (next >= total) return undefined;
	const paging = request.paging === 'offset' ? `offset=${next}` : `page=${request.page + 1}`;
	return [...request.words, paging].join(' ');
}

/** The words that show the page before this one, or undefined on the first page (or a page past the end's neighbour). */
export function previousPageWords(request: QueryRequest, total: number): string | undefined {
	if (request.offset === 0) return undefined;
	if (request.paging === 'offset') return [...request.words, `offset=${Math.max(0, request.offset - request.count)}`].join(' ');
	// Past the end, Previous goes to the last page that has rooms.
	const lastPage = Math.max(1, Math.ceil(total / request.count));
	const page = Math.min(request.page - 1, lastPage);
	return [...request.words, `page=${page}`].join(' ');
}

/** The typed command for these words. */
export const commandOf = (words: string): string => (words ? `/${COMMAND} ${words}` : `/${COMMAND}`);

/** The exact command that shows the page after this one, or undefined when this page reaches the last match. */
export function nextPageCommand(request: QueryRequest, total: number): string | undefined {
	const words = nextPageWords(request, total);
	return words === undefined ? undefined : commandOf(words);
}
