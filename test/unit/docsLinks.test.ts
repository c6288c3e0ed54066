/**
 * The README and the pages in docs/ link to each other, to files of the repository and to headings: every relative
 * link must name a file that exists and, with `#anchor`, a heading of that page, as GitHub makes heading anchors.
 */
import * as fs from 'fs';
import * as path from 'path';

import { describe, expect, test } from '@jest/globals';

const ROOT = path.join(__dirname, '..', '..');

/** GitHub's anchor for a heading's text: inline markup dropped, lower case, punctuation gone, each space a `-`. */
export function slug(heading: string): string {
	const text = heading
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/<[^>]+>/g, '')
		.replace(/[`*~]/g, '');
	return text
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
		.replace(/ /g, '-');
}

/** The anchors of a page's headings, in order; a heading seen before gets `-1`, `-2`, ... */
export function anchors(markdown: string): Set<string> {
	const seen = new Map<string, number>();
	const found = new Set<string>();
	for (const { raw } of prose(markdown)) {
		const heading = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(raw);
		if (!heading) continue;
		const base = slug(heading[1]);
		const times = seen.get(base) ?? 0;
		seen.set(base, times + 1);
		found.add(times === 0 ? base : `${base}-${times}`);
	}
	return found;
}

/** The lines that are not code (fenced or indented blocks), with their line numbers: as written, and with inline code blanked out. */
function prose(markdown: string): Array<{ line: number; raw: string; text: string }> {
	const out: Array<{ line: number; raw: string; text: string }> = [];
	let fence: string | undefined;
	let previousBlank = true;
	let inIndented = false;
	markdown.split('\n').forEach((raw, index) => {
		const marker = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
		if (fence !== undefined) {
			if (marker && marker[1][0] === fence[0] && marker[1].length >= fence.length) fence = undefined;
			return;
		}
		if (marker) {
			fence = marker[1];
			return;
		}
		const blank = raw.trim() === '';
		// An indented code block starts after a blank line and lasts while lines stay indented (or blank).
		if (/^( {4}|\t)/.test(raw) && (previousBlank || inIndented)) {
			inIndented = true;
			previousBlank = blank;
			return;
		}
		if (!blank) inIndented = false;
		previousBlank = blank;
		out.push({ line: index + 1, raw, text: raw.replace(/(`+)(?:(?!\1).)+?\1/g, (code) => ' '.repeat(code.length)) });
	});
	return out;
}

/** Every relative link of a page: its target and line. */
export function links(markdown: string): Array<{ line: number; target: string }> {
	const out: Array<{ line: number; target: string }> = [];
	for (const { line, text } of prose(markdown)) {
		for (const match of text.matchAll(/!?\[(?:[^\]]|\][^(])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
			const target = match[1];
			if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
			out.push({ line, target });
		}
	}
	return out;
}

/** What is wrong with each relative link of `file` (a path from the repository's root). */
export function brokenLinks(file: string, read: (file: string) => string | undefined): string[] {
	const markdown = read(file);
	if (markdown === undefined) return [`${file}: not found`];
	const problems: string[] = [];
	for (const { line, target } of links(markdown)) {
		const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
		const linked = pathPart === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(pathPart)));
		const where = `${file}:${line}: ${target}`;
		if (linked.startsWith('..')) {
			problems.push(`${where} leaves the repository`);
			continue;
		}
		const text = linked.endsWith('.md') ? read(linked) : undefined;
		if (text === undefined && !fs.existsSync(path.join(ROOT, linked))) {
			problems.push(`${where}: no file ${linked}`);
			continue;
		}
		if (anchor === undefined) continue;
		if (text === undefined) problems.push(`${where}: an anchor into ${linked}, which is not a Markdown page`);
		else if (!anchors(text).has(anchor)) problems.push(`${where}: no heading #${anchor} in ${linked}`);
	}
	return problems;
}

function readFromRepository(file: string): string | undefined {
	const full = path.join(ROOT, file);
	return fs.existsSync(full) && fs.statSync(full).isFile() ? fs.readFileSync(full, 'utf8') : undefined;
}

const PAGES = [
	'README.md',
	...fs
		.readdirSync(path.join(ROOT, 'docs'))
		.filter((name) => name.endsWith('.md'))
		.sort()
		.map((name) => `docs/${name}`),
];

describe('links between the README and docs/', () => {
	test.each(PAGES)('%s: every relative link and anchor leads somewhere', (page) => {
		expect(brokenLinks(page, readFromRepository)).toEqual([]);
	});

	test('every page in docs/ is linked from the README', () => {
		const linked = new Set(links(readFromRepository('README.md') ?? '').map(({ target }) => target.split('#')[0]));
		expect(PAGES.filter((page) => page !== 'README.md' && !linked.has(page))).toEqual([]);
	});
});

describe('the checker itself', () => {
	test("makes GitHub's anchors", () => {
		expect(slug('The `/livechat-rooms` command')).toBe('the-livechat-rooms-command');
		expect(slug('`GET rooms/counts`')).toBe('get-roomscounts');
		expect(slug('`format=csv`')).toBe('formatcsv');
		expect(slug('How the app answers: its own index of the rooms')).toBe('how-the-app-answers-its-own-index-of-the-rooms');
		expect(slug("Where it differs from Rocket.Chat's own endpoint, and why")).toBe('where-it-differs-from-rocketchats-own-endpoint-and-why');
		expect(slug('Buttons: Previous, Next and List')).toBe('buttons-previous-next-and-list');
		expect(slug('snake_case and a-dash  two spaces')).toBe('snake_case-and-a-dash--two-spaces');
		expect(slug('A [link](x.md) and *stress*')).toBe('a-link-and-stress');
		expect(slug('How close to Rocket.Chat 8.x it is')).toBe('how-close-to-rocketchat-8x-it-is');
	});

	test('numbers a heading that repeats, and ignores headings in code', () => {
		expect([...anchors('# A\n## Notes\n### Notes\n```\n# Not a heading\n```\n    # nor this\n\n## Notes\n## `query`: code')]).toEqual([
			'a',
			'notes',
			'notes-1',
			'notes-2',
			'query-code',
		]);
	});

	test('finds a missing file, a missing heading and a link out of the repository, and skips code and URLs', () => {
		const pages: Record<string, string> = {
			'README.md': [
				'# Top',
				'[ok](docs/a.md#second-part) [self](#top) [web](https://example.com/x.md#nothing)',
				'[gone](docs/missing.md) [no heading](docs/a.md#third) [no own heading](#bottom) [out](../elsewhere.md)',
				'`[in code](docs/nothing.md)`',
				'```',
				'[in a fence](docs/nothing.md)',
				'```',
			].join('\n'),
			'docs/a.md': '# A\n## Second part\n[back](../README.md#top) [picture](command-summary.png) [lost](nothing.png)',
		};
		const read = (file: string): string | undefined => pages[file];
		expect(brokenLinks('README.md', read)).toEqual([
			'README.md:3: docs/missing.md: no file docs/missing.md',
			'README.md:3: docs/a.md#third: no heading #third in docs/a.md',
			'README.md:3: #bottom: no heading #bottom in README.md',
			'README.md:3: ../elsewhere.md leaves the repository',
		]);
		expect(brokenLinks('docs/a.md', read)).toEqual(['docs/a.md:3: nothing.png: no file docs/nothing.png']);
	});
});
