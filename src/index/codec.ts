/**
 * How the index writes rooms into the app's persistence: a block of rooms as JSON text, made smaller by a `Packer`
 * (deflate and base64 at run time, `engine/zlibPacker.ts`). JSON alone would lose what a room document holds beyond
 * it, so three kinds of value are written tagged and read back as they were:
 * - a date: `{"$date": <ms>}` (any realm's `Date`; an invalid date keeps `NaN`);
 * - a number JSON cannot write (`NaN`, `Infinity`, `-Infinity`, `-0`): `{"$number": "NaN"}`;
 * - an object whose own keys are exactly one of these tags, so that it is never mistaken for one: `{"$object": {...}}`.
 * Pure: no engine, no platform; the packer is handed in.
 */

/** Deflates text into bytes and back (the index's blocks of documents in memory). */
export interface BlockPacker {
	deflate(text: string): Uint8Array;
	inflate(bytes: Uint8Array): string;
}

/** Text made smaller, as text (what persistence holds), and back; and the same as bytes, for memory. */
export interface Packer extends BlockPacker {
	/** Compresses and encodes. */
	pack(text: string): string;
	/** Decodes and decompresses what `pack` made; throws on anything else. */
	unpack(packed: string): string;
}

const TAGS = ['$date', '$number', '$object'];

const isDate = (value: unknown): value is Date => Object.prototype.toString.call(value) === '[object Date]';

function looksTagged(value: Record<string, unknown>): boolean {
	const keys = Object.keys(value);
	return keys.length === 1 && TAGS.includes(keys[0]);
}

/** A value as JSON can carry it. */
export function tagged(value: unknown): unknown {
	if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? value : { $number: Object.is(value, -0) ? '-0' : String(value) };
	if (value === null || typeof value !== 'object') return value;
	if (isDate(value)) {
		const time = (value as Date).getTime();
		return { $date: Number.isNaN(time) ? 'NaN' : time };
	}
	if (Array.isArray(value)) return value.map(tagged);
	const out: Record<string, unknown> = {};
	for (const key of Object.keys(value)) {
		const inner = (value as Record<string, unknown>)[key];
		if (inner !== undefined) out[key] = tagged(inner);
	}
	return looksTagged(value as Record<string, unknown>) ? { $object: out } : out;
}

/** Reads back what `tagged` wrote, in place: `value` (freshly parsed JSON) is changed and answered. */
export function untagInPlace(value: unknown): unknown {
	if (value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) {
			const inner = value[i];
			if (inner !== null && typeof inner === 'object') value[i] = untagInPlace(inner);
		}
		return value;
	}
	const record = value as Record<string, unknown>;
	if (looksTagged(record)) return untagged(record);
	for (const key of Object.keys(record)) {
		const inner = record[key];
		if (inner === null || typeof inner !== 'object') continue;
		// A key named `__proto__` is an own field of the parsed JSON: set it as one, never as the prototype.
		if (key === '__proto__') Object.defineProperty(record, key, { value: untagInPlace(inner), enumerable: true, writable: true, configurable: true });
		else record[key] = untagInPlace(inner);
	}
	return record;
}

/** Reads back what `tagged` wrote. */
export function untagged(value: unknown): unknown {
	if (value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) return value.map(untagged);
	const record = value as Record<string, unknown>;
	if (looksTagged(record)) {
		if ('$date' in record) return new Date(Number(record.$date));
		if ('$number' in record) return Number(record.$number);
		return untagObject(record.$object as Record<string, unknown>);
	}
	return untagObject(record);
}

function untagObject(record: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const key of Object.keys(record)) out[key] = untagged(record[key]);
	return out;
}

/** Any JSON-like value (room documents, numbers) as packed text. */
export function packValue(packer: Packer, value: unknown): string {
	return packer.pack(JSON.stringify(tagged(value)));
}

/** What `packValue` wrote; throws when the text is not such a block. */
export function unpackValue(packer: Packer, text: string): unknown {
	return untagged(JSON.parse(packer.unpack(text)));
}
