import { App } from '@rocket.chat/apps-engine/definition/App';
import type {
	IAppAccessors,
	IConfigurationExtend,
	IEnvironmentRead,
	IHttp,
	ILogger,
	IModify,
	IPersistence,
	IRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import { ApiSecurity, ApiVisibility } from '@rocket.chat/apps-engine/definition/api';
import type {
	ILivechatEventContext,
	ILivechatRoom,
	ILivechatTransferEventContext,
	IPostLivechatAgentAssigned,
	IPostLivechatAgentUnassigned,
	IPostLivechatRoomClosed,
	IPostLivechatRoomSaved,
	IPostLivechatRoomStarted,
	IPostLivechatRoomTransferred,
} from '@rocket.chat/apps-engine/definition/livechat';
import type { IMessage, IPostMessageSent, IPostSystemMessageSent } from '@rocket.chat/apps-engine/definition/messages';
import type { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';
import type { IJobContext } from '@rocket.chat/apps-engine/definition/scheduler';
import { RoomTypeFilter, UIActionButtonContext } from '@rocket.chat/apps-engine/definition/ui';
import type {
	IUIKitInteractionHandler,
	IUIKitResponse,
	UIKitActionButtonInteractionContext,
	UIKitBlockInteractionContext,
	UIKitViewCloseInteractionContext,
	UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';

import { CONSOLE_BUTTONS } from './src/command/console';
import { LivechatRoomsCommand } from './src/command/LivechatRoomsCommand';
import { RoomCountsEndpoint, RoomIndexEndpoint, RoomsEndpoint } from './src/endpoint/RoomsEndpoint';
import { CONTINUE_JOB, RoomIndexKeeper, TICK_JOB } from './src/engine/RoomIndexKeeper';
import { readIndexSettings, SETTINGS } from './src/engine/settings';

/**
 * Registers the settings, the endpoints, the command (and hands it its buttons' presses, its console's submissions and
 * closes, and the presses of the app's action buttons, which open the console) and the index's upkeep job,
 * and hands every livechat event to the index (this instance's copy of the rooms, `RoomIndexKeeper`); everything else lives in `src/`.
 */
export class LivechatRoomsApp
	extends App
	implements
		IPostLivechatRoomStarted,
		IPostLivechatAgentAssigned,
		IPostLivechatAgentUnassigned,
		IPostLivechatRoomTransferred,
		IPostLivechatRoomClosed,
		IPostLivechatRoomSaved,
		IPostMessageSent,
		IPostSystemMessageSent,
		IUIKitInteractionHandler
{
	private readonly rooms: RoomIndexKeeper;
	private readonly command: LivechatRoomsCommand;

	constructor(info: IAppInfo, logger: ILogger, accessors: IAppAccessors) {
		super(info, logger, accessors);
		this.rooms = new RoomIndexKeeper(readIndexSettings, logger);
		this.command = new LivechatRoomsCommand(this, this.rooms);
	}

	/** The command's buttons (Previous, Next, a summary line's list), in its answers and in its console. */
	public executeBlockActionHandler(
		context: UIKitBlockInteractionContext,
		read: IRead,
		_http: IHttp,
		_persis: IPersistence,
		modify: IModify,
	): Promise<IUIKitResponse> {
		return this.command.press(context, read, modify);
	}

	public executeViewSubmitHandler(
		context: UIKitViewSubmitInteractionContext,
		read: IRead,
		_http: IHttp,
		_persis: IPersistence,
		modify: IModify,
	): Promise<IUIKitResponse> {
		return this.command.submit(context, read, modify);
	}

	public async executeViewClosedHandler(context: UIKitViewCloseInteractionContext): Promise<IUIKitResponse> {
		return this.command.closed(context);
	}

	/** The action buttons in livechat rooms and in the user menu: both open the console. */
	public executeActionButtonHandler(
		context: UIKitActionButtonInteractionContext,
		read: IRead,
		_http: IHttp,
		_persis: IPersistence,
		modify: IModify,
	): Promise<IUIKitResponse> {
		return this.command.actionButton(context, read, modify);
	}

	public executePostLivechatRoomStarted(room: ILivechatRoom, read: IRead, _http: IHttp, persis: IPersistence): Promise<void> {
		return this.rooms.roomChanged(room, read, persis);
	}

	public executePostLivechatAgentAssigned(context: ILivechatEventContext, read: IRead, _http: IHttp, persis: IPersistence): Promise<void> {
		return this.rooms.roomChanged(context.room, read, persis);
	}

	public executePostLivechatAgentUnassigned(context: ILivechatEventContext, read: IRead, _http: IHttp, persis: IPersistence): Promise<void> {
		return this.rooms.roomChanged(context.room, read, persis);
	}

	public executePostLivechatRoomTransferred(context: ILivechatTransferEventContext, read: IRead, _http: IHttp, persis: IPersistence): Promise<void> {
		return this.rooms.roomChanged(context.room, read, persis);
	}

	public executePostLivechatRoomClosed(room: ILivechatRoom, read: IRead, _http: IHttp, persis: IPersistence): Promise<void> {
		return this.rooms.roomChanged(room, read, persis);
	}

	public executePostLivechatRoomSaved(room: ILivechatRoom, read: IRead, _http: IHttp, persis: IPersistence): Promise<void> {
		return this.rooms.roomChanged(room, read, persis);
	}

	public executePostMessageSent(message: IMessage, read: IRead, _http: IHttp, persis: IPersistence): Promise<void> {
		return this.rooms.roomChanged(message.room, read, persis);
	}

	public executePostSystemMessageSent(message: IMessage, read: IRead, _http: IHttp, persis: IPersistence): Promise<void> {
		return this.rooms.roomChanged(message.room, read, persis);
	}

	protected async extendConfiguration(configuration: IConfigurationExtend, _environment: IEnvironmentRead): Promise<void> {
		await Promise.all(SETTINGS.map((setting) => configuration.settings.provideSetting(setting)));
		await configuration.api.provideApi({
			visibility: ApiVisibility.PUBLIC,
			security: ApiSecurity.UNSECURE,
			endpoints: [new RoomsEndpoint(this, this.rooms), new RoomCountsEndpoint(this, this.rooms), new RoomIndexEndpoint(this, this.rooms)],
		});
		await configuration.slashCommands.provideSlashCommand(this.command);
		// Shown by the client to whoever may run the command (Rocket.Chat's `view-l-room`: the omnichannel roles by default).
		const when = { hasOnePermission: ['view-l-room'] };
		configuration.ui.registerButton({
			actionId: CONSOLE_BUTTONS.room,
			context: UIActionButtonContext.ROOM_ACTION,
			labelI18n: 'Command_Button_Open_Console',
			when: { ...when, roomTypes: [RoomTypeFilter.LIVE_CHAT] },
		});
		configuration.ui.registerButton({
			actionId: CONSOLE_BUTTONS.userMenu,
			context: UIActionButtonContext.USER_DROPDOWN_ACTION,
			labelI18n: 'Command_Button_Open_Console',
			when,
		});
		const upkeep = (trigger: 'tick' | 'continue') => (_job: IJobContext, read: IRead, modify: IModify, _http: IHttp, persis: IPersistence) =>
			this.rooms.maintain(trigger, read, modify, persis);
		await configuration.scheduler.registerProcessors([
			{ id: TICK_JOB, processor: upkeep('tick'), startupSetting: { type: StartupType.RECURRING, interval: '1 minute' } },
			{ id: CONTINUE_JOB, processor: upkeep('continue') },
		]);
	}
}
