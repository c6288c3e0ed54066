/** `created=` / `closed=`: dates, months and times, typed in the caller's zone or with an offset, as the endpoint's ranges. */
import { isoOffset } from '../viewer';

const DATE = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function isCalendarDate(year: number, month: number, day: number): boolean {
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `Z` for UTC, else the offset as ISO-8601 writes it. */
const zoneOf = (offsetMinutes: number): string => (offsetMinutes === 0 ? 'Z' : isoOffset(offsetMinutes));

/** Whether a side of a range is read in the caller's zone: a date, a month, or a date and time without an offset. */
export function isZoned(value: string): boolean {
	const time = DATE_TIME.exec(value);
	return DATE.test(value) || (time !== null && time[8] === undefined);
}

/**
 * One side of a `START..END` range as the ISO string the endpoint gets, or undefined when it is not a date.
 * A date (`2024-05-01`) or a month (`2024-05`) covers all of it: its first millisecond as a start, its last as an end,
 * in the caller's zone (`offsetMinutes` east of UTC; the server's own zone would make the answer depend on where it
 * runs). A date and time without an offset is the caller's too; one with an offset (`Z`, `-03:00`) is as written.
 */
export function rangeBound(value: string, side: 'start' | 'end', offsetMinutes = 0): string | undefined {
	const zone = zoneOf(offsetMinutes);
	const date = DATE.exec(value);
	if (date) {
		const year = Number(date[1]);
		const month = Number(date[2]);
		const hasDay = date[3] !== undefined;
		const firstDay = hasDay ? Number(date[3]) : 1;
		if (month < 1 || month > 12 || !isCalendarDate(year, month, firstDay)) return undefined;
		if (side === 'start') return `${pad(year, 4)}-${pad(month)}-${pad(firstDay)}T00:00:00.000${zone}`;
		const lastDay = hasDay ? firstDay : new Date(Date.UTC(year, month, 0)).getUTCDate();
		return `${pad(year, 4)}-${pad(month)}-${pad(lastDay)}T23:59:59.999${zone}`;
	}
	const time = DATE_TIME.exec(value);
	if (!time) return undefined;
	const [, year, month, day, hour, minute, second] = time;
	if (!isCalendarDate(Number(year), Number(month), Number(day))) return undefined;
	if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return undefined;
	const typed = time[8];
	let iso = value.slice(0, value.length - (typed?.length ?? 0)).replace(/t/i, 'T');
	if (!typed) iso += zone;
	else if (typed.toUpperCase() === 'Z') iso += 'Z';
	else if (typed.length === 3) iso += `${typed}:00`;
	else iso += `${typed.slice(0, 3)}:${typed.slice(-2)}`;
	return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

/** A range's two sides as typed: `START..END`, or one date or month standing for both; undefined when malformed. */
export function rangeSides(value: string): readonly [string, string] | undefined {
	const parts = value.split('..');
	if (parts.length > 2) return undefined;
	return parts.length === 2 ? [parts[0], parts[1]] : [value, value];
}

/**
 * `created=` / `closed=`: `START..END` (either side optional) or a single date or month, as the endpoint's JSON;
 * dates without an offset in the caller's zone.
 */
export function rangeParam(value: string, offsetMinutes = 0): string | undefined {
	const sides = rangeSides(value);
	if (!sides) return undefined;
	const [startText, endText] = sides;
	if (!startText && !endText) return undefined;
	const start = startText ? rangeBound(startText, 'start', offsetMinutes) : undefined;
	const end = endText ? rangeBound(endText, 'end', offsetMinutes) : undefined;
	if ((startText && !start) || (endText && !end)) return undefined;
	if (start && end && Date.parse(start) > Date.parse(end)) return undefined;
	return JSON.stringify({ ...(start ? { start } : {}), ...(end ? { end } : {}) });
}
