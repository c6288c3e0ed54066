/** The conditions on one field: over everything its path reaches, or on one value; equality, lists, comparisons, `$size`. */
import { compareValues, TYPE_RANK, typeRank } from '../../values/bsonOrder';
import type { Reached } from '../../values/path';
import { isDocument } from '../../values/path';
import { unsupported, refuse } from './refusal';
import { equal, isDateObject, literal } from './values';

export type Single = (value: unknown) => boolean;

/** One condition on a field: over everything the path reaches, and on one value (inside `$elemMatch`). */
export interface Condition {
	reached(reached: Reached): boolean;
	single: Single;
}

export function anyExpanded(single: Single): Condition {
	return {
		single,
		reached: ({ values, expand }) => {
			for (let i = 0; i < values.length; i++) {
				const value = values[i];
				if (single(value)) return true;
				if (expand[i] && Array.isArray(value)) for (let j = 0; j < value.length; j++) if (single(value[j])) return true;
			}
			return false;
		},
	};
}

export function anyWhole(single: Single): Condition {
	return { single, reached: ({ values }) => values.some(single) };
}

export function not(condition: Condition): Condition {
	return { single: (value) => !condition.single(value), reached: (reached) => !condition.reached(reached) };
}

export function all(conditions: readonly Condition[]): Condition {
	if (conditions.length === 1) return conditions[0];
	return {
		single: (value) => conditions.every((condition) => condition.single(value)),
		reached: (reached) => conditions.every((condition) => condition.reached(reached)),
	};
}

export function equals(operand: unknown): Single {
	if (operand === null) return (value) => value === null || value === undefined;
	if (typeof operand !== 'object') return (value) => value === operand;
	return (value) => equal(value, operand);
}

export function inList(operand: unknown, operator: string): Single {
	if (!Array.isArray(operand)) refuse(`${JSON.stringify(operator)} needs an array`);
	const primitives = new Set<unknown>();
	const others: unknown[] = [];
	let withNull = false;
	for (const item of operand) {
		if (isDocument(item) && !isDateObject(item) && Object.keys(item).some((key) => key.startsWith('$'))) {
			unsupported(Object.keys(item).find((key) => key.startsWith('$'))!);
		}
		const value = literal(item);
		if (value === null) withNull = true;
		else if (typeof value === 'object') others.push(value);
		else primitives.add(value);
	}
	return (value) => {
		if (value === undefined || value === null) return withNull;
		if (typeof value !== 'object') return primitives.has(value);
		for (let i = 0; i < others.length; i++) if (equal(value, others[i])) return true;
		return false;
	};
}

export function comparison(operator: string, operand: unknown): Single {
	const target = literal(operand);
	const rank = typeRank(target);
	const holds =
		operator === '$gt'
			? (order: number) => order > 0
			: operator === '$gte'
				? (order: number) => order >= 0
				: operator === '$lt'
					? (order: number) => order < 0
					: (order: number) => order <= 0;
	// Missing and null: only the bounds that include equality match them (`{$gte: null}` matches a missing field).
	if (rank === TYPE_RANK.nullish) return operator === '$gte' || operator === '$lte' ? (value) => value === null || value === undefined : () => false;
	return (value) => typeRank(value) === rank && holds(compareValues(value, target));
}
export function sizeIs(operand: unknown): Single {
	if (typeof operand !== 'number' || !Number.isInteger(operand) || operand < 0) refuse('"$size" needs a non-negative integer');
	return (value) => Array.isArray(value) && value.length === operand;
}
