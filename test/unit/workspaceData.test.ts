import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { DEMO_DEPARTMENTS, DEMO_NOW, DEMO_ROOM_COUNT, DEMO_UNITS, DEMO_USERS, demoData } from '../../workspace/data/demo';
import { DataFileError, loadDataFile, parseData } from '../../workspace/data/load';
import type { StoredRoom } from '../../workspace/data/types';

const USER = { _id: 'u1', username: 'alice', name: 'Alice', roles: ['livechat-agent'], authToken: 'token-1' };
const ROOM = { _id: 'r1', t: 'l', ts: '2026-10-01T10:00:00.000Z' };

/** The message of the `DataFileError` that parsing `json` as `rooms.json` throws. */
function problem(json: unknown): string {
	try {
		parseData(json, 'rooms.json');
	} catch (error) {
		expect(error).toBeInstanceOf(DataFileError);
		return (error as Error).message;
	}
	throw new Error('parseData accepted the data');
}

const withRooms = (...rooms: unknown[]): unknown => ({ users: [USER], rooms });

type State = 'queued' | 'waiting' | 'served' | 'onHold' | 'closed' | 'abandoned';

/** The state of a livechat room, from the stored fields alone, as the rooms query reads them. */
function stateOf(room: StoredRoom): State {
	if (room.open !== true) return room.servedBy ? 'closed' : 'abandoned';
	if (room.onHold === true) return 'onHold';
	if (!room.servedBy) return 'queued';
	return room.waitingResponse === true ? 'waiting' : 'served';
}

const livechat = (rooms: readonly StoredRoom[]): StoredRoom[] => rooms.filter((room) => room.t === 'l');

describe('parseData', () => {
	it('accepts the documented shape and returns users, departments and rooms', () => {
		const data = parseData({ users: [USER], departments: [{ _id: 'd1', name: 'Sales', enabled: true }], rooms: [ROOM] }, 'rooms.json');
		expect(data.users).toEqual([USER]);
		expect(data.departments).toEqual([{ _id: 'd1', name: 'Sales', enabled: true }]);
		expect(data.rooms).toEqual([{ _id: 'r1', t: 'l', ts: new Date('2026-10-01T10:00:00.000Z') }]);
	});

	it('lets departments be left out, and keeps only the documented user and department fields', () => {
		const data = parseData({ users: [{ ...USER, emails: [] }], rooms: [] }, 'rooms.json');
		expect(data.departments).toEqual([]);
		expect(data.users).toEqual([USER]);
		const withExtra = parseData({ users: [], departments: [{ _id: 'd1', name: 'Sales', enabled: false, numAgents: 2 }], rooms: [] }, 'x');
		expect(withExtra.departments).toEqual([{ _id: 'd1', name: 'Sales', enabled: false }]);
	});

	it('turns the ISO strings of the known date fields into Dates, and leaves other strings alone', () => {
		const iso = '2026-10-01T10:00:00.000Z';
		const [room] = parseData(
			withRooms({
				_id: 'r1',
				t: 'l',
				ts: iso,
				_updatedAt: '2026-10-01T12:00:00+02:00',
				lm: iso,
				closedAt: iso,
				queuedAt: iso,
				servedBy: { _id: 'a', username: 'alice', ts: iso },
				responseBy: { _id: 'a', username: 'alice', firstResponseTs: iso, lastMessageTs: iso },
				v: { _id: 'v', token: 't', lastMessageTs: iso },
				lastMessage: { _id: 'm', msg: iso, ts: iso, _updatedAt: iso },
				metrics: { v: { lq: iso }, servedBy: { lr: iso }, response: { fd: iso, ft: 3 }, reaction: { fd: iso } },
				livechatData: { since: iso },
				fname: iso,
			}),
			'rooms.json',
		).rooms;
		const date = new Date(iso);
		expect(room).toMatchObject({
			ts: date,
			_updatedAt: date,
			lm: date,
			closedAt: date,
			queuedAt: date,
			servedBy: { ts: date },
			responseBy: { firstResponseTs: date, lastMessageTs: date },
			v: { lastMessageTs: date },
			lastMessage: { ts: date, _updatedAt: date },
			metrics: { v: { lq: date }, servedBy: { lr: date }, response: { fd: date }, reaction: { fd: date } },
		});
		expect(room.livechatData).toEqual({ since: iso });
		expect(room.fname).toBe(iso);
		expect((room.lastMessage as Record<string, unknown>).msg).toBe(iso);
	});

	it('decodes MongoDB extended JSON anywhere in a document', () => {
		const millis = Date.UTC(2019, 7, 9, 20, 18, 2, 108);
		const [room] = parseData(
			withRooms({
				_id: { $oid: '5d4dd3aa1b9d2f0c8c0b1e2a' },
				t: 'l',
				ts: { $date: '2019-08-09T20:18:02.108Z' },
				lm: { $date: millis },
				_updatedAt: { $date: { $numberLong: String(millis) } },
				msgs: { $numberInt: '7' },
				usersCount: { $numberLong: '2' },
				livechatData: { score: { $numberDouble: '4.5' }, nan: { $numberDouble: 'NaN' }, seen: { $date: '2019-08-09T20:18:02.108Z' } },
				tags: ['rocket', 'chat'],
				metrics: { chatDuration: { $numberDouble: '-1.5e2' } },
			}),
			'rooms.json',
		).rooms;
		const date = new Date(millis);
		expect(room._id).toBe('5d4dd3aa1b9d2f0c8c0b1e2a');
		expect(room.ts).toEqual(date);
		expect(room.lm).toEqual(date);
		expect(room._updatedAt).toEqual(date);
		expect(room.msgs).toBe(7);
		expect(room.usersCount).toBe(2);
		expect(room.livechatData).toEqual({ score: 4.5, nan: NaN, seen: date });
		expect(room.metrics).toEqual({ chatDuration: -150 });
	});

	it('reads a mongoexport --jsonArray document of rocketchat_room pasted under "rooms"', () => {
		const exported = JSON.parse(`[{
			"_id": "9dQMveZhqxiDgCM3B", "msgs": {"$numberInt": "1"}, "usersCount": {"$numberInt": "1"},
			"lm": {"$date": {"$numberLong": "1565381882350"}}, "fname": "Marcos Defendi", "t": "l",
			"ts": {"$date": "2019-08-09T20:18:02.108Z"},
			"v": {"_id": "xh45w4y7oPW5SiMJu", "username": "guest-4", "token": "xn5hdkyptei11m07f3me", "status": "online"},
			"servedBy": {"_id": "3kyWm8PsmwhC7xgwg", "username": "marcos", "ts": {"$date": "2019-08-09T20:18:02.109Z"}},
			"cl": false, "open": true, "waitingResponse": true, "departmentId": "xnmXQmytuvxp2TuSC",
			"_updatedAt": {"$date": "2019-08-09T20:19:34.856Z"},
			"lastMessage": {"_id": "TBEz7zSCBaKsfyrzc", "rid": "9dQMveZhqxiDgCM3B", "msg": "Hello", "ts": {"$date": "2019-08-09T20:18:02.350Z"},
				"u": {"_id": "xh45w4y7oPW5SiMJu", "username": "guest-4", "name": "Marcos Defendi"}, "mentions": [], "channels": []},
			"metrics": {"v": {"lq": {"$date": "2019-08-09T20:18:02.350Z"}}},
			"livechatData": {"docId": "0310584343112"}, "tags": ["rocket", "chat"], "name": "Marcos Defendi"
		}]`);
		const [room] = parseData({ users: [], rooms: exported }, 'export.json').rooms;
		expect(room.msgs).toBe(1);
		expect(room.lm).toEqual(new Date('2019-08-09T20:18:02.350Z'));
		expect(room.servedBy).toEqual({ _id: '3kyWm8PsmwhC7xgwg', username: 'marcos', ts: new Date('2019-08-09T20:18:02.109Z') });
		expect((room.metrics as { v: { lq: Date } }).v.lq).toEqual(new Date('2019-08-09T20:18:02.350Z'));
		expect(room.livechatData).toEqual({ docId: '0310584343112' });
	});

	it('keeps rooms of other types, in order', () => {
		const rooms = [
			ROOM,
			{ _id: 'GENERAL', t: 'c', name: 'general' },
			{ _id: 'p1', t: 'p' },
			{ _id: 'ab', t: 'd', usernames: ['a', 'b'] },
			{ _id: 'r2', t: 'l' },
		];
		expect(parseData(withRooms(...rooms), 'rooms.json').rooms.map((room) => [room._id, room.t])).toEqual([
			['r1', 'l'],
			['GENERAL', 'c'],
			['p1', 'p'],
			['ab', 'd'],
			['r2', 'l'],
		]);
	});

	it('accepts null in optional fields, as MongoDB may store it, and keeps it', () => {
		const [room] = parseData(withRooms({ ...ROOM, departmentId: null, closedAt: null, tags: null }), 'rooms.json').rooms;
		expect(room).toEqual({ _id: 'r1', t: 'l', ts: new Date(ROOM.ts), departmentId: null, closedAt: null, tags: null });
	});

	it('does not modify its input', () => {
		const input = withRooms({ _id: { $oid: '5d4dd3aa1b9d2f0c8c0b1e2a' }, t: 'l', ts: ROOM.ts, metrics: { v: { lq: { $date: 0 } } } });
		const copy = JSON.parse(JSON.stringify(input));
		parseData(input, 'rooms.json');
		expect(input).toEqual(copy);
	});

	it('accepts demo data as it is and as JSON, giving back the same rooms', () => {
		const data = demoData({ rooms: 200 });
		expect(parseData(data, 'demo').rooms).toEqual(data.rooms);
		expect(parseData(JSON.parse(JSON.stringify(data)), 'demo.json')).toEqual(data);
	});
});

describe('parseData error messages name the file and the problem', () => {
	const rooms13 = Array.from({ length: 13 }, (_, i) => ({ _id: `r${i}`, t: 'l' }));
	rooms13[12] = { _id: '', t: 'l' };
	const cases: Array<[string, unknown, string]> = [
		[
			'a top-level array',
			[ROOM],
			'rooms.json: the top level is an array; it must be an object {"users": [...], "departments": [...], "rooms": [...]} (put a mongoexport --jsonArray of rocketchat_room under "rooms")',
		],
		['a top-level scalar', 42, 'rooms.json: the top level must be an object {"users": [...], "departments": [...], "rooms": [...]}'],
		[
			'an unknown top-level key',
			{ users: [], rooms: [], room: [] },
			'rooms.json: unknown top-level key "room" (expected "users", "departments" and "rooms")',
		],
		['missing users', { rooms: [] }, 'rooms.json: missing "users" (an array of {_id, username, name, roles, authToken})'],
		['missing rooms', { users: [] }, 'rooms.json: missing "rooms" (an array of room documents)'],
		['users not an array', { users: {}, rooms: [] }, 'rooms.json: users must be an array (got {})'],
		['departments null', { users: [], departments: null, rooms: [] }, 'rooms.json: departments must be an array (got null)'],
		['rooms a string', { users: [], rooms: 'x' }, 'rooms.json: rooms must be an array (got "x")'],
		['a user that is not an object', { users: [USER, 'bob'], rooms: [] }, 'rooms.json: users[1] must be an object (got "bob")'],
		[
			'roles not strings',
			{ users: [USER, { ...USER, _id: 'u2', username: 'bob' }, { ...USER, _id: 'u3', username: 'carl', roles: 'admin' }], rooms: [] },
			'rooms.json: users[2].roles must be an array of strings',
		],
		['roles with a number', { users: [{ ...USER, roles: ['user', 1] }], rooms: [] }, 'rooms.json: users[0].roles must be an array of strings'],
		['an empty user id', { users: [{ ...USER, _id: '' }], rooms: [] }, 'rooms.json: users[0]._id must be a non-empty string'],
		['a missing username', { users: [{ ...USER, username: undefined }], rooms: [] }, 'rooms.json: users[0].username must be a non-empty string'],
		['a missing name', { users: [{ ...USER, name: 3 }], rooms: [] }, 'rooms.json: users[0].name must be a non-empty string'],
		['a missing token', { users: [{ ...USER, authToken: undefined }], rooms: [] }, 'rooms.json: users[0].authToken must be a non-empty string'],
		['a duplicate user id', { users: [USER, { ...USER, username: 'bob' }], rooms: [] }, 'rooms.json: users[1]._id "u1" duplicates users[0]._id'],
		['a duplicate username', { users: [USER, { ...USER, _id: 'u2' }], rooms: [] }, 'rooms.json: users[1].username "alice" duplicates users[0].username'],
		[
			'enabled not a boolean',
			{
				users: [],
				departments: [
					{ _id: 'd', name: 'S', enabled: true },
					{ _id: 'e', name: 'T', enabled: 'yes' },
				],
				rooms: [],
			},
			'rooms.json: departments[1].enabled must be a boolean',
		],
		[
			'a department without name',
			{ users: [], departments: [{ _id: 'd', enabled: true }], rooms: [] },
			'rooms.json: departments[0].name must be a non-empty string',
		],
		[
			'a duplicate department id',
			{
				users: [],
				departments: [
					{ _id: 'd', name: 'S', enabled: true },
					{ _id: 'd', name: 'T', enabled: true },
				],
				rooms: [],
			},
			'rooms.json: departments[1]._id "d" duplicates departments[0]._id',
		],
		['an empty room id', { users: [], rooms: rooms13 }, 'rooms.json: rooms[12]._id must be a non-empty string'],
		['a room that is not an object', withRooms(ROOM, null), 'rooms.json: rooms[1] must be an object (got null)'],
		['a room without type', withRooms({ _id: 'r1' }), 'rooms.json: rooms[0].t must be a non-empty string'],
		['a duplicate room id', withRooms(ROOM, { _id: 'x', t: 'c' }, { ...ROOM }), 'rooms.json: rooms[2]._id "r1" duplicates rooms[0]._id'],
		[
			'a date that is not a date',
			withRooms(ROOM, { _id: 'r2', t: 'c' }, { _id: 'r3', t: 'd' }, { _id: 'r4', t: 'l', ts: 'yesterday' }),
			'rooms.json: rooms[3].ts is not a valid date (got "yesterday"; expected an ISO 8601 date-time with a time zone, e.g. "2026-10-01T12:00:00.000Z", or {"$date": ...})',
		],
		[
			'a date without time zone',
			withRooms({ ...ROOM, lastMessage: { ts: '2026-10-01T10:00:00' } }),
			'rooms.json: rooms[0].lastMessage.ts is not a valid date (got "2026-10-01T10:00:00"; expected an ISO 8601 date-time with a time zone, e.g. "2026-10-01T12:00:00.000Z", or {"$date": ...})',
		],
		[
			'a day that does not exist',
			withRooms({ ...ROOM, closedAt: '2026-02-30T10:00:00Z' }),
			'rooms.json: rooms[0].closedAt is not a valid date (got "2026-02-30T10:00:00Z"; expected an ISO 8601 date-time with a time zone, e.g. "2026-10-01T12:00:00.000Z", or {"$date": ...})',
		],
		[
			'a number as a date',
			withRooms({ ...ROOM, metrics: { v: { lq: 1565381882350 } } }),
			'rooms.json: rooms[0].metrics.v.lq is not a valid date (got 1565381882350; expected an ISO 8601 date-time with a time zone, e.g. "2026-10-01T12:00:00.000Z", or {"$date": ...})',
		],
		['a bad $date', withRooms({ ...ROOM, ts: { $date: 'soon' } }), 'rooms.json: rooms[0].ts is not a valid date ({"$date":"soon"})'],
		[
			'a bad $date $numberLong',
			withRooms({ ...ROOM, ts: { $date: { $numberLong: '12x' } } }),
			'rooms.json: rooms[0].ts is not a valid date ({"$date":{"$numberLong":"12x"}})',
		],
		['a bad $oid', withRooms({ ...ROOM, _id: { $oid: 'xyz' } }), 'rooms.json: rooms[0]._id is not a valid ObjectId ({"$oid":"xyz"})'],
		['a bad $numberInt', withRooms({ ...ROOM, msgs: { $numberInt: '1.5' } }), 'rooms.json: rooms[0].msgs is not a valid number ({"$numberInt":"1.5"})'],
		[
			'a bad $numberDouble',
			withRooms({ ...ROOM, livechatData: { 'my-score': { $numberDouble: 'lots' } } }),
			'rooms.json: rooms[0].livechatData["my-score"] is not a valid number ({"$numberDouble":"lots"})',
		],
		[
			'an unsupported type',
			withRooms({ ...ROOM, avatar: { $binary: { base64: '', subType: '00' } } }),
			'rooms.json: rooms[0].avatar uses the extended JSON type "$binary", which a data file does not support',
		],
		['tags not strings', withRooms({ ...ROOM, tags: ['a', 2] }), 'rooms.json: rooms[0].tags must be an array of strings (got ["a",2])'],
		['open not a boolean', withRooms({ ...ROOM, open: 'true' }), 'rooms.json: rooms[0].open must be a boolean (got "true")'],
		['msgs not a number', withRooms({ ...ROOM, msgs: '3' }), 'rooms.json: rooms[0].msgs must be a number (got "3")'],
		[
			'servedBy without id',
			withRooms({ ...ROOM, servedBy: { username: 'alice' } }),
			'rooms.json: rooms[0].servedBy must be an object with a non-empty string _id (got {"username":"alice"})',
		],
		['livechatData an array', withRooms({ ...ROOM, livechatData: [] }), 'rooms.json: rooms[0].livechatData must be an object (got [])'],
	];

	it.each(cases)('%s', (_name, json, message) => {
		expect(problem(json)).toBe(message);
	});

	it('refuses data nested absurdly deep', () => {
		let deep: unknown = 'x';
		for (let i = 0; i < 150; i++) deep = { a: deep };
		expect(problem(withRooms({ ...ROOM, livechatData: deep }))).toMatch(
			/^rooms\.json: rooms\[0\]\.livechatData(\.a)+ is nested more than 100 levels deep$/,
		);
	});

	it('is an Error with the file and the problem apart', () => {
		try {
			parseData({ users: [] }, 'mine.json');
			throw new Error('accepted');
		} catch (error) {
			expect(error).toBeInstanceOf(Error);
			expect(error).toMatchObject({ name: 'DataFileError', source: 'mine.json', problem: 'missing "rooms" (an array of room documents)' });
		}
	});
});

describe('loadDataFile', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'workspace-data-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	const write = (name: string, text: string): string => {
		const file = join(dir, name);
		writeFileSync(file, text);
		return file;
	};

	it('reads a data file, with or without a byte order mark', () => {
		const text = JSON.stringify({ users: [USER], rooms: [ROOM] });
		expect(loadDataFile(write('plain.json', text)).rooms[0].ts).toEqual(new Date(ROOM.ts));
		expect(loadDataFile(write('bom.json', `\ufeff${text}`)).users).toEqual([USER]);
	});

	it('names the file, the line and the column of a JSON syntax error', () => {
		const file = write('broken.json', '{\n  "users": [],\n  "rooms": [}\n}');
		expect(() => loadDataFile(file)).toThrow(DataFileError);
		expect(() => loadDataFile(file)).toThrow(`${file}: not valid JSON (Unexpected token '}' in JSON at position 29, line 3 column 13)`);
		const comma = write('comma.json', '{"users": [],\n"rooms": [],}');
		expect(() => loadDataFile(comma)).toThrow(`${comma}: not valid JSON (Expected double-quoted property name in JSON at position 26, line 2 column 13)`);
	});

	it('names an empty file as not valid JSON', () => {
		const file = write('empty.json', '');
		expect(() => loadDataFile(file)).toThrow(`${file}: not valid JSON (Unexpected end of JSON input)`);
	});

	it('names a file that cannot be read', () => {
		const file = join(dir, 'missing.json');
		expect(() => loadDataFile(file)).toThrow(`${file}: cannot read the file (ENOENT: no such file or directory, open '${file}')`);
	});

	it('names the file in validation errors', () => {
		const file = write('rooms.json', JSON.stringify(withRooms({ _id: 7, t: 'l' })));
		expect(() => loadDataFile(file)).toThrow(`${file}: rooms[0]._id must be a non-empty string`);
	});
});

describe('demoData', () => {
	const data = demoData();
	const rooms = livechat(data.rooms);

	it('is the same on every run, and fresh objects each time', () => {
		const again = demoData();
		expect(again).toEqual(data);
		expect(JSON.stringify(again)).toBe(JSON.stringify(data));
		expect(again.rooms[0]).not.toBe(data.rooms[0]);
		expect(again.users[0]).not.toBe(data.users[0]);
	});

	it('changes the rooms, not the users or departments, with the seed', () => {
		const other = demoData({ seed: 7 });
		expect(other.users).toEqual(data.users);
		expect(other.departments).toEqual(data.departments);
		expect(livechat(other.rooms).map((r) => r._id)).not.toEqual(rooms.map((r) => r._id));
		expect(demoData({ seed: 7 })).toEqual(other);
	});

	it(`has ${DEMO_ROOM_COUNT} livechat rooms by default, and a few rooms of types c, p and d`, () => {
		expect(rooms).toHaveLength(DEMO_ROOM_COUNT);
		const others = data.rooms.filter((room) => room.t !== 'l');
		expect(others.map((room) => room.t).sort()).toEqual(['c', 'c', 'd', 'd', 'p']);
		expect(others.map((room) => room._id)).toContain('GENERAL');
	});

	it('has every room state', () => {
		const states = new Set(rooms.map(stateOf));
		expect([...states].sort()).toEqual(['abandoned', 'closed', 'onHold', 'queued', 'served', 'waiting']);
		expect(new Set(livechat(demoData({ rooms: 6 }).rooms).map(stateOf)).size).toBe(6);
	});

	it('stores each state as Rocket.Chat does', () => {
		for (const room of rooms) {
			const state = stateOf(room);
			expect(room.cl).toBe(false);
			expect(room.queuedAt).toBe(room.ts);
			expect(room.waitingResponse === true).toBe(state === 'queued' || state === 'waiting' || state === 'abandoned');
			expect(room.responseBy === undefined).toBe(room.waitingResponse === true);
			expect(room.usersCount).toBe(room.servedBy ? 2 : 1);
			if (state === 'closed' || state === 'abandoned') {
				expect(room).not.toHaveProperty('open');
				expect(room.closedAt).toBeInstanceOf(Date);
				expect(['user', 'visitor']).toContain(room.closer);
				expect(room.closedBy).toEqual(expect.objectContaining({ _id: expect.any(String), username: expect.any(String) }));
				expect((room.v as { status: string }).status).toBe('offline');
				expect((room.metrics as { chatDuration: number }).chatDuration).toBeGreaterThan(0);
			} else {
				expect(room).not.toHaveProperty('closedAt');
				expect(room).not.toHaveProperty('closer');
			}
			expect(room.onHold === true).toBe(state === 'onHold');
		}
	});

	it('has closed rooms with tags and custom fields, rooms in units, priorities and every source', () => {
		const closed = rooms.filter((room) => stateOf(room) === 'closed');
		expect(closed.some((room) => Array.isArray(room.tags) && room.tags.length > 0)).toBe(true);
		expect(closed.some((room) => typeof (room.livechatData as Record<string, unknown> | undefined)?.docId === 'string')).toBe(true);
		expect(closed.some((room) => typeof (room.livechatData as Record<string, unknown> | undefined)?.plan === 'string')).toBe(true);
		const units = new Set(DEMO_UNITS.map((unit) => unit._id));
		expect(rooms.some((room) => (room.departmentAncestors as string[] | undefined)?.some((id) => units.has(id)))).toBe(true);
		expect(rooms.some((room) => typeof room.priorityId === 'string' && (room.priorityWeight as number) < 99)).toBe(true);
		const big = livechat(demoData({ rooms: 2000 }).rooms);
		expect(new Set(big.map((room) => (room.source as { type: string }).type))).toEqual(new Set(['widget', 'api', 'email', 'sms', 'app']));
		expect(big.some((room) => room.departmentId === undefined)).toBe(true);
		expect(big.some((room) => room.departmentId === DEMO_DEPARTMENTS.find((d) => !d.enabled)?._id)).toBe(true);
	});

	it('puts rooms in creation order, over the months before now', () => {
		const now = DEMO_NOW.getTime();
		let previous = 0;
		for (const room of rooms) {
			const ts = (room.ts as Date).getTime();
			expect(ts).toBeGreaterThan(previous);
			expect(ts).toBeLessThan(now);
			expect((room._updatedAt as Date).getTime()).toBeGreaterThanOrEqual(ts);
			expect((room._updatedAt as Date).getTime()).toBeLessThan(now);
			expect((room.lm as Date).getTime()).toBeLessThanOrEqual((room._updatedAt as Date).getTime());
			previous = ts;
		}
		expect(now - (rooms[0].ts as Date).getTime()).toBeGreaterThan(90 * 24 * 3600 * 1000);
		const later = new Date('2030-01-01T00:00:00Z');
		expect(livechat(demoData({ now: later }).rooms).every((room) => (room._updatedAt as Date) < later)).toBe(true);
	});

	it('has documents of a realistic size', () => {
		const sizes = rooms.map((room) => JSON.stringify(room).length);
		const average = sizes.reduce((sum, size) => sum + size, 0) / sizes.length;
		expect(average).toBeGreaterThan(1200);
		expect(average).toBeLessThan(2200);
	});

	it('has the fixed demo users with their roles and tokens', () => {
		expect(data.users).toEqual(DEMO_USERS);
		expect(data.departments).toEqual(DEMO_DEPARTMENTS);
		const roles = new Set(data.users.flatMap((user) => user.roles));
		for (const role of ['admin', 'livechat-manager', 'livechat-monitor', 'livechat-agent', 'user']) expect(roles).toContain(role);
		expect(data.users.some((user) => user.roles.every((role) => role === 'user'))).toBe(true);
		expect(new Set(data.users.map((user) => user.authToken)).size).toBe(data.users.length);
		expect(data.departments.some((department) => !department.enabled)).toBe(true);
		const agents = new Set(data.users.filter((user) => user.roles.includes('livechat-agent')).map((user) => user._id));
		expect(rooms.filter((room) => room.servedBy).every((room) => agents.has((room.servedBy as { _id: string })._id))).toBe(true);
	});

	it('refuses a room count that is not a non-negative integer', () => {
		expect(() => demoData({ rooms: -1 })).toThrow(RangeError);
		expect(() => demoData({ rooms: 1.5 })).toThrow(RangeError);
		expect(livechat(demoData({ rooms: 0 }).rooms)).toEqual([]);
	});

	it('generates 100,000 rooms, with unique ids', () => {
		const large = demoData({ rooms: 100_000 });
		expect(livechat(large.rooms)).toHaveLength(100_000);
		expect(new Set(large.rooms.map((room) => room._id)).size).toBe(large.rooms.length);
		const messageIds = large.rooms.map((room) => (room.lastMessage as { _id: string } | undefined)?._id).filter(Boolean);
		expect(new Set(messageIds).size).toBe(messageIds.length);
	});
});
