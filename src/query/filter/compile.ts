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

import { isDocument } from '../../values/path';
import type { QueryError, Result } from '../RoomQuery';
import { fail, ok } from '../RoomQuery';
import { typeIs } from './bsonTypes';
import type { Condition, Single } from './conditions';
import { all, anyExpanded, anyWhole, comparison, equals, inList, not, sizeIs } from './conditions';
import { checkShape, QUERY_LIMITS } from './limits';
import { regexTest } from './literalRegex';
import type { DocumentTest } from './paths';
import { fieldTest } from './paths';
import { Refusal, refuse, unsupported } from './refusal';
import { isDateObject, literal } from './values';

/** A compiled `query`: whether a room document (as stored) matches. */
export type RoomFilter = (room: Readonly<Record<string, unknown>>) => boolean;

const hasOwn = Object.prototype.hasOwnProperty;

function queryError(message: string): QueryError {
	return { status: 400, error: `${message} [error-invalid-query]`, errorType: 'error-invalid-query' };
}

function notAnObject(raw: string): QueryError {
	return queryError(`Invalid query parameter provided: "${raw}"`);
}

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
		tests.push(fieldTest(key.split('.'), fieldCondition(filter[key], budget)));
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
