/**
 * `/livechat-rooms` as the engine registers it, the command's twin of `RoomsEndpoint`: the caller and the sources
 * go to `answerCommand`, its reply comes back as an ephemeral message only the caller sees. Nothing is thrown at the user.
 */
import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { App } from '@rocket.chat/apps-engine/definition/App';
import type { ISlashCommand, SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';

import { callerOf } from '../engine/caller';
import { notifyCaller } from '../engine/notifier';
import type { RoomIndexKeeper } from '../engine/roomIndex';
import { engineSources } from '../engine/sources';
import { answerCommand } from './answerCommand';

export class LivechatRoomsCommand implements ISlashCommand {
	public command = 'livechat-rooms';
	public i18nParamsExample = 'Command_Params_Example';
	public i18nDescription = 'Command_Description';
	public permission = 'view-l-room';
	public providesPreview = false;

	constructor(
		private readonly app: App,
		private readonly rooms: RoomIndexKeeper,
	) {}

	public async executor(context: SlashCommandContext, read: IRead, _modify: IModify, _http: IHttp, _persis: IPersistence): Promise<void> {
		const logger = this.app.getLogger();
		const sender = context.getSender();
		const reply = await answerCommand(context.getArguments(), callerOf(sender), engineSources(read, logger, this.rooms));
		try {
			await notifyCaller(read, sender, context.getRoom(), reply);
		} catch (error) {
			logger.error('/livechat-rooms could not answer', error);
		}
	}
}
