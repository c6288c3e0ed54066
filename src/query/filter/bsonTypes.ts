/** `$type`: BSON type names and codes, and the type a JSON value is stored as. */
import type { Single } from './conditions';
import { refuse } from './refusal';

const hasOwn = Object.prototype.hasOwnProperty;

export const TYPE_NAMES: Readonly<Record<string, number>> = {
	double: 1,
	string: 2,
	object: 3,
	array: 4,
	binData: 5,
	undefined: 6,
	objectId: 7,
	bool: 8,
	date: 9,
	null: 10,
	regex: 11,
	dbPointer: 12,
	javascript: 13,
	symbol: 14,
	javascriptWithScope: 15,
	int: 16,
	timestamp: 17,
	long: 18,
	decimal: 19,
	minKey: -1,
	maxKey: 127,
};
const KNOWN_TYPE_NUMBERS: ReadonlySet<number> = new Set(Object.values(TYPE_NAMES));
const NUMBER_TYPES = -2;

/** The BSON type code of a value (`TYPE_NAMES`); 0 for what BSON cannot hold. */
export function bsonType(value: unknown): number {
	if (value === null) return TYPE_NAMES.null;
	switch (typeof value) {
		case 'string':
			return TYPE_NAMES.string;
		case 'boolean':
			return TYPE_NAMES.bool;
		case 'number':
			return Number.isInteger(value) && value >= -2147483648 && value <= 2147483647 && !Object.is(value, -0) ? TYPE_NAMES.int : TYPE_NAMES.double;
		case 'object':
			if (value instanceof Date) return TYPE_NAMES.date;
			return Array.isArray(value) ? TYPE_NAMES.array : TYPE_NAMES.object;
		default:
			return 0;
	}
}

function typeCode(operand: unknown): number {
	if (operand === 'number') return NUMBER_TYPES;
	if (typeof operand === 'string' && hasOwn.call(TYPE_NAMES, operand)) return TYPE_NAMES[operand];
	if (typeof operand === 'number' && KNOWN_TYPE_NUMBERS.has(operand)) return operand;
	return refuse(`"$type" does not know the type ${JSON.stringify(operand)}`);
}

export function typeIs(operand: unknown): Single {
	const list = Array.isArray(operand) ? operand : [operand];
	if (list.length === 0) refuse('"$type" needs at least one type');
	const codes = new Set(list.map(typeCode));
	const numbers = codes.has(NUMBER_TYPES);
	return (value) => {
		if (value === undefined) return false;
		const code = bsonType(value);
		return codes.has(code) || (numbers && (code === TYPE_NAMES.double || code === TYPE_NAMES.int));
	};
}
