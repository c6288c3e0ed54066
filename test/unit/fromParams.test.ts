import fc from 'fast-check';
import qs from 'qs';

import { parseRoomQuery } from '../../src/query/fromParams';
import type { QueryError, RoomQuery } from '../../src/query/RoomQuery';

/** The query string as Express (qs) hands it over. */
const parse = (queryString: string) => parseRoomQuery(qs.parse(queryString) as Record<string, unknown>);

function value(queryString: string | Record<string, unknown>): RoomQuery {
	const result = typeof queryString === 'string' ? parse(queryString) : parseRoomQuery(queryString);
	if (!result.ok) throw new Error(`refused: ${result.error.error}`);
	return result.value;
}

function refusal(queryString: string | Record<string, unknown>): QueryError {
	const result = typeof queryString === 'string' ? parse(queryString) : parseRoomQuery(queryString);
	if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.value)}`);
	return result.error;
}

const invalidParams = (error: string): QueryError => ({ status: 400, error, errorType: 'invalid-params' });
const plain = (error: string): QueryError => ({ status: 400, error });
/** The refusal of a JSON parameter that cannot be used (`sort`, `fields`, `query`), quoting the raw text. */
const invalidJson = (param: 'sort' | 'fields' | 'query', raw: string): QueryError => ({
	status: 400,
	error: `Invalid ${param} parameter provided: "${raw}" [error-invalid-${param}]`,
	errorType: `error-invalid-${param}`,
});
const enc = encodeURIComponent;

describe('parseRoomQuery', () => {
	it('defaults: offset 0, count 50, newest first, no filter', () => {
		expect(value('')).toStrictEqual({ offset: 0, count: 50, sort: [['ts', -1]] });
	});

	describe('unknown parameters', () => {
		it('are refused with upstream text, naming the key', () => {
			expect(refusal('foo=1')).toStrictEqual(invalidParams('must NOT have additional properties: "foo" [invalid-params]'));
			expect(refusal('foo=1').error.startsWith('must NOT have additional properties')).toBe(true);
		});
		it('name the first unknown key, bracketed or not', () => {
			expect(refusal('count=5&bar[]=1&baz=2').error).toBe('must NOT have additional properties: "bar" [invalid-params]');
			expect(refusal({ 'bar[]': '1' }).error).toBe('must NOT have additional properties: "bar" [invalid-params]');
		});
		it('are checked before anything else, and names are case-sensitive', () => {
			expect(refusal('count=-1&Count=1').error).toBe('must NOT have additional properties: "Count" [invalid-params]');
			expect(refusal('Query={}').error).toBe('must NOT have additional properties: "Query" [invalid-params]');
		});
		it('include prototype names, as plain keys', () => {
			expect(refusal(JSON.parse('{"__proto__":"x"}')).error).toBe('must NOT have additional properties: "__proto__" [invalid-params]');
			expect(refusal({ constructor: 'x' }).error).toBe('must NOT have additional properties: "constructor" [invalid-params]');
			expect(refusal({ hasOwnProperty: 'x' }).error).toBe('must NOT have additional properties: "hasOwnProperty" [invalid-params]');
		});
	});

	describe('count and offset', () => {
		it('count: default 50, at most 100, 0 means every match', () => {
			expect(value('count=25').count).toBe(25);
			expect(value('count=100').count).toBe(100);
			expect(value('count=101').count).toBe(100);
			expect(value('count=100000').count).toBe(100);
			expect(value('count=0').count).toBe(0);
		});
		it('offset: default 0, any non-negative integer', () => {
			expect(value('offset=7').offset).toBe(7);
			expect(value('offset=0').offset).toBe(0);
			expect(value('offset=1000000').offset).toBe(1000000);
		});
		it.each(['-1', 'abc', '1.5', ' ', '1e400', 'NaN', 'Infinity', '5abc'])('refuse %j', (bad) => {
			expect(refusal(`count=${enc(bad)}`)).toStrictEqual(invalidParams('count must be a non-negative integer [invalid-params]'));
			expect(refusal(`offset=${enc(bad)}`)).toStrictEqual(invalidParams('offset must be a non-negative integer [invalid-params]'));
		});
		it('refuse repeated values', () => {
			expect(refusal('count=1&count=2').error).toBe('count must be a non-negative integer [invalid-params]');
			expect(refusal('count[]=1').error).toBe('count must be a non-negative integer [invalid-params]');
			expect(refusal('count[a]=1').error).toBe('count must be a non-negative integer [invalid-params]');
		});
		it('accept what number coercion accepts when it is a non-negative integer', () => {
			expect(value('count=1e1').count).toBe(10);
			expect(value('count=%2005').count).toBe(5);
			expect(value('offset=-0').offset).toBe(0);
			expect(Object.is(value('offset=-0').offset, 0)).toBe(true);
			expect(value({ count: 7, offset: 2 })).toMatchObject({ count: 7, offset: 2 });
		});
		it('are absent when empty', () => {
			expect(value('count=&offset=')).toMatchObject({ count: 50, offset: 0 });
		});
	});

	describe('sort', () => {
		it('takes a JSON object of 1 / -1, in the order written, dotted paths allowed', () => {
			expect(value(`sort=${enc('{"servedBy.username":1,"ts":-1}')}`).sort).toEqual([
				['servedBy.username', 1],
				['ts', -1],
			]);
		});
		it('accepts {} (then only _id orders)', () => {
			expect(value(`sort=${enc('{}')}`).sort).toEqual([]);
		});
		it.each(['{"ts":2}', '{"ts":"1"}', '{"ts":true}', 'ts', '[["ts",1]]', 'null', '1', '{"":1}', '{"a..b":1}', '{".a":1}', '{"a.":1}', '{bad json'])(
			'refuses %j with the raw text',
			(raw) => expect(refusal(`sort=${enc(raw)}`)).toStrictEqual(invalidJson('sort', raw)),
		);
		it('refuses more than 32 keys, as MongoDB does', () => {
			const keys = (n: number) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, 1])));
			expect(value(`sort=${enc(keys(32))}`).sort).toHaveLength(32);
			expect(refusal(`sort=${enc(keys(33))}`).errorType).toBe('error-invalid-sort');
		});
		it('an object where a string is expected is the wrong shape', () => {
			expect(refusal('sort[ts]=-1')).toStrictEqual(invalidParams('sort must be a string [invalid-params]'));
		});
	});

	describe('fields', () => {
		it('inclusion keeps _id unless "_id": 0', () => {
			expect(value(`fields=${enc('{"fname":1,"v.username":1}')}`).fields).toEqual({ mode: 'include', paths: ['fname', 'v.username'], keepId: true });
			expect(value(`fields=${enc('{"fname":1,"_id":0}')}`).fields).toEqual({ mode: 'include', paths: ['fname'], keepId: false });
			expect(value(`fields=${enc('{"_id":1,"fname":1}')}`).fields).toEqual({ mode: 'include', paths: ['fname'], keepId: true });
		});
		it('exclusion', () => {
			expect(value(`fields=${enc('{"lastMessage":0,"metrics":0}')}`).fields).toEqual({
				mode: 'exclude',
				paths: ['lastMessage', 'metrics'],
				keepId: true,
			});
			expect(value(`fields=${enc('{"lastMessage":0,"_id":0}')}`).fields).toEqual({ mode: 'exclude', paths: ['lastMessage'], keepId: false });
		});
		it('_id alone', () => {
			expect(value(`fields=${enc('{"_id":1}')}`).fields).toEqual({ mode: 'include', paths: [], keepId: true });
			expect(value(`fields=${enc('{"_id":0}')}`).fields).toEqual({ mode: 'exclude', paths: [], keepId: false });
		});
		it('{} is no projection', () => {
			expect(value(`fields=${enc('{}')}`)).not.toHaveProperty('fields');
		});
		it.each(['{"a":1,"b":0}', '{"a":0,"_id":1}', '{"a":2}', '{"a":"1"}', '{"a":true}', '[]', 'null', '{"":1}', 'x'])(
			'refuses %j (mixing 1 and 0 but _id:0, other values, bad JSON) with the raw text',
			(raw) => expect(refusal(`fields=${enc(raw)}`)).toStrictEqual(invalidJson('fields', raw)),
		);
	});

	describe('createdAt and closedAt', () => {
		const start = '2018-01-26T00:11:22.345Z';
		it('take start and end (both, or either)', () => {
			expect(value(`createdAt=${enc(JSON.stringify({ start, end: start }))}`).createdAt).toEqual({ start: new Date(start), end: new Date(start) });
			expect(value(`createdAt=${enc(JSON.stringify({ start }))}`).createdAt).toEqual({ start: new Date(start) });
			expect(value(`closedAt=${enc(JSON.stringify({ end: '2018-01-26' }))}`).closedAt).toEqual({ end: new Date('2018-01-26') });
		});
		it('leave out falsy bounds and ignore other keys', () => {
			expect(value(`createdAt=${enc(JSON.stringify({ start, end: '', other: 'x' }))}`).createdAt).toEqual({ start: new Date(start) });
			expect(value(`createdAt=${enc(JSON.stringify({ start: null, end: start }))}`).createdAt).toEqual({ end: new Date(start) });
		});
		describe.each(['createdAt', 'closedAt'])('%s', (name) => {
			it.each(['nope', '[]', 'null', '"2018-01-26"', '5', '{'])('refuses %j as no valid JSON', (raw) => {
				expect(refusal(`${name}=${enc(raw)}`)).toStrictEqual(plain(`The "${name}" query parameter must be a valid JSON.`));
			});
			it('every other message exactly', () => {
				expect(refusal(`${name}=${enc('{"start":"yesterday"}')}`)).toStrictEqual(plain(`The "${name}.start" query parameter must be a valid date.`));
				expect(refusal(`${name}=${enc('{"start":5}')}`)).toStrictEqual(plain(`The "${name}.start" query parameter must be a valid date.`));
				expect(refusal(`${name}=${enc(`{"start":"${start}","end":"later"}`)}`)).toStrictEqual(
					plain(`The "${name}.end" query parameter must be a valid date.`),
				);
				expect(refusal(`${name}=${enc('{"start":"bad","end":"bad"}')}`)).toStrictEqual(
					plain(`The "${name}.start" query parameter must be a valid date.`),
				);
				expect(refusal(`${name}=${enc('{}')}`)).toStrictEqual(plain(`The "${name}" query parameter must have "start" or "end".`));
				expect(refusal(`${name}=${enc('{"start":""}')}`)).toStrictEqual(plain(`The "${name}" query parameter must have "start" or "end".`));
			});
		});
		it('an object where a string is expected is the wrong shape', () => {
			expect(refusal(`createdAt[start]=${start}`)).toStrictEqual(invalidParams('createdAt must be a string [invalid-params]'));
		});
	});

	describe('customFields', () => {
		it('takes a JSON object of strings', () => {
			const fields = value(`customFields=${enc('{"docId":"ABC","plan":"gold"}')}`).customFields;
			expect({ ...fields }).toEqual({ docId: 'ABC', plan: 'gold' });
		});
		it('{} is no filter', () => {
			expect(value(`customFields=${enc('{}')}`)).not.toHaveProperty('customFields');
		});
		it.each(['{"a":1}', '{"a":null}', '{"a":{"b":"c"}}', '["a"]', 'null', '"a"', 'nope'])('refuses %j with the exact message', (raw) => {
			expect(refusal(`customFields=${enc(raw)}`)).toStrictEqual(plain('The "customFields" query parameter must be a valid JSON.'));
		});
		it('keeps __proto__ as a field name, on an object without prototype', () => {
			const fields = value(`customFields=${enc('{"__proto__":"x","constructor":"y"}')}`).customFields!;
			expect(Object.keys(fields)).toEqual(['__proto__', 'constructor']);
			expect(fields.__proto__).toBe('x');
			expect(({} as Record<string, unknown>).x).toBeUndefined();
		});
	});

	describe('roomName', () => {
		it('plain: substring; in double quotes: exact', () => {
			expect(value('roomName=Marcos').roomName).toEqual({ text: 'Marcos', exact: false });
			expect(value(`roomName=${enc('"Marcos Defendi"')}`).roomName).toEqual({ text: 'Marcos Defendi', exact: true });
			expect(value(`roomName=${enc('"Marcos')}`).roomName).toEqual({ text: '"Marcos', exact: false });
			expect(value(`roomName=${enc('"')}`).roomName).toEqual({ text: '', exact: true });
			expect(value(`roomName=${enc('""')}`).roomName).toEqual({ text: '', exact: true });
		});
		it('is absent when empty, and refused when repeated', () => {
			expect(value('roomName=')).not.toHaveProperty('roomName');
			expect(refusal('roomName=a&roomName=b')).toStrictEqual(invalidParams('roomName must be a string [invalid-params]'));
		});
	});

	describe('open, onhold, queued', () => {
		it('open takes exactly true or false', () => {
			expect(value('open=true').open).toBe(true);
			expect(value('open=false').open).toBe(false);
			expect(value({ open: false }).open).toBe(false);
		});
		it.each(['True', '1', 'yes', '', 'FALSE'])('open=%j is no filter', (other) => {
			expect(value(`open=${other}`)).not.toHaveProperty('open');
		});
		it.each(['true', '1', 't'])('onhold and queued take %j', (yes) => {
			expect(value(`onhold=${yes}`).onHold).toBe(true);
			expect(value(`queued=${yes}`).queued).toBe(true);
		});
		it.each(['false', '0', 'f', 'TRUE', ''])('onhold and queued take %j as no filter', (no) => {
			expect(value(`onhold=${no}`)).not.toHaveProperty('onHold');
			expect(value(`queued=${no}`)).not.toHaveProperty('queued');
		});
		it('onhold and queued take real booleans too', () => {
			expect(value({ onhold: true, queued: true })).toMatchObject({ onHold: true, queued: true });
		});
		it('keeps open, onhold and queued side by side (the matcher applies the precedence)', () => {
			expect(value('open=false&onhold=1&queued=t')).toMatchObject({ open: false, onHold: true, queued: true });
		});
		it('refuses a list', () => {
			expect(refusal('open=true&open=false')).toStrictEqual(invalidParams('open must be a string [invalid-params]'));
			expect(refusal('queued[]=1').error).toBe('queued must be a string [invalid-params]');
		});
	});

	describe('lists: agents, departmentId, tags, units', () => {
		const forms: Array<[string, string | Record<string, unknown>, string[]]> = [
			['a single plain value', 'agents=a', ['a']],
			['repeated keys', 'agents=a&agents=b', ['a', 'b']],
			['brackets', 'agents[]=a&agents[]=b', ['a', 'b']],
			['indexed brackets', 'agents[0]=a&agents[1]=b', ['a', 'b']],
			['indexed brackets past the qs array limit', 'agents[25]=a&agents[30]=b', ['a', 'b']],
			['a JSON array', `agents=${enc('["a","b"]')}`, ['a', 'b']],
			['the documentation single-quoted form', `agents=${enc("['rocket', 'chat']")}`, ['rocket', 'chat']],
			['bare words in brackets', `agents=${enc('[rocket, chat]')}`, ['rocket', 'chat']],
			['mixed quotes with a comma inside', `agents=${enc(`["a,b", 'c']`)}`, ['a,b', 'c']],
			['a host that leaves [] in the key', { 'agents[]': 'a' }, ['a']],
			['a host that leaves [0] in the key', { 'agents[0]': 'a', 'agents[1]': 'b' }, ['a', 'b']],
			['a host with repeated bracketed keys as an array', { 'agents[]': ['a', 'b'] }, ['a', 'b']],
			['plain and bracketed keys together', { agents: 'a', 'agents[]': 'b' }, ['a', 'b']],
		];
		it.each(forms)('accepts %s', (_name, input, expected) => {
			expect(value(input).agents).toEqual(expected);
		});
		it('applies the same forms to tags, units and departmentId', () => {
			expect(value(`tags=${enc("['rocket', 'chat']")}`).tags).toEqual(['rocket', 'chat']);
			expect(value('units[]=u1&units[]=u2').units).toEqual(['u1', 'u2']);
			expect(value('departmentId=d1&departmentId=d2').departmentIds).toEqual(['d1', 'd2']);
			expect(value(`departmentId=${enc('["d1"]')}`).departmentIds).toEqual(['d1']);
		});
		it('keeps JSON numbers and booleans as text and takes repeated values literally', () => {
			expect(value(`tags=${enc('[1,true,"x",null]')}`).tags).toEqual(['1', 'true', 'x']);
			expect(value(`tags=${enc('["a"]')}&tags=b`).tags).toEqual(['["a"]', 'b']);
		});
		it('reads something that only looks like a list as one plain value', () => {
			expect(value(`tags=${enc('[oops')}`).tags).toEqual(['[oops']);
			expect(value(`tags=${enc("['a', b']")}`).tags).toEqual(["['a', b']"]);
			expect(value(`tags=${enc('[a,,b]')}`).tags).toEqual(['[a,,b]']);
		});
		it('an explicit empty list filters to nothing; an empty value is no filter', () => {
			expect(value(`agents=${enc('[]')}`).agents).toEqual([]);
			expect(value(`tags=${enc('[ ]')}`).tags).toEqual([]);
			expect(value('agents=')).not.toHaveProperty('agents');
			expect(value('agents[]=&agents[]=')).not.toHaveProperty('agents');
			expect(value('agents[]=&agents[]=a').agents).toEqual(['a']);
		});
		it('departmentId: the literal undefined means no filter', () => {
			expect(value('departmentId=undefined')).not.toHaveProperty('departmentIds');
			expect(value(`departmentId=${enc('["undefined"]')}`)).not.toHaveProperty('departmentIds');
			expect(value('departmentId=undefined&departmentId=d1').departmentIds).toEqual(['d1']);
			expect(value(`departmentId=${enc('[]')}`).departmentIds).toEqual([]);
		});
		it('refuses objects where strings are expected', () => {
			const wrong = (name: string) => invalidParams(`${name} must be a string or an array of strings [invalid-params]`);
			expect(refusal('agents[a]=x')).toStrictEqual(wrong('agents'));
			expect(refusal('agents[0][a]=x')).toStrictEqual(wrong('agents'));
			expect(refusal('tags=a&tags[x]=b')).toStrictEqual(wrong('tags'));
			expect(refusal(`units=${enc('[{"a":1}]')}`)).toStrictEqual(wrong('units'));
			expect(refusal({ 'departmentId[a][b]': 'x' })).toStrictEqual(wrong('departmentId'));
		});
	});

	it('combines every parameter', () => {
		const query = value(
			[
				'agents=maria',
				'departmentId=d1',
				'open=true',
				'onhold=t',
				'queued=1',
				`createdAt=${enc('{"start":"2024-01-01"}')}`,
				`closedAt=${enc('{"end":"2024-02-01"}')}`,
				`tags=${enc("['vip']")}`,
				`customFields=${enc('{"docId":"A"}')}`,
				'roomName=ana',
				'units=u1',
				'offset=5',
				'count=10',
				`sort=${enc('{"fname":1}')}`,
				`fields=${enc('{"fname":1}')}`,
			].join('&'),
		);
		expect({ ...query, customFields: { ...query.customFields } }).toStrictEqual({
			offset: 5,
			count: 10,
			sort: [['fname', 1]],
			fields: { mode: 'include', paths: ['fname'], keepId: true },
			createdAt: { start: new Date('2024-01-01') },
			closedAt: { end: new Date('2024-02-01') },
			customFields: { docId: 'A' },
			agents: ['maria'],
			departmentIds: ['d1'],
			tags: ['vip'],
			units: ['u1'],
			roomName: { text: 'ana', exact: false },
			open: true,
			onHold: true,
			queued: true,
		});
	});

	it('checks in upstream order: names, shapes (schema order), then sort, fields, dates, customFields', () => {
		const all = { sort: 'x', fields: 'x', createdAt: 'x', closedAt: 'x', customFields: 'x' };
		expect(refusal({ ...all, agents: { a: 1 }, count: '-1' }).error).toBe('count must be a non-negative integer [invalid-params]');
		expect(refusal({ ...all, agents: { a: 1 }, roomName: ['a', 'b'] }).error).toBe('agents must be a string or an array of strings [invalid-params]');
		expect(refusal(all).errorType).toBe('error-invalid-sort');
		expect(refusal({ ...all, sort: '{}' }).errorType).toBe('error-invalid-fields');
		expect(refusal({ ...all, sort: '{}', fields: '{}' }).error).toBe('The "createdAt" query parameter must be a valid JSON.');
		expect(refusal({ ...all, sort: '{}', fields: '{}', createdAt: '{"end":"2024-01-01"}' }).error).toBe(
			'The "closedAt" query parameter must be a valid JSON.',
		);
		expect(refusal({ customFields: 'x', closedAt: '{"end":"2024-01-01"}' }).error).toBe('The "customFields" query parameter must be a valid JSON.');
	});

	describe('query and format', () => {
		it('query: a MongoDB filter, compiled into filter; empty means absent', () => {
			const query = value(`query=${enc('{"msgs":{"$gt":1}}')}`);
			expect(query.filter?.({ _id: 'r', t: 'l', msgs: 2 })).toBe(true);
			expect(query.filter?.({ _id: 'r', t: 'l', msgs: 1 })).toBe(false);
			expect(value('query=')).toStrictEqual({ offset: 0, count: 50, sort: [['ts', -1]] });
		});
		it("query: refusals keep the filter's message and errorType", () => {
			expect(refusal('query=x')).toStrictEqual(invalidJson('query', 'x'));
			expect(refusal(`query=${enc('{"$where":"1"}')}`).error).toBe('Invalid query parameter: operator "$where" is not supported [error-invalid-query]');
		});
		it('query: an object from bracket parsing is the wrong shape', () => {
			expect(refusal('query[msgs]=1')).toStrictEqual(invalidParams('query must be a string [invalid-params]'));
			expect(refusal({ 'query[msgs]': '1' })).toStrictEqual(invalidParams('query must be a string [invalid-params]'));
		});
		it('format: json (the default, left out) or csv', () => {
			expect(value('format=json')).toStrictEqual({ offset: 0, count: 50, sort: [['ts', -1]] });
			expect(value('format=csv').format).toBe('csv');
		});
		test.each(['xml', 'CSV', 'Json', ' csv'])('format: anything else is refused, naming it: %s', (format) => {
			expect(refusal(`format=${enc(format)}`)).toStrictEqual(
				invalidParams(`format must be "json" or "csv", not ${JSON.stringify(format)} [invalid-params]`),
			);
		});
		it('format and query come after the other parameters', () => {
			expect(refusal('format=xml&query=x&sort=x').errorType).toBe('error-invalid-sort');
			expect(refusal('format=xml&query=x').error).toContain('format');
		});
	});

	describe('hostile input never throws', () => {
		it('random objects, values and keys', () => {
			const key = fc.oneof(
				fc.constantFrom(
					'agents',
					'agents[]',
					'agents[0]',
					'agents[x]',
					'tags',
					'count',
					'offset',
					'sort',
					'fields',
					'createdAt',
					'roomName',
					'open',
					'departmentId',
					'customFields',
					'__proto__',
					'constructor',
					'[]',
					'',
				),
				fc.string(),
			);
			fc.assert(
				fc.property(fc.dictionary(key, fc.anything({ withNullPrototype: true, withSparseArray: true, withDate: true, withMap: true })), (params) => {
					const result = parseRoomQuery(params);
					expect(typeof result.ok).toBe('boolean');
				}),
				{ numRuns: 1000 },
			);
		});
		it('random query strings through qs', () => {
			const part = fc.constantFrom(
				'agents',
				'tags',
				'count',
				'sort',
				'fields',
				'createdAt',
				'open',
				'units',
				'[',
				']',
				'=',
				'&',
				'{',
				'}',
				'"',
				"'",
				',',
				'0',
				'-1',
				'x',
				'%5B',
				'%22',
			);
			fc.assert(
				fc.property(fc.array(part, { maxLength: 30 }), (parts) => {
					expect(typeof parse(parts.join('')).ok).toBe('boolean');
				}),
				{ numRuns: 1000 },
			);
		});
		it('huge strings, long and sparse arrays, deep objects, non-objects', () => {
			const huge = 'x'.repeat(5_000_000);
			expect(parseRoomQuery({ roomName: huge }).ok).toBe(true);
			expect(parseRoomQuery({ tags: `[${'"a",'.repeat(100000)}"b"]` }).ok).toBe(true);
			expect(parseRoomQuery({ tags: '['.repeat(100000) + ']'.repeat(100000) }).ok).toBe(false);
			expect(parseRoomQuery({ sort: huge }).ok).toBe(false);
			expect(parseRoomQuery({ createdAt: `{"start":"${huge}"}` }).ok).toBe(false);
			const many = Array.from({ length: 10000 }, (_, i) => `agent${i}`);
			expect(value({ agents: many }).agents).toHaveLength(10000);
			const sparse: string[] = [];
			sparse[4_000_000_000] = 'far';
			sparse[3] = 'near';
			expect(value({ tags: sparse }).tags).toEqual(['near', 'far']);
			let deep: Record<string, unknown> = { a: 'x' };
			for (let i = 0; i < 10000; i++) deep = { a: deep };
			expect(parseRoomQuery({ agents: deep }).ok).toBe(false);
			expect(parseRoomQuery(null as unknown as Record<string, unknown>)).toMatchObject({ ok: true });
			expect(parseRoomQuery('agents=a' as unknown as Record<string, unknown>)).toMatchObject({ ok: true, value: { count: 50 } });
		});
		it('an input that throws when read', () => {
			const trap = new Proxy(
				{},
				{
					ownKeys: () => {
						throw new Error('trap');
					},
				},
			);
			expect(parseRoomQuery(trap)).toStrictEqual({
				ok: false,
				error: { ...invalidParams('query parameters must be an object of strings [invalid-params]'), fault: new Error('trap') },
			});
			const getter = Object.defineProperty({}, 'agents', {
				enumerable: true,
				get: () => {
					throw new Error('trap');
				},
			});
			expect(parseRoomQuery(getter).ok).toBe(false);
		});
		it('keeps every value of large lists, in order', () => {
			const many = Array.from({ length: 10000 }, (_, i) => `agent${i}`);
			expect(parseRoomQuery({ agents: many, tags: JSON.stringify(many) })).toMatchObject({ ok: true, value: { agents: many, tags: many } });
		});
	});
});
