/**
 * Queries and counts run on the compact copy's columns (`roomColumns.ts`) instead of on documents: the cost of a
 * typical query is a few array reads a room, and only the page's rooms are unpacked.
 *
 * The filters of a query are a conjunction, so each is a **step** that keeps some of the rooms the previous steps kept:
 * - a filter on coded fields only (status, agents, departments, tags, units, custom fields, the room's name, a `query`
 *   part on those fields or on paths below them) is decided **once per distinct combination of values** (the columns
 *   hold codes, not values), by the very matcher a document would be judged by (`match.ts`, `filter/compile.ts`), run
 *   on a small object holding just those values; a room then costs a table look-up. A named condition on one field
 *   keeps what it decided by code for the next query (`RoomColumns.remember`);
 * - a `query` part on a field the copy does not keep reads a column made on demand (`RoomColumns.extra`), or the
 *   documents of the rooms still kept when they are few;
 * - `createdAt` / `closedAt` compare the date columns' numbers (a room without a valid date there never matches, as
 *   the matcher has it);
 * - a `query` part that reads dates or `_id` judges a view of the fields it reads, room by room;
 * - anything else judges whole documents, unpacked a block at a time, last, on the rooms still kept.
 * A `query` is cut into parts and `$or` alternatives beforehand (`query/filterParts.ts`).
 * Steps run cheapest first. The order: a sort on one date field or one shared field (any path below it) compares a
 * number a room (the date, or the rank of the value among the field's distinct values, ranked once by the sort's own
 * comparator), `_id` breaking ties; any other sort compares the sort's entries (`rooms/order.ts`) built from views or
 * documents. Either way a bounded heap keeps only the best `offset + count`.
 *
 * Counts tally by code too (one count per distinct department, agent, tag list, source), then add up per key with the
 * rules of `rooms/counts.ts`. Where a rule there depends on the order rooms come in (a room without a valid `ts`
 * offering an agent's username), the counts are left to the plain pass over views (`undefined`).
 */
import type { RoomQuery } from '../query/RoomQuery';
import { compileMatcher, rangeBounds } from '../rooms/match';
import { compileRoomOrder } from '../rooms/order';
import type { SortEntry } from '../rooms/order';
import type { RoomDocument } from '../rooms/RoomDocument';
import type { RoomCounts } from '../rooms/counts';
import { addTo, agentKey, countFiltersFor, countsOf, departmentKey, emptyTally, offerUsername, offerWaiting, sourceKey, tagKeys } from '../rooms/counts';
import { roomStatus } from '../rooms/status';
import type { RoomStatus } from '../rooms/status';
import { compareStrings } from '../values/bsonOrder';
import { BestRooms } from './BestRooms';
import type { DateField, RoomColumns, SharedField } from './roomColumns';
import { DATE_FIELDS, SHARED_FIELDS, VIEW_FIELDS, viewCarries } from './roomColumns';

type Test = (room: RoomDocument) => boolean;

/**
 * What a step reads of a field: all of it, or only these paths below it (`undefined`: all). A field the columns do
 * not keep is read from a column made on demand (`extra`).
 */
interface Read {
	readonly field: string;
	readonly paths?: readonly string[];
	readonly extra?: boolean;
}

/** A condition decided on codes: what it reads, the test (on a small object of those values, or a whole document). */
interface Coding {
	readonly reads: readonly Read[];
	readonly test: Test;
	/** Names the condition, so that its decisions can be remembered from one query to the next. */
	readonly key?: string;
}

type Step =
	/** Holds when any of the codings holds (most steps have one). */
	| { readonly kind: 'codes'; readonly anyOf: readonly Coding[] }
	| { readonly kind: 'range'; readonly field: DateField; readonly from: number; readonly to: number }
	| { readonly kind: 'view'; readonly fields: ReadonlySet<string>; readonly test: Test }
	| { readonly kind: 'document'; readonly test: Test };

const PAGE = { offset: 0, count: 0, sort: [] } as const;
const COST: Record<Step['kind'], number> = { codes: 0, range: 1, view: 2, document: 3 };
/** Rooms unpacked at a time for a filter on whole documents. */
const CHUNK = 1024;
/** A table of verdicts up to this many combinations; a map beyond. */
const TABLE_LIMIT = 1 << 22;
/** A column is made on demand only when at least this share of the rooms is still kept (else their documents are read). */
const EXTRA_WORTH = 0.25;

const isShared = (field: string): field is SharedField => (SHARED_FIELDS as readonly string[]).includes(field);
const isDateField = (field: string): field is DateField => (DATE_FIELDS as readonly string[]).includes(field);

/** The lists one after the other (the app's compiler targets a library without `flatMap`). */
const flat = <T>(lists: ReadonlyArray<readonly T[]>): T[] => ([] as T[]).concat(...lists);

/**
 * What a filter reading these paths reads, as codes, when it can be decided on codes: for each field, the paths
 * below it (`undefined` when a path is the field itself). Dates, `_id` and the parts of `servedBy` the columns do not
 * keep cannot.
 */
function codedReads(paths: readonly string[]): Read[] | undefined {
	const below = new Map<string, string[] | undefined>();
	for (const path of paths) {
		const [top, ...rest] = path.split('.');
		if (isShared(top) ? !viewCarries(path) : VIEW_FIELDS.has(top)) return undefined;
		const held = below.has(top) ? below.get(top) : [];
		below.set(top, rest.length === 0 || held === undefined ? undefined : [...held, rest.join('.')]);
	}
	return [...below].map(([field, paths]) => ({ field, paths, ...(!isShared(field) && { extra: true }) }));
}

/** The step for a filter that reads these paths (`undefined`: they cannot be told). */
function filterStep(test: Test, paths: readonly string[] | undefined, key: string): Step {
	const reads = paths && codedReads(paths);
	if (reads) return { kind: 'codes', anyOf: [{ reads, test, key }] };
	if (paths && paths.every(viewCarries)) return { kind: 'view', fields: new Set(paths.map((path) => path.split('.')[0])), test };
	return { kind: 'document', test };
}

/** The `query` filter's steps: one a part, an `$or` decided on codes when every alternative can be. */
function filterSteps(query: RoomQuery): Step[] {
	const filter = query.filter;
	if (!filter) return [];
	if (!query.filterParts) return [filterStep(filter, query.filterPaths, '')];
	return query.filterParts.map(({ anyOf }) => {
		const steps = anyOf.map((piece) => filterStep(piece.test, piece.paths, `query ${piece.key}`));
		if (steps.length === 1) return steps[0];
		if (steps.every((step) => step.kind === 'codes')) return { kind: 'codes', anyOf: flat(steps.map((step) => (step.kind === 'codes' ? step.anyOf : []))) };
		const paths = anyOf.every((piece) => piece.paths) ? flat(anyOf.map((piece) => piece.paths as string[])) : undefined;
		return filterStep((room) => anyOf.some((piece) => piece.test(room)), paths, `query ${anyOf.map((piece) => piece.key).join(' or ')}`);
	});
}

/** The query's filters as steps, cheapest first. */
function stepsOf(query: RoomQuery): Step[] {
	const steps: Step[] = [];
	const codes = (reads: readonly Read[], part: Partial<RoomQuery>, key?: string): void =>
		void steps.push({ kind: 'codes', anyOf: [{ reads, test: compileMatcher({ ...PAGE, ...part }), ...(key !== undefined && { key }) }] });
	const whole = (...fields: SharedField[]): Read[] => fields.map((field) => ({ field }));
	steps.push({ kind: 'codes', anyOf: [{ reads: whole('t'), test: (room) => room.t === 'l', key: 'livechat' }] });
	if (query.open !== undefined || query.onHold !== undefined || query.queued !== undefined)
		codes(whole('open', 'onHold', 'servedBy'), { open: query.open, onHold: query.onHold, queued: query.queued });
	if (query.servedById !== undefined) codes(whole('servedBy'), { servedById: query.servedById }, `servedById ${query.servedById}`);
	if (query.agents) codes(whole('servedBy'), { agents: query.agents }, `agents ${JSON.stringify(query.agents)}`);
	if (query.departmentIds) codes(whole('departmentId'), { departmentIds: query.departmentIds }, `departments ${JSON.stringify(query.departmentIds)}`);
	if (query.tags) codes(whole('tags'), { tags: query.tags }, `tags ${JSON.stringify(query.tags)}`);
	if (query.units) codes(whole('departmentAncestors'), { units: query.units }, `units ${JSON.stringify(query.units)}`);
	if (query.customFields)
		codes(
			[{ field: 'livechatData', paths: Object.keys(query.customFields) }],
			{ customFields: query.customFields },
			`custom ${JSON.stringify(query.customFields)}`,
		);
	if (query.roomName) codes(whole('fname'), { roomName: query.roomName }, `name ${JSON.stringify(query.roomName)}`);
	for (const [field, range] of [
		['ts', query.createdAt],
		['closedAt', query.closedAt],
	] as const) {
		if (range) {
			// The bounds and the rule of `match.ts`: inclusive, and a room without a valid date there never matches.
			const [from, to] = rangeBounds(range);
			steps.push({ kind: 'range', field, from, to });
		}
	}
	steps.push(...filterSteps(query));
	return steps.sort((a, b) => COST[a.kind] - COST[b.kind]);
}

/** Every slot that holds a room. */
function liveSlots(columns: RoomColumns): Int32Array {
	const end = columns.end;
	const slots = new Int32Array(end);
	let kept = 0;
	for (let slot = 0; slot < end; slot++) if (columns.idAt(slot) !== undefined) slots[kept++] = slot;
	return slots.subarray(0, kept);
}

/** A field as a step reads it: the codes by slot, and what they stand for (parts, when it reads paths). */
interface Coded {
	readonly field: string;
	readonly codes: Int32Array;
	/** The part's code by the field's code (`undefined`: the column's own codes). */
	readonly parts?: Int32Array;
	readonly size: number;
	valueOf(code: number): unknown;
	/** Names the numbering: codes under one name always stand for the same values. */
	readonly numbering: string;
}

function coded(columns: RoomColumns, { field, paths, extra }: Read): Coded {
	if (extra) return { field, ...columns.extra(field, paths) };
	const shared = field as SharedField;
	const codes = columns.codes(shared);
	if (paths === undefined) return { field, codes, size: columns.distinct(shared), valueOf: (code) => columns.valueOf(shared, code), numbering: field };
	return { field, codes, ...columns.projection(shared, paths) };
}

/** A room's code in one read. */
function codeAt(read: Coded, slot: number): number {
	return read.parts ? read.parts[read.codes[slot]] : read.codes[slot];
}

/** A small object holding what a room holds of these reads (absent ones left out). */
function probeOf(reads: readonly Coded[], slot: number): RoomDocument {
	const probe: Record<string, unknown> = {};
	for (const read of reads) {
		const code = codeAt(read, slot);
		if (code !== 0) probe[read.field] = read.valueOf(code);
	}
	return probe as unknown as RoomDocument;
}

/** The number of a room's combination of codes in these reads (below the product of their sizes). */
function combinationOf(reads: readonly Coded[]): (slot: number) => number {
	const [a, b, c] = reads;
	// Unrolled for the common cases: this runs once a room.
	if (reads.length === 1 && !a.parts) {
		const codes = a.codes;
		return (slot) => codes[slot];
	}
	if (reads.length === 1) {
		const codes = a.codes;
		const parts = a.parts as Int32Array;
		return (slot) => parts[codes[slot]];
	}
	if (reads.length === 3 && !a.parts && !b.parts && !c.parts) {
		const [x, y, z] = [a.codes, b.codes, c.codes];
		const [sizeX, sizeY] = [a.size, b.size];
		return (slot) => x[slot] + sizeX * (y[slot] + sizeY * z[slot]);
	}
	return (slot) => {
		let index = 0;
		for (let i = reads.length - 1; i >= 0; i--) index = index * reads[i].size + codeAt(reads[i], slot);
		return index;
	};
}

/**
 * A function of a room's codes in these reads, computed once per distinct combination: `decide(slot)` runs only for
 * the first room of each combination.
 */
function memoByCodes(reads: readonly Coded[], decide: (slot: number) => number): (slot: number) => number {
	const combinations = reads.reduce((product, read) => product * read.size, 1);
	const indexOf = combinationOf(reads);
	if (combinations <= TABLE_LIMIT) {
		// 0: not decided yet; a decision is stored plus one.
		const table = new Int32Array(combinations);
		return (slot) => {
			const index = indexOf(slot);
			let known = table[index];
			if (known === 0) table[index] = known = decide(slot) + 1;
			return known - 1;
		};
	}
	const decided = new Map<number, number>();
	return (slot) => {
		const index = indexOf(slot);
		let known = decided.get(index);
		if (known === undefined) decided.set(index, (known = decide(slot)));
		return known;
	};
}

/**
 * Whether a room passes a coding. A named coding on one field keeps its decisions by code for the next query
 * (`remember`: 0 not decided, 1 fails, 2 passes); any other decides once per combination for this query.
 */
function decider(columns: RoomColumns, coding: Coding): (slot: number) => boolean {
	const reads = coding.reads.map((read) => coded(columns, read));
	const decide = (slot: number): number => (coding.test(probeOf(reads, slot)) ? 1 : 0);
	if (reads.length !== 1 || coding.key === undefined) {
		const passes = memoByCodes(reads, decide);
		return (slot) => passes(slot) === 1;
	}
	const read = reads[0];
	const held = columns.remember(`${read.numbering}\u0000${coding.key}`, () => ({ table: new Int8Array(0) }));
	if (held.table.length < read.size) {
		const table = new Int8Array(Math.max(read.size, held.table.length * 2));
		table.set(held.table);
		held.table = table;
	}
	const table = held.table;
	return (slot) => {
		const code = codeAt(read, slot);
		let known = table[code];
		if (known === 0) table[code] = known = decide(slot) + 1;
		return known === 2;
	};
}

/** Keeps the slots (the first `length` of `slots`) that pass the step, in place; answers how many are kept. */
function keep(columns: RoomColumns, step: Step, slots: Int32Array, length: number): number {
	let kept = 0;
	switch (step.kind) {
		case 'codes': {
			// A column not made yet is not worth making for a few rooms: their documents are read instead.
			const reads = flat(step.anyOf.map((coding) => coding.reads));
			if (length < columns.size * EXTRA_WORTH && reads.some((read) => read.extra && !columns.hasExtra(read.field, read.paths)))
				return keep(columns, { kind: 'document', test: (room) => step.anyOf.some((coding) => coding.test(room)) }, slots, length);
			const passes = step.anyOf.map((coding) => decider(columns, coding));
			if (passes.length === 1) {
				const [pass] = passes;
				for (let i = 0; i < length; i++) if (pass(slots[i])) slots[kept++] = slots[i];
			} else for (let i = 0; i < length; i++) if (passes.some((pass) => pass(slots[i]))) slots[kept++] = slots[i];
			return kept;
		}
		case 'range': {
			const times = columns.times(step.field);
			const { from, to } = step;
			for (let i = 0; i < length; i++) {
				const time = times[slots[i]];
				if (time >= from && time <= to) slots[kept++] = slots[i];
			}
			return kept;
		}
		case 'view': {
			const view = columns.viewMaker(step.fields);
			for (let i = 0; i < length; i++) if (step.test(view(slots[i]))) slots[kept++] = slots[i];
			return kept;
		}
		case 'document': {
			for (let from = 0; from < length; from += CHUNK) {
				const chunk = Array.from(slots.subarray(from, Math.min(length, from + CHUNK)));
				const documents = columns.documentsOf(chunk.map((slot) => columns.idAt(slot) as string));
				chunk.forEach((slot, i) => {
					const document = documents[i];
					if (document !== undefined && step.test(document)) slots[kept++] = slot;
				});
			}
			return kept;
		}
	}
}

/** The slots of the rooms that match every filter of the query. */
function select(columns: RoomColumns, query: RoomQuery): Int32Array {
	const slots = liveSlots(columns);
	let length = slots.length;
	for (const step of stepsOf(query)) {
		if (length === 0) break;
		length = keep(columns, step, slots, length);
	}
	return slots.subarray(0, length);
}

/**
 * A number a room sorts by under a one-key sort (ascending; the sort's direction is in it), when the columns give one:
 * a date field's time, or a shared field's value ranked among its distinct values by the sort's own comparator.
 */
function sortNumber(columns: RoomColumns, sort: RoomQuery['sort']): ((slot: number) => number) | undefined {
	if (sort.length !== 1) return undefined;
	const [path, direction] = sort[0];
	const segments = path.split('.');
	const top = segments[0];
	if (isDateField(top) && segments.length === 1) {
		// A value that is not a valid date would need the whole comparator.
		if (columns.hasOdd(top)) return undefined;
		const times = columns.times(top);
		// A room without the field sorts as null, before every date.
		const missing = direction === 1 ? -Infinity : Infinity;
		return (slot) => {
			const time = times[slot];
			return Number.isNaN(time) ? missing : direction * time;
		};
	}
	if (!isShared(top) || !viewCarries(path)) return undefined;
	const read = coded(columns, segments.length === 1 ? { field: top } : { field: top, paths: [segments.slice(1).join('.')] });
	const order = compileRoomOrder(sort);
	const entries: SortEntry[] = [];
	for (let code = 0; code < read.size; code++) entries.push(order.entry((code === 0 ? {} : { [top]: read.valueOf(code) }) as unknown as RoomDocument));
	const byValue = entries.map((_, code) => code).sort((a, b) => order.compare(entries[a], entries[b]));
	const rank = new Float64Array(read.size);
	byValue.forEach((code, i) => {
		rank[code] = i > 0 && order.compare(entries[byValue[i - 1]], entries[code]) === 0 ? rank[byValue[i - 1]] : i;
	});
	return (slot) => rank[codeAt(read, slot)];
}
/** The first `limit` of the slots by their sort number, `_id` breaking ties. */
function bestByNumber(columns: RoomColumns, slots: Int32Array, number: (slot: number) => number, limit: number): number[] {
	const length = slots.length;
	const keys = new Float64Array(length);
	for (let i = 0; i < length; i++) keys[i] = number(slots[i]);
	const compare = (i: number, j: number): number =>
		keys[i] < keys[j] ? -1 : keys[i] > keys[j] ? 1 : compareStrings(columns.idAt(slots[i]) as string, columns.idAt(slots[j]) as string);
	const best = new BestRooms<number>(compare, limit);
	// Rooms are filed roughly in the order they come (creation), which the common sorts follow one way or the other:
	// offering the likely best first lets the heap turn the others away with one comparison each.
	if (length === 0 || keys[0] <= keys[length - 1]) for (let i = 0; i < length; i++) best.offer(i);
	else for (let i = length - 1; i >= 0; i--) best.offer(i);
	return best.sorted().map((i) => slots[i]);
}

/** The first `limit` of the slots in the query's order (all of them, ordered, when `limit` is `Infinity`). */
function ordered(columns: RoomColumns, sort: RoomQuery['sort'], slots: Int32Array, limit: number): { slots: number[]; documents?: RoomDocument[] } {
	const number = sortNumber(columns, sort);
	if (number) return { slots: bestByNumber(columns, slots, number, limit) };
	const order = compileRoomOrder(sort);
	const slotOf = new Map<RoomDocument, number>();
	const best = new BestRooms<SortEntry>(order.compare, limit);
	const tops = new Set(['_id', ...sort.map(([path]) => path.split('.')[0])]);
	if (sort.every(([path]) => viewCarries(path))) {
		const view = columns.viewMaker(tops);
		for (let i = 0; i < slots.length; i++) {
			const room = view(slots[i]);
			const left = best.offer(order.entry(room));
			slotOf.set(room, slots[i]);
			if (left !== undefined) slotOf.delete(order.room(left));
		}
		return { slots: best.sorted().map((entry) => slotOf.get(order.room(entry)) as number) };
	}
	for (let from = 0; from < slots.length; from += CHUNK) {
		const chunk = Array.from(slots.subarray(from, Math.min(slots.length, from + CHUNK)));
		const documents = columns.documentsOf(chunk.map((slot) => columns.idAt(slot) as string));
		documents.forEach((room, i) => {
			if (room === undefined) return;
			const left = best.offer(order.entry(room));
			slotOf.set(room, chunk[i]);
			if (left !== undefined) slotOf.delete(order.room(left));
		});
	}
	const sorted = best.sorted().map(order.room);
	return { slots: sorted.map((room) => slotOf.get(room) as number), documents: sorted };
}

export interface ColumnsFound {
	/** The requested page, in order, whole documents. */
	readonly rooms: RoomDocument[];
	/** Every room that matches. */
	readonly total: number;
}

/** The query over the columns: the page `[offset, offset + count)` (all from `offset` when `count` is 0), the total. */
export function searchColumns(query: RoomQuery, columns: RoomColumns): ColumnsFound {
	const matching = select(columns, query);
	const total = matching.length;
	if (query.offset >= total) return { rooms: [], total };
	const limit = query.count === 0 ? Infinity : query.offset + query.count;
	const best = ordered(columns, query.sort, matching, limit);
	const end = Math.min(best.slots.length, limit);
	if (best.documents) return { rooms: best.documents.slice(query.offset, end), total };
	const ids = best.slots.slice(query.offset, end).map((slot) => columns.idAt(slot) as string);
	return { rooms: columns.documentsOf(ids) as RoomDocument[], total };
}

const STATES: readonly (RoomStatus | undefined)[] = [undefined, 'queued', 'open', 'onhold', 'closed'];
const STATUS_FIELDS: readonly SharedField[] = ['open', 'onHold', 'servedBy'];

/** `rooms/counts` over the columns, or `undefined` where only a pass over the rooms in order gives it. */
export function countColumns(query: RoomQuery, columns: RoomColumns): RoomCounts | undefined {
	const others = select(columns, { ...query, open: undefined, onHold: undefined, queued: undefined });
	const times = columns.times('ts');
	const { matchesStatus } = countFiltersFor(query);
	// The room's status (its place in STATES) times two, plus one when the request's own status filters hold.
	const statusReads = STATUS_FIELDS.map((field) => coded(columns, { field }));
	const statusOf = memoByCodes(statusReads, (slot) => {
		const probe = probeOf(statusReads, slot);
		return STATES.indexOf(roomStatus(probe)) * 2 + (matchesStatus(probe) ? 1 : 0);
	});
	const tally = emptyTally();
	const byCode = (field: SharedField): Int32Array => new Int32Array(columns.distinct(field));
	const departments = byCode('departmentId');
	const agents = byCode('servedBy');
	const tags = byCode('tags');
	const sources = byCode('source');
	const latest = new Float64Array(columns.distinct('servedBy')).fill(-Infinity);
	const [departmentOf, agentOf, tagsOf, sourceOf] = (['departmentId', 'servedBy', 'tags', 'source'] as const).map((field) => columns.codes(field));
	const queuedAt = columns.times('queuedAt');
	const names = columns.codes('fname');
	// By status code (`statusOf`): how many rooms; folded into the tally after the loop, which runs once a room.
	const byStatus = new Int32Array(STATES.length * 2);
	// A queued room the request's own status filters keep: the one a waiting room is offered from.
	const queuedKept = STATES.indexOf('queued') * 2 + 1;
	for (let i = 0; i < others.length; i++) {
		const slot = others[i];
		const time = times[slot];
		// A room without a valid creation date: only a pass over the documents in order counts it as `countRooms` does.
		if (Number.isNaN(time)) return undefined;
		const status = statusOf(slot);
		byStatus[status]++;
		if ((status & 1) === 0) continue;
		departments[departmentOf[slot]]++;
		const agent = agentOf[slot];
		agents[agent]++;
		if (time > latest[agent]) latest[agent] = time;
		tags[tagsOf[slot]]++;
		sources[sourceOf[slot]]++;
		if (status === queuedKept) {
			const since = Number.isNaN(queuedAt[slot]) ? time : queuedAt[slot];
			offerWaiting(tally, columns.idAt(slot) as string, columns.valueOf('fname', names[slot]), since);
		}
	}
	byStatus.forEach((count, status) => {
		const state = STATES[status >> 1];
		if (state !== undefined) tally.status[state] += count;
		if ((status & 1) === 1) tally.total += count;
	});
	departments.forEach((count, code) => count > 0 && addTo(tally.departments, departmentKey(columns.valueOf('departmentId', code)), count));
	agents.forEach((count, code) => {
		if (count === 0) return;
		const { id, username } = agentKey(columns.valueOf('servedBy', code));
		const seen = username === null ? -Infinity : latest[code];
		const held = tally.agents.get(id);
		if (held === undefined) tally.agents.set(id, { count, username, seen });
		else {
			held.count += count;
			offerUsername(held, username, seen);
		}
	});
	tags.forEach((count, code) => {
		if (count > 0) for (const tag of tagKeys(columns.valueOf('tags', code))) addTo(tally.tags, tag, count);
	});
	sources.forEach((count, code) => count > 0 && addTo(tally.sources, sourceKey(columns.valueOf('source', code)), count));
	return countsOf(tally);
}
