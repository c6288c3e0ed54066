/**
 * What the instances of a cluster share about the index: records in the app's persistence (one collection for every
 * instance), each found by names (Rocket.Chat's association records). Pure shapes and names; the engine adapter
 * (`engine/RoomIndexKeeper.ts`) maps the ports `SharedReader` / `SharedStore` (`ports.ts`) onto `IPersistence` /
 * `IPersistenceRead`. The layout is a log and its compaction, so that what is written follows the changes, not the
 * rooms ever stored:
 *
 * - The **journal**: every change an instance learns of (from an event or a reconciliation) is appended as a record
 *   of its own, filed under the 10-second bucket it was written in. Appends never overwrite anything, so two instances
 *   writing at once cannot lose each other's changes; records are idempotent (see `RoomIndex.apply`).
 * - **Segments**: blocks of rooms as stored, packed (`codec.ts`: deflate, then base64), written once and never
 *   changed. The first build writes every room into segments; later, a **compaction** writes the rooms the journal
 *   changed (and the ids of deleted rooms, as tombstones) into a new segment, and rewrites a segment only when most of
 *   what it holds has been superseded. A room may be in several segments: the later `_updatedAt` wins, a tombstone
 *   wins over everything.
 * - The **manifest** lists the segments in force and the first journal bucket to replay after them.
 * - The **job** record holds the upkeep's progress, so that its work can go on in another instance; a pass's
 *   **digest** (what the walk of the room list saw, by hash buckets) is its own record.
 */
import type { SharedReader } from '../ports';
import type { RoomDocument } from '../rooms/RoomDocument';
import { isDocument } from '../values/path';

/** A journal bucket spans this long. */
export const BUCKET_MS = 10_000;

export const bucketOf = (time: number): number => Math.floor(time / BUCKET_MS);

/** How far apart the instances' clocks may be: a record filed that far back is still replayed. */
export const CLOCK_TOLERANCE_MS = 60_000;
/** Buckets replayed again behind the last one read, to cover `CLOCK_TOLERANCE_MS` (and the bucket in progress). */
export const SKEW_BUCKETS = Math.ceil(CLOCK_TOLERANCE_MS / BUCKET_MS) + 1;

/** Names carry the format's version: a version of the app that stores rooms differently builds its own index. */
const PREFIX = 'livechat-rooms-index/2';

/** The names records are filed under. */
export const NAMES = {
	bucket: (bucket: number): string => `${PREFIX}:journal:${bucket}`,
	manifest: `${PREFIX}:manifest`,
	/** Every segment carries this name too (so that all of them can be listed or removed at once). */
	segments: `${PREFIX}:segment`,
	segment: (id: string): string => `${PREFIX}:segment:${id}`,
	job: `${PREFIX}:job`,
	digest: (pass: string): string => `${PREFIX}:digest:${pass}`,
	/** An administrator's request for a reconciliation pass now. */
	reconcileRequest: `${PREFIX}:reconcile-request`,
} as const;

export interface JournalRecord {
	/** When it was written (ms). */
	readonly at: number;
	/** Rooms as they are now. */
	readonly rooms: readonly RoomDocument[];
	/** Ids of rooms deleted. */
	readonly gone: readonly string[];
}

/** A segment as the manifest lists it. */
export interface SegmentInfo {
	readonly id: string;
	/** Rooms and tombstones it holds. */
	readonly rooms: number;
}

/** A segment as stored: `data` is `codec.packValue` of `{ rooms, gone }`. */
export interface SegmentRecord {
	readonly id: string;
	readonly data: string;
}

export interface Manifest {
	readonly gen: string;
	readonly segments: readonly SegmentInfo[];
	/** Livechat rooms in the index when it was written. */
	readonly rooms: number;
	/** Replay the journal from this bucket on, after loading the segments. */
	readonly journalFrom: number;
	/** Buckets before this one may have been pruned. */
	readonly keptFrom: number;
	readonly builtAt: number;
	/** Segments the previous manifest listed and this one does not: removed by the next compaction. */
	readonly retired: readonly string[];
	/**
	 * The first build's first walk is done: the segments hold every open room (and the closed rooms only in part);
	 * absent once every room is read.
	 */
	readonly openOnly?: boolean;
}

interface JobBase {
	/** Names this pass's records. */
	readonly pass: string;
	readonly startedAt: number;
	readonly updatedAt: number;
	/** The first journal bucket of this pass. */
	readonly fromBucket: number;
	/** When the last pass finished. */
	readonly finishedAt?: number;
	/** Room-list entries the host walked in the last whole reconciliation (what a pass costs the database). */
	readonly lastWalk?: number;
	/** Segments a compaction set out to write: removed by the next one unless a manifest names them. */
	readonly pending?: readonly string[];
}

/** How far a walk of the room list has gone. */
interface ScanProgress {
	/** Next position in the host's room list. */
	readonly skip: number;
	/** Ids of the last page read (pages overlap, so a room shifted by a deletion is not missed). */
	readonly lastIds: readonly string[];
	/** Rooms read from the list so far, and read in full. */
	readonly read: number;
	readonly fetched: number;
	/** Room-list entries the host walked for this pass so far. */
	readonly walked: number;
}

/**
 * The upkeep's progress, by kind and phase: the first build (a walk that reads every room in full into segments, then
 * a compaction that names them), a reconciliation (a walk that reads only what changed, then a compaction), a
 * compaction alone (the journal grew between passes), or nothing under way.
 */
export type JobState = BuildJob | ReconcileJob | CompactJob | IdleJob;

/**
 * The first build; `segments`: what it has written so far. `openOnly`: its first walk, which reads in full only the
 * rooms the list shows open; the second walk (absent or false) reads the rooms the index lacks or holds otherwise.
 */
export type BuildJob = JobBase &
	ScanProgress & { readonly kind: 'build'; readonly phase: 'scan' | 'compact'; readonly segments: readonly SegmentInfo[]; readonly openOnly?: boolean };
/** A reconciliation; `buckets`: the size of its digest (0 before its first slice). */
export type ReconcileJob = JobBase & ScanProgress & { readonly kind: 'reconcile'; readonly phase: 'scan' | 'compact'; readonly buckets: number };
/** A compaction between passes; `ticks` carries on the count to the next pass. */
export type CompactJob = JobBase & { readonly kind: 'compact'; readonly phase: 'compact'; readonly ticks: number };
/** `ticks`: runs of the recurring job since the last pass ended. */
export type IdleJob = JobBase & { readonly kind: 'idle'; readonly phase: 'idle'; readonly ticks: number };

const isRoomList = (value: unknown): value is RoomDocument[] => Array.isArray(value) && value.every((room) => isDocument(room) && typeof room._id === 'string');
const isIdList = (value: unknown): value is string[] => Array.isArray(value) && value.every((id) => typeof id === 'string');

/** Records as read back: anything that does not have the expected shape is ignored. */
export function asJournal(value: unknown): JournalRecord | undefined {
	if (!isDocument(value) || typeof value.at !== 'number' || !isRoomList(value.rooms) || !isIdList(value.gone)) return undefined;
	return value as unknown as JournalRecord;
}

const isSegmentList = (value: unknown): value is SegmentInfo[] =>
	Array.isArray(value) && value.every((segment) => isDocument(segment) && typeof segment.id === 'string' && typeof segment.rooms === 'number');

export function asManifest(value: unknown): Manifest | undefined {
	if (!isDocument(value) || typeof value.gen !== 'string' || !isSegmentList(value.segments) || typeof value.journalFrom !== 'number') return undefined;
	if (typeof value.keptFrom !== 'number' || typeof value.builtAt !== 'number' || typeof value.rooms !== 'number') return undefined;
	if (!isIdList(value.retired)) return undefined;
	if (value.openOnly !== undefined && typeof value.openOnly !== 'boolean') return undefined;
	return value as unknown as Manifest;
}

export function asSegment(value: unknown, id: string): SegmentRecord | undefined {
	if (!isDocument(value) || value.id !== id || typeof value.data !== 'string') return undefined;
	return value as unknown as SegmentRecord;
}

export function asJob(value: unknown): JobState | undefined {
	if (!isDocument(value) || typeof value.pass !== 'string' || typeof value.startedAt !== 'number') return undefined;
	const scans = (value.kind === 'build' || value.kind === 'reconcile') && (value.phase === 'scan' || value.phase === 'compact');
	if (scans && (typeof value.skip !== 'number' || !isIdList(value.lastIds))) return undefined;
	if (value.kind === 'build' && !isSegmentList(value.segments)) return undefined;
	if (!scans && !(value.kind === 'compact' && value.phase === 'compact') && !(value.kind === 'idle' && value.phase === 'idle')) return undefined;
	return value as unknown as JobState;
}

export async function readOne<T>(store: SharedReader, names: readonly string[], as: (value: unknown) => T | undefined): Promise<T | undefined> {
	for (const record of await store.read(names)) {
		const value = as(record);
		if (value !== undefined) return value;
	}
	return undefined;
}

/** Two 32-bit hashes of an id (FNV-1a and a multiplicative variant), for the pass's digest. */
export function hashesOf(id: string): readonly [number, number] {
	let a = 2166136261;
	let b = 0x9747b28c;
	for (let i = 0; i < id.length; i++) {
		const code = id.charCodeAt(i);
		a = Math.imul(a ^ code, 16777619);
		b = Math.imul(b ^ code, 0x5bd1e995);
		b ^= b >>> 15;
	}
	return [a >>> 0, b >>> 0];
}
