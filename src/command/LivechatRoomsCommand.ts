import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { ISlashCommand, SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import type { App } from '@rocket.chat/apps-engine/definition/App';

export class LivechatRoomsCommand implements ISlashCommand {
	public command = 'livechat-rooms';
	public i18nParamsExample = 'Command_Params_Example';
	public i18nDescription = 'Command_Description';
	public permission = 'view-l-room';
	public providesPreview = false;

	constructor(private readonly app: App) {}

	public async executor(context: SlashCommandContext, read: IRead, _modify: IModify, _http: IHttp, _persis: IPersistence): Promise<void> {
		await read.getNotifier().notifyUser(context.getSender(), { room: context.getRoom(), sender: context.getSender(), text: `args: ${context.getArguments().join('|')}` } as never);
		this.app.getLogger().debug('ran');
	}
}
