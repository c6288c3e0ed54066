/** The edge where the engine's readers become the core's plain interfaces. */
import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';

import type { DepartmentLookup, DepartmentName } from './findRooms';
import type { EngineRoom, RoomPages } from './RoomPages';

/** Thrown when the engine answers `undefined`: the app lacks a permission `app.json` should declare. */
export class EngineAccessError extends Error {}

/** Livechat rooms, page by page, through `IRoomRead.getAllRooms` (needs `room.system.view-all`). */
export function engineRoomPages(read: IRead): RoomPages {
	const reader = read.getRoomReader();
	return {
		async page(skip: number, limit: number): Promise<readonly EngineRoom[]> {
			const rooms = await reader.getAllRooms({ types: [RoomType.LIVE_CHAT] }, { limit, skip });
			if (!rooms) throw new EngineAccessError('the engine refused to list rooms (permission room.system.view-all)');
			return rooms as unknown as EngineRoom[];
		},
	};
}

/** Looks a department up by id or name once per request, through the livechat reader (`livechat-department.read`). */
export function engineDepartments(read: IRead): DepartmentLookup {
	const reader = read.getLivechatReader();
	const cache = new Map<string, Promise<DepartmentName | undefined>>();
	return (idOrName: string) => {
		let found = cache.get(idOrName);
		if (!found) {
			found = reader.getLivechatDepartmentByIdOrName(idOrName).then((department) =>
				department && department.id ? { _id: department.id, name: department.name ?? '' } : undefined,
			);
			cache.set(idOrName, found);
		}
		return found;
	};
}
