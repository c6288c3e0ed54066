/**
 * One instance's copy of the index, in memory, and how it stays fresh:
 * - a change this instance hears of (an event it handled) is applied at once, then written to the shared journal;
 * - before answering, the instance replays the journal buckets written since its last look, at most every
 *   `pollEveryMs` (so a change made on any other instance is in its answers within that time);
 * - on its first request (and after missing more of the journal than the cluster keeps) it loads the current
 *   snapshot, then the journal after it.
 * Until a snapshot exists (right after install, while the first build runs) the index is unavailable, with a reason
 * and a time to retry: an answer is exact or refused, never built from partial knowledge.
 */
import type { RoomDocument } from '../rooms/RoomDocument';
import { RoomIndex } from './RoomIndex';
import type { Chunk, JobState, Manifest, SharedReader } from './shared';
import { asChunk, asJob, asJournal, asManifest, bucketOf, NAMES, readOne } from './shared';

/** Why the rooms cannot be read now, and in how many seconds to try again. */
export interface Unavailable {
	readonly message: string;
	readonly retryAfter: number;
}

/** Every livechat room as stored. */
export interface RoomSet {
	values(): Iterable<RoomDocument>;
	readonly size: number;
}

export type Availability = { readonly ok: true; readonly rooms: RoomSet } | { readonly ok: false; readonly unavailable: Unavailable };

export interface LiveIndexOptions {
	readonly now: () => number;
	/** How long an answer may go without looking at the journal. */
	readonly pollEveryMs: number;
}

/** Snapshot chunks read at once. */
const LOAD_AT_ONCE = 4;

const count = (n: number): string => n.toLocaleString('en-US');

/** What to tell a caller while there is no snapshot yet. */
export function buildingNotice(job: JobState | undefined, now: number): Unavailable {
	if (job && job.kind === 'build' && job.phase !== 'idle') {
		const seconds = Math.max(0, Math.round((now - job.startedAt) / 1000));
		const step = job.phase === 'scan' ? `${count(job.read)} rooms read so far` : `every room read (${count(job.read)}), saving it`;
		return { message: `The app is building its index of the livechat rooms (${step}, started ${seconds} s ago). Retry in 10 s.`, retryAfter: 10 };
	}
	return {
		message: 'The app has not built its index of the livechat rooms yet; the build starts within a minute of the app being enabled. Retry in 30 s.',
		retryAfter: 30,
	};
}

export class LiveIndex {
	public readonly rooms = new RoomIndex();

	/** The snapshot this copy started from; undefined until one is loaded. */
	private gen?: string;

	/** The last journal bucket replayed. */
	private cursor = -Infinity;

	private polledAt = -Infinity;

	private refreshing?: Promise<Availability>;

	constructor(private readonly options: LiveIndexOptions) {}

	/** Whether this copy has started from a snapshot. */
	public get loaded(): boolean {
		return this.gen !== undefined;
	}

	/** The rooms, with every change any instance wrote more than `pollEveryMs` ago; or why they cannot be read. */
	public current(store: SharedReader, force = false): Promise<Availability> {
		if (!force && this.gen !== undefined && this.options.now() - this.polledAt < this.options.pollEveryMs) {
			return Promise.resolve({ ok: true, rooms: this.rooms });
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

	/** Starts over from the journal alone, from `fromBucket` on (the first build, before any snapshot exists). */
	public async loadJournal(store: SharedReader, fromBucket: number): Promise<void> {
		const until = bucketOf(this.options.now());
		this.rooms.clear();
		await this.replay(store, fromBucket, until);
	}

	/** This copy now stands for the snapshot `gen` (which it has just written itself). */
	public adopt(gen: string): void {
		this.gen = gen;
		this.polledAt = this.options.now();
	}

	private async refresh(store: SharedReader): Promise<Availability> {
		const started = this.options.now();
		const manifest = await readOne(store, [NAMES.manifest], asManifest);
		if (!manifest) return { ok: false, unavailable: buildingNotice(await readOne(store, [NAMES.job], asJob), started) };
		let from = this.cursor - 1;
		if (this.gen === undefined || this.cursor < manifest.keptFrom) {
			if (!(await this.loadSnapshot(store, manifest))) {
				return { ok: false, unavailable: { message: 'The app is replacing its index of the livechat rooms. Retry in 2 s.', retryAfter: 2 } };
			}
			from = manifest.journalFrom;
		}
		await this.replay(store, from, bucketOf(started));
		this.polledAt = started;
		return { ok: true, rooms: this.rooms };
	}

	private async loadSnapshot(store: SharedReader, manifest: Manifest): Promise<boolean> {
		const { gen } = manifest;
		const chunks: Chunk[] = [];
		// A few chunks at a time: the runtime's memory holds the rooms, not every chunk's transfer at once.
		for (let start = 0; start < manifest.chunks; start += LOAD_AT_ONCE) {
			const indexes = Array.from({ length: Math.min(LOAD_AT_ONCE, manifest.chunks - start) }, (_, i) => start + i);
			const read = await Promise.all(indexes.map((index) => readOne(store, [NAMES.chunk(gen, index)], (value) => asChunk(value, gen, index))));
			for (const chunk of read) {
				if (chunk === undefined) return false;
				chunks.push(chunk);
			}
		}
		this.rooms.clear();
		for (const chunk of chunks) {
			for (const room of chunk.rooms) this.rooms.apply(room);
		}
		this.gen = gen;
		this.cursor = manifest.journalFrom - 1;
		return true;
	}

	/** Applies the journal buckets `from..until`, in order, one bucket at a time. */
	private async replay(store: SharedReader, from: number, until: number): Promise<void> {
		for (let bucket = from; bucket <= until; bucket++) {
			for (const value of await store.read([NAMES.bucket(bucket)])) {
				const record = asJournal(value);
				if (!record) continue;
				for (const room of record.rooms) this.rooms.apply(room);
				for (const id of record.gone) this.rooms.remove(id);
			}
		}
		this.cursor = Math.max(this.cursor, until);
	}
}
