/**
 * The console's pure parts (docs/command.md: the summary, the buttons, time zones and languages): button values read
 * like user input, the viewer's language and time zone, the summary rendered from plain data, and the summary counted by `answerCommand` on plain rooms
 * against `countRooms` (the code behind `GET rooms/counts`).
 */
import { describe, expect, it } from '@jest/globals';

import type { AccessRoles, Caller } from '../../src/access/access';
import { answerCommand, QUEUED_WORDS } from '../../src/command/answerCommand';
import { ACTIONS, buttonValue, MAX_VALUE_LENGTH, readPress } from '../../src/command/buttons';
import { nextPageWords, previousPageWords } from '../../src/command/grammar/paging';
import type { QueryRequest } from '../../src/command/grammar/parse';
import { parseCommand } from '../../src/command/grammar/parse';
import type { Audience, Reply } from '../../src/command/reply';
import { renderHelp, renderRooms } from '../../src/command/reply';
import type { Summary } from '../../src/command/summary';
import { renderSummary } from '../../src/command/summary';
import type { Viewer } from '../../src/command/viewer';
import { compactTime, languageOf, offsetMinutesOf, say, startOfDay, viewerOf, waitOf, zoneLabel } from '../../src/command/viewer';
import type { DepartmentName } from '../../src/ports';
import { parseRoomQuery } from '../../src/query/fromParams';
import { countFiltersFor, countRooms } from '../../src/rooms/counts';
import { roomFromEngine } from '../../src/rooms/fromEngine';
import type { RoomDocument } from '../../src/rooms/RoomDocument';
import { convertToEngine, fakeSources, roomsOf } from './fixtures';
import type { Json } from '../engine/client';

const NOW = new Date('2024-05-02T02:30:00.000Z');
const audience = (language: unknown = 'en', utcOffset: unknown = 0): Audience => ({ viewer: viewerOf(language, utcOffset, NOW), appId: 'app-1' });

/** Every button of a reply: [actionId, text, value]. */
const buttons = (reply: Reply): Array<[string, string, string]> =>
	(reply.blocks as Json[])
		.flatMap((block) => [...(block.accessory?.type === 'button' ? [block.accessory] : []), ...(block.type === 'actions' ? block.elements : [])])
		.map((b: Json) => [b.actionId, b.text.text, b.value]);

describe('a press is read like user input', () => {
	it.each<[string, unknown, unknown, ReturnType<typeof readPress>]>([
		['Next', ACTIONS.next, 'status=open page=2', { ok: true, args: ['status=open', 'page=2'] }],
		['Previous', ACTIONS.previous, 'name="a  b" page=1', { ok: true, args: ['name="a', '', 'b"', 'page=1'] }],
		['a summary line', ACTIONS.list, 'status=queued sort=queuedAt,created', { ok: true, args: ['status=queued', 'sort=queuedAt,created'] }],
		['the summary', ACTIONS.list, '', { ok: true, args: [] }],
		['an unknown action', 'livechat-rooms.delete', 'status=open', { ok: false, reason: 'unknown action "livechat-rooms.delete"' }],
		['no action', undefined, 'status=open', { ok: false, reason: 'unknown action undefined' }],
		['a number', ACTIONS.next, 2, { ok: false, reason: 'the value is not text' }],
		['an object', ACTIONS.next, { page: 2 }, { ok: false, reason: 'the value is not text' }],
		['a line break', ACTIONS.next, 'status=open\npage=2', { ok: false, reason: 'the value has control characters' }],
		['a NUL', ACTIONS.next, 'status=open\u0000', { ok: false, reason: 'the value has control characters' }],
		['too long', ACTIONS.next, `name=${'a'.repeat(MAX_VALUE_LENGTH)}`, { ok: false, reason: 'the value is too long' }],
	])('%s', (_kind, actionId, value, expected) => {
		expect(readPress(actionId, value)).toEqual(expected);
	});

	it('words longer than a value may be get no button', () => {
		expect(buttonValue('a'.repeat(MAX_VALUE_LENGTH))).toHaveLength(MAX_VALUE_LENGTH);
		expect(buttonValue('a'.repeat(MAX_VALUE_LENGTH + 1))).toBeUndefined();
	});

	it('a value is re-joined exactly as Rocket.Chat splits a typed command', () => {
		const value = 'name="Marcos  Defendi" status=open page=2';
		const press = readPress(ACTIONS.next, value);
		expect(press.ok && parseCommand(press.args)).toEqual(parseCommand(value.split(' ')));
	});
});

describe('the neighbouring pages', () => {
	const query = (line: string): QueryRequest => {
		const request = parseCommand(line.split(' '));
		if (request.kind !== 'query') throw new Error(line);
		return request;
	};
	it.each<[string, number, string | undefined, string | undefined]>([
		['status=open', 25, undefined, 'status=open page=2'],
		['status=open page=2', 25, 'status=open page=1', 'status=open page=3'],
		['status=open page=3', 25, 'status=open page=2', undefined],
		['status=open page=9', 25, 'status=open page=3', undefined],
		['list count=5 page=2', 5, 'count=5 page=1', undefined],
		['offset=3 count=10', 25, 'count=10 offset=0', 'count=10 offset=13'],
		['offset=13 count=10', 25, 'count=10 offset=3', 'count=10 offset=23'],
		['offset=23 count=10', 25, 'count=10 offset=13', undefined],
	])('%s of %d rooms: previous %s, next %s', (line, total, previous, next) => {
		expect([previousPageWords(query(line), total), nextPageWords(query(line), total)]).toEqual([previous, next]);
	});
});

describe('the viewer', () => {
	it.each([
		['pt-BR', 'pt-BR'],
		['pt', 'pt-BR'],
		['pt_BR', 'pt-BR'],
		['PT-pt', 'pt-BR'],
		['en', 'en'],
		['en-US', 'en'],
		['de', 'en'],
		[undefined, 'en'],
		[42, 'en'],
	])('language %s reads %s', (preference, language) => {
		expect(languageOf(preference)).toBe(language);
	});

	it.each([
		[-3, -180, 'UTC-03:00'],
		[5.5, 330, 'UTC+05:30'],
		[0, 0, 'UTC'],
		[-9.5, -570, 'UTC-09:30'],
		[14, 840, 'UTC+14:00'],
		[15, 0, 'UTC'],
		[Number.NaN, 0, 'UTC'],
		['-3', 0, 'UTC'],
		[undefined, 0, 'UTC'],
	])('utcOffset %s is %d minutes, labelled %s', (utcOffset, minutes, label) => {
		expect(offsetMinutesOf(utcOffset)).toBe(minutes);
		expect(zoneLabel(minutes)).toBe(label);
	});

	it('shows times in the zone, and starts the day there', () => {
		expect(compactTime(NOW, 0)).toBe('2024-05-02 02:30');
		expect(compactTime(NOW, -180)).toBe('2024-05-01 23:30');
		expect(compactTime(NOW, 330)).toBe('2024-05-02 08:00');
		expect(startOfDay({ now: NOW, offsetMinutes: 0 })).toBe('2024-05-02T00:00+00:00');
		expect(startOfDay({ now: NOW, offsetMinutes: -180 })).toBe('2024-05-01T00:00-03:00');
		expect(startOfDay({ now: NOW, offsetMinutes: 330 })).toBe('2024-05-02T00:00+05:30');
	});

	it.each([
		['2024-05-02T02:30:00Z', '0m'],
		['2024-05-02T03:30:00Z', '0m'],
		['2024-05-02T01:45:30Z', '44m'],
		['2024-05-01T23:18:00Z', '3h 12m'],
		['2024-04-29T22:30:00Z', '2d 4h'],
		['2024-04-28T22:29:00Z', '3d 4h'],
	])('a wait since %s is %s', (since, wait) => {
		expect(waitOf(new Date(since), NOW)).toBe(wait);
	});

	it('fills placeholders, and leaves unknown ones as they are', () => {
		expect(say({ language: 'pt-BR' }, 'Command_Reply_Matches_Many', { total: 3 })).toBe('3 salas encontradas');
		expect(say({ language: 'en' }, 'Command_Reply_Showing', { matches: '3 rooms match' })).toBe('3 rooms match, showing {range}.');
	});
});

const room = (fields: Partial<RoomDocument> & { _id: string }): RoomDocument => ({ t: 'l', ts: new Date('2024-05-01T10:00:00Z'), ...fields }) as RoomDocument;

describe('lists in the viewer language and zone', () => {
	const rooms = [
		{ ...room({ _id: 'R1', fname: 'Ana', open: true, servedBy: { _id: 'u1', username: 'ana' } }), department: { _id: 'd1', name: 'Vendas' } },
		room({ _id: 'R2', fname: 'Bia', closedAt: new Date('2024-05-01T23:30:00Z'), ts: new Date('2024-05-01T01:00:00Z') }),
	];
	const page = (viewer: Viewer) =>
		renderRooms({ rooms, total: 3, offset: 0, count: 2, siteUrl: '', nextPage: 'page=2', audience: { viewer, appId: 'app-1' } });

	it('in English and UTC-03:00', () => {
		const reply = page(viewerOf('en', -3, NOW));
		expect(reply.text.split('\n')).toEqual([
			'3 rooms match, showing 1-2. Times are UTC-03:00.',
			'',
			'🟢 Ana · @ana · Vendas · open · created 2024-05-01 07:00',
			'⚪ Bia · no agent · closed · created 2024-04-30 22:00 · closed 2024-05-01 20:30',
			'',
			'Next page: `/livechat-rooms page=2`',
		]);
		expect(buttons(reply)).toEqual([[ACTIONS.next, 'Next', 'page=2']]);
	});

	it('in Portuguese and UTC+05:30', () => {
		const reply = page(viewerOf('pt-BR', 5.5, NOW));
		expect(reply.text.split('\n')).toEqual([
			'3 salas encontradas, mostrando 1-2. Horários em UTC+05:30.',
			'',
			'🟢 Ana · @ana · Vendas · aberta · criada 2024-05-01 15:30',
			'⚪ Bia · sem agente · fechada · criada 2024-05-01 06:30 · fechada 2024-05-02 05:00',
			'',
			'Próxima página: `/livechat-rooms page=2`',
		]);
		expect(buttons(reply)).toEqual([[ACTIONS.next, 'Próxima', 'page=2']]);
	});

	it.each(['en', 'pt-BR'] as const)('the help in %s names every key', (language) => {
		const help = renderHelp(undefined, { language });
		for (const key of ['status', 'agent', 'department', 'tag', 'name', 'created', 'closed', 'field.', 'sort', 'count', 'page'])
			expect(help.text).toContain(`\`${key}`);
		expect(help.text).toContain(language === 'en' ? 'Examples' : 'Exemplos');
	});
});

// ---------------------------------------------------------------------------------------------------------------

const SUMMARY: Summary = {
	scope: 'all',
	queued: {
		count: 4,
		words: QUEUED_WORDS,
		longest: [
			{ room: { ...room({ _id: 'Q1', fname: 'Long *Wait*' }), department: { _id: 'd1', name: 'Sales' } }, since: new Date('2024-05-01T23:18:00Z') },
			{ room: room({ _id: 'Q2', fname: 'Second' }), since: new Date('2024-05-02T02:00:00Z') },
		],
	},
	open: {
		count: 5,
		words: 'status=open',
		departments: [{ label: 'Sales', count: 3, words: 'status=open departmentId=d1' }, { count: 2 }],
		agents: [{ label: 'ana', count: 5, words: 'status=open agent=u1' }],
	},
	onhold: { count: 0, words: 'status=onhold', departments: [], agents: [] },
	closedToday: { count: 7, words: 'status=closed closed=2024-05-01T00:00-03:00..', since: new Date('2024-05-01T03:00:00Z') },
	siteUrl: 'https://chat.example.com',
};

describe('renderSummary', () => {
	it('in English and UTC-03:00: every line with its count, its button and its typed command', () => {
		const reply = renderSummary(SUMMARY, audience('en', -3));
		expect(reply.text.split('\n')).toEqual([
			'Livechat rooms · 2024-05-01 23:30 · Times are UTC-03:00.',
			'',
			`🟡 4 queued · longest wait 3h 12m → \`/livechat-rooms ${QUEUED_WORDS}\``,
			'   1. Long \\*Wait\\* · waiting 3h 12m · Sales · https://chat.example.com/live/Q1',
			'   2. Second · waiting 30m · https://chat.example.com/live/Q2',
			'',
			'🟢 5 open → `/livechat-rooms status=open`',
			'  by department:',
			'  • Sales: 3 → `/livechat-rooms status=open departmentId=d1`',
			'  • no department: 2',
			'  by agent:',
			'  • @ana: 5 → `/livechat-rooms status=open agent=u1`',
			'',
			'⏸ 0 on hold → `/livechat-rooms status=onhold`',
			'',
			'⚪ 7 closed today (since 2024-05-01 00:00) → `/livechat-rooms status=closed closed=2024-05-01T00:00-03:00..`',
			'',
			'Each line lists its rooms: press its button or type its command. `/livechat-rooms help` shows every key.',
		]);
		expect(buttons(reply)).toEqual([
			[ACTIONS.list, 'List', QUEUED_WORDS],
			[ACTIONS.list, 'List', 'status=open'],
			[ACTIONS.list, 'List', 'status=open departmentId=d1'],
			[ACTIONS.list, 'List', 'status=open agent=u1'],
			[ACTIONS.list, 'List', 'status=onhold'],
			[ACTIONS.list, 'List', 'status=closed closed=2024-05-01T00:00-03:00..'],
		]);
		// The longest waits are linked in the blocks; visitor text in a link is neutralised.
		expect(JSON.stringify(reply.blocks)).toContain('[Long ∗Wait∗](https://chat.example.com/live/Q1)');
		expect((reply.blocks as Json[]).every((block) => !block.appId || block.appId === 'app-1')).toBe(true);
	});

	it('in Portuguese', () => {
		const reply = renderSummary({ ...SUMMARY, scope: 'own', open: { ...SUMMARY.open, agents: [] } }, audience('pt-BR', 0));
		const lines = reply.text.split('\n');
		expect(lines[0]).toBe('Suas salas de livechat · 2024-05-02 02:30 · Horários em UTC.');
		expect(lines).toContain(`🟡 4 na fila · maior espera 3h 12m → \`/livechat-rooms ${QUEUED_WORDS}\``);
		expect(lines).toContain('  • sem departamento: 2');
		expect(lines).not.toContain('  por agente:');
		expect(buttons(reply).map(([, text]) => text)).toEqual(['Listar', 'Listar', 'Listar', 'Listar', 'Listar']);
	});
});

describe('the summary on plain rooms', () => {
	const roles: AccessRoles = { allRooms: new Set(['livechat-manager']), ownRooms: new Set(['livechat-agent']) };
	const manager: Caller = { id: 'm1', username: 'maria', roles: ['livechat-manager'] };
	const ana: Caller = { id: 'u1', username: 'ana', roles: ['livechat-agent'] };
	const departments: Record<string, DepartmentName> = { d1: { _id: 'd1', name: 'Sales' }, d2: { _id: 'd2', name: 'Support' } };
	const anaServes = { _id: 'u1', username: 'ana' };
	const bobServes = { _id: 'u2', username: 'bob' };
	const stored: RoomDocument[] = [
		room({ _id: 'A', open: true, servedBy: anaServes, departmentId: 'd1' }),
		room({ _id: 'B', open: true, servedBy: bobServes, departmentId: 'd1' }),
		room({ _id: 'C', open: true, servedBy: bobServes, departmentId: 'd2' }),
		room({ _id: 'D', open: true, onHold: true, servedBy: anaServes }),
		room({ _id: 'E', open: true, departmentId: 'd2', queuedAt: new Date('2024-05-01T20:00:00Z') }),
		room({ _id: 'F', open: true, queuedAt: new Date('2024-05-01T18:00:00Z') }),
		room({ _id: 'G', open: true, departmentId: 'd1', queuedAt: new Date('2024-05-02T01:00:00Z') }),
		room({ _id: 'H', open: true, departmentId: 'd1', queuedAt: new Date('2024-05-02T02:00:00Z') }),
		// Queued with no queuedAt: waiting since its creation (May 1st 10:00), the longest.
		room({ _id: 'L', open: true }),
		// Closed at May 2nd 00:00 UTC: May 1st 21:00 at UTC-03:00.
		room({ _id: 'I', servedBy: anaServes, closedAt: new Date('2024-05-02T00:00:00Z') }),
		// Closed at 02:59 UTC on May 1st: April 30th in São Paulo, May 1st in UTC.
		room({ _id: 'J', servedBy: bobServes, closedAt: new Date('2024-05-01T02:59:00Z') }),
		room({ _id: 'K', servedBy: bobServes, closedAt: new Date('2024-05-02T00:30:00Z') }),
	];
	const engineRooms = stored.map((r) => roomFromEngine(convertToEngine(r)));
	const sources = () =>
		fakeSources({
			roles: async () => roles,
			rooms: roomsOf(engineRooms),
			departments: async (idOrName) => departments[idOrName],
			siteUrl: async () => 'https://chat.example.com',
		});
	/** What `GET rooms/counts` answers for these parameters (over every room; scope given as `servedById`). */
	const endpointCounts = (params: Record<string, string>, servedById?: string) => {
		const parsed = parseRoomQuery(params);
		if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
		return countRooms(engineRooms, countFiltersFor(servedById ? { ...parsed.value, servedById } : parsed.value));
	};
	const linesOf = (reply: Reply) => reply.text.split('\n');

	it('counts what rooms/counts counts, for a manager', async () => {
		const reply = await answerCommand([], manager, sources(), audience('en', 0));
		const all = endpointCounts({});
		expect(all.status).toEqual({ queued: 5, open: 3, onhold: 1, closed: 3 });
		const lines = linesOf(reply);
		expect(lines).toContain(`🟡 ${all.status.queued} queued · longest wait 16h 30m → \`/livechat-rooms ${QUEUED_WORDS}\``);
		const linked = lines.filter((line) => /^ {3}\d\. /.test(line)).map((line) => /live\/(\w+)/.exec(line)?.[1]);
		expect(linked).toEqual(['L', 'F', 'E']);
		expect(all.waiting.longest?._id).toBe(linked[0]);
		expect(lines).toContain(`🟢 ${all.status.open} open → \`/livechat-rooms status=open\``);
		expect(lines).toContain('  • Sales: 2 → `/livechat-rooms status=open departmentId=d1`');
		expect(lines).toContain('  • @bob: 2 → `/livechat-rooms status=open agent=bob`');
		expect(lines).toContain(`⏸ ${all.status.onhold} on hold → \`/livechat-rooms status=onhold\``);
		expect(lines).toContain('  • no department: 1');
		const closedToday = endpointCounts({ open: 'false', closedAt: JSON.stringify({ start: '2024-05-02T00:00:00Z' }) });
		expect(closedToday.total).toBe(2);
		expect(lines).toContain('⚪ 2 closed today (since 2024-05-02 00:00) → `/livechat-rooms status=closed closed=2024-05-02T00:00+00:00..`');
	});

	it("starts today in the caller's zone", async () => {
		const reply = await answerCommand([], manager, sources(), audience('en', -3));
		// Since May 1st 00:00 at UTC-03:00 (03:00 UTC): I and K, not J.
		expect(linesOf(reply)).toContain('⚪ 2 closed today (since 2024-05-01 00:00) → `/livechat-rooms status=closed closed=2024-05-01T00:00-03:00..`');
		const east = await answerCommand([], manager, sources(), audience('en', 5.5));
		// Since May 2nd 00:00 at UTC+05:30 (May 1st 18:30 UTC): I and K.
		expect(linesOf(east)).toContain('⚪ 2 closed today (since 2024-05-02 00:00) → `/livechat-rooms status=closed closed=2024-05-02T00:00+05:30..`');
		const farWest = await answerCommand([], manager, sources(), audience('en', -12));
		// Since May 1st 00:00 at UTC-12:00 (12:00 UTC): I and K again; J (02:59 UTC) is April 30th there.
		expect(linesOf(farWest)).toContain('⚪ 2 closed today (since 2024-05-01 00:00) → `/livechat-rooms status=closed closed=2024-05-01T00:00-12:00..`');
	});

	it("counts only an agent's own rooms, as rooms/counts does for them", async () => {
		const reply = await answerCommand([], ana, sources(), audience('pt-BR', 0));
		const own = endpointCounts({}, 'u1');
		expect(own.status).toEqual({ queued: 0, open: 1, onhold: 1, closed: 1 });
		const lines = linesOf(reply);
		expect(lines[0]).toMatch(/^Suas salas de livechat · /);
		expect(lines).toContain(`🟡 0 na fila → \`/livechat-rooms ${QUEUED_WORDS}\``);
		expect(lines).toContain('🟢 1 abertas → `/livechat-rooms status=open`');
		expect(lines).toContain('⏸ 1 em espera → `/livechat-rooms status=onhold`');
		expect(lines).toContain('⚪ 1 fechadas hoje (desde 2024-05-02 00:00) → `/livechat-rooms status=closed closed=2024-05-02T00:00+00:00..`');
		expect(reply.text).not.toContain('bob');
	});

	it('refuses a caller without a role', async () => {
		const reply = await answerCommand([], { id: 'x', username: 'x', roles: ['user'] }, sources(), audience());
		expect(reply.text).toMatch(/^⚠️ You may not list livechat rooms/);
	});

	it('answers a source that is not ready with its message', async () => {
		const from = {
			...sources(),
			rooms: { current: async () => ({ ok: false as const, unavailable: { message: 'The index is being built.', retryAfter: 5 } }) },
		};
		expect((await answerCommand([], manager, from, audience())).text).toBe('⚠️ The index is being built.');
	});

	it('lists what each line says, typed', async () => {
		const reply = await answerCommand([], manager, sources(), audience('en', 0));
		const lines = (reply.blocks as Json[]).filter((block) => block.accessory?.type === 'button');
		expect(lines).toHaveLength(9);
		for (const line of lines) {
			const words: string = line.accessory.value;
			const shown = Number(/\*(\d+)\b/.exec(line.text.text)?.[1]);
			const list = await answerCommand(words.split(' '), manager, sources(), audience('en', 0));
			const total = /^No rooms/.test(list.text) ? 0 : Number(/^(\d+) rooms? match/.exec(list.text)?.[1]);
			expect([words, Number.isInteger(shown), total]).toEqual([words, true, shown]);
		}
	});
});
