/**
 * `GET rooms` as one straight line: authentication -> parameters -> permission -> search -> envelope.
 * No engine here: the engine's readers arrive as plain functions (`Sources`), so this runs on plain data in unit
 * tests too; `RoomsEndpoint` is its engine side.
 */
import type { Caller } from '../access/access';
import { endpointRefusal, scopeOf, withinScope } from '../access/access';
import { departmentsOf, findRooms } from '../index/findRooms';
import { roomsFor } from '../index/queueFirst';
import { countRoomSet } from '../index/RoomIndex';
import { NOT_FOR_COUNTS, parseRoomQuery } from '../query/fromParams';
import type { QueryError, RoomQuery } from '../query/RoomQuery';
import { CSV_CONTENT_TYPE, CSV_DISPOSITION, csvColumns, roomsToCsv } from '../rooms/csv';
import { project } from '../rooms/project';
import type { RoomDocument } from '../rooms/RoomDocument';
import type { Sources, Unavailable } from '../ports';

export interface RoomsRequest {
	/** The authenticated caller; absent when the host let an anonymous request through. */
	readonly user?: Caller;
	/** The query string as the host parsed it (`qs`). */
	readonly query: Readonly<Record<string, unknown>>;
}

export interface HttpAnswer {
	readonly status: number;
	/** JSON (an object) or CSV text. */
	readonly body: Record<string, unknown> | string;
	/** Headers beyond the JSON defaults (`Content-Type` for CSV, `Retry-After`). */
	readonly headers?: Readonly<Record<string, string>>;
}

/** What the caller gets when anything throws; the error itself goes to the app's log. */
export const FAILED: HttpAnswer = { status: 500, body: { success: false, error: 'The rooms could not be listed; the error was logged.' } };

const NOT_LOGGED_IN: HttpAnswer = { status: 401, body: { status: 'error', message: 'You must be logged in to do this.' } };

/** A refusal as Rocket.Chat's REST API words it: `{ success: false, error, errorType? }`. */
export function refusal(error: QueryError): HttpAnswer {
	const body: Record<string, unknown> = { success: false, error: error.error };
	if (error.errorType) body.errorType = error.errorType;
	return { status: error.status, body };
}

/** The rooms cannot be read exactly now: 503, why, and when to retry (`Retry-After`, when there is a time). */
export function notReady(unavailable: Unavailable): HttpAnswer {
	const body = { success: false, error: `${unavailable.message} [error-rooms-not-ready]`, errorType: 'error-rooms-not-ready' };
	return { status: 503, body, headers: unavailable.retryAfter > 0 ? { 'Retry-After': String(unavailable.retryAfter) } : {} };
}

/** The caller, the query and its scope: the steps both paths share before reading any room. */
async function admit(request: RoomsRequest, sources: Sources, refused?: ReadonlySet<string>): Promise<{ query: RoomQuery } | { answer: HttpAnswer }> {
	const caller = request.user;
	if (!caller) return { answer: NOT_LOGGED_IN };

	const parsed = parseRoomQuery(request.query, refused);
	if (!parsed.ok) {
		if (parsed.error.fault !== undefined) sources.logError('rooms endpoint could not read the query parameters', parsed.error.fault);
		return { answer: refusal(parsed.error) };
	}

	const scope = scopeOf(caller, await sources.roles());
	const refusedByScope = endpointRefusal(caller, scope, parsed.value.agents);
	if (refusedByScope) return { answer: refusal(refusedByScope) };
	return { query: withinScope(parsed.value, caller, scope) };
}

async function answerRooms(request: RoomsRequest, sources: Sources): Promise<HttpAnswer> {
	const admitted = await admit(request, sources);
	if ('answer' in admitted) return admitted.answer;
	const { query } = admitted;

	const found = await findRooms(query, sources.rooms, sources.departments);
	if (!found.ok) return notReady(found.unavailable);
	const fields = query.fields;
	// A projected room is a room document with fewer fields.
	const rooms = fields ? found.rooms.map((room) => project(room, fields) as RoomDocument) : found.rooms;
	if (query.format === 'csv') {
		return {
			status: 200,
			body: roomsToCsv(rooms, csvColumns(fields)),
			headers: { 'Content-Type': CSV_CONTENT_TYPE, 'Content-Disposition': CSV_DISPOSITION },
		};
	}
	return { status: 200, body: { rooms, count: rooms.length, offset: query.offset, total: found.total, success: true } };
}

/** `rooms/counts` (docs/endpoint.md, "`GET rooms/counts`"): the same parameters but the page's, the same access, one pass. */
async function answerCounts(request: RoomsRequest, sources: Sources): Promise<HttpAnswer> {
	const admitted = await admit(request, sources, NOT_FOR_COUNTS);
	if ('answer' in admitted) return admitted.answer;
	const { query } = admitted;

	const available = roomsFor(await sources.rooms.current(), query);
	if (!available.ok) return notReady(available.unavailable);
	const counts = countRoomSet(query, available.rooms);
	// Names only for the departments the answer lists, each looked up once.
	const names = await departmentsOf(
		counts.departments.map((entry) => entry._id).filter((id): id is string => id !== null),
		sources.departments,
	);
	const departments = counts.departments.map(({ _id, count }) => ({ _id, name: _id === null ? null : (names.get(_id)?.name ?? null), count }));
	return { status: 200, body: { ...counts, departments, success: true } };
}

/** Runs one path; never throws: a failure is logged and answered with `FAILED`. */
async function guarded(run: () => Promise<HttpAnswer>, sources: Sources): Promise<HttpAnswer> {
	try {
		return await run();
	} catch (error) {
		sources.logError('rooms endpoint failed', error);
		return FAILED;
	}
}

/** `GET rooms` on plain data. */
export function handleRoomsRequest(request: RoomsRequest, sources: Sources): Promise<HttpAnswer> {
	return guarded(() => answerRooms(request, sources), sources);
}

/** `GET rooms/counts` on plain data. */
export function handleCountsRequest(request: RoomsRequest, sources: Sources): Promise<HttpAnswer> {
	return guarded(() => answerCounts(request, sources), sources);
}
