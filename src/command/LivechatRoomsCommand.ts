/**
 * `/livechat-rooms` as the engine registers it, the command's twin of `RoomsEndpoint`: the caller and the sources
 * go to `answerCommand`, its reply comes back as an ephemeral message only the caller sees. The answers' buttons come
 * back here too (`press`, which the App's `executeBlockActionHandler` hands on): a press runs the words its value
 * carries as the caller's own command, and answers with a new ephemeral message. Nothing is thrown at the user.
 */
import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { App } from '@rocket.chat/apps-engine/definition/App';
import type { ISlashCommand, SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import type { IUIKitResponse, UIKitBlockInteractionContext } from '@rocket.chat/apps-engine/definition/uikit';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { callerOf } from '../engine/caller';
import { notifyCaller } from '../engine/notifier';
import type { RoomIndexKeeper } from '../engine/roomIndex';
import { engineSources } from '../engine/sources';
import { answerCommand } from './answerCommand';
import { readPress } from './buttons';
import type { Audience } from './reply';
import { viewerOf } from './viewer';

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

	/**
	 * The caller's language (their preference; else the server's `Language`, as Rocket.Chat shows a user without one)
	 * and time zone, the moment, and the app's id for the buttons.
	 */
	private async audienceOf(user: IUser, read: IRead): Promise<Audience> {
		let language: unknown = user.settings?.preferences?.language;
		if (!language) {
			language = await read
				.getEnvironmentReader()
				.getServerSettings()
				.getValueById('Language')
				.catch(() => undefined);
		}
		return { viewer: viewerOf(language, user.utcOffset, new Date()), appId: this.app.getID() };
	}

	public async executor(context: SlashCommandContext, read: IRead, _modify: IModify, _http: IHttp, _persis: IPersistence): Promise<void> {
		const logger = this.app.getLogger();
		const sender = context.getSender();
		const reply = await answerCommand(
			context.getArguments(),
			callerOf(sender),
			engineSources(read, logger, this.rooms),
			await this.audienceOf(sender, read),
		);
		try {
			await notifyCaller(read, sender, context.getRoom(), reply);
		} catch (error) {
			logger.error('/livechat-rooms could not answer', error);
		}
	}

	/**
	 * A button of an answer was pressed: its value is read like typed words (`readPress`), run with the presser's own
	 * roles, and answered in the room the answer was in. Presses of other actions, or without a room or a user, are
	 * ignored (logged).
	 */
	public async press(context: UIKitBlockInteractionContext, read: IRead): Promise<IUIKitResponse> {
		const logger = this.app.getLogger();
		const { actionId, value, user, room } = context.getInteractionData();
		const press = readPress(actionId, value);
		if (!press.ok || !room || !user) {
			logger.warn('/livechat-rooms ignored a button press', press.ok ? 'no room or no user' : press.reason);
			return context.getInteractionResponder().successResponse();
		}
		const reply = await answerCommand(press.args, callerOf(user), engineSources(read, logger, this.rooms), await this.audienceOf(user, read));
		try {
			await notifyCaller(read, user, room, reply);
		} catch (error) {
			logger.error('/livechat-rooms could not answer a button press', error);
		}
		return context.getInteractionResponder().successResponse();
	}
}
