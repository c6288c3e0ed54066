/**
 * Property-based fuzzing of the endpoint's raw query string and of the slash command's words against the real
 * workspace (fixed seeds, bounded runs): whatever arrives, the answer keeps to the contract (`contract.ts`), nothing
 * answers 500, the app logs no error, stays enabled, and its Deno runtime never restarts.
 *
 * Query strings are built as text, so the host's own `qs` parser sees brackets, deep nesting, repeated keys,
 * prototype names and broken percent-encoding exactly as a client would send them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { demoData } from '../../workspace/data/demo';
import type { Scope } from './contract';
import { PARAMETERS, commandProblem, endpointProblem, namedParameter, replyKind, scopeOfRoles } from './contract';
import type { Answer } from './harness';
import { Robust } from './harness';

const SEED = 20261106;
/** A property stops (and fails) when it runs longer than this; each test's own limit is a little above. */
const PROPERTY_LIMIT_MS = 200000;
const TEST_LIMIT_MS = PROPERTY_LIMIT_MS + 30000;
/** Past this, Node's HTTP server refuses the request line itself (431) before the app is asked. */
const HOST_URL_LIMIT = 15000;

/**
 * `endOnFailure` for properties over a fixed list of huge inputs: nothing to shrink, and when one input hangs the
 * runtime, the inputs tried after it fail too, so only the first failure names the culprit.
 */
const settings = <T>(numRuns: number, endOnFailure = false): fc.Parameters<T> => ({
	seed: SEED,
	numRuns,
	endOnFailure,
	plugins: [fc.interruptAfterTimeLimit(PROPERTY_LIMIT_MS, { failOnInterrupt: true }) as fc.Plugin<T>],
});

// ---------------------------------------------------------------------------------------------------------------
// Pieces of query strings

const PROTOTYPE_KEYS = [
	'__proto__',
	'constructor',
	'prototype',
	'hasOwnProperty',
	'toString',
	'valueOf',
	'isPrototypeOf',
	'__defineGetter__',
	'__lookupSetter__',
];

// prettier-ignore
const SUFFIXES = [
	'', '', '', '', '[]', '[]', '[0]', '[1]', '[25]', '[99999]', '[x]', '[__proto__]', '[constructor]', '[prototype]', '[hasOwnProperty]',
	'[length]', '[a][b][c][d]', '[a][b][c][d][e][f][g][h]', '[][]', '[0][0]', '[0][x]', '[', ']', '[]]', '[[]', '%5B%5D', '%5B0%5D', '[start]',
	'[$gt]', '[].x', '.x',
];

// prettier-ignore
const NASTY_VALUES = [
	'', ' ', 'true', 'false', 'TRUE', '1', '0', 't', 'yes', '-1', '-0', '+5', '1.5', '1e2', '1e400', '-1e400', 'NaN', 'Infinity', '-Infinity',
	'0x10', '0b1', '9007199254740993', '99999999999999999999999999', '100', '101', '1000000', ' 7', '7 ', 'null', 'undefined', '[]', '{}',
	'[null]', '[1,2]', '[{}]', '[[]]', '[true]', '["a","b"]', "['rocket', 'chat']", '[rocket, chat]', "['unclosed", '[', ']', '{', '}', '{"', '"',
	'""', '"Marcos"', '"', '{"start":"2024-01-01"}', '{"start":"2024-13-45"}', '{"end":"not a date"}', '{"start":null,"end":""}',
	'{"start":1}', '{"start":{"$gt":""}}', '{"start":"2024-01-01","end":"2023-01-01"}', '{"start":"-271821-04-20T00:00:00.000Z"}',
	'{"end":"+275760-09-13T00:00:00.001Z"}', '{"ts":-1}', '{"ts":2}', '{"ts":"-1"}', '{"":1}', '{"a..b":1}', '{".a":1}',
	'{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '{"fname":1,"_id":0}', '{"fname":1,"lastMessage":0}',
	'{"_id":1}', '{"_id":0}', '{"$where":"sleep(1000)"}', '{"docId":{"$regex":".*"}}', '{"docId":"(a+)+$"}', '{"docId":1}', '{"docId":null}',
	'{"__proto__":"x"}', '(a+)+$', '.*', '^', '$', '\\', '\\\\', '(?:', '[a-', '*', '%', '%%', '%zz', '%E0%A4%A', '%C0%AF', '%00', '\u0000',
	'\u202e', 'Ω', 'İ', 'ß', 'ǅ', '😀', '\ud800', 'Marcos', 'manager', 'alice', 'WLYaBkXzR2epe4s23', 'rJyQ4BPvxvEpFencC', 'EvYjYGBXQaZbaqJ9c',
	'vip', 'undefined', 'undefined,undefined', '<script>alert(1)</script>', "' OR 1=1 --", '&', '=', '&=&', '#', '?', '+', ' + ',
	// `format`, and MongoDB filters for `query` (accepted, refused, and at the limits' edges)
	'json', 'csv', 'CSV', 'Json', 'xml', ' csv', 'csv,json', '["csv"]',
	'{"tags":{"$in":["vip"]}}', '{"tags":{"$all":["vip","billing"]},"msgs":{"$gte":1}}', '{"$or":[{"open":true},{"onHold":true}]}',
	'{"ts":{"$gte":{"$date":"2024-01-01T00:00:00Z"}}}', '{"ts":{"$lt":{"$date":{"$numberLong":"1714521600000"}}}}', '{"ts":{"$gt":{"$date":"x"}}}',
	'{"msgs":{"$type":"int"}}', '{"msgs":{"$type":["string",16,"nope"]}}', '{"fname":{"$regex":"^mar","$options":"i"}}',
	'{"fname":{"$regex":"a|b"}}', '{"fname":{"$regex":"x","$options":"m"}}', '{"tags.0":"vip"}', '{"tags.01":"vip"}', '{"v.username":null}',
	'{"livechatData":{"$elemMatch":{"a":1}}}', '{"tags":{"$size":-1}}', '{"tags":{"$in":1}}', '{"$and":[]}', '{"$nor":[{}]}', '{"$not":{}}',
	'{"msgs":{"$not":{"$gt":1}}}', '{"v":{"a":{"$gt":1}}}', '{"$expr":{"$eq":[1,1]}}', '{"$text":{"$search":"a"}}', '{"a":{"$mod":[2,0]}}',
	'{"open":{"$exists":"yes"}}', '{"":1}', '{"a.":1}', '{"$comment":"x"}', '[{"a":1}]', '"{}"', '{"a":{"$eq":{"$date":1}}}',
];

/** A date as JSON might carry it: valid, invalid, out of range, or no string at all. */
const dateish: fc.Arbitrary<unknown> = fc.oneof(
	fc.date({ noInvalidDate: false }).map((date) => (Number.isNaN(date.getTime()) ? 'Invalid Date' : date.toISOString())),
	fc.constantFrom('2024-02-30', '2024-13-01', 'yesterday', '0', '', '2024-01-01T25:00:00Z', '2024', 'Mon, 01 Jan 2024 00:00:00 GMT', '1e3'),
	fc.integer(),
	fc.constant(null),
	fc.string({ maxLength: 10 }),
	fc.jsonValue({ maxDepth: 1 }),
);

const dateRange: fc.Arbitrary<string> = fc
	.record({ start: dateish, end: dateish, other: fc.string({ maxLength: 4 }) }, { requiredKeys: [] })
	.map((range) => JSON.stringify(range));

const longValue: fc.Arbitrary<string> = fc
	.tuple(fc.integer({ min: 1000, max: 6000 }), fc.constantFrom('a', 'A', '(a+)+', 'é', '%', '[', '0'))
	.map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length / (unit === 'é' ? 3 : 1))));

const value: fc.Arbitrary<string> = fc.oneof(
	{ weight: 6, arbitrary: fc.constantFrom(...NASTY_VALUES) },
	{ weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
	{ weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
	{ weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((json) => JSON.stringify(json) ?? '') },
	{
		weight: 1,
		arbitrary: fc.oneof(fc.integer(), fc.double(), fc.bigInt({ min: -BigInt('1' + '0'.repeat(40)), max: BigInt('1' + '0'.repeat(40)) })).map(String),
	},
	{ weight: 1, arbitrary: dateRange },
	{ weight: 1, arbitrary: fc.array(fc.string({ maxLength: 8 }), { maxLength: 30 }).map((list) => JSON.stringify(list)) },
	{ weight: 1, arbitrary: longValue },
);

function component(text: string): string {
	try {
		return encodeURIComponent(text);
	} catch {
		return text.replace(/[#&=%]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	}
}

/** A value as a client might put it in the URL: encoded, raw (so `&`, `=` and brackets reach the parser), or broken. */
const encodedValue: fc.Arbitrary<string> = fc
	.tuple(value, fc.constantFrom('component', 'component', 'raw', 'garbage', 'plus'), fc.nat(), fc.constantFrom('%', '%Z', '%E0%A4', '%%', '%u0041', '%C0'))
	.map(([text, how, at, junk]) => {
		if (how === 'raw') return text.replace(/#/g, '%23');
		if (how === 'plus') return component(text).replace(/%20/g, '+');
		const encoded = component(text);
		if (how === 'garbage') {
			const position = encoded.length === 0 ? 0 : at % (encoded.length + 1);
			return encoded.slice(0, position) + junk + encoded.slice(position);
		}
		return encoded;
	});

const key: fc.Arbitrary<string> = fc.oneof(
	{ weight: 8, arbitrary: fc.constantFrom(...PARAMETERS) },
	{ weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
	{ weight: 1, arbitrary: fc.mixedCase(fc.constantFrom(...PARAMETERS)) },
	{ weight: 1, arbitrary: fc.string({ maxLength: 10 }).map(component) },
	{ weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }).map(component) },
);

const fullKey: fc.Arbitrary<string> = fc
	.tuple(key, fc.constantFrom(...SUFFIXES), fc.boolean())
	.map(([name, suffix, encodeBrackets]) => name + (encodeBrackets ? suffix.replace(/\[/g, '%5B').replace(/\]/g, '%5D') : suffix));

/** `key=value`, `key`, `=value`, a key repeated with many values, or an answer asked for as CSV. */
const chunk: fc.Arbitrary<string> = fc.oneof(
	{ weight: 10, arbitrary: fc.tuple(fullKey, encodedValue).map(([k, v]) => `${k}=${v}`) },
	{ weight: 1, arbitrary: fc.constantFrom('format=csv', 'format=csv', 'format=json') },
	{ weight: 1, arbitrary: fullKey },
	{ weight: 1, arbitrary: encodedValue.map((v) => `=${v}`) },
	{
		weight: 2,
		arbitrary: fc
			.tuple(fc.constantFrom(...PARAMETERS, '__proto__'), fc.constantFrom('', '[]'), fc.array(encodedValue, { minLength: 2, maxLength: 30 }))
			.map(([name, suffix, values]) => values.map((v) => `${name}${suffix}=${v}`).join('&')),
	},
	{
		weight: 1,
		arbitrary: fc
			.tuple(
				fc.constantFrom(...PARAMETERS, ...PROTOTYPE_KEYS),
				fc.array(fc.constantFrom('a', '0', '__proto__', 'constructor', 'prototype', '', 'x'), { minLength: 1, maxLength: 30 }),
				encodedValue,
			)
			.map(([name, path, v]) => `${name}${path.map((segment) => `[${segment}]`).join('')}=${v}`),
	},
);

const queryString: fc.Arbitrary<string> = fc
	.tuple(fc.array(chunk, { maxLength: 8 }), fc.constantFrom('&', '&', '&', '&&', '&amp;'))
	.map(([chunks, separator]) => chunks.join(separator));

/** Parameters with values the endpoint accepts, to be asked for as CSV. */
// prettier-ignore
const VALID_CSV_REQUESTS = [
	'open=true', 'open=false', 'onhold=true', 'queued=true', 'tags=vip', 'agents=alice', 'count=0', 'count=3', 'offset=2', 'roomName=a',
	`sort=${component('{"ts":1}')}`, `sort=${component('{"fname":-1,"tags":1}')}`, `fields=${component('{"fname":1,"tags":1,"lastMessage.msg":1}')}`,
	`fields=${component('{"v":0}')}`, `query=${component('{"msgs":{"$gte":1}}')}`, `createdAt=${component('{"start":"2020-01-01T00:00:00Z"}')}`,
	`query=${component('{"$or":[{"tags":"vip"},{"fname":{"$regex":"^a","$options":"i"}}]}')}`,
];

/** Callers: both kinds of role holders, and a user with no rooms role. */
const CALLERS = ['manager', 'manager', 'admin', 'alice', 'user'];

// ---------------------------------------------------------------------------------------------------------------
// Command words

// prettier-ignore
const COMMAND_KEYS = [
	'status', 'agent', 'department', 'tag', 'name', 'created', 'closed', 'sort', 'count', 'page', 'field.docId', 'field.', 'field.a.b',
	'field.__proto__', 'fields', 'agents', 'departmentId', 'open', 'onhold', 'queued', 'tags', 'roomName', 'createdAt', 'closedAt',
	'customFields', 'units', 'offset', '__proto__', 'constructor', 'hasOwnProperty', 'toString', 'Status', 'STATUS', 'stauts', 'nmae', '',
];

// prettier-ignore
const COMMAND_VALUES = [
	'open', 'closed', 'queued', 'onhold', 'all', 'OPEN', 'none', 'me', 'ME', '@alice', 'alice', 'alice,bruno', ',,', ',', 'a,,b', 'Sales',
	'"Legacy Support"', 'Nowhere', 'vip,billing', '"Marcos Defendi"', '"\\"Marcos Defendi\\""', 'Marcos', '2024-05-01..2024-05-31', '2024-05',
	'..', '...', '2024-02-30..', '..2024-13-01', '2024-05-01T09:00Z..', '2024-05-01T25:00Z', '2024-05-31..2024-05-01', 'yesterday..today',
	'-ts', 'ts', '-created,name', '+agent', '-', '--ts', 'ts,ts', '{"ts":-1}', '{"ts":2}', '{bad', '0', '1', '100', '101', '1e2', '-1',
	'99999999999999999999', '1.5', '["a","b"]', '[1]', '[', '{"docId":"A-1"}', '{"docId":1}', '{"start":"2024-01-01"}', '"unclosed',
	'“curly quoted”', '"a"b"c"', '\\"', '\\\\', '\\', '(a+)+$', '.*', '%', '😀', 'İ', '\u0000', '\u202e', 'Error:', 'at x (y.js:1:2)',
];

const commandValue: fc.Arbitrary<string> = fc.oneof(
	{ weight: 6, arbitrary: fc.constantFrom(...COMMAND_VALUES) },
	{ weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
	{ weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
	{ weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((text) => `"${text}"`) },
	{ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((json) => JSON.stringify(json) ?? '') },
	{ weight: 1, arbitrary: fc.array(fc.constantFrom('a', 'me', 'alice', '', ' ', '"', 'x y'), { maxLength: 6 }).map((list) => list.join(',')) },
);

const commandWord: fc.Arbitrary<string> = fc.oneof(
	{
		weight: 8,
		arbitrary: fc
			.tuple(
				fc.oneof(fc.constantFrom(...COMMAND_KEYS), fc.mixedCase(fc.constantFrom(...COMMAND_KEYS))),
				fc.constantFrom('=', '=', '=', '==', ' = ', '="'),
				commandValue,
			)
			.map(([k, eq, v]) => k + eq + v),
	},
	{ weight: 1, arbitrary: fc.constantFrom('help', 'HELP', '?', '-h', '--help', 'open', 'status', '=', '==', '"', '""', '"help"', '\\help') },
	{ weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
	{ weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
);

/** Words, sometimes after `list` (no words at all answer the summary; `list` alone lists with the defaults). */
const commandLine: fc.Arbitrary<string> = fc
	.tuple(fc.boolean(), fc.array(commandWord, { maxLength: 7 }), fc.constantFrom(' ', ' ', ' ', '  ', '\t', '\n', ' \u00a0 '))
	.map(([listed, words, separator]) => (listed ? ['list', ...words] : words).join(separator));

/** Callers who hold `view-l-room` (the workspace answers 403 for the others before the app runs). */
const COMMAND_CALLERS = ['manager', 'admin', 'alice', 'monitor'];

// ---------------------------------------------------------------------------------------------------------------

describe('fuzzing the endpoint and the command against the real workspace', () => {
	let ws: Robust;
	let pid: number | undefined;
	const scopes = new Map<string, Scope>();

	beforeAll(async () => {
		ws = await Robust.start(demoData({ rooms: 80 }));
		pid = (await ws.health()).pid;
		for (const caller of new Set([...CALLERS, ...COMMAND_CALLERS])) scopes.set(caller, scopeOfRoles(ws.user(caller).roles));
	}, 120000);
	afterAll(() => ws?.stop());

	/** How often each kind of answer came back: the fuzzer must reach every branch, not only the first refusal. */
	const seen = new Map<string, number>();
	const tally = (kind: string): void => {
		seen.set(kind, (seen.get(kind) ?? 0) + 1);
	};

	/** Over HTTP: the contract, or the host's 431 for a request line past Node's limit. */
	async function checkOverHttp(search: string, caller: string): Promise<void> {
		const sent = ws.sentSearch(search);
		const answer: Answer = await ws.rooms(search, caller);
		if (answer.status === 431 && sent.length > HOST_URL_LIMIT) return;
		const problem = endpointProblem(sent, answer, scopes.get(caller) as Scope);
		if (problem) throw new Error(`GET rooms?${sent.slice(0, 2000)} as ${caller}: ${problem}`);
		tally(String(answer.status));
		if (answer.status === 200 && /^text\/csv/.test(answer.contentType)) tally('csv');
		if (answer.status === 400) {
			tally(/^must NOT have additional/.test(answer.body.error) ? 'unknown' : /\[invalid-params\]$/.test(answer.body.error) ? 'shape' : 'value');
			tally(`named ${namedParameter(answer.body.error)?.name}`);
		}
	}

	it(
		'answers 1,100 random query strings with 200, 400 or 403 as the contract says, never 500',
		async () => {
			await fc.assert(fc.asyncProperty(queryString, fc.constantFrom(...CALLERS), checkOverHttp), settings(1100));
		},
		TEST_LIMIT_MS,
	);

	it(
		'answers every parameter given a hostile value in every list and object form',
		async () => {
			const form = fc.constantFrom('plain', 'brackets', 'indexed', 'sparse', 'repeated', 'json', 'object', 'nested', 'mixed');
			const targeted = fc.tuple(fc.constantFrom(...PARAMETERS), form, encodedValue, encodedValue).map(([name, how, a, b]) => {
				switch (how) {
					case 'plain':
						return `${name}=${a}`;
					case 'brackets':
						return `${name}[]=${a}&${name}[]=${b}`;
					case 'indexed':
						return `${name}[0]=${a}&${name}[1]=${b}`;
					case 'sparse':
						return `${name}[5]=${a}&${name}[99]=${b}`;
					case 'repeated':
						return `${name}=${a}&${name}=${b}`;
					case 'json':
						return `${name}=${component(JSON.stringify([decodeSafe(a), decodeSafe(b)]))}`;
					case 'object':
						return `${name}[start]=${a}&${name}[end]=${b}`;
					case 'nested':
						return `${name}[a][b][c][d]=${a}`;
					default:
						return `${name}=${a}&${name}[]=${b}&${name}[7]=${a}`;
				}
			});
			await fc.assert(fc.asyncProperty(targeted, fc.constantFrom(...CALLERS), checkOverHttp), settings(350));
		},
		TEST_LIMIT_MS,
	);

	it(
		'answers 150 random valid requests for CSV with CSV, as the contract says',
		async () => {
			const valid = fc.constantFrom(...VALID_CSV_REQUESTS);
			const search = fc.array(valid, { maxLength: 5 }).map((chunks) => [...chunks, 'format=csv'].join('&'));
			await fc.assert(fc.asyncProperty(search, fc.constantFrom(...CALLERS), checkOverHttp), settings(150));
		},
		TEST_LIMIT_MS,
	);

	it('reached every kind of answer: 200 (CSV too), 403, and 400 for unknown names, wrong shapes and bad values', () => {
		for (const kind of ['200', 'csv', '403', '400', 'unknown', 'shape', 'value']) expect([kind, (seen.get(kind) ?? 0) >= 20]).toEqual([kind, true]);
	});

	it("reached a 400 naming each of the parser's parameters", () => {
		expect(PARAMETERS).toEqual(expect.arrayContaining(['query', 'format']));
		expect(PARAMETERS.filter((name) => !seen.has(`named ${name}`))).toEqual([]);
	});

	it(
		'answers 100 KB values and 10,000-element lists (through the engine: too long for a URL) as the contract says',
		async () => {
			const huge = fc.oneof(
				fc.constantFrom(
					'a'.repeat(100000),
					'(a+)+$'.repeat(17000),
					'é'.repeat(50000),
					'😀'.repeat(25000),
					'%'.repeat(100000),
					`{"docId":"${'a'.repeat(100000)}"}`,
					`{"start":"${'9'.repeat(100000)}"}`,
					`{"ts":${'-1'.repeat(50000)}}`,
					`{${Array.from({ length: 5000 }, (_, i) => `"f${i}":1`).join(',')}}`,
					JSON.stringify(Array.from({ length: 10000 }, (_, i) => `agent-${i}`)),
					`[${'['.repeat(5000)}${']'.repeat(5000)}]`,
					`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
				),
				fc.string({ unit: 'binary', minLength: 100, maxLength: 200 }).map((text) => text.repeat(Math.ceil(100000 / Math.max(1, text.length)))),
			);
			const query = fc
				.tuple(
					fc.constantFrom(...PARAMETERS, 'unknownParameter', '__proto__'),
					fc.constantFrom('', '[]', '[0]'),
					huge,
					fc.option(chunk, { nil: undefined }),
				)
				.map(([name, suffix, text, extra]) => `${name}${suffix}=${component(text)}${extra ? `&${extra}` : ''}`);
			await fc.assert(
				fc.asyncProperty(query, fc.constantFrom(...CALLERS), async (search, caller) => {
					const answer = await ws.roomsDirect(search, caller);
					const problem = endpointProblem(search, answer, scopes.get(caller) as Scope);
					if (problem) throw new Error(`rooms?${search.slice(0, 300)}… (${search.length} characters) as ${caller}: ${problem}`);
				}),
				settings(60, true),
			);
		},
		TEST_LIMIT_MS,
	);

	it('over HTTP, a 100 KB query is refused by the host (431) or answered by the app, never 500, and the workspace keeps serving', async () => {
		for (const search of [`roomName=${'a'.repeat(100000)}`, `agents=${component(JSON.stringify(Array.from({ length: 10000 }, (_, i) => `a${i}`)))}`]) {
			const answer = await ws.rooms(search, 'manager');
			expect([200, 400, 431]).toContain(answer.status);
		}
		const after = await ws.rooms('count=1', 'manager');
		expect(after.status).toBe(200);
		expect(after.body.count).toBe(1);
	});

	it(
		'answers 450 random command lines with exactly one readable notification (help, an error line, rooms or the summary), never a stack trace',
		async () => {
			await fc.assert(
				fc.asyncProperty(commandLine, fc.constantFrom(...COMMAND_CALLERS), async (params, caller) => {
					const answer = await ws.command(params, caller);
					const problem = commandProblem(params, answer);
					if (problem) throw new Error(`/livechat-rooms ${JSON.stringify(params)} as ${caller}: ${problem}`);
					tally(`command ${replyKind(answer.body.notifications[0].text)}`);
				}),
				settings(450),
			);
			for (const kind of ['help', 'error', 'rooms']) expect([kind, (seen.get(`command ${kind}`) ?? 0) >= 20]).toEqual([kind, true]);
		},
		TEST_LIMIT_MS,
	);

	it(
		'answers 50 command lines holding 100 KB words the same way',
		async () => {
			const word = fc.constantFrom(
				`name=${'a'.repeat(100000)}`,
				`name="${'a b '.repeat(25000)}"`,
				`field.docId=${'(a+)+$'.repeat(17000)}`,
				`${'k'.repeat(100000)}=1`,
				'x'.repeat(100000),
				`"${'a '.repeat(50000)}`,
				`agent=${'x,'.repeat(50000)}`,
				`tag=${'vip,'.repeat(25000)}`,
				`sort=${'ts,'.repeat(33000)}`,
				`sort=${'-a'.repeat(50000)}`,
				`created=${'2024-01-01..'.repeat(9000)}`,
				`count=${'9'.repeat(100000)}`,
				`page=${'9'.repeat(100000)}`,
				`customFields={"docId":"${'a'.repeat(100000)}"}`,
				`department=${'Sales'.repeat(20000)}`,
				`${'\\'.repeat(100000)}`,
				`field.${'a.'.repeat(50000)}=1`,
			);
			const line = fc.tuple(word, fc.option(commandWord, { nil: undefined })).map(([big, small]) => (small ? `${small} ${big}` : big));
			await fc.assert(
				fc.asyncProperty(line, fc.constantFrom(...COMMAND_CALLERS), async (params, caller) => {
					const answer = await ws.command(params, caller);
					const problem = commandProblem(params, answer);
					if (problem) throw new Error(`/livechat-rooms ${JSON.stringify(params.slice(0, 200))}… as ${caller}: ${problem}`);
				}),
				settings(50, true),
			);
		},
		TEST_LIMIT_MS,
	);

	it('leaves the app enabled, its Deno runtime never restarted, and nothing in its error log', async () => {
		expect(pid).toBeDefined();
		expect(await ws.health()).toEqual({ status: 'manually_enabled', pid, errors: [] });
	});
});

function decodeSafe(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}
