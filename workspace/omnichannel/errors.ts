/**
 * How Rocket.Chat's REST API answers a failed call (`apps/meteor/app/api/server`), in one place:
 * - a thrown `Error('x')` becomes `400 {"success":false,"error":"x"}`;
 * - a thrown `Meteor.Error('x', 'reason')` becomes `400 {"success":false,"error":"reason [x]","errorType":"x"}`
 *   (the message Meteor builds), `"[x]"` when there is no reason;
 * - a body or query that fails the route's JSON schema becomes `400 {"success":false,"errorType":"invalid-params",
 *   "error":"must have required property 'roomId'"}` (ajv's message);
 * - a route's `permissionsRequired` not met becomes `403` with the `error-unauthorized` Meteor error's message;
 * - `API.v1.forbidden()` with no message becomes `403 {"success":false,"error":"unauthorized"}`;
 * - no valid `X-User-Id`/`X-Auth-Token` on an `authRequired` route becomes `401 {"status":"error","message":"You must
 *   be logged in to do this."}`.
 */
export class ApiError extends Error {
	constructor(
		public readonly status: number,
		public readonly body: Record<string, unknown>,
	) {
		super(String(body.error ?? body.message ?? status));
	}
}

/** `throw new Error(error)` in a route. */
export function plainError(error: string): ApiError {
	return new ApiError(400, { success: false, error });
}

/** `throw new Meteor.Error(error, reason)` in a route. */
export function meteorError(error: string, reason?: string): ApiError {
	return new ApiError(400, { success: false, error: reason ? `${reason} [${error}]` : `[${error}]`, errorType: error });
}

/** `API.v1.failure(message)`. */
export function failure(message?: string): ApiError {
	return new ApiError(400, message === undefined ? { success: false } : { success: false, error: message });
}

export function invalidParams(message: string): ApiError {
	return new ApiError(400, { success: false, errorType: 'invalid-params', error: message });
}

export function missingPermission(): ApiError {
	return new ApiError(403, { success: false, error: 'User does not have the permissions required for this action [error-unauthorized]' });
}

export function forbidden(): ApiError {
	return new ApiError(403, { success: false, error: 'unauthorized' });
}

export function notLoggedIn(): ApiError {
	return new ApiError(401, { status: 'error', message: 'You must be logged in to do this.' });
}
