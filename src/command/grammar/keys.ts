/** The command's keys (`status=`, `agent=`, ... and the endpoint's own parameters), each a handler that fills a draft of the parameters. */
import type { ListParam, TextParam } from '../../query/fromParams';
import { ENDPOINT_MAX_COUNT } from '../../query/fromParams';
import type { MessageKey } from '../viewer';
import { isZoned, rangeParam, rangeSides } from './dates';
import type { Problem } from './problems';
import { problem } from './problems';
import type { Char } from './words';
import { items } from './words';

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

const WHOLE = /^\d{1,12}$/;
const SORT_FIELD = /^[A-Za-z_$][\w$]*(?:\.[\w$]+)*$/;

/** A word's value three ways: unquoted and trimmed, as typed (for JSON), and character by character (for lists). */
export interface Value {
	readonly text: string;
	readonly raw: string;
	readonly chars: readonly Char[];
}

/** The parameters being built, each remembering the word that set it (for "conflicts with" lines). */
export interface Draft {
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
export type Step = Problem | undefined;

export type Handler = (draft: Draft, key: string, value: Value) => Step;

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

/** The command's own keys, lower-cased, in the order "did you mean" hints prefer them (`field.<key>` by its prefix). */
const OWN_KEYS: Readonly<Record<string, Handler>> = {
	status,
	agent: agents,
	department: list('departmentNames', 'Command_Error_Departments'),
	tag: list('tags', 'Command_Error_Tags'),
	name: roomName('"Marcos Defendi"'),
	created: range('createdAt'),
	closed: range('closedAt'),
	'field.': field,
	sort,
	count,
	page: paging('page'),
};

/** The endpoint's parameters, lower-cased, as the command also takes them. */
const ENDPOINT_KEYS: Readonly<Record<string, Handler>> = {
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
};

/** Every key the command knows: its own, then the endpoint's. */
const KEYS: ReadonlyMap<string, Handler> = new Map(Object.entries({ ...OWN_KEYS, ...ENDPOINT_KEYS }));

/** The handler of a key (lower-cased), or undefined for a key the command does not know. */
export const handlerOf = (lower: string): Handler | undefined => (lower.startsWith('field.') ? field : KEYS.get(lower));

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

export function unknownKey(key: string): Problem {
	const lower = key.toLowerCase();
	const near = [...KEYS.keys()]
		.map((candidate) => ({ candidate, d: distance(lower, candidate.toLowerCase()) }))
		.filter(({ d }) => d <= 2)
		.sort((a, b) => a.d - b.d)[0];
	if (!near || near.candidate === 'fields') return problem('Command_Error_Unknown_Key', { key });
	return problem('Command_Error_Unknown_Key_Hint', { key, suggestion: near.candidate === 'field.' ? 'field.<key>' : near.candidate });
}

export function bareWord(word: string): Problem {
	const lower = word.toLowerCase();
	return (STATUS_VALUES as readonly string[]).includes(lower)
		? problem('Command_Error_Bare_Word_Hint', { word, status: lower })
		: problem('Command_Error_Bare_Word', { word });
}
