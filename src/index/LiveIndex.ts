/**
 * One instance's copy of the index, in memory, and how it stays fresh:
 * - a change this instance hears of (an event it handled) is applied at once, then written to the shared journal;
 * - before answering, the instance replays the journal buckets written since its last look, at most every
 *   `pollEveryMs` (so a change made on any other instance is in its answers within that time);
 * - on its first request (and after missing more of the journal than the cluster keeps) it loads the segments the
 *   manifest lists, then the journal after them.
 * Until a manifest exists (right after install, while the first build runs) the index is unavailable, with a reason
 * and a time to retry: an answer is exact or refused, never built from partial knowledge. Once the build's first
 * walk has read every open room (a manifest `openOnly`), the refusal carries those rooms (`openRooms`) for the
 * requests they alone decide (`queueFirst.ts`).
 *
 * The journal is replayed from a little behind the last bucket read (`SKEW_BUCKETS`, every `BUCKET_MS`), so that a
 * record an instance whose clock is behind filed in a bucket the others had passed is still taken in.
 *
 * The copy also knows where each room's current version is persisted (`located`: the segment that holds it; a room
 * the journal changed since is in none), which is what a compaction writes.
 */
import type { Availability, SharedReader, Unavailable } from '../ports';
import type { RoomDocument } from '../rooms/RoomDocument';
import type { Packer } from './codec';
import { unpackValue } from './codec';
import { RoomIndex, updatedAtOf } from './RoomIndex';
import type { JobState, Manifest, SegmentInfo } from './shared';
import { asJob, asJournal, asManifest, asSegment, BUCKET_MS, bucketOf, NAMES, readOne, SKEW_BUCKETS } from './shared';

export interface LiveIndexOptions {
	/** Names this runtime's copy (a new one each time the runtime starts). */
	readonly instance: string;
	readonly now: () => number;
	/** How long an answer may go without looking at the journal. */
	readonly pollEveryMs: number;
	readonly packer: Packer;
}

/** What counting the open rooms reads of each (a view, not the whole document). */
const OPEN_FIELD: ReadonlySet<string> = new Set(['_id', 'open']);

/** Segments read at once. */
const LOAD_AT_ONCE = 4;
/** Journal buckets read at once (a look behind by the clock tolerance is one round). */
const READ_BUCKETS_AT_ONCE = SKEW_BUCKETS + 2;
/**
 * Journal records kept while persistence refuses writes; beyond, the oldest are dropped (the change stays in this
 * copy, and the next reconciliation pass reads the room again for the others).
 */
export const UNWRITTEN_AT_MOST = 10_000;

const count = (n: number): string => n.toLocaleString('en-US');

/** What to tell a caller while there is no manifest yet. */
export function buildingNotice(job: JobState | undefined, now: number): Unavailable {
	if (job && job.kind === 'build') {
		const seconds = Math.max(0, Math.round((now - job.startedAt) / 1000));
		const step = job.phase === 'scan' ? `${count(job.read)} rooms read so far` : `every room read (${count(job.read)}), saving it`;
		return { message: `The app is building its index of the livechat rooms (${step}, started ${seconds} s ago). Retry in 10 s.`, retryAfter: 10 };
	}
	return {
		message: 'The app has not built its index of the livechat rooms yet; the build starts within a minute of the app being enabled. Retry in 30 s.',
		retryAfter: 30,
	};
}

/** What to tell a caller while the index holds every open room and is reading the others. */
export function queueReadyNotice(job: JobState | undefined, openRooms: number, now: number): Unavailable {
	const reading =
		job && job.kind === 'build' && !job.openOnly
			? `it is reading the others (${count(job.read)} rooms listed so far, started ${Math.max(0, Math.round((now - job.startedAt) / 1000))} s ago)`
			: 'it is reading the others';
	return {
		message: `The app's index of the livechat rooms holds every open room (${count(openRooms)}) and ${reading}. Until it is done, only requests for open rooms (queued=true, open=true) can be answered. Retry in 10 s.`,
		retryAfter: 10,
	};
}

/** The rooms and tombstones of a segment record; `undefined` when it is not one. */
export function segmentContent(packer: Packer, value: unknown, id: string): { rooms: RoomDocument[]; gone: string[] } | undefined {
	const record = asSegment(value, id);
	if (!record) return undefined;
	let content: unknown;
	try {
		content = unpackValue(packer, record.data);
	} catch {
		return undefined;
	}
	const { rooms, gone } = (content ?? {}) as { rooms?: unknown; gone?: unknown };
	if (!Array.isArray(rooms) || !Array.isArray(gone) || !gone.every((g) => typeof g === 'string')) return undefined;
	if (!rooms.every((room) => room !== null && typeof room === 'object' && typeof (room as RoomDocument)._id === 'string')) return undefined;
	return { rooms: rooms as RoomDocument[], gone: gone as string[] };
}

export class LiveIndex {
	public readonly rooms: RoomIndex;

	/** The manifest this copy started from; undefined until one is loaded. */
	private gen?: string;

	/** The segments this copy has read (or written), by id. */
	private readonly segments = new Map<string, SegmentInfo>();

	/** Where each room's current version is persisted: the segment holding it. */
	private readonly located = new Map<string, string>();

	/** Deleted rooms whose tombstone is in a segment, by segment. */
	private readonly tombstones = new Map<string, string[]>();

	private readonly tombstoned = new Set<string>();

	/** The manifest whose segments `segments` and `located` reflect. */
	private syncedGen?: string;

	/** The last journal bucket replayed. */
	private cursor = -Infinity;

	private polledAt = -Infinity;

	/** When the journal was last replayed from `SKEW_BUCKETS` behind. */
	private widenedAt = -Infinity;

	/** The manifest this copy stands for holds the open rooms only (`Manifest.openOnly`), and why the rest waits. */
	private openOnly?: Unavailable;

	/** Journal records this instance could not write (persistence refused): written before any other. */
	private readonly unwritten: Array<{ at: number; rooms: readonly RoomDocument[]; gone: readonly string[] }> = [];

	private refreshing?: Promise<Availability>;

	constructor(private readonly options: LiveIndexOptions) {
		this.rooms = new RoomIndex(options.packer);
	}

	/** Whether this copy has started from a manifest. */
	public get loaded(): boolean {
		return this.gen !== undefined;
	}

	public get instance(): string {
		return this.options.instance;
	}

	public get packer(): Packer {
		return this.options.packer;
	}

	/** The rooms, with every change any instance wrote more than `pollEveryMs` ago; or why they cannot be read. */
	public current(store: SharedReader, force = false): Promise<Availability> {
		if (!force && this.gen !== undefined && this.options.now() - this.polledAt < this.options.pollEveryMs) {
			return Promise.resolve(this.answer());
		}
		if (!this.refreshing) {
			const done = (): void => {
				this.refreshing = undefined;
			};
			this.refreshing = this.refresh(store);
			this.refreshing.then(done, done);
		}
		return this.refreshing;
	}

	/** Whether the copy holds only the open rooms (the first build's second walk is under way). */
	public get queueReady(): boolean {
		return this.openOnly !== undefined;
	}

	/** Replays the journal from `fromBucket` on, before any manifest exists (the first build's events). */
	public async catchUp(store: SharedReader, fromBucket: number): Promise<void> {
		await this.replay(store, fromBucket - SKEW_BUCKETS, bucketOf(this.options.now()));
	}

	/** Keeps journal records not yet written (or refused by persistence): after those kept, or before them (`first`). */
	public keepUnwritten(records: ReadonlyArray<{ at: number; rooms: readonly RoomDocument[]; gone: readonly string[] }>, first = false): void {
		if (first) this.unwritten.unshift(...records);
		else this.unwritten.push(...records);
		if (this.unwritten.length > UNWRITTEN_AT_MOST) this.unwritten.splice(0, this.unwritten.length - UNWRITTEN_AT_MOST);
	}

	/** The journal records waiting to be written, oldest first, handed over (none wait afterwards). */
	public takePending(): Array<{ at: number; rooms: readonly RoomDocument[]; gone: readonly string[] }> {
		return this.unwritten.splice(0, this.unwritten.length);
	}

	/** How many journal records wait to be written. */
	public get pendingCount(): number {
		return this.unwritten.length;
	}

	/** Takes in rooms read now (an event, a reconciliation): their current version is in no segment yet. */
	public applyChanges(rooms: readonly RoomDocument[], gone: readonly string[]): void {
		for (const room of rooms) if (this.rooms.apply(room)) this.located.delete(room._id);
		for (const id of gone) this.forget(id);
	}

	/** Takes in a segment: its rooms, and where their versions are persisted. */
	public applySegment(info: SegmentInfo, content: { readonly rooms: readonly RoomDocument[]; readonly gone: readonly string[] }): void {
		this.segments.set(info.id, info);
		for (const room of content.rooms) {
			if (this.rooms.apply(room)) this.located.set(room._id, info.id);
			// The same version as the copy's: persisted here too (the segment it was found in may be retired).
			else if (this.rooms.updatedAt(room._id) === updatedAtOf(room)) this.located.set(room._id, info.id);
		}
		if (content.gone.length > 0) this.tombstones.set(info.id, [...content.gone]);
		for (const id of content.gone) {
			this.forget(id);
			this.tombstoned.add(id);
		}
	}

	/** Reads the segments of `listed` this copy has not read, and forgets those no longer listed. Answers false when one is missing. */
	public async syncSegments(store: SharedReader, listed: readonly SegmentInfo[], gen?: string): Promise<boolean> {
		if (gen !== undefined && gen === this.syncedGen) return true;
		const unknown = listed.filter((info) => !this.segments.has(info.id));
		if (!(await this.readSegments(store, unknown))) return false;
		const ids = new Set(listed.map((info) => info.id));
		for (const id of [...this.segments.keys()]) {
			if (ids.has(id)) continue;
			this.segments.delete(id);
			for (const gone of this.tombstones.get(id) ?? []) this.tombstoned.delete(gone);
			this.tombstones.delete(id);
		}
		// Tombstones still held by a listed segment stay tombstoned.
		for (const [, gone] of this.tombstones) for (const id of gone) this.tombstoned.add(id);
		for (const [room, segment] of this.located) if (!ids.has(segment)) this.located.delete(room);
		this.syncedGen = gen;
		return true;
	}

	/** What a compaction would write: rooms whose current version no listed segment holds, and deletions without a tombstone. */
	public unpersisted(): { rooms: RoomDocument[]; gone: string[] } {
		const rooms: RoomDocument[] = [];
		for (const id of this.rooms.ids()) {
			if (this.located.has(id)) continue;
			const room = this.rooms.get(id);
			if (room) rooms.push(room);
		}
		const gone: string[] = [];
		for (const id of this.rooms.goneIds()) if (!this.tombstoned.has(id)) gone.push(id);
		return { rooms, gone };
	}

	/** How many rooms and tombstones would a compaction write (without listing them). */
	public get unpersistedCount(): number {
		let gone = 0;
		for (const id of this.rooms.goneIds()) if (!this.tombstoned.has(id)) gone++;
		return this.rooms.size - this.located.size + gone;
	}

	/** Per known segment: how many rooms' current version it holds. */
	public liveCounts(): Map<string, number> {
		const out = new Map<string, number>();
		for (const id of this.segments.keys()) out.set(id, 0);
		for (const segment of this.located.values()) out.set(segment, (out.get(segment) ?? 0) + 1);
		return out;
	}

	/** The rooms whose current version these segments hold, by segment. */
	public roomsIn(segments: ReadonlySet<string>): Map<string, RoomDocument[]> {
		const out = new Map<string, RoomDocument[]>();
		for (const id of segments) out.set(id, []);
		for (const [roomId, segment] of this.located) {
			if (!segments.has(segment)) continue;
			const room = this.rooms.get(roomId);
			if (room) out.get(segment)?.push(room);
		}
		return out;
	}

	/** The tombstones a segment holds. */
	public tombstonesOf(segment: string): readonly string[] {
		return this.tombstones.get(segment) ?? [];
	}

	/** This copy now stands for the manifest `gen`, whose segments it knows (it has just written it). */
	public adopt(manifest: Manifest): void {
		this.gen = manifest.gen;
		this.syncedGen = manifest.gen;
		this.polledAt = this.options.now();
		this.openOnly = manifest.openOnly ? queueReadyNotice(undefined, this.openCount(), this.options.now()) : undefined;
	}

	/** The rooms as this copy can answer for them now. */
	private answer(): Availability {
		return this.openOnly ? { ok: false, unavailable: this.openOnly, openRooms: this.rooms } : { ok: true, rooms: this.rooms };
	}

	private openCount(): number {
		let open = 0;
		for (const room of this.rooms.reading(OPEN_FIELD)) if (room.open !== undefined && room.open !== null) open++;
		return open;
	}

	private forget(id: string): void {
		this.rooms.remove(id);
		this.located.delete(id);
	}

	private async refresh(store: SharedReader): Promise<Availability> {
		const started = this.options.now();
		const manifest = await readOne(store, [NAMES.manifest], asManifest);
		if (!manifest) return { ok: false, unavailable: buildingNotice(await readOne(store, [NAMES.job], asJob), started) };
		const replacing: Availability = {
			ok: false,
			unavailable: { message: 'The app is replacing its index of the livechat rooms. Retry in 2 s.', retryAfter: 2 },
		};
		// Behind by the clock tolerance now and then: a record filed late in a bucket already read is taken in.
		const widen = started - this.widenedAt >= BUCKET_MS;
		let from = widen ? this.cursor - SKEW_BUCKETS : this.cursor - 1;
		let wide = widen;
		if (this.gen === undefined || this.cursor < manifest.keptFrom) {
			if (!(await this.load(store, manifest))) return replacing;
			from = manifest.journalFrom - SKEW_BUCKETS;
			wide = true;
		} else if (this.openOnly && manifest.gen !== this.gen) {
			// The rest of the first build: the closed rooms are in segments, not in the journal.
			if (!(await this.syncSegments(store, manifest.segments, manifest.gen))) return replacing;
			this.gen = manifest.gen;
		}
		await this.replay(store, from, bucketOf(started));
		if (wide) this.widenedAt = started;
		this.openOnly = manifest.openOnly ? queueReadyNotice(await readOne(store, [NAMES.job], asJob), this.openCount(), started) : undefined;
		this.polledAt = started;
		return this.answer();
	}

	/** Starts again from the manifest's segments. */
	private async load(store: SharedReader, manifest: Manifest): Promise<boolean> {
		this.rooms.clear();
		this.segments.clear();
		this.located.clear();
		this.tombstones.clear();
		this.tombstoned.clear();
		this.gen = undefined;
		this.syncedGen = undefined;
		if (!(await this.readSegments(store, manifest.segments))) return false;
		this.gen = manifest.gen;
		this.syncedGen = manifest.gen;
		this.cursor = manifest.journalFrom - 1;
		return true;
	}

	/** A few segments at a time: the runtime's memory holds the rooms, not every segment's text at once. */
	private async readSegments(store: SharedReader, infos: readonly SegmentInfo[]): Promise<boolean> {
		for (let start = 0; start < infos.length; start += LOAD_AT_ONCE) {
			const group = infos.slice(start, start + LOAD_AT_ONCE);
			const read = await Promise.all(
				group.map(async (info) => {
					for (const value of await store.read([NAMES.segment(info.id)])) {
						const content = segmentContent(this.options.packer, value, info.id);
						if (content) return content;
					}
					return undefined;
				}),
			);
			for (let i = 0; i < group.length; i++) {
				const content = read[i];
				if (content === undefined) return false;
				this.applySegment(group[i], content);
			}
		}
		return true;
	}

	/** Applies the journal buckets `from..until` in order, read a few at once. */
	private async replay(store: SharedReader, from: number, until: number): Promise<void> {
		for (let start = from; start <= until; start += READ_BUCKETS_AT_ONCE) {
			const buckets = Array.from({ length: Math.min(READ_BUCKETS_AT_ONCE, until - start + 1) }, (_, i) => start + i);
			const read = await Promise.all(buckets.map((bucket) => store.read([NAMES.bucket(bucket)])));
			for (const values of read) {
				for (const value of values) {
					const record = asJournal(value);
					if (record) this.applyChanges(record.rooms, record.gone);
				}
			}
		}
		this.cursor = Math.max(this.cursor, until);
	}
}
