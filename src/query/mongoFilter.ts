/**
 * The `query` parameter (docs/endpoint.md, "`query`: a MongoDB filter"): a MongoDB filter, parsed, validated and compiled once into a predicate
 * over the stored room document (dates as `Date`). Pure: nothing here knows the Apps-Engine. Nothing here throws.
 *
 * MongoDB's semantics, as its matcher has them:
 * - Paths are dotted. A path walks sub-documents; on an array it walks into every element that is a sub-document
 *   (an element without the field counts as a missing value there, scalars contribute nothing), and a numeric segment
 *   in MongoDB's own form (`"1"`, never `"01"`) also picks the element at that index (`values/path.ts`). A path that
 *   stops at a scalar or at a missing field reaches "missing".
 *   At the end of the path, an array yields each of its elements, then itself (except for `$size` and `$elemMatch`,
 *   which see the array alone, and a path that ends on an array index, which yields that element alone).
 * - A condition holds when one of the reached values passes it; `$ne`, `$nin`, `$not`, `$nor` and `$exists: false`
 *   are the negation of the positive condition over all reached values. Several operators on one field each hold on
 *   their own (possibly through different elements).
 * - Equality is MongoDB's: same type and value, sub-documents field by field in order, arrays element by element;
 *   `null` also matches a missing value. `$gt`/`$gte`/`$lt`/`$lte` only compare values of the same type bracket
 *   (numbers, strings by code point, dates, booleans, sub-documents, arrays); `$gte: null` / `$lte: null` match null
 *   and missing values.
 * - Dates are written in extended JSON: `{"$date": "2024-05-01T00:00:00Z"}`, `{"$date": 1714521600000}` or
 *   `{"$date": {"$numberLong": "1714521600000"}}`, anywhere a value is expected.
 * - `$regex` (with `$options` empty or `"i"`) accepts literal text only, optionally anchored with `^` and/or `$`;
 *   a backslash may escape a punctuation character. It runs as a plain substring / prefix / suffix / equality test
 *   in linear time (`$` also matches before a final newline, as in PCRE). No `RegExp` is ever built from input.
 *   `"i"` folds case one code point at a time, as the room filters do.
 * - `$type` takes BSON type names, numbers or `"number"` (or a list of them); a JSON integer in the 32-bit range is
 *   an `int`, any other number a `double`, as a MongoDB driver stores them.
 *
 * Refused with a 400 (`errorType: "error-invalid-query"`), the message naming the operator or the limit: every other
 * operator (`$where`, `$function`, `$expr`, `$text`, `$jsonSchema`, `$mod`, geospatial and bitwise operators,
 * `$comment`, unknown `$` names), a `$`-prefixed name inside a literal value, a `$regex` that is not literal text,
 * `$options` other than `"i"`, and operands of the wrong shape; past the limits in `QUERY_LIMITS`.
 *
 * Decisions where MongoDB and the contract leave room:
 * - The parameter is a JSON string. A host that parsed `query[a]=b` into an object is refused by the parameter
 *   parser (`query must be a string`): bracket syntax loses every type but strings.
 * - In `$elemMatch` with a sub-document condition, only elements that are sub-documents are tested.
 * - A key is read only when it is the document's own property: `__proto__`, `constructor` and `prototype` behave as
 *   any other missing field; nothing reads through the prototype chain.
 */
import { compareValues, typeRank } from '../values/order';
import type { Reached } from '../values/path';
import { isDocument, reach } from '../values/path';
import { foldCase, linearIncludes } from '../values/text';
import type { QueryError, Result } from './RoomQuery';
import { fail, ok } from './RoomQuery';

/** A compiled `query`: whether a room document matches it. */
/** A compiled `query`: whether a room document (as stored) matches. */
export type RoomFilter = (room: Readonly<Record<string, unknown>>) => boolean;

/** The bounds a `query` must stay within (docs/endpoint.md, "`query`: a MongoDB filter", its limits). */
export const QUERY_LIMITS = {
	/** Characters of the raw parameter. */
	length: 65536,
	/** Nesting of objects and arrays in the JSON. */
	depth: 32,
	/** Field names, operators and `$all` items, all together (`{"a": {"$gt": 1}}` is two). */
	clauses: 512,
	/** Elements of one list (`$in`, `$nin`, `$all`, `$and`, `$or`, `$nor`, `$type`). */
	listSize: 1000,
	/** Characters of one string (field paths, values, patterns). */
	stringLength: 4096,
} as const;

const hasOwn = Object.prototype.hasOwnProperty;

/** A refusal, raised while compiling and turned into a `QueryError` at the top. */
class Refusal {
	constructor(readonly message: string) {}
}

function queryError(message: string): QueryError {
	return { status: 400, error: `${message} [error-invalid-query]`, errorType: 'error-invalid-query' };
}

function notAnObject(raw: string): QueryError {
	return queryError(`Invalid query parameter provided: "${raw}"`);
}

function refuse(message: string): never {
	throw new Refusal(`Invalid query parameter: ${message}`);
}

function unsupported(operator: string): never {
	return refuse(`operator ${JSON.stringify(operator)} is not supported`);
}

// ---------------------------------------------------------------------------------------------------------------
// Limits on the raw JSON, checked without recursion before anything is compiled.

function checkShape(root: unknown): void {
	const stack: Array<readonly [unknown, number]> = [[root, 1]];
	while (stack.length > 0) {
		const [value, depth] = stack.pop()!;
		if (typeof value === 'string') {
			if (value.length > QUERY_LIMITS.stringLength) limitString();
			continue;
		}
		if (value === null || typeof value !== 'object') continue;
		if (depth > QUERY_LIMITS.depth) refuse(`nested deeper than ${QUERY_LIMITS.depth} levels (limit: depth)`);
		if (Array.isArray(value)) {
			if (value.length > QUERY_LIMITS.listSize) limitList();
			for (let i = 0; i < value.length; i++) stack.push([value[i], depth + 1]);
		} else {
			for (const key of Object.keys(value)) {
				if (key.length > QUERY_LIMITS.stringLength) limitString();
				stack.push([(value as Record<string, unknown>)[key], depth + 1]);
			}
		}
	}
}

function limitString(): never {
	return refuse(`a string longer than ${QUERY_LIMITS.stringLength} characters (limit: string length)`);
}

function limitList(): never {
	return refuse(`a list longer than ${QUERY_LIMITS.listSize} elements (limit: list size)`);
}

// ---------------------------------------------------------------------------------------------------------------
// Values: literal JSON with extended-JSON dates.

const LONG = /^-?[0-9]+$/;

function dateOf(operand: unknown): Date {
	let time = NaN;
	if (typeof operand === 'string') time = Date.parse(operand);
	else if (typeof operand === 'number') time = Number.isInteger(operand) ? operand : NaN;
	else if (isDocument(operand)) {
		const keys = Object.keys(operand);
		const long = operand.$numberLong;
		if (keys.length === 1 && keys[0] === '$numberLong' && typeof long === 'string' && LONG.test(long)) time = Number(long);
	}
	const date = new Date(time);
	if (Number.isNaN(date.getTime())) refuse('"$date" must be an ISO-8601 string or milliseconds since the epoch');
	return date;
}

function isDateObject(value: Record<string, unknown>): boolean {
	return hasOwn.call(value, '$date');
}

/** A literal value: arrays and sub-documents copied (own keys only), `{"$date": ...}` as a `Date`. */
function literal(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(literal);
	if (!isDocument(value)) return value;
	const keys = Object.keys(value);
	if (isDateObject(value)) {
		if (keys.length !== 1) refuse('"$date" must be the only key of its object');
		return dateOf(value.$date);
	}
	const copy: Record<string, unknown> = Object.create(null);
	for (const key of keys) {
		if (key.startsWith('$')) unsupported(key);
		copy[key] = literal(value[key]);
	}
	return copy;
}

function equal(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	return typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && compareValues(a, b) === 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Conditions.

type Single = (value: unknown) => boolean;

/** One condition on a field: over everything the path reaches, and on one value (inside `$elemMatch`). */
interface Condition {
	reached(reached: Reached): boolean;
	single: Single;
}

function anyExpanded(single: Single): Condition {
	return {
		single,
		reached: ({ values, expand }) => {
			for (let i = 0; i < values.length; i++) {
				const value = values[i];
				if (single(value)) return true;
				if (expand[i] && Array.isArray(value)) for (let j = 0; j < value.length; j++) if (single(value[j])) return true;
			}
			return false;
		},
	};
}

function anyWhole(single: Single): Condition {
	return { single, reached: ({ values }) => values.some(single) };
}

function not(condition: Condition): Condition {
	return { single: (value) => !condition.single(value), reached: (reached) => !condition.reached(reached) };
}

function all(conditions: readonly Condition[]): Condition {
	if (conditions.length === 1) return conditions[0];
	return {
		single: (value) => conditions.every((condition) => condition.single(value)),
		reached: (reached) => conditions.every((condition) => condition.reached(reached)),
	};
}

function equals(operand: unknown): Single {
	if (operand === null) return (value) => value === null || value === undefined;
	if (typeof operand !== 'object') return (value) => value === operand;
	return (value) => equal(value, operand);
}

function inList(operand: unknown, operator: string): Single {
	if (!Array.isArray(operand)) refuse(`${JSON.stringify(operator)} needs an array`);
	const primitives = new Set<unknown>();
	const others: unknown[] = [];
	let withNull = false;
	for (const item of operand) {
		if (isDocument(item) && !isDateObject(item) && Object.keys(item).some((key) => key.startsWith('$'))) {
			unsupported(Object.keys(item).find((key) => key.startsWith('$'))!);
		}
		const value = literal(item);
		if (value === null) withNull = true;
		else if (typeof value === 'object') others.push(value);
		else primitives.add(value);
	}
	return (value) => {
		if (value === undefined || value === null) return withNull;
		if (typeof value !== 'object') return primitives.has(value);
		for (let i = 0; i < others.length; i++) if (equal(value, others[i])) return true;
		return false;
	};
}

function comparison(operator: string, operand: unknown): Single {
	const target = literal(operand);
	const rank = typeRank(target);
	const holds =
		operator === '$gt'
			? (order: number) => order > 0
			: operator === '$gte'
				? (order: number) => order >= 0
				: operator === '$lt'
					? (order: number) => order < 0
					: (order: number) => order <= 0;
	if (rank === 1) return operator === '$gte' || operator === '$lte' ? (value) => value === null || value === undefined : () => false;
	return (value) => typeRank(value) === rank && holds(compareValues(value, target));
}

const TYPE_NAMES: Readonly<Record<string, number>> = {
	double: 1,
	string: 2,
	object: 3,
	array: 4,
	binData: 5,
	undefined: 6,
	objectId: 7,
	bool: 8,
	date: 9,
	null: 10,
	regex: 11,
	dbPointer: 12,
	javascript: 13,
	symbol: 14,
	javascriptWithScope: 15,
	int: 16,
	timestamp: 17,
	long: 18,
	decimal: 19,
	minKey: -1,
	maxKey: 127,
};
const KNOWN_TYPE_NUMBERS: ReadonlySet<number> = new Set(Object.values(TYPE_NAMES));
const NUMBER_TYPES = -2;

/** The BSON type code of a value (`TYPE_NAMES`); 0 for what BSON cannot hold. */
function bsonType(value: unknown): number {
	if (value === null) return TYPE_NAMES.null;
	switch (typeof value) {
		case 'string':
			return TYPE_NAMES.string;
		case 'boolean':
			return TYPE_NAMES.bool;
		case 'number':
			return Number.isInteger(value) && value >= -2147483648 && value <= 2147483647 && !Object.is(value, -0) ? TYPE_NAMES.int : TYPE_NAMES.double;
		case 'object':
			if (value instanceof Date) return TYPE_NAMES.date;
			return Array.isArray(value) ? TYPE_NAMES.array : TYPE_NAMES.object;
		default:
			return 0;
	}
}

function typeCode(operand: unknown): number {
	if (operand === 'number') return NUMBER_TYPES;
	if (typeof operand === 'string' && hasOwn.call(TYPE_NAMES, operand)) return TYPE_NAMES[operand];
	if (typeof operand === 'number' && KNOWN_TYPE_NUMBERS.has(operand)) return operand;
	return refuse(`"$type" does not know the type ${JSON.stringify(operand)}`);
}

function typeIs(operand: unknown): Single {
	const list = Array.isArray(operand) ? operand : [operand];
	if (list.length === 0) refuse('"$type" needs at least one type');
	const codes = new Set(list.map(typeCode));
	const numbers = codes.has(NUMBER_TYPES);
	return (value) => {
		if (value === undefined) return false;
		const code = bsonType(value);
		return codes.has(code) || (numbers && (code === TYPE_NAMES.double || code === TYPE_NAMES.int));
	};
}

function sizeIs(operand: unknown): Single {
	if (typeof operand !== 'number' || !Number.isInteger(operand) || operand < 0) refuse('"$size" needs a non-negative integer');
	return (value) => Array.isArray(value) && value.length === operand;
}

// ---------------------------------------------------------------------------------------------------------------
// $regex as literal text.

const SPECIAL = '\\^$.|?*+()[]{}';

/** The literal text of a pattern, with its anchors; a `Refusal` for anything else. */
function literalPattern(pattern: string): { text: string; start: boolean; end: boolean } {
	let from = 0;
	let to = pattern.length;
	const start = pattern.startsWith('^');
	if (start) from = 1;
	let end = false;
	if (to > from && pattern.charCodeAt(to - 1) === 36) {
		let backslashes = 0;
		for (let i = to - 2; i >= from && pattern.charCodeAt(i) === 92; i--) backslashes++;
		if (backslashes % 2 === 0) {
			end = true;
			to--;
		}
	}
	let text = '';
	for (let i = from; i < to; i++) {
		const character = pattern[i];
		if (character === '\\') {
			const next = pattern[i + 1];
			if (i + 1 >= to || next === undefined || /[0-9A-Za-z]/.test(next) || next.charCodeAt(0) < 0x20 || next.charCodeAt(0) > 0x7e) {
				return refuse('"$regex" accepts only literal text, optionally anchored with ^ and $');
			}
			text += next;
			i++;
		} else if (SPECIAL.includes(character)) {
			return refuse('"$regex" accepts only literal text, optionally anchored with ^ and $');
		} else text += character;
	}
	return { text, start, end };
}

function regexTest(pattern: unknown, options: unknown): Single {
	if (typeof pattern !== 'string') refuse('"$regex" needs a string');
	if (options !== undefined && options !== '' && options !== 'i') refuse('"$options" accepts only "i"');
	const insensitive = options === 'i';
	const { text, start, end } = literalPattern(pattern);
	const needle = insensitive ? foldCase(text) : text;
	const prepare = insensitive ? foldCase : (value: string) => value;
	let test: (value: string) => boolean;
	if (start && end) test = (value) => value === needle || value === `${needle}\n`;
	else if (start) test = (value) => value.startsWith(needle);
	else if (end) test = (value) => value.endsWith(needle) || value.endsWith(`${needle}\n`);
	else if (needle.length <= 64) test = (value) => value.includes(needle);
	else test = linearIncludes(needle);
	return (value) => typeof value === 'string' && test(prepare(value));
}

// ---------------------------------------------------------------------------------------------------------------
// Compilation.

interface Budget {
	clauses: number;
}

function spend(budget: Budget): void {
	if (++budget.clauses > QUERY_LIMITS.clauses) refuse(`more than ${QUERY_LIMITS.clauses} clauses (limit: clauses)`);
}

const LOGICAL = new Set(['$and', '$or', '$nor']);

function isOperatorObject(value: unknown): value is Record<string, unknown> {
	return isDocument(value) && !isDateObject(value) && Object.keys(value).some((key) => key.startsWith('$'));
}

/** A field's condition: implicit equality, or an object of operators. */
function fieldCondition(value: unknown, budget: Budget): Condition {
	if (isOperatorObject(value)) return operators(value, budget);
	return anyExpanded(equals(literal(value)));
}

function operators(object: Record<string, unknown>, budget: Budget): Condition {
	const conditions: Condition[] = [];
	const keys = Object.keys(object);
	if (hasOwn.call(object, '$options') && !hasOwn.call(object, '$regex')) refuse('"$options" needs "$regex"');
	for (const key of keys) {
		spend(budget);
		const operand = object[key];
		switch (key) {
			case '$eq':
				conditions.push(anyExpanded(equals(literal(operand))));
				break;
			case '$ne':
				conditions.push(not(anyExpanded(equals(literal(operand)))));
				break;
			case '$gt':
			case '$gte':
			case '$lt':
			case '$lte':
				conditions.push(anyExpanded(comparison(key, operand)));
				break;
			case '$in':
				conditions.push(anyExpanded(inList(operand, key)));
				break;
			case '$nin':
				conditions.push(not(anyExpanded(inList(operand, key))));
				break;
			case '$exists': {
				const exists: Condition = anyWhole((value) => value !== undefined);
				conditions.push(operand === false || operand === 0 || operand === null ? not(exists) : exists);
				break;
			}
			case '$type':
				conditions.push(anyExpanded(typeIs(operand)));
				break;
			case '$size':
				conditions.push(anyWhole(sizeIs(operand)));
				break;
			case '$all':
				conditions.push(allOf(operand, budget));
				break;
			case '$elemMatch':
				conditions.push(anyWhole(elementMatch(operand, budget)));
				break;
			case '$regex':
				conditions.push(anyExpanded(regexTest(operand, object.$options)));
				break;
			case '$options':
				break;
			case '$not':
				if (!isOperatorObject(operand)) refuse('"$not" needs an object of operators');
				conditions.push(not(operators(operand, budget)));
				break;
			default:
				unsupported(key);
		}
	}
	if (conditions.length === 0) refuse('an empty object of operators');
	return all(conditions);
}

function allOf(operand: unknown, budget: Budget): Condition {
	if (!Array.isArray(operand)) refuse('"$all" needs an array');
	if (operand.length === 0) return { single: () => false, reached: () => false };
	const conditions = operand.map((item): Condition => {
		spend(budget);
		if (isDocument(item) && hasOwn.call(item, '$elemMatch')) {
			if (Object.keys(item).length !== 1) unsupported(Object.keys(item).find((key) => key !== '$elemMatch')!);
			return anyWhole(elementMatch(item.$elemMatch, budget));
		}
		if (isOperatorObject(item)) unsupported(Object.keys(item).find((key) => key.startsWith('$'))!);
		return anyExpanded(equals(literal(item)));
	});
	return all(conditions);
}

/** `$elemMatch`: operators on each element (`{$gt: 1}`), or a filter on each sub-document element (`{b: 1}`). */
function elementMatch(operand: unknown, budget: Budget): Single {
	if (!isDocument(operand)) refuse('"$elemMatch" needs an object');
	const keys = Object.keys(operand);
	const valueForm = keys.length > 0 && keys.some((key) => key.startsWith('$') && !LOGICAL.has(key));
	if (valueForm) {
		const condition = operators(operand, budget);
		return (value) => Array.isArray(value) && value.some(condition.single);
	}
	const filter = documentFilter(operand, budget);
	return (value) => Array.isArray(value) && value.some((element) => isDocument(element) && filter(element));
}

type DocumentTest = (document: Record<string, unknown>) => boolean;

function logical(operator: string, operand: unknown, budget: Budget): DocumentTest {
	if (!Array.isArray(operand) || operand.length === 0) refuse(`${JSON.stringify(operator)} needs a non-empty array`);
	const branches = operand.map((branch) => {
		if (!isDocument(branch)) refuse(`${JSON.stringify(operator)} needs an array of objects`);
		return documentFilter(branch, budget);
	});
	if (operator === '$and') return (document) => branches.every((branch) => branch(document));
	if (operator === '$or') return (document) => branches.some((branch) => branch(document));
	return (document) => !branches.some((branch) => branch(document));
}

/** A filter document: field conditions and logical operators, all of which must hold. */
function documentFilter(filter: Record<string, unknown>, budget: Budget): DocumentTest {
	const tests: DocumentTest[] = [];
	for (const key of Object.keys(filter)) {
		spend(budget);
		if (key.startsWith('$')) {
			if (!LOGICAL.has(key)) unsupported(key);
			tests.push(logical(key, filter[key], budget));
			continue;
		}
		const path = key.split('.');
		const condition = fieldCondition(filter[key], budget);
		// The common case (no array before the end of the path) reaches one value: no allocation. Evaluation is
		// synchronous and a filter is a tree, so one holder per field is never in use twice at once.
		const one: Reached = { values: [undefined], expand: [true] };
		const last = path.length;
		tests.push((document) => {
			let value: unknown = document;
			for (let i = 0; i < last; i++) {
				if (Array.isArray(value)) {
					const reached: Reached = { values: [], expand: [] };
					reach(value, path, i, reached);
					return condition.reached(reached);
				}
				if (!isDocument(value)) {
					value = undefined;
					break;
				}
				value = hasOwn.call(value, path[i]) ? value[path[i]] : undefined;
			}
			one.values[0] = value;
			one.expand[0] = value !== undefined;
			return condition.reached(one);
		});
	}
	if (tests.length === 1) return tests[0];
	return (document) => {
		for (let i = 0; i < tests.length; i++) if (!tests[i](document)) return false;
		return true;
	};
}

/**
 * Compiles a filter that is already a value (the parsed JSON of `query`): the predicate, or the 400 naming the
 * refused operator or limit. `raw` is what the message quotes when the value is not an object.
 */
export function compileMongoFilter(filter: unknown, raw: string = JSON.stringify(filter) ?? String(filter)): Result<RoomFilter> {
	if (!isDocument(filter)) return fail(notAnObject(raw));
	try {
		checkShape(filter);
		const test = documentFilter(filter, { clauses: 0 });
		return ok((room: Readonly<Record<string, unknown>>) => {
			try {
				return test(room);
			} catch {
				return false;
			}
		});
	} catch (error) {
		if (error instanceof Refusal) return fail(queryError(error.message));
		return fail(notAnObject(raw));
	}
}

/**
 * Parses and compiles the `query` parameter as it arrives in the query string (a JSON object). Errors:
 * `Invalid query parameter provided: "<raw>" [error-invalid-query]` for text that is not a JSON object; a message
 * naming the operator or the limit otherwise; always `errorType: "error-invalid-query"`.
 */
export function parseMongoQuery(raw: string): Result<RoomFilter> {
	if (raw.length > QUERY_LIMITS.length) return fail(queryError(`Invalid query parameter: longer than ${QUERY_LIMITS.length} characters (limit: length)`));
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		return fail(notAnObject(raw));
	}
	return compileMongoFilter(parsed, raw);
}
