/**
 * The endpoint's query string as the shared query model (docs/endpoint.md, "Parameters"). `params` is what the host's query parser
 * made of the query string: Express's `qs` (strings, arrays for `a=x&a=y` / `a[]=x` / `a[0]=x`, objects for `a[k]=v`,
 * objects with numeric keys past qs's array limit) or a host that leaves the brackets in the keys
 * (`{"agents[]": "a"}`, `{"agents[0]": "a"}`). Both are served the same way. Nothing here throws, whatever the input.
 *
 * Order of checks, as upstream's (its schema first, unknown names before shapes, then the parsers):
 * 1. unknown parameter names (the first one is named);
 * 2. shapes, in the schema's order: count, offset, sort, fields, createdAt, customFields, closedAt, agents, roomName,
 *    departmentId, open, onhold, queued, tags, units, query, format (including a count or offset that is not a
 *    non-negative integer);
 * 3. sort, fields, createdAt, closedAt, customFields, then format (`json` or `csv`) and query (`filter/compile.ts`).
 *
 * Decisions where the documented contract and upstream leave room:
 * - An empty value (`roomName=`, `count=`, `agents=`) means the parameter is absent, and empty strings inside a list
 *   given as repeated or bracketed keys are ignored. A list with no value left is absent (no filter).
 * - An explicit empty JSON list (`agents=[]`) filters to nothing, as upstream's `$in: []` does.
 * - A single value that looks like a list (`[...]`) is read as JSON first, then as the documentation's single-quoted
 *   form (`['rocket', 'chat']`, bare words allowed: `[rocket, chat]`); anything else is one plain value. Values that
 *   arrive as several keys or elements are taken literally (they already are a list). JSON numbers and booleans in a
 *   list are taken as their text; a list holding objects or arrays is the wrong shape.
 * - `departmentId`: the literal `undefined` is dropped from the list; a list of nothing but `undefined` is no filter.
 * - `count` / `offset`: a number MongoDB-style query coercion accepts (`Number(text)`), that is a non-negative
 *   integer (`1e2` is 100; `1.5`, `-1`, `abc` and blanks are refused). `count` above 100 becomes 100; 0 means all.
 * - `sort`: a JSON object of `1`/`-1` whose keys are field paths (no empty segment), at most 32 keys (MongoDB's
 *   limit); `{}` is accepted and orders by `_id` alone (upstream passes it to MongoDB as "no order").
 * - `fields`: `_id` may be `0` in an inclusion, or `0`/`1` on its own; `{}` is no projection. Mixing anything else
 *   (including `"_id": 1` in an exclusion) is refused.
 * - `createdAt` / `closedAt`: a bound that is absent, `null`, `""` (any falsy value, as upstream reads it) is left out;
 *   a bound that is not a string `Date.parse` understands is not a valid date. Other keys are ignored.
 * - `roomName`: a value starting and ending with `"` is exact (upstream's test; `"` alone is the empty name).
 * - `open` takes exactly `true`/`false`; `onhold` and `queued` take `true`, `1` or `t`; other values mean no filter.
 *   Hosts that pass real booleans (or numbers for `count` and `offset`) are understood too.
 * - `query` must be a string (a JSON object): `query[a]=b` (an object from the host's bracket parsing) is the wrong
 *   shape, since brackets lose every type but strings. `format` other than `json`/`csv`:
 *   `format must be "json" or "csv", not "xml" [invalid-params]`.
 * - The unknown-parameter message keeps upstream's text and names the key:
 *   `must NOT have additional properties: "foo" [invalid-params]` (for `foo[]`, the name is `foo`).
 */
import type { DateRange, Projection, QueryError, Result, RoomNameFilter, RoomQuery, SortDirection } from './RoomQuery';
import { isDocument } from '../values/path';
import { filterPaths } from './filterPaths';
import { parseMongoQuery } from './filter/compile';
import { fail, ok } from './RoomQuery';

/** Rooms per page when the endpoint's `count` is left out, as upstream's. */
export const ENDPOINT_DEFAULT_COUNT = 50;
/** The most rooms per page; a larger `count` is cut to this. */
export const ENDPOINT_MAX_COUNT = 100;
/** MongoDB sorts on at most 32 keys. */
const MAX_SORT_KEYS = 32;
/** Past this length an array is walked by its present indices only (a sparse array may claim billions). */
const DENSE_LIMIT = 100000;

type Shape = 'integer' | 'text' | 'flag' | 'list';

/** The parameters that take a list. */
export type ListParam = 'agents' | 'departmentId' | 'tags' | 'units';
/** The parameters that take one value. */
export type TextParam = 'count' | 'offset' | 'sort' | 'fields' | 'createdAt' | 'customFields' | 'closedAt' | 'roomName' | 'open' | 'onhold' | 'queued';

/** The endpoint's parameters as a program builds them (the command does): what `qs` makes of a plain query string. */
export type RoomParams = { readonly [K in TextParam]?: string } & { readonly [K in ListParam]?: readonly string[] };

/** Every parameter, in the order upstream's schema checks them. */
const PARAMETERS: ReadonlyArray<readonly [string, Shape]> = [
	['count', 'integer'],
	['offset', 'integer'],
	['sort', 'text'],
	['fields', 'text'],
	['createdAt', 'text'],
	['customFields', 'text'],
	['closedAt', 'text'],
	['agents', 'list'],
	['roomName', 'text'],
	['departmentId', 'list'],
	['open', 'flag'],
	['onhold', 'flag'],
	['queued', 'flag'],
	['tags', 'list'],
	['units', 'list'],
	['query', 'text'],
	['format', 'text'],
];

const SHAPES: ReadonlyMap<string, Shape> = new Map(PARAMETERS);

/** The endpoint's parameters by name, in the order upstream's schema checks them. */
export const ROOM_PARAMETERS: readonly string[] = PARAMETERS.map(([name]) => name);

const EXPECTED: Readonly<Record<Shape, string>> = {
	integer: 'a non-negative integer',
	text: 'a string',
	flag: 'a string',
	list: 'a string or an array of strings',
};

const hasOwn = Object.prototype.hasOwnProperty;

function invalidParams(message: string): QueryError {
	return { status: 400, error: `${message} [invalid-params]`, errorType: 'invalid-params' };
}

function wrongShape(name: string, shape: Shape): QueryError {
	return invalidParams(`${name} must be ${EXPECTED[shape]}`);
}

function plainError(error: string): QueryError {
	return { status: 400, error };
}

/** Everything the request says about one parameter, whatever keys it came under. */
interface Gathered {
	hasPlain: boolean;
	plain: unknown;
	/** Values under bracketed keys left in place by the host (`agents[]`, `agents[2]`). */
	readonly elements: unknown[];
	/** A key such as `agents[x]`: an object where a string or a list is expected. */
	objectKey: boolean;
}

const INDEX_KEY = /^[0-9]*$/;
const DIGITS = /^[0-9]+$/;

/** `agents[3]` -> name `agents`, bracket `3`; `agents` -> name `agents`. */
function splitKey(key: string): { name: string; bracket?: string } {
	const open = key.indexOf('[');
	if (open <= 0 || !key.endsWith(']')) return { name: key };
	return { name: key.slice(0, open), bracket: key.slice(open + 1, -1) };
}

function gather(params: Readonly<Record<string, unknown>>, refused: ReadonlySet<string>): { found: Map<string, Gathered>; unknown?: string } {
	const found = new Map<string, Gathered>();
	for (const key of Object.keys(params)) {
		const { name, bracket } = splitKey(key);
		if (!SHAPES.has(name) || refused.has(name)) return { found, unknown: name };
		let entry = found.get(name);
		if (!entry) {
			entry = { hasPlain: false, plain: undefined, elements: [], objectKey: false };
			found.set(name, entry);
		}
		const value = params[key];
		if (bracket === undefined) {
			entry.hasPlain = true;
			entry.plain = value;
		} else if (INDEX_KEY.test(bracket)) entry.elements.push(value);
		else entry.objectKey = true;
	}
	return { found };
}

type Scalar = { ok: true; value?: string | number } | { ok: false };

/** A parameter that takes one value: a string (or, from typed hosts, a number or a boolean). */
function scalarOf(entry: Gathered, shape: Shape): Scalar {
	if (entry.objectKey || entry.elements.length > 0) return { ok: false };
	const value = entry.plain;
	if (value === undefined || value === null || typeof value === 'string') return { ok: true, value: value ?? undefined };
	if (typeof value === 'number' && shape === 'integer') return { ok: true, value };
	if (typeof value === 'boolean' && shape === 'flag') return { ok: true, value: String(value) };
	return { ok: false };
}

interface ListValues {
	readonly values: string[];
	/** Whether the request wrote a list explicitly (a JSON or quoted list), even an empty one. */
	explicit: boolean;
}

/** Adds one element of a list; false when it is not a string (or a number or boolean taken as text). */
function addElement(list: ListValues, element: unknown, keepEmpty: boolean): boolean {
	if (typeof element === 'string') {
		if (element !== '' || keepEmpty) list.values.push(element);
		return true;
	}
	if (element === undefined || element === null) return true;
	if (typeof element === 'number' || typeof element === 'boolean') {
		list.values.push(String(element));
		return true;
	}
	return false;
}

function addElements(list: ListValues, elements: readonly unknown[], keepEmpty: boolean): boolean {
	if (elements.length <= DENSE_LIMIT) {
		for (let i = 0; i < elements.length; i++) if (!addElement(list, elements[i], keepEmpty)) return false;
		return true;
	}
	for (const key of Object.keys(elements)) {
		if (DIGITS.test(key) && !addElement(list, elements[key as unknown as number], keepEmpty)) return false;
	}
	return true;
}

const BLANK = /\s/;
const BARE_FORBIDDEN = /['"[\]{}]/;

/** `['rocket', 'chat']`, `["a", 'b']`, `[rocket, chat]` (the brackets included): the items, or undefined. */
function splitQuotedList(text: string): string[] | undefined {
	const end = text.length - 1;
	const items: string[] = [];
	let i = 1;
	const skipBlanks = () => {
		while (i < end && BLANK.test(text[i])) i++;
	};
	skipBlanks();
	if (i === end) return items;
	for (;;) {
		skipBlanks();
		if (i >= end) return undefined;
		const quote = text[i];
		if (quote === "'" || quote === '"') {
			let item = '';
			let from = i + 1;
			let j = from;
			for (; j < end; j++) {
				const character = text[j];
				if (character === '\\' && j + 1 < end) {
					item += text.slice(from, j);
					from = ++j;
				} else if (character === quote) break;
			}
			if (j >= end) return undefined;
			items.push(item + text.slice(from, j));
			i = j + 1;
		} else {
			let j = i;
			while (j < end && text[j] !== ',') j++;
			const item = text.slice(i, j).trim();
			if (item === '' || BARE_FORBIDDEN.test(item)) return undefined;
			items.push(item);
			i = j;
		}
		skipBlanks();
		if (i >= end) return items;
		if (text[i] !== ',') return undefined;
		i++;
	}
}

/** A single value that may hold a list: JSON array, the documentation's quoted form, or one plain value. */
function addText(list: ListValues, text: string): boolean {
	if (text === '') return true;
	const trimmed = text.trim();
	if (trimmed.length >= 2 && trimmed.startsWith('[') && trimmed.endsWith(']')) {
		let parsed: unknown;
		let isJson = true;
		try {
			parsed = JSON.parse(trimmed);
		} catch {
			isJson = false;
		}
		if (isJson && Array.isArray(parsed)) {
			list.explicit = true;
			return addElements(list, parsed, true);
		}
		const quoted = splitQuotedList(trimmed);
		if (quoted) {
			list.explicit = true;
			list.values.push(...quoted);
			return true;
		}
	}
	list.values.push(text);
	return true;
}

/** An object with nothing but index keys (`qs` turns `a[25]=x` into `{25: 'x'}`): its values in index order. */
function indexedValues(value: object): unknown[] | undefined {
	const keys = Object.keys(value);
	for (const key of keys) if (!DIGITS.test(key)) return undefined;
	return keys.map((key) => (value as Record<string, unknown>)[key]);
}

/** Every value a list parameter was given, in the forms docs/endpoint.md ("Parameters") lists; undefined for the wrong shape. */
function listOf(entry: Gathered): ListValues | undefined {
	if (entry.objectKey) return undefined;
	const list: ListValues = { values: [], explicit: false };
	if (entry.hasPlain) {
		const value = entry.plain;
		if (typeof value === 'string') {
			if (!addText(list, value)) return undefined;
		} else if (Array.isArray(value)) {
			if (!addElements(list, value, false)) return undefined;
		} else if (value !== null && typeof value === 'object') {
			const indexed = indexedValues(value);
			if (!indexed || !addElements(list, indexed, false)) return undefined;
		} else if (!addElement(list, value, false)) return undefined;
	}
	for (const element of entry.elements) {
		if (Array.isArray(element)) {
			if (!addElements(list, element, false)) return undefined;
		} else if (!addElement(list, element, false)) return undefined;
	}
	return list;
}

/** A non-negative integer, `undefined` when absent, `null` when it is not one. */
function integerOf(value: string | number | undefined): number | undefined | null {
	if (value === undefined || value === '') return undefined;
	if (typeof value === 'string' && value.trim() === '') return null;
	const number = typeof value === 'number' ? value : Number(value);
	if (!Number.isInteger(number) || number < 0) return null;
	return number === 0 ? 0 : number; // -0 (from `-0`) is 0
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return { ok: false };
	}
}

/** A field path: not empty, no empty segment (`a..b`, `.a`, `a.`). */
function isFieldPath(key: string): boolean {
	return key !== '' && !key.startsWith('.') && !key.endsWith('.') && !key.includes('..');
}

type Sort = RoomQuery['sort'];

/** `sort`: `{"ts": -1, "servedBy.username": 1}`. */
function parseSort(text: string): Result<Sort> {
	const refused = fail<Sort>({ status: 400, error: `Invalid sort parameter provided: "${text}" [error-invalid-sort]`, errorType: 'error-invalid-sort' });
	const parsed = parseJson(text);
	if (!parsed.ok || !isDocument(parsed.value)) return refused;
	const object = parsed.value;
	const keys = Object.keys(object);
	if (keys.length > MAX_SORT_KEYS) return refused;
	const sort: Array<readonly [string, SortDirection]> = [];
	for (const key of keys) {
		const direction = object[key];
		if ((direction !== 1 && direction !== -1) || !isFieldPath(key)) return refused;
		sort.push([key, direction]);
	}
	return ok(sort);
}

/** `fields`: `{"fname": 1, "v.username": 1}` or `{"lastMessage": 0}`; `undefined` for `{}`. */
function parseFields(text: string): Result<Projection | undefined> {
	const refused = fail<Projection | undefined>({
		status: 400,
		error: `Invalid fields parameter provided: "${text}" [error-invalid-fields]`,
		errorType: 'error-invalid-fields',
	});
	const parsed = parseJson(text);
	if (!parsed.ok || !isDocument(parsed.value)) return refused;
	const object = parsed.value;
	let id: 0 | 1 | undefined;
	let mode: 0 | 1 | undefined;
	const paths: string[] = [];
	for (const key of Object.keys(object)) {
		const value = object[key];
		if ((value !== 0 && value !== 1) || !isFieldPath(key)) return refused;
		if (key === '_id') id = value;
		else if (mode !== undefined && mode !== value) return refused;
		else {
			mode = value;
			paths.push(key);
		}
	}
	if (mode === undefined) {
		if (id === undefined) return ok(undefined);
		return ok(id === 1 ? { mode: 'include', paths, keepId: true } : { mode: 'exclude', paths, keepId: false });
	}
	if (mode === 0 && id === 1) return refused;
	return ok({ mode: mode === 1 ? 'include' : 'exclude', paths, keepId: id !== 0 });
}

type Bound = { ok: true; date?: Date } | { ok: false };

function boundOf(object: Record<string, unknown>, key: 'start' | 'end'): Bound {
	const value = hasOwn.call(object, key) ? object[key] : undefined;
	if (!value) return { ok: true };
	if (typeof value !== 'string') return { ok: false };
	const time = Date.parse(value);
	return Number.isNaN(time) ? { ok: false } : { ok: true, date: new Date(time) };
}

/** `createdAt` / `closedAt`: `{"start": "...", "end": "..."}`, both ends inclusive. */
function parseRange(name: 'createdAt' | 'closedAt', text: string): Result<DateRange> {
	const parsed = parseJson(text);
	if (!parsed.ok || !isDocument(parsed.value)) return fail(plainError(`The "${name}" query parameter must be a valid JSON.`));
	const start = boundOf(parsed.value, 'start');
	if (!start.ok) return fail(plainError(`The "${name}.start" query parameter must be a valid date.`));
	const end = boundOf(parsed.value, 'end');
	if (!end.ok) return fail(plainError(`The "${name}.end" query parameter must be a valid date.`));
	if (!start.date && !end.date) return fail(plainError(`The "${name}" query parameter must have "start" or "end".`));
	const range: { start?: Date; end?: Date } = {};
	if (start.date) range.start = start.date;
	if (end.date) range.end = end.date;
	return ok(range);
}

type CustomFields = Readonly<Record<string, string>>;

/** `customFields`: a JSON object of strings; `undefined` for `{}`. */
function parseCustomFields(text: string): Result<CustomFields | undefined> {
	const refused = fail<CustomFields | undefined>(plainError('The "customFields" query parameter must be a valid JSON.'));
	const parsed = parseJson(text);
	if (!parsed.ok || !isDocument(parsed.value)) return refused;
	const object = parsed.value;
	const keys = Object.keys(object);
	if (keys.length === 0) return ok(undefined);
	const fields: Record<string, string> = Object.create(null);
	for (const key of keys) {
		const value = object[key];
		if (typeof value !== 'string') return refused;
		fields[key] = value;
	}
	return ok(fields);
}

function roomNameOf(text: string): RoomNameFilter {
	const exact = text.startsWith('"') && text.endsWith('"');
	return { text: exact ? text.slice(1, -1) : text, exact };
}

const TRUTHY_FLAGS: ReadonlySet<string> = new Set(['true', '1', 't']);

function withoutUndefinedDepartment(values: string[]): string[] | undefined {
	const kept = values.filter((value) => value !== 'undefined');
	return kept.length === 0 && values.length > 0 ? undefined : kept;
}

type Validated = {
	integers: Map<string, number>;
	texts: Map<string, string>;
	lists: Map<string, string[]>;
};

/** Steps 1 and 2: names, then shapes; what each present parameter holds. */
function validate(params: Readonly<Record<string, unknown>>, refused: ReadonlySet<string>): Result<Validated> {
	const { found, unknown } = gather(params, refused);
	if (unknown !== undefined) return fail(invalidParams(`must NOT have additional properties: ${JSON.stringify(unknown)}`));
	const validated: Validated = { integers: new Map(), texts: new Map(), lists: new Map() };
	for (const [name, shape] of PARAMETERS) {
		const entry = found.get(name);
		if (!entry) continue;
		if (shape === 'list') {
			const list = listOf(entry);
			if (!list) return fail(wrongShape(name, shape));
			if (list.values.length > 0 || list.explicit) validated.lists.set(name, list.values);
			continue;
		}
		const scalar = scalarOf(entry, shape);
		if (!scalar.ok) return fail(wrongShape(name, shape));
		if (shape === 'integer') {
			const integer = integerOf(scalar.value);
			if (integer === null) return fail(wrongShape(name, shape));
			if (integer !== undefined) validated.integers.set(name, integer);
		} else if (typeof scalar.value === 'string' && scalar.value !== '') validated.texts.set(name, scalar.value);
	}
	return ok(validated);
}

/** Step 3: the parameters that carry JSON, in upstream's order. */
function build({ integers, texts, lists }: Validated): Result<RoomQuery> {
	const count = integers.get('count');
	const query: { -readonly [K in keyof RoomQuery]: RoomQuery[K] } = {
		offset: integers.get('offset') ?? 0,
		count: count === undefined ? ENDPOINT_DEFAULT_COUNT : Math.min(count, ENDPOINT_MAX_COUNT),
		sort: [['ts', -1]],
	};

	const sortText = texts.get('sort');
	if (sortText !== undefined) {
		const sort = parseSort(sortText);
		if (!sort.ok) return fail(sort.error);
		query.sort = sort.value;
	}
	const fieldsText = texts.get('fields');
	if (fieldsText !== undefined) {
		const fields = parseFields(fieldsText);
		if (!fields.ok) return fail(fields.error);
		if (fields.value) query.fields = fields.value;
	}
	for (const name of ['createdAt', 'closedAt'] as const) {
		const text = texts.get(name);
		if (text === undefined) continue;
		const range = parseRange(name, text);
		if (!range.ok) return fail(range.error);
		query[name] = range.value;
	}
	const customText = texts.get('customFields');
	if (customText !== undefined) {
		const customFields = parseCustomFields(customText);
		if (!customFields.ok) return fail(customFields.error);
		if (customFields.value) query.customFields = customFields.value;
	}

	const agents = lists.get('agents');
	if (agents) query.agents = agents;
	const departments = lists.get('departmentId');
	const departmentIds = departments && withoutUndefinedDepartment(departments);
	if (departmentIds) query.departmentIds = departmentIds;
	const tags = lists.get('tags');
	if (tags) query.tags = tags;
	const units = lists.get('units');
	if (units) query.units = units;

	const roomName = texts.get('roomName');
	if (roomName !== undefined) query.roomName = roomNameOf(roomName);
	const open = texts.get('open');
	if (open === 'true' || open === 'false') query.open = open === 'true';
	if (TRUTHY_FLAGS.has(texts.get('onhold') ?? '')) query.onHold = true;
	if (TRUTHY_FLAGS.has(texts.get('queued') ?? '')) query.queued = true;

	const format = texts.get('format');
	if (format !== undefined && format !== 'json' && format !== 'csv')
		return fail(invalidParams(`format must be "json" or "csv", not ${JSON.stringify(format)}`));
	if (format === 'csv') query.format = 'csv';
	const filterText = texts.get('query');
	if (filterText !== undefined) {
		const filter = parseMongoQuery(filterText);
		if (!filter.ok) return fail(filter.error);
		query.filter = filter.value;
		// The text just parsed as a JSON object, or the filter would have been refused.
		const paths = filterPaths(JSON.parse(filterText));
		if (paths) query.filterPaths = [...paths];
	}
	return ok(query);
}

const NONE: ReadonlySet<string> = new Set();

/** What `rooms/counts` does not take (docs/endpoint.md, "`GET rooms/counts`"): it answers counts, not a page. */
export const NOT_FOR_COUNTS: ReadonlySet<string> = new Set(['offset', 'count', 'sort', 'fields', 'format']);

/**
 * Parses and validates the endpoint's query parameters (docs/endpoint.md, "Parameters") into a `RoomQuery`, or the 400 refusal
 * upstream would give (with the offending parameter named). Parameters named in `refused` are unknown here (the
 * counts take no page). Never throws.
 */
export function parseRoomQuery(params: Readonly<Record<string, unknown>>, refused: ReadonlySet<string> = NONE): Result<RoomQuery> {
	try {
		const source = params !== null && typeof params === 'object' ? params : {};
		const validated = validate(source, refused);
		return validated.ok ? build(validated.value) : validated;
	} catch (error) {
		// Whatever threw (a hostile input, or a bug here), the caller gets a 400 and the error reaches the app's log.
		return fail({ ...invalidParams('query parameters must be an object of strings'), fault: error });
	}
}
