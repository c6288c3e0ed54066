/**
 * "Give me the livechat rooms, page by page": what the scan reads. A page holds rooms as the engine hands them over,
 * at most `limit` of them; a page shorter than `limit` is the last one.
 */
import type { EngineRoom } from '../rooms/EngineRoom';

export interface RoomPages {
	page(skip: number, limit: number): Promise<readonly EngineRoom[]>;
}

/** The engine's page limit for `getAllRooms` (1..100). */
export const PAGE_SIZE = 100;
