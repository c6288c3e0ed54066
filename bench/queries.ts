/**
 * The typical queries the benchmark times, as query strings the way a client sends them. Each is parsed by `qs` (as
 * the host's Express does) for the endpoint, and by the app's own `parseRoomQuery` for the core-vs-mingo comparison.
 */
import * as qs from 'qs';

import { parseRoomQuery } from '../src/query/fromParams';
import type { RoomQuery } from '../src/query/RoomQuery';

export interface BenchQuery {
	/** Short label for the tables. */
	readonly label: string;
	/** The query string as a client sends it (JSON values URL-encoded); `params()` reads it with `qs`, as Express does. */
	readonly search: string;
	/**
	 * Whether the answer is one page of at most 100 rooms (the memory target covers only these); `count=0` answers
	 * every match at once.
	 */
	readonly paged: boolean;
}

const json = (value: unknown): string => encodeURIComponent(JSON.stringify(value));

/** In the order they run: paged ones first, so the Deno peak is read after them and before `count=0`. */
export const QUERIES: readonly BenchQuery[] = [
	{ label: 'no filter', search: '', paged: true },
	{ label: 'open=true', search: 'open=true', paged: true },
	{
		label: 'agents + createdAt',
		search: `agents[]=alice&agents[]=CE3mdzpkAsYEtt9mq&createdAt=${json({ start: '2026-08-01T00:00:00.000Z', end: '2026-09-30T23:59:59.999Z' })}`,
		paged: true,
	},
	{ label: 'roomName', search: 'roomName=silva', paged: true },
	{ label: 'customFields + nested sort', search: `customFields=${json({ plan: 'pro' })}&sort=${json({ 'servedBy.username': 1 })}`, paged: true },
	{
		label: 'count=0 + closedAt (1 day)',
		search: `count=0&closedAt=${json({ start: '2026-10-20T00:00:00.000Z', end: '2026-10-20T23:59:59.999Z' })}`,
		paged: false,
	},
	{ label: 'count=0 (every room)', search: 'count=0', paged: false },
];

/** The query object Express (`qs`, extended) makes of the query string. */
export function params(query: BenchQuery): Record<string, unknown> {
	return qs.parse(query.search, { allowPrototypes: true }) as Record<string, unknown>;
}

/** The app's own reading of the query; a query the app refuses is a bug in this list. */
export function roomQuery(query: BenchQuery): RoomQuery {
	const parsed = parseRoomQuery(params(query));
	if (!parsed.ok) throw new Error(`the app refuses the bench query "${query.label}": ${parsed.error.error}`);
	return parsed.value;
}
