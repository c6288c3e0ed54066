/** The words and commands that page on from a list: what the Previous and Next buttons carry. */
import type { QueryRequest } from './parse';
import { COMMAND } from './words';

/**
 * The words (after the command's name) that show the page after this one, or undefined when this page reaches the
 * last match. They are what the Next button carries, and what the text fallback prints after `/livechat-rooms`.
 */
export function nextPageWords(request: QueryRequest, total: number): string | undefined {
	const next = request.offset + request.count;
	if (next >= total) return undefined;
	const paging = request.paging === 'offset' ? `offset=${next}` : `page=${request.page + 1}`;
	return [...request.words, paging].join(' ');
}

/** The words that show the page before this one, or undefined on the first page (or a page past the end's neighbour). */
export function previousPageWords(request: QueryRequest, total: number): string | undefined {
	if (request.offset === 0) return undefined;
	if (request.paging === 'offset') return [...request.words, `offset=${Math.max(0, request.offset - request.count)}`].join(' ');
	// Past the end, Previous goes to the last page that has rooms.
	const lastPage = Math.max(1, Math.ceil(total / request.count));
	const page = Math.min(request.page - 1, lastPage);
	return [...request.words, `page=${page}`].join(' ');
}

/** The typed command for these words. */
export const commandOf = (words: string): string => (words ? `/${COMMAND} ${words}` : `/${COMMAND}`);

/** The exact command that shows the page after this one, or undefined when this page reaches the last match. */
export function nextPageCommand(request: QueryRequest, total: number): string | undefined {
	const words = nextPageWords(request, total);
	return words === undefined ? undefined : commandOf(words);
}
