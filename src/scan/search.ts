/**
 * The search: every livechat room, page by page, filtered, counted and ordered, keeping only what the requested page
 * needs. Memory is bounded by the page: at most `offset + count` best rooms are held (a binary heap whose top is
 * the worst kept room), plus the engine's current page; only `count=0` ("every match") keeps all matches.
 *
 * - A room is tested and ordered as the engine hands it over (`compileEngineMatcher`, `compileEngineOrder`: equal by
 *   construction and by test to the document matcher and comparator); for a matching room only the values it sorts
 *   by are read, once. `roomFromEngine` runs only for the rooms of the answered page.
 * - Rooms can move between pages while the scan runs (rooms added or deleted before the scan's position shift the
 *   rest), so a room may be handed over twice, on neighbouring pages. A matched room is skipped when its id was
 *   matched on the previous or the current page, or is among the kept rooms: it is listed once, and counted once
 *   unless it shifted by more than a whole page between two reads. Memory stays bounded by the answer plus two
 *   pages of ids, whatever the size of the workspace.
 * - A room whose type is not `l` is ignored, whatever the reader returns.
 * - The scan stops at the first short page, and also when a reader hands back the very same page again (a reader
 *   that ignores `skip` would otherwise never end).
 */
import type { RoomQuery } from '../query/RoomQuery';
import { roomFromEngine } from '../rooms/fromEngine';
import { compileEngineMatcher } from '../rooms/match';
import { compileEngineOrder } from '../rooms/order';
import type { SortEntry } from '../rooms/order';
import type { EngineRoom } from '../rooms/EngineRoom';
import type { RoomDocument } from '../rooms/RoomDocument';
import type { RoomPages } from './RoomPages';
import { PAGE_SIZE } from './RoomPages';

export interface SearchResult {
	/** The requested page, in order. */
	readonly rooms: RoomDocument[];
	/** Every room that matches. */
	readonly total: number;
}

/** A binary heap of the best rooms so far, worst on top, holding at most `limit` of them (all when `Infinity`). */
export class BestRooms<T> {
	private readonly heap: T[] = [];

	constructor(
		private readonly compare: (a: T, b: T) => number,
		private readonly limit: number,
	) {}

	/** Keeps the room if it is among the best; answers the room that left (the room itself when it was not kept). */
	offer(room: T): T | undefined {
		const heap = this.heap;
		if (this.limit === Infinity) heap.push(room);
		else if (heap.length < this.limit) {
			heap.push(room);
			this.siftUp(heap.length - 1);
		} else if (heap.length > 0 && this.compare(room, heap[0]) < 0) {
			const worst = heap[0];
			heap[0] = room;
			this.siftDown(0);
			return worst;
		} else return room;
		return undefined;
	}

	/** How many rooms are held. */
	get size(): number {
		return this.heap.length;
	}

	/** Every kept room, best first. */
	sorted(): T[] {
		return this.heap.sort(this.compare);
	}

	private siftUp(index: number): void {
		const heap = this.heap;
		const room = heap[index];
		while (index > 0) {
			const parent = (index - 1) >> 1;
			if (this.compare(room, heap[parent]) <= 0) break;
			heap[index] = heap[parent];
			index = parent;
		}
		heap[index] = room;
	}

	private siftDown(index: number): void {
		const heap = this.heap;
		const length = heap.length;
		const room = heap[index];
		for (;;) {
			let child = 2 * index + 1;
			if (child >= length) break;
			if (child + 1 < length && this.compare(heap[child + 1], heap[child]) > 0) child++;
			if (this.compare(heap[child], room) <= 0) break;
			heap[index] = heap[child];
			index = child;
		}
		heap[index] = room;
	}
}

function sameRoom(a: EngineRoom | undefined, b: EngineRoom | undefined): boolean {
	return a !== undefined && b !== undefined && a !== null && b !== null && a.id === b.id;
}

/** Whether a page is the previous one handed back again (same first and last room). */
function repeats(page: readonly EngineRoom[], previous: readonly EngineRoom[] | undefined): boolean {
	return previous !== undefined && page.length > 0 && sameRoom(page[0], previous[0]) && sameRoom(page[page.length - 1], previous[previous.length - 1]);
}

/**
 * Scans every livechat room once and answers the page `[offset, offset + count)` (all from `offset` when `count` is
 * 0) in `query.sort` order, ties by `_id`, with the number of all matching rooms.
 */
export async function searchRooms(query: RoomQuery, pages: RoomPages, options?: { pageSize?: number }): Promise<SearchResult> {
	const requested = options?.pageSize;
	const pageSize = requested !== undefined && requested >= 1 && requested <= PAGE_SIZE ? Math.floor(requested) : PAGE_SIZE;
	const matches = compileEngineMatcher(query);
	const order = compileEngineOrder(query.sort);
	const best = new BestRooms<SortEntry>(order.compare, query.count === 0 ? Infinity : query.offset + query.count);
	/** Ids of the kept rooms, of the rooms matched on the previous page and on this one. */
	const kept = new Set<unknown>();
	let previousIds = new Set<unknown>();
	let total = 0;
	let previous: readonly EngineRoom[] | undefined;
	for (let skip = 0; ; skip += pageSize) {
		const answer = await pages.page(skip, pageSize);
		const page: readonly EngineRoom[] = Array.isArray(answer) ? answer : [];
		if (repeats(page, previous)) break;
		const pageIds = new Set<unknown>();
		for (let i = 0; i < page.length; i++) {
			const raw = page[i];
			if (raw === null || typeof raw !== 'object' || raw.type !== 'l' || !matches(raw)) continue;
			const id = raw.id;
			if (pageIds.has(id) || previousIds.has(id) || kept.has(id)) continue;
			pageIds.add(id);
			total++;
			const entry = order.entry(raw);
			const left = best.offer(entry);
			if (left !== entry) kept.add(id);
			if (left !== undefined && left !== entry) kept.delete(order.room(left).id);
		}
		if (page.length < pageSize) break;
		previousIds = pageIds;
		previous = page;
	}
	const sorted = best.sorted();
	const end = query.count === 0 ? sorted.length : query.offset + query.count;
	const page = query.offset >= sorted.length ? [] : sorted.slice(query.offset, end);
	return { rooms: page.map((entry) => roomFromEngine(order.room(entry))), total };
}
