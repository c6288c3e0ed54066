/**
 * The fields of a room a query reads to select, order and count rooms (the page's own fields aside): the top-level
 * fields each built-in filter reads (`match.ts`), those of the sort, those of `query` when they can be told, and
 * those the counts read (`counts.ts`). `undefined`: every field may be read.
 */
import type { RoomQuery } from '../query/RoomQuery';

const ALWAYS = ['_id', 't'];
/** What `countRooms` reads beyond the filters. */
export const COUNTED_FIELDS: readonly string[] = ['open', 'onHold', 'servedBy', 'departmentId', 'source', 'tags', 'queuedAt', 'ts', 'fname'];

export function fieldsRead(query: RoomQuery, counting = false): ReadonlySet<string> | undefined {
	const fields = new Set(ALWAYS);
	const add = (...names: string[]): void => names.forEach((name) => fields.add(name));
	if (query.agents || query.servedById !== undefined) add('servedBy');
	if (query.departmentIds) add('departmentId');
	if (query.open !== undefined || query.onHold !== undefined || query.queued !== undefined) add('open', 'onHold', 'servedBy');
	if (query.createdAt) add('ts');
	if (query.closedAt) add('closedAt');
	if (query.tags) add('tags');
	if (query.customFields) add('livechatData');
	if (query.roomName) add('fname');
	if (query.units) add('departmentAncestors');
	for (const [path] of query.sort) add(path.split('.')[0]);
	if (query.filter) {
		if (!query.filterPaths) return undefined;
		add(...query.filterPaths.map((path) => path.split('.')[0]));
	}
	if (counting) add(...COUNTED_FIELDS);
	return fields;
}
