/** A field's test in a filter document: its dotted path walked through the room (`values/path.ts`), then its condition. */
import type { Reached } from '../../values/path';
import { isDocument, reach } from '../../values/path';
import type { Condition } from './conditions';

const hasOwn = Object.prototype.hasOwnProperty;

/** A test on a whole (sub-)document: one field's condition, or a logical operator over filter documents. */
export type DocumentTest = (document: Record<string, unknown>) => boolean;

/** Whether `condition` holds on what `path` reaches in a document. */
export function fieldTest(path: readonly string[], condition: Condition): DocumentTest {
	// The common case (no array before the end of the path) reaches one value: no allocation. Evaluation is
	// synchronous and a filter is a tree, so one holder per field is never in use twice at once.
	const one: Reached = { values: [undefined], expand: [true] };
	const last = path.length;
	return (document) => {
		let value: unknown = document;
		for (let i = 0; i < last; i++) {
			if (Array.isArray(value)) {
				const reached: Reached = { values: [], expand: [] };
				reach(value, path, i, reached);
				return condition.reached(reached);
			}
			if (!isDocument(value)) {
				value = undefined;
				break;
			}
			value = hasOwn.call(value, path[i]) ? value[path[i]] : undefined;
		}
		one.values[0] = value;
		one.expand[0] = value !== undefined;
		return condition.reached(one);
	};
}
