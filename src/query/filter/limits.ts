/** The bounds of a `query` (docs/endpoint.md, "`query`: a MongoDB filter", its limits), and their check on the raw JSON. */
import { refuse } from './refusal';

/** The bounds a `query` must stay within. */
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

/** Limits on the raw JSON, checked without recursion before anything is compiled. */
export function checkShape(root: unknown): void {
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
