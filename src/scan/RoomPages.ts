/**
 * "Give me the livechat rooms, page by page": the one interface between the search and the engine.
 * A page holds rooms as the engine hands them over (`IRoomRaw` plus `_unmappedProperties_`), at most `limit`
 * of them; a page shorter than `limit` is the last one.
 */
export type EngineRoom = Record<string, unknown>;

export interface RoomPages {
	page(skip: number, limit: number): Promise<readonly EngineRoom[]>;
}

/** The engine's page limit for `getAllRooms` (1..100). */
export const PAGE_SIZE = 100;
