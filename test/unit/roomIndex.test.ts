/**
 * The index on plain data: a fake persistence with Rocket.Chat's semantics (reads by all names, exact-list updates),
 * a fake host whose list carries only `_updatedAt`, `open` and the department (as the projection does) and whose `getById` carries everything,
 * and a clock the tests move. Several `LiveIndex`es over one store stand for the instances of a cluster.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';

import { readEveryRoom } from '../../src/index/indexOff';
import { LiveIndex } from '../../src/index/LiveIndex';
import type { MaintenanceContext } from '../../src/index/maintenance';
import { findRooms } from '../../src/index/findRooms';
import { listedOpen, maintain, noteRoomChanged, STALL_MS, WALK_BUDGET } from '../../src/index/maintenance';
import { decidedByOpenRooms, openRoomsOf, roomsFor } from '../../src/index/queueFirst';
import { indexStatus } from '../../src/index/indexStatus';
import { searchRooms, updatedAtOf } from '../../src/index/RoomIndex';
import { asManifest, BUCKET_MS, NAMES } from '../../src/index/shared';
import type { FullRoom, HostRooms, SharedStore } from '../../src/ports';
import { parseRoomQuery } from '../../src/query/fromParams';
import type { RoomQuery } from '../../src/query/RoomQuery';
import type { RoomDocument } from '../../src/rooms/RoomDocument';
import { zlibPacker } from '../../src/engine/zlibPacker';
import type { EngineRoom } from '../../src/rooms/EngineRoom';
import { roomFromEngine } from '../../src/rooms/fromEngine';
import { convertToEngine, jsonHop, roomArbitrary } from './fixtures';

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

/** A cluster over `rooms` rooms whose first instance has built the index (its first slices run to the end). */
async function built(rooms: number): Promise<{ c: Cluster; a: LiveIndex }> {
	const c = cluster(rooms);
	const a = c.instance();
	await c.settle([a], 1_000_000);
	return { c, a };
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

/** Each of these instances answers with every room of the host, exactly as stored. */
async function expectExact(c: Cluster, lives: readonly LiveIndex[]): Promise<void> {
	const stored = [...c.host.rooms].sort((x, y) => x._id.localeCompare(y._id));
	for (const live of lives) expect(await roomsOf(live, c.store)).toEqual(stored);
}

/** Each of these instances answers with the ids of every room of the host, no more. */
async function expectEveryId(c: Cluster, lives: readonly LiveIndex[]): Promise<void> {
	for (const live of lives) expect(sortedIds(await roomsOf(live, c.store))).toEqual(sortedIds(c.host.rooms));
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
		await expectExact(c, [b]);
		expect(await roomsOf(a, c.store)).toEqual(await roomsOf(b, c.store));
		expect(c.host.fullReads).toBeGreaterThanOrEqual(1234);
	});

	test('a new instance starts from the segments, not from nothing', async () => {
		const c = cluster(600);
		await c.settle([c.instance()], 1_000_000);
		const before = c.host.fullReads;
		const late = c.instance();
		await expectEveryId(c, [late]);
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
		const { c, a } = await built(10);
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
		const { c, a } = await built(120);
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
		const { c, a } = await built(2000);
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
		const { c, a } = await built(3000);
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
		const { c, a } = await built(700);
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
		await expectEveryId(c, [late]);
	});

	test('a compaction cut off before its manifest leaves nothing behind, and loses nothing', async () => {
		const { c, a } = await built(600);
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
		await expectExact(c, [late]);
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

/** A query as the endpoint parses it. */
function queryOf(params: Record<string, unknown>): RoomQuery {
	const parsed = parseRoomQuery(params);
	if (!parsed.ok) throw new Error(parsed.error.error);
	return parsed.value;
}

/** What the index answers for these parameters: the page's ids and the total, or the refusal's message. */
async function answerOf(live: LiveIndex, store: SharedStore, params: Record<string, unknown>): Promise<{ ids: string[]; total: number } | string> {
	const found = await findRooms(queryOf(params), { current: () => live.current(store) }, async () => undefined);
	return found.ok ? { ids: found.rooms.map((room) => room._id), total: found.total } : found.unavailable.message;
}

/** The same parameters over every room the host holds. */
function expectedOf(host: FakeHost, params: Record<string, unknown>): { ids: string[]; total: number } {
	const { rooms, total } = searchRooms(queryOf(params), host.rooms);
	return { ids: rooms.map((room) => room._id), total };
}

const manifestOf = async (store: SharedStore): Promise<Record<string, unknown> | undefined> =>
	(await store.read([NAMES.manifest]))[0] as Record<string, unknown> | undefined;

/** Runs the build's slices until the open rooms are ready (a manifest `openOnly`). */
async function untilQueueReady(c: Cluster, live: LiveIndex, budgetMs = 40): Promise<void> {
	let outcome = await maintain(c.context(live, budgetMs), 'tick');
	for (let slices = 0; !(await manifestOf(c.store))?.openOnly; slices++) {
		if (outcome !== 'more' || slices > 10_000) throw new Error('the build never had the open rooms ready');
		outcome = await maintain(c.context(live, budgetMs), 'continue');
	}
}

describe('the queue first', () => {
	test('decidedByOpenRooms: a request qualifies only when every room it could match is open', () => {
		const decided = (params: Record<string, unknown>, scope?: string): boolean =>
			decidedByOpenRooms({ ...queryOf(params), ...(scope ? { servedById: scope } : {}) });
		for (const params of [
			{ queued: 'true' },
			{ open: 'true' },
			{ open: 'true', onhold: 'true' },
			{ queued: 'true', open: 'false' },
			{ open: 'true', agents: ['alice'], count: '0', sort: '{"ts":-1}', fields: '{"fname":1}' },
			{ queued: 'true', query: '{"$or":[{"open":{"$exists":false}},{"fname":"x"}]}' },
			{ open: 'true', format: 'csv' },
		]) {
			expect([params, decided(params)]).toEqual([params, true]);
			expect(decided(params, 'agent-1')).toBe(true);
		}
		// Closed rooms, rooms on hold (a room closed on hold keeps onHold: true), everything: the closed rooms decide too.
		for (const params of [{}, { open: 'false' }, { onhold: 'true' }, { queued: 'false' }, { query: '{"open":true}' }, { tags: ['sales'] }]) {
			expect([params, decided(params)]).toEqual([params, false]);
			expect(decided(params, 'agent-1')).toBe(false);
		}
	});

	test('after one walk and the open rooms read in full, queued and open rooms are answered exactly; the rest waits, saying why', async () => {
		const c = cluster(900);
		const a = c.instance();
		const b = c.instance();
		await untilQueueReady(c, a);
		const open = c.host.rooms.filter((room) => room.open !== undefined).length;
		// The first walk read in full only the open rooms.
		expect(c.host.fullReads).toBe(open);
		// A room opened after the walk, and a room closed meanwhile: both arrive by their events.
		c.host.rooms.push({ ...makeRoom(2000), _updatedAt: new Date(c.clock.time), servedBy: undefined, open: true } as RoomDocument);
		await noteRoomChanged(c.context(a), 'room-02000');
		c.host.write('room-00010', { closedAt: new Date(c.clock.time) }, ['open', 'servedBy']);
		await noteRoomChanged(c.context(b), 'room-00010');
		c.clock.time += 1000;
		for (const live of [a, b, c.instance()]) {
			for (const params of [
				{ queued: 'true' },
				{ open: 'true' },
				{ open: 'true', count: '0', sort: '{"_updatedAt":-1}' },
				{ open: 'true', onhold: 'true' },
				{ open: 'true', agents: ['agent'], offset: '3', count: '5' },
			]) {
				expect([params, await answerOf(live, c.store, params)]).toEqual([params, expectedOf(c.host, params)]);
			}
			for (const params of [{}, { open: 'false' }, { onhold: 'true' }]) {
				expect(await answerOf(live, c.store, params)).toMatch(/holds every open room \([\d,]+\) and it is reading the others.*queued=true, open=true/);
			}
			const available = await live.current(c.store);
			expect(available.ok).toBe(false);
		}
		expect(indexStatus(asManifest(await manifestOf(c.store)), undefined, false, { reconcileMinutes: 15, walkBudget: WALK_BUDGET }).state).toBe(
			'queue-ready',
		);
		// Then every room: every answer exact, on every instance.
		await c.settle([b, a], 40, 'continue');
		c.clock.time += 1000;
		expect((await manifestOf(c.store))?.openOnly).toBeUndefined();
		for (const live of [a, b, c.instance()]) {
			await expectEveryId(c, [live]);
			for (const params of [{}, { open: 'false' }, { onhold: 'true' }, { queued: 'true' }]) {
				expect(await answerOf(live, c.store, params)).toEqual(expectedOf(c.host, params));
			}
		}
	});

	test('roomsFor: the open rooms for a request they decide, the refusal otherwise; a ready index answers everything', async () => {
		const c = cluster(300);
		const a = c.instance();
		await untilQueueReady(c, a);
		const partial = await a.current(c.store);
		expect(partial.ok).toBe(false);
		expect(openRoomsOf(partial)).toBe(a.rooms);
		expect(roomsFor(partial, queryOf({ queued: 'true' }))).toEqual({ ok: true, rooms: a.rooms });
		expect(roomsFor(partial, queryOf({ onhold: 'true' }))).toBe(partial);
		await c.settle([a], 40, 'continue');
		const ready = await a.current(c.store, true);
		expect(ready.ok).toBe(true);
		expect(roomsFor(ready, queryOf({ onhold: 'true' }))).toBe(ready);
	});
});

/** A store whose writes can be refused, as a persistence that is down for a while. */
function refusing(store: FakeStore): { refuse: boolean } {
	const state = { refuse: false };
	for (const method of ['create', 'put', 'remove'] as const) {
		const original = store[method].bind(store) as (names: readonly string[], data: object) => Promise<void>;
		(store as unknown as Record<string, unknown>)[method] = async (names: readonly string[], data: object) => {
			if (state.refuse) throw new Error('persistence refuses writes');
			return original(names, data);
		};
	}
	return state;
}

/**
 * A host whose next read (of the list, or in full) hangs until `release`: the slice reading then is abandoned (as the
 * host abandons an app call at its time limit); reads started after that one answer as ever.
 */
function hanging(host: FakeHost, method: 'page' | 'full'): { release: () => void } {
	let release = (): void => undefined;
	const gate = new Promise<void>((resolve) => {
		release = resolve;
	});
	const original = host[method].bind(host) as (...args: unknown[]) => Promise<unknown>;
	(host as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
		// The reads of this page (one Promise.all) hang with it; later ones do not.
		queueMicrotask(() => {
			(host as unknown as Record<string, unknown>)[method] = original;
		});
		await gate;
		return original(...args);
	};
	return { release };
}

/** An administrator's request for a pass now (`POST rooms/index`). */
const requestPass = (c: Cluster): Promise<void> => c.store.put([NAMES.reconcileRequest], { at: c.clock.time });

const tick = (c: Cluster, live: LiveIndex, budgetMs = 40): Promise<'idle' | 'more'> => maintain(c.context(live, budgetMs), 'tick');

describe('faults survived, nothing lost', () => {
	test('persistence refusing writes: each instance answers what it knows, and the others catch up once writes work again', async () => {
		const c = cluster(300);
		const a = c.instance();
		const b = c.instance();
		await c.settle([a], 1_000_000);
		await roomsOf(b, c.store);
		const store = refusing(c.store);
		store.refuse = true;
		c.host.write('room-00004', { fname: 'while refused' });
		await expect(noteRoomChanged(c.context(a), 'room-00004')).rejects.toThrow('persistence refuses writes');
		expect(a.pendingCount).toBe(1);
		// The upkeep cannot run either.
		c.clock.time += 60_000;
		await expect(tick(c, a)).rejects.toThrow('persistence refuses writes');
		// a heard the change: its answers have it. b did not: its copy stands as it was written.
		expect((await roomsOf(a, c.store)).find((room) => room._id === 'room-00004')?.fname).toBe('while refused');
		expect((await roomsOf(b, c.store)).find((room) => room._id === 'room-00004')?.fname).toBe('Visitor 4');
		store.refuse = false;
		// The next tick on a writes what persistence refused; b has it at its next look.
		c.clock.time += 60_000;
		await tick(c, a);
		expect(a.pendingCount).toBe(0);
		c.clock.time += 1000;
		expect((await roomsOf(b, c.store)).find((room) => room._id === 'room-00004')?.fname).toBe('while refused');
		// And a runtime started now.
		expect((await roomsOf(c.instance(), c.store)).find((room) => room._id === 'room-00004')?.fname).toBe('while refused');
	});

	test('persistence refusing writes in the middle of the build: the build carries on when they work again', async () => {
		const c = cluster(700);
		const a = c.instance();
		const store = refusing(c.store);
		await maintain(c.context(a), 'tick');
		await maintain(c.context(a), 'continue');
		store.refuse = true;
		await expect(maintain(c.context(a), 'continue')).rejects.toThrow('persistence refuses writes');
		store.refuse = false;
		c.clock.time += STALL_MS + 1;
		await c.settle([a, c.instance()], 40);
		await expectEveryId(c, [c.instance()]);
	});

	for (const stage of ['the build', 'a reconciliation'] as const) {
		test(`a slice of ${stage} cut off mid-way by the time limit: the next one carries on, and the late one waking changes nothing`, async () => {
			const c = cluster(800);
			const a = c.instance();
			const b = c.instance();
			if (stage === 'a reconciliation') {
				await c.settle([a], 1_000_000);
				c.host.write('room-00033', { fname: 'no event' });
				c.host.write('room-00700', { fname: 'no event either' });
				c.host.rooms.splice(40, 2);
				await requestPass(c);
			}
			c.clock.time += 60_000;
			expect(await tick(c, a, 5)).toBe('more');
			// The next slice hangs at a read in full: its promise is abandoned (as the host does at 30 s).
			const cut = hanging(c.host, 'page');
			const abandoned = maintain(c.context(a, 5), 'continue');
			await new Promise((resolve) => setTimeout(resolve, 10));
			// Ticks meanwhile leave the pass alone; after the stall, b takes it over and finishes it.
			c.clock.time += 60_000;
			expect(await tick(c, b, 5)).toBe('idle');
			c.clock.time += STALL_MS;
			expect(await tick(c, b, 5)).toBe('more');
			await c.settle([b], 5, 'continue');
			// The late slice wakes and writes its old progress: the job goes on from there and nothing is lost.
			cut.release();
			await abandoned;
			await c.settle([a, b], 5, 'continue');
			await c.settle([b, a], 5, 'tick');
			c.clock.time += 1000;
			await expectExact(c, [a, b, c.instance()]);
		});
	}

	test('a pass asked for whose first slice is cut off still runs', async () => {
		const { c, a } = await built(300);
		c.host.rooms.splice(10, 1);
		await requestPass(c);
		c.clock.time += 60_000;
		const cut = hanging(c.host, 'page');
		c.host.write('room-00020', { fname: 'no event' });
		void maintain(c.context(a, 5), 'tick');
		await new Promise((resolve) => setTimeout(resolve, 10));
		// The next tick starts the pass again: the request stands until a slice of the pass has written its progress.
		c.clock.time += 60_000;
		const b = c.instance();
		expect(await tick(c, b, 5)).toBe('more');
		await c.settle([b], 5, 'continue');
		c.clock.time += 1000;
		await expectEveryId(c, [c.instance()]);
		cut.release();
	});

	test('two instances running the scan at once after a stall taken over: every answer exact after the pass', async () => {
		const c = cluster(1200);
		const a = c.instance();
		const b = c.instance();
		await c.settle([a], 1_000_000);
		c.host.rooms.splice(100, 3);
		c.host.write('room-00500', { fname: 'unannounced' });
		await requestPass(c);
		c.clock.time += 60_000;
		// a starts the pass; it stalls (no progress written for longer than STALL_MS), b takes it over; then both run.
		expect(await tick(c, a, 5)).toBe('more');
		c.clock.time += STALL_MS + 1;
		expect(await tick(c, b, 5)).toBe('more');
		let [x, y] = ['more', 'more'];
		for (let slices = 0; (x === 'more' || y === 'more') && slices < 1000; slices++) {
			[x, y] = await Promise.all([x === 'more' ? maintain(c.context(a, 5), 'continue') : x, y === 'more' ? maintain(c.context(b, 5), 'continue') : y]);
		}
		await c.settle([a, b], 5, 'continue');
		c.clock.time += 1000;
		await expectExact(c, [a, b, c.instance()]);
	});

	test('an instance whose clock is a minute behind files changes in buckets the others have passed: none is lost', async () => {
		const { c, a } = await built(200);
		const behind = new LiveIndex({ instance: 'behind', now: () => c.clock.time - 60_000, pollEveryMs: 1000, packer: zlibPacker });
		const behindContext = { store: c.store, host: c.host, live: behind, now: () => c.clock.time - 60_000 };
		await roomsOf(a, c.store);
		await roomsOf(behind, c.store);
		c.clock.time += 1000;
		c.host.write('room-00008', { fname: 'from behind' });
		await noteRoomChanged(behindContext, 'room-00008');
		// Within a bucket and a poll, the others have it.
		c.clock.time += BUCKET_MS + 1000;
		expect((await roomsOf(a, c.store)).find((room) => room._id === 'room-00008')?.fname).toBe('from behind');
		// Through a compaction, and for a runtime started after it.
		for (let minute = 0; minute < 11; minute++) {
			c.clock.time += 60_000;
			await tick(c, a, 1_000_000);
		}
		c.host.write('room-00009', { fname: 'also from behind' });
		await noteRoomChanged(behindContext, 'room-00009');
		c.clock.time += 1000;
		const late = c.instance();
		const rooms = await roomsOf(late, c.store);
		expect(rooms.find((room) => room._id === 'room-00008')?.fname).toBe('from behind');
		expect(rooms.find((room) => room._id === 'room-00009')?.fname).toBe('also from behind');
		c.clock.time += BUCKET_MS;
		expect((await roomsOf(a, c.store)).find((room) => room._id === 'room-00009')?.fname).toBe('also from behind');
	});
});

describe('the first walk reads the rooms the list shows open', () => {
	test('listedOpen says what roomFromEngine restores (`_unmappedProperties_` wins over `isOpen`)', () => {
		const value = fc.constantFrom<unknown>(undefined, null, true, false, 'yes');
		fc.assert(
			fc.property(roomArbitrary, value, value, fc.boolean(), (room, isOpen, unmappedOpen, withUnmapped) => {
				const raw = jsonHop(convertToEngine(room)) as Record<string, unknown>;
				if (isOpen !== undefined) raw.isOpen = isOpen;
				if (withUnmapped) raw._unmappedProperties_ = { ...(raw._unmappedProperties_ as object), open: unmappedOpen };
				expect(listedOpen(raw as EngineRoom)).toBe(roomFromEngine(raw as EngineRoom).open != null);
			}),
		);
	});
});
