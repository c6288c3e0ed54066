/** The linear-time substring test used for long needles agrees with the engine's own `includes`. */
import { describe, expect, it } from '@jest/globals';
import * as fc from 'fast-check';

import { linearIncludes } from '../../src/values/text';

describe('linearIncludes', () => {
	it('agrees with String.prototype.includes on small alphabets (where overlaps are common)', () => {
		const text = (minLength: number) => fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength, maxLength: 40 });
		fc.assert(
			fc.property(text(0), text(1), (haystack, needle) => linearIncludes(needle)(haystack) === haystack.includes(needle)),
			{ numRuns: 5000, seed: 7 },
		);
	});

	it('finds and misses long needles in crafted text', () => {
		const needle = `${'a'.repeat(3000)}b${'a'.repeat(3000)}`;
		expect(linearIncludes(needle)(`${'a'.repeat(100000)}!`)).toBe(false);
		expect(linearIncludes(needle)(`xx${needle}yy`)).toBe(true);
	});
});
