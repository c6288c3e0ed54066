/**
 * `/livechat-rooms` on plain data, the command's twin of `handleRooms.ts`: words -> grammar -> access ->
 * `parseRoomQuery` -> the rooms source -> reply. No words: the summary, counted by `countRooms` (the code behind
 * `GET rooms/counts`) over the same queries the summary's lines lead to. No engine here: `LivechatRoomsCommand`
 * hands it the caller, the sources and the audience (language, time zone, app id), and sends the reply. A button's
 * press comes back here as the words it carries, judged exactly as typed words are.
 */
import type { AgentsDecision, Caller, Scope } from '../access/access';
import { agentsFor, REFUSE_NONE, REFUSE_OTHERS, scopeOf, withinScope } from '../access/access';
import { departmentsOf, findRooms } from '../index/findRooms';
import { openRoomsOf } from '../index/queueFirst';
import type { RoomSet } from '../index/RoomIndex';
import { countRoomSet, searchRoomSet } from '../index/RoomIndex';
import { parseRoomQuery } from '../query/fromParams';
import type { RoomQuery } from '../query/RoomQuery';
import { compareValues } from '../values/bsonOrder';
import { withDepartment } from '../rooms/project';
import type { RoomDocument } from '../rooms/RoomDocument';
import type { RoomCounts } from '../rooms/counts';
import { waitingSince } from '../rooms/status';
import type { Sources, Unavailable } from '../ports';
import { nextPageWords, previousPageWords } from './grammar/paging';
import type { QueryRequest } from './grammar/parse';
import { parseCommand } from './grammar/parse';
import { problemText } from './grammar/problems';
import type { Audience, Reply } from './reply';
import { plainAudience, renderError, renderHelp, renderRooms } from './reply';
import type { Group, StatusBreakdown, Summary } from './summary';
import { GROUPS_SHOWN, renderSummary } from './summary';
import type { Viewer } from './viewer';
import { say, startOfDay } from './viewer';

/** The one line shown when anything throws, in English (`Command_Failed`); the error itself goes to the app's log. */
export const FAILED = 'Something went wrong while listing rooms; the error was logged.';

/** An endpoint refusal as one chat line: its message without the ` [error-type]` suffix. */
export const errorLine = (error: string): string => error.replace(/\s*\[[\w-]+\]$/, '');

export type Scoped = { readonly ok: true; readonly query: RoomQuery } | { readonly ok: false; readonly reply: Reply; readonly line: string };

/** A refusal of `agentsFor` in the viewer's words (its English message otherwise). */
export function refusalLine(decision: Extract<AgentsDecision, { ok: false }>, viewer: Pick<Viewer, 'language'>): string {
	if (decision.message === REFUSE_NONE) return say(viewer, 'Command_Refuse_None');
	if (decision.message === REFUSE_OTHERS) return say(viewer, 'Command_Refuse_Others');
	return decision.message;
}

/** A request as the caller may run it: agents decided, department names resolved, parsed, scoped. */
export async function scopedQuery(request: QueryRequest, caller: Caller, scope: Scope, sources: Sources, audience: Audience): Promise<Scoped> {
	const refuse = (line: string): Scoped => ({ ok: false, reply: renderError(line), line });
	const decision = agentsFor(caller, scope, request.params.agents, request.agentMe);
	if (!decision.ok) return refuse(refusalLine(decision, audience.viewer));

	const departmentIds: string[] = [];
	for (const name of request.departmentNames) {
		const department = await sources.departments(name);
		if (!department) return refuse(say(audience.viewer, 'Command_Department_Not_Found', { name }));
		departmentIds.push(department._id);
	}

	const { agents: _typed, departmentId: givenIds, ...rest } = request.params;
	const parsed = parseRoomQuery({
		...rest,
		...(decision.agents ? { agents: decision.agents } : {}),
		...(givenIds !== undefined || departmentIds.length > 0 ? { departmentId: [...(givenIds ?? []), ...departmentIds] } : {}),
	});
	if (!parsed.ok) {
		if (parsed.error.fault !== undefined) sources.logError('/livechat-rooms could not read its own parameters', parsed.error.fault);
		return refuse(errorLine(parsed.error.error));
	}
	return { ok: true, query: withinScope(parsed.value, caller, scope) };
}

/** Words the summary wrote itself: they always parse; anything else is a bug, thrown to the log. */
async function queryOf(words: string, caller: Caller, scope: Scope, sources: Sources, audience: Audience): Promise<RoomQuery> {
	const request = parseCommand(words.split(' '), { offsetMinutes: audience.viewer.offsetMinutes });
	if (request.kind !== 'query') throw new Error(`the summary wrote words it cannot read: ${words}`);
	const scoped = await scopedQuery(request, caller, scope, sources, audience);
	if (!scoped.ok) throw new Error(`the summary wrote words it may not run: ${words}: ${scoped.reply.text}`);
	return scoped.query;
}

/** The queue is listed longest-waiting first: by `queuedAt`, then creation. */
export const QUEUED_WORDS = 'status=queued sort=queuedAt,created';
/** How many of the longest-waiting rooms the summary links. */
export const LONGEST_SHOWN = 3;

/** An id the command's words carry as it is (no space, comma, quote or `=` to be split or read otherwise). */
const PLAIN_ID = /^[\p{L}\p{N}_.@-]+$/u;
const wordsFor = (words: string, key: string, id: string): string | undefined => (PLAIN_ID.test(id) ? `${words} ${key}=${id}` : undefined);

/**
 * How the words name an agent of the counts: by username where it is unambiguous (no other agent counted has it, and
 * it is no agent's id: `agent=` matches either), else by user id.
 */
function agentWord(entry: { _id: string; username?: string }, all: ReadonlyArray<{ _id: string | null; username: string | null }>): string {
	const { username } = entry;
	if (!username || !PLAIN_ID.test(username) || username.toLowerCase() === 'me') return entry._id;
	const clash = all.some((other) => other._id !== entry._id && (other.username === username || other._id === username));
	return clash ? entry._id : username;
}

/** The `LONGEST_SHOWN` longest-waiting rooms: earliest first, rooms with no date last, ties by `_id` (as `rooms/counts`). */
function longestWaiting(queued: readonly RoomDocument[]): RoomDocument[] {
	const since = (room: RoomDocument): number => waitingSince(room)?.getTime() ?? Infinity;
	return [...queued].sort((a, b) => since(a) - since(b) || compareValues(a._id, b._id) || 0).slice(0, LONGEST_SHOWN);
}

/**
 * The summary over `rooms`. With `openOnly` (the index holds only the open rooms yet: its notice), the queue and open
 * lines, which the open rooms decide, and in place of the on-hold and closed lines the notice.
 */
export async function summarize(
	caller: Caller,
	scope: 'all' | 'own',
	rooms: RoomSet,
	sources: Sources,
	audience: Audience,
	openOnly?: Unavailable,
): Promise<Summary> {
	const query = (words: string) => queryOf(words, caller, scope, sources, audience);
	const count = (q: RoomQuery): RoomCounts => countRoomSet(q, rooms);

	const queuedQuery = await query(QUEUED_WORDS);
	const queuedCounts = count(queuedQuery);
	const longest = longestWaiting(searchRoomSet({ ...queuedQuery, offset: 0, count: 0 }, rooms).rooms);

	const breakdownOf = async (status: 'open' | 'onhold'): Promise<{ words: string; counts: RoomCounts }> => {
		const words = `status=${status}`;
		return { words, counts: count(await query(words)) };
	};
	const open = await breakdownOf('open');
	const onhold = openOnly ? undefined : await breakdownOf('onhold');

	const since = startOfDay(audience.viewer);
	const closedWords = `status=closed closed=${since}..`;
	const closedCounts = openOnly ? undefined : count(await query(closedWords));

	const departmentIds = [...open.counts.departments, ...(onhold?.counts.departments ?? []), ...longest.map((room) => ({ _id: room.departmentId }))]
		.map((entry) => entry._id)
		.filter((id): id is string => typeof id === 'string');
	const names = await departmentsOf(departmentIds, sources.departments);

	const breakdown = ({ words, counts }: { words: string; counts: RoomCounts }): StatusBreakdown => ({
		count: counts.total,
		words,
		departments: counts.departments
			.slice(0, GROUPS_SHOWN)
			.map((entry): Group =>
				entry._id === null
					? { count: entry.count }
					: { label: names.get(entry._id)?.name ?? entry._id, count: entry.count, words: wordsFor(words, 'departmentId', entry._id) },
			),
		agents:
			scope === 'own'
				? []
				: counts.agents.slice(0, GROUPS_SHOWN).map((entry): Group =>
						entry._id === null
							? { count: entry.count }
							: {
									label: entry.username ?? entry._id,
									count: entry.count,
									words: wordsFor(words, 'agent', agentWord({ _id: entry._id, username: entry.username ?? undefined }, counts.agents)),
								},
					),
	});

	return {
		scope,
		queued: {
			count: queuedCounts.total,
			words: QUEUED_WORDS,
			longest: longest.map((room) => ({
				room: typeof room.departmentId === 'string' ? withDepartment(room, names.get(room.departmentId)) : room,
				since: waitingSince(room),
			})),
		},
		open: breakdown(open),
		...(onhold && closedCounts
			? { onhold: breakdown(onhold), closedToday: { count: closedCounts.total, words: closedWords, since: new Date(since) } }
			: {}),
		...(openOnly ? { notReady: openOnly.message } : {}),
		siteUrl: await sources.siteUrl(),
	};
}

async function answer(args: readonly string[], caller: Caller, sources: Sources, audience: Audience): Promise<Reply> {
	const { viewer } = audience;
	const request = parseCommand(args, { offsetMinutes: viewer.offsetMinutes });
	if (request.kind === 'help') return renderHelp(request.problem && problemText(request.problem, viewer), viewer);
	if (request.kind === 'error') return renderError(problemText(request.problem, viewer));

	const scope = scopeOf(caller, await sources.roles());
	if (request.kind === 'summary') {
		if (scope === 'none') return renderError(errorOfNone(caller, viewer));
		const available = await sources.rooms.current();
		// Right after install, the queue and open lines are answered from the open rooms alone (the queue first).
		if (available.ok) return renderSummary(await summarize(caller, scope, available.rooms, sources, audience), audience);
		const openRooms = openRoomsOf(available);
		if (!openRooms) return renderError(available.unavailable.message);
		return renderSummary(await summarize(caller, scope, openRooms, sources, audience, available.unavailable), audience);
	}

	const scoped = await scopedQuery(request, caller, scope, sources, audience);
	if (!scoped.ok) return scoped.reply;
	const found = await findRooms(scoped.query, sources.rooms, sources.departments);
	if (!found.ok) return renderError(found.unavailable.message);
	const { rooms, total } = found;
	return renderRooms({
		rooms,
		total,
		offset: request.offset,
		count: request.count,
		siteUrl: await sources.siteUrl(),
		nextPage: nextPageWords(request, total),
		previousPage: previousPageWords(request, total),
		zonedDates: request.zonedDates,
		audience,
	});
}

/** The refusal of a caller whose roles list no rooms, as `agentsFor` words it. */
export function errorOfNone(caller: Caller, viewer: Pick<Viewer, 'language'> = { language: 'en' }): string {
	const decision = agentsFor(caller, 'none', undefined, false);
	return decision.ok ? '' : refusalLine(decision, viewer);
}

/**
 * The whole command: words in, reply out, for this audience (English, UTC and no app id when left out). Never
 * throws: a failure is logged and answered with `FAILED`.
 */
export async function answerCommand(args: readonly string[], caller: Caller, sources: Sources, audience: Audience = plainAudience(new Date())): Promise<Reply> {
	try {
		return await answer(args, caller, sources, audience);
	} catch (error) {
		sources.logError('/livechat-rooms failed', error);
		return renderError(say(audience.viewer, 'Command_Failed'));
	}
}
