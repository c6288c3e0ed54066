import fc from 'fast-check';

import { csvCell, csvColumns, DEFAULT_CSV_COLUMNS, roomsToCsv } from '../../src/rooms/csv';
import type { RoomDocument } from '../../src/rooms/RoomDocument';

/** A strict RFC 4180 reader: records end with CRLF, quoted fields double their quotes. Throws on anything else. */
function parseCsv(text: string): string[][] {
	const records: string[][] = [];
	let record: string[] = [];
	let i = 0;
	while (i < text.length) {
		let field = '';
		if (text[i] === '"') {
			i++;
			for (;;) {
				if (i >= text.length) throw new Error('unterminated quote');
				if (text[i] === '"') {
					if (text[i + 1] === '"') {
						field += '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				field += text[i++];
			}
		} else {
			while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
				if (text[i] === '"') throw new Error(`quote inside an unquoted field at ${i}`);
				field += text[i++];
			}
		}
		record.push(field);
		if (text[i] === ',') {
			i++;
			continue;
		}
		if (text.slice(i, i + 2) !== '\r\n') throw new Error(`expected CRLF at ${i}`);
		i += 2;
		records.push(record);
		record = [];
	}
	return records;
}

const room = (fields: Record<string, unknown>): RoomDocument => ({ _id: 'r', t: 'l', ...fields }) as RoomDocument;

describe('roomsToCsv', () => {
	it('default columns, derived status, lists, dates, CRLF', () => {
		const rooms = [
			room({
				_id: 'r1',
				fname: 'Ana, "the" visitor',
				open: true,
				servedBy: { _id: 'a1', username: 'maria' },
				department: { _id: 'd1', name: 'Sales' },
				ts: new Date('2024-05-01T10:00:00Z'),
				tags: ['vip', 'billing'],
				source: { type: 'widget' },
				msgs: 3,
			}),
			room({ _id: 'r2', open: true, ts: new Date('2024-05-02T10:00:00Z') }),
			room({ _id: 'r3', servedBy: { _id: 'a1', username: 'maria' }, closedAt: new Date('2024-05-03T00:00:00Z'), msgs: 0 }),
			room({ _id: 'r4', open: true, onHold: true, servedBy: { _id: 'a1' }, fname: 'line\nbreak' }),
		];
		const text = roomsToCsv(rooms);
		expect(text.endsWith('\r\n')).toBe(true);
		expect(parseCsv(text)).toEqual([
			[...DEFAULT_CSV_COLUMNS],
			['r1', 'Ana, "the" visitor', 'open', 'maria', 'Sales', '2024-05-01T10:00:00.000Z', '', 'vip;billing', 'widget', '3'],
			['r2', '', 'queued', '', '', '2024-05-02T10:00:00.000Z', '', '', '', ''],
			['r3', '', 'closed', 'maria', '', '', '2024-05-03T00:00:00.000Z', '', '', '0'],
			['r4', 'line\nbreak', 'onhold', '', '', '', '', '', '', ''],
		]);
	});

	it('no rooms: the header alone', () => {
		expect(roomsToCsv([])).toBe(`${DEFAULT_CSV_COLUMNS.join(',')}\r\n`);
	});

	it('columns: the fields inclusion, _id first unless left out; the defaults otherwise', () => {
		expect(csvColumns({ mode: 'include', paths: ['fname', 'v.username'], keepId: true })).toEqual(['_id', 'fname', 'v.username']);
		expect(csvColumns({ mode: 'include', paths: ['fname'], keepId: false })).toEqual(['fname']);
		expect(csvColumns({ mode: 'exclude', paths: ['lastMessage'], keepId: true })).toBe(DEFAULT_CSV_COLUMNS);
		expect(csvColumns(undefined)).toBe(DEFAULT_CSV_COLUMNS);
	});

	it('objects as JSON, dates inside lists as ISO-8601, paths through arrays of sub-documents', () => {
		const text = roomsToCsv(
			[
				room({
					_id: 'r1',
					v: { username: 'guest', status: 'online' },
					livechatData: { plan: 'gold' },
					a: [{ b: 1 }, { b: 2 }, { c: 3 }],
					d: [new Date(0), null, true],
				}),
			],
			['_id', 'v', 'livechatData.plan', 'a.b', 'd', 'missing', 'v.missing'],
		);
		expect(parseCsv(text)[1]).toEqual(['r1', '{"username":"guest","status":"online"}', 'gold', '1;2', '1970-01-01T00:00:00.000Z;;true', '', '']);
	});

	test.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://x","y")', '-', "=cmd|' /C calc'!A0"])(
		'a cell starting as a formula is prefixed with a quote: %j',
		(value) => {
			const [, [cell]] = parseCsv(roomsToCsv([room({ fname: value })], ['fname']));
			expect(cell).toBe(`'${value}`);
		},
	);

	it('numbers that start with - are guarded too (every cell is)', () => {
		expect(csvCell(-3)).toBe("'-3");
		expect(csvCell(3)).toBe('3');
	});

	it('guards and quotes the header as well', () => {
		expect(parseCsv(roomsToCsv([], ['=x', 'a,b']))).toEqual([["'=x", 'a,b']]);
	});

	it('round-trips any text through an RFC 4180 reader, guarded', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.tuple(
						fc.string({ unit: 'binary', maxLength: 12 }),
						fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', '=', '+', '-', '@', '\t', ' ', 'é'), maxLength: 12 }),
					),
					{ maxLength: 10 },
				),
				(values) => {
					const rooms = values.map(([fname, tag], i) => room({ _id: `r${i}`, fname, tags: [tag] }));
					const parsed = parseCsv(roomsToCsv(rooms, ['_id', 'fname', 'tags']));
					expect(parsed.length).toBe(rooms.length + 1);
					const guard = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
					parsed.slice(1).forEach((record, i) => expect(record).toEqual([`r${i}`, guard(values[i][0]), guard(values[i][1])]));
				},
			),
			{ numRuns: 300, seed: 3 },
		);
	});
});
