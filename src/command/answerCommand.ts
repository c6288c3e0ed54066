/**
 * `/livechat-rooms` on plain data, the command's twin of `handleRooms.ts`: words -> grammar -> access ->
 * `parseRoomQuery` -> the rooms source -> reply. No engine here: `LivechatRoomsCommand` hands it the caller and the
 * sources, and sends the reply.
 */
import type { Caller } from '../access/access';
import { agentsFor, scopeOf, withinScope } from '../access/access';
import { findRooms } from '../index/findRooms';
import { parseRoomQuery } from '../query/fromParams';
import type { Sources } from '../sources';
import { nextPageCommand, parseCommand } from './grammar';
import type { Reply } from './reply';
import { renderError, renderHelp, renderRooms } from './reply';

/** The one line shown when anything throws; the error itself goes to the app's log. */
export const FAILED = 'Something went wrong while listing rooms; the error was logged.';

/** An endpoint refusal as one chat line: its message without the ` [error-type]` suffix. */
export const errorLine = (error: string): string => error.replace(/\s*\[[\w-]+\]$/, '');

async function answer(args: readonly string[], caller: Caller, sources: Sources): Promise<Reply> {
	const request = parseCommand(args);
	if (request.kind === 'help') return renderHelp(request.notice);
	if (request.kind === 'error') return renderError(request.message);

	const scope = scopeOf(caller, await sources.roles());
	const decision = agentsFor(caller, scope, request.params.agents, request.agentMe);
	if (!decision.ok) return renderError(decision.message);

	const departmentIds: string[] = [];
	for (const name of request.departmentNames) {
		const department = await sources.departments(name);
		if (!department) return renderError(`department "${name}" not found`);
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
		return renderError(errorLine(parsed.error.error));
	}

	const found = await findRooms(withinScope(parsed.value, caller, scope), sources.rooms, sources.departments);
	if (!found.ok) return renderError(found.unavailable.message);
	const { rooms, total } = found;
	return renderRooms({
		rooms,
		total,
		offset: request.offset,
		count: request.count,
		siteUrl: await sources.siteUrl(),
		nextPage: nextPageCommand(request, total),
	});
}

/** The whole command: words in, reply out. Never throws: a failure is logged and answered with `FAILED`. */
export async function answerCommand(args: readonly string[], caller: Caller, sources: Sources): Promise<Reply> {
	try {
		return await answer(args, caller, sources);
	} catch (error) {
		sources.logError('/livechat-rooms failed', error);
		return renderError(FAILED);
	}
}
