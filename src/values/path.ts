/**
 * MongoDB's dotted paths, for every walker over a room document (the `query` filter and the built-in filters, sort
 * keys, projections, CSV cells): what counts as a sub-document, which path segment names an array element, and the
 * values a path reaches as MongoDB's query matcher finds them (`reach`).
 */

const hasOwn = Object.prototype.hasOwnProperty;

/** A sub-document: an object that is not an array, a date or a regular expression. */
export function isDocument(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof RegExp);
}

const INDEX = /^(?:0|[1-9][0-9]*)$/;

/**
 * The array element a path segment names, or -1. MongoDB compares the segment with the elements' own field names
 * (`"0"`, `"1"`, ...), so only that form is an index: `"01"` is a field name, never element 1.
 */
export function arrayIndexOf(segment: string): number {
	return INDEX.test(segment) ? Number(segment) : -1;
}

/**
 * Values one path may reach in one document: past this `reach` throws `ReachLimit` and the document does not match
 * (a document with deeply nested arrays of sub-documents with index-like keys could otherwise make the walk grow
 * with every level).
 */
export const MAX_REACHED = 100000;

export class ReachLimit {}

/** What a path reaches; `undefined` among the values stands for a missing value. */
export interface Reached {
	readonly values: unknown[];
	/** Per value: whether it is a leaf array to expand into its elements (false after an array index). */
	readonly expand: boolean[];
}

/**
 * Every value `path` (from segment `from` on) reaches in `value`, as MongoDB's element iterator yields them: through
 * an array, every sub-document element walks on with the same segment, and the element a numeric segment names
 * (`arrayIndexOf`) walks on with the next one.
 */
export function reach(value: unknown, path: readonly string[], from: number, out: Reached): void {
	if (out.values.length > MAX_REACHED) throw new ReachLimit();
	if (from === path.length) {
		out.values.push(value);
		out.expand.push(true);
		return;
	}
	if (Array.isArray(value)) {
		const index = arrayIndexOf(path[from]);
		for (let i = 0; i < value.length; i++) {
			const element = value[i];
			if (isDocument(element)) reach(element, path, from, out);
			if (i === index) reachIndexed(element, path, from + 1, out);
		}
		return;
	}
	if (!isDocument(value)) {
		out.values.push(undefined);
		out.expand.push(false);
		return;
	}
	const segment = path[from];
	reach(hasOwn.call(value, segment) ? value[segment] : undefined, path, from + 1, out);
}

/** The element an array index picked: yielded as is at the end of the path, else walked on (arrays included). */
function reachIndexed(element: unknown, path: readonly string[], from: number, out: Reached): void {
	if (from === path.length) {
		out.values.push(element);
		out.expand.push(false);
	} else if (isDocument(element) || Array.isArray(element)) reach(element, path, from, out);
}

/** Whether any value the path reaches passes `test`, a leaf array through any element or as a whole. */
export function anyReached(value: unknown, path: readonly string[], test: (value: unknown) => boolean): boolean {
	const reached: Reached = { values: [], expand: [] };
	try {
		reach(value, path, 0, reached);
	} catch (error) {
		if (error instanceof ReachLimit) return false;
		throw error;
	}
	const { values, expand } = reached;
	for (let i = 0; i < values.length; i++) {
		const found = values[i];
		if (test(found)) return true;
		if (expand[i] && Array.isArray(found)) for (let j = 0; j < found.length; j++) if (test(found[j])) return true;
	}
	return false;
}
