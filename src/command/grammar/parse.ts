/**
 * The `/livechat-rooms` command's words, turned into the endpoint's parameters: a second grammar over the same
 * query (docs/command.md), not a second engine. Pure: nothing here knows the Apps-Engine. The caller hands `params` to
 * `parseRoomQuery`, exactly as the endpoint does with its query string.
 */
import type { RoomParams } from '../../query/fromParams';
import type { Draft, Value } from './keys';
import { bareWord, COMMAND_DEFAULT_COUNT, handlerOf, unknownKey } from './keys';
import type { Problem } from './problems';
import { problem, problemText } from './problems';
import { HELP_WORDS, LIST_WORD, PANEL_WORD, splitWords, SUMMARY_WORD, text } from './words';

/** What the caller typed, understood. */
export type CommandRequest = SummaryRequest | HelpRequest | ErrorRequest | QueryRequest;

/**
 * The summary of the caller's scope: no words at all or `panel` (`console`: the console beside the chat, where the
 * client can open it; docs/command.md), or `summary` (always answered here, as a message).
 */
export interface SummaryRequest {
	readonly kind: 'summary';
	readonly console: boolean;
}

/** `help`, or a word the grammar does not know (then `notice` says which, as the answer's first line). */
export interface HelpRequest {
	readonly kind: 'help';
	/** In English; `problem` says it in any language. */
	readonly notice?: string;
	readonly problem?: Problem;
}

/** A value the grammar refuses: one line naming the command key and the expected form. */
export interface ErrorRequest {
	readonly kind: 'error';
	/** In English; `problem` says it in any language. */
	readonly message: string;
	readonly problem: Problem;
}

export interface QueryRequest {
	readonly kind: 'query';
	/** The endpoint's parameters, as a query string would carry them (`count` and `offset` always present). */
	readonly params: RoomParams;
	/** `department=` values (names or ids) still to be resolved into `departmentId`. */
	readonly departmentNames: string[];
	/** `agent=me` was asked: the caller's id joins `agents`. */
	readonly agentMe: boolean;
	/** 1-based page of `count` rooms (when paging by `offset=`, the page the offset falls in). */
	readonly page: number;
	readonly count: number;
	/** The first room to show, 0-based: `(page - 1) * count`, or the endpoint's `offset=`. */
	readonly offset: number;
	/** Whether the caller paged with `page=` (or not at all) or with the endpoint's `offset=`. */
	readonly paging: 'page' | 'offset';
	/** The words as typed, minus `page=` / `offset=`: the base of the next page's command. */
	readonly words: string[];
	/** A date or time was typed without an offset, and so read in the caller's zone (the answer says so). */
	readonly zonedDates: boolean;
}

/** How to read the words: dates and times typed without an offset are the caller's (minutes east of UTC). */
export interface ReadOptions {
	readonly offsetMinutes?: number;
}

const helpWith = (found: Problem): HelpRequest => ({ kind: 'help', notice: problemText(found), problem: found });
const errorWith = (found: Problem): ErrorRequest => ({ kind: 'error', message: problemText(found), problem: found });

/** Entries as a JSON object, in their order (a key such as `__proto__` stays a plain key). */
function jsonObject(entries: ReadonlyArray<readonly [string, unknown]>): string {
	const object: Record<string, unknown> = Object.create(null);
	for (const [key, value] of entries) object[key] = value;
	return JSON.stringify(object);
}

function finish(draft: Draft, words: string[]): QueryRequest {
	const params: { -readonly [K in keyof RoomParams]: RoomParams[K] } = {};
	for (const [param, { value }] of draft.scalars) params[param] = value;
	for (const [param, values] of draft.lists) params[param] = values;
	if (draft.fields.size > 0) params.customFields = jsonObject([...draft.fields].map(([key, { value }]) => [key, value]));
	if (draft.sort.length > 0) params.sort = jsonObject(draft.sort);
	const count = draft.count ?? COMMAND_DEFAULT_COUNT;
	const offset = draft.offset ?? ((draft.page ?? 1) - 1) * count;
	params.count = String(count);
	params.offset = String(offset);
	return {
		kind: 'query',
		params,
		departmentNames: draft.departmentNames,
		agentMe: draft.agentMe,
		page: Math.floor(offset / count) + 1,
		count,
		offset,
		paging: draft.offset === undefined ? 'page' : 'offset',
		words,
		zonedDates: draft.zonedDates,
	};
}

/**
 * Reads the command's arguments (as Rocket.Chat splits them: on single spaces) into a request; dates and times typed
 * without an offset are read at `offsetMinutes` east of UTC (the caller's zone; UTC when left out).
 */
export function parseCommand(args: readonly string[], options: ReadOptions = {}): CommandRequest {
	const split = splitWords(args.join(' '));
	if (split.words.some((word) => word.chars.every((ch) => !ch.literal) && HELP_WORDS.has(text(word.chars).toLowerCase()))) {
		return { kind: 'help' };
	}
	if (split.unclosed !== undefined) {
		const key = split.unclosed.split('=')[0].replace(/["\u201c\u201d]/g, '');
		return errorWith(key ? problem('Command_Error_Unclosed', { key }) : problem('Command_Error_Unclosed_Value'));
	}
	if (split.words.length === 0) return { kind: 'summary', console: true };
	const first = split.words[0];
	const alone = split.words.length === 1 && first.chars.every((ch) => !ch.literal) ? text(first.chars).toLowerCase() : undefined;
	if (alone === PANEL_WORD || alone === SUMMARY_WORD) return { kind: 'summary', console: alone === PANEL_WORD };
	const listed = first.chars.every((ch) => !ch.literal) && text(first.chars).toLowerCase() === LIST_WORD;
	const draft: Draft = {
		scalars: new Map(),
		lists: new Map(),
		fields: new Map(),
		sort: [],
		departmentNames: [],
		offsetMinutes: options.offsetMinutes ?? 0,
		agentMe: false,
		zonedDates: false,
	};
	const words: string[] = [];
	for (const word of listed ? split.words.slice(1) : split.words) {
		let at = word.chars.findIndex((ch) => ch.c === '=' && !ch.literal);
		if (at < 0) at = word.chars.findIndex((ch) => ch.c === '=');
		if (at < 0) return helpWith(bareWord(text(word.chars)));
		const key = text(word.chars.slice(0, at)).trim();
		const chars = word.chars.slice(at + 1);
		const value: Value = { text: text(chars).trim(), raw: word.raw.slice(word.raw.indexOf('=') + 1), chars };
		const lower = key.toLowerCase();
		const handler = handlerOf(lower);
		if (!handler) return helpWith(unknownKey(key));
		const found = handler(draft, key, value);
		if (found) return errorWith(found);
		if (lower !== 'page' && lower !== 'offset') words.push(word.raw);
	}
	return finish(draft, words);
}
