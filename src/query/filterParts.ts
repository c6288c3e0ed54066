/**
 * The `query` filter cut along its own logic, so that the index can decide each piece on the values it keeps
 * (`index/columnSearch.ts`): the filter holds when every **part** holds (its top-level keys, and the members of a
 * top-level `$and`), and a part that is a top-level `$or` holds when any of its **alternatives** does. Each piece is
 * compiled on its own by the same compiler as the whole (`filter/compile.ts`), with the paths it reads, and a key (its
 * JSON text) under which what it decided may be remembered. `undefined` when the filter cannot be cut so.
 */
import { isDocument } from '../values/path';
import { compileMongoFilter } from './filter/compile';
import type { RoomFilter } from './filter/compile';
import { filterPaths } from './filterPaths';

export interface FilterPiece {
	readonly test: RoomFilter;
	/** The paths it reads (dotted); `undefined` when that cannot be told. */
	readonly paths?: readonly string[];
	/** Its JSON text. */
	readonly key: string;
}

/** Holds when any of its alternatives holds (a part that is not an `$or` has one). */
export interface FilterPart {
	readonly anyOf: readonly FilterPiece[];
}

function piece(filter: Record<string, unknown>): FilterPiece | undefined {
	const compiled = compileMongoFilter(filter);
	if (!compiled.ok) return undefined;
	const paths = filterPaths(filter);
	return { test: compiled.value, key: JSON.stringify(filter), ...(paths && { paths: [...paths] }) };
}

export function filterParts(filter: unknown): FilterPart[] | undefined {
	if (!isDocument(filter)) return undefined;
	const parts: FilterPart[] = [];
	for (const key of Object.keys(filter)) {
		const value = filter[key];
		if (key === '$and' && Array.isArray(value) && value.every(isDocument)) {
			for (const member of value) {
				const inner = filterParts(member);
				if (!inner) return undefined;
				parts.push(...inner);
			}
			continue;
		}
		const alternatives = key === '$or' && Array.isArray(value) && value.length > 0 && value.every(isDocument) ? value : [{ [key]: value }];
		const anyOf: FilterPiece[] = [];
		for (const alternative of alternatives) {
			const compiled = piece(alternative as Record<string, unknown>);
			if (!compiled) return undefined;
			anyOf.push(compiled);
		}
		parts.push({ anyOf });
	}
	return parts;
}
