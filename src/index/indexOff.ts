/**
 * Answering without the index (the setting that turns it off): every request reads every livechat room, the list
 * page by page and each room in full, and answers from that. Exact, and as slow as it sounds, so it is refused beyond
 * `INDEX_OFF_LIMIT` rooms rather than left to run into the host's time limit.
 */
import type { Availability, HostRooms } from '../ports';
import type { EngineRoom } from '../rooms/EngineRoom';
import { OVERLAP, PAGE, readFull } from './maintenance';
import { RoomIndex } from './RoomIndex';

/** The most livechat rooms a request reads in full when the index is off. */
export const INDEX_OFF_LIMIT = 2000;

export async function readEveryRoom(host: HostRooms, limit: number = INDEX_OFF_LIMIT): Promise<Availability> {
	const listed = new Map<string, EngineRoom>();
	for (let skip = 0; ; skip += PAGE - OVERLAP) {
		const page = await host.page(skip, PAGE);
		let fresh = 0;
		for (const raw of Array.isArray(page) ? page : []) {
			if (raw === null || typeof raw !== 'object' || raw.type !== 'l' || typeof raw.id !== 'string' || listed.has(raw.id)) continue;
			listed.set(raw.id, raw);
			fresh++;
		}
		if (listed.size > limit) {
			return {
				ok: false,
				unavailable: {
					message: `The app's index of the livechat rooms is turned off, and without it the app reads at most ${limit.toLocaleString('en-US')} rooms per request; this workspace has more. An administrator can turn the index back on in the app's settings.`,
					retryAfter: 0,
				},
			};
		}
		if (!Array.isArray(page) || page.length < PAGE || fresh === 0) break;
	}
	// The same reading as the index's build: corrected by the list, and a refusal when rooms cannot be read in full.
	const rooms = new RoomIndex();
	for (const room of (await readFull(host, [...listed.keys()], listed)).rooms) rooms.apply(room);
	return { ok: true, rooms };
}
