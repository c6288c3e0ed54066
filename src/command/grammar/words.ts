/** The command's name and bare words, and how a typed line splits into words and a value into items. */

/** The command's name, as typed after the slash. */
export const COMMAND = 'livechat-rooms';

/** The words that ask for the help, alone or among others. */
export const HELP_WORDS = new Set(['help', '?', '-h', '--help']);
/** The word that lists with the defaults, where no words at all answer the summary. */
export const LIST_WORD = 'list';
/** The word that opens the console beside the chat, as no words do. */
export const PANEL_WORD = 'panel';
/** The word that answers the summary as a message, even where the console could open. */
export const SUMMARY_WORD = 'summary';

/** One character of a word, and whether quoting or a backslash made it literal (a literal `,` does not split). */
export interface Char {
	readonly c: string;
	readonly literal: boolean;
}

export interface Word {
	/** As typed, quotes included: repeating it reproduces the same value. */
	readonly raw: string;
	readonly chars: readonly Char[];
}

const QUOTES = new Set(['"', '\u201c', '\u201d']);

/**
 * Splits the typed line into words: whitespace separates words outside double quotes (`"`, or the curly quotes a
 * phone keyboard types); `\"` and `\\` stand for `"` and `\` anywhere. `unclosed` holds the word whose quote never
 * closes.
 */
export function splitWords(line: string): { words: Word[]; unclosed?: string } {
	const words: Word[] = [];
	let chars: Char[] = [];
	let start = -1;
	let quoted = false;
	const end = (at: number): void => {
		if (start >= 0) words.push({ raw: line.slice(start, at), chars });
		chars = [];
		start = -1;
	};
	for (let i = 0; i < line.length; i++) {
		const c = line[i];
		if (!quoted && /\s/.test(c)) {
			end(i);
			continue;
		}
		if (start < 0) start = i;
		if (c === '\\' && (QUOTES.has(line[i + 1]) || line[i + 1] === '\\')) {
			chars.push({ c: QUOTES.has(line[i + 1]) ? '"' : '\\', literal: true });
			i++;
		} else if (QUOTES.has(c)) {
			quoted = !quoted;
		} else {
			chars.push({ c, literal: quoted });
		}
	}
	if (quoted) return { words, unclosed: line.slice(start) };
	end(line.length);
	return { words };
}

export const text = (chars: readonly Char[]): string => chars.map((ch) => ch.c).join('');

/** A value's comma-separated items; commas inside quotes belong to the item. Blank items are dropped. */
export function items(chars: readonly Char[]): string[] {
	const out: string[] = [];
	let current: Char[] = [];
	for (const ch of chars) {
		if (ch.c === ',' && !ch.literal) {
			out.push(text(current));
			current = [];
		} else {
			current.push(ch);
		}
	}
	out.push(text(current));
	return out.map((item) => item.trim()).filter((item) => item.length > 0);
}
