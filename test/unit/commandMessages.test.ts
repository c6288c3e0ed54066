/**
 * The command's words are bundled as code (`src/command/messages.ts`: the Deno runtime gives an app no file access),
 * generated from the `Command_*` keys of `i18n/*.json` by `scripts/command-messages.js`. They must not drift apart,
 * and every language must have every key the English file has, with the same placeholders.
 */
import * as fs from 'fs';
import * as path from 'path';

import { describe, expect, it } from '@jest/globals';

import { MESSAGES } from '../../src/command/messages';

const ROOT = path.join(__dirname, '..', '..');
const LANGUAGES = fs.readdirSync(path.join(ROOT, 'i18n')).map((file) => file.replace(/\.json$/, ''));
const commandKeys = (language: string): Record<string, string> =>
	Object.fromEntries(
		Object.entries(JSON.parse(fs.readFileSync(path.join(ROOT, 'i18n', `${language}.json`), 'utf8')) as Record<string, string>).filter(([key]) =>
			key.startsWith('Command_'),
		),
	);
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the command messages', () => {
	it('ship every language of i18n/', () => {
		expect(Object.keys(MESSAGES).sort()).toEqual([...LANGUAGES].sort());
	});

	it.each(LANGUAGES)('equal the Command_ keys of i18n/%s.json (run node scripts/command-messages.js after editing it)', (language) => {
		expect(MESSAGES[language as keyof typeof MESSAGES]).toEqual(commandKeys(language));
	});

	it.each(LANGUAGES)('%s has every English key, with the same placeholders', (language) => {
		const english = commandKeys('en');
		const other = commandKeys(language);
		expect(Object.keys(other).sort()).toEqual(Object.keys(english).sort());
		for (const key of Object.keys(english)) expect([key, placeholders(other[key])]).toEqual([key, placeholders(english[key])]);
	});
});
