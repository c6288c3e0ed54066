/**
 * What the instances of a cluster share about the index: records in the app's persistence (one collection for every
 * instance), each found by names (Rocket.Chat's association records). Pure shapes and names; the engine adapter maps
 * the ports below onto `IPersistence` / `IPersistenceRead`.
 *
 * - The **journal**: every change an instance learns of (from an event, the build or a reconciliation) is appended
 *   as a record of its own, filed under the 10-second bucket it was written in. Appends never overwrite anything, so
 *   two instances writing at once cannot lose each other's changes; records are idempotent (see `RoomIndex.apply`).
 * - A **snapshot**: every room at one moment, in chunks, written by the maintenance job (one run per cluster). It lets
 *   an instance start without replaying the whole journal, and lets the journal be pruned.
 * - The **manifest** names the current snapshot and the first journal bucket to replay after it.
 * - The **job** record holds the maintenance job's progress, so that its work can go on in another instance.
 */
import type { RoomDocument } from '../rooms/RoomDocument';
import type { EngineRoom } from '../rooms/EngineRoom';

/** A journal bucket spans this long. */
export const BUCKET_MS = 10_000;

export const bucketOf = (time: number): number => Math.floor(time / BUCKET_MS);

/** Names carry the format's version: a version of the app that stores rooms differently builds its own index. */
const PREFIX = 'livechat-rooms-index/1';

/** The names records are filed under. */
export const NAMES = {
	bucket: (bucket: number): string => `${PREFIX}:journal:${bucket}`,
	manifest: `${PREFIX}:manifest`,
	snapshot: (gen: string): string => `${PREFIX}:snapshot:${gen}`,
	chunk: (gen: string, index: number): string => `${PREFIX}:snapshot:${gen}:${index}`,
	job: `${PREFIX}:job`,
	seen: (pass: string): string => `${PREFIX}:seen:${pass}`,
	seenSlice: (pass: string, slice: number): string => `${PREFIX}:seen:${pass}:${slice}`,
} as const;

export interface JournalRecord {
	/** When it was written (ms). */
	readonly at: number;
	/** Rooms as they are now. */
	readonly rooms: readonly RoomDocument[];
	/** Ids of rooms deleted. */
	readonly gone: readonly string[];
}

export interface Manifest {
	readonly gen: string;
	readonly chunks: number;
	readonly rooms: number;
	/** Replay the journal from this bucket on, after loading the snapshot. */
	readonly journalFrom: number;
	/** Buckets before this one may have been pruned. */
	readonly keptFrom: number;
	readonly builtAt: number;
}

export interface Chunk {
	readonly gen: string;
	readonly index: number;
	readonly rooms: readonly RoomDocument[];
}

/** The maintenance job's progress. */
export interface JobState {
	readonly phase: 'scan' | 'snapshot' | 'idle';
	/** `build`: the first pass, reading every room in full; `reconcile`: a pass that reads only changed rooms. */
	readonly kind: 'build' | 'reconcile';
	/** Names this pass's records. */
	readonly pass: string;
	/** Next position in the host's room list. */
	readonly skip: number;
	/** Ids of the last page read (pages overlap, so a room shifted by a deletion is not missed). */
	readonly lastIds: readonly string[];
	/** Slices of seen ids written (reconcile). */
	readonly slices: number;
	/** Rooms read from the list so far, and read in full. */
	readonly read: number;
	readonly fetched: number;
	readonly startedAt: number;
	readonly updatedAt: number;
	/** The first journal bucket of this pass. */
	readonly fromBucket: number;
	readonly snapshot?: { readonly gen: string; readonly chunks: number; readonly next: number; readonly journalFrom: number };
	/** When the last pass finished. */
	readonly finishedAt?: number;
	/** Ticks of the recurring job since the last pass finished. */
	readonly ticks?: number;
}

/** Records in the app's persistence, by names. */
export interface SharedReader {
	/** Every record filed under all of these names. */
	read(names: readonly string[]): Promise<unknown[]>;
}

export interface SharedStore extends SharedReader {
	/** Files a new record. */
	create(names: readonly string[], data: object): Promise<void>;
	/** Replaces the record filed under exactly these names, creating it when there is none. */
	put(names: readonly string[], data: object): Promise<void>;
	/** Removes every record filed under all of these names. */
	remove(names: readonly string[]): Promise<void>;
}

/** A room read in full from the host: the document, `gone` (no such room), or `other` (not a livechat room). */
export type FullRoom = RoomDocument | 'gone' | 'other';

/** The host's rooms: the livechat list page by page (projected), and one room in full. */
export interface HostRooms {
	page(skip: number, limit: number): Promise<readonly EngineRoom[]>;
	full(id: string): Promise<FullRoom>;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const isRoomList = (value: unknown): value is RoomDocument[] => Array.isArray(value) && value.every((room) => isObject(room) && typeof room._id === 'string');
const isIdList = (value: unknown): value is string[] => Array.isArray(value) && value.every((id) => typeof id === 'string');

/** Records as read back: anything that does not have the expected shape is ignored. */
export function asJournal(value: unknown): JournalRecord | undefined {
	if (!isObject(value) || typeof value.at !== 'number' || !isRoomList(value.rooms) || !isIdList(value.gone)) return undefined;
	return value as unknown as JournalRecord;
}

export function asManifest(value: unknown): Manifest | undefined {
	if (!isObject(value) || typeof value.gen !== 'string' || typeof value.chunks !== 'number' || typeof value.journalFrom !== 'number') return undefined;
	if (typeof value.keptFrom !== 'number' || typeof value.builtAt !== 'number' || typeof value.rooms !== 'number') return undefined;
	return value as unknown as Manifest;
}

export function asChunk(value: unknown, gen: string, index: number): Chunk | undefined {
	if (!isObject(value) || value.gen !== gen || value.index !== index || !isRoomList(value.rooms)) return undefined;
	return value as unknown as Chunk;
}

export function asJob(value: unknown): JobState | undefined {
	if (!isObject(value) || typeof value.phase !== 'string' || typeof value.pass !== 'string' || typeof value.skip !== 'number') return undefined;
	return value as unknown as JobState;
}

export async function readOne<T>(store: SharedReader, names: readonly string[], as: (value: unknown) => T | undefined): Promise<T | undefined> {
	for (const record of await store.read(names)) {
		const value = as(record);
		if (value !== undefined) return value;
	}
	return undefined;
}

/** Which snapshot chunk a room belongs in: a hash of its id, so every instance splits the rooms the same way. */
export function chunkOf(id: string, chunks: number): number {
	let hash = 2166136261;
	for (let i = 0; i < id.length; i++) {
		hash ^= id.charCodeAt(i);
		hash = Math.imul(hash, 16777619);
	}
	return (hash >>> 0) % chunks;
}
