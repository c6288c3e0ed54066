/**
 * The index's upkeep, run by the scheduler (one run per cluster) in slices that each end well before the host's
 * limit on an app call, the next slice going on where the last one stopped, on whichever instance runs it:
 * 1. **scan**: one pass over the host's room list (`getAllRooms`, projected). The first build (`build`) walks it
 *    twice, writing what it reads into segments as it goes: first reading in full (`getById`) only the rooms the list
 *    shows open, which its compaction names in a manifest `openOnly` (the queue first, `queueFirst.ts`), then every
 *    room the index lacks or holds in another version; later passes (`reconcile`) read in
 *    full only the rooms whose `_updatedAt` differs from the index's copy, or that the index lacks, and add every id
 *    they see to a digest (`digest.ts`). At the end of a reconciliation, the rooms of the digest's buckets that
 *    differ from the index's are read once more, which tells a deleted room from one that moved in the list. What a
 *    pass learns goes to the journal.
 * 2. **compact**: what the journal changed since the segments were written goes into a new segment; a segment most
 *    of whose rooms were superseded is rewritten; the manifest names the segments in force. Nothing changed, nothing
 *    written.
 * Between passes the job idles until the reconciliation interval in force has passed (the minutes setting, or longer
 * when passes that often would walk more of the room list a day than the budget allows), and compacts when the
 * journal has grown.
 */
import type { FullRoom, HostRooms, SharedStore } from '../ports';
import { roomFromEngine, unmappedOf } from '../rooms/fromEngine';
import { departmentDisagrees, withKnownDepartment, withListedFields } from '../rooms/fromFullRoom';
import type { RoomDocument } from '../rooms/RoomDocument';
import type { EngineRoom } from '../rooms/EngineRoom';
import { packValue } from './codec';
import { bucketsFor, Digest, intervalMinutes } from './digest';
import type { LiveIndex } from './LiveIndex';
import { updatedAtOf } from './RoomIndex';
import type { BuildJob, CompactJob, JobState, Manifest, ReconcileJob, SegmentInfo } from './shared';
import { asJob, asManifest, bucketOf, NAMES, readOne } from './shared';

/** The host's page limit for the room list. */
export const PAGE = 100;
/** Pages overlap by this many rooms: a room shifted back by deletions while the pass runs is not missed. */
export const OVERLAP = 10;
/** Rooms (and tombstones) per segment. */
export const SEGMENT = 512;
/** A segment holding fewer current rooms than this share of what it stores is rewritten by the next compaction. */
const STALE_SHARE = 0.5;
/** Segments this small are merged once there are more than `SMALL_SEGMENTS` of them. */
const SMALL = SEGMENT / 4;
const SMALL_SEGMENTS = 8;
/** Rooms a compaction rewrites at most (beyond what the journal changed), so that it fits in a slice. */
const REWRITE_AT_MOST = 8 * SEGMENT;
/** The journal is folded into a segment once this many rooms wait, or every `COMPACT_EVERY_TICKS` ticks when any wait. */
const COMPACT_ROOMS = 2 * SEGMENT;
const COMPACT_EVERY_TICKS = 10;
/** A pass whose progress has not moved for this long is taken over by the next tick. */
export const STALL_MS = 120_000;
/** Journal buckets kept before the current manifest's start, for instances that are behind (10 minutes). */
export const RETAIN_BUCKETS = 60;
/** The default budget of room-list entries the reconciliation may walk a day. */
export const WALK_BUDGET = 2e9;

export interface MaintenanceContext {
	readonly store: SharedStore;
	readonly host: HostRooms;
	readonly live: LiveIndex;
	readonly now: () => number;
	/** How long one slice may work. */
	readonly budgetMs: number;
	/** The minutes setting: the shortest interval between the end of one pass and the start of the next. */
	readonly reconcileMinutes: number;
	/** Room-list entries the reconciliation may walk a day. */
	readonly walkBudget: number;
	readonly newId: () => string;
}

/** `tick`: the recurring job (once a minute); `continue`: the slice a previous slice scheduled. */
export type Trigger = 'tick' | 'continue';

/** The reconciliation interval in force for an index of this many rooms. */
export function reconcileInterval(rooms: number, ctx: Pick<MaintenanceContext, 'reconcileMinutes' | 'walkBudget'>): number {
	return intervalMinutes(rooms, ctx.reconcileMinutes, ctx.walkBudget, PAGE, OVERLAP);
}

/** Applies changes to this instance's copy, then writes them to the journal for the others. */
export async function recordChanges(
	ctx: Pick<MaintenanceContext, 'store' | 'live' | 'now'>,
	rooms: readonly RoomDocument[],
	gone: readonly string[],
): Promise<void> {
	if (rooms.length === 0 && gone.length === 0) return;
	ctx.live.applyChanges(rooms, gone);
	ctx.live.keepUnwritten([{ at: ctx.now(), rooms, gone }]);
	await writePending(ctx);
}

/**
 * Writes the journal records this instance holds but persistence refused so far, oldest first, each into the bucket
 * of the moment it is written (the others replay from there); throws while persistence still refuses.
 */
export async function writePending(ctx: Pick<MaintenanceContext, 'store' | 'live' | 'now'>): Promise<void> {
	// Taken out first: a write running at the same time (another event) does not write them twice.
	const records = ctx.live.takePending();
	for (let i = 0; i < records.length; i++) {
		try {
			await ctx.store.create([NAMES.bucket(bucketOf(ctx.now()))], records[i]);
		} catch (error) {
			ctx.live.keepUnwritten(records.slice(i), true);
			throw error;
		}
	}
}

/** The host answered nothing for rooms that exist: the app cannot read rooms in full (permission `room.read`). */
export class UnreadableRoomsError extends Error {}

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
	await recordChanges(ctx, [withKnownDepartment(full, ctx.live.rooms.view(id))], []);
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

/** A date as milliseconds; `-Infinity` when it is not one. */
const timeOf = (value: unknown): number => updatedAtOf({ _updatedAt: value });

/** Writes rooms and tombstones into new segments of at most `SEGMENT` entries each; answers what the manifest lists. */
async function writeSegments(
	ctx: MaintenanceContext,
	rooms: readonly RoomDocument[],
	gone: readonly string[],
	ids: readonly string[] = segmentIds(ctx, rooms.length + gone.length),
): Promise<SegmentInfo[]> {
	const written: SegmentInfo[] = [];
	for (let start = 0, index = 0; start < rooms.length + gone.length; start += SEGMENT, index++) {
		const part = rooms.slice(start, start + SEGMENT);
		const tombstones = gone.slice(Math.max(0, start - rooms.length), Math.max(0, start + SEGMENT - rooms.length));
		const info: SegmentInfo = { id: ids[index], rooms: part.length + tombstones.length };
		await ctx.store.put([NAMES.segments, NAMES.segment(info.id)], { id: info.id, data: packValue(ctx.live.packer, { rooms: part, gone: tombstones }) });
		ctx.live.applySegment(info, { rooms: part, gone: tombstones });
		written.push(info);
	}
	return written;
}

/** New ids for the segments that `entries` rooms and tombstones fill. */
const segmentIds = (ctx: MaintenanceContext, entries: number): string[] => Array.from({ length: Math.ceil(entries / SEGMENT) }, () => ctx.newId());

/** Whether the copy can be compared with the host: every room, or (the first build's second walk) every open room. */
const usable = (available: { readonly ok: boolean; readonly openRooms?: unknown }): boolean => available.ok || available.openRooms !== undefined;

/**
 * The room list shows this room open (its stored `open` field present): the first walk of the build reads it. The
 * field as `roomFromEngine` restores it (`_unmappedProperties_` wins, else `isOpen`), without converting every room
 * the walk lists.
 */
export function listedOpen(raw: EngineRoom): boolean {
	const unmapped = unmappedOf(raw);
	const open = unmapped !== undefined && Object.prototype.hasOwnProperty.call(unmapped, 'open') ? unmapped.open : raw.isOpen;
	return open !== null && open !== undefined;
}

function startPass(kind: 'build' | 'reconcile', now: number, pass: string, previous: JobState | undefined, openOnly = true): JobState {
	const base = {
		pass,
		startedAt: now,
		updatedAt: now,
		fromBucket: bucketOf(now) - 1,
		skip: 0,
		lastIds: [],
		read: 0,
		fetched: 0,
		walked: 0,
		finishedAt: previous?.finishedAt,
		lastWalk: previous?.lastWalk,
	};
	return kind === 'build' ? { ...base, kind, phase: 'scan', segments: [], openOnly } : { ...base, kind, phase: 'scan', buckets: 0 };
}

async function scan(ctx: MaintenanceContext, job: BuildJob | ReconcileJob, deadline: number): Promise<JobState> {
	const reconcile = job.kind === 'reconcile';
	// The build's second walk reads what the first left out: it compares the list with the copy, as a pass does.
	const compare = reconcile || (job.kind === 'build' && !job.openOnly);
	const firstWalk = job.kind === 'build' && job.openOnly === true;
	// The pass compares the host with this instance's copy: first every change any instance has written.
	if (reconcile && !(await ctx.live.current(ctx.store, true)).ok) return job;
	if (compare && !reconcile && (await readOne(ctx.store, [NAMES.manifest], asManifest)) && !usable(await ctx.live.current(ctx.store, true))) return job;
	let digest: Digest | undefined;
	if (job.kind === 'reconcile') {
		const buckets = job.buckets > 0 ? job.buckets : bucketsFor(ctx.live.rooms.size);
		const stored = job.buckets > 0 ? await readOne(ctx.store, [NAMES.digest(job.pass)], (v) => digestOf(ctx, v, buckets)) : undefined;
		// A digest that cannot be read back starts the pass over: a partial one would take every room for deleted.
		if (job.buckets > 0 && !stored) return startPass('reconcile', ctx.now(), ctx.newId(), job);
		digest = stored ?? new Digest(buckets);
	}
	let { skip, read, fetched, walked, lastIds } = job;
	const segments = job.kind === 'build' ? [...job.segments] : [];
	const built: RoomDocument[] = [];
	let done = false;
	while (!done && ctx.now() < deadline) {
		const page = await ctx.host.page(skip, PAGE);
		walked += skip + (Array.isArray(page) ? page.length : 0);
		const previous = new Set(lastIds);
		const ids: string[] = [];
		const wanted: string[] = [];
		const listed = new Map<string, EngineRoom>();
		for (const raw of Array.isArray(page) ? page : []) {
			if (raw === null || typeof raw !== 'object' || raw.type !== 'l' || typeof raw.id !== 'string') continue;
			ids.push(raw.id);
			if (previous.has(raw.id)) continue;
			read++;
			// Rooms created before the pass began are in the list all along: the digest counts them.
			if (digest && timeOf(raw.createdAt) < job.startedAt) digest.add(raw.id);
			if (firstWalk && !listedOpen(raw)) continue;
			const known = compare ? ctx.live.rooms.view(raw.id) : undefined;
			if (known === undefined || updatedAtOf(known) !== updatedAtOf({ _updatedAt: raw.updatedAt }) || departmentDisagrees(known, raw)) {
				wanted.push(raw.id);
				listed.set(raw.id, raw);
			}
		}
		const { rooms, gone } = await readFull(ctx.host, wanted, listed);
		fetched += wanted.length;
		if (reconcile) await recordChanges(ctx, rooms, gone);
		else {
			ctx.live.applyChanges(rooms, []);
			built.push(...rooms);
		}
		// A short page is the last; so is a full page of rooms already seen (a list that does not move on).
		done = page.length < PAGE || (ids.length > 0 && ids.every((id) => previous.has(id)));
		lastIds = ids;
		skip += PAGE - OVERLAP;
		// The build writes a segment as soon as it fills, and saves how far it got with it: the runtime never holds
		// more than a segment of documents, and a slice cut off later leaves no segment that no record names.
		if (job.kind === 'build' && built.length >= SEGMENT) {
			segments.push(...(await writeSegments(ctx, built.splice(0, built.length), [])));
			await ctx.store.put([NAMES.job], { ...job, skip, lastIds, read, fetched, walked, segments, updatedAt: ctx.now() });
		}
	}
	const progress = { skip, lastIds, read, fetched, walked };
	// The first build files what it read in segments (the next slice may run on another instance).
	if (job.kind === 'build') segments.push(...(await writeSegments(ctx, built, [])));
	if (job.kind === 'build') return done ? { ...job, ...progress, phase: 'compact', segments, lastIds: [] } : { ...job, ...progress, segments };
	if (!digest) return job;
	if (!done) {
		await ctx.store.put([NAMES.digest(job.pass)], { pass: job.pass, buckets: digest.buckets, data: digest.pack(ctx.live.packer) });
		return { ...job, ...progress, buckets: digest.buckets };
	}
	// Rooms another instance heard of while the pass ran are in the copy too, so none is missed as unseen.
	if (!(await ctx.live.current(ctx.store, true)).ok) return { ...job, ...progress, buckets: digest.buckets };
	const expected = new Digest(digest.buckets);
	for (const room of ctx.live.rooms.views()) if (timeOf(room.ts) < job.startedAt) expected.add(room._id);
	const suspect = digest.differences(expected);
	// Read again: the rooms of the buckets that differ, and the rooms the digest leaves out (created since the pass began).
	const again: string[] = [];
	for (const room of ctx.live.rooms.views()) {
		if (timeOf(room.ts) >= job.startedAt || suspect.has(Digest.bucketOf(room._id, digest.buckets))) again.push(room._id);
	}
	const { rooms, gone } = await readFull(ctx.host, again);
	await recordChanges(
		ctx,
		rooms.map((room) => withKnownDepartment(room, ctx.live.rooms.view(room._id))),
		gone,
	);
	await ctx.store.remove([NAMES.digest(job.pass)]);
	return { ...job, ...progress, fetched: fetched + again.length, lastIds: [], phase: 'compact', lastWalk: walked };
}

function digestOf(ctx: MaintenanceContext, value: unknown, buckets: number): Digest | undefined {
	const record = value as { pass?: unknown; buckets?: unknown; data?: unknown } | null;
	if (!record || record.buckets !== buckets || typeof record.data !== 'string') return undefined;
	return Digest.unpack(ctx.live.packer, buckets, record.data);
}

/**
 * Folds what the journal changed into a new segment, rewrites segments mostly superseded, and names the segments in
 * force in a new manifest. Segments a manifest no longer lists are removed by the next compaction, not this one: an
 * instance still loading the previous manifest finds them, and two compactions at once (a stall taken over) never
 * leave a manifest naming a segment that is gone.
 */
async function compact(ctx: MaintenanceContext, job: BuildJob | ReconcileJob | CompactJob, manifest: Manifest | undefined): Promise<JobState> {
	// The build's second walk adds its segments to those of the first walk's manifest.
	const listed: readonly SegmentInfo[] = job.kind === 'build' ? [...(manifest?.segments ?? []), ...job.segments] : (manifest?.segments ?? []);
	const openOnly = job.kind === 'build' && job.openOnly === true;
	if (manifest) {
		// A copy that cannot load the segments in force (one is missing): build again from the host.
		if (!usable(await ctx.live.current(ctx.store, true))) return startPass('build', ctx.now(), ctx.newId(), job);
	} else {
		// The first build: the events since it began, and the segments other instances wrote.
		await ctx.live.catchUp(ctx.store, job.fromBucket);
	}
	// A listed segment that cannot be read: every room of the copy is written again, and no segment named twice.
	const repair = !(await ctx.live.syncSegments(ctx.store, listed, job.kind === 'build' ? undefined : manifest?.gen));
	// Segments the last manifest retired, and segments a crashed compaction wrote but no manifest names.
	const inForce = new Set(listed.map((info) => info.id));
	for (const id of [...(manifest?.retired ?? []), ...(job.pending ?? [])]) if (!inForce.has(id)) await ctx.store.remove([NAMES.segment(id)]);

	const { rooms, gone } = ctx.live.unpersisted();
	const live = ctx.live.liveCounts();
	const retire = new Set<string>();
	let rewritten = 0;
	const small = listed.filter((info) => info.rooms < SMALL);
	for (const info of listed) {
		const current = live.get(info.id) ?? 0;
		const held = current + ctx.live.tombstonesOf(info.id).length;
		const stale = held < info.rooms * STALE_SHARE || (small.length > SMALL_SEGMENTS && info.rooms < SMALL);
		if (!repair && (!stale || rewritten + current > REWRITE_AT_MOST)) continue;
		retire.add(info.id);
		rewritten += current;
		gone.push(...ctx.live.tombstonesOf(info.id));
	}
	for (const moved of ctx.live.roomsIn(retire).values()) rooms.push(...moved);
	if (manifest && !manifest.openOnly && rooms.length === 0 && gone.length === 0) {
		await pruneJournal(ctx, manifest);
		return idle(job, ctx.now());
	}

	const journalFrom = bucketOf(ctx.now()) - 1;
	const tombstones = [...new Set(gone)];
	// The segments this compaction is about to write, so that a crash before the manifest leaves nothing behind.
	const ids = segmentIds(ctx, rooms.length + tombstones.length);
	await ctx.store.put([NAMES.job], { ...job, pending: [...(job.pending ?? []), ...ids] });
	const written = await writeSegments(ctx, rooms, tombstones, ids);
	const segments = [...listed.filter((info) => !retire.has(info.id)), ...written];
	const keptFrom = manifest ? Math.max(manifest.keptFrom, journalFrom - RETAIN_BUCKETS) : job.fromBucket;
	const next: Manifest = {
		gen: ctx.newId(),
		segments,
		retired: [...retire],
		rooms: ctx.live.rooms.size,
		journalFrom,
		keptFrom,
		builtAt: ctx.now(),
		...(openOnly ? { openOnly } : {}),
	};
	await ctx.store.put([NAMES.manifest], next);
	await ctx.live.syncSegments(ctx.store, segments, next.gen);
	ctx.live.adopt(next);
	if (manifest) for (let bucket = manifest.keptFrom; bucket < keptFrom; bucket++) await ctx.store.remove([NAMES.bucket(bucket)]);
	// The open rooms are ready: the build goes on with the others (events meanwhile go to the journal, as ever).
	if (openOnly) return { ...startPass('build', ctx.now(), job.pass, job, false), fromBucket: job.fromBucket, startedAt: job.startedAt };
	return idle(job, ctx.now());
}

/**
 * With nothing to write, the journal the manifest still keeps before its start is dropped once no instance can be
 * that far behind (a manifest write, once after the changes stop).
 */
async function pruneJournal(ctx: MaintenanceContext, manifest: Manifest): Promise<void> {
	if (manifest.keptFrom >= manifest.journalFrom || bucketOf(ctx.now()) - 1 - RETAIN_BUCKETS < manifest.journalFrom) return;
	await ctx.store.put([NAMES.manifest], { ...manifest, keptFrom: manifest.journalFrom });
	for (let bucket = manifest.keptFrom; bucket < manifest.journalFrom; bucket++) await ctx.store.remove([NAMES.bucket(bucket)]);
}

/** Nothing under way; a pass that just ended starts the count of ticks to the next one. */
function idle(job: JobState, now: number): JobState {
	const passEnded = job.kind === 'build' || job.kind === 'reconcile';
	return {
		kind: 'idle',
		phase: 'idle',
		pass: job.pass,
		startedAt: job.startedAt,
		updatedAt: now,
		fromBucket: job.fromBucket,
		finishedAt: passEnded ? now : job.finishedAt,
		lastWalk: job.lastWalk,
		ticks: job.kind === 'idle' || job.kind === 'compact' ? job.ticks : 0,
	};
}

/**
 * One slice of upkeep. Answers `more` when work is left for a continuation slice (the caller schedules it), `idle`
 * otherwise. A tick does nothing while a pass is under way and moving (its continuation is on the way).
 */
export async function maintain(ctx: MaintenanceContext, trigger: Trigger): Promise<'idle' | 'more'> {
	const started = ctx.now();
	// Journal records persistence refused before: written first (this throws while it still refuses).
	await writePending(ctx);
	const manifest = await readOne(ctx.store, [NAMES.manifest], asManifest);
	let job = await readOne(ctx.store, [NAMES.job], asJob);
	let taken = false;
	// A build behind the manifest (a slice cut off after the manifest was written, or one that woke late and wrote its
	// old progress): the first walk gives way to the second, the second to nothing.
	if (job?.kind === 'build' && manifest && (!manifest.openOnly || job.openOnly)) {
		job = manifest.openOnly ? startPass('build', started, ctx.newId(), job, false) : idle(job, started);
	}
	if (job && job.kind !== 'idle') {
		if (trigger === 'tick' && started - job.updatedAt < STALL_MS) return 'idle';
	} else {
		const ticks = (job?.ticks ?? 0) + (trigger === 'tick' ? 1 : 0);
		const requested = manifest !== undefined && (await ctx.store.read([NAMES.reconcileRequest])).length > 0;
		if (!manifest || manifest.openOnly) job = startPass('build', started, ctx.newId(), job, !manifest);
		else if (requested || ticks >= reconcileInterval(manifest.rooms, ctx)) {
			// The request is taken once the pass's progress is written (a first slice cut off leaves it standing).
			taken = requested;
			job = startPass('reconcile', started, ctx.newId(), job);
		} else if (trigger === 'tick' && (await compactionDue(ctx, manifest, ticks))) {
			const compaction: CompactJob = {
				kind: 'compact',
				phase: 'compact',
				pass: ctx.newId(),
				startedAt: started,
				updatedAt: started,
				fromBucket: bucketOf(started) - 1,
				finishedAt: job?.finishedAt,
				lastWalk: job?.lastWalk,
				ticks,
			};
			job = compaction;
		} else {
			if (trigger === 'tick' && job) await ctx.store.put([NAMES.job], { ...job, ticks });
			return 'idle';
		}
	}
	const deadline = started + ctx.budgetMs;
	if ((job.kind === 'build' || job.kind === 'reconcile') && job.phase === 'scan') job = await scan(ctx, job, deadline);
	if (job.kind !== 'idle' && job.phase === 'compact' && ctx.now() < deadline) job = await compact(ctx, job, manifest);
	job = { ...job, updatedAt: ctx.now() };
	await ctx.store.put([NAMES.job], job);
	if (taken) await ctx.store.remove([NAMES.reconcileRequest]);
	return job.phase === 'idle' ? 'idle' : 'more';
}

/**
 * Whether the journal has grown enough to be folded into a segment (judged by this instance's copy), counted in ticks
 * like the interval: the scheduler's clock is what runs the job.
 */
async function compactionDue(ctx: MaintenanceContext, manifest: Manifest, ticks: number): Promise<boolean> {
	if (!(await ctx.live.current(ctx.store, true)).ok) return false;
	if (!(await ctx.live.syncSegments(ctx.store, manifest.segments, manifest.gen))) return false;
	const waiting = ctx.live.unpersistedCount;
	return waiting >= COMPACT_ROOMS || (waiting > 0 && ticks % COMPACT_EVERY_TICKS === 0);
}
