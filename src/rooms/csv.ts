/**
 * `rooms` with `format=csv` (docs/endpoint.md, "`format=csv`"): a page of room documents (projected, `department` named) as
 * RFC 4180 CSV.
 * - Columns: the `fields` inclusion's paths in order (`_id` first unless `"_id": 0`), else `DEFAULT_CSV_COLUMNS`
 *   (also for an exclusion). A dotted path walks sub-documents and, through an array, every element.
 * - `status` is derived from the room (`queued`, `open`, `onhold`, `closed`, or empty when it is none of them) by
 *   `roomStatus` (`status.ts`), as the `open` / `onhold` / `queued` filters see it; it reads the document it is given.
 * - Cells: missing and `null` empty; dates ISO-8601; lists joined with `;` (their elements formatted the same way);
 *   sub-documents as JSON; numbers and booleans as text.
 * - A cell (header included) starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a
 *   spreadsheet never runs it as a formula.
 * - A cell holding `"`, `,`, a carriage return or a line feed is quoted, `"` doubled. Every row ends with CRLF.
 */
import type { Projection } from '../query/RoomQuery';
import { isDocument } from '../values/path';
import type { RoomDocument } from './RoomDocument';
import { roomStatus } from './status';

export const DEFAULT_CSV_COLUMNS: readonly string[] = [
	'_id',
	'fname',
	'status',
	'servedBy.username',
	'department.name',
	'ts',
	'closedAt',
	'tags',
	'source.type',
	'msgs',
];

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const CSV_DISPOSITION = 'attachment; filename="livechat-rooms.csv"';

const hasOwn = Object.prototype.hasOwnProperty;

/** The columns for a request's `fields`. */
export function csvColumns(fields?: Projection): readonly string[] {
	if (fields === undefined || fields.mode !== 'include') return DEFAULT_CSV_COLUMNS;
	return fields.keepId ? ['_id', ...fields.paths.filter((path) => path !== '_id')] : fields.paths;
}

/** Every value a dotted path reaches (own properties only; arrays walked element by element). */
function valuesAt(value: unknown, path: readonly string[], from: number, out: unknown[]): void {
	if (from === path.length) {
		if (value !== undefined && value !== null) out.push(value);
		return;
	}
	if (Array.isArray(value)) {
		for (const element of value) valuesAt(element, path, from, out);
		return;
	}
	if (isDocument(value) && hasOwn.call(value, path[from])) valuesAt(value[path[from]], path, from + 1, out);
}

function text(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
	if (Array.isArray(value)) return value.map(text).join(';');
	if (typeof value === 'object') return JSON.stringify(value) ?? '';
	return String(value);
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell, guarded against formulas and quoted as RFC 4180 requires. */
export function csvCell(value: unknown): string {
	let cell = text(value);
	if (FORMULA_START.test(cell)) cell = `'${cell}`;
	return NEEDS_QUOTES.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function cellOf(room: RoomDocument, column: string): string {
	if (column === 'status') return csvCell(roomStatus(room));
	const values: unknown[] = [];
	valuesAt(room, column.split('.'), 0, values);
	return csvCell(values.length === 1 ? values[0] : values);
}

/** The CSV body: a header row, then one row per room, CRLF after each. */
export function roomsToCsv(rooms: readonly RoomDocument[], columns: readonly string[] = DEFAULT_CSV_COLUMNS): string {
	const lines = [columns.map(csvCell).join(',')];
	for (const room of rooms) lines.push(columns.map((column) => cellOf(room, column)).join(','));
	return `${lines.join('\r\n')}\r\n`;
}
