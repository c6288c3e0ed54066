/**
 * The routes' parameter checks, answered as Rocket.Chat's ajv validators answer them (`invalid-params` with ajv's
 * message: "must have required property 'roomId'", "must be string", "must NOT have additional properties").
 */
import { invalidParams } from './errors';

export type FieldType = 'string' | 'boolean' | 'string[]' | 'object' | 'number';

export interface Shape {
	required?: Record<string, FieldType | Shape>;
	optional?: Record<string, FieldType | Shape>;
	/** Whether unknown keys are accepted (ajv's `additionalProperties`). */
	additional?: boolean;
}

function typeError(type: FieldType): string {
	if (type === 'string[]') return 'must be array';
	return `must be ${type}`;
}

function checkType(value: unknown, type: FieldType | Shape): void {
	if (typeof type === 'object') {
		validate(value, type);
		return;
	}
	const ok =
		type === 'string[]' ? Array.isArray(value) : type === 'object' ? !!value && typeof value === 'object' && !Array.isArray(value) : typeof value === type;
	if (!ok) throw invalidParams(typeError(type));
	if (type === 'string[]' && (value as unknown[]).some((item) => typeof item !== 'string')) throw invalidParams('must be string');
}

/** Throws the route's `invalid-params` answer when the value does not have the shape. */
export function validate(value: unknown, shape: Shape): asserts value is Record<string, unknown> {
	if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalidParams('must be object');
	const record = value as Record<string, unknown>;
	for (const key of Object.keys(shape.required ?? {})) {
		if (record[key] === undefined) throw invalidParams(`must have required property '${key}'`);
	}
	const known = { ...shape.required, ...shape.optional };
	for (const [key, item] of Object.entries(record)) {
		const type = known[key];
		if (!type) {
			if (!shape.additional) throw invalidParams('must NOT have additional properties');
			continue;
		}
		if (item === undefined) continue;
		checkType(item, type);
	}
}
