/**
 * The store as JSON that a data file can be loaded from again (`--data`): dates become MongoDB extended JSON
 * (`{"$date": "<ISO>"}`), which the loader decodes anywhere in the file, as a `mongoexport --jsonArray` would write them.
 */
import { isDate } from '../engine/dates';

export function toExtendedJson(value: unknown): unknown {
	if (isDate(value)) return { $date: value.toISOString() };
	if (Array.isArray(value)) return value.map(toExtendedJson);
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
			if (item !== undefined) out[key] = toExtendedJson(item);
		}
		return out;
	}
	return value;
}
