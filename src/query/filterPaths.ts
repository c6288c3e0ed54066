/**
 * The paths of a room a `query` filter reads: every path it names (dotted, as written), through `$and`, `$or` and
 * `$nor` (the only operators allowed where a field name may stand). `undefined` for anything else, which then counts
 * as reading every field. Lets the index answer a filter on the values it keeps in columns without unpacking rooms.
 */
export function filterPaths(filter: unknown): ReadonlySet<string> | undefined {
	const fields = new Set<string>();
	const walk = (document: unknown): boolean => {
		if (document === null || typeof document !== 'object' || Array.isArray(document)) return false;
		for (const key of Object.keys(document)) {
			if (key === '$and' || key === '$or' || key === '$nor') {
				const branches = (document as Record<string, unknown>)[key];
				if (!Array.isArray(branches) || !branches.every(walk)) return false;
			} else if (key.startsWith('$')) return false;
			else fields.add(key);
		}
		return true;
	};
	return walk(filter) ? fields : undefined;
}
