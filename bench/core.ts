/**
 * The pure core against `mingo`, in this Node.js process, over the same rooms already in memory: the stored demo rooms
 * as the app receives them (`convertRoomToAppRaw`, the host's copy of Rocket.Chat's converter) and as the app
 * rebuilds them (`roomFromEngine`).
 *
 * - core: `searchRooms` (the app's own search: match, bounded best-rooms heap, order, page) over an in-memory
 *   `RoomPages` of the converted rooms, in pages of 100. It converts each matching room with `roomFromEngine` as it
 *   goes, which mingo does not have to do: the comparison is conservative.
 * - core, direct: `compileMatcher` + `compareRooms` over the rebuilt documents mingo sees (filter, sort, slice).
 * - mingo: the equivalent MongoDB query (`mongoQuery.ts`) with sort (plus `_id`), skip and limit, over the rebuilt
 *   documents.
 * Every variant must give the same ids in the same order; a mismatch is printed loudly.
 */
import { Query } from 'mingo';

import type { RoomQuery } from '../src/query/RoomQuery';
import { roomFromEngine } from '../src/rooms/fromEngine';
import { compileMatcher } from '../src/rooms/match';
import { compareRooms } from '../src/rooms/order';
import type { RoomDocument } from '../src/rooms/RoomDocument';
import type { EngineRoom, RoomPages } from '../src/scan/RoomPages';
import { searchRooms } from '../src/scan/search';
import type { StoredRoom } from '../workspace/data/types';
import { convertRoomToAppRaw } from '../workspace/engine/converter';
import { mongoFilter, mongoSort } from './mongoQuery';
import type { BenchQuery } from './queries';
import { roomQuery } from './queries';
import type { Summary } from './stats';
import { measure, summarize } from './stats';

/** The livechat rooms in both shapes, built once per size. */
export interface InMemoryRooms {
	/** As `getAllRooms` hands them to the app. */
	readonly engine: readonly EngineRoom[];
	/** As the app rebuilds them: the documents mingo queries. */
	readonly documents: readonly RoomDocument[];
}

export interface CoreFigures {
	readonly label: string;
	readonly core: Summary;
	readonly direct: Summary;
	readonly mingo: Summary;
	/** Rooms each run looked at. */
	readonly scanned: number;
	readonly matched: number;
	readonly returned: number;
	/** The core's page, in order. */
	readonly ids: string[];
	/** Empty when all three agree. */
	readonly mismatches: string[];
}

export function inMemoryRooms(stored: readonly StoredRoom[]): InMemoryRooms {
	const engine = stored.filter((room) => room.t === 'l').map(convertRoomToAppRaw);
	return { engine, documents: engine.map(roomFromEngine) };
}

/** A `RoomPages` over rooms already in memory (what the engine would hand over, without the engine). */
function memoryPages(rooms: readonly EngineRoom[]): RoomPages {
	return { page: async (skip, limit) => rooms.slice(skip, skip + limit) };
}

async function runCore(query: RoomQuery, rooms: InMemoryRooms): Promise<{ ids: string[]; total: number }> {
	const { rooms: page, total } = await searchRooms(query, memoryPages(rooms.engine));
	return { ids: page.map((room) => room._id), total };
}

/** The core's pieces used directly: every match, sorted, then the page. */
function runDirect(query: RoomQuery, rooms: InMemoryRooms): { ids: string[]; total: number } {
	const matches = compileMatcher(query);
	const found = rooms.documents.filter((room) => room.t === 'l' && matches(room)).sort(compareRooms(query.sort));
	const end = query.count === 0 ? found.length : query.offset + query.count;
	return { ids: found.slice(query.offset, end).map((room) => room._id), total: found.length };
}

function runMingo(query: RoomQuery, rooms: InMemoryRooms): { ids: string[] } {
	let cursor = new Query(mongoFilter(query), {}).find<RoomDocument>(rooms.documents as RoomDocument[]).sort(mongoSort(query)).skip(query.offset);
	if (query.count > 0) cursor = cursor.limit(query.count);
	return { ids: cursor.all().map((room) => room._id) };
}

/** Where two id lists first differ, or `undefined` when they are equal. */
function difference(name: string, expected: readonly string[], actual: readonly string[]): string | undefined {
	if (expected.length === actual.length && expected.every((id, i) => id === actual[i])) return undefined;
	const at = expected.findIndex((id, i) => id !== actual[i]);
	const index = at < 0 ? Math.min(expected.length, actual.length) : at;
	return `${name}: ${actual.length} ids vs core's ${expected.length}; first difference at #${index}: ${actual[index]} vs ${expected[index]}`;
}

/** Times the three variants on one query (after a warm-up each) and checks they agree. */
export async function compareOnQuery(query: BenchQuery, rooms: InMemoryRooms, runs: number): Promise<CoreFigures> {
	const parsed = roomQuery(query);
	const core = await measure(() => runCore(parsed, rooms), runs);
	const direct = await measure(() => runDirect(parsed, rooms), runs);
	const mingo = await measure(() => runMingo(parsed, rooms), runs);
	const mismatches = [difference('core, direct', core.last.ids, direct.last.ids), difference('mingo', core.last.ids, mingo.last.ids)].filter(
		(problem): problem is string => problem !== undefined,
	);
	if (core.last.total !== direct.last.total) mismatches.push(`total: core ${core.last.total}, direct ${direct.last.total}`);
	return {
		label: query.label,
		core: summarize(core.times),
		direct: summarize(direct.times),
		mingo: summarize(mingo.times),
		scanned: rooms.engine.length,
		matched: core.last.total,
		returned: core.last.ids.length,
		ids: core.last.ids,
		mismatches,
	};
}
