/**
 * The command's answers: UIKit blocks plus a `text` fallback with the same content, built from plain data. Pure:
 * only UIKit's types are imported (the app ships no runtime npm dependency), the blocks are plain object literals.
 *
 * Rocket.Chat renders both `mrkdwn` blocks and message text with its message parser, so anything a visitor typed
 * (names, tags) is neutralised for that parser before it is shown: no injected links, mentions or formatting.
 */
import type { ContextBlock, DividerBlock, LayoutBlock, SectionBlock } from '@rocket.chat/ui-kit';

import type { RoomDocument } from '../rooms/RoomDocument';
import { COMMAND, COMMAND_DEFAULT_COUNT, COMMAND_MAX_COUNT } from './grammar';

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
	/** The exact command for the next page, when there is one. */
	readonly nextPage?: string;
}

/** A livechat room's state, as the command's `status=` names it. */
export type RoomStatus = 'open' | 'queued' | 'onhold' | 'closed';

/** A status at a glance, and in words for whoever does not read the colours. */
export const STATUS_MARKS: Readonly<Record<RoomStatus, { readonly marker: string; readonly word: string }>> = {
	open: { marker: '🟢', word: 'open' },
	queued: { marker: '🟡', word: 'queued' },
	onhold: { marker: '⏸', word: 'on hold' },
	closed: { marker: '⚪', word: 'closed' },
};

/**
 * A room's status as the endpoint's filters see it: closed when not `open` (closing wins over a stale `onHold`),
 * on hold when `onHold`, queued when open with no agent, open otherwise.
 */
export function roomStatus(room: RoomDocument): RoomStatus {
	if (!room.open) return 'closed';
	if (room.onHold) return 'onhold';
	if (!room.servedBy) return 'queued';
	return 'open';
}

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

const pad = (n: number): string => String(n).padStart(2, '0');

/** `2024-05-01 14:03` (UTC), or undefined for a missing or unreadable date. */
export function compactTime(value: unknown): string | undefined {
	if (!(value instanceof Date) && typeof value !== 'string' && typeof value !== 'number') return undefined;
	const date = new Date(value);
	if (Number.isNaN(date.getTime())) return undefined;
	return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}

/** The visitor's name as the room shows it: `fname`, else the visitor's username. */
export function visitorName(room: RoomDocument): string {
	const name = [room.fname, room.v?.username, room.name].find((candidate) => typeof candidate === 'string' && oneLine(candidate));
	return name ? oneLine(name) : 'unnamed visitor';
}

/** The room in the agent's UI; parentheses are encoded too, as they would end a markdown link. */
export const roomUrl = (siteUrl: string, room: RoomDocument): string =>
	`${siteUrl}/live/${encodeURIComponent(room._id).replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29'))}`;

const USERNAME = /^[\p{L}\p{N}._-]+$/u;

/** `@username` (a mention link to the agent), or what stands in for a missing agent. */
function agentPart(room: RoomDocument, status: RoomStatus): string {
	const username = room.servedBy?.username;
	if (username) return USERNAME.test(username) ? `@${username}` : escapeMarkdown(`@${username}`);
	return status === 'queued' ? 'waiting for an agent' : 'no agent';
}

/** The room's summary after the name: agent and department. */
function whoParts(room: RoomDocument, status: RoomStatus): string[] {
	const department = room.department?.name;
	return [agentPart(room, status), ...(department ? [escapeMarkdown(department)] : [])];
}

/** Status, times and tags. */
function detailParts(room: RoomDocument, status: RoomStatus): string[] {
	const created = compactTime(room.ts);
	const closed = compactTime(room.closedAt);
	const tags = (room.tags ?? []).filter((tag): tag is string => typeof tag === 'string' && oneLine(tag) !== '');
	return [
		STATUS_MARKS[status].word,
		...(created ? [`created ${created}`] : []),
		...(closed ? [`closed ${closed}`] : []),
		...(tags.length > 0 ? [`tags: ${tags.map(escapeMarkdown).join(', ')}`] : []),
	];
}

/** `57 rooms match, showing 11-20`, with sensible words for none, one, a single room shown and a page past the end. */
export function headerLine(total: number, offset: number, shown: number, count: number): string {
	if (total === 0) return 'No rooms match.';
	const matches = total === 1 ? '1 room matches' : `${total} rooms match`;
	if (shown === 0) {
		const last = Math.ceil(total / count);
		const lastPage = offset % count === 0 ? ` (the last page is ${last})` : '';
		return `${matches}, none from ${offset + 1} on${lastPage}.`;
	}
	if (total === 1) return `${matches}.`;
	const range = shown === 1 ? `room ${offset + 1}` : `${offset + 1}-${offset + shown}`;
	return `${matches}, showing ${range}.`;
}

const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text });
const section = (text: string): SectionBlock => ({ type: 'section', text: mrkdwn(text) });
const context = (...texts: string[]): ContextBlock => ({ type: 'context', elements: texts.map(mrkdwn) });
const divider = (): DividerBlock => ({ type: 'divider' });

/** A command as inline code (copied as typed), or escaped text when it holds a backtick. */
const codeOf = (command: string): string => (command.includes('`') ? escapeMarkdown(command) : `\`${command}\``);

// ---------------------------------------------------------------------------------------------------------------
// Answers

/** One page of rooms: header, one entry per room, and the next page's command when there is one. */
export function renderRooms(input: RoomsPage): Reply {
	const { rooms, total, offset, count, siteUrl, nextPage } = input;
	const header = headerLine(total, offset, rooms.length, count);
	const blocks: LayoutBlock[] = [section(`*${header}*`)];
	const lines: string[] = [header];
	if (rooms.length > 0) {
		blocks.push(context('Times are UTC.'), divider());
		lines[0] = `${header} Times are UTC.`;
		lines.push('');
	}
	for (const room of rooms) {
		const status = roomStatus(room);
		const { marker } = STATUS_MARKS[status];
		const name = visitorName(room);
		const linked = siteUrl ? `[${escapeLinkText(name)}](${roomUrl(siteUrl, room)})` : escapeMarkdown(name);
		const who = whoParts(room, status);
		const details = detailParts(room, status);
		blocks.push(section([`${marker} ${linked}`, ...who].join(' · ')), context(details.join(' · ')));
		const link = siteUrl ? [roomUrl(siteUrl, room)] : [];
		lines.push([`${marker} ${escapeMarkdown(name)}`, ...who, ...details, ...link].join(' · '));
	}
	if (nextPage) {
		blocks.push(divider(), context(`Next page: ${codeOf(nextPage)}`));
		lines.push('', `Next page: ${codeOf(nextPage)}`);
	}
	return { text: lines.join('\n'), blocks };
}

const USAGE = [
	`*Usage:* \`/${COMMAND} [key=value ...]\` or \`/${COMMAND} help\``,
	'Keys are case-insensitive. A key may repeat, and list keys (agent, department, tag) also take comma-separated values. Write values with spaces in double quotes: `name="Marcos Defendi"`.',
];

const KEY_LINES = [
	'`status` open, closed, queued, onhold or all (default all)',
	'`agent` username, user id or `me`',
	'`department` department name or id',
	'`tag` a tag',
	'`name` part of the visitor\'s name; `name="\\"Marcos Defendi\\""` for the exact name',
	'`created`, `closed` `START..END`, either side optional, dates like `2024-05-01` (the whole day, UTC), `2024-05` or `2024-05-01T09:00Z`',
	'`field.<key>` a custom field contains the text: `field.cpf=123`',
	'`sort` field names, `-field` for descending: `sort=-created` (the default), `sort=name,-closed`; created, closed, name and agent stand for ts, closedAt, fname and servedBy.username',
	`\`count\` rooms per page, 1 to ${COMMAND_MAX_COUNT} (default ${COMMAND_DEFAULT_COUNT})`,
	'`page` 1, 2, ...',
	"The API's names work too: `agents`, `departmentId`, `open`, `onhold`, `queued`, `tags`, `roomName`, `createdAt`, `closedAt`, `customFields` and `sort` (JSON), `units`, `offset`.",
];

const EXAMPLES = [
	`/${COMMAND} status=open agent=me`,
	`/${COMMAND} department=Sales created=2024-05-01..2024-05-31 sort=-created`,
	`/${COMMAND} name="Marcos Defendi" status=closed tag=vip,billing count=20 page=2`,
];

/**
 * The usage, every key and three examples; `notice` (an unknown key, say) comes first. Notices and error lines echo
 * only what the caller typed, so they are shown as they are.
 */
export function renderHelp(notice?: string): Reply {
	const first = notice ? [`⚠️ ${notice}`] : [];
	const keys = KEY_LINES.map((line) => `• ${line}`).join('\n');
	const examples = EXAMPLES.map((example) => `• \`${example}\``).join('\n');
	const blocks: LayoutBlock[] = [...first.map(section), section(USAGE.join('\n')), section(`*Keys*\n${keys}`), section(`*Examples*\n${examples}`)];
	return { text: [...first, ...USAGE, '', 'Keys:', keys, '', 'Examples:', examples].join('\n'), blocks };
}

/** One line naming what went wrong (it echoes only what the caller typed, never a visitor's text). */
export function renderError(line: string): Reply {
	const text = `⚠️ ${line}`;
	return { text, blocks: [section(text)] };
}
