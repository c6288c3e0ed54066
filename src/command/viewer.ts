/**
 * Who reads an answer: their language and time zone, and the moment they asked. Pure: the engine class reads them
 * from the caller's `IUser` (`settings.preferences.language`, `utcOffset` in hours) and the clock.
 */
import { MESSAGES } from './messages';

/** The languages the app ships (`i18n/*.json`); any other preference reads English. */
export type Language = keyof typeof MESSAGES;
export type MessageKey = keyof (typeof MESSAGES)['en'];

export interface Viewer {
	readonly language: Language;
	/** Minutes east of UTC (`-180` for UTC-03:00). */
	readonly offsetMinutes: number;
	readonly now: Date;
}

/** English, UTC, now: what a caller with no preference and no offset gets. */
export const viewerOf = (language: unknown, utcOffset: unknown, now: Date): Viewer => ({
	language: languageOf(language),
	offsetMinutes: offsetMinutesOf(utcOffset),
	now,
});

/** A language preference (`pt-BR`, `pt`, `pt_BR`, `en-US`...) as a shipped language; English when none fits. */
export function languageOf(preference: unknown): Language {
	if (typeof preference !== 'string') return 'en';
	const lower = preference.trim().replace('_', '-').toLowerCase();
	return lower === 'pt' || lower.startsWith('pt-') ? 'pt-BR' : 'en';
}

/** `IUser.utcOffset` (hours, possibly fractional: 5.5 for India) as whole minutes; 0 when missing or out of range. */
export function offsetMinutesOf(utcOffset: unknown): number {
	if (typeof utcOffset !== 'number' || !Number.isFinite(utcOffset) || Math.abs(utcOffset) > 14) return 0;
	return Math.round(utcOffset * 60);
}

/** The viewer's words for a key, `{name}` placeholders filled. */
export function say(viewer: Pick<Viewer, 'language'>, key: MessageKey, values: Readonly<Record<string, string | number>> = {}): string {
	const template: string = MESSAGES[viewer.language][key] ?? MESSAGES.en[key];
	return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `UTC-03:00`, `UTC+05:30`, `UTC`. */
export function zoneLabel(offsetMinutes: number): string {
	if (offsetMinutes === 0) return 'UTC';
	const sign = offsetMinutes < 0 ? '-' : '+';
	const abs = Math.abs(offsetMinutes);
	return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** `-03:00`, `+00:00`: the offset as ISO-8601 writes it. */
export function isoOffset(offsetMinutes: number): string {
	const sign = offsetMinutes < 0 ? '-' : '+';
	const abs = Math.abs(offsetMinutes);
	return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A date's wall clock in the viewer's zone, as UTC fields of a shifted date. */
const shifted = (date: Date, offsetMinutes: number): Date => new Date(date.getTime() + offsetMinutes * 60_000);

/** `2024-05-01 14:03` in the zone, or undefined for a missing or unreadable date. */
export function compactTime(value: unknown, offsetMinutes = 0): string | undefined {
	if (!(value instanceof Date) && typeof value !== 'string' && typeof value !== 'number') return undefined;
	const date = new Date(value);
	if (Number.isNaN(date.getTime())) return undefined;
	const local = shifted(date, offsetMinutes);
	return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}

/** The start of the viewer's day, as the command's own date form with the offset (`2024-05-01T00:00-03:00`). */
export function startOfDay(viewer: Pick<Viewer, 'offsetMinutes' | 'now'>): string {
	const local = shifted(viewer.now, viewer.offsetMinutes);
	const day = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
	return `${day}T00:00${isoOffset(viewer.offsetMinutes)}`;
}

/** A wait as people say it: `45m`, `3h 12m`, `2d 4h`; `0m` for none (or a date in the future). */
export function waitOf(since: Date | undefined, now: Date): string {
	const minutes = since ? Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000)) : 0;
	if (minutes < 60) return `${minutes}m`;
	const hours = Math.floor(minutes / 60);
	if (hours < 24) return `${hours}h ${minutes % 60}m`;
	return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}
