/** The engine's user as the core's `Caller`: one mapping for both front doors. */
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { Caller } from '../access/access';

export function callerOf(user: IUser): Caller {
	return { id: user.id, username: user.username, roles: user.roles ?? [] };
}
