/**
 * What a reconciliation's walk of the room list saw, in a few kilobytes instead of a list of ids: for each of a
 * power-of-two number of hash buckets, how many ids fell in it and the XOR of two 32-bit hashes of them. The pass
 * compares it with the same digest of the index's own rooms: a bucket that differs holds a room the walk did not see
 * (deleted, most likely), and only that bucket's rooms are read again. A deleted room can hide only behind a
 * difference with the same 64 bits of hash in the same bucket.
 */
import type { Packer } from './codec';
import { hashesOf } from './shared';

/** About this many rooms per bucket: a suspect bucket costs that many reads of a room. */
const ROOMS_PER_BUCKET = 64;
const MAX_BUCKETS = 1 << 16;

export function bucketsFor(rooms: number): number {
	let buckets = 16;
	while (buckets < MAX_BUCKETS && buckets * ROOMS_PER_BUCKET < rooms) buckets *= 2;
	return buckets;
}

export class Digest {
	/** Per bucket: count, XOR of the first hash, XOR of the second. */
	private readonly cells: Uint32Array;

	constructor(
		public readonly buckets: number,
		cells?: Uint32Array,
	) {
		this.cells = cells ?? new Uint32Array(buckets * 3);
	}

	public static bucketOf(id: string, buckets: number): number {
		const [a, b] = hashesOf(id);
		return ((a ^ (b >>> 11)) >>> 0) & (buckets - 1);
	}

	public add(id: string): void {
		const [a, b] = hashesOf(id);
		const cell = (((a ^ (b >>> 11)) >>> 0) & (this.buckets - 1)) * 3;
		this.cells[cell] = (this.cells[cell] + 1) >>> 0;
		this.cells[cell + 1] ^= a;
		this.cells[cell + 2] ^= b;
	}

	/** The buckets where the two digests differ. */
	public differences(other: Digest): Set<number> {
		const out = new Set<number>();
		for (let bucket = 0; bucket < this.buckets; bucket++) {
			const cell = bucket * 3;
			if (this.cells[cell] !== other.cells[cell] || this.cells[cell + 1] !== other.cells[cell + 1] || this.cells[cell + 2] !== other.cells[cell + 2])
				out.add(bucket);
		}
		return out;
	}

	public pack(packer: Packer): string {
		return packer.pack(JSON.stringify(Array.from(this.cells)));
	}

	/** What `pack` wrote, or `undefined` when the text is not a digest of that many buckets. */
	public static unpack(packer: Packer, buckets: number, text: string): Digest | undefined {
		let cells: unknown;
		try {
			cells = JSON.parse(packer.unpack(text));
		} catch {
			return undefined;
		}
		if (!Array.isArray(cells) || cells.length !== buckets * 3 || !cells.every((cell) => Number.isInteger(cell) && cell >= 0 && cell < 2 ** 32))
			return undefined;
		return new Digest(buckets, Uint32Array.from(cells));
	}
}

/** Room-list entries the host walks for one pass over `rooms` rooms (each page is a `skip` + `limit`). */
export function walkCost(rooms: number, page: number, overlap: number): number {
	let walked = 0;
	let skip = 0;
	for (;;) {
		walked += Math.min(rooms, skip + page);
		if (skip + page >= rooms) return walked;
		skip += page - overlap;
	}
}

/** The reconciliation interval in force: the minutes setting, or longer when a pass a day would pass the budget. */
export function intervalMinutes(rooms: number, settingMinutes: number, walkBudgetPerDay: number, page: number, overlap: number): number {
	const byBudget = Math.ceil((walkCost(rooms, page, overlap) * 24 * 60) / Math.max(1, walkBudgetPerDay));
	return Math.max(settingMinutes, byBudget);
}
