/** The command's answer as an ephemeral message only the caller sees, sent by the app's user when there is one. */
import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { Reply } from '../command/reply';

export async function notifyCaller(read: IRead, caller: IUser, room: IRoom, reply: Reply): Promise<void> {
	const appUser = await read
		.getUserReader()
		.getAppUser()
		.catch(() => undefined);
	await read.getNotifier().notifyUser(caller, {
		room,
		sender: appUser ?? caller,
		text: reply.text,
		blocks: reply.blocks,
		groupable: false,
	});
}
