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
import { compareNumbers, compareStrings, compareValues, EMPTY_ARRAY, TYPE_RANK, typeRank } from '../values/bsonOrder';
import { arrayIndexOf, isDocument } from '../values/path';
import type { RoomDocument } from './RoomDocument';

export type RoomSort = ReadonlyArray<readonly [string, SortDirection]>;

const hasOwn = Object.prototype.hasOwnProperty;

interface SortKey {
	readonly path: readonly string[];
	/** Per segment: whether a plain property read could reach `Object.prototype` (`constructor`, `__proto__`...). */
	readonly guarded: readonly boolean[];
	readonly descending: boolean;
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
		const index = arrayIndexOf(segment);
		if (index >= 0) return collect(index < value.length ? value[index] : undefined, key, from + 1);
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

/** A room with the values it sorts by, read once: type bracket and value per key (`_id` last), then the room. */
export type SortEntry = unknown[];

export interface RoomOrder {
	entry(room: RoomDocument): SortEntry;
	/** The order of `compareRooms(sort)` on the entries' rooms. */
	compare(a: SortEntry, b: SortEntry): number;
	room(entry: SortEntry): RoomDocument;
}

/**
 * `compareRooms(sort)` for a search that compares each room many times: every sort value is read and bracketed once
 * per room (dates kept as their time), so a comparison is mostly number and string comparisons.
 */
export function compileRoomOrder(sort: RoomSort): RoomOrder {
	const keys = [...sort.map(([path, direction]) => compileKey(path, direction)), ID_KEY];
	const count = keys.length;
	return {
		entry(room) {
			const entry: SortEntry = new Array(2 * count + 1);
			for (let i = 0; i < count; i++) {
				const value = sortValue(room, keys[i]);
				const rank = typeRank(value);
				entry[2 * i] = rank;
				entry[2 * i + 1] = rank === TYPE_RANK.date ? (value as Date).getTime() : value;
			}
			entry[2 * count] = room;
			return entry;
		},
		compare(a, b) {
			for (let i = 0; i < count; i++) {
				const rank = a[2 * i] as number;
				const other = b[2 * i] as number;
				let byKey: number;
				if (rank !== other) byKey = rank < other ? -1 : 1;
				else {
					const x = a[2 * i + 1];
					const y = b[2 * i + 1];
					if (rank === TYPE_RANK.number || rank === TYPE_RANK.date) byKey = compareNumbers(x as number, y as number);
					else if (rank === TYPE_RANK.string) byKey = x === y ? 0 : compareStrings(x as string, y as string);
					else byKey = compareValues(x, y);
				}
				if (byKey !== 0) return keys[i].descending ? -byKey : byKey;
			}
			return 0;
		},
		room: (entry) => entry[2 * count] as RoomDocument,
	};
}
