/** `$regex` as literal text, optionally anchored: a linear-time string test, never a `RegExp` built from input. */
import { foldCase, linearIncludes } from '../../values/text';
import type { Single } from './conditions';
import { refuse } from './refusal';

const SPECIAL = '\\^$.|?*+()[]{}';

/** The literal text of a pattern, with its anchors; a `Refusal` for anything else. */
function literalPattern(pattern: string): { text: string; start: boolean; end: boolean } {
	let from = 0;
	let to = pattern.length;
	const start = pattern.startsWith('^');
	if (start) from = 1;
	let end = false;
	if (to > from && pattern.charCodeAt(to - 1) === 36) {
		let backslashes = 0;
		for (let i = to - 2; i >= from && pattern.charCodeAt(i) === 92; i--) backslashes++;
		if (backslashes % 2 === 0) {
			end = true;
			to--;
		}
	}
	let text = '';
	for (let i = from; i < to; i++) {
		const character = pattern[i];
		if (character === '\\') {
			const next = pattern[i + 1];
			if (i + 1 >= to || next === undefined || /[0-9A-Za-z]/.test(next) || next.charCodeAt(0) < 0x20 || next.charCodeAt(0) > 0x7e) {
				return refuse('"$regex" accepts only literal text, optionally anchored with ^ and $');
			}
			text += next;
			i++;
		} else if (SPECIAL.includes(character)) {
			return refuse('"$regex" accepts only literal text, optionally anchored with ^ and $');
		} else text += character;
	}
	return { text, start, end };
}

export function regexTest(pattern: unknown, options: unknown): Single {
	if (typeof pattern !== 'string') refuse('"$regex" needs a string');
	if (options !== undefined && options !== '' && options !== 'i') refuse('"$options" accepts only "i"');
	const insensitive = options === 'i';
	const { text, start, end } = literalPattern(pattern);
	const needle = insensitive ? foldCase(text) : text;
	const prepare = insensitive ? foldCase : (value: string) => value;
	let test: (value: string) => boolean;
	if (start && end) test = (value) => value === needle || value === `${needle}\n`;
	else if (start) test = (value) => value.startsWith(needle);
	else if (end) test = (value) => value.endsWith(needle) || value.endsWith(`${needle}\n`);
	else if (needle.length <= 64) test = (value) => value.includes(needle);
	else test = linearIncludes(needle);
	return (value) => typeof value === 'string' && test(prepare(value));
}
