/**
 * The console's pure parts (src/command/console.ts): how a filter's value edits the words, how the words travel in
 * block ids, and the grammar's reading of dates in the caller's zone and its problems in the caller's language.
 */
import { describe, expect, it } from '@jest/globals';

import { answerCommand } from '../../src/command/answerCommand';
import { answerConsole, editWords, FILTERS, quoted, wordsOfBlock } from '../../src/command/console';
import { rangeBound } from '../../src/command/grammar/dates';
import type { QueryRequest } from '../../src/command/grammar/parse';
import { parseCommand } from '../../src/command/grammar/parse';
import { problemText } from '../../src/command/grammar/problems';
import { splitWords } from '../../src/command/grammar/words';
import { viewerOf } from '../../src/command/viewer';
import { fakeSources, roomsOf } from './fixtures';

const edited = (base: string, filter: Parameters<typeof editWords>[1], value: unknown): string | undefined => {
	const edit = editWords(base, filter, value);
	return edit.ok ? edit.words : undefined;
};

describe('a filter edits the words it stands for', () => {
	it.each([
		['status=open page=3', FILTERS.status, 'closed', 'status=closed'],
		['open=true agent=bob', FILTERS.status, 'queued', 'agent=bob status=queued'],
		['status=open', FILTERS.status, 'all', ''],
		['department=Sales tag=vip', FILTERS.department, 'd-support', 'tag=vip departmentId=d-support'],
		['departmentId=d1', FILTERS.department, '', ''],
		['agents=u1,u2', FILTERS.agent, 'alice', 'agent=alice'],
		['tag=vip', FILTERS.tags, ['a b', 'c,d', 'e'], 'tag="a b","c,d",e'],
		['tag=vip', FILTERS.tags, [], ''],
		['created=2024-05-01..2024-05-31', FILTERS.createdEnd, '2024-06-30', 'created=2024-05-01..2024-06-30'],
		['created=2024-05', FILTERS.createdStart, '', 'created=..2024-05'],
		['closed=2024-05-01T00:00-03:00..', FILTERS.closedStart, '', ''],
		['closedAt={"start":"2024-05-01T00:00:00Z"}', FILTERS.closedEnd, '2024-05-02', 'closed=2024-05-01T00:00:00Z..2024-05-02'],
		['status=open', FILTERS.name, 'Marcos "the" Defendi', 'status=open name="Marcos \\"the\\" Defendi"'],
		['name=Ana', FILTERS.name, '  ', ''],
		['sort=-ts', FILTERS.sort, 'queuedAt,created', 'sort=queuedAt,created'],
	])('%s, %s = %j: %s', (base, filter, value, words) => {
		expect(edited(base, filter, value)).toBe(words);
	});

	it.each<[Parameters<typeof editWords>[1], unknown, string?]>([
		[FILTERS.status, 'everything'],
		[FILTERS.createdStart, 'yesterday'],
		[FILTERS.sort, '{"ts":1}'],
		[FILTERS.tags, [{ $ne: 1 }]],
		[FILTERS.name, 'line\nbreak'],
		[FILTERS.agent, 'x'.repeat(201)],
		// The words themselves cannot be read.
		[FILTERS.status, 'open', 'name="open'],
	])('refuses what no element could send: %s = %j', (filter, value, base = '') => {
		expect(edited(base, filter, value)).toBeUndefined();
	});

	it('quotes what the grammar would split, and the grammar reads it back', () => {
		for (const value of ['plain', 'two words', 'a,b', 'say "hi"', 'back\\slash', 'k=v']) {
			const words = `name=${quoted(value)}`;
			const request = parseCommand(words.split(' '));
			expect([value, request.kind === 'query' ? request.params.roomName : request]).toEqual([value, value]);
		}
		expect(splitWords('tag="a,b",c').words).toHaveLength(1);
	});

	it('reads words back from block ids only when the id is the console filters', () => {
		expect(wordsOfBlock('livechat-rooms.filters.3|status=open agent=bob')).toBe('status=open agent=bob');
		expect(wordsOfBlock('livechat-rooms.filters.1|')).toBe('');
		expect(wordsOfBlock('livechat-rooms.pages')).toBeUndefined();
		expect(wordsOfBlock(42)).toBeUndefined();
	});
});

describe("dates in the caller's zone", () => {
	it('reads a day, a month and a time without offset at the offset given, and a time with one as written', () => {
		expect(rangeBound('2024-05-01', 'start', -180)).toBe('2024-05-01T00:00:00.000-03:00');
		expect(rangeBound('2024-05', 'end', -180)).toBe('2024-05-31T23:59:59.999-03:00');
		expect(rangeBound('2024-05-01T09:00', 'start', 330)).toBe('2024-05-01T09:00+05:30');
		expect(rangeBound('2024-05-01T09:00Z', 'start', -180)).toBe('2024-05-01T09:00Z');
		expect(rangeBound('2024-05-01', 'start')).toBe('2024-05-01T00:00:00.000Z');
	});

	it('says when it read a date in the zone', () => {
		const read = (words: string) => parseCommand(words.split(' '), { offsetMinutes: -180 }) as QueryRequest;
		expect(read('created=2024-05-01').zonedDates).toBe(true);
		expect(JSON.parse(read('created=2024-05-01').params.createdAt ?? '')).toEqual({
			start: '2024-05-01T00:00:00.000-03:00',
			end: '2024-05-01T23:59:59.999-03:00',
		});
		expect(read('created=2024-05-01T00:00Z..').zonedDates).toBe(false);
		expect(read('status=open').zonedDates).toBe(false);
	});

	it("the list says so, in the caller's words", async () => {
		const sources = fakeSources({
			roles: async () => ({ allRooms: new Set(['livechat-manager']), ownRooms: new Set(['livechat-agent']) }),
			rooms: roomsOf([{ _id: 'R1', t: 'l', fname: 'Ana', ts: new Date('2024-05-01T02:00:00Z'), open: true, servedBy: { _id: 'u1', username: 'ana' } }]),
			departments: async () => undefined,
		});
		const manager = { id: 'u-m', username: 'm', roles: ['livechat-manager'] };
		const at = (language: string) => ({ viewer: viewerOf(language, -3, new Date('2024-05-02T00:00:00Z')), appId: 'app' });
		// 02:00 UTC on May 1st is still April 30th at UTC-03:00.
		expect((await answerCommand(['created=2024-04-30'], manager, sources, at('en'))).text).toMatch(
			/^1 room matches\. Times are UTC-03:00, and so are the dates you gave\./,
		);
		expect((await answerCommand(['created=2024-05-01'], manager, sources, at('en'))).text).toMatch(/^No rooms match\./);
		expect((await answerCommand(['created=2024-04-30'], manager, sources, at('pt-BR'))).text).toContain(
			'Horários em UTC-03:00, assim como as datas informadas.',
		);
	});
});

describe("problems and refusals in the caller's language", () => {
	const pt = { language: 'pt-BR' as const };
	it.each([
		['count=0', 'count deve ser um número inteiro de 1 a 100'],
		['status=maybe', 'status deve ser um de open, closed, queued, onhold, all'],
		['page=1 offset=0', 'use page ou offset, não os dois'],
		['name="open', 'name tem uma " que nunca fecha; escreva valores com espaços como name="Marcos Defendi"'],
		['sttaus=open', 'Chave desconhecida "sttaus". Quis dizer status?'],
		['zzzzzz=1', 'Chave desconhecida "zzzzzz".'],
	])('%s', (words, line) => {
		const request = parseCommand(words.split(' '));
		const found = request.kind === 'error' || request.kind === 'help' ? request.problem : undefined;
		expect(found && problemText(found, pt)).toBe(line);
	});

	it("an agent's forged agent= and a user without a role are refused in their language", async () => {
		const sources = fakeSources({
			roles: async () => ({ allRooms: new Set(['livechat-manager']), ownRooms: new Set(['livechat-agent']) }),
			rooms: roomsOf([]),
			departments: async () => undefined,
		});
		const audience = { viewer: viewerOf('pt-BR', 0, new Date(0)), appId: 'app' };
		const alice = { id: 'u-a', username: 'alice', roles: ['livechat-agent'] };
		expect((await answerCommand(['agent=bob'], alice, sources, audience)).text).toBe(
			'⚠️ Você só pode listar as suas próprias salas: deixe agent de fora, ou escreva agent=me.',
		);
		const view = await answerConsole('', { id: 'u-c', username: 'carol', roles: ['user'] }, sources, audience);
		expect(JSON.stringify(view.blocks)).toContain('Você não pode listar salas de livechat');
	});
});

describe("the summary's agents in the words its buttons carry", () => {
	it('by username where it is unambiguous, by id where another agent has it or it is an id', async () => {
		const served = (id: string, username: string, i: number) => ({
			_id: `R${i}`,
			t: 'l',
			fname: `V${i}`,
			ts: new Date(Date.UTC(2024, 4, 1, i)),
			open: true,
			servedBy: { _id: id, username },
		});
		const sources = fakeSources({
			roles: async () => ({ allRooms: new Set(['livechat-manager']), ownRooms: new Set(['livechat-agent']) }),
			rooms: roomsOf([served('u1', 'ana', 1), served('u2', 'sam', 2), served('u3', 'sam', 3), served('u4', 'u1', 4)]),
			departments: async () => undefined,
		});
		const reply = await answerCommand(['summary'], { id: 'u-m', username: 'm', roles: ['livechat-manager'] }, sources);
		const words = reply.blocks.flatMap((block) => (block.type === 'section' && block.accessory?.type === 'button' ? [block.accessory.value] : []));
		// ana's username is hers alone; sam's is two agents'; u4's username, "u1", is ana's id: `agent=` matches either.
		expect(words.filter((value) => value?.includes('agent='))).toEqual([
			'status=open agent=ana',
			'status=open agent=u2',
			'status=open agent=u3',
			'status=open agent=u4',
		]);
	});

	it('by username when nothing clashes', async () => {
		const sources = fakeSources({
			roles: async () => ({ allRooms: new Set(['livechat-manager']), ownRooms: new Set(['livechat-agent']) }),
			rooms: roomsOf([{ _id: 'R1', t: 'l', fname: 'V', ts: new Date(0), open: true, servedBy: { _id: 'u1', username: 'ana' } }]),
			departments: async () => undefined,
		});
		const reply = await answerCommand(['summary'], { id: 'u-m', username: 'm', roles: ['livechat-manager'] }, sources);
		expect(reply.text).toContain('`/livechat-rooms status=open agent=ana`');
	});
});
