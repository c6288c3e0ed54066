/**
 * The app's own copy of the livechat rooms, in memory: every room as stored (full documents), by id. Pure data; how it
 * is filled and kept fresh is `LiveIndex`'s business.
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
import { BestRooms } from './BestRooms';

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

export class RoomIndex {
	private readonly rooms = new Map<string, RoomDocument>();

	private readonly gone = new Set<string>();

	/** Takes a version of a room unless the index holds a later one or knows the room is gone. */
	public apply(room: RoomDocument): boolean {
		const id = room._id;
		if (typeof id !== 'string' || room.t !== 'l' || this.gone.has(id)) return false;
		const current = this.rooms.get(id);
		if (current !== undefined && updatedAtOf(current) > updatedAtOf(room)) return false;
		if (current !== undefined && updatedAtOf(current) === updatedAtOf(room) && current.departmentId === room.departmentId) return false;
		this.rooms.set(id, room);
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

	public get(id: string): RoomDocument | undefined {
		return this.rooms.get(id);
	}

	public has(id: string): boolean {
		return this.rooms.has(id);
	}

	public get size(): number {
		return this.rooms.size;
	}

	public values(): IterableIterator<RoomDocument> {
		return this.rooms.values();
	}

	public ids(): IterableIterator<string> {
		return this.rooms.keys();
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
