/**
 * `rooms/index`: the index's state, and an administrator's request for a reconciliation pass now.
 * - `GET`: callers whose roles may list all rooms; the state (`index/indexStatus.ts`): ready or not, rooms, the interval in force.
 * - `POST`: the `admin` role only; the next tick of the upkeep job (within a minute) starts a pass. `202`.
 * Plain data in, plain answer out: `RoomIndexEndpoint` is its engine side.
 */
import { FORBIDDEN, scopeOf } from '../access/access';
import type { IndexStatus } from '../index/indexStatus';
import type { Sources } from '../ports';
import type { HttpAnswer, RoomsRequest } from './handleRooms';
import { FAILED, refusal } from './handleRooms';

export interface IndexPort {
	readonly status: () => Promise<IndexStatus>;
	readonly requestReconcile: () => Promise<IndexStatus>;
}

const NOT_LOGGED_IN: HttpAnswer = { status: 401, body: { status: 'error', message: 'You must be logged in to do this.' } };

const ADMIN_ONLY = {
	status: 403 as const,
	error: 'Only an administrator (role admin) may ask for a reconciliation pass [error-not-allowed]',
	errorType: 'error-not-allowed',
};

export async function handleIndexRequest(
	method: 'GET' | 'POST',
	request: RoomsRequest,
	sources: Pick<Sources, 'roles' | 'logError'>,
	index: IndexPort,
): Promise<HttpAnswer> {
	try {
		const caller = request.user;
		if (!caller) return NOT_LOGGED_IN;
		if (method === 'POST') {
			if (!caller.roles.includes('admin')) return refusal(ADMIN_ONLY);
			return { status: 202, body: { index: await index.requestReconcile(), success: true } };
		}
		if (scopeOf(caller, await sources.roles()) !== 'all') return refusal(FORBIDDEN);
		return { status: 200, body: { index: await index.status(), success: true } };
	} catch (error) {
		sources.logError('rooms/index endpoint failed', error);
		return FAILED;
	}
}
