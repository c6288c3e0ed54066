/**
 * What is wrong with the words, as an i18n key and its values: the answer says it in the caller's language
 * (`problemText`). The values echo only what the caller typed.
 */
import type { MessageKey, Viewer } from '../viewer';
import { say } from '../viewer';

export interface Problem {
	readonly key: MessageKey;
	readonly values?: Readonly<Record<string, string | number>>;
}

export const problem = (key: MessageKey, values: Readonly<Record<string, string | number>> = {}): Problem => ({ key, values });

/** A problem in the viewer's words (English when no viewer is given). */
export const problemText = (found: Problem, viewer: Pick<Viewer, 'language'> = { language: 'en' }): string => say(viewer, found.key, found.values);
