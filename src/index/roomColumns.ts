/**
 * How the index holds its rooms in memory at any size: not as parsed documents (about 2.5 KB each), but as
 * - **columns** of the fields the built-in filters, the counts and the common sorts read (`VIEW_FIELDS`): dates as
 *   numbers in typed arrays, every other value **coded** (each distinct agent, department, source, tag list, name, ...
 *   kept once and numbered; the column holds the numbers); `servedBy` kept as its agent (`viewCarries`);
 * - parts of those values cut down to paths below them (`projection`), and columns of other fields made on demand
 *   (`extra`), each numbered the same way, for the filters that read them;
 * - and the **whole document** packed: rooms as tagged JSON (`codec.ts`), 16 to a block, each block deflated once
 *   full (about 350 bytes a room on the demo data), the open block kept as text.
 * Queries run on the codes (`columnSearch.ts`), or on **views**: small objects built from the columns, with exactly
 * the values the document holds for those fields; only the rooms of the page are unpacked. Anything else reads the
 * documents, unpacked block by block. Pure: the deflating is handed in (`BlockPacker`), or left out (plain text).
 */
import type { RoomDocument } from '../rooms/RoomDocument';
import type { BlockPacker } from './codec';
import { tagged, untagInPlace } from './codec';

/** The fields a view carries (`servedBy` in part: `viewCarries`). */
export const VIEW_FIELDS: ReadonlySet<string> = new Set([
	'_id',
	't',
	'open',
	'onHold',
	'servedBy',
	'departmentId',
	'departmentAncestors',
	'ts',
	'closedAt',
	'queuedAt',
	'_updatedAt',
	'lm',
	'tags',
	'fname',
	'livechatData',
	'source',
]);

/**
 * Fields a view carries in part, to keep the columns small: a room's `servedBy` holds the agent and when they took
 * the room (`ts`), so nearly every room's is distinct; the view keeps what the built-in filters, the counts and the
 * agent sorts read of it, `_id` and `username` (a `servedBy` that is not a plain sub-document is kept whole).
 */
const PARTIAL_FIELDS: ReadonlyMap<string, readonly string[]> = new Map([['servedBy', ['_id', 'username']]]);

/** Whether a view carries what a path reads (a top-level field, or a dotted path below one). */
export function viewCarries(path: string): boolean {
	const [top, below] = path.split('.', 2);
	if (!VIEW_FIELDS.has(top)) return false;
	const kept = PARTIAL_FIELDS.get(top);
	return kept === undefined || (below !== undefined && kept.includes(below));
}

const hasOwn = Object.prototype.hasOwnProperty;

/** What a column keeps of a field's value. */
function kept(field: string, value: unknown): unknown {
	const keys = PARTIAL_FIELDS.get(field);
	if (keys === undefined || value === null || typeof value !== 'object' || Array.isArray(value) || isDate(value)) return value;
	const part: Record<string, unknown> = {};
	for (const key of keys) if (hasOwn.call(value, key)) part[key] = (value as Record<string, unknown>)[key];
	return part;
}

export const DATE_FIELDS = ['ts', 'closedAt', 'queuedAt', '_updatedAt', 'lm'] as const;
/** Interned: many rooms hold the same value. */
export const SHARED_FIELDS = ['t', 'open', 'onHold', 'servedBy', 'departmentId', 'departmentAncestors', 'tags', 'livechatData', 'source', 'fname'] as const;

export type DateField = (typeof DATE_FIELDS)[number];
export type SharedField = (typeof SHARED_FIELDS)[number];

/** Which columns a view is made of. */
interface Picker {
	readonly shared: readonly SharedField[];
	readonly dates: readonly DateField[];
}

const EVERY_FIELD: Picker = { shared: SHARED_FIELDS, dates: DATE_FIELDS };

const ROOMS_PER_BLOCK = 16;
/** Unpacked blocks kept for the next look (a page's rooms are often neighbours). */
const CACHED_BLOCKS = 64;

const isDate = (value: unknown): value is Date => Object.prototype.toString.call(value) === '[object Date]';

/**
 * One shared copy of each distinct value of a field (by its tagged JSON), numbered: a column holds the numbers (codes),
 * so that a query decides once per distinct value, not once per room. Code 0 is "absent". Values are never dropped
 * (they are bounded by the distinct agents, departments, tag lists, custom-field sets, ...).
 */
class Dictionary {
	private readonly values: unknown[] = [undefined];
	/** Strings by themselves; any other value by its tagged JSON. */
	private readonly strings = new Map<string, number>();
	private readonly others = new Map<string, number>();

	public code(value: unknown): number {
		if (value === undefined) return 0;
		const [codes, key] = typeof value === 'string' ? [this.strings, value] : [this.others, JSON.stringify(tagged(value))];
		let code = codes.get(key);
		if (code === undefined) {
			code = this.values.length;
			this.values.push(value);
			codes.set(key, code);
		}
		return code;
	}

	/** The value of a code (`undefined`: absent). */
	public value(code: number): unknown {
		return this.values[code];
	}

	/** Codes in use are below this. */
	public get size(): number {
		return this.values.length;
	}
}

/** Paths below a field, as a tree: `WHOLE` where a path ends (everything below it is read). */
type PathTree = typeof WHOLE | Map<string, PathTree>;
const WHOLE = 'whole';

function pathTree(paths: readonly string[]): PathTree {
	const root = new Map<string, PathTree>();
	for (const path of paths) {
		let node: Map<string, PathTree> = root;
		const segments = path.split('.');
		for (let i = 0; i < segments.length; i++) {
			const held = node.get(segments[i]);
			if (held === WHOLE) break;
			if (i === segments.length - 1) node.set(segments[i], WHOLE);
			else if (held === undefined) node.set(segments[i], (node = new Map()));
			else node = held;
		}
	}
	return root;
}

/**
 * The part of a value a reader of these paths can see: sub-documents keep only the keys on the paths, in their
 * order; an array is kept whole (a path may go into its elements or pick one by index), and so is anything else.
 * A filter or sort that reads only these paths judges the part exactly as it judges the whole.
 */
function project(value: unknown, tree: PathTree): unknown {
	if (tree === WHOLE || value === null || typeof value !== 'object' || Array.isArray(value) || isDate(value)) return value;
	const part: Record<string, unknown> = {};
	for (const key of Object.keys(value)) {
		const below = tree.get(key);
		if (below === undefined) continue;
		// A key the plain object cannot hold as its own: keep the value whole.
		if (key === '__proto__') return value;
		part[key] = project((value as Record<string, unknown>)[key], below);
	}
	return part;
}

/** Names each numbering made on demand (projections, extra columns), so that what was decided by its codes is not mixed with another's. */
let numberings = 0;

/** A field's values projected onto some paths below it, numbered anew: distinct parts are far fewer than values. */
class Projection {
	public readonly numbering = `part ${++numberings}`;
	/** The part's code, by the field's code (filled up to `done`). */
	public parts = new Int32Array(16);
	public readonly dictionary = new Dictionary();
	private done = 0;

	constructor(private readonly tree: PathTree) {}

	/** Numbers the parts of the field's codes not numbered yet. */
	public extend(field: Dictionary): void {
		const size = field.size;
		if (size > this.parts.length) {
			const parts = new Int32Array(Math.max(size, this.parts.length * 2));
			parts.set(this.parts);
			this.parts = parts;
		}
		for (let code = this.done; code < size; code++) this.parts[code] = code === 0 ? 0 : this.dictionary.code(project(field.value(code), this.tree));
		this.done = size;
	}
}

/**
 * A column made on demand for a field the columns do not keep (`metrics`, `v`, ...): what a room holds of it, cut
 * down to the paths a filter reads (`project`), coded. Filled from every document once, then kept by every change.
 */
class Extra {
	public readonly numbering = `extra ${++numberings}`;
	public codes: Int32Array;
	public readonly dictionary = new Dictionary();

	constructor(
		public readonly field: string,
		private readonly tree: PathTree,
		capacity: number,
	) {
		this.codes = new Int32Array(capacity);
	}

	public take(slot: number, room: RoomDocument): void {
		const value = hasOwn.call(room, this.field) ? (room as Record<string, unknown>)[this.field] : undefined;
		this.codes[slot] = this.dictionary.code(value === undefined ? undefined : project(value, this.tree));
	}

	public grow(capacity: number): void {
		const codes = new Int32Array(capacity);
		codes.set(this.codes);
		this.codes = codes;
	}
}

const extraKey = (field: string, paths: readonly string[] | undefined): string => `${field}\u0000${paths ? [...paths].sort().join('\u0000') : '\u0001'}`;

/** Columns made on demand, kept at most (the least recently used goes first). */
const EXTRAS = 4;
/** Remembered decisions of the filters asked before (the least recently used goes first). */
const REMEMBERED = 64;

/** Projections kept for the next query (the least recently used goes first). */
const PROJECTIONS = 32;

interface Block {
	/** The open block: each room's tagged JSON. */
	texts?: string[];
	/** A full block: the rooms' JSON texts one after the other, packed, and where each one ends. */
	packed?: Uint8Array | string;
	ends?: Uint32Array;
	/** The slot of each room filed in the block, by place (-1 once superseded). */
	slots: number[];
	/** Rooms of the block still current. */
	live: number;
}

export class RoomColumns {
	private ids: Array<string | undefined> = [];
	private readonly slots = new Map<string, number>();
	private readonly free: number[] = [];
	private capacity = 0;
	private dates: Record<DateField, Float64Array>;
	/** Date fields whose value is not a date (rare): by slot. */
	private readonly odd: Record<DateField, Map<number, unknown>>;
	private shared: Record<SharedField, Int32Array>;
	private readonly dictionaries: Record<SharedField, Dictionary>;
	private blockOf = new Int32Array(0);
	private placeOf = new Uint8Array(0);
	private readonly blocks: Block[] = [];
	private open = -1;
	private readonly cache = new Map<number, string>();
	private readonly projections = new Map<string, Projection>();
	private readonly extras = new Map<string, Extra>();
	private readonly remembered = new Map<string, unknown>();

	constructor(private readonly packer?: BlockPacker) {
		this.dates = {
			ts: new Float64Array(0),
			closedAt: new Float64Array(0),
			queuedAt: new Float64Array(0),
			_updatedAt: new Float64Array(0),
			lm: new Float64Array(0),
		};
		this.odd = { ts: new Map(), closedAt: new Map(), queuedAt: new Map(), _updatedAt: new Map(), lm: new Map() };
		this.shared = {} as Record<SharedField, Int32Array>;
		this.dictionaries = {} as Record<SharedField, Dictionary>;
		for (const field of SHARED_FIELDS) {
			this.shared[field] = new Int32Array(0);
			this.dictionaries[field] = new Dictionary();
		}
	}

	public get size(): number {
		return this.slots.size;
	}

	public has(id: string): boolean {
		return this.slots.has(id);
	}

	public keys(): IterableIterator<string> {
		return this.slots.keys();
	}

	/** Puts a room in (a new one, or a new version of one held). */
	public set(room: RoomDocument): void {
		let slot = this.slots.get(room._id);
		if (slot === undefined) {
			slot = this.free.pop() ?? this.grow();
			this.slots.set(room._id, slot);
			this.ids[slot] = room._id;
		} else this.dropDocument(slot);
		for (const field of DATE_FIELDS) {
			const value = (room as Record<string, unknown>)[field];
			this.odd[field].delete(slot);
			if (isDate(value) && !Number.isNaN(value.getTime())) this.dates[field][slot] = value.getTime();
			else {
				this.dates[field][slot] = NaN;
				if (value !== undefined) this.odd[field].set(slot, value);
			}
		}
		for (const field of SHARED_FIELDS) {
			const value = (room as Record<string, unknown>)[field];
			this.shared[field][slot] = this.dictionaries[field].code(kept(field, value));
		}
		this.place(slot, JSON.stringify(tagged(room)));
		for (const extra of this.extras.values()) extra.take(slot, room);
	}

	public delete(id: string): void {
		const slot = this.slots.get(id);
		if (slot === undefined) return;
		this.dropDocument(slot);
		this.slots.delete(id);
		this.ids[slot] = undefined;
		for (const field of DATE_FIELDS) this.odd[field].delete(slot);
		for (const field of SHARED_FIELDS) this.shared[field][slot] = 0;
		for (const extra of this.extras.values()) extra.codes[slot] = 0;
		this.free.push(slot);
	}

	public clear(): void {
		this.slots.clear();
		this.ids = [];
		this.free.length = 0;
		this.capacity = 0;
		for (const field of DATE_FIELDS) {
			this.dates[field] = new Float64Array(0);
			this.odd[field].clear();
		}
		for (const field of SHARED_FIELDS) this.shared[field] = new Int32Array(0);
		this.blockOf = new Int32Array(0);
		this.placeOf = new Uint8Array(0);
		this.blocks.length = 0;
		this.open = -1;
		this.cache.clear();
		this.extras.clear();
	}

	/** Slots below this may hold a room (`idAt` is `undefined` for a free one). */
	public get end(): number {
		return this.ids.length;
	}

	public idAt(slot: number): string | undefined {
		return this.ids[slot];
	}

	/** A field's codes by slot (0: absent). Read it anew after any change: a growing copy replaces it. */
	public codes(field: SharedField): Int32Array {
		return this.shared[field];
	}

	/** The value a code stands for in a field (`undefined`: absent). */
	public valueOf(field: SharedField, code: number): unknown {
		return this.dictionaries[field].value(code);
	}

	/** The field's codes in use are below this. */
	public distinct(field: SharedField): number {
		return this.dictionaries[field].size;
	}

	/**
	 * A field's values projected onto paths below it (`project`): the part's code by the field's code, and the parts.
	 * Kept and extended from one query to the next; the parts are never dropped while it is kept.
	 */
	public projection(
		field: SharedField,
		paths: readonly string[],
	): { readonly parts: Int32Array; readonly size: number; valueOf(code: number): unknown; readonly numbering: string } {
		const key = `${field}\u0000${[...paths].sort().join('\u0000')}`;
		let projection = this.projections.get(key);
		if (projection) this.projections.delete(key);
		else projection = new Projection(pathTree(paths));
		this.projections.set(key, projection);
		if (this.projections.size > PROJECTIONS) this.projections.delete(this.projections.keys().next().value as string);
		projection.extend(this.dictionaries[field]);
		const dictionary = projection.dictionary;
		return { parts: projection.parts, size: dictionary.size, valueOf: (code) => dictionary.value(code), numbering: projection.numbering };
	}

	/**
	 * A column of a field the columns do not keep, cut down to these paths below it (`undefined`: the whole value),
	 * made from every document the first time it is asked for (as slow as reading every document), then kept.
	 */
	public extra(
		field: string,
		paths: readonly string[] | undefined,
	): { readonly codes: Int32Array; readonly size: number; valueOf(code: number): unknown; readonly numbering: string } {
		const key = extraKey(field, paths);
		let extra = this.extras.get(key);
		if (extra) this.extras.delete(key);
		else {
			extra = new Extra(field, paths ? pathTree(paths) : WHOLE, this.capacity);
			for (const [slot, room] of this.slotsAndDocuments()) extra.take(slot, room);
		}
		this.extras.set(key, extra);
		if (this.extras.size > EXTRAS) this.extras.delete(this.extras.keys().next().value as string);
		const dictionary = extra.dictionary;
		return { codes: extra.codes, size: dictionary.size, valueOf: (code) => dictionary.value(code), numbering: extra.numbering };
	}

	/** Whether that column has been made (and is still kept). */
	public hasExtra(field: string, paths: readonly string[] | undefined): boolean {
		return this.extras.has(extraKey(field, paths));
	}

	/**
	 * What was worked out for a key before, or `make()` now (kept for the next query). For decisions that stay true
	 * while the copy changes: by code, since a code always stands for the same value.
	 */
	public remember<T>(key: string, make: () => T): T {
		let value = this.remembered.get(key) as T | undefined;
		if (value === undefined) value = make();
		else this.remembered.delete(key);
		this.remembered.set(key, value);
		if (this.remembered.size > REMEMBERED) this.remembered.delete(this.remembered.keys().next().value as string);
		return value;
	}

	/** A date field's times by slot: `NaN` where the room holds no valid date there (see `oddAt`). */
	public times(field: DateField): Float64Array {
		return this.dates[field];
	}

	/** What a room holds in a date field when it is not a valid date (`undefined`: nothing). */
	public oddAt(field: DateField, slot: number): unknown {
		return this.odd[field].get(slot);
	}

	/** Whether any room holds something other than a valid date in the field. */
	public hasOdd(field: DateField): boolean {
		return this.odd[field].size > 0;
	}

	/** Makes views of these fields (all of `VIEW_FIELDS` without them) by slot. */
	public viewMaker(fields?: ReadonlySet<string>): (slot: number) => RoomDocument {
		const picker = this.picker(fields);
		return (slot) => this.viewAt(slot, picker);
	}

	/** The room's `_updatedAt` in ms (`-Infinity` when it has none, `undefined` when the room is not held). */
	public updatedAt(id: string): number | undefined {
		const slot = this.slots.get(id);
		if (slot === undefined) return undefined;
		const time = this.dates._updatedAt[slot];
		if (!Number.isNaN(time)) return time;
		const odd = this.odd._updatedAt.get(slot);
		if (typeof odd === 'string' || typeof odd === 'number') {
			const parsed = new Date(odd).getTime();
			if (!Number.isNaN(parsed)) return parsed;
		}
		return -Infinity;
	}

	/** The view of a room: its `VIEW_FIELDS` as the document holds them. */
	public view(id: string): RoomDocument | undefined {
		const slot = this.slots.get(id);
		return slot === undefined ? undefined : this.viewAt(slot);
	}

	/** The whole document. */
	public document(id: string): RoomDocument | undefined {
		const slot = this.slots.get(id);
		return slot === undefined ? undefined : this.documentAt(slot);
	}

	/** The whole documents of these rooms, in their order (`undefined` for a room not held), each block unpacked once. */
	public documentsOf(ids: readonly string[]): Array<RoomDocument | undefined> {
		const out: Array<RoomDocument | undefined> = new Array(ids.length);
		const byBlock = new Map<number, number[]>();
		ids.forEach((id, i) => {
			const slot = this.slots.get(id);
			if (slot === undefined) return;
			const list = byBlock.get(this.blockOf[slot]);
			if (list) list.push(i);
			else byBlock.set(this.blockOf[slot], [i]);
		});
		for (const [block, positions] of byBlock) {
			const text = this.blockText(block, positions.length < ROOMS_PER_BLOCK);
			for (const i of positions) out[i] = this.parse(block, this.placeOf[this.slots.get(ids[i]) as number], text);
		}
		return out;
	}

	/** Every room's view, with only the `fields` asked for (all of `VIEW_FIELDS` without them). */
	public *views(fields?: ReadonlySet<string>): IterableIterator<RoomDocument> {
		const wanted = this.picker(fields);
		for (const slot of this.slots.values()) yield this.viewAt(slot, wanted);
	}

	private picker(fields: ReadonlySet<string> | undefined): Picker {
		return {
			shared: SHARED_FIELDS.filter((field) => !fields || fields.has(field)),
			dates: DATE_FIELDS.filter((field) => !fields || fields.has(field)),
		};
	}

	/** Every whole document, unpacked block by block. */
	public *documents(): IterableIterator<RoomDocument> {
		for (const [, room] of this.slotsAndDocuments()) yield room;
	}

	private *slotsAndDocuments(): IterableIterator<[number, RoomDocument]> {
		const byBlock = new Map<number, number[]>();
		for (const slot of this.slots.values()) {
			const block = this.blockOf[slot];
			const list = byBlock.get(block);
			if (list) list.push(slot);
			else byBlock.set(block, [slot]);
		}
		for (const [block, slots] of byBlock) {
			const text = this.blockText(block, false);
			for (const slot of slots) yield [slot, this.parse(block, this.placeOf[slot], text)];
		}
	}

	private viewAt(slot: number, { shared, dates }: Picker = EVERY_FIELD): RoomDocument {
		const view: Record<string, unknown> = { _id: this.ids[slot] };
		for (const field of shared) {
			const code = this.shared[field][slot];
			if (code !== 0) view[field] = this.dictionaries[field].value(code);
		}
		for (const field of dates) {
			const time = this.dates[field][slot];
			if (!Number.isNaN(time)) view[field] = new Date(time);
			else if (this.odd[field].has(slot)) view[field] = this.odd[field].get(slot);
		}
		return view as unknown as RoomDocument;
	}

	private documentAt(slot: number): RoomDocument {
		const block = this.blockOf[slot];
		return this.parse(block, this.placeOf[slot], this.blockText(block, true));
	}

	private parse(block: number, place: number, text: string | undefined): RoomDocument {
		const { texts, ends } = this.blocks[block];
		if (texts) return untagInPlace(JSON.parse(texts[place])) as RoomDocument;
		const start = place === 0 ? 0 : (ends as Uint32Array)[place - 1];
		return untagInPlace(JSON.parse((text as string).slice(start, (ends as Uint32Array)[place]))) as RoomDocument;
	}

	/** A full block's text, unpacked (kept for the next look when `keep`). */
	private blockText(block: number, keep: boolean): string | undefined {
		const { packed } = this.blocks[block];
		if (packed === undefined) return undefined;
		if (typeof packed === 'string') return packed;
		const cached = this.cache.get(block);
		if (cached !== undefined) {
			this.cache.delete(block);
			this.cache.set(block, cached);
			return cached;
		}
		const text = (this.packer as BlockPacker).inflate(packed);
		if (keep) {
			this.cache.set(block, text);
			if (this.cache.size > CACHED_BLOCKS) this.cache.delete(this.cache.keys().next().value as number);
		}
		return text;
	}

	private grow(): number {
		const slot = this.ids.length;
		if (slot >= this.capacity) {
			const capacity = Math.max(1024, this.capacity * 2);
			for (const field of DATE_FIELDS) {
				const next = new Float64Array(capacity);
				next.set(this.dates[field]);
				this.dates[field] = next;
			}
			for (const field of SHARED_FIELDS) {
				const next = new Int32Array(capacity);
				next.set(this.shared[field]);
				this.shared[field] = next;
			}
			for (const extra of this.extras.values()) extra.grow(capacity);
			const blockOf = new Int32Array(capacity);
			blockOf.set(this.blockOf);
			this.blockOf = blockOf;
			const placeOf = new Uint8Array(capacity);
			placeOf.set(this.placeOf);
			this.placeOf = placeOf;
			this.capacity = capacity;
		}
		this.ids.push(undefined);
		return slot;
	}

	/** Files a document's text in the open block; a block that fills is packed. */
	private place(slot: number, text: string): void {
		let block = this.open >= 0 ? this.blocks[this.open] : undefined;
		if (!block || (block.texts as string[]).length >= ROOMS_PER_BLOCK) {
			if (block) this.seal(this.open);
			this.open = this.blocks.length;
			block = { texts: [], slots: [], live: 0 };
			this.blocks.push(block);
		}
		const texts = block.texts as string[];
		this.blockOf[slot] = this.open;
		this.placeOf[slot] = texts.length;
		texts.push(text);
		block.slots.push(slot);
		block.live++;
	}

	private seal(index: number): void {
		const block = this.blocks[index];
		const texts = block.texts as string[];
		const ends = new Uint32Array(texts.length);
		let end = 0;
		texts.forEach((text, i) => {
			end += text.length;
			ends[i] = end;
		});
		const joined = texts.join('');
		block.packed = this.packer ? this.packer.deflate(joined) : joined;
		block.ends = ends;
		block.texts = undefined;
	}

	/** The slot's document is superseded: its block loses a room; a block left mostly empty moves its rooms on. */
	private dropDocument(slot: number): void {
		const index = this.blockOf[slot];
		const block = this.blocks[index];
		if (!block || block.slots[this.placeOf[slot]] !== slot) return;
		block.slots[this.placeOf[slot]] = -1;
		block.live--;
		if (index === this.open) return;
		if (block.live === 0) this.release(index);
		else if (block.live * 2 < block.slots.length) this.repack(index);
	}

	private release(index: number): void {
		const block = this.blocks[index];
		block.packed = undefined;
		block.ends = undefined;
		block.slots = [];
		block.live = 0;
		this.cache.delete(index);
	}

	/** Moves the current rooms of a mostly superseded block into the open block, and frees it. */
	private repack(index: number): void {
		const block = this.blocks[index];
		const text = this.blockText(index, false);
		const ends = block.ends as Uint32Array;
		const moving: Array<[number, string]> = [];
		block.slots.forEach((slot, place) => {
			if (slot >= 0) moving.push([slot, (text as string).slice(place === 0 ? 0 : ends[place - 1], ends[place])]);
		});
		this.release(index);
		for (const [slot, moved] of moving) this.place(slot, moved);
	}
}
