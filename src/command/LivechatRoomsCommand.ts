/**
 * `/livechat-rooms`: the engine edge of the command. The words go through the command's grammar into the endpoint's
 * parameters, then down the same line as the endpoint: access -> `parseRoomQuery` -> `findRooms`; the answer is an
 * ephemeral message only the caller sees.
 */
import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { App } from '@rocket.chat/apps-engine/definition/App';
import type { ISlashCommand, SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';

import type { AccessRoles, Caller } from '../access/access';
import { scopeOf, withinScope } from '../access/access';
import { readAccessRoles } from '../access/settings';
import { parseRoomQuery } from '../query/fromParams';
import type { DepartmentLookup } from '../scan/findRooms';
import { findRooms } from '../scan/findRooms';
import { engineDepartments, engineRoomPages } from '../scan/engineRooms';
import type { RoomPages } from '../scan/RoomPages';
import { agentsFor, nextPageCommand, parseCommand } from './grammar';
import type { Reply } from './reply';
import { renderError, renderHelp, renderRooms } from './reply';

/** What the command reads, as plain functions (the engine's readers at run time, fakes in unit tests). */
export interface CommandSources {
	readonly roles: () => Promise<AccessRoles>;
	readonly pages: RoomPages;
	readonly departments: DepartmentLookup;
	/** `Site_Url` without a trailing slash, or `''` when it cannot be read. */
	readonly siteUrl: () => Promise<string>;
}

/** The one line shown when anything throws; the error itself goes to the app's log. */
export const FAILED = 'Something went wrong while listing rooms; the error was logged.';

/** An endpoint refusal as one chat line: its message without the ` [error-type]` suffix. */
export const errorLine = (error: string): string => error.replace(/\s*\[[\w-]+\]$/, '');

/** The whole command on plain data: words in, reply out. Throws only what the sources throw. */
export async function answerCommand(args: readonly string[], caller: Caller, sources: CommandSources): Promise<Reply> {
	const request = parseCommand(args);
	if (request.kind === 'help') return renderHelp(request.notice);
	if (request.kind === 'error') return renderError(request.message);

	const scope = scopeOf(caller, await sources.roles());
	const decision = agentsFor(request, caller, scope);
	if (!decision.ok) return renderError(decision.message);

	const departmentIds: string[] = [];
	for (const name of request.departmentNames) {
		const department = await sources.departments(name);
		if (!department) return renderError(`department "${name}" not found`);
		departmentIds.push(department._id);
	}

	const params: Record<string, string | string[]> = { ...request.params };
	if (decision.agents) params.agents = decision.agents;
	else delete params.agents;
	if (departmentIds.length > 0) {
		const given = params.departmentId;
		params.departmentId = [...(given === undefined ? [] : Array.isArray(given) ? given : [given]), ...departmentIds];
	}
	const parsed = parseRoomQuery(params);
	if (!parsed.ok) return renderError(errorLine(parsed.error.error));

	const { rooms, total } = await findRooms(withinScope(parsed.value, caller, scope), sources.pages, sources.departments);
	return renderRooms({
		rooms,
		total,
		offset: request.offset,
		count: request.count,
		siteUrl: await sources.siteUrl(),
		nextPage: nextPageCommand(request, total),
	});
}

/** The slash command as the engine registers it: words in, an ephemeral reply out, nothing thrown at the user. */
export class LivechatRoomsCommand implements ISlashCommand {
	public command = 'livechat-rooms';
	public i18nParamsExample = 'Command_Params_Example';
	public i18nDescription = 'Command_Description';
	public permission = 'view-l-room';
	public providesPreview = false;

	constructor(private readonly app: App) {}

	public async executor(context: SlashCommandContext, read: IRead, _modify: IModify, _http: IHttp, _persis: IPersistence): Promise<void> {
		const sender = context.getSender();
		const caller: Caller = { id: sender.id, username: sender.username, roles: sender.roles ?? [] };
		let reply: Reply;
		try {
			reply = await answerCommand(context.getArguments(), caller, {
				roles: () => readAccessRoles(read),
				pages: engineRoomPages(read),
				departments: engineDepartments(read),
				siteUrl: () => this.siteUrl(read),
			});
		} catch (error) {
			this.app.getLogger().error('/livechat-rooms failed', error);
			reply = renderError(FAILED);
		}
		try {
			const appUser = await read
				.getUserReader()
				.getAppUser()
				.catch(() => undefined);
			await read.getNotifier().notifyUser(sender, {
				room: context.getRoom(),
				sender: appUser ?? sender,
				text: reply.text,
				blocks: reply.blocks,
				groupable: false,
			});
		} catch (error) {
			this.app.getLogger().error('/livechat-rooms could not answer', error);
		}
	}

	/** `Site_Url` (needs `server-setting.read`), without its trailing slash; `''` when it cannot be read. */
	private async siteUrl(read: IRead): Promise<string> {
		try {
			const value: unknown = await read.getEnvironmentReader().getServerSettings().getValueById('Site_Url');
			return typeof value === 'string' ? value.trim().replace(/\/+$/, '') : '';
		} catch (error) {
			this.app.getLogger().warn('Site_Url could not be read; room links are left out', error);
			return '';
		}
	}
}
