/**
 * The pure core against `mingo`, in this Node.js process, over the same rooms already in memory: the stored demo rooms
 * as the app receives them (`convertRoomToAppRaw`, the host's copy of Rocket.Chat's converter) and as the app
 * rebuilds them (`roomFromEngine`).
 *
 * - core: `searchRooms`, the app's own match + order + page (bounded best-rooms heap), over an in-memory `RoomPages`
 *   of the rooms as the engine hands them over, in pages of 100, exactly as the endpoint runs it. It also rebuilds
 *   the answered rooms with `roomFromEngine` (every match for `count=0`), work mingo does not do: the comparison is
 *   conservative.
 * - mingo: the equivalent MongoDB query (`mongoQuery.ts`) with sort (plus `_id`), skip and limit, over the rebuilt
 *   documents.
 * Both must give the same ids in the same order and the same total; a mismatch is printed loudly.
 */
import { Query } from 'mingo';

import type { RoomQuery } from '../src/query/RoomQuery';
import { roomFromEngine } from '../src/rooms/fromEngine';
import type { RoomDocument } from '../src/rooms/RoomDocument';
import type { EngineRoom } from '../src/rooms/EngineRoom';
import { searchRooms } from '../src/index/RoomIndex';
import type { StoredRoom } from '../workspace/data/types';
import { convertRoomToAppRaw } from '../workspace/engine/converter';
import { mongoFilter, mongoSort } from '../test/reference/mongoQuery';
import type { BenchQuery } from './queries';
import { roomQuery } from './queries';
import type { Summary } from './stats';
import { measureRepeated, summarize } from './stats';

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
	readonly mingo: Summary;
	/** Rooms each run looked at. */
	readonly scanned: number;
	readonly matched: number;
	readonly returned: number;
	/** The core's page, in order. */
	readonly ids: string[];
	/** Empty when the core and mingo agree. */
	readonly mismatches: string[];
}

/** The stored livechat rooms converted as the host hands them to the app, and rebuilt as the app sees them. */
export function inMemoryRooms(stored: readonly StoredRoom[]): InMemoryRooms {
	const engine = stored.filter((room) => room.t === 'l').map(convertRoomToAppRaw);
	return { engine, documents: engine.map(roomFromEngine) };
}

async function runCore(query: RoomQuery, rooms: InMemoryRooms): Promise<{ ids: string[]; total: number }> {
	const { rooms: page, total } = searchRooms(query, rooms.documents);
	return { ids: page.map((room) => room._id), total };
}

function runMingo(query: RoomQuery, rooms: InMemoryRooms): { ids: string[] } {
	let cursor = new Query(mongoFilter(query), {})
		.find<RoomDocument>(rooms.documents as RoomDocument[])
		.sort(mongoSort(query))
		.skip(query.offset);
	if (query.count > 0) cursor = cursor.limit(query.count);
	return { ids: cursor.all().map((room) => room._id) };
}

/** mingo's count of every match (the envelope's `total`), checked once, outside the timed runs. */
function mingoTotal(query: RoomQuery, rooms: InMemoryRooms): number {
	const matches = new Query(mongoFilter(query), {});
	return rooms.documents.filter((room) => matches.test(room)).length;
}

/** Where two id lists first differ, or `undefined` when they are equal. */
function difference(name: string, expected: readonly string[], actual: readonly string[]): string | undefined {
	if (expected.length === actual.length && expected.every((id, i) => id === actual[i])) return undefined;
	const at = expected.findIndex((id, i) => id !== actual[i]);
	const index = at < 0 ? Math.min(expected.length, actual.length) : at;
	return `${name}: ${actual.length} ids vs core's ${expected.length}; first difference at #${index}: ${actual[index]} vs ${expected[index]}`;
}

/** Times the core and mingo on one query (after a warm-up each, samples of at least 200 ms) and checks they agree. */
export async function compareOnQuery(query: BenchQuery, rooms: InMemoryRooms, runs: number): Promise<CoreFigures> {
	const parsed = roomQuery(query);
	const core = await measureRepeated(() => runCore(parsed, rooms), runs);
	const mingo = await measureRepeated(() => runMingo(parsed, rooms), runs);
	const mismatches: string[] = [];
	const order = difference('mingo', core.last.ids, mingo.last.ids);
	if (order) mismatches.push(order);
	const total = mingoTotal(parsed, rooms);
	if (core.last.total !== total) mismatches.push(`total: core ${core.last.total}, mingo ${total}`);
	return {
		label: query.label,
		core: summarize(core.times),
		mingo: summarize(mingo.times),
		scanned: rooms.engine.length,
		matched: core.last.total,
		returned: core.last.ids.length,
		ids: core.last.ids,
		mismatches,
	};
}
