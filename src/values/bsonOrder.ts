/**
 * MongoDB's order of BSON values, for values as the app holds them: type brackets first (null, numbers, strings,
 * documents, arrays, booleans, dates), then the value. Shared by the sort, the built-in filters and `query`.
 */

/** Stands for an empty array at the end of a sort path: sorts before `null`. */
export const EMPTY_ARRAY: unique symbol = Symbol('empty array');

/**
 * MongoDB's type brackets, in its order of BSON values (missing and null together): a smaller bracket sorts first,
 * whatever the values in it.
 */
export const TYPE_RANK = {
	emptyArray: 0,
	nullish: 1,
	number: 2,
	string: 3,
	document: 4,
	array: 5,
	boolean: 8,
	date: 9,
	regex: 11,
} as const;

/** A value's BSON type bracket (`TYPE_RANK`). */
export function typeRank(value: unknown): number {
	if (value === null || value === undefined) return TYPE_RANK.nullish;
	switch (typeof value) {
		case 'number':
		case 'bigint':
			return TYPE_RANK.number;
		case 'string':
			return TYPE_RANK.string;
		case 'boolean':
			return TYPE_RANK.boolean;
		case 'object':
			if (value instanceof Date) return TYPE_RANK.date;
			if (Array.isArray(value)) return TYPE_RANK.array;
			if (value instanceof RegExp) return TYPE_RANK.regex;
			return TYPE_RANK.document;
		case 'symbol':
			return value === EMPTY_ARRAY ? TYPE_RANK.emptyArray : TYPE_RANK.nullish;
		default:
			return TYPE_RANK.nullish;
	}
}

function sign(difference: number): number {
	return difference < 0 ? -1 : difference > 0 ? 1 : 0;
}

/** Code point order: a surrogate (supplementary plane) sorts after every unit of the basic plane. */
function codePointRank(unit: number): number {
	return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/** Compares strings by Unicode code point, as MongoDB compares their UTF-8 bytes. */
export function compareStrings(a: string, b: string): number {
	if (a === b) return 0;
	const length = a.length < b.length ? a.length : b.length;
	for (let i = 0; i < length; i++) {
		let x = a.charCodeAt(i);
		let y = b.charCodeAt(i);
		if (x === y) continue;
		if (x >= 0xd800 && y >= 0xd800) {
			x = codePointRank(x);
			y = codePointRank(y);
		}
		return x < y ? -1 : 1;
	}
	return sign(a.length - b.length);
}

/** Numbers in MongoDB's order (`NaN` first). */
export function compareNumbers(a: number | bigint, b: number | bigint): number {
	const aNaN = Number.isNaN(a);
	const bNaN = Number.isNaN(b);
	if (aNaN || bNaN) return aNaN && bNaN ? 0 : aNaN ? -1 : 1;
	return a < b ? -1 : a > b ? 1 : 0;
}

function compareObjects(a: Record<string, unknown>, b: Record<string, unknown>): number {
	const aKeys = Object.keys(a);
	const bKeys = Object.keys(b);
	for (let i = 0; ; i++) {
		if (i >= aKeys.length) return i >= bKeys.length ? 0 : -1;
		if (i >= bKeys.length) return 1;
		const aValue = a[aKeys[i]];
		const bValue = b[bKeys[i]];
		const byType = typeRank(aValue) - typeRank(bValue);
		if (byType !== 0) return sign(byType);
		const byName = compareStrings(aKeys[i], bKeys[i]);
		if (byName !== 0) return byName;
		const byValue = compareValues(aValue, bValue);
		if (byValue !== 0) return byValue;
	}
}

function compareArrays(a: readonly unknown[], b: readonly unknown[]): number {
	const length = a.length < b.length ? a.length : b.length;
	for (let i = 0; i < length; i++) {
		const byValue = compareValues(a[i], b[i]);
		if (byValue !== 0) return byValue;
	}
	return sign(a.length - b.length);
}

/** MongoDB's comparison of two BSON values (type order first, then value). */
export function compareValues(a: unknown, b: unknown): number {
	const aRank = typeRank(a);
	const bRank = typeRank(b);
	if (aRank !== bRank) return aRank < bRank ? -1 : 1;
	switch (aRank) {
		case TYPE_RANK.number:
			return compareNumbers(a as number, b as number);
		case TYPE_RANK.string:
			return compareStrings(a as string, b as string);
		case TYPE_RANK.document:
			return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>);
		case TYPE_RANK.array:
			return compareArrays(a as unknown[], b as unknown[]);
		case TYPE_RANK.boolean:
			return a === b ? 0 : a ? 1 : -1;
		case TYPE_RANK.date:
			return compareNumbers((a as Date).getTime(), (b as Date).getTime());
		case TYPE_RANK.regex: {
			const bySource = compareStrings((a as RegExp).source, (b as RegExp).source);
			return bySource !== 0 ? bySource : compareStrings((a as RegExp).flags, (b as RegExp).flags);
		}
		default:
			return 0;
	}
}
