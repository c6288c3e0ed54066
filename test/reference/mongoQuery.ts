/**
 * The `RoomQuery` as the MongoDB query Rocket.Chat would run (`LivechatRooms.findRoomsWithCriteria`), so `mingo` can
 * evaluate the same search the core does: the filter, the sort (with the `_id` tiebreak the app guarantees), skip
 * and limit. Mirrors upstream's operators: `$or` on `servedBy._id` / `servedBy.username`, `$exists`, `$ne`, `$in`,
 * `$gte` / `$lte`, and case-insensitive `$regex` on escaped text (the app treats `roomName` and `customFields` as
 * literal text; upstream compiles them unescaped).
 */
import type { DateRange, RoomQuery } from '../../src/query/RoomQuery';

const hasOwn = Object.prototype.hasOwnProperty;

export type MongoFilter = Record<string, unknown>;
export type MongoSort = Record<string, 1 | -1>;

/** Regular-expression metacharacters escaped, as `escapeRegExp` does upstream. */
export function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function containsIgnoringCase(text: string): Record<string, string> {
	return { $regex: escapeRegExp(text), $options: 'i' };
}

function range(dates: DateRange): Record<string, Date> {
	const bounds: Record<string, Date> = {};
	if (dates.start) bounds.$gte = dates.start;
	if (dates.end) bounds.$lte = dates.end;
	return bounds;
}

/** `open`, `onhold` and `queued` with upstream's precedence: `queued` overrides both, `onhold` replaces the `$ne`. */
function addStateFilters(filter: MongoFilter, query: RoomQuery): void {
	if (query.open !== undefined) {
		filter.open = { $exists: query.open };
		filter.onHold = { $ne: true };
		if (query.open) filter.servedBy = { $exists: true };
	}
	if (query.onHold) filter.onHold = { $exists: true, $eq: true };
	if (query.queued) {
		filter.servedBy = { $exists: false };
		filter.open = true;
		filter.onHold = { $ne: true };
	}
}

/** The MongoDB filter for a room query (livechat rooms only, like upstream's `t: 'l'`). */
export function mongoFilter(query: RoomQuery): MongoFilter {
	const filter: MongoFilter = { t: 'l' };
	if (query.agents) filter.$or = [{ 'servedBy._id': { $in: [...query.agents] } }, { 'servedBy.username': { $in: [...query.agents] } }];
	if (query.roomName) filter.fname = query.roomName.exact ? query.roomName.text : containsIgnoringCase(query.roomName.text);
	if (query.departmentIds) filter.departmentId = { $in: [...query.departmentIds] };
	addStateFilters(filter, query);
	if (query.createdAt) filter.ts = range(query.createdAt);
	if (query.closedAt) filter.closedAt = range(query.closedAt);
	if (query.tags) filter.tags = { $in: [...query.tags] };
	const customFields = Object.entries(query.customFields ?? {});
	if (customFields.length > 0) filter.$and = customFields.map(([key, value]) => ({ [`livechatData.${key}`]: containsIgnoringCase(value) }));
	if (query.units) filter.departmentAncestors = { $in: [...query.units] };
	return filter;
}

/** The query's sort, then `_id` ascending unless the caller already sorts on `_id`. */
export function mongoSort(query: RoomQuery): MongoSort {
	const sort: MongoSort = {};
	for (const [path, direction] of query.sort) if (!hasOwn.call(sort, path)) sort[path] = direction;
	if (!hasOwn.call(sort, '_id')) sort._id = 1;
	return sort;
}
