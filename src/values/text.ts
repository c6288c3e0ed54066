/** Text as MongoDB's case-insensitive matching sees it, and a substring search whose time is linear in its input. */
const NON_ASCII = /[\u0080-\uffff]/;

function isOneCodePoint(text: string): boolean {
	if (text.length === 1) return true;
	if (text.length !== 2) return false;
	const high = text.charCodeAt(0);
	return high >= 0xd800 && high <= 0xdbff;
}

function foldCodePoint(character: string): string {
	const upper = character.toUpperCase();
	const lower = (isOneCodePoint(upper) ? upper : character).toLowerCase();
	if (isOneCodePoint(lower)) return lower;
	const direct = character.toLowerCase();
	return isOneCodePoint(direct) ? direct : character;
}

/** Text folded for case-insensitive comparison, one code point for one code point (so substrings stay substrings). */
export function foldCase(text: string): string {
	if (!NON_ASCII.test(text)) return text.toLowerCase();
	let folded = '';
	for (const character of text) folded += character.charCodeAt(0) < 0x80 ? character.toLowerCase() : foldCodePoint(character);
	return folded;
}

/**
 * A linear-time substring test (Knuth-Morris-Pratt) for long needles: the engine's own search degrades badly on
 * crafted input (`'a' * 3000 + 'b' + 'a' * 3000` against long runs of `a`), and both sides can come from callers or
 * visitors. The failure table is built once per query.
 */
export function linearIncludes(needle: string): (haystack: string) => boolean {
	const m = needle.length;
	const failure = new Int32Array(m);
	for (let i = 1, k = 0; i < m; i++) {
		while (k > 0 && needle.charCodeAt(i) !== needle.charCodeAt(k)) k = failure[k - 1];
		if (needle.charCodeAt(i) === needle.charCodeAt(k)) k++;
		failure[i] = k;
	}
	return (haystack) => {
		if (haystack.length < m) return false;
		for (let i = 0, k = 0; i < haystack.length; i++) {
			const code = haystack.charCodeAt(i);
			while (k > 0 && code !== needle.charCodeAt(k)) k = failure[k - 1];
			if (code === needle.charCodeAt(k) && ++k === m) return true;
		}
		return false;
	};
}
