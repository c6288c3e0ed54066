/**
 * The order rooms are listed in: MongoDB's sort semantics over the stored room document, made total by `_id`.
 * - A path may be dotted (`servedBy.username`); it walks into sub-documents and, as MongoDB does, into arrays.
 * - A missing field sorts as `null`. Types sort in BSON order: (empty array) < null < numbers < strings < objects <
 *   arrays < booleans < dates (< regular expressions).
 * - A field holding an array sorts by its smallest element ascending and by its largest descending (MongoDB's rule);
 *   an empty array sorts before `null`. Through an array of sub-documents, an element without the field counts as
 *   `null`; a numeric path segment on an array picks that element.
 * - Strings compare by Unicode code point (MongoDB's default binary collation over UTF-8), not by UTF-16 unit.
 * - Objects compare field by field (type, then name, then value); arrays element by element; `false < true`.
 * - Ties are broken by `_id` ascending, always (after the caller's keys), so pages never overlap or skip a room.
 * Paths are split once per query; a comparison allocates nothing for keys that are not arrays.
 */
import type { SortDirection } from '../query/RoomQuery';
import type { EngineRoom } from './EngineRoom';
import { storedField } from './fromEngine';
import type { RoomDocument } from './RoomDocument';

export type RoomSort = ReadonlyArray<readonly [string, SortDirection]>;

const hasOwn = Object.prototype.hasOwnProperty;

/** Stands for an empty array at the end of a sort path: sorts before `null`. */
const EMPTY_ARRAY: unique symbol = Symbol('empty array');

function typeRank(value: unknown): number {
	if (value === null || value === undefined) return 1;
	switch (typeof value) {
		case 'number':
		case 'bigint':
			return 2;
		case 'string':
			return 3;
		case 'boolean':
			return 8;
		case 'object':
			if (value instanceof Date) return 9;
			if (Array.isArray(value)) return 5;
			if (value instanceof RegExp) return 11;
			return 4;
		case 'symbol':
			return value === EMPTY_ARRAY ? 0 : 1;
		default:
			return 1;
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

function compareNumbers(a: number | bigint, b: number | bigint): number {
	const aNaN = a !== a;
	const bNaN = b !== b;
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
		case 2:
			return compareNumbers(a as number, b as number);
		case 3:
			return compareStrings(a as string, b as string);
		case 4:
			return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>);
		case 5:
			return compareArrays(a as unknown[], b as unknown[]);
		case 8:
			return a === b ? 0 : a ? 1 : -1;
		case 9:
			return compareNumbers((a as Date).getTime(), (b as Date).getTime());
		case 11: {
			const bySource = compareStrings((a as RegExp).source, (b as RegExp).source);
			return bySource !== 0 ? bySource : compareStrings((a as RegExp).flags, (b as RegExp).flags);
		}
		default:
			return 0;
	}
}

interface SortKey {
	readonly path: readonly string[];
	/** Per segment: whether a plain property read could reach `Object.prototype` (`constructor`, `__proto__`...). */
	readonly guarded: readonly boolean[];
	readonly descending: boolean;
}

const INDEX = /^(?:0|[1-9][0-9]*)$/;

function isDocument(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof RegExp);
}

/** The key chosen so far while walking arrays; the walk is synchronous, so one slot serves every comparison. */
let chosen: unknown;
let anyChosen = false;
let choosingMax = false;

function offer(value: unknown): void {
	if (!anyChosen) {
		chosen = value;
		anyChosen = true;
		return;
	}
	const byValue = compareValues(value, chosen);
	if (choosingMax ? byValue > 0 : byValue < 0) chosen = value;
}

function offerLeaf(value: unknown): void {
	if (!Array.isArray(value)) offer(value);
	else if (value.length === 0) offer(EMPTY_ARRAY);
	else for (let i = 0; i < value.length; i++) offer(value[i]);
}

function collect(value: unknown, key: SortKey, from: number): void {
	if (from === key.path.length) return offerLeaf(value);
	const segment = key.path[from];
	if (Array.isArray(value)) {
		if (INDEX.test(segment)) return collect(+segment < value.length ? value[+segment] : undefined, key, from + 1);
		if (value.length === 0) return offer(undefined);
		for (let i = 0; i < value.length; i++) {
			const element = value[i];
			if (isDocument(element)) collect(element, key, from);
			else offer(undefined);
		}
		return;
	}
	if (!isDocument(value)) return offer(undefined);
	collect(key.guarded[from] && !hasOwn.call(value, segment) ? undefined : value[segment], key, from + 1);
}

/** The value sorted by, from the value of the path's first field (arrays reduced to their min or max element). */
function valueFrom(top: unknown, key: SortKey): unknown {
	const single = key.path.length === 1;
	if (single && !Array.isArray(top)) return top;
	anyChosen = false;
	choosingMax = key.descending;
	if (single) offerLeaf(top);
	else collect(top, key, 1);
	const value = chosen;
	chosen = undefined;
	return value;
}

/** The value a room document sorts by for one key. */
function sortValue(room: RoomDocument, key: SortKey): unknown {
	const segment = key.path[0];
	return valueFrom(key.guarded[0] && !hasOwn.call(room, segment) ? undefined : room[segment], key);
}

function compileKey(path: string, direction: SortDirection): SortKey {
	const segments = path.split('.');
	return { path: segments, guarded: segments.map((segment) => segment in Object.prototype), descending: direction === -1 };
}

const ID_KEY = compileKey('_id', 1);

/**
 * A comparator for rooms under a sort (`[['ts', -1]]`, ...): MongoDB order on each key in turn, then `_id` ascending.
 */
export function compareRooms(sort: RoomSort): (a: RoomDocument, b: RoomDocument) => number {
	const keys = sort.map(([path, direction]) => compileKey(path, direction));
	const count = keys.length;
	return (a, b) => {
		for (let i = 0; i < count; i++) {
			const key = keys[i];
			const byKey = compareValues(sortValue(a, key), sortValue(b, key));
			if (byKey !== 0) return key.descending ? -byKey : byKey;
		}
		return compareValues(sortValue(a, ID_KEY), sortValue(b, ID_KEY));
	};
}

/**
 * A room as the engine hands it over, with the values it sorts by computed once (then its `_id`, then the room itself
 * last): what the search keeps instead of converted rooms.
 */
export type SortEntry = unknown[];

export interface EngineOrder {
	/** The room's sort entry: one pass over the fields the sort reads, no conversion of the room. */
	entry(room: EngineRoom): SortEntry;
	/** The same order as `compareRooms` gives the converted rooms. */
	compare(a: SortEntry, b: SortEntry): number;
	/** The engine room an entry stands for. */
	room(entry: SortEntry): EngineRoom;
}

/**
 * The order of `compareRooms(sort)` for rooms as the engine hands them over, read through `storedField` so that
 * `compare(entry(a), entry(b))` has the sign of `compareRooms(sort)(roomFromEngine(a), roomFromEngine(b))`.
 */
export function compileEngineOrder(sort: RoomSort): EngineOrder {
	const keys = sort.map(([path, direction]) => compileKey(path, direction));
	const count = keys.length;
	return {
		entry(room) {
			const entry: SortEntry = new Array(count + 2);
			for (let i = 0; i < count; i++) entry[i] = valueFrom(storedField(room, keys[i].path[0]), keys[i]);
			entry[count] = valueFrom(storedField(room, '_id'), ID_KEY);
			entry[count + 1] = room;
			return entry;
		},
		compare(a, b) {
			for (let i = 0; i < count; i++) {
				const byKey = compareValues(a[i], b[i]);
				if (byKey !== 0) return keys[i].descending ? -byKey : byKey;
			}
			return compareValues(a[count], b[count]);
		},
		room: (entry) => entry[count + 1] as EngineRoom,
	};
}
