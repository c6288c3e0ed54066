/**
 * The console beside the chat: the summary, the filters as UIKit inputs, and a page of rooms, in one view that
 * Previous, Next, Refresh, a summary line's List and every filter change replace in place. Pure: `LivechatRoomsCommand`
 * opens and updates the view through the engine.
 *
 * The view keeps no state of its own. What it shows is a line of the command's words (`status=open agent=alice
 * page=2`), run through the same grammar, access rules and query as typed words; every press brings the words back:
 * a button as its value (as the answers' buttons do, `buttons.ts`), a filter as its block id (Rocket.Chat sends a
 * view's block action with the element's `blockId` and new `value` only, not the view's other inputs). A press is user
 * input: the words it carries are judged again with the presser's own roles, and a value that is not what the element
 * could send is refused.
 */
import type {
	ActionsBlock,
	ButtonElement,
	DatePickerElement,
	InputBlock,
	LayoutBlock,
	MultiStaticSelectElement,
	Option,
	PlainTextInputElement,
	StaticSelectElement,
	UsersSelectElement,
} from '@rocket.chat/ui-kit';

import type { Caller } from '../access/access';
import { scopeOf } from '../access/access';
import { departmentsOf, findRooms } from '../index/findRooms';
import type { RoomQuery } from '../query/RoomQuery';
import { countRoomSet } from '../index/RoomIndex';
import type { Sources } from '../sources';
import { errorOfNone, scopedQuery, summarize } from './answerCommand';
import { ACTIONS, buttonValue, MAX_VALUE_LENGTH } from './buttons';
import type { QueryRequest } from './grammar';
import { commandOf, LIST_WORD, nextPageWords, parseCommand, previousPageWords, problemText, rangeSides, splitWords } from './grammar';
import type { Audience } from './reply';
import { codeOf, context, divider, renderRooms, section } from './reply';
import { renderSummary } from './summary';
import type { MessageKey, Viewer } from './viewer';
import { compactTime, say, zoneLabel } from './viewer';

/** The contextual bar's view id (the command, the room's button); its updates find the bar by it. */
export const CONSOLE_BAR_ID = 'livechat-rooms.console';
/** The same console as a modal, opened from the user menu (outside a room there is no contextual bar). */
export const CONSOLE_MODAL_ID = 'livechat-rooms.console.modal';

/** Where the console is shown. */
export type ConsoleSurface = 'bar' | 'modal';

export const surfaceOfView = (viewId: unknown): ConsoleSurface | undefined =>
	viewId === CONSOLE_BAR_ID ? 'bar' : viewId === CONSOLE_MODAL_ID ? 'modal' : undefined;

/** The action buttons the app registers: in livechat rooms' header, and in the user menu. */
export const CONSOLE_BUTTONS = {
	room: 'livechat-rooms.console.room',
	userMenu: 'livechat-rooms.console.user-menu',
} as const;

/** Every filter element's `actionId`. */
export const FILTERS = {
	status: 'livechat-rooms.filter.status',
	department: 'livechat-rooms.filter.department',
	agent: 'livechat-rooms.filter.agent',
	tags: 'livechat-rooms.filter.tags',
	createdStart: 'livechat-rooms.filter.created.start',
	createdEnd: 'livechat-rooms.filter.created.end',
	closedStart: 'livechat-rooms.filter.closed.start',
	closedEnd: 'livechat-rooms.filter.closed.end',
	name: 'livechat-rooms.filter.name',
	sort: 'livechat-rooms.filter.sort',
} as const;

export type Filter = (typeof FILTERS)[keyof typeof FILTERS];

/** A filter block's id: this prefix, then the words the console showed when it drew the block. */
export const FILTER_BLOCK = 'livechat-rooms.filters';

const filterBlockId = (n: number, words: string): string => `${FILTER_BLOCK}.${n}|${words}`;

/** The words a filter block's id carries, or undefined when the id is not one of the console's. */
export function wordsOfBlock(blockId: unknown): string | undefined {
	if (typeof blockId !== 'string' || !blockId.startsWith(`${FILTER_BLOCK}.`)) return undefined;
	const bar = blockId.indexOf('|');
	return bar < 0 ? undefined : blockId.slice(bar + 1);
}

// ---------------------------------------------------------------------------------------------------------------
// Words, edited by a filter

/** The keys (lower-cased, the command's and the endpoint's) that each filter replaces. */
const KEYS_OF: Readonly<Record<'status' | 'department' | 'agent' | 'tags' | 'created' | 'closed' | 'name' | 'sort', readonly string[]>> = {
	status: ['status', 'open', 'onhold', 'queued'],
	department: ['department', 'departmentid'],
	agent: ['agent', 'agents'],
	tags: ['tag', 'tags'],
	created: ['created', 'createdat'],
	closed: ['closed', 'closedat'],
	name: ['name', 'roomname'],
	sort: ['sort'],
};

const keyOf = (raw: string): string =>
	raw
		.split('=')[0]
		.replace(/["\u201c\u201d]/g, '')
		.trim()
		.toLowerCase();

/** A value as the grammar reads it back: as it is when plain, else in double quotes with `"` and `\` escaped. */
export function quoted(value: string): string {
	if (/^[^\s"\u201c\u201d\\,=]+$/u.test(value)) return value;
	return `"${value.replace(/\\/g, '\\\\').replace(/["\u201c\u201d]/g, '\\"')}"`;
}

/** The sort choices the console offers, as `sort=` values. */
const SORTS: ReadonlyArray<readonly [string, MessageKey]> = [
	['-created', 'Command_Console_Sort_Newest'],
	['created', 'Command_Console_Sort_Oldest'],
	['-closed', 'Command_Console_Sort_Closed'],
	['name', 'Command_Console_Sort_Name'],
	['agent', 'Command_Console_Sort_Agent'],
	['queuedAt,created', 'Command_Console_Sort_Waiting'],
];

const STATUSES = ['all', 'open', 'queued', 'onhold', 'closed'] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The longest text a filter takes (a visitor's name, a tag, an id): longer is not what the client sends. */
const MAX_TEXT = 200;

const isText = (value: unknown, max = MAX_TEXT): value is string => typeof value === 'string' && value.length <= max && !/[\p{Cc}\u2028\u2029]/u.test(value);

/** The words a range key holds now, as its two typed sides (an endpoint-style JSON range read back into sides). */
function sidesOf(raw: string | undefined): [string, string] {
	if (raw === undefined) return ['', ''];
	const value = raw.slice(raw.indexOf('=') + 1).replace(/^"|"$/g, '');
	if (value.startsWith('{')) {
		try {
			const parsed = JSON.parse(value) as { start?: unknown; end?: unknown };
			return [typeof parsed.start === 'string' ? parsed.start : '', typeof parsed.end === 'string' ? parsed.end : ''];
		} catch {
			return ['', ''];
		}
	}
	const sides = rangeSides(value);
	return sides ? [sides[0], sides[1]] : ['', ''];
}

export type Edit = { readonly ok: true; readonly words: string } | { readonly ok: false };

/**
 * The words after a filter changed: the words the filter stands for are replaced (or dropped when it is cleared), the
 * page starts again at 1, the rest stays. `value` is what the element sent; anything else is refused.
 */
export function editWords(base: string, filter: Filter, value: unknown): Edit {
	const split = splitWords(base);
	if (split.unclosed !== undefined) return { ok: false };
	const raws = split.words.map((word) => word.raw).filter((raw) => !['page', 'offset'].includes(keyOf(raw)) && raw.toLowerCase() !== LIST_WORD);
	const without = (group: keyof typeof KEYS_OF): string[] => raws.filter((raw) => !KEYS_OF[group].includes(keyOf(raw)));
	const done = (words: string[]): Edit => ({ ok: true, words: words.join(' ') });
	const cleared = value === null || value === undefined || value === '';

	switch (filter) {
		case FILTERS.status:
			if (!cleared && !(typeof value === 'string' && (STATUSES as readonly string[]).includes(value))) return { ok: false };
			return done([...without('status'), ...(cleared || value === 'all' ? [] : [`status=${value as string}`])]);
		case FILTERS.department:
			if (!cleared && !isText(value)) return { ok: false };
			return done([...without('department'), ...(cleared ? [] : [`departmentId=${quoted(value as string)}`])]);
		case FILTERS.agent:
			if (!cleared && !isText(value)) return { ok: false };
			return done([...without('agent'), ...(cleared ? [] : [`agent=${quoted((value as string).replace(/^@/, ''))}`])]);
		case FILTERS.tags: {
			const tags = cleared ? [] : Array.isArray(value) ? value : [value];
			if (tags.length > 100 || !tags.every((tag) => isText(tag) && tag.trim() !== '')) return { ok: false };
			return done([...without('tags'), ...(tags.length === 0 ? [] : [`tag=${(tags as string[]).map(quoted).join(',')}`])]);
		}
		case FILTERS.createdStart:
		case FILTERS.createdEnd:
		case FILTERS.closedStart:
		case FILTERS.closedEnd: {
			if (!cleared && !(typeof value === 'string' && DAY.test(value))) return { ok: false };
			const group = filter === FILTERS.createdStart || filter === FILTERS.createdEnd ? 'created' : 'closed';
			const sides = sidesOf(raws.find((raw) => KEYS_OF[group].includes(keyOf(raw))));
			sides[filter.endsWith('.start') ? 0 : 1] = cleared ? '' : (value as string);
			const range = sides[0] || sides[1] ? [`${group}=${sides[0]}..${sides[1]}`] : [];
			return done([...without(group), ...range]);
		}
		case FILTERS.name:
			if (!cleared && !isText(value)) return { ok: false };
			return done([...without('name'), ...(cleared || (value as string).trim() === '' ? [] : [`name=${quoted((value as string).trim())}`])]);
		case FILTERS.sort:
			if (!cleared && !SORTS.some(([words]) => words === value)) return { ok: false };
			return done([...without('sort'), ...(cleared ? [] : [`sort=${value as string}`])]);
		default:
			return { ok: false };
	}
}

// ---------------------------------------------------------------------------------------------------------------
// The view

/** What the console's view holds: a title and its blocks (the command class adds the id and the surface). */
export interface ConsoleView {
	readonly title: string;
	readonly blocks: LayoutBlock[];
	/** The words it shows (the state every press starts from). */
	readonly words: string;
}

const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });
const option = (value: string, text: string): Option => ({ value, text: plain(text) });

/** A date in the viewer's zone as a date picker shows it (`2024-05-01`). */
const dayOf = (date: Date | undefined, viewer: Viewer): string | undefined => compactTime(date, viewer.offsetMinutes)?.slice(0, 10);

interface FilterChoices {
	readonly departments: ReadonlyArray<{ _id: string; name: string }>;
	readonly tags: readonly string[];
}

function statusOf(query: RoomQuery): (typeof STATUSES)[number] {
	if (query.queued) return 'queued';
	if (query.onHold) return 'onhold';
	if (query.open === true) return 'open';
	if (query.open === false) return 'closed';
	return 'all';
}

/** The filters as UIKit elements, each showing what the words ask for now. */
function filterBlocks(words: string, query: RoomQuery | undefined, choices: FilterChoices, audience: Audience, sortWords: string | undefined): LayoutBlock[] {
	const { viewer, appId } = audience;
	const element = <T extends object>(n: number, actionId: Filter, rest: T) => ({ appId, blockId: filterBlockId(n, words), actionId, ...rest });
	const statusOptions = STATUSES.map((status) =>
		option(
			status,
			status === 'all'
				? say(viewer, 'Command_Console_Any_Status')
				: say(
						viewer,
						(
							{
								open: 'Command_Reply_Status_Open',
								queued: 'Command_Reply_Status_Queued',
								onhold: 'Command_Reply_Status_Onhold',
								closed: 'Command_Reply_Status_Closed',
							} as const
						)[status],
					),
		),
	);
	const status = query ? statusOf(query) : 'all';
	const departmentOptions = [
		option('', say(viewer, 'Command_Console_Any_Department')),
		...choices.departments.slice(0, 99).map((d) => option(d._id, d.name || d._id)),
	];
	const department = query?.departmentIds?.length === 1 ? departmentOptions.find((o) => o.value === query.departmentIds?.[0]) : undefined;
	const sortOptions = SORTS.map(([value, key]) => option(value, say(viewer, key)));
	const sort = sortOptions.find((o) => o.value === (sortWords ?? '-created'));

	const statusSelect: StaticSelectElement = element(1, FILTERS.status, {
		type: 'static_select' as const,
		placeholder: plain(say(viewer, 'Command_Console_Status')),
		options: statusOptions,
		initialValue: status,
	});
	const departmentSelect: StaticSelectElement = element(1, FILTERS.department, {
		type: 'static_select' as const,
		placeholder: plain(say(viewer, 'Command_Console_Department')),
		options: departmentOptions,
		...(department ? { initialValue: department.value } : {}),
	});
	const sortSelect: StaticSelectElement = element(1, FILTERS.sort, {
		type: 'static_select' as const,
		placeholder: plain(say(viewer, 'Command_Console_Sort')),
		options: sortOptions,
		...(sort ? { initialValue: sort.value } : {}),
	});
	const agentSelect: UsersSelectElement = element(2, FILTERS.agent, { type: 'users_select' as const });
	const tagOptions = choices.tags.slice(0, 100).map((tag) => option(tag, tag));
	const chosenTags = (query?.tags ?? []).filter((tag) => choices.tags.includes(tag));
	const tagSelect: MultiStaticSelectElement = element(2, FILTERS.tags, {
		type: 'multi_static_select' as const,
		placeholder: plain(say(viewer, 'Command_Console_Tags')),
		options: tagOptions,
		...(chosenTags.length > 0 ? { initialValue: chosenTags } : {}),
	});
	const picker = (n: number, actionId: Filter, label: MessageKey, date: Date | undefined): DatePickerElement => {
		const day = dayOf(date, viewer);
		return element(n, actionId, { type: 'datepicker' as const, placeholder: plain(say(viewer, label)), ...(day ? { initialDate: day } : {}) });
	};
	const nameInput: PlainTextInputElement = element(5, FILTERS.name, {
		type: 'plain_text_input' as const,
		placeholder: plain(say(viewer, 'Command_Console_Name')),
		dispatchActionConfig: ['on_character_entered' as const],
		...(query?.roomName ? { initialValue: query.roomName.text } : {}),
	});
	const actions = (n: number, elements: ActionsBlock['elements']): ActionsBlock => ({ type: 'actions', blockId: filterBlockId(n, words), elements });
	const name: InputBlock = {
		type: 'input',
		blockId: filterBlockId(5, words),
		label: plain(say(viewer, 'Command_Console_Name')),
		element: nameInput,
		optional: true,
	};
	const typed = codeOf(commandOf(words || LIST_WORD));
	return [
		section(`*${say(viewer, 'Command_Console_Filters')}*`),
		context(
			say(viewer, 'Command_Console_Same_As', { command: typed }),
			say(viewer, 'Command_Console_Dates_Hint', { zone: zoneLabel(viewer.offsetMinutes) }),
		),
		actions(1, [statusSelect, departmentSelect, sortSelect]),
		actions(2, tagOptions.length > 0 ? [agentSelect, tagSelect] : [agentSelect]),
		actions(3, [
			picker(3, FILTERS.createdStart, 'Command_Console_Created_From', query?.createdAt?.start),
			picker(3, FILTERS.createdEnd, 'Command_Console_Created_To', query?.createdAt?.end),
		]),
		actions(4, [
			picker(4, FILTERS.closedStart, 'Command_Console_Closed_From', query?.closedAt?.start),
			picker(4, FILTERS.closedEnd, 'Command_Console_Closed_To', query?.closedAt?.end),
		]),
		name,
		actions(6, [clearButton(appId, viewer)]),
	];
}

function clearButton(appId: string, viewer: Viewer): ButtonElement {
	return {
		type: 'button',
		appId,
		blockId: `${FILTER_BLOCK}.6`,
		actionId: ACTIONS.list,
		text: plain(say(viewer, 'Command_Button_Clear')),
		value: LIST_WORD,
	};
}

/** The value of the words' `sort=` word, when they have exactly one in the command's own form. */
function sortWordsOf(request: QueryRequest): string | undefined {
	const sorts = request.words.filter((raw) => keyOf(raw) === 'sort');
	return sorts.length === 1 ? sorts[0].slice(sorts[0].indexOf('=') + 1) : sorts.length === 0 ? undefined : '';
}

/**
 * The console for these words (a list request; the summary's own words or a filter's), as the caller may see it. A
 * caller whose roles list no rooms sees only the refusal; words that do not parse or may not run show the line that
 * says why above the filters, and the summary stays.
 */
export async function answerConsole(words: string, caller: Caller, sources: Sources, audience: Audience, notice?: string): Promise<ConsoleView> {
	const { viewer } = audience;
	const title = say(viewer, 'Command_Console_Title');
	const scope = scopeOf(caller, await sources.roles());
	if (scope === 'none') return { title, words: '', blocks: [section(`⚠️ ${errorOfNone(caller, viewer)}`)] };
	const available = await sources.rooms.current();
	if (!available.ok) return { title, words, blocks: [section(`⚠️ ${available.unavailable.message}`)] };

	const summary = renderSummary(await summarize(caller, scope, available.rooms, sources, audience), audience).blocks;

	// What the filters offer: the departments and tags of the rooms in the caller's scope, and the enabled departments.
	const everything = parseCommand([LIST_WORD]);
	const all = everything.kind === 'query' ? await scopedQuery(everything, caller, scope, sources, audience) : undefined;
	const counts = all?.ok ? countRoomSet(all.query, available.rooms) : undefined;
	const named = (counts?.departments ?? []).map((entry) => entry._id).filter((id): id is string => typeof id === 'string');
	const enabled = await sources.enabledDepartments().catch((error: unknown) => {
		sources.logError('the enabled departments could not be read', error);
		return [];
	});
	const names = await departmentsOf(named, sources.departments);
	const departments = new Map<string, string>();
	for (const id of named) departments.set(id, names.get(id)?.name ?? id);
	for (const department of enabled) if (!departments.has(department._id)) departments.set(department._id, department.name);
	const choices: FilterChoices = {
		departments: [...departments].map(([_id, name]) => ({ _id, name })).sort((a, b) => a.name.localeCompare(b.name) || a._id.localeCompare(b._id)),
		tags: (counts?.tags ?? []).map((entry) => entry.tag),
	};

	// Always a list: the words lead with `list` (a button may carry it already, as Clear does).
	const args = words ? words.split(' ') : [];
	const request = parseCommand(args[0]?.toLowerCase() === LIST_WORD ? args : [LIST_WORD, ...args], { offsetMinutes: viewer.offsetMinutes });
	const problems: string[] = notice ? [notice] : [];
	let list: LayoutBlock[] = [];
	let query: RoomQuery | undefined;
	let shown = '';
	let sortWords: string | undefined;
	if (request.kind === 'query') {
		shown = request.words.join(' ');
		sortWords = sortWordsOf(request);
		const scoped = await scopedQuery(request, caller, scope, sources, audience);
		if (!scoped.ok) problems.push(scoped.line);
		else {
			query = scoped.query;
			const found = await findRooms(scoped.query, sources.rooms, sources.departments);
			if (!found.ok) problems.push(found.unavailable.message);
			else {
				const page = [...request.words, `page=${request.page}`].join(' ');
				list = renderRooms({
					rooms: found.rooms,
					total: found.total,
					offset: request.offset,
					count: request.count,
					siteUrl: await sources.siteUrl(),
					nextPage: nextPageWords(request, found.total),
					previousPage: previousPageWords(request, found.total),
					thisPage: buttonValue(page) === undefined ? undefined : page,
					zonedDates: request.zonedDates,
					surface: 'view',
					audience,
				}).blocks;
			}
		}
	} else if (request.kind === 'error') problems.push(problemText(request.problem, viewer));
	else if (request.kind === 'help' && request.problem) problems.push(problemText(request.problem, viewer));

	// The filter blocks carry the words in their ids: words too long for an id get no filters (the buttons remain).
	const filters = shown.length <= MAX_VALUE_LENGTH ? filterBlocks(shown, query, choices, audience, sortWords) : [];
	return {
		title,
		words: shown,
		blocks: [...summary, divider(), ...problems.map((line) => section(`⚠️ ${line}`)), ...filters, divider(), ...list],
	};
}
