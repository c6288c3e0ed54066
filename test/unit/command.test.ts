import { describe, expect, it } from '@jest/globals';

import type { AccessRoles, Caller, Scope } from '../../src/access/access';
import { agentsFor } from '../../src/access/access';
import { answerCommand, errorLine, FAILED } from '../../src/command/answerCommand';
import { rangeBound, rangeParam } from '../../src/command/grammar/dates';
import { nextPageCommand } from '../../src/command/grammar/paging';
import type { QueryRequest } from '../../src/command/grammar/parse';
import { parseCommand } from '../../src/command/grammar/parse';
import { splitWords } from '../../src/command/grammar/words';
import type { RoomsPage } from '../../src/command/reply';
import { escapeLinkText, escapeMarkdown, headerLine, plainAudience, renderError, renderHelp, renderRooms, visitorName } from '../../src/command/reply';
import { compactTime } from '../../src/command/viewer';
import type { RoomDocument } from '../../src/rooms/RoomDocument';
import type { DepartmentName } from '../../src/ports';
import type { Sources } from '../../src/ports';
import { roomFromEngine } from '../../src/rooms/fromEngine';
import { convertToEngine, fakeSources, roomsOf } from './fixtures';

/** What Rocket.Chat hands the app: the typed line split on single spaces. */
const typed = (line: string): string[] => (line === '' ? [] : line.split(' '));
const parse = (line: string) => parseCommand(typed(line));

function query(line: string): QueryRequest {
	const request = parse(line);
	if (request.kind !== 'query') throw new Error(`expected a query for ${line}, got ${JSON.stringify(request)}`);
	return request;
}
const params = (line: string) => query(line).params;
const errorOf = (line: string): string => {
	const request = parse(line);
	if (request.kind !== 'error') throw new Error(`expected an error for ${line}, got ${JSON.stringify(request)}`);
	return request.message;
};
const noticeOf = (line: string): string | undefined => {
	const request = parse(line);
	if (request.kind !== 'help') throw new Error(`expected help for ${line}, got ${JSON.stringify(request)}`);
	return request.notice;
};

describe('parseCommand: words', () => {
	it('with no words asks for the summary', () => {
		expect(parse('')).toEqual({ kind: 'summary', console: true });
		expect(parse('   ')).toEqual({ kind: 'summary', console: true });
	});

	it('panel asks for the console, summary for the summary as a message; either with more words is a list', () => {
		expect(parse('panel')).toEqual({ kind: 'summary', console: true });
		expect(parse('SUMMARY')).toEqual({ kind: 'summary', console: false });
		expect(parse('panel status=open').kind).toBe('help');
		expect(parse('"panel"').kind).toBe('help');
	});

	it.each(['list', 'LIST', 'list '])('%s alone asks for every room, 10 per page, newest first (the endpoint default order)', (line) => {
		expect(parse(line)).toEqual({
			kind: 'query',
			params: { count: '10', offset: '0' },
			departmentNames: [],
			agentMe: false,
			page: 1,
			count: 10,
			offset: 0,
			paging: 'page',
			words: [],
			zonedDates: false,
		});
	});

	it('re-joins values Rocket.Chat split on single spaces, keeping double spaces inside quotes', () => {
		expect(params('name="Marcos Defendi"').roomName).toBe('Marcos Defendi');
		expect(params('name="Marcos  Defendi"').roomName).toBe('Marcos  Defendi');
		expect(params('status=open   name="a b c"  tag=vip').roomName).toBe('a b c');
	});

	it('reads quotes anywhere in a word, curly quotes too, and \\" as a literal quote', () => {
		expect(params('"name=Marcos Defendi"').roomName).toBe('Marcos Defendi');
		expect(params('name=\u201cMarcos Defendi\u201d').roomName).toBe('Marcos Defendi');
		expect(params('name="\\"Marcos Defendi\\""').roomName).toBe('"Marcos Defendi"');
		expect(params('name=a\\\\b').roomName).toBe('a\\b');
	});

	it('splits words on any whitespace outside quotes', () => {
		expect(splitWords(' a=1\tb="x y"\n').words.map((w) => w.raw)).toEqual(['a=1', 'b="x y"']);
	});

	it('answers an unclosed quote with one line naming the key', () => {
		expect(errorOf('name="Marcos Defendi')).toBe('name has a " that is never closed; write values with spaces like name="Marcos Defendi"');
	});

	it('reads keys case-insensitively and keeps the key as typed in messages', () => {
		expect(params('STATUS=open Agent=ana DepartmentID=d1 RoomName=x')).toEqual({
			open: 'true',
			agents: ['ana'],
			departmentId: ['d1'],
			roomName: 'x',
			count: '10',
			offset: '0',
		});
		expect(errorOf('COUNT=0')).toBe('COUNT must be a whole number from 1 to 100');
	});
});

describe('parseCommand: help and unknown words', () => {
	it('answers help, whatever else is on the line', () => {
		expect(parse('help')).toEqual({ kind: 'help' });
		expect(parse('HELP')).toEqual({ kind: 'help' });
		expect(parse('?')).toEqual({ kind: 'help' });
		expect(parse('status=nonsense help')).toEqual({ kind: 'help' });
	});

	// A near key is offered at a distance of two at most; at the same distance, the command's own key before the
	// endpoint's, in the order of the key table (field.<key> among the command's own).
	it.each([
		['foo=1', 'Unknown key "foo".'],
		['stauts=open', 'Unknown key "stauts". Did you mean status?'],
		['agnet=me', 'Unknown key "agnet". Did you mean agent?'],
		['tagz=vip', 'Unknown key "tagz". Did you mean tag?'],
		['fieldz=1', 'Unknown key "fieldz". Did you mean field.<key>?'],
		['pages=2', 'Unknown key "pages". Did you mean page?'],
		['unit=x', 'Unknown key "unit". Did you mean units?'],
		['fields2=x', 'Unknown key "fields2".'],
	])('answers the unknown key in %s with help whose first line names it: %s', (words, notice) => {
		expect(noticeOf(words)).toBe(notice);
	});

	it('does not take keys from the object prototype', () => {
		expect(noticeOf('constructor=1')).toBe('Unknown key "constructor".');
		expect(noticeOf('__proto__=1')).toBe('Unknown key "__proto__".');
		expect(noticeOf('toString=x')).toMatch(/^Unknown key "toString"\./);
	});

	it('answers a bare word with help, suggesting status= for a status word', () => {
		expect(noticeOf('open')).toBe('"open" is not a key=value pair. Did you mean status=open?');
		expect(noticeOf('rooms')).toBe('"rooms" is not a key=value pair.');
	});
});

describe('parseCommand: status', () => {
	it('translates each status into the endpoint parameters', () => {
		expect(params('status=open')).toMatchObject({ open: 'true' });
		expect(params('status=closed')).toMatchObject({ open: 'false' });
		expect(params('status=queued')).toMatchObject({ queued: 'true' });
		expect(params('status=onhold')).toMatchObject({ onhold: 'true' });
		expect(params('status=all')).toEqual({ count: '10', offset: '0' });
		expect(params('status=OPEN')).toMatchObject({ open: 'true' });
	});

	it('refuses other values and conflicting ones, naming the key', () => {
		expect(errorOf('status=waiting')).toBe('status must be one of open, closed, queued, onhold, all');
		expect(errorOf('status=')).toBe('status must be one of open, closed, queued, onhold, all');
		expect(errorOf('status=open status=closed')).toBe('status=closed conflicts with status=open');
		expect(errorOf('status=open open=false')).toBe('open=false conflicts with status=open');
		expect(params('status=open status=open open=true')).toMatchObject({ open: 'true' });
	});
});

describe('parseCommand: agent', () => {
	it('flags me for the caller and takes usernames or ids, with or without @', () => {
		const request = query('agent=me,@ana agent=u1');
		expect(request.agentMe).toBe(true);
		expect(request.params.agents).toEqual(['ana', 'u1']);
		expect(query('agent=ME').agentMe).toBe(true);
		expect(query('agent=ME').params.agents).toBeUndefined();
	});

	it('accepts the endpoint name, also as a JSON array', () => {
		expect(params('agents=ana,bob')).toMatchObject({ agents: ['ana', 'bob'] });
		expect(params('agents=["ana","bob"]')).toMatchObject({ agents: ['ana', 'bob'] });
		expect(query('agents=me').agentMe).toBe(true);
	});

	it('refuses an empty or malformed value', () => {
		expect(errorOf('agent=')).toBe('agent must be usernames, user ids or me, separated by commas');
		expect(errorOf('agent=,')).toBe('agent must be usernames, user ids or me, separated by commas');
		expect(errorOf('agents=["ana"')).toBe('agents must be usernames, user ids or me, separated by commas');
	});
});

describe('parseCommand: department, tag, units', () => {
	it('collects department names (or ids) to resolve; departmentId passes ids as they are', () => {
		const request = query('department=Sales,"Key Accounts" department=d9 departmentId=d1');
		expect(request.departmentNames).toEqual(['Sales', 'Key Accounts', 'd9']);
		expect(request.params.departmentId).toEqual(['d1']);
	});

	it('takes tags from repeated keys and comma lists; a comma inside quotes belongs to the tag', () => {
		expect(params('tag=vip tag=billing,"a,b" tags=x')).toMatchObject({ tags: ['vip', 'billing', 'a,b', 'x'] });
		expect(params('tag=vip,,billing,')).toMatchObject({ tags: ['vip', 'billing'] });
		expect(errorOf('tag=')).toBe('tag must be tags, separated by commas');
	});

	it('passes units as a list', () => {
		expect(params('units=u1,u2')).toMatchObject({ units: ['u1', 'u2'] });
	});
});

describe('parseCommand: name', () => {
	it('is roomName, a substring unless the value itself is in quotes', () => {
		expect(params('name=Marcos')).toMatchObject({ roomName: 'Marcos' });
		expect(params('roomName="\\"Marcos\\""')).toMatchObject({ roomName: '"Marcos"' });
	});

	it('refuses an empty name and a second, different one', () => {
		expect(errorOf('name=')).toBe('name must be part of the visitor\'s name, like name="Marcos Defendi"');
		expect(errorOf('name=a name=b')).toBe('name=b conflicts with name=a');
		expect(errorOf('name=a roomName=b')).toBe('roomName=b conflicts with name=a');
	});
});

describe('parseCommand: created and closed', () => {
	const range = (line: string, param: 'createdAt' | 'closedAt' = 'createdAt') => JSON.parse(params(line)[param] as string);

	it('reads a date as the whole day in UTC: START from its first millisecond, END through its last', () => {
		expect(range('created=2024-05-01..2024-05-31')).toEqual({ start: '2024-05-01T00:00:00.000Z', end: '2024-05-31T23:59:59.999Z' });
		expect(range('created=2024-05-01')).toEqual({ start: '2024-05-01T00:00:00.000Z', end: '2024-05-01T23:59:59.999Z' });
	});

	it('leaves either side out', () => {
		expect(range('created=2024-05-01..')).toEqual({ start: '2024-05-01T00:00:00.000Z' });
		expect(range('closed=..2024-05-01', 'closedAt')).toEqual({ end: '2024-05-01T23:59:59.999Z' });
	});

	it('reads a month as the whole month, leap days included', () => {
		expect(range('created=2024-02')).toEqual({ start: '2024-02-01T00:00:00.000Z', end: '2024-02-29T23:59:59.999Z' });
		expect(range('created=2023-02..2023-03')).toEqual({ start: '2023-02-01T00:00:00.000Z', end: '2023-03-31T23:59:59.999Z' });
	});

	it('takes ISO-8601 times as given, reading a time without an offset as UTC', () => {
		expect(range('created=2024-05-01T09:30:15.250Z..2024-05-01T18:00+03:00')).toEqual({
			start: '2024-05-01T09:30:15.250Z',
			end: '2024-05-01T18:00+03:00',
		});
		expect(range('created=2024-05-01t09:30..')).toEqual({ start: '2024-05-01T09:30Z' });
		expect(range('created=2024-05-01T09:30-0300..')).toEqual({ start: '2024-05-01T09:30-03:00' });
		expect(range('created=2024-05-01T09:30+05..')).toEqual({ start: '2024-05-01T09:30+05:00' });
		expect(rangeBound('2024-05-01T09:30Z', 'end')).toBe('2024-05-01T09:30Z');
	});

	const notARange = (key: string) => `${key} must be START..END with dates like 2024-05-01 or 2024-05-01T09:00Z (either side may be left out)`;

	it.each(['..', '', 'yesterday', '2024-02-30', '2024-13', '2024-05-01..2024-04-30', '2024-05-01..x', '1..2..3', '2024-05-01T25:00', '05/01/2024'])(
		'refuses created=%s, naming the key',
		(bad) => {
			expect(errorOf(`created=${bad}`)).toBe(notARange('created'));
		},
	);

	it('names the key for closed too, and writes a one-day range as JSON', () => {
		expect(errorOf('closed=nope')).toBe(notARange('closed'));
		expect(rangeParam('2024-05-01..2024-05-01')).toBe('{"start":"2024-05-01T00:00:00.000Z","end":"2024-05-01T23:59:59.999Z"}');
	});

	it('passes the endpoint names through as JSON, quotes and all', () => {
		expect(params('createdAt={"start":"2024-05-01"}')).toMatchObject({ createdAt: '{"start":"2024-05-01"}' });
		expect(params('closedAt="{\\"end\\":\\"2024-05-01\\"}"')).toMatchObject({ closedAt: '{"end":"2024-05-01"}' });
		expect(errorOf('created=2024-05-01 createdAt={"start":"2024-01-01"}')).toBe('createdAt={"start":"2024-01-01"} conflicts with created=2024-05-01');
	});
});

describe('parseCommand: field.<key>', () => {
	it('builds customFields from every field.<key>, keeping the key as typed', () => {
		expect(JSON.parse(params('field.cpf=123 Field.Plan="Gold Plus"').customFields as string)).toEqual({ cpf: '123', Plan: 'Gold Plus' });
	});

	it('keeps odd keys as plain data', () => {
		const fields = JSON.parse(params('field.__proto__=x field.1=y').customFields as string);
		expect(Object.keys(fields)).toEqual(['1', '__proto__']);
		expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
	});

	it('refuses an empty key or value, conflicts, and mixing with customFields', () => {
		expect(errorOf('field.=1')).toBe("field.<key> needs the custom field's key, like field.cpf=123");
		expect(errorOf('field.cpf=')).toBe('field.cpf must be text the custom field contains, like field.cpf=123');
		expect(errorOf('field.cpf=1 field.cpf=2')).toBe('field.cpf=2 conflicts with field.cpf=1');
		expect(errorOf('field.cpf=1 customFields={"a":"b"}')).toBe('customFields={"a":"b"} conflicts with field.cpf=1');
		expect(errorOf('customFields={"a":"b"} field.cpf=1')).toBe('field.cpf=1 conflicts with customFields={"a":"b"}');
		expect(params('customFields={"a":"b"}')).toMatchObject({ customFields: '{"a":"b"}' });
	});
});

describe('parseCommand: sort', () => {
	it('turns -field into descending and keeps several keys in order', () => {
		expect(params('sort=-ts')).toMatchObject({ sort: '{"ts":-1}' });
		expect(params('sort=servedBy.username,-closedAt sort=+fname')).toMatchObject({ sort: '{"servedBy.username":1,"closedAt":-1,"fname":1}' });
	});

	it('reads the command key names as their fields', () => {
		expect(params('sort=-created,name,closed,Agent')).toMatchObject({ sort: '{"ts":-1,"fname":1,"closedAt":1,"servedBy.username":1}' });
	});

	it('passes the endpoint JSON form through', () => {
		expect(params('sort={"ts":1}')).toMatchObject({ sort: '{"ts":1}' });
	});

	it('refuses bad fields, a field twice and mixing forms', () => {
		const expected = 'sort must be field names, -field for descending, like sort=-ts';
		expect(errorOf('sort=')).toBe(expected);
		expect(errorOf('sort=-')).toBe(expected);
		expect(errorOf('sort=a..b')).toBe(expected);
		expect(errorOf('sort=ts,-ts')).toBe('sort names ts twice');
		expect(errorOf('sort=-created sort=ts')).toBe('sort names ts twice');
		expect(errorOf('sort=-ts sort={"ts":1}')).toBe('sort={"ts":1} conflicts with sort=-ts');
		expect(errorOf('sort={"ts":1} sort=-ts')).toBe('sort=-ts conflicts with sort={"ts":1}');
	});
});

describe('parseCommand: count, page and offset', () => {
	it('defaults to 10 per page and turns page into offset', () => {
		expect(query('page=3')).toMatchObject({ page: 3, count: 10, offset: 20, params: { count: '10', offset: '20' } });
		expect(query('count=25 page=2')).toMatchObject({ page: 2, count: 25, offset: 25 });
		expect(query('count=1')).toMatchObject({ count: 1 });
		expect(query('count=100')).toMatchObject({ count: 100 });
	});

	it.each(['0', '101', '1.5', '-1', 'ten', '', '1e2'])('refuses count=%s', (bad) => {
		expect(errorOf(`count=${bad}`)).toBe('count must be a whole number from 1 to 100');
	});

	it.each(['0', '-1', 'x', '', '9999999999999'])('refuses page=%s', (bad) => {
		expect(errorOf(`page=${bad}`)).toBe('page must be a whole number from 1');
	});

	it("accepts the endpoint's offset, but not with page", () => {
		expect(query('offset=25')).toMatchObject({ offset: 25, page: 3, paging: 'offset', params: { offset: '25' } });
		expect(errorOf('offset=-1')).toBe('offset must be a whole number from 0');
		expect(errorOf('page=2 offset=10')).toBe('use page or offset, not both');
		expect(errorOf('offset=10 page=2')).toBe('use page or offset, not both');
		expect(errorOf('count=5 count=6')).toBe('count=6 conflicts with count=5');
	});
});

describe('parseCommand: other endpoint names', () => {
	it('passes open, onhold and queued as typed', () => {
		expect(params('open=false onhold=1 queued=t')).toMatchObject({ open: 'false', onhold: '1', queued: 't' });
	});

	it('refuses fields: the reply shows the same columns whatever is asked', () => {
		expect(errorOf('fields={"fname":1}')).toBe(
			'fields is not available in the command: the reply always shows status, visitor, agent, department, times and tags',
		);
	});
});

describe('nextPageCommand', () => {
	it('repeats the words as typed, minus page, with the next page', () => {
		expect(nextPageCommand(query('status=open page=2'), 57)).toBe('/livechat-rooms status=open page=3');
		expect(nextPageCommand(query('name="Marcos Defendi"  TAG=vip'), 57)).toBe('/livechat-rooms name="Marcos Defendi" TAG=vip page=2');
	});

	it('follows offset paging when the caller used offset', () => {
		expect(nextPageCommand(query('offset=5 count=10'), 57)).toBe('/livechat-rooms count=10 offset=15');
	});

	it('is absent on the last page', () => {
		expect(nextPageCommand(query('page=6'), 57)).toBeUndefined();
		expect(nextPageCommand(query('page=5'), 50)).toBeUndefined();
		expect(nextPageCommand(query('list'), 0)).toBeUndefined();
	});
});

describe('agentsFor', () => {
	const caller: Caller = { id: 'u1', username: 'ana', roles: ['livechat-agent'] };
	const agentsOf = (request: QueryRequest, who: Caller, scope: Scope) => agentsFor(who, scope, request.params.agents, request.agentMe);

	it('lets all-rooms callers ask for anyone, or no one', () => {
		expect(agentsOf(query('list'), caller, 'all')).toEqual({ ok: true, agents: undefined });
		expect(agentsOf(query('agent=bob,me'), caller, 'all')).toEqual({ ok: true, agents: ['bob', 'u1'] });
	});

	it('holds own-room callers to their rooms: implied when absent, refused for another agent', () => {
		expect(agentsOf(query('list'), caller, 'own')).toEqual({ ok: true, agents: ['u1'] });
		expect(agentsOf(query('agent=me'), caller, 'own')).toEqual({ ok: true, agents: ['u1'] });
		expect(agentsOf(query('agent=@ana'), caller, 'own')).toEqual({ ok: true, agents: ['ana'] });
		expect(agentsOf(query('agent=bob'), caller, 'own')).toEqual({
			ok: false,
			message: 'You may only list your own rooms: leave agent out, or write agent=me.',
		});
		expect(agentsOf(query('agent=me,bob'), caller, 'own').ok).toBe(false);
	});

	it('refuses callers with no room role', () => {
		expect(agentsOf(query('agent=me'), caller, 'none').ok).toBe(false);
	});
});

// ---------------------------------------------------------------------------------------------------------------

const room = (fields: Partial<RoomDocument>): RoomDocument => ({ _id: 'r1', t: 'l', ...fields });

const marcos = room({
	_id: 'R1',
	fname: 'Marcos Defendi',
	v: { _id: 'v1', username: 'guest-1' },
	servedBy: { _id: 'u1', username: 'ana' },
	open: true,
	ts: new Date('2024-05-01T14:03:59Z'),
	tags: ['vip', 'billing'],
	departmentId: 'd1',
	department: { _id: 'd1', name: 'Sales' },
});
const queuedGuest = room({ _id: 'R2', v: { username: 'guest-2' }, open: true, ts: new Date('2024-05-02T08:00:00Z') });
const heldRoom = room({ _id: 'R3', fname: 'Held', open: true, onHold: true, servedBy: { _id: 'u1', username: 'ana' } });
const closedRoom = room({
	_id: 'R4',
	fname: 'Closed One',
	servedBy: { _id: 'u2', username: 'bob' },
	ts: new Date('2024-04-30T23:59:00Z'),
	closedAt: new Date('2024-05-01T00:10:00Z'),
});

const page = (overrides: Partial<RoomsPage>): RoomsPage => ({
	rooms: [marcos],
	total: 1,
	offset: 0,
	count: 10,
	siteUrl: 'https://chat.example.com',
	...overrides,
});

describe('reply pieces', () => {
	it('shows each room with the status its filter gives it: a closed room still marked on hold is on hold, as onhold=true lists it', () => {
		const stale = room({
			_id: 'R5',
			fname: 'Stale Hold',
			onHold: true,
			servedBy: { _id: 'u2', username: 'bob' },
			closedAt: new Date('2024-05-01T00:10:00Z'),
		});
		const odd = room({ _id: 'R6', fname: 'No Status', open: false });
		const lines = renderRooms(page({ rooms: [marcos, queuedGuest, heldRoom, closedRoom, stale, odd], total: 6, siteUrl: '' })).text.split('\n');
		const rowOf = (name: string): string => lines.find((line) => line.includes(name)) ?? '';
		expect(rowOf('Marcos Defendi')).toMatch(/^🟢 .* · open · /);
		expect(rowOf('guest-2')).toMatch(/^🟡 .* · queued · /);
		expect(rowOf('Held')).toMatch(/^⏸ .* · on hold/);
		expect(rowOf('Closed One')).toMatch(/^⚪ .* · closed · /);
		expect(rowOf('Stale Hold')).toMatch(/^⏸ Stale Hold · @bob · on hold · closed 2024-05-01 00:10$/);
		// `open: false` with no agent passes none of the filters: no status word, a neutral marker.
		expect(rowOf('No Status')).toBe('▫️ No Status · no agent');
	});

	it('names the visitor by fname, then the visitor username', () => {
		expect(visitorName(marcos)).toBe('Marcos Defendi');
		expect(visitorName(queuedGuest)).toBe('guest-2');
		expect(visitorName(room({ fname: ' ', v: { username: 'guest-3' } }))).toBe('guest-3');
		expect(visitorName(room({}))).toBe('unnamed visitor');
	});

	it('writes times compactly in UTC', () => {
		expect(compactTime(new Date('2024-05-01T14:03:59.999Z'))).toBe('2024-05-01 14:03');
		expect(compactTime('2024-05-01T23:30:00-03:00')).toBe('2024-05-02 02:30');
		expect(compactTime(undefined)).toBeUndefined();
		expect(compactTime('not a date')).toBeUndefined();
	});

	it('words the header for none, one, a page, a single room and a page past the end', () => {
		expect(headerLine(0, 0, 0, 10)).toBe('No rooms match.');
		expect(headerLine(1, 0, 1, 10)).toBe('1 room matches.');
		expect(headerLine(57, 10, 10, 10)).toBe('57 rooms match, showing 11-20.');
		expect(headerLine(57, 50, 7, 10)).toBe('57 rooms match, showing 51-57.');
		expect(headerLine(57, 56, 1, 1)).toBe('57 rooms match, showing room 57.');
		expect(headerLine(57, 90, 0, 10)).toBe('57 rooms match, none from 91 on (the last page is 6).');
		expect(headerLine(57, 95, 0, 10)).toBe('57 rooms match, none from 96 on.');
	});
});

describe('escaping visitor text', () => {
	const ZWSP = '\u200b';

	it('backslash-escapes the characters the parser lets escape, inline', () => {
		expect(escapeMarkdown('*bold* _it_ ~s~ `c` #chan evil.com')).toBe('\\*bold\\* \\_it\\_ \\~s\\~ \\`c\\` \\#chan evil\\.com');
	});

	it('breaks links, mentions, emoji codes, KaTeX and phone links with an invisible space', () => {
		expect(escapeMarkdown('[x](http://e) <u|t> @all :smile: \\(x\\) +55')).toBe(
			`[x]${ZWSP}(http:${ZWSP}//e) <${ZWSP}u|t> @${ZWSP}all :${ZWSP}smile:${ZWSP} \\${ZWSP}(x\\${ZWSP}) +${ZWSP}55`,
		);
	});

	it('keeps visitor text on one line', () => {
		expect(escapeMarkdown('a\n# b\r\n> c')).toBe('a \\# b > c');
		expect(escapeLinkText('a\u2028b')).toBe('a b');
	});

	it('inside link text, swaps emphasis characters for look-alikes and breaks ](', () => {
		expect(escapeLinkText('*a* ~b~ _c_ x](http://e)')).toBe(`∗a∗ ∼b∼ ˍc_ x]${ZWSP}(http://e)`);
		expect(escapeLinkText('guest_123 Ana')).toBe('guest_123 Ana');
	});
});

describe('renderRooms', () => {
	it('shows the header, one linked entry per room, Previous / Next and the next page command, in blocks and text', () => {
		const reply = renderRooms(
			page({
				rooms: [marcos, queuedGuest],
				total: 57,
				offset: 10,
				count: 2,
				previousPage: 'status=open page=5',
				nextPage: 'status=open page=7',
				audience: { ...plainAudience(), appId: 'app-1' },
			}),
		);
		const pageButton = (actionId: string, text: string, value: string) => ({
			type: 'button',
			appId: 'app-1',
			blockId: 'livechat-rooms.pages',
			actionId,
			text: { type: 'plain_text', text, emoji: true },
			value,
		});
		expect(reply.blocks).toEqual([
			{ type: 'section', text: { type: 'mrkdwn', text: '*57 rooms match, showing 11-12.*' } },
			{ type: 'context', elements: [{ type: 'mrkdwn', text: 'Times are UTC.' }] },
			{ type: 'divider' },
			{ type: 'section', text: { type: 'mrkdwn', text: '🟢 [Marcos Defendi](https://chat.example.com/live/R1) · @ana · Sales' } },
			{ type: 'context', elements: [{ type: 'mrkdwn', text: 'open · created 2024-05-01 14:03 · tags: vip, billing' }] },
			{ type: 'section', text: { type: 'mrkdwn', text: '🟡 [guest-2](https://chat.example.com/live/R2) · waiting for an agent' } },
			{ type: 'context', elements: [{ type: 'mrkdwn', text: 'queued · created 2024-05-02 08:00' }] },
			{ type: 'divider' },
			{
				type: 'actions',
				appId: 'app-1',
				blockId: 'livechat-rooms.pages',
				elements: [
					pageButton('livechat-rooms.previous', 'Previous', 'status=open page=5'),
					pageButton('livechat-rooms.next', 'Next', 'status=open page=7'),
				],
			},
			{ type: 'context', elements: [{ type: 'mrkdwn', text: 'Next page: `/livechat-rooms status=open page=7`' }] },
		]);
		expect(reply.text).toBe(
			[
				'57 rooms match, showing 11-12. Times are UTC.',
				'',
				'🟢 Marcos Defendi · @ana · Sales · open · created 2024-05-01 14:03 · tags: vip, billing · https://chat.example.com/live/R1',
				'🟡 guest-2 · waiting for an agent · queued · created 2024-05-02 08:00 · https://chat.example.com/live/R2',
				'',
				'Next page: `/livechat-rooms status=open page=7`',
			].join('\n'),
		);
	});

	it('marks on hold and closed rooms, with closing times', () => {
		const reply = renderRooms(page({ rooms: [heldRoom, closedRoom], total: 2 }));
		const texts = reply.blocks.map((block) =>
			'text' in block && block.text ? block.text.text : 'elements' in block ? block.elements.map((e) => ('text' in e ? e.text : '')).join() : '',
		);
		expect(texts).toContain('⏸ [Held](https://chat.example.com/live/R3) · @ana');
		expect(texts).toContain('on hold');
		expect(texts).toContain('⚪ [Closed One](https://chat.example.com/live/R4) · @bob');
		expect(texts).toContain('closed · created 2024-04-30 23:59 · closed 2024-05-01 00:10');
		expect(reply.text).not.toContain('Next page');
	});

	it('escapes visitor-controlled names and tags', () => {
		const evil = room({ _id: 'R9', fname: '[click](http://evil.com) *x*', open: true, servedBy: { _id: 'u', username: 'ana' }, tags: ['@all'] });
		const reply = renderRooms(page({ rooms: [evil] }));
		expect(JSON.stringify(reply.blocks)).not.toContain('[click](http');
		expect(reply.text).not.toContain('[click](http');
		expect(reply.text).not.toContain('*x*');
		expect(reply.text).toContain('@\u200ball');
	});

	it('answers no rooms with the header alone', () => {
		const reply = renderRooms(page({ rooms: [], total: 0 }));
		expect(reply).toEqual({ text: 'No rooms match.', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*No rooms match.*' } }] });
	});

	it('leaves the links out when the site URL is unknown', () => {
		const reply = renderRooms(page({ siteUrl: '' }));
		expect(JSON.stringify(reply.blocks)).toContain('🟢 Marcos Defendi · @ana · Sales');
		expect(reply.text).not.toContain('/live/');
	});

	it('encodes the room id in the link', () => {
		expect(renderRooms(page({ rooms: [room({ _id: 'a b)', open: true })] })).text).toContain('https://chat.example.com/live/a%20b%29');
	});
});

describe('renderHelp and renderError', () => {
	it('shows usage, every key and three examples, with the notice first', () => {
		const help = renderHelp('Unknown key "foo".');
		const lines = help.text.split('\n');
		expect(lines[0]).toBe('⚠️ Unknown key "foo".');
		for (const key of ['status', 'agent', 'department', 'tag', 'name', 'created', 'closed', 'field.<key>', 'sort', 'count', 'page']) {
			expect(help.text).toContain(`\`${key}\``);
		}
		expect(help.text.split('\n').filter((line) => line.startsWith('• `/livechat-rooms'))).toHaveLength(3);
		expect(help.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '⚠️ Unknown key "foo".' } });
		expect(renderHelp().text.startsWith('*Usage:*')).toBe(true);
	});

	it('answers an error with one line', () => {
		expect(renderError('count must be a whole number from 1 to 100')).toEqual({
			text: '⚠️ count must be a whole number from 1 to 100',
			blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '⚠️ count must be a whole number from 1 to 100' } }],
		});
	});
});

// ---------------------------------------------------------------------------------------------------------------

describe('answerCommand on plain data', () => {
	const roles: AccessRoles = { allRooms: new Set(['admin', 'livechat-manager']), ownRooms: new Set(['livechat-agent']) };
	const manager: Caller = { id: 'm1', username: 'maria', roles: ['livechat-manager'] };
	const agent: Caller = { id: 'u1', username: 'ana', roles: ['livechat-agent'] };
	const departments: Record<string, DepartmentName> = { d1: { _id: 'd1', name: 'Sales' }, Sales: { _id: 'd1', name: 'Sales' } };
	const withoutDepartment = ({ department: _department, ...rest }: RoomDocument): RoomDocument => rest;
	const stored: RoomDocument[] = [
		withoutDepartment(marcos),
		queuedGuest,
		heldRoom,
		{ ...closedRoom, departmentId: 'd1' },
		room({ _id: 'R5', fname: 'Bruna', open: true, servedBy: { _id: 'u2', username: 'bob' }, ts: new Date('2024-05-03T10:00:00Z') }),
	];
	const sources = (siteUrl = 'https://chat.example.com/') =>
		fakeSources({
			roles: async () => roles,
			rooms: roomsOf(stored.map((r) => roomFromEngine(convertToEngine(r)))),
			departments: async (idOrName) => departments[idOrName],
			siteUrl: async () => siteUrl.replace(/\/+$/, ''),
		});
	const run = (line: string, caller = manager, from: Sources = sources()) => answerCommand(typed(line), caller, from);

	it("answers a manager's status=open with the open rooms, newest first, and the next page", async () => {
		const reply = await run('status=open count=1');
		expect(reply.text.split('\n')[0]).toBe('2 rooms match, showing room 1. Times are UTC.');
		expect(reply.text).toContain('🟢 Bruna · @bob');
		expect(reply.text).toContain('Next page: `/livechat-rooms status=open count=1 page=2`');
	});

	it('resolves department names, and names one that does not exist', async () => {
		const reply = await run('department=Sales');
		expect(reply.text.split('\n')[0]).toBe('2 rooms match, showing 1-2. Times are UTC.');
		expect(reply.text).toContain('Marcos Defendi · @ana · Sales');
		expect((await run('department=Nope')).text).toBe('⚠️ department "Nope" not found');
	});

	it("scopes an agent to their rooms, and refuses another agent's", async () => {
		const own = await run('list', agent);
		expect(own.text.split('\n')[0]).toBe('2 rooms match, showing 1-2. Times are UTC.');
		expect((await run('agent=bob', agent)).text).toBe('⚠️ You may only list your own rooms: leave agent out, or write agent=me.');
		expect((await run('', { ...agent, roles: ['user'] })).text).toContain('You may not list livechat rooms');
	});

	it("turns the endpoint parser's refusals into one line", async () => {
		expect((await run('createdAt={nope')).text).toBe('⚠️ The "createdAt" query parameter must be a valid JSON.');
		expect((await run('sort={"ts":2}')).text).toBe('⚠️ Invalid sort parameter provided: "{"ts":2}"');
		expect(errorLine('count must be a non-negative integer [invalid-params]')).toBe('count must be a non-negative integer');
	});

	it('answers help and grammar errors without reading anything', async () => {
		const untouchable: Sources = {
			roles: () => Promise.reject(new Error('read')),
			rooms: { current: () => Promise.reject(new Error('read')) },
			departments: () => Promise.reject(new Error('read')),
			siteUrl: () => Promise.reject(new Error('read')),
			enabledDepartments: () => Promise.reject(new Error('read')),
			logError: () => {
				throw new Error('nothing to log');
			},
		};
		expect((await run('help', manager, untouchable)).text).toContain('*Usage:*');
		expect((await run('count=0', manager, untouchable)).text).toBe('⚠️ count must be a whole number from 1 to 100');
	});
});

describe('answerCommand fails closed and logs', () => {
	const manager: Caller = { id: 'm1', username: 'maria', roles: ['livechat-manager'] };
	const sources = () =>
		fakeSources({
			roles: async () => ({ allRooms: new Set(['livechat-manager']), ownRooms: new Set() }),
			rooms: roomsOf([]),
			departments: async () => undefined,
		});

	it('refuses with one line when the role settings cannot be read, and logs why', async () => {
		const broken = new Error('settings store down');
		const from = { ...sources(), roles: () => Promise.reject(broken) };
		const logged: unknown[] = [];
		expect(await answerCommand(['status=open'], manager, { ...from, logError: (_message, error) => logged.push(error) })).toEqual(renderError(FAILED));
		expect(logged).toEqual([broken]);
	});

	it('answers a search that throws with one line, and logs the error', async () => {
		const broken = new Error('search bug');
		const from = sources();
		expect(await answerCommand([], manager, { ...from, rooms: { current: () => Promise.reject(broken) } })).toEqual(renderError(FAILED));
		expect(from.logged).toEqual([['/livechat-rooms failed', broken]]);
	});

	it('logs nothing for a refusal of what the caller typed', async () => {
		const from = sources();
		expect((await answerCommand(['count=0'], manager, from)).text).toBe('⚠️ count must be a whole number from 1 to 100');
		expect((await answerCommand(['sort={"ts":2}'], manager, from)).text).toBe('⚠️ Invalid sort parameter provided: "{"ts":2}"');
		expect(from.logged).toEqual([]);
	});
});
