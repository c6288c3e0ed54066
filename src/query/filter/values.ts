/** Values in a `query`: literal JSON with extended-JSON dates, and MongoDB's equality between them. */
import { compareValues } from '../../values/bsonOrder';
import { isDocument } from '../../values/path';
import { refuse, unsupported } from './refusal';

const hasOwn = Object.prototype.hasOwnProperty;

const LONG = /^-?[0-9]+$/;

function dateOf(operand: unknown): Date {
	let time = NaN;
	if (typeof operand === 'string') time = Date.parse(operand);
	else if (typeof operand === 'number') time = Number.isInteger(operand) ? operand : NaN;
	else if (isDocument(operand)) {
		const keys = Object.keys(operand);
		const long = operand.$numberLong;
		if (keys.length === 1 && keys[0] === '$numberLong' && typeof long === 'string' && LONG.test(long)) time = Number(long);
	}
	const date = new Date(time);
	if (Number.isNaN(date.getTime())) refuse('"$date" must be an ISO-8601 string or milliseconds since the epoch');
	return date;
}

export function isDateObject(value: Record<string, unknown>): boolean {
	return hasOwn.call(value, '$date');
}

/** A literal value: arrays and sub-documents copied (own keys only), `{"$date": ...}` as a `Date`. */
export function literal(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(literal);
	if (!isDocument(value)) return value;
	const keys = Object.keys(value);
	if (isDateObject(value)) {
		if (keys.length !== 1) refuse('"$date" must be the only key of its object');
		return dateOf(value.$date);
	}
	const copy: Record<string, unknown> = Object.create(null);
	for (const key of keys) {
		if (key.startsWith('$')) unsupported(key);
		copy[key] = literal(value[key]);
	}
	return copy;
}

export function equal(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	return typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && compareValues(a, b) === 0;
}
