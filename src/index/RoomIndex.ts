/**
 * The app's own copy of the livechat rooms, in memory: every room as stored, by id, held compactly (`roomColumns.ts`:
 * columns for the fields queries read, documents packed). Pure data; how it is filled and kept fresh is `LiveIndex`'s
 * business.
 *
 * One rule decides between two versions of a room, whatever order they arrive in: the one with the later `_updatedAt`
 * wins (Rocket.Chat stamps `_updatedAt` on every write to a room); on a tie the copy held stays (the same version:
 * replaying the journal allocates nothing new), unless the newcomer has another `departmentId`: the one field two
 * copies of one version may disagree on (`withKnownDepartment`), settled by the reconciliation's copy, which comes
 * later in the journal. A deleted room is
 * remembered as gone for good (room ids are never reused), so a late copy of it cannot bring it back.
 */
import type { RoomQuery } from '../query/RoomQuery';
import { compileMatcher } from '../rooms/match';
import { compileRoomOrder } from '../rooms/order';
import type { SortEntry } from '../rooms/order';
import type { RoomDocument } from '../rooms/RoomDocument';
import { countFiltersFor, countRooms } from '../rooms/counts';
import type { RoomCounts } from '../rooms/counts';
import { fieldsRead } from '../rooms/fieldsRead';
import { BestRooms } from './BestRooms';
import { countColumns, searchColumns } from './columnSearch';
import type { BlockPacker } from './codec';
import { RoomColumns, viewCarries } from './roomColumns';

/** A room's `_updatedAt` in milliseconds (`-Infinity` when it has none). */
export function updatedAtOf(room: { readonly _updatedAt?: unknown } | undefined): number {
	const value = room?._updatedAt;
	// Any realm's Date (a room may come from another realm's structured clone).
	if (Object.prototype.toString.call(value) === '[object Date]') return (value as Date).getTime();
	if (typeof value === 'string' || typeof value === 'number') {
		const time = new Date(value).getTime();
		if (!Number.isNaN(time)) return time;
	}
	return -Infinity;
}

/** Every livechat room as stored; a set may answer queries and counts itself, faster than a pass over its rooms. */
export interface RoomSet {
	/** Every whole document. */
	values(): Iterable<RoomDocument>;
	readonly size: number;
	/** The query answered by the set itself. */
	search?(query: RoomQuery): Found;
	/** `rooms/counts` answered by the set itself. */
	count?(query: RoomQuery): RoomCounts;
}

export class RoomIndex implements RoomSet {
	private readonly rooms: RoomColumns;

	private readonly gone = new Set<string>();

	/** `packer`: how full blocks of documents are deflated (kept as plain text without one). */
	constructor(packer?: BlockPacker) {
		this.rooms = new RoomColumns(packer);
	}

	/** Takes a version of a room unless the index holds a later one or knows the room is gone. */
	public apply(room: RoomDocument): boolean {
		const id = room._id;
		if (typeof id !== 'string' || room.t !== 'l' || this.gone.has(id)) return false;
		const held = this.rooms.updatedAt(id);
		if (held !== undefined) {
			const time = updatedAtOf(room);
			if (held > time) return false;
			if (held === time && this.rooms.view(id)?.departmentId === room.departmentId) return false;
		}
		this.rooms.set(room);
		return true;
	}

	/** Forgets a deleted room, for good. */
	public remove(id: string): void {
		this.gone.add(id);
		this.rooms.delete(id);
	}

	/** Drops every room (the rooms known to be gone stay gone). */
	public clear(): void {
		this.rooms.clear();
	}

	public isGone(id: string): boolean {
		return this.gone.has(id);
	}

	/** Every room known to be deleted. */
	public goneIds(): IterableIterator<string> {
		return this.gone.values();
	}

	/** A room's whole document. */
	public get(id: string): RoomDocument | undefined {
		return this.rooms.document(id);
	}

	public documentsOf(ids: readonly string[]): Array<RoomDocument | undefined> {
		return this.rooms.documentsOf(ids);
	}

	/** A room's view: the fields `VIEW_FIELDS` names, as stored. */
	public view(id: string): RoomDocument | undefined {
		return this.rooms.view(id);
	}

	/** A room's `_updatedAt` in ms, without unpacking it (`undefined`: not held). */
	public updatedAt(id: string): number | undefined {
		return this.rooms.updatedAt(id);
	}

	public has(id: string): boolean {
		return this.rooms.has(id);
	}

	public get size(): number {
		return this.rooms.size;
	}

	public values(): IterableIterator<RoomDocument> {
		return this.rooms.documents();
	}

	/** Every room's view. */
	public views(): IterableIterator<RoomDocument> {
		return this.rooms.views();
	}

	/** Every room with at least these top-level fields as stored (`undefined`: every field): views where they carry them. */
	public reading(fields: ReadonlySet<string> | undefined): Iterable<RoomDocument> {
		if (fields && [...fields].every(viewCarries)) return this.rooms.views(fields);
		return this.rooms.documents();
	}

	public ids(): IterableIterator<string> {
		return this.rooms.keys();
	}

	public search(query: RoomQuery): Found {
		return searchColumns(query, this.rooms);
	}

	public count(query: RoomQuery): RoomCounts {
		return countColumns(query, this.rooms) ?? countRooms(this.reading(fieldsRead(query, true)), countFiltersFor(query));
	}
}

export interface Found {
	/** The requested page, in order. */
	readonly rooms: RoomDocument[];
	/** Every room that matches. */
	readonly total: number;
}

/**
 * The query over a set of rooms: the page `[offset, offset + count)` (everything from `offset` when `count` is 0) in
 * `query.sort` order, ties by `_id`, and the number of all matches. Memory beyond the set: the best `offset + count`.
 */
export function searchRooms(query: RoomQuery, rooms: Iterable<RoomDocument>): Found {
	const matches = compileMatcher(query);
	const order = compileRoomOrder(query.sort);
	const best = new BestRooms<SortEntry>(order.compare, query.count === 0 ? Infinity : query.offset + query.count);
	let total = 0;
	for (const room of rooms) {
		if (room.t !== 'l' || !matches(room)) continue;
		total++;
		best.offer(order.entry(room));
	}
	const sorted = best.sorted();
	const end = query.count === 0 ? sorted.length : query.offset + query.count;
	return { rooms: query.offset >= sorted.length ? [] : sorted.slice(query.offset, end).map(order.room), total };
}

/** `rooms/counts` over a set of rooms (`countRooms`), by the set itself where it can. */
export function countRoomSet(query: RoomQuery, set: RoomSet): RoomCounts {
	return set.count ? set.count(query) : countRooms(set.values(), countFiltersFor(query));
}

/** The query over a set of rooms (`searchRooms`), by the set itself where it can. */
export function searchRoomSet(query: RoomQuery, set: RoomSet): Found {
	return set.search ? set.search(query) : searchRooms(query, set.values());
}
