/**
 * The typical queries the benchmark times, as query strings the way a client sends them. Each is parsed by `qs` (as
 * the host's Express does) for the endpoint, and by the app's own `parseRoomQuery` for the in-memory comparison.
 */
import * as qs from 'qs';

import { parseRoomQuery } from '../src/query/fromParams';
import type { RoomQuery } from '../src/query/RoomQuery';

export interface BenchQuery {
	/** Short label for the tables. */
	readonly label: string;
	/** The query string as a client sends it (JSON values URL-encoded); `params()` reads it with `qs`, as Express does. */
	readonly search: string;
	/** Whether the answer is one page of at most 100 rooms; `count=0` answers every match at once. */
	readonly paged: boolean;
	/**
	 * Whether the warm-query target judges it. `count=0` over every room is a bulk export (every room in one answer,
	 * its time is the transfer of the whole set), reported but not one of the typical queries.
	 */
	readonly typical: boolean;
}

const json = (value: unknown): string => encodeURIComponent(JSON.stringify(value));

/** In the order they run: paged ones first, so the Deno peak is read after them and before `count=0`. */
export const QUERIES: readonly BenchQuery[] = [
	{ label: 'no filter', search: '', paged: true, typical: true },
	{ label: 'open=true', search: 'open=true', paged: true, typical: true },
	{ label: 'queued=true', search: 'queued=true', paged: true, typical: true },
	{ label: 'onhold=true', search: 'onhold=true', paged: true, typical: true },
	{
		label: 'agents + createdAt',
		search: `agents[]=alice&agents[]=CE3mdzpkAsYEtt9mq&createdAt=${json({ start: '2026-08-01T00:00:00.000Z', end: '2026-09-30T23:59:59.999Z' })}`,
		paged: true,
		typical: true,
	},
	{ label: 'tags + open=false', search: 'tags[]=vip&tags[]=churn-risk&open=false', paged: true, typical: true },
	{ label: 'roomName', search: 'roomName=silva', paged: true, typical: true },
	{
		label: 'customFields + nested sort',
		search: `customFields=${json({ plan: 'pro' })}&sort=${json({ 'servedBy.username': 1 })}`,
		paged: true,
		typical: true,
	},
	{
		label: 'query: source + plan $in',
		search: `query=${json({ 'source.type': { $in: ['email', 'app'] }, 'livechatData.plan': { $in: ['pro', 'enterprise'] } })}`,
		paged: true,
		typical: true,
	},
	{
		label: 'query: $or + $date + sort',
		search: `query=${json({ $or: [{ tags: 'refund' }, { 'metrics.chatDuration': { $gt: 3600 } }], ts: { $gte: { $date: '2026-07-01T00:00:00.000Z' } } })}&sort=${json({ closedAt: -1 })}`,
		paged: true,
		typical: true,
	},
	{
		label: 'count=0 + closedAt (1 day)',
		search: `count=0&closedAt=${json({ start: '2026-10-20T00:00:00.000Z', end: '2026-10-20T23:59:59.999Z' })}`,
		paged: false,
		typical: true,
	},
	{ label: 'count=0 (every room)', search: 'count=0', paged: false, typical: false },
];

/** The query object Express (`qs`, extended) makes of the query string. */
export function params(query: BenchQuery): Record<string, unknown> {
	return qs.parse(query.search, { allowPrototypes: true }) as Record<string, unknown>;
}

/** The same filters for `rooms/counts`, which takes no `offset`, `count`, `sort` or `fields`. */
export function countParams(query: BenchQuery): Record<string, unknown> {
	const { offset, count, sort, fields, ...rest } = params(query);
	void offset;
	void count;
	void sort;
	void fields;
	return rest;
}

/** The app's own reading of the query; a query the app refuses is a bug in this list. */
export function roomQuery(query: BenchQuery): RoomQuery {
	const parsed = parseRoomQuery(params(query));
	if (!parsed.ok) throw new Error(`the app refuses the bench query "${query.label}": ${parsed.error.error}`);
	return parsed.value;
}

/** The `query` parameter as a MongoDB filter with real dates (extended JSON `{"$date": ...}` read), for mingo. */
export function rawFilter(query: BenchQuery): Record<string, unknown> | undefined {
	const text = params(query).query;
	if (typeof text !== 'string') return undefined;
	return JSON.parse(text, (_key, value: unknown) => {
		if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
			const keys = Object.keys(value);
			if (keys.length === 1 && keys[0] === '$date') return new Date((value as { $date: string | number }).$date);
		}
		return value;
	}) as Record<string, unknown>;
}
