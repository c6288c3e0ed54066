/**
 * The answers' buttons. A button carries, as its `value`, the command's words for the answer it leads to (the words
 * after `/livechat-rooms`, exactly as the text fallback prints them): compact, readable, and answered on a press by
 * the same grammar, access rules and query as a typed command. The value comes back from the client, so a press is
 * judged as if the caller had typed it: nothing in the value is trusted (an agent's forged `agent=bob` is refused).
 */
import type { ActionsBlock, ButtonElement } from '@rocket.chat/ui-kit';

/** Every button's `actionId`; the handler answers only these. */
export const ACTIONS = {
	previous: 'livechat-rooms.previous',
	next: 'livechat-rooms.next',
	list: 'livechat-rooms.list',
	/** The console's Refresh: the words of the page it shows. */
	refresh: 'livechat-rooms.refresh',
} as const;

export type Action = (typeof ACTIONS)[keyof typeof ACTIONS];

/** Slack's and Rocket.Chat's limit for a button's value; longer words get no button (the typed command remains). */
export const MAX_VALUE_LENGTH = 2000;

/** The words as a button's value, or undefined when they would not fit. */
export function buttonValue(words: string): string | undefined {
	return words.length <= MAX_VALUE_LENGTH ? words : undefined;
}

export type Press = { readonly ok: true; readonly args: string[] } | { readonly ok: false; readonly reason: string };

/**
 * A press, read like user input: an `actionId` of the app's, and a value that is text of at most `MAX_VALUE_LENGTH`
 * characters with no control characters; the value becomes the command's arguments (Rocket.Chat splits a typed
 * command on single spaces the same way).
 */
export function readPress(actionId: unknown, value: unknown): Press {
	if (!(Object.values(ACTIONS) as unknown[]).includes(actionId)) return { ok: false, reason: `unknown action ${JSON.stringify(actionId)}` };
	if (typeof value !== 'string') return { ok: false, reason: 'the value is not text' };
	if (value.length > MAX_VALUE_LENGTH) return { ok: false, reason: 'the value is too long' };
	if (/[\p{Cc}\u2028\u2029]/u.test(value)) return { ok: false, reason: 'the value has control characters' };
	return { ok: true, args: value === '' ? [] : value.split(' ') };
}

/** A button; `appId` and `blockId` route the press to this app, as the engine's block builder would set them. */
export function button(appId: string, blockId: string, actionId: Action, text: string, value: string): ButtonElement {
	return { type: 'button', appId, blockId, actionId, text: { type: 'plain_text', text, emoji: true }, value };
}

/** An actions block of buttons (none when empty). */
export function actionsBlock(appId: string, blockId: string, elements: ButtonElement[]): ActionsBlock[] {
	return elements.length === 0 ? [] : [{ type: 'actions', appId, blockId, elements }];
}
