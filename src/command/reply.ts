/**
 * The command's answers: UIKit blocks plus a `text` fallback with the same content, built from plain data. Pure:
 * only UIKit's types are imported (the app ships no runtime npm dependency), the blocks are plain object literals.
 *
 * Rocket.Chat renders both `mrkdwn` blocks and message text with its message parser, so anything a visitor typed
 * (names, tags) is neutralised for that parser before it is shown: no injected links, mentions or formatting.
 */
import type { ContextBlock, DividerBlock, LayoutBlock, SectionBlock } from '@rocket.chat/ui-kit';

import type { RoomDocument } from '../rooms/RoomDocument';
import type { RoomStatus } from '../rooms/status';
import { roomStatus } from '../rooms/status';
import { ACTIONS, actionsBlock, button, buttonValue } from './buttons';
import { COMMAND_DEFAULT_COUNT, COMMAND_MAX_COUNT } from './grammar/keys';
import { commandOf } from './grammar/paging';
import { COMMAND, LIST_WORD, PANEL_WORD, SUMMARY_WORD } from './grammar/words';
import type { MessageKey, Viewer } from './viewer';
import { compactTime, say, viewerOf, zoneLabel } from './viewer';

/** Who the answer is for, and the app whose buttons it carries. */
export interface Audience {
	readonly viewer: Viewer;
	/** The app's id: Rocket.Chat routes a button's press to the app named by the button. */
	readonly appId: string;
}

/** English and UTC: the audience when none is given. */
export const plainAudience = (now = new Date(0)): Audience => ({ viewer: viewerOf(undefined, undefined, now), appId: '' });

/** What the command answers with: blocks for clients that render UIKit, `text` for the others. */
export interface Reply {
	readonly text: string;
	readonly blocks: LayoutBlock[];
}

/** One page of the search, and what the reply needs around it. */
export interface RoomsPage {
	/** The page's rooms, in order, each with `department: {_id, name}` when its department exists. */
	readonly rooms: readonly RoomDocument[];
	/** Every room that matches. */
	readonly total: number;
	/** How many matches come before this page. */
	readonly offset: number;
	/** The page size asked for. */
	readonly count: number;
	/** `Site_Url` without its trailing slash; empty when unknown (the names are then shown without links). */
	readonly siteUrl: string;
	/** The words (after the command's name) for the next page, when there is one. */
	readonly nextPage?: string;
	/** The words for the previous page, when there is one. */
	readonly previousPage?: string;
	/** Dates were typed without an offset and read in the viewer's zone: the times line says so. */
	readonly zonedDates?: boolean;
	/**
	 * Where the page is shown: in a message (the default: the next page's command is printed for clients without
	 * buttons) or in the console's view (its buttons replace the page in place, beside a Refresh).
	 */
	readonly surface?: 'message' | 'view';
	/** The words that show this very page again (the view's Refresh). */
	readonly thisPage?: string;
	/** Who reads it (language, time zone) and the app's id for the buttons; English, UTC, no app when left out. */
	readonly audience?: Audience;
}

/** A status at a glance, and in words for whoever does not read the colours. */
export const STATUS_MARKS: Readonly<Record<RoomStatus, { readonly marker: string; readonly word: MessageKey }>> = {
	open: { marker: '🟢', word: 'Command_Reply_Status_Open' },
	queued: { marker: '🟡', word: 'Command_Reply_Status_Queued' },
	onhold: { marker: '⏸', word: 'Command_Reply_Status_Onhold' },
	closed: { marker: '⚪', word: 'Command_Reply_Status_Closed' },
};

/** A room that passes none of the status filters (`open: false` stored with no agent): no status word. */
const NO_STATUS_MARKER = '▫️';

// ---------------------------------------------------------------------------------------------------------------
// Text a visitor controls

const ZWSP = '\u200b';

/** Line breaks and other control characters would start new markdown blocks (quotes, headings, lists). */
const oneLine = (text: string): string => text.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim();

/**
 * Visitor text for running markdown. The parser honours `\` only before `* _ ~ ` # .`, so those are escaped (an
 * escaped `.` also stops `evil.com` from becoming a link); for the rest an invisible zero-width space breaks the
 * pattern: after `\` (KaTeX `\(`), `@` (mentions), `:` (emoji codes, `scheme:` links), `<` (`<url|text>` links and
 * timestamps), `]` (`[text](url)` links and images) and `+` (phone links).
 */
export function escapeMarkdown(text: string): string {
	return oneLine(text)
		.replace(/\\/g, `\\${ZWSP}`)
		.replace(/[*_~`#.]/g, (c) => `\\${c}`)
		.replace(/[@:<\]+]/g, (c) => `${c}${ZWSP}`);
}

/** Look-alikes for the emphasis characters, which the parser cannot be told to skip inside a link's text. */
const LINK_TEXT_LOOKALIKES: Readonly<Record<string, string>> = { '*': '∗', _: 'ˍ', '~': '∼' };

/**
 * Visitor text inside `[text](url)`. There the parser honours no `\` escape and reads only emphasis and the `](`
 * that ends the text, so emphasis characters become look-alikes and `]` is followed by a zero-width space. An `_`
 * right after an ASCII letter or digit stays: the parser always reads it as plain text (`guest_123`).
 */
export function escapeLinkText(text: string): string {
	return oneLine(text)
		.replace(/[*~]|(?<![A-Za-z0-9])_/g, (c) => LINK_TEXT_LOOKALIKES[c])
		.replace(/\]/g, `]${ZWSP}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Pieces

/** The visitor's name as the room shows it: `fname`, else the visitor's username. */
export function visitorName(room: RoomDocument, viewer: Pick<Viewer, 'language'> = { language: 'en' }): string {
	const name = [room.fname, room.v?.username, room.name].find((candidate) => typeof candidate === 'string' && oneLine(candidate));
	return name ? oneLine(name) : say(viewer, 'Command_Reply_Unnamed_Visitor');
}

/** The room in the agent's UI; parentheses are encoded too, as they would end a markdown link. */
export const roomUrl = (siteUrl: string, room: RoomDocument): string =>
	`${siteUrl}/live/${encodeURIComponent(room._id).replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29'))}`;

const USERNAME = /^[\p{L}\p{N}._-]+$/u;

/** `@username` (a mention link to the agent), or what stands in for a missing agent. */
/** An agent's `@username` (a mention link to the agent), shown safely. */
export const agentMention = (username: string): string => (USERNAME.test(username) ? `@${username}` : escapeMarkdown(`@${username}`));

/** `@username`, or what stands in for a missing agent. */
function agentPart(room: RoomDocument, status: RoomStatus | undefined, viewer: Viewer): string {
	const username = room.servedBy?.username;
	if (username) return agentMention(username);
	return say(viewer, status === 'queued' ? 'Command_Reply_Waiting_For_Agent' : 'Command_Reply_No_Agent');
}

/** The room's summary after the name: agent and department. */
function whoParts(room: RoomDocument, status: RoomStatus | undefined, viewer: Viewer): string[] {
	const department = room.department?.name;
	return [agentPart(room, status, viewer), ...(department ? [escapeMarkdown(department)] : [])];
}

/** Status, times (in the viewer's zone) and tags. */
function detailParts(room: RoomDocument, status: RoomStatus | undefined, viewer: Viewer): string[] {
	const created = compactTime(room.ts, viewer.offsetMinutes);
	const closed = compactTime(room.closedAt, viewer.offsetMinutes);
	const tags = (room.tags ?? []).filter((tag): tag is string => typeof tag === 'string' && oneLine(tag) !== '');
	return [
		...(status ? [say(viewer, STATUS_MARKS[status].word)] : []),
		...(created ? [say(viewer, 'Command_Reply_Created', { time: created })] : []),
		...(closed ? [say(viewer, 'Command_Reply_Closed', { time: closed })] : []),
		...(tags.length > 0 ? [say(viewer, 'Command_Reply_Tags', { tags: tags.map(escapeMarkdown).join(', ') })] : []),
	];
}

/** `57 rooms match, showing 11-20`, with sensible words for none, one, a single room shown and a page past the end. */
export function headerLine(total: number, offset: number, shown: number, count: number, viewer: Pick<Viewer, 'language'> = { language: 'en' }): string {
	if (total === 0) return say(viewer, 'Command_Reply_None');
	const matches = total === 1 ? say(viewer, 'Command_Reply_Matches_One') : say(viewer, 'Command_Reply_Matches_Many', { total });
	if (shown === 0) {
		const last = Math.ceil(total / count);
		return offset % count === 0
			? say(viewer, 'Command_Reply_Past_End_Last', { matches, from: offset + 1, last })
			: say(viewer, 'Command_Reply_Past_End', { matches, from: offset + 1 });
	}
	if (total === 1) return say(viewer, 'Command_Reply_All', { matches });
	const range = shown === 1 ? say(viewer, 'Command_Reply_Showing_Room', { n: offset + 1 }) : `${offset + 1}-${offset + shown}`;
	return say(viewer, 'Command_Reply_Showing', { matches, range });
}

/** `Times are UTC-03:00.` in the viewer's words (and, when dates were read in that zone, that they were). */
export const timesLine = (viewer: Viewer, zonedDates = false): string =>
	say(viewer, zonedDates ? 'Command_Reply_Times_Dates' : 'Command_Reply_Times', { zone: zoneLabel(viewer.offsetMinutes) });

export const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text });
export const section = (text: string): SectionBlock => ({ type: 'section', text: mrkdwn(text) });
export const context = (...texts: string[]): ContextBlock => ({ type: 'context', elements: texts.map(mrkdwn) });
export const divider = (): DividerBlock => ({ type: 'divider' });

/** A command as inline code (copied as typed), or escaped text when it holds a backtick. */
export const codeOf = (command: string): string => (command.includes('`') ? escapeMarkdown(command) : `\`${command}\``);

// ---------------------------------------------------------------------------------------------------------------
// Answers

/** One page of rooms: header, one entry per room, Previous / Next buttons, and the next page's command. */
export function renderRooms(input: RoomsPage): Reply {
	const { rooms, total, offset, count, siteUrl, nextPage, previousPage } = input;
	const { viewer, appId } = input.audience ?? plainAudience();
	const inView = input.surface === 'view';
	const header = headerLine(total, offset, rooms.length, count, viewer);
	const blocks: LayoutBlock[] = [section(`*${header}*`)];
	const lines: string[] = [header];
	if (rooms.length > 0 || input.zonedDates) {
		const times = timesLine(viewer, input.zonedDates);
		blocks.push(context(times), divider());
		lines[0] = `${header} ${times}`;
		lines.push('');
	}
	for (const room of rooms) {
		const status = roomStatus(room);
		const marker = status ? STATUS_MARKS[status].marker : NO_STATUS_MARKER;
		const name = visitorName(room, viewer);
		const linked = siteUrl ? `[${escapeLinkText(name)}](${roomUrl(siteUrl, room)})` : escapeMarkdown(name);
		const who = whoParts(room, status, viewer);
		const details = detailParts(room, status, viewer);
		blocks.push(section([`${marker} ${linked}`, ...who].join(' · ')), context(details.join(' · ')));
		const link = siteUrl ? [roomUrl(siteUrl, room)] : [];
		lines.push([`${marker} ${escapeMarkdown(name)}`, ...who, ...details, ...link].join(' · '));
	}
	const buttons = [
		...pageButton(appId, ACTIONS.previous, say(viewer, 'Command_Button_Previous'), previousPage),
		...pageButton(appId, ACTIONS.next, say(viewer, 'Command_Button_Next'), nextPage),
		...(inView && input.thisPage !== undefined ? pageButton(appId, ACTIONS.refresh, say(viewer, 'Command_Button_Refresh'), input.thisPage) : []),
	];
	if (buttons.length > 0 || (nextPage && !inView)) blocks.push(divider());
	blocks.push(...actionsBlock(appId, 'livechat-rooms.pages', buttons));
	if (nextPage && !inView) {
		const line = say(viewer, 'Command_Reply_Next_Page', { command: codeOf(commandOf(nextPage)) });
		blocks.push(context(line));
		lines.push('', line);
	}
	return { text: lines.join('\n'), blocks };
}

function pageButton(appId: string, actionId: (typeof ACTIONS)['previous' | 'next' | 'refresh'], text: string, words: string | undefined) {
	const value = words === undefined ? undefined : buttonValue(words);
	return value === undefined ? [] : [button(appId, 'livechat-rooms.pages', actionId, text, value)];
}

const KEY_LINES: readonly MessageKey[] = [
	'Command_Help_Key_Status',
	'Command_Help_Key_Agent',
	'Command_Help_Key_Department',
	'Command_Help_Key_Tag',
	'Command_Help_Key_Name',
	'Command_Help_Key_Dates',
	'Command_Help_Key_Field',
	'Command_Help_Key_Sort',
	'Command_Help_Key_Count',
	'Command_Help_Key_Page',
	'Command_Help_Key_Api',
];

const EXAMPLES = [
	`/${COMMAND} status=open agent=me`,
	`/${COMMAND} department=Sales created=2024-05-01..2024-05-31 sort=-created`,
	`/${COMMAND} name="Marcos Defendi" status=closed tag=vip,billing count=20 page=2`,
];

/**
 * The usage, every key and three examples, in the viewer's language; `notice` (an unknown key, say) comes first.
 * Notices and error lines echo only what the caller typed, so they are shown as they are.
 */
export function renderHelp(notice?: string, viewer: Pick<Viewer, 'language'> = { language: 'en' }): Reply {
	const first = notice ? [`⚠️ ${notice}`] : [];
	const usage = [
		say(viewer, 'Command_Help_Usage', { usage: `\`/${COMMAND} [key=value ...]\` | \`/${COMMAND} help\`` }),
		say(viewer, 'Command_Help_Summary', {
			command: `\`/${COMMAND}\``,
			panel: `\`/${COMMAND} ${PANEL_WORD}\``,
			summary: `\`/${COMMAND} ${SUMMARY_WORD}\``,
			list: `\`/${COMMAND} ${LIST_WORD}\``,
		}),
		say(viewer, 'Command_Help_Rules'),
	];
	const keys = KEY_LINES.map((key) => `• ${say(viewer, key, { max: COMMAND_MAX_COUNT, default: COMMAND_DEFAULT_COUNT })}`).join('\n');
	const examples = EXAMPLES.map((example) => `• \`${example}\``).join('\n');
	const keysTitle = say(viewer, 'Command_Help_Keys');
	const examplesTitle = say(viewer, 'Command_Help_Examples');
	const blocks: LayoutBlock[] = [
		...first.map(section),
		section(usage.join('\n')),
		section(`*${keysTitle}*\n${keys}`),
		section(`*${examplesTitle}*\n${examples}`),
	];
	return { text: [...first, ...usage, '', `${keysTitle}:`, keys, '', `${examplesTitle}:`, examples].join('\n'), blocks };
}

/** One line naming what went wrong (it echoes only what the caller typed, never a visitor's text). */
export function renderError(line: string): Reply {
	const text = `⚠️ ${line}`;
	return { text, blocks: [section(text)] };
}
