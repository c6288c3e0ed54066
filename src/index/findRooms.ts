/**
 * The one search both front doors run: the query over every livechat room of the source, then each page room's
 * department named (looked up once per distinct department per request). Projection is the endpoint's business.
 */
import type { DepartmentLookup, DepartmentName, RoomSource, Unavailable } from '../ports';
import type { RoomQuery } from '../query/RoomQuery';
import { withDepartment } from '../rooms/project';
import type { RoomDocument } from '../rooms/RoomDocument';
import { roomsFor } from './queueFirst';
import { searchRoomSet } from './RoomIndex';

export type RoomsAnswer =
	| {
			readonly ok: true;
			/** The requested page, in order, each with `department: {_id, name}` when its department exists. */
			readonly rooms: RoomDocument[];
			/** Every room that matches the query. */
			readonly total: number;
	  }
	| { readonly ok: false; readonly unavailable: Unavailable };

/** The departments of these ids that exist, by id (a department whose name equals another's id is not that one). */
export async function departmentsOf(ids: Iterable<string>, departments: DepartmentLookup): Promise<Map<string, DepartmentName | undefined>> {
	const found = new Map<string, DepartmentName | undefined>();
	await Promise.all(
		[...new Set(ids)].map(async (id) => {
			const department = await departments(id);
			found.set(id, department && department._id === id ? department : undefined);
		}),
	);
	return found;
}

export async function findRooms(query: RoomQuery, source: RoomSource, departments: DepartmentLookup): Promise<RoomsAnswer> {
	// Right after install, the open rooms alone answer the requests they decide (the queue first).
	const available = roomsFor(await source.current(), query);
	if (!available.ok) return available;
	const { rooms, total } = searchRoomSet(query, available.rooms);
	const found = await departmentsOf(
		rooms.map((room) => room.departmentId).filter((id): id is string => typeof id === 'string'),
		departments,
	);
	return {
		ok: true,
		rooms: rooms.map((room) => (room.departmentId === undefined ? room : withDepartment(room, found.get(room.departmentId)))),
		total,
	};
}
