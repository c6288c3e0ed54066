/**
 * The queue first: right after install, the first build walks the room list once and reads in full only the rooms
 * the list shows open (`isOpen`, the stored `open`), then reads the others. Between the two, the index holds every
 * open room, exact (a room opened since arrives by its event, a room closed since too), and the closed rooms only in
 * part. A request is answered from that only when every room it could match is open; anything else is refused with
 * what is ready and what is not. Pure: the query decides, nothing else.
 */
import type { Availability } from '../ports';
import type { RoomQuery } from '../query/RoomQuery';
import type { RoomSet } from './RoomIndex';

/**
 * Whether the open rooms alone decide the query: it requires the stored `open` field (`queued=true`: `open: true`;
 * `open=true`: `open` present), and every other filter (agents, the caller's own-rooms scope, `query`, dates, ...)
 * only narrows that further, as do the page, the order, the projection and the format. `open=false` (closed rooms),
 * `onhold=true` alone (a room closed while on hold keeps `onHold: true`) and no status at all need the closed rooms.
 */
export function decidedByOpenRooms(query: Pick<RoomQuery, 'open' | 'queued'>): boolean {
	return query.queued === true || query.open === true;
}

/** The rooms that answer this query exactly now, or why none do. */
export function roomsFor(available: Availability, query: Pick<RoomQuery, 'open' | 'queued'>): Availability {
	if (available.ok || available.openRooms === undefined || !decidedByOpenRooms(query)) return available;
	return { ok: true, rooms: available.openRooms };
}

/** The open rooms, when they are all the caller needs and the index holds them (ready, or queue-ready). */
export function openRoomsOf(available: Availability): RoomSet | undefined {
	return available.ok ? available.rooms : available.openRooms;
}
