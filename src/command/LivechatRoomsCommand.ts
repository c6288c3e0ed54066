/**
 * `/livechat-rooms` as the engine registers it, the command's twin of `RoomsEndpoint`: the caller and the sources
 * go to `answerCommand`, its reply comes back as an ephemeral message only the caller sees. The answers' buttons come
 * back here too (`press`, which the App's `executeBlockActionHandler` hands on): a press runs the words its value
 * carries as the caller's own command, and answers with a new ephemeral message. Nothing is thrown at the user.
 *
 * The console (`console.ts`) is opened here too: by the command with no words (or `panel`) through its `triggerId`,
 * and by the app's action buttons; a press or a submission in it updates the same view in place, judged as typed words
 * with the presser's own roles.
 */
import type { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { App } from '@rocket.chat/apps-engine/definition/App';
import type { ISlashCommand, SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import type {
	IUIKitResponse,
	UIKitActionButtonInteractionContext,
	UIKitBlockInteractionContext,
	UIKitViewCloseInteractionContext,
	UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { callerOf } from '../engine/caller';
import { notifyCaller } from '../engine/notifier';
import type { RoomIndexKeeper } from '../engine/RoomIndexKeeper';
import { wireSources } from '../engine/wireSources';
import { answerCommand } from './answerCommand';
import { readPress } from './buttons';
import type { ConsoleSurface, ConsoleView, Filter } from './console';
import { answerConsole, CONSOLE_BAR_ID, CONSOLE_BUTTONS, CONSOLE_MODAL_ID, editWords, FILTERS, surfaceOfView, wordsOfBlock } from './console';
import { parseCommand } from './grammar/parse';
import type { Audience } from './reply';
import { say, viewerOf } from './viewer';

const FILTER_IDS: readonly string[] = Object.values(FILTERS);
const isFilter = (actionId: unknown): actionId is Filter => FILTER_IDS.includes(actionId as string);

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

	public async executor(context: SlashCommandContext, read: IRead, modify: IModify, _http: IHttp, _persis: IPersistence): Promise<void> {
		const logger = this.app.getLogger();
		const sender = context.getSender();
		const triggerId = context.getTriggerId();
		const request = parseCommand(context.getArguments());
		// No words (or `panel`) open the console where the client sent a trigger to open it with; else the summary.
		if (request.kind === 'summary' && request.console && triggerId) {
			await this.showConsole('open', 'bar', '', sender, triggerId, read, modify);
			return;
		}
		const reply = await answerCommand(context.getArguments(), callerOf(sender), wireSources(read, logger, this.rooms), await this.audienceOf(sender, read));
		try {
			await notifyCaller(read, sender, context.getRoom(), reply);
		} catch (error) {
			logger.error('/livechat-rooms could not answer', error);
		}
	}

	/** The console for these words, built for `user` and opened or updated on `surface` with the user's trigger. */
	private async showConsole(
		how: 'open' | 'update',
		surface: ConsoleSurface,
		words: string,
		user: IUser,
		triggerId: string,
		read: IRead,
		modify: IModify,
		notice?: (audience: Audience) => string,
	): Promise<void> {
		const logger = this.app.getLogger();
		try {
			const audience = await this.audienceOf(user, read);
			const built = await answerConsole(words, callerOf(user), wireSources(read, logger, this.rooms), audience, notice?.(audience)).catch(
				(error: unknown): ConsoleView => {
					logger.error('/livechat-rooms could not build the console', error);
					return {
						title: say(audience.viewer, 'Command_Console_Title'),
						words,
						blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `⚠️ ${say(audience.viewer, 'Command_Failed')}` } }],
					};
				},
			);
			const title = { type: 'plain_text' as const, text: built.title, emoji: true };
			const ui = modify.getUiController();
			if (surface === 'modal') {
				const close = {
					type: 'button' as const,
					appId: this.app.getID(),
					blockId: CONSOLE_MODAL_ID,
					actionId: `${CONSOLE_MODAL_ID}.close`,
					text: { type: 'plain_text' as const, text: say(audience.viewer, 'Command_Button_Close') },
				};
				const view = { id: CONSOLE_MODAL_ID, title, blocks: built.blocks, close };
				await (how === 'open' ? ui.openModalView(view, { triggerId }, user) : ui.updateModalView(view, { triggerId }, user));
			} else {
				const view = { id: CONSOLE_BAR_ID, title, blocks: built.blocks };
				await (how === 'open' ? ui.openContextualBarView(view, { triggerId }, user) : ui.updateContextualBarView(view, { triggerId }, user));
			}
		} catch (error) {
			logger.error('/livechat-rooms could not show the console', error);
		}
	}

	/** An action button of the app: the room's opens the console beside the chat, the user menu's as a modal. */
	public async actionButton(context: UIKitActionButtonInteractionContext, read: IRead, modify: IModify): Promise<IUIKitResponse> {
		const { actionId, user, triggerId } = context.getInteractionData();
		const surface = actionId === CONSOLE_BUTTONS.room ? 'bar' : actionId === CONSOLE_BUTTONS.userMenu ? 'modal' : undefined;
		if (!surface || !user || typeof triggerId !== 'string') {
			this.app.getLogger().warn('/livechat-rooms ignored an action button', actionId);
			return context.getInteractionResponder().successResponse();
		}
		await this.showConsole('open', surface, '', user, triggerId, read, modify);
		return context.getInteractionResponder().successResponse();
	}

	/**
	 * A press in the console: a button's value, or a filter's new value applied to the words its block id carries. Both
	 * are user input: the words are judged again with the presser's roles (`answerConsole`), and a value no element
	 * could send leaves the words as they were, with a line saying so.
	 */
	private async pressInConsole(context: UIKitBlockInteractionContext, surface: ConsoleSurface, read: IRead, modify: IModify): Promise<IUIKitResponse> {
		const { actionId, value, blockId, user, triggerId } = context.getInteractionData();
		const done = context.getInteractionResponder().successResponse();
		if (!user || typeof triggerId !== 'string') return done;
		if (isFilter(actionId)) {
			const base = wordsOfBlock(blockId);
			const edit = base === undefined ? undefined : editWords(base, actionId, value);
			if (base === undefined || !edit?.ok) {
				this.app.getLogger().warn('/livechat-rooms refused a filter change', actionId);
				await this.showConsole('update', surface, base ?? '', user, triggerId, read, modify, ({ viewer }) => say(viewer, 'Command_Console_Bad_Choice'));
				return done;
			}
			await this.showConsole('update', surface, edit.words, user, triggerId, read, modify);
			return done;
		}
		const press = readPress(actionId, value);
		if (!press.ok) {
			this.app.getLogger().warn('/livechat-rooms ignored a press in the console', press.reason);
			return done;
		}
		await this.showConsole('update', surface, press.args.join(' '), user, triggerId, read, modify);
		return done;
	}

	/**
	 * The console's form submitted (a client that sends its inputs' state at once): every filter's value in the state
	 * applied in turn to the words its block id carries, then the console updated. Anything unreadable is refused.
	 */
	public async submit(context: UIKitViewSubmitInteractionContext, read: IRead, modify: IModify): Promise<IUIKitResponse> {
		const { view, user, triggerId } = context.getInteractionData();
		const done = context.getInteractionResponder().successResponse();
		const surface = surfaceOfView(view?.id);
		if (!surface || !user || typeof triggerId !== 'string') return done;
		const state: unknown = view.state;
		let words: string | undefined;
		let refused = false;
		if (state && typeof state === 'object') {
			for (const [blockId, inputs] of Object.entries(state as Record<string, unknown>)) {
				const base = wordsOfBlock(blockId);
				if (base === undefined || !inputs || typeof inputs !== 'object') continue;
				for (const [actionId, value] of Object.entries(inputs as Record<string, unknown>)) {
					if (!isFilter(actionId)) continue;
					const edit = editWords(words ?? base, actionId, value);
					if (edit.ok) words = edit.words;
					else refused = true;
				}
			}
		}
		await this.showConsole(
			'update',
			surface,
			words ?? '',
			user,
			triggerId,
			read,
			modify,
			refused ? ({ viewer }) => say(viewer, 'Command_Console_Bad_Choice') : undefined,
		);
		return done;
	}

	/** The console closed: it keeps nothing, so there is nothing to forget. */
	public closed(context: UIKitViewCloseInteractionContext): IUIKitResponse {
		return context.getInteractionResponder().successResponse();
	}

	/**
	 * A button of an answer was pressed: its value is read like typed words (`readPress`), run with the presser's own
	 * roles, and answered in the room the answer was in. Presses of other actions, or without a room or a user, are
	 * ignored (logged). A press inside the console updates the console instead.
	 */
	public async press(context: UIKitBlockInteractionContext, read: IRead, modify: IModify): Promise<IUIKitResponse> {
		const logger = this.app.getLogger();
		const { actionId, value, user, room, container } = context.getInteractionData();
		const surface = container?.type === 'view' ? surfaceOfView(container.id) : undefined;
		if (surface) return this.pressInConsole(context, surface, read, modify);
		const press = readPress(actionId, value);
		if (!press.ok || !room || !user) {
			logger.warn('/livechat-rooms ignored a button press', press.ok ? 'no room or no user' : press.reason);
			return context.getInteractionResponder().successResponse();
		}
		const reply = await answerCommand(press.args, callerOf(user), wireSources(read, logger, this.rooms), await this.audienceOf(user, read));
		try {
			await notifyCaller(read, user, room, reply);
		} catch (error) {
			logger.error('/livechat-rooms could not answer a button press', error);
		}
		return context.getInteractionResponder().successResponse();
	}
}
