/**
 * The one query model shared by the endpoint and the slash command: what `GET /api/v1/livechat/rooms` asks for,
 * parsed and validated. Pure data; nothing here knows the Apps-Engine.
 */

import type { RoomFilter } from './filter/compile';

export type SortDirection = 1 | -1;

/** A `createdAt` / `closedAt` range; both bounds inclusive, either may be absent (never both). */
export interface DateRange {
	readonly start?: Date;
	readonly end?: Date;
}

/** The `fields` parameter: MongoDB-style projection, all inclusions or all exclusions (`_id` excepted). */
export interface Projection {
	readonly mode: 'include' | 'exclude';
	/** Dotted paths, e.g. `v.username`. */
	readonly paths: readonly string[];
	/** False only when the caller wrote `"_id": 0`. */
	readonly keepId: boolean;
}

export interface RoomNameFilter {
	readonly text: string;
	/** `"Marcos"` (in double quotes): exact, case-sensitive; otherwise a case-insensitive substring. */
	readonly exact: boolean;
}

export interface RoomQuery {
	/** `servedBy._id` or `servedBy.username` in the list. */
	readonly agents?: readonly string[];
	readonly departmentIds?: readonly string[];
	/** `true`: open, served, not on hold; `false`: closed (no `open` field), not on hold. */
	readonly open?: boolean;
	/** Only rooms with `onHold: true`. */
	readonly onHold?: boolean;
	/** Only open rooms with no `servedBy` that are not on hold; overrides `open` and `onHold`. */
	readonly queued?: boolean;
	readonly createdAt?: DateRange;
	readonly closedAt?: DateRange;
	readonly tags?: readonly string[];
	/** Every key must match `livechatData.<key>`: case-insensitive literal substring. */
	readonly customFields?: Readonly<Record<string, string>>;
	readonly roomName?: RoomNameFilter;
	/** `departmentAncestors` contains any of these. */
	readonly units?: readonly string[];
	/**
	 * Access scope, never a request parameter: only rooms whose `servedBy._id` is exactly this user id (callers who
	 * may list only their own rooms). By id alone: a username may be stale on old rooms, or equal another user's id.
	 */
	readonly servedById?: string;
	readonly offset: number;
	/** Page size; 0 means every match. */
	readonly count: number;
	/** In order of precedence; ties are always broken by `_id` ascending after these. */
	readonly sort: ReadonlyArray<readonly [string, SortDirection]>;
	readonly fields?: Projection;
	/** The `query` parameter (a MongoDB filter), compiled; ANDed with every other filter. */
	readonly filter?: RoomFilter;
	/** The paths `filter` reads (dotted, as written); absent when that cannot be told, or there is no filter. */
	readonly filterPaths?: readonly string[];
	/** `format=csv`; absent for JSON, the default. */
	readonly format?: 'csv';
}

/** A refusal, as a value: turned into an HTTP response or a chat line in one place each. */
export interface QueryError {
	readonly status: 400 | 403;
	/** Names the offending parameter, e.g. `count must be a non-negative integer [invalid-params]`. */
	readonly error: string;
	readonly errorType?: string;
	/** An internal failure behind the refusal: never shown to the caller, always written to the app's log. */
	readonly fault?: unknown;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: QueryError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: QueryError): Result<T> => ({ ok: false, error });
