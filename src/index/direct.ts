/**
 * Answering without the index (the setting that turns it off): every request reads every livechat room, the list
 * page by page and each room in full, and answers from that. Exact, and as slow as it sounds, so it is refused beyond
 * `DIRECT_LIMIT` rooms rather than left to run into the host's time limit.
 */
import type { Availability } from './LiveIndex';
import { OVERLAP, PAGE } from './maintenance';
import { RoomIndex } from './RoomIndex';
import type { HostRooms } from './shared';

/** The most livechat rooms a request reads in full when the index is off. */
export const DIRECT_LIMIT = 2000;

export async function readEveryRoom(host: HostRooms, limit: number = DIRECT_LIMIT): Promise<Availability> {
	const ids: string[] = [];
	const listed = new Set<string>();
	for (let skip = 0; ; skip += PAGE - OVERLAP) {
		const page = await host.page(skip, PAGE);
		let fresh = 0;
		for (const raw of Array.isArray(page) ? page : []) {
			if (raw === null || typeof raw !== 'object' || raw.type !== 'l' || typeof raw.id !== 'string' || listed.has(raw.id)) continue;
			listed.add(raw.id);
			ids.push(raw.id);
			fresh++;
		}
		if (ids.length > limit) {
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
	const rooms = new RoomIndex();
	for (let start = 0; start < ids.length; start += PAGE) {
		const found = await Promise.all(ids.slice(start, start + PAGE).map((id) => host.full(id)));
		for (const room of found) if (room !== 'gone' && room !== 'other') rooms.apply(room);
	}
	return { ok: true, rooms };
}
