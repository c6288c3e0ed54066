/**
 * `GET rooms` as one straight line: authentication -> parameters -> permission -> search -> envelope.
 * No engine here: the engine's readers arrive as plain functions (`Sources`), so this runs on plain data in unit
 * tests too; `RoomsEndpoint` is its engine side.
 */
import type { Caller } from '../access/access';
import { endpointRefusal, scopeOf, withinScope } from '../access/access';
import { parseRoomQuery } from '../query/fromParams';
import type { QueryError } from '../query/RoomQuery';
import { project } from '../rooms/project';
import type { Sources } from '../sources';

export interface RoomsRequest {
	/** The authenticated caller; absent when the host let an anonymous request through. */
	readonly user?: Caller;
	/** The query string as the host parsed it (`qs`). */
	readonly query: Readonly<Record<string, unknown>>;
}

export interface HttpAnswer {
	readonly status: number;
	readonly body: Record<string, unknown>;
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

async function answer(request: RoomsRequest, sources: Sources): Promise<HttpAnswer> {
	const caller = request.user;
	if (!caller) return NOT_LOGGED_IN;

	const parsed = parseRoomQuery(request.query);
	if (!parsed.ok) {
		if (parsed.error.fault !== undefined) sources.logError('rooms endpoint could not read the query parameters', parsed.error.fault);
		return refusal(parsed.error);
	}

	const scope = scopeOf(caller, await sources.roles());
	const refused = endpointRefusal(caller, scope, parsed.value.agents);
	if (refused) return refusal(refused);
	const query = withinScope(parsed.value, caller, scope);

	const { rooms, total } = await sources.rooms.find(query);
	const fields = query.fields;
	return {
		status: 200,
		body: {
			rooms: fields ? rooms.map((room) => project(room, fields)) : rooms,
			count: rooms.length,
			offset: query.offset,
			total,
			success: true,
		},
	};
}

/** The endpoint on plain data. Never throws: a failure is logged and answered with `FAILED`. */
export async function handleRoomsRequest(request: RoomsRequest, sources: Sources): Promise<HttpAnswer> {
	try {
		return await answer(request, sources);
	} catch (error) {
		sources.logError('rooms endpoint failed', error);
		return FAILED;
	}
}
