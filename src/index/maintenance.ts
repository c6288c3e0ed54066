/**
 * The index's upkeep, run by the scheduler (one run per cluster) in slices that each end well before the host's
 * limit on an app call, the next slice going on where the last one stopped, on whichever instance runs it:
 * 1. **scan**: one pass over the host's room list (`getAllRooms`, projected). The first pass (`build`) reads every
 *    livechat room in full (`getById`); later passes (`reconcile`) read in full only the rooms whose `_updatedAt`
 *    differs from the index's copy, or that the index lacks. Rooms the index holds but the pass did not see are read
 *    once more to tell a deleted room from one that moved in the list. What a pass learns goes to the journal.
 * 2. **snapshot**: every room of the index, written in chunks; then the manifest names it, and the journal before it
 *    (kept a while longer for instances that are behind) and the previous snapshot are removed.
 * Then the job idles until the reconciliation interval (in ticks of the recurring job) has passed since the last pass.
 */
import { roomFromEngine } from '../rooms/fromEngine';
import { departmentDisagrees, withKnownDepartment, withListedFields } from '../rooms/fromFullRoom';
import type { RoomDocument } from '../rooms/RoomDocument';
import type { EngineRoom } from '../rooms/EngineRoom';
import type { LiveIndex } from './LiveIndex';
import { updatedAtOf } from './RoomIndex';
import type { FullRoom, HostRooms, JobState, Manifest, SharedStore } from './shared';
import { asJob, asManifest, bucketOf, chunkOf, NAMES, readOne } from './shared';

/** The host's page limit for the room list. */
export const PAGE = 100;
/** Pages overlap by this many rooms: a room shifted back by deletions while the pass runs is not missed. */
export const OVERLAP = 10;
/** Rooms per snapshot chunk. */
export const CHUNK = 500;
/** A pass whose progress has not moved for this long is taken over by the next tick. */
export const STALL_MS = 120_000;
/** Journal buckets kept before the current snapshot's start, for instances that are behind (10 minutes). */
export const RETAIN_BUCKETS = 60;

export interface MaintenanceContext {
	readonly store: SharedStore;
	readonly host: HostRooms;
	readonly live: LiveIndex;
	readonly now: () => number;
	/** How long one slice may work. */
	readonly budgetMs: number;
	/**
	 * Ticks (runs of the recurring job, one a minute per cluster) between the end of one pass and the start of the next:
	 * counted on the scheduler's clock, which is what runs the job.
	 */
	readonly intervalTicks: number;
	readonly newId: () => string;
}

/** `tick`: the recurring job; `continue`: the slice a previous slice scheduled. */
export type Trigger = 'tick' | 'continue';

/** Applies changes to this instance's copy, then writes them to the journal for the others. */
export async function recordChanges(
	ctx: Pick<MaintenanceContext, 'store' | 'live' | 'now'>,
	rooms: readonly RoomDocument[],
	gone: readonly string[],
): Promise<void> {
	if (rooms.length === 0 && gone.length === 0) return;
	for (const room of rooms) ctx.live.rooms.apply(room);
	for (const id of gone) ctx.live.rooms.remove(id);
	const at = ctx.now();
	await ctx.store.create([NAMES.bucket(bucketOf(at))], { at, rooms, gone });
}

/** The host answered nothing for rooms that exist: the app cannot read rooms in full (permission `room.read`). */
export class UnreadableRoomsError extends Error {}

/** Rooms the first build read: into this instance's copy, and filed under the pass and this instance for the others. */
async function recordBuilt(ctx: Pick<MaintenanceContext, 'store' | 'live' | 'now'>, pass: string, rooms: readonly RoomDocument[]): Promise<void> {
	if (rooms.length === 0) return;
	for (const room of rooms) ctx.live.rooms.apply(room);
	await ctx.store.create([NAMES.built(pass), NAMES.builtBy(pass, ctx.live.instance)], { at: ctx.now(), rooms, gone: [] });
}

/**
 * A room the app heard changed (an event): read it in full, then record it. An event announces a room that exists
 * (deletions fire none), so a room that cannot be read is an error, never taken for a deletion.
 */
export async function noteRoomChanged(ctx: Pick<MaintenanceContext, 'store' | 'live' | 'now' | 'host'>, id: string): Promise<void> {
	const full = await ctx.host.full(id);
	if (full === 'other') return;
	if (full === 'gone') throw new UnreadableRoomsError(`room ${id} was announced by an event but could not be read (permission room.read?)`);
	// A full read names no deleted department: the id this instance's (fresh) copy holds stands.
	if (full.departmentId === undefined) await ctx.live.current(ctx.store).catch(() => undefined);
	await recordChanges(ctx, [withKnownDepartment(full, ctx.live.rooms.get(id))], []);
}

/**
 * Reads rooms in full, sorting them into documents and deleted ids; a room also read from the list just now is
 * corrected by what the list carries (`withListedFields`).
 */
export async function readFull(
	host: HostRooms,
	ids: readonly string[],
	listed?: ReadonlyMap<string, EngineRoom>,
): Promise<{ rooms: RoomDocument[]; gone: string[] }> {
	const rooms: RoomDocument[] = [];
	const gone: string[] = [];
	for (let start = 0; start < ids.length; start += PAGE) {
		const slice = ids.slice(start, start + PAGE);
		const found: FullRoom[] = await Promise.all(slice.map((id) => host.full(id)));
		// Rooms the list showed a moment ago may have been deleted since, but not a whole page of them.
		if (listed && slice.length > 1 && found.every((room) => room === 'gone')) {
			throw new UnreadableRoomsError(`none of ${slice.length} rooms the list just showed could be read in full (permission room.read?)`);
		}
		found.forEach((room, i) => {
			const raw = listed?.get(slice[i]);
			if (room === 'gone') gone.push(slice[i]);
			else if (room !== 'other') rooms.push(raw ? withListedFields(room, roomFromEngine(raw)) : room);
		});
	}
	return { rooms, gone };
}

function startPass(kind: JobState['kind'], now: number, pass: string, finishedAt?: number): JobState {
	return {
		phase: 'scan',
		kind,
		pass,
		skip: 0,
		lastIds: [],
		slices: 0,
		read: 0,
		fetched: 0,
		startedAt: now,
		updatedAt: now,
		fromBucket: bucketOf(now) - 1,
		finishedAt,
		ticks: 0,
	};
}

async function scan(ctx: MaintenanceContext, job: JobState, deadline: number): Promise<JobState> {
	const reconcile = job.kind === 'reconcile';
	// The pass compares the host with this instance's copy: first every change any instance has written.
	if (reconcile && !(await ctx.live.current(ctx.store, true)).ok) return job;
	let { skip, read, fetched } = job;
	let lastIds = job.lastIds;
	const seen: string[] = [];
	let done = false;
	while (!done && ctx.now() < deadline) {
		const page = await ctx.host.page(skip, PAGE);
		const previous = new Set(lastIds);
		const ids: string[] = [];
		const wanted: string[] = [];
		const listed = new Map<string, EngineRoom>();
		for (const raw of Array.isArray(page) ? page : []) {
			if (raw === null || typeof raw !== 'object' || raw.type !== 'l' || typeof raw.id !== 'string') continue;
			ids.push(raw.id);
			if (previous.has(raw.id)) continue;
			read++;
			const known = reconcile ? ctx.live.rooms.get(raw.id) : undefined;
			if (known === undefined || updatedAtOf(known) !== updatedAtOf({ _updatedAt: raw.updatedAt }) || departmentDisagrees(known, raw)) {
				wanted.push(raw.id);
				listed.set(raw.id, raw);
			}
		}
		const { rooms, gone } = await readFull(ctx.host, wanted, listed);
		fetched += wanted.length;
		if (reconcile) await recordChanges(ctx, rooms, gone);
		else await recordBuilt(ctx, job.pass, rooms);
		seen.push(...ids);
		// A short page is the last; so is a full page of rooms already seen (a list that does not move on).
		done = page.length < PAGE || (ids.length > 0 && ids.every((id) => previous.has(id)));
		lastIds = ids;
		skip += PAGE - OVERLAP;
	}
	let slices = job.slices;
	if (reconcile && seen.length > 0) {
		await ctx.store.create([NAMES.seen(job.pass), NAMES.seenSlice(job.pass, slices)], { ids: seen });
		slices++;
	}
	const builders = reconcile || (job.builders ?? []).includes(ctx.live.instance) ? job.builders : [...(job.builders ?? []), ctx.live.instance];
	const next: JobState = { ...job, skip, lastIds, read, fetched, slices, builders };
	if (!done) return next;
	if (reconcile) {
		const all = new Set<string>();
		for (const record of await ctx.store.read([NAMES.seen(job.pass)])) {
			const ids = (record as { ids?: unknown }).ids;
			if (Array.isArray(ids)) for (const id of ids) all.add(String(id));
		}
		// Rooms another instance heard of while the pass ran are in the copy too, so none is missed as unseen.
		if (!(await ctx.live.current(ctx.store, true)).ok) return next;
		const unseen = [...ctx.live.rooms.ids()].filter((id) => !all.has(id));
		const { rooms, gone } = await readFull(ctx.host, unseen);
		await recordChanges(
			ctx,
			rooms.map((room) => withKnownDepartment(room, ctx.live.rooms.get(room._id))),
			gone,
		);
		await ctx.store.remove([NAMES.seen(job.pass)]);
		return { ...next, phase: 'snapshot', fetched: fetched + unseen.length, lastIds: [] };
	}
	return { ...next, phase: 'snapshot', lastIds: [] };
}

async function snapshot(ctx: MaintenanceContext, job: JobState, manifest: Manifest | undefined, deadline: number): Promise<JobState> {
	// This instance's copy first takes in every change any instance has written: for the first build, the rooms
	// other instances read, and the journal's events since the build began.
	if (manifest) {
		if (!(await ctx.live.current(ctx.store, true)).ok) return job;
	} else if (!job.snapshot) {
		for (const builder of job.builders ?? []) {
			if (builder !== ctx.live.instance) await ctx.live.take(ctx.store, [NAMES.builtBy(job.pass, builder)]);
		}
		await ctx.live.catchUp(ctx.store, job.fromBucket);
	}
	const rooms = ctx.live.rooms;
	let state = job.snapshot ?? { gen: ctx.newId(), chunks: Math.max(1, Math.ceil(rooms.size / CHUNK)), next: 0, journalFrom: bucketOf(ctx.now()) - 1 };
	const lists: RoomDocument[][] = Array.from({ length: state.chunks }, () => []);
	for (const room of rooms.values()) {
		const index = chunkOf(room._id, state.chunks);
		if (index >= state.next) lists[index].push(room);
	}
	const { gen } = state;
	while (state.next < state.chunks && ctx.now() < deadline) {
		const index = state.next;
		await ctx.store.put([NAMES.snapshot(gen), NAMES.chunk(gen, index)], { gen, index, rooms: lists[index] });
		state = { ...state, next: index + 1 };
	}
	if (state.next < state.chunks) return { ...job, snapshot: state };

	const keptFrom = manifest ? Math.max(manifest.keptFrom, state.journalFrom - RETAIN_BUCKETS) : job.fromBucket;
	const now = ctx.now();
	await ctx.store.put([NAMES.manifest], { gen, chunks: state.chunks, rooms: rooms.size, journalFrom: state.journalFrom, keptFrom, builtAt: now });
	ctx.live.adopt(gen);
	if (!manifest) await ctx.store.remove([NAMES.built(job.pass)]);
	if (manifest && manifest.gen !== gen) {
		await ctx.store.remove([NAMES.snapshot(manifest.gen)]);
		for (let bucket = manifest.keptFrom; bucket < keptFrom; bucket++) await ctx.store.remove([NAMES.bucket(bucket)]);
	}
	return { ...job, phase: 'idle', snapshot: undefined, finishedAt: now, ticks: 0 };
}

/**
 * One slice of upkeep. Answers `more` when work is left for a continuation slice (the caller schedules it), `idle`
 * otherwise. A tick does nothing while a pass is under way and moving (its continuation is on the way).
 */
export async function maintain(ctx: MaintenanceContext, trigger: Trigger): Promise<'idle' | 'more'> {
	const started = ctx.now();
	const manifest = await readOne(ctx.store, [NAMES.manifest], asManifest);
	let job = await readOne(ctx.store, [NAMES.job], asJob);
	if (job && job.phase !== 'idle') {
		if (trigger === 'tick' && started - job.updatedAt < STALL_MS) return 'idle';
	} else {
		const ticks = (job?.ticks ?? 0) + (trigger === 'tick' ? 1 : 0);
		if (manifest && ticks < ctx.intervalTicks) {
			if (trigger === 'tick' && job) await ctx.store.put([NAMES.job], { ...job, ticks });
			return 'idle';
		}
		job = startPass(manifest ? 'reconcile' : 'build', started, ctx.newId(), job?.finishedAt);
	}
	const deadline = started + ctx.budgetMs;
	if (job.phase === 'scan') job = await scan(ctx, job, deadline);
	if (job.phase === 'snapshot' && ctx.now() < deadline) job = await snapshot(ctx, job, manifest, deadline);
	job = { ...job, updatedAt: ctx.now() };
	await ctx.store.put([NAMES.job], job);
	return job.phase === 'idle' ? 'idle' : 'more';
}
