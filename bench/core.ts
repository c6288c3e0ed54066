/**
 * The app's search (`searchRooms` of `src/index/RoomIndex.ts`, what the endpoint runs over its index) against `mingo`,
 * in this Node.js process, over the same room documents: the workspace's stored livechat rooms as the app's index
 * holds them (Rocket.Chat's full conversion, `getById`, rebuilt by `roomFromFullEngine`).
 *
 * Two uses:
 * - the truth for the endpoint: after the run (changes, deletions and a reconciliation included), the endpoint's
 *   answers must equal the search over the store as it is then (ids, order, total);
 * - a figure: the search's own cost per query in memory, next to mingo's (informative; the warm endpoint time is this
 *   plus the engine's call).
 * mingo runs the equivalent MongoDB query (`test/reference/mongoQuery.ts`, plus the `query` parameter) with sort (plus `_id`), skip
 * and limit; both must give the same ids in the same order and the same total; a mismatch is printed loudly.
 */
import { Query } from 'mingo';

import type { RoomQuery } from '../src/query/RoomQuery';
import { searchRooms } from '../src/index/RoomIndex';
import { roomFromFullEngine } from '../src/rooms/fromFullRoom';
import type { RoomDocument } from '../src/rooms/RoomDocument';
import type { EngineRoom } from '../src/rooms/EngineRoom';
import type { WorkspaceState } from '../workspace/engine/state';
import type { MongoFilter } from '../test/reference/mongoQuery';
import { mongoFilter, mongoSort } from '../test/reference/mongoQuery';
import type { BenchQuery } from './queries';
import { rawFilter, roomQuery } from './queries';
import type { Summary } from './stats';
import { measureRepeated, summarize } from './stats';

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

/** The store's livechat rooms as the app's index holds them. */
export function indexedDocuments(state: WorkspaceState): RoomDocument[] {
	return state
		.allRooms()
		.filter((room) => room.t === 'l')
		.map((room) => roomFromFullEngine(state.convertFull(room) as unknown as EngineRoom));
}

function runCore(query: RoomQuery, rooms: readonly RoomDocument[]): { ids: string[]; total: number } {
	const { rooms: page, total } = searchRooms(query, rooms);
	return { ids: page.map((room) => room._id), total };
}

function fullFilter(bench: BenchQuery, query: RoomQuery): MongoFilter {
	const filter = mongoFilter(query);
	const extra = rawFilter(bench);
	return extra ? { $and: [filter, extra] } : filter;
}

function runMingo(filter: MongoFilter, query: RoomQuery, rooms: readonly RoomDocument[]): { ids: string[] } {
	let cursor = new Query(filter, {})
		.find<RoomDocument>(rooms as RoomDocument[])
		.sort(mongoSort(query))
		.skip(query.offset);
	if (query.count > 0) cursor = cursor.limit(query.count);
	return { ids: cursor.all().map((room) => room._id) };
}

/** Where two id lists first differ, or `undefined` when they are equal. */
export function difference(name: string, expected: readonly string[], actual: readonly string[]): string | undefined {
	if (expected.length === actual.length && expected.every((id, i) => id === actual[i])) return undefined;
	const at = expected.findIndex((id, i) => id !== actual[i]);
	const index = at < 0 ? Math.min(expected.length, actual.length) : at;
	return `${name}: ${actual.length} ids vs ${expected.length}; first difference at #${index}: ${actual[index]} vs ${expected[index]}`;
}

/** Times the search and mingo on one query (after a warm-up each, samples of at least 200 ms) and checks they agree. */
export async function compareOnQuery(bench: BenchQuery, rooms: readonly RoomDocument[], runs: number): Promise<CoreFigures> {
	const query = roomQuery(bench);
	const filter = fullFilter(bench, query);
	const core = await measureRepeated(() => runCore(query, rooms), runs);
	const mingo = await measureRepeated(() => runMingo(filter, query, rooms), runs);
	const mismatches: string[] = [];
	const order = difference('mingo', core.last.ids, mingo.last.ids);
	if (order) mismatches.push(order);
	const matches = new Query(filter, {});
	const total = rooms.filter((room) => matches.test(room)).length;
	if (core.last.total !== total) mismatches.push(`total: search ${core.last.total}, mingo ${total}`);
	return {
		label: bench.label,
		core: summarize(core.times),
		mingo: summarize(mingo.times),
		scanned: rooms.length,
		matched: core.last.total,
		returned: core.last.ids.length,
		ids: core.last.ids,
		mismatches,
	};
}
