/**
 * A room's status and how long a queued room has waited: one definition for the endpoint's counts, the CSV `status`
 * column and the command's rows, so that all of them agree with the filters of the same names.
 *
 * - The status is the one filter of `queued=true`, `open=true`, `onhold=true` and `open=false` a room passes, by the
 *   matcher the filters themselves use (`match.ts`). The four never overlap; a room can pass none (`open: false`
 *   stored with no agent). A room stored closed that still carries `onHold: true` (data from an older server) is on
 *   hold, as `onhold=true` lists it and `open=false` does not.
 * - A queued room waits since `queuedAt`, else since its creation (`ts`).
 */
import { compileMatcher } from './match';
import type { RoomDocument } from './RoomDocument';

export type RoomStatus = 'queued' | 'open' | 'onhold' | 'closed';

const PAGE = { offset: 0, count: 0, sort: [] } as const;

/** The four never overlap, so the order only saves work: most rooms are closed, then open. */
const STATUS_MATCHERS: ReadonlyArray<readonly [RoomStatus, (room: RoomDocument) => boolean]> = [
	['closed', compileMatcher({ ...PAGE, open: false })],
	['open', compileMatcher({ ...PAGE, open: true })],
	['queued', compileMatcher({ ...PAGE, queued: true })],
	['onhold', compileMatcher({ ...PAGE, onHold: true })],
];

/** The status filter (`queued=true`, `open=true`, `onhold=true` or `open=false`) a room passes, if any. */
export function roomStatus(room: RoomDocument): RoomStatus | undefined {
	for (const [status, matches] of STATUS_MATCHERS) if (matches(room)) return status;
	return undefined;
}

const dateOf = (value: unknown): Date | undefined => (value instanceof Date && !Number.isNaN(value.getTime()) ? value : undefined);

/** When a queued room started waiting: `queuedAt`, else its creation (`ts`); undefined when it has neither date. */
export function waitingSince(room: RoomDocument): Date | undefined {
	return dateOf(room.queuedAt) ?? dateOf(room.ts);
}
