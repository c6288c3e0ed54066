import { compileMongoFilter, parseMongoQuery, QUERY_LIMITS } from '../../src/query/mongoFilter';
import type { RoomFilter } from '../../src/query/mongoFilter';
import { compileMatcher } from '../../src/rooms/match';
import type { RoomDocument } from '../../src/rooms/RoomDocument';

const room = (fields: Record<string, unknown>): RoomDocument => ({ _id: 'r1', t: 'l', ...fields }) as RoomDocument;

function compiled(query: unknown): RoomFilter {
	const result = parseMongoQuery(typeof query === 'string' ? query : JSON.stringify(query));
	if (!result.ok) throw new Error(result.error.error);
	return result.value;
}

function refusal(query: unknown): string {
	const result = parseMongoQuery(typeof query === 'string' ? query : JSON.stringify(query));
	if (result.ok) throw new Error(`accepted ${JSON.stringify(query)}`);
	expect(result.error.status).toBe(400);
	expect(result.error.errorType).toBe('error-invalid-query');
	expect(result.error.error.endsWith(' [error-invalid-query]')).toBe(true);
	return result.error.error;
}

const d = (iso: string) => new Date(iso);

describe('parseMongoQuery: MongoDB semantics', () => {
	// Each row: filter, document fields, MongoDB's answer. Rows marked (mingo differs) are where mingo answers otherwise.
	test.each<[string, unknown, Record<string, unknown>, boolean]>([
		['implicit equality', { fname: 'Ana' }, { fname: 'Ana' }, true],
		['equality is case-sensitive', { fname: 'ana' }, { fname: 'Ana' }, false],
		['equality through a sub-document', { 'servedBy.username': 'maria' }, { servedBy: { _id: 'a1', username: 'maria' } }, true],
		['equality: an element of an array', { tags: 'vip' }, { tags: ['sales', 'vip'] }, true],
		['equality: the whole array', { tags: ['sales', 'vip'] }, { tags: ['sales', 'vip'] }, true],
		['equality: the whole array, in order', { tags: ['vip', 'sales'] }, { tags: ['sales', 'vip'] }, false],
		['equality: an array element of an array', { a: [1, 2] }, { a: [[1, 2], 3] }, true],
		['equality: a nested array is not walked', { a: 1 }, { a: [[1, 2]] }, false],
		['sub-document equality, field order matters', { v: { a: 1, b: 2 } }, { v: { b: 2, a: 1 } }, false],
		['sub-document equality', { v: { a: 1, b: 2 } }, { v: { a: 1, b: 2 } }, true],
		['{} equals an empty sub-document (mingo differs)', { v: {} }, { v: {} }, true],
		['null matches a missing field', { closedAt: null }, {}, true],
		['null matches null', { closedAt: null }, { closedAt: null }, true],
		['null does not match a value', { closedAt: null }, { closedAt: d('2024-01-01') }, false],
		['null: path through a scalar is missing', { 'a.b': null }, { a: 4 }, true],
		['null: a sub-document element without the field (mingo differs)', { 'a.b': null }, { a: [{}, { b: 5 }] }, true],
		['null: an empty array reaches nothing (mingo differs)', { 'a.b': null }, { a: [] }, false],
		['null: scalars in an array reach nothing (mingo differs)', { 'a.b': null }, { a: [5, { b: 5 }] }, false],
		['numeric segment: the element at that index', { 'tags.1': 'vip' }, { tags: ['sales', 'vip'] }, true],
		['numeric segment: not another index', { 'tags.0': 'vip' }, { tags: ['sales', 'vip'] }, false],
		// MongoDB compares the segment with the elements' own names ("0", "1", ...): "01" names no element.
		['numeric segment with a leading zero: no index', { 'tags.01': 'vip' }, { tags: ['sales', 'vip'] }, false],
		['numeric segment with a leading zero: a field of sub-document elements', { 'a.01': 1 }, { a: [{ '01': 1 }] }, true],
		['numeric segment with a leading zero: no index into sub-documents', { 'a.01.b': 1 }, { a: [{ c: 0 }, { b: 1 }] }, false],
		['numeric segment: also a field of sub-document elements (mingo differs)', { 'a.0': null }, { a: [5, { c: 1 }] }, true],
		['numeric segment into an element, then a field', { 'a.0.b': 1 }, { a: [{ b: 1 }] }, true],
		['implicit traversal of sub-documents', { 'a.b': 2 }, { a: [{ b: 1 }, { b: 2 }] }, true],
		['implicit traversal, then a leaf array', { 'a.b': 3 }, { a: [{ b: [2, 3] }] }, true],
		['no traversal of nested arrays in the middle (mingo differs)', { 'a.b': 1 }, { a: [[{ b: 1 }]] }, false],
		['$ne: no element equal', { tags: { $ne: 'vip' } }, { tags: ['sales', 'vip'] }, false],
		['$ne matches a missing field', { tags: { $ne: 'vip' } }, {}, true],
		['$ne null: present', { closedAt: { $ne: null } }, { closedAt: d('2024-01-01') }, true],
		['$gt on numbers', { msgs: { $gt: 3 } }, { msgs: 4 }, true],
		['$gt across types never matches', { msgs: { $gt: 3 } }, { msgs: '4' }, false],
		['$lt across types never matches', { fname: { $lt: 3 } }, { fname: 'a' }, false],
		['$gte on dates', { ts: { $gte: { $date: '2024-05-01T00:00:00Z' } } }, { ts: d('2024-05-01T00:00:00Z') }, true],
		['$lt on dates, millis', { ts: { $lt: { $date: 1714521600000 } } }, { ts: d('2024-04-30T23:59:59Z') }, true],
		['$lte with $numberLong', { ts: { $lte: { $date: { $numberLong: '1714521600000' } } } }, { ts: d('2024-05-01T00:00:00Z') }, true],
		['a date is not a string', { ts: { $gte: '2024-01-01' } }, { ts: d('2024-05-01') }, false],
		['$gt strings by code point', { fname: { $gt: 'Z' } }, { fname: 'a' }, true],
		['$gt: any element', { a: { $gt: 5 } }, { a: [1, 9] }, true],
		['range through different elements', { a: { $gt: 5, $lt: 3 } }, { a: [1, 9] }, true],
		['$gte null matches missing (mingo differs)', { a: { $gte: null } }, {}, true],
		['$gt null matches nothing', { a: { $gt: null } }, { a: null }, false],
		['$lt on arrays: the array itself (mingo differs)', { a: { $lt: ['X'] } }, { a: [] }, true],
		['$gt on sub-documents, BSON order (mingo differs)', { v: { $gt: { a: 1 } } }, { v: { a: 2 } }, true],
		['$in', { departmentId: { $in: ['d1', 'd2'] } }, { departmentId: 'd2' }, true],
		['$in with null matches missing', { departmentId: { $in: ['d1', null] } }, {}, true],
		['$in: array element', { tags: { $in: ['x', 'vip'] } }, { tags: ['vip'] }, true],
		['$in: empty list', { tags: { $in: [] } }, { tags: ['vip'] }, false],
		['$in with an array item: the whole array (mingo differs)', { a: { $in: [[]] } }, { a: [] }, true],
		['$nin', { tags: { $nin: ['vip'] } }, { tags: ['sales'] }, true],
		['$nin: empty list', { tags: { $nin: [] } }, {}, true],
		['$exists true', { closedAt: { $exists: true } }, { closedAt: d('2024-01-01') }, true],
		['$exists true on null', { closedAt: { $exists: true } }, { closedAt: null }, true],
		['$exists false', { closedAt: { $exists: false } }, {}, true],
		['$exists true through scalars (mingo differs)', { 'a.c': { $exists: true } }, { a: [[]] }, false],
		['$exists false through an empty array (mingo differs)', { 'a.b': { $exists: false } }, { a: [] }, true],
		['$type string', { fname: { $type: 'string' } }, { fname: 'x' }, true],
		['$type 2', { fname: { $type: 2 } }, { fname: 'x' }, true],
		['$type date', { ts: { $type: 'date' } }, { ts: d('2024-01-01') }, true],
		['$type date in an array (mingo differs)', { ts: { $type: 'date' } }, { ts: [d('2024-01-01')] }, true],
		['$type array', { tags: { $type: 'array' } }, { tags: [] }, true],
		['$type int (mingo differs)', { msgs: { $type: 'int' } }, { msgs: 3 }, true],
		['$type double, for an integer (mingo differs)', { msgs: { $type: 'double' } }, { msgs: 3 }, false],
		['$type double', { msgs: { $type: 'double' } }, { msgs: 3.5 }, true],
		['$type number', { msgs: { $type: 'number' } }, { msgs: 3.5 }, true],
		['$type list', { msgs: { $type: ['string', 'null'] } }, { msgs: null }, true],
		['$type null does not match missing', { msgs: { $type: 'null' } }, {}, false],
		['$type object', { v: { $type: 'object' } }, { v: {} }, true],
		['$type bool', { open: { $type: 'bool' } }, { open: true }, true],
		['$size', { tags: { $size: 2 } }, { tags: ['a', 'b'] }, true],
		['$size: the array only, not nested ones', { a: { $size: 1 } }, { a: [[1, 2], [3]] }, false],
		['$size through sub-documents', { 'a.b': { $size: 1 } }, { a: [{ b: [1] }] }, true],
		['$all', { tags: { $all: ['a', 'b'] } }, { tags: ['b', 'c', 'a'] }, true],
		['$all: one missing', { tags: { $all: ['a', 'd'] } }, { tags: ['b', 'c', 'a'] }, false],
		['$all on a scalar (mingo differs)', { fname: { $all: ['x'] } }, { fname: 'x' }, true],
		['$all [] matches nothing', { tags: { $all: [] } }, { tags: [] }, false],
		['$all with $elemMatch', { a: { $all: [{ $elemMatch: { b: 1 } }, { $elemMatch: { b: 2 } }] } }, { a: [{ b: 1 }, { b: 2 }] }, true],
		['$elemMatch, operators', { a: { $elemMatch: { $gt: 1, $lt: 3 } } }, { a: [0, 2] }, true],
		['$elemMatch, operators on one element', { a: { $elemMatch: { $gt: 1, $lt: 3 } } }, { a: [0, 5] }, false],
		['$elemMatch, sub-documents', { a: { $elemMatch: { b: 1, c: 2 } } }, { a: [{ b: 1 }, { b: 1, c: 2 }] }, true],
		['$elemMatch, sub-documents: one element must hold all', { a: { $elemMatch: { b: 1, c: 2 } } }, { a: [{ b: 1 }, { c: 2 }] }, false],
		['$elemMatch on scalars, sub-document form (mingo differs)', { a: { $elemMatch: { b: null } } }, { a: [null, 1] }, false],
		['$elemMatch on a scalar', { a: { $elemMatch: { $eq: 1 } } }, { a: 1 }, false],
		['$elemMatch with $or inside', { a: { $elemMatch: { $or: [{ b: 1 }, { c: 1 }] } } }, { a: [{ c: 1 }] }, true],
		['$not', { msgs: { $not: { $gt: 3 } } }, { msgs: 2 }, true],
		['$not matches missing', { msgs: { $not: { $gt: 3 } } }, {}, true],
		['$not with $regex', { fname: { $not: { $regex: '^A' } } }, { fname: 'Ana' }, false],
		['$and', { $and: [{ msgs: 1 }, { fname: 'x' }] }, { msgs: 1, fname: 'x' }, true],
		['$or', { $or: [{ msgs: 2 }, { fname: 'x' }] }, { msgs: 1, fname: 'x' }, true],
		['$nor', { $nor: [{ msgs: 2 }, { fname: 'x' }] }, { msgs: 1, fname: 'x' }, false],
		['several fields: all must hold', { msgs: 1, fname: 'y' }, { msgs: 1, fname: 'x' }, false],
		['{} matches everything', {}, {}, true],
		['$regex: substring', { fname: { $regex: 'na' } }, { fname: 'Ana' }, true],
		['$regex: case-sensitive', { fname: { $regex: 'an' } }, { fname: 'ANA' }, false],
		['$regex with i', { fname: { $regex: 'an', $options: 'i' } }, { fname: 'ANA' }, true],
		['$regex with i, beyond ASCII', { fname: { $regex: 'JOSÉ', $options: 'i' } }, { fname: 'josé' }, true],
		['$regex ^', { fname: { $regex: '^An' } }, { fname: 'Ana' }, true],
		['$regex ^ not at start', { fname: { $regex: '^na' } }, { fname: 'Ana' }, false],
		['$regex $', { fname: { $regex: 'na$' } }, { fname: 'Ana' }, true],
		['$regex $ before a final newline, as PCRE', { fname: { $regex: 'na$' } }, { fname: 'Ana\n' }, true],
		['$regex ^...$', { fname: { $regex: '^Ana$' } }, { fname: 'Ana' }, true],
		['$regex ^...$: whole text only', { fname: { $regex: '^Ana$' } }, { fname: 'Anab' }, false],
		['$regex escaped punctuation is literal', { fname: { $regex: 'a\\.b\\$' } }, { fname: 'xa.b$y' }, true],
		['$regex escaped dot is not a wildcard', { fname: { $regex: 'a\\.b' } }, { fname: 'axb' }, false],
		['$regex on an array element', { tags: { $regex: '^vi' } }, { tags: ['sales', 'vip'] }, true],
		['$regex never matches a number', { msgs: { $regex: '1' } }, { msgs: 1 }, false],
		['$regex empty pattern matches any string', { fname: { $regex: '' } }, { fname: '' }, true],
		['$options empty', { fname: { $regex: 'A', $options: '' } }, { fname: 'Ana' }, true],
	])('%s', (_name, filter, fields, expected) => {
		expect(compiled(filter)(room(fields))).toBe(expected);
	});

	it('ANDs several operators on one field, each on its own', () => {
		const test = compiled({ msgs: { $gte: 2, $lte: 4, $ne: 3 } });
		expect([1, 2, 3, 4, 5].map((msgs) => test(room({ msgs })))).toEqual([false, true, false, true, false]);
	});

	it('reads dates in extended JSON anywhere a value goes', () => {
		const may = { $date: '2024-05-01T00:00:00.000Z' };
		expect(compiled({ ts: may })(room({ ts: d('2024-05-01T00:00:00Z') }))).toBe(true);
		expect(compiled({ ts: { $in: [may] } })(room({ ts: d('2024-05-01T00:00:00Z') }))).toBe(true);
		expect(compiled({ a: [may] })(room({ a: [d('2024-05-01T00:00:00Z')] }))).toBe(true);
		expect(compiled({ v: { at: may } })(room({ v: { at: d('2024-05-01T00:00:00Z') } }))).toBe(true);
	});
});

describe('parseMongoQuery: prototype keys', () => {
	test.each(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'])('%s behaves as any missing field', (key) => {
		const plain = room({ fname: 'x' });
		expect(compiled(`{"${key}": null}`)(plain)).toBe(true);
		expect(compiled(`{"${key}": {"$exists": true}}`)(plain)).toBe(false);
		expect(compiled(`{"${key}.constructor": {"$exists": true}}`)(plain)).toBe(false);
		expect(compiled(`{"v.${key}": {"$exists": true}}`)(room({ v: {} }))).toBe(false);
		expect(compiled(`{"${key}": {"$type": "object"}}`)(plain)).toBe(false);
		expect(compiled(`{"tags.${key}": {"$exists": true}}`)(room({ tags: [] }))).toBe(false);
	});

	it('reads an own field named __proto__, and never pollutes Object.prototype', () => {
		const own = JSON.parse('{"_id": "r", "t": "l", "__proto__": {"polluted": 1}}') as RoomDocument;
		expect(compiled('{"__proto__.polluted": 1}')(own)).toBe(true);
		expect(compiled('{"v": {"__proto__": {"polluted": 1}}}')(room({ v: JSON.parse('{"__proto__": {"polluted": 1}}') }))).toBe(true);
		expect(compiled('{"$or": [{"__proto__": {"polluted": 1}}]}')(room({}))).toBe(false);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});

describe('parseMongoQuery: refusals', () => {
	test.each(['not json', '[]', '"text"', '1', 'null', 'true', '[{"a":1}]', '{"a":'])('not a JSON object: %s', (raw) => {
		expect(refusal(raw)).toBe(`Invalid query parameter provided: "${raw}" [error-invalid-query]`);
	});

	test.each([
		['$where', { $where: 'this.a == 1' }],
		['$function', { a: { $function: {} } }],
		['$expr', { $expr: { $eq: ['$a', 1] } }],
		['$text', { $text: { $search: 'x' } }],
		['$jsonSchema', { $jsonSchema: {} }],
		['$comment', { $comment: 'x' }],
		['$mod', { msgs: { $mod: [2, 0] } }],
		['$geoWithin', { loc: { $geoWithin: { $centerSphere: [[0, 0], 1] } } }],
		['$geoIntersects', { loc: { $geoIntersects: {} } }],
		['$near', { loc: { $near: [0, 0] } }],
		['$nearSphere', { loc: { $nearSphere: [0, 0] } }],
		['$bitsAllSet', { msgs: { $bitsAllSet: 1 } }],
		['$sampleRate', { $sampleRate: 0.5 }],
		['$foo', { a: { $foo: 1 } }],
		['$not', { $not: { a: 1 } }],
		['$eq', { $eq: 1 }],
		['$oid', { _id: { $oid: '0123456789abcdef01234567' } }],
		['$gt', { v: { a: { $gt: 1 } } }],
		['$where', { $or: [{ a: 1 }, { $where: 'sleep(1)' }] }],
		['$expr', { a: { $elemMatch: { $expr: {} } } }],
		['$regex', { a: { $in: [{ $regex: 'x' }] } }],
		['b', { a: { $gt: 1, b: 2 } }],
	])('names the operator %s', (operator, filter) => {
		expect(refusal(filter)).toContain(`"${operator}"`);
	});

	test.each([
		['(a+)+$'],
		['^(a|a)*$'],
		['.*'],
		['a.b'],
		['[abc]'],
		['a{2}'],
		['a?'],
		['a|b'],
		['\\d+'],
		['\\w'],
		['\\bword'],
		['a^b'],
		['a$b'],
		['\\'],
		['ends with backslash\\'],
		['(?i)a'],
		['\\1'],
	])('a $regex that is not literal text: %s', (pattern) => {
		expect(refusal({ fname: { $regex: pattern } })).toBe(
			'Invalid query parameter: "$regex" accepts only literal text, optionally anchored with ^ and $ [error-invalid-query]',
		);
	});

	test.each(['m', 's', 'x', 'im', 'u', 'g', 1])('$options other than "i": %s', (options) => {
		expect(refusal({ fname: { $regex: 'a', $options: options } })).toContain('"$options"');
	});

	test.each<[string, unknown, string]>([
		['$options without $regex', { fname: { $options: 'i' } }, '"$options"'],
		['$regex not a string', { fname: { $regex: 1 } }, '"$regex"'],
		['$in not a list', { tags: { $in: 'vip' } }, '"$in"'],
		['$nin not a list', { tags: { $nin: 1 } }, '"$nin"'],
		['$all not a list', { tags: { $all: 'vip' } }, '"$all"'],
		['$all with an operator object', { tags: { $all: [{ $gt: 1 }] } }, '"$gt"'],
		['$size not a number', { tags: { $size: '2' } }, '"$size"'],
		['$size negative', { tags: { $size: -1 } }, '"$size"'],
		['$size not an integer', { tags: { $size: 1.5 } }, '"$size"'],
		['$type unknown', { tags: { $type: 'text' } }, '"$type"'],
		['$type empty list', { tags: { $type: [] } }, '"$type"'],
		['$elemMatch not an object', { tags: { $elemMatch: 1 } }, '"$elemMatch"'],
		['$not not an object', { msgs: { $not: 1 } }, '"$not"'],
		['$not with a plain sub-document', { msgs: { $not: { a: 1 } } }, '"$not"'],
		['$and not a list', { $and: { a: 1 } }, '"$and"'],
		['$or empty', { $or: [] }, '"$or"'],
		['$nor with a scalar', { $nor: [1] }, '"$nor"'],
		['$date not a date', { ts: { $date: 'yesterday' } }, '"$date"'],
		['$date with other keys', { ts: { $date: 0, x: 1 } }, '"$date"'],
		['$date a fraction of a millisecond', { ts: { $date: 0.5 } }, '"$date"'],
		['an empty operator object (via $not)', { msgs: { $not: {} } }, '"$not"'],
	])('%s', (_name, filter, named) => {
		expect(refusal(filter)).toContain(named);
	});
});

describe('parseMongoQuery: limits', () => {
	it('length', () => {
		const raw = JSON.stringify({ fname: 'x'.repeat(QUERY_LIMITS.length) });
		expect(refusal(raw)).toBe(`Invalid query parameter: longer than ${QUERY_LIMITS.length} characters (limit: length) [error-invalid-query]`);
	});
	it('depth', () => {
		let filter: unknown = { a: 1 };
		for (let i = 0; i < QUERY_LIMITS.depth; i++) filter = { $and: [filter] };
		expect(refusal(filter)).toBe(`Invalid query parameter: nested deeper than ${QUERY_LIMITS.depth} levels (limit: depth) [error-invalid-query]`);
		let allowed: unknown = { a: 1 };
		for (let i = 0; i < QUERY_LIMITS.depth / 2 - 1; i++) allowed = { $and: [allowed] };
		expect(compiled(allowed)(room({ a: 1 }))).toBe(true);
	});
	it('list size', () => {
		const list = Array.from({ length: QUERY_LIMITS.listSize + 1 }, (_, i) => i);
		expect(refusal({ msgs: { $in: list } })).toBe(
			`Invalid query parameter: a list longer than ${QUERY_LIMITS.listSize} elements (limit: list size) [error-invalid-query]`,
		);
		expect(compiled({ msgs: { $in: list.slice(1) } })(room({ msgs: QUERY_LIMITS.listSize }))).toBe(true);
	});
	it('clauses', () => {
		const filter: Record<string, unknown> = {};
		for (let i = 0; i < QUERY_LIMITS.clauses; i++) filter[`f${i}`] = { $exists: false };
		expect(refusal(filter)).toBe(`Invalid query parameter: more than ${QUERY_LIMITS.clauses} clauses (limit: clauses) [error-invalid-query]`);
		const fewer = Object.fromEntries(Object.entries(filter).slice(0, QUERY_LIMITS.clauses / 4));
		expect(compiled(fewer)(room({}))).toBe(true);
	});
	it('string length, for values and for field names', () => {
		const long = 'x'.repeat(QUERY_LIMITS.stringLength + 1);
		const message = `Invalid query parameter: a string longer than ${QUERY_LIMITS.stringLength} characters (limit: string length) [error-invalid-query]`;
		expect(refusal({ fname: long })).toBe(message);
		expect(refusal({ [long]: 1 })).toBe(message);
		expect(refusal({ fname: { $regex: long } })).toBe(message);
	});
});

describe('parseMongoQuery: hostile input is answered, never thrown', () => {
	test.each([
		['objects 10,000 deep', '{"a":'.repeat(10000) + '1' + '}'.repeat(10000)],
		['arrays 10,000 deep', '{"a":' + '['.repeat(10000) + ']'.repeat(10000) + '}'],
		['$and 10,000 deep', '{"$and":['.repeat(6000) + '{}' + ']}'.repeat(6000)],
		['$in of 100,000', JSON.stringify({ _id: { $in: Array.from({ length: 100000 }, (_, i) => i) } })],
		['$in of 10,000 short values', JSON.stringify({ msgs: { $in: Array.from({ length: 10000 }, () => 1) } })],
		['a backtracking pattern', JSON.stringify({ fname: { $regex: '(a+)+$' } })],
		['a 1 MB string', JSON.stringify({ fname: 'a'.repeat(1 << 20) })],
		['10,000 keys', JSON.stringify(Object.fromEntries(Array.from({ length: 10000 }, (_, i) => [`k${i}`, 1])))],
	])('%s', (_name, raw) => {
		const result = parseMongoQuery(raw);
		expect(result.ok).toBe(false);
	});

	it('matches long text against a literal pattern in linear time (no backtracking)', () => {
		const text = 'a'.repeat(200000);
		for (const pattern of [`${'a'.repeat(3000)}b`, `^${'a'.repeat(3000)}b$`, `${'a'.repeat(3000)}b$`]) {
			for (const options of ['', 'i']) {
				expect(compiled({ fname: { $regex: pattern, $options: options } })(room({ fname: text }))).toBe(false);
			}
		}
		expect(compiled({ fname: { $regex: 'a'.repeat(3000) } })(room({ fname: text }))).toBe(true);
	});

	it('does not throw on room documents the filter cannot walk', () => {
		const deep: Record<string, unknown> = {};
		let cursor = deep;
		for (let i = 0; i < 5000; i++) cursor = (cursor.a = {}) as Record<string, unknown>;
		const test = compiled({ v: { $gt: { a: 1 } } });
		expect(test(room({ v: deep }))).toBe(true);
		expect(compiled({ 'a.a.a.a': { $exists: true } })(room(deep))).toBe(true);
	});

	it('compiles a parsed value too, with the same refusals', () => {
		expect(compileMongoFilter([1]).ok).toBe(false);
		expect(compileMongoFilter({ $where: '1' }).ok).toBe(false);
		const result = compileMongoFilter({ msgs: 1 });
		expect(result.ok && result.value(room({ msgs: 1 }))).toBe(true);
	});
});

describe('compileMatcher with a query', () => {
	it('ANDs the compiled filter with every other filter', () => {
		const filter = compiled({ msgs: { $gte: 2 } });
		const base = { offset: 0, count: 50, sort: [] };
		const rooms = [room({ _id: 'a', msgs: 1, tags: ['vip'] }), room({ _id: 'b', msgs: 3, tags: ['vip'] }), room({ _id: 'c', msgs: 3 })];
		expect(rooms.filter(compileMatcher({ ...base, filter, tags: ['vip'] })).map((r) => r._id)).toEqual(['b']);
		expect(rooms.filter(compileMatcher({ ...base, filter })).map((r) => r._id)).toEqual(['b', 'c']);
		expect(rooms.filter(compileMatcher({ ...base, tags: ['vip'] })).map((r) => r._id)).toEqual(['a', 'b']);
	});
});
