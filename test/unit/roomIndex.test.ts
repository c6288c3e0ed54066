/**
 * The index on plain data: a fake persistence with Rocket.Chat's semantics (reads by all names, exact-list updates),
 * a fake host whose list carries only `_updatedAt`, `open` and the department (as the projection does) and whose `getById` carries everything,
 * and a clock the tests move. Several `LiveIndex`es over one store stand for the instances of a cluster.
 */
import { describe, expect, test } from '@jest/globals';

import { readEveryRoom } from '../../src/index/direct';
import { LiveIndex } from '../../src/index/LiveIndex';
import type { MaintenanceContext } from '../../src/index/maintenance';
import { maintain, noteRoomChanged, WALK_BUDGET } from '../../src/index/maintenance';
import { searchRooms, updatedAtOf } from '../../src/index/RoomIndex';
import type { FullRoom, HostRooms, SharedStore } from '../../src/index/shared';
import { NAMES } from '../../src/index/shared';
import { parseRoomQuery } from '../../src/query/fromParams';
import type { RoomDocument } from '../../src/rooms/RoomDocument';
import { zlibPacker } from '../../src/engine/zlibPacker';

/** A deep copy made in this realm (structuredClone would make another realm's dates). */
function clone<T>(value: T): T {
	if (value instanceof Date) return new Date(value.getTime()) as T;
	if (Array.isArray(value)) return value.map(clone) as T;
	if (value !== null && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, inner] of Object.entries(value)) out[key] = clone(inner);
		return out as T;
	}
	return value;
}

class Clock {
	public time = Date.UTC(2026, 0, 1);

	public readonly now = (): number => this.time;
}

class FakeStore implements SharedStore {
	public readonly records: Array<{ names: string[]; data: object }> = [];

	public reads = 0;

	public async read(names: readonly string[]): Promise<unknown[]> {
		this.reads++;
		return this.records.filter((record) => names.every((name) => record.names.includes(name))).map((record) => clone(record.data));
	}

	public async create(names: readonly string[], data: object): Promise<void> {
		this.records.push({ names: [...names], data: clone(data) });
	}

	public async put(names: readonly string[], data: object): Promise<void> {
		const same = this.records.find((record) => record.names.length === names.length && record.names.every((name, i) => name === names[i]));
		if (same) same.data = clone(data);
		else await this.create(names, data);
	}

	public async remove(names: readonly string[]): Promise<void> {
		for (let i = this.records.length - 1; i >= 0; i--) {
			if (names.every((name) => this.records[i].names.includes(name))) this.records.splice(i, 1);
		}
	}
}

class FakeHost implements HostRooms {
	public rooms: RoomDocument[] = [];

	public fullReads = 0;

	constructor(private readonly clock: Clock) {}

	/** Departments that no longer exist: a full read cannot name them, and drops the room's `departmentId`. */
	public readonly deletedDepartments = new Set<string>();

	public async page(skip: number, limit: number): Promise<Array<Record<string, unknown>>> {
		this.clock.time += 1;
		return this.rooms.slice(skip, skip + limit).map((room) => ({
			id: room._id,
			type: 'l',
			createdAt: room.ts,
			updatedAt: room._updatedAt,
			...(room.open !== undefined && { isOpen: room.open }),
			...(room.departmentId !== undefined && { departmentId: room.departmentId }),
		}));
	}

	public async full(id: string): Promise<FullRoom> {
		this.clock.time += 1;
		this.fullReads++;
		const room = this.rooms.find((r) => r._id === id);
		if (!room) return 'gone';
		const { departmentId, ...rest } = clone(room);
		return departmentId === undefined || this.deletedDepartments.has(departmentId) ? rest : { ...rest, departmentId };
	}

	/** A write as Rocket.Chat does it: the room changes (`unset` fields removed) and `_updatedAt` is stamped. */
	public write(id: string, fields: Partial<RoomDocument>, unset: readonly string[] = []): RoomDocument {
		const index = this.rooms.findIndex((r) => r._id === id);
		const next: RoomDocument = { ...this.rooms[index], ...fields, _updatedAt: new Date(this.clock.time) };
		for (const key of unset) delete (next as Record<string, unknown>)[key];
		this.rooms[index] = next;
		return next;
	}
}

function makeRoom(i: number): RoomDocument {
	return {
		_id: `room-${String(i).padStart(5, '0')}`,
		t: 'l',
		fname: `Visitor ${i}`,
		ts: new Date(Date.UTC(2025, 0, 1) + i * 60_000),
		_updatedAt: new Date(Date.UTC(2025, 6, 1) + i),
		tags: i % 3 === 0 ? ['sales'] : [],
		...(i % 2 === 0 ? { open: true, servedBy: { _id: 'agent', username: 'agent' } } : { closedAt: new Date(Date.UTC(2025, 1, 1) + i) }),
		...(i % 7 === 0 ? { onHold: true } : {}),
	};
}

interface Cluster {
	clock: Clock;
	store: FakeStore;
	host: FakeHost;
	instance(): LiveIndex;
	context(live: LiveIndex, budgetMs?: number): MaintenanceContext;
	/** Runs the job until it idles, as the scheduler would (each slice possibly on another instance). */
	settle(lives: LiveIndex[], budgetMs?: number, trigger?: 'tick' | 'continue'): Promise<number>;
}

function cluster(rooms: number): Cluster {
	const clock = new Clock();
	const store = new FakeStore();
	const host = new FakeHost(clock);
	host.rooms = Array.from({ length: rooms }, (_, i) => makeRoom(i));
	let ids = 0;
	const context = (live: LiveIndex, budgetMs = 40): MaintenanceContext => ({
		store,
		host,
		live,
		now: clock.now,
		budgetMs,
		reconcileMinutes: 15,
		walkBudget: WALK_BUDGET,
		newId: () => `id${++ids}`,
	});
	return {
		clock,
		store,
		host,
		context,
		instance: () => new LiveIndex({ instance: `i${++ids}`, now: clock.now, pollEveryMs: 1000, packer: zlibPacker }),
		async settle(lives, budgetMs, trigger = 'tick') {
			let slices = 0;
			let outcome = await maintain(context(lives[0], budgetMs), trigger);
			// Ticks, a minute apart, until a pass starts (or the interval cannot be reached).
			for (let tick = 0; trigger === 'tick' && outcome === 'idle' && tick < 20; tick++) {
				clock.time += 60_000;
				outcome = await maintain(context(lives[0], budgetMs), 'tick');
			}
			while (outcome === 'more') {
				slices++;
				if (slices > 10_000) throw new Error('the job does not finish');
				outcome = await maintain(context(lives[slices % lives.length], budgetMs), 'continue');
			}
			return slices;
		},
	};
}

function sortedIds(rooms: Iterable<RoomDocument>): string[] {
	return [...rooms].map((room) => room._id).sort();
}

async function roomsOf(live: LiveIndex, store: SharedStore): Promise<RoomDocument[]> {
	const answer = await live.current(store);
	if (!answer.ok) throw new Error(answer.unavailable.message);
	return [...answer.rooms.values()].sort((a, b) => a._id.localeCompare(b._id));
}

describe('the first build', () => {
	test('refuses with progress while it runs, then every instance answers with every room in full', async () => {
		const c = cluster(1234);
		const a = c.instance();
		const b = c.instance();
		expect((await b.current(c.store)).ok).toBe(false);
		const first = await maintain(c.context(a), 'tick');
		expect(first).toBe('more');
		const during = await b.current(c.store);
		expect(during.ok).toBe(false);
		if (!during.ok) {
			expect(during.unavailable.message).toMatch(/building its index .* rooms read so far/);
			expect(during.unavailable.retryAfter).toBeGreaterThan(0);
		}
		const slices = await c.settle([b, a], undefined, 'continue');
		expect(slices).toBeGreaterThan(2);
		c.clock.time += 5000;
		expect(await roomsOf(b, c.store)).toEqual([...c.host.rooms].sort((x, y) => x._id.localeCompare(y._id)));
		expect(await roomsOf(a, c.store)).toEqual(await roomsOf(b, c.store));
		expect(c.host.fullReads).toBeGreaterThanOrEqual(1234);
	});

	test('a new instance starts from the segments, not from nothing', async () => {
		const c = cluster(600);
		await c.settle([c.instance()], 1_000_000);
		const before = c.host.fullReads;
		const late = c.instance();
		expect(sortedIds(await roomsOf(late, c.store))).toEqual(sortedIds(c.host.rooms));
		expect(c.host.fullReads).toBe(before);
		// What persistence holds: the manifest, the job and the segments, every room in one of them.
		expect(new Set(c.store.records.map((record) => record.names[0].replace(/:[^:]*$/, (tail) => (tail.startsWith(':segment') ? tail : ''))))).toEqual(
			new Set(['livechat-rooms-index/2', 'livechat-rooms-index/2:segment']),
		);
	});
});

describe('freshness', () => {
	test('a change heard on one instance is in its next answer, and in the others once they look again', async () => {
		const c = cluster(300);
		const a = c.instance();
		const b = c.instance();
		await c.settle([a], 1_000_000);
		await roomsOf(b, c.store);
		const changed = c.host.write('room-00004', { tags: ['vip'], onHold: true });
		await noteRoomChanged(c.context(a), changed._id);
		expect((await roomsOf(a, c.store)).find((room) => room._id === changed._id)?.tags).toEqual(['vip']);
		// b looked less than a second ago: it may answer from its copy...
		expect((await roomsOf(b, c.store)).find((room) => room._id === changed._id)?.tags).toEqual([]);
		// ...but never longer than that.
		c.clock.time += 1000;
		expect((await roomsOf(b, c.store)).find((room) => room._id === changed._id)?.tags).toEqual(['vip']);
	});

	test('an older copy never replaces a newer one, and a deleted room never comes back', async () => {
		const c = cluster(10);
		const a = c.instance();
		await c.settle([a], 1_000_000);
		const old = clone(c.host.rooms[2]);
		c.clock.time += 10;
		const newer = c.host.write(old._id, { fname: 'newer' });
		a.rooms.apply(newer);
		a.rooms.apply(old);
		expect(a.rooms.get(old._id)?.fname).toBe('newer');
		a.rooms.remove(old._id);
		a.rooms.apply(newer);
		expect(a.rooms.has(old._id)).toBe(false);
	});

	test('two instances recording at the same moment lose nothing', async () => {
		const c = cluster(50);
		const a = c.instance();
		const b = c.instance();
		await c.settle([a], 1_000_000);
		await roomsOf(b, c.store);
		c.host.write('room-00001', { fname: 'from a' });
		c.host.write('room-00002', { fname: 'from b' });
		await Promise.all([noteRoomChanged(c.context(a), 'room-00001'), noteRoomChanged(c.context(b), 'room-00002')]);
		c.clock.time += 1000;
		const third = c.instance();
		for (const live of [a, b, third]) {
			const rooms = await roomsOf(live, c.store);
			expect(rooms.find((room) => room._id === 'room-00001')?.fname).toBe('from a');
			expect(rooms.find((room) => room._id === 'room-00002')?.fname).toBe('from b');
		}
	});
});

describe('reconciliation', () => {
	test('catches what no event announced (deletions, lost events) and reads in full only what changed', async () => {
		const c = cluster(800);
		const a = c.instance();
		const b = c.instance();
		await c.settle([a, b]);
		await roomsOf(b, c.store);
		c.host.rooms = c.host.rooms.filter((room) => room._id !== 'room-00010' && room._id !== 'room-00500');
		c.clock.time += 10;
		c.host.write('room-00020', { tags: ['silent'] });
		const reads = c.host.fullReads;
		// Not before the interval...
		expect(await maintain(c.context(a), 'tick')).toBe('idle');
		c.clock.time += 15 * 60_000;
		await c.settle([b, a]);
		// The changed room is read, and the rooms of the digest's buckets that hold the two deleted ones: nothing else.
		expect(c.host.fullReads - reads).toBeGreaterThan(3);
		expect(c.host.fullReads - reads).toBeLessThanOrEqual(1 + 2 * 2 * 64);
		c.clock.time += 1000;
		for (const live of [a, b]) {
			const rooms = await roomsOf(live, c.store);
			expect(sortedIds(rooms)).toEqual(sortedIds(c.host.rooms));
			expect(rooms.find((room) => room._id === 'room-00020')?.tags).toEqual(['silent']);
		}
	});

	test('prunes the journal and retired segments; an instance that fell behind reloads the segments in force', async () => {
		const c = cluster(200);
		const a = c.instance();
		const sleeper = c.instance();
		await c.settle([a], 1_000_000);
		await roomsOf(sleeper, c.store);
		for (let round = 0; round < 3; round++) {
			c.clock.time += 16 * 60_000;
			c.host.write(`room-0010${round}`, { fname: `round ${round}` });
			await noteRoomChanged(c.context(a), `room-0010${round}`);
			await c.settle([a], 1_000_000);
		}
		const manifest0 = (await c.store.read([NAMES.manifest]))[0] as { segments: Array<{ id: string }>; retired: string[] };
		const named = new Set([...manifest0.segments.map((segment) => segment.id), ...manifest0.retired]);
		const stored = c.store.records.filter((r) => r.names[0] === NAMES.segments).map((r) => (r.data as { id: string }).id);
		expect(stored.filter((id) => !named.has(id))).toEqual([]);
		const buckets = c.store.records.filter((r) => r.names[0].includes(':journal:')).map((r) => Number(r.names[0].split(':').pop()));
		const manifest = (await c.store.read([NAMES.manifest]))[0] as { keptFrom: number };
		expect(Math.min(...buckets)).toBeGreaterThanOrEqual(manifest.keptFrom);
		const rooms = await roomsOf(sleeper, c.store);
		expect(rooms.find((room) => room._id === 'room-00102')?.fname).toBe('round 2');
		expect(sortedIds(rooms)).toEqual(sortedIds(c.host.rooms));
	});
});

describe('a deleted department', () => {
	/** A cluster whose rooms 1-4 are in a department that exists, then is deleted (the rooms keep the id). */
	async function withDeletedDepartment(): Promise<{ c: Cluster; a: LiveIndex; b: LiveIndex }> {
		const c = cluster(40);
		for (let i = 1; i <= 4; i++) c.host.rooms[i] = { ...c.host.rooms[i], departmentId: 'd-gone' };
		c.host.deletedDepartments.add('d-gone');
		const a = c.instance();
		const b = c.instance();
		await c.settle([a], 1_000_000);
		await roomsOf(b, c.store);
		return { c, a, b };
	}
	const departmentOf = async (live: LiveIndex, store: SharedStore, id: string) => (await roomsOf(live, store)).find((room) => room._id === id)?.departmentId;

	test('the build reads the id from the list', async () => {
		const { c, a, b } = await withDeletedDepartment();
		for (const live of [a, b]) expect(await departmentOf(live, c.store, 'room-00001')).toBe('d-gone');
	});

	test('a room of a deleted department keeps its departmentId through events, on the instance that heard them and the others', async () => {
		const { c, a, b } = await withDeletedDepartment();
		c.host.write('room-00001', { tags: ['touched'] });
		await noteRoomChanged(c.context(a), 'room-00001');
		c.host.write('room-00002', { fname: 'renamed' });
		await noteRoomChanged(c.context(b), 'room-00002');
		c.clock.time += 1000;
		for (const live of [a, b]) {
			const rooms = await roomsOf(live, c.store);
			expect(rooms.find((room) => room._id === 'room-00001')).toMatchObject({ departmentId: 'd-gone', tags: ['touched'] });
			expect(rooms.find((room) => room._id === 'room-00002')).toMatchObject({ departmentId: 'd-gone', fname: 'renamed' });
		}
		// An instance that had not looked at the index yet looks before it takes the event in.
		const late = c.instance();
		c.host.write('room-00003', { tags: ['late'] });
		await noteRoomChanged(c.context(late), 'room-00003');
		expect(late.rooms.get('room-00003')).toMatchObject({ departmentId: 'd-gone', tags: ['late'] });
		// A reconciliation agrees, and reads none of them again.
		const reads = c.host.fullReads;
		c.clock.time += 16 * 60_000;
		await c.settle([b, a]);
		expect(c.host.fullReads).toBe(reads);
		c.clock.time += 1000;
		for (const live of [a, b, late])
			for (const id of ['room-00001', 'room-00002', 'room-00003', 'room-00004']) expect(await departmentOf(live, c.store, id)).toBe('d-gone');
	});

	test("Rocket.Chat's removal of a department (its rooms' ids unset in one write, no event) shows at the next reconciliation, even where an event came first", async () => {
		const { c, a, b } = await withDeletedDepartment();
		c.clock.time += 10;
		for (let i = 1; i <= 4; i++) c.host.write(`room-0000${i}`, {}, ['departmentId']);
		// An event before the reconciliation cannot tell a removed department from a deleted one: the id stays...
		c.clock.time += 10;
		c.host.write('room-00001', { tags: ['after'] });
		await noteRoomChanged(c.context(a), 'room-00001');
		expect(a.rooms.get('room-00001')?.departmentId).toBe('d-gone');
		// ...until the reconciliation reads the list, on every instance.
		c.clock.time += 16 * 60_000;
		await c.settle([b, a]);
		c.clock.time += 1000;
		for (const live of [a, b, c.instance()]) {
			const rooms = await roomsOf(live, c.store);
			expect(rooms.filter((room) => room.departmentId !== undefined)).toEqual([]);
			expect(rooms.find((room) => room._id === 'room-00001')?.tags).toEqual(['after']);
		}
	});

	test('of two copies of one version, the later one stands when they name different departments', () => {
		const live = new LiveIndex({ instance: 'x', now: () => 0, pollEveryMs: 1000, packer: zlibPacker });
		const version = { _id: 'r', t: 'l', _updatedAt: new Date(5) };
		expect(live.rooms.apply({ ...version, departmentId: 'd1' })).toBe(true);
		expect(live.rooms.apply({ ...version, departmentId: 'd1', fname: 'same version' })).toBe(false);
		expect(live.rooms.apply(version)).toBe(true);
		expect(live.rooms.get('r')).toEqual(version);
		expect(live.rooms.apply({ ...version, departmentId: 'd1', _updatedAt: new Date(4) })).toBe(false);
	});
});

describe('answers from the index', () => {
	test.each([
		['open=true', { open: 'true' }],
		['onhold=true', { onhold: 'true' }],
		['tags', { tags: 'sales' }],
		['sort by closedAt, page 2', { sort: '{"closedAt":1}', count: '7', offset: '7' }],
		['every match', { count: '0', open: 'false' }],
	])('%s: the same page and total as a plain filter and sort of every room', async (_name, params) => {
		const c = cluster(120);
		const a = c.instance();
		await c.settle([a], 1_000_000);
		const parsed = parseRoomQuery(params);
		if (!parsed.ok) throw new Error(parsed.error.error);
		const found = searchRooms(parsed.value, (await a.current(c.store)).ok ? a.rooms.values() : []);
		const direct = await readEveryRoom(c.host);
		if (!direct.ok) throw new Error(direct.unavailable.message);
		expect(found).toEqual(searchRooms(parsed.value, direct.rooms.values()));
		expect(found.total).toBeGreaterThan(0);
	});

	test('without the index, a workspace beyond the limit is refused with the reason', async () => {
		const c = cluster(30);
		const refused = await readEveryRoom(c.host, 20);
		expect(refused.ok).toBe(false);
		if (!refused.ok) expect(refused.unavailable.message).toMatch(/turned off.*at most 20 rooms/);
	});

	test('without the index, rooms the list shows but that cannot be read in full are an error, never an empty answer', async () => {
		const c = cluster(30);
		const unreadable: HostRooms = { page: (skip, limit) => c.host.page(skip, limit), full: async () => 'gone' };
		await expect(readEveryRoom(unreadable)).rejects.toThrow(/room\.read/);
	});

	test('updatedAtOf reads dates, strings and absence', () => {
		expect(updatedAtOf({ _updatedAt: new Date(5) })).toBe(5);
		expect(updatedAtOf({ _updatedAt: '1970-01-01T00:00:00.007Z' })).toBe(7);
		expect(updatedAtOf({})).toBe(-Infinity);
	});
});

/** Bytes of everything written to the store from now on, as JSON (what persistence is charged). */
function meter(store: FakeStore): () => number {
	let bytes = 0;
	const { create, put } = store;
	store.create = async (names, data) => {
		bytes += JSON.stringify(data).length;
		return create.call(store, names, data);
	};
	store.put = async (names, data) => {
		bytes += JSON.stringify(data).length;
		return put.call(store, names, data);
	};
	return () => bytes;
}

const segmentRecords = (store: FakeStore): string[] => store.records.filter((r) => r.names[0] === NAMES.segments).map((r) => (r.data as { id: string }).id);

describe('what the index writes', () => {
	test('an hour with no change writes the job record and nothing else, reconciliation passes included', async () => {
		const c = cluster(2000);
		const a = c.instance();
		await c.settle([a], 1_000_000);
		const written = meter(c.store);
		for (let minute = 0; minute < 60; minute++) {
			c.clock.time += 60_000;
			await c.settle([a], 1_000_000, 'continue');
			await maintain(c.context(a, 1_000_000), 'tick');
			await c.settle([a], 1_000_000, 'continue');
		}
		// Four passes ran (15 minutes apart); each wrote its job record a few times and no room.
		expect(written()).toBeLessThan(60 * 1000);
		expect(c.store.records.filter((r) => r.names[0].includes(':journal:'))).toEqual([]);
	});

	test('a change is written to the journal once, then folded into a small segment: not a new copy of every room', async () => {
		const c = cluster(3000);
		const a = c.instance();
		await c.settle([a], 1_000_000);
		const segmentsBefore = segmentRecords(c.store).length;
		const held = JSON.stringify(c.store.records.map((r) => r.data)).length;
		const written = meter(c.store);
		for (let i = 0; i < 20; i++) {
			c.clock.time += 1000;
			c.host.write(`room-0${String(100 + i).padStart(4, '0')}`, { tags: [`t${i}`] });
			await noteRoomChanged(c.context(a), `room-0${String(100 + i).padStart(4, '0')}`);
		}
		for (let minute = 0; minute < 10; minute++) {
			c.clock.time += 60_000;
			await maintain(c.context(a, 1_000_000), 'tick');
			await c.settle([a], 1_000_000, 'continue');
		}
		expect(segmentRecords(c.store).length).toBe(segmentsBefore + 1);
		// Each change once in the journal and once in the new segment, plus the job and the manifest: not every room again.
		const room = JSON.stringify(c.host.rooms[100]).length;
		expect(written()).toBeLessThan(20 * room * 3 + 10_000);
		expect(written()).toBeLessThan(held / 2);
		const late = c.instance();
		const rooms = await roomsOf(late, c.store);
		expect(rooms.find((room) => room._id === 'room-00119')?.tags).toEqual(['t19']);
		expect(rooms).toEqual(await roomsOf(a, c.store));
	});

	test('a deleted room stays deleted once the journal that said so is pruned (a tombstone in a segment)', async () => {
		const c = cluster(700);
		const a = c.instance();
		await c.settle([a], 1_000_000);
		c.host.rooms = c.host.rooms.filter((room) => room._id !== 'room-00042');
		for (let round = 0; round < 4; round++) {
			c.clock.time += 16 * 60_000;
			await c.settle([a], 1_000_000);
		}
		// The journal before the manifest's start is gone; what is left of it is the last pass's (after the segments).
		const manifest = (await c.store.read([NAMES.manifest]))[0] as { journalFrom: number };
		const buckets = c.store.records.filter((r) => r.names[0].includes(':journal:')).map((r) => Number(r.names[0].split(':').pop()));
		expect(buckets.filter((bucket) => bucket < manifest.journalFrom)).toEqual([]);
		await c.store.remove([NAMES.bucket(manifest.journalFrom)]);
		await c.store.remove([NAMES.bucket(manifest.journalFrom + 1)]);
		const late = c.instance();
		expect((await roomsOf(late, c.store)).some((room) => room._id === 'room-00042')).toBe(false);
		expect(sortedIds(await roomsOf(late, c.store))).toEqual(sortedIds(c.host.rooms));
	});

	test('a compaction cut off before its manifest leaves nothing behind, and loses nothing', async () => {
		const c = cluster(600);
		const a = c.instance();
		await c.settle([a], 1_000_000);
		c.host.write('room-00007', { fname: 'changed' });
		await noteRoomChanged(c.context(a), 'room-00007');
		const named = new Set(segmentRecords(c.store));
		// The runtime dies as the manifest is written: segments written, no manifest names them.
		const { put } = c.store;
		c.store.put = async (names, data) => {
			if (names[0] === NAMES.manifest) throw new Error('runtime restarted');
			return put.call(c.store, names, data);
		};
		let failure: unknown;
		for (let minute = 0; minute < 12 && !failure; minute++) {
			c.clock.time += 60_000;
			failure = await maintain(c.context(a, 1_000_000), 'tick').then(
				() => undefined,
				(error: unknown) => error,
			);
		}
		expect(String(failure)).toMatch('runtime restarted');
		c.store.put = put;
		expect(segmentRecords(c.store).length).toBeGreaterThan(named.size);
		// The next run (after the stall) on another instance redoes the compaction and removes what the first one wrote.
		const b = c.instance();
		c.clock.time += 3 * 60_000;
		await maintain(c.context(b, 1_000_000), 'tick');
		await c.settle([b], 1_000_000, 'continue');
		const manifest = (await c.store.read([NAMES.manifest]))[0] as { segments: Array<{ id: string }>; retired: string[] };
		const listed = new Set([...manifest.segments.map((s) => s.id), ...manifest.retired]);
		expect(segmentRecords(c.store).filter((id) => !listed.has(id))).toEqual([]);
		const late = c.instance();
		expect((await roomsOf(late, c.store)).find((room) => room._id === 'room-00007')?.fname).toBe('changed');
	});

	test('two compactions at once (a stall taken over) never leave a manifest naming a segment that is gone', async () => {
		const c = cluster(1500);
		const a = c.instance();
		const b = c.instance();
		await c.settle([a], 1_000_000);
		await roomsOf(b, c.store);
		for (let round = 0; round < 3; round++) {
			for (let i = 0; i < 600; i++) {
				const id = `room-${String((i * 7 + round * 13) % 1500).padStart(5, '0')}`;
				c.host.write(id, { fname: `r${round}-${i}` });
				await noteRoomChanged(c.context(i % 2 === 0 ? a : b), id);
			}
			c.clock.time += 60_000;
			// Both instances compact from the same manifest, at the same moment.
			await Promise.all([maintain(c.context(a, 1_000_000), 'continue'), maintain(c.context(b, 1_000_000), 'continue')]);
			await c.store.put([NAMES.job], { ...((await c.store.read([NAMES.job]))[0] as object), kind: 'compact', phase: 'compact', ticks: 0 });
		}
		c.clock.time += 60_000;
		const late = c.instance();
		expect(await roomsOf(late, c.store)).toEqual([...c.host.rooms].sort((x, y) => x._id.localeCompare(y._id)));
	});
});

describe('the reconciliation interval in force', () => {
	test('follows the size and the daily budget, never below the minutes setting', async () => {
		const { reconcileInterval } = await import('../../src/index/maintenance');
		const settings = { reconcileMinutes: 15, walkBudget: WALK_BUDGET };
		expect(reconcileInterval(10_000, settings)).toBe(15);
		expect(reconcileInterval(100_000, settings)).toBe(41);
		expect(reconcileInterval(1_000_000, settings)).toBe(4001);
		expect(reconcileInterval(100_000, { reconcileMinutes: 60, walkBudget: WALK_BUDGET })).toBe(60);
	});
});
