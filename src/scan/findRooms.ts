/**
 * The one search both the endpoint and the command run: scan, then name each page room's department (looked up once
 * per distinct department per request). Projection is the endpoint's business and happens after this.
 */
import type { RoomQuery } from '../query/RoomQuery';
import type { RoomDocument } from '../rooms/RoomDocument';
import { withDepartment } from '../rooms/project';
import type { RoomPages } from './RoomPages';
import { searchRooms } from './search';

export interface DepartmentName {
	readonly _id: string;
	readonly name: string;
}

export type DepartmentLookup = (idOrName: string) => Promise<DepartmentName | undefined>;

export interface RoomsAnswer {
	/** The requested page, in order, each with `department: {_id, name}` when its department exists. */
	readonly rooms: RoomDocument[];
	/** Every room that matches the query. */
	readonly total: number;
}

export async function findRooms(query: RoomQuery, pages: RoomPages, departments: DepartmentLookup): Promise<RoomsAnswer> {
	const { rooms, total } = await searchRooms(query, pages);
	const ids = [...new Set(rooms.map((room) => room.departmentId).filter((id): id is string => typeof id === 'string'))];
	const found = new Map<string, DepartmentName | undefined>();
	// The reader finds by id or by name: a department whose name happens to equal another's id is not this room's.
	await Promise.all(
		ids.map(async (id) => {
			const department = await departments(id);
			found.set(id, department && department._id === id ? department : undefined);
		}),
	);
	return {
		rooms: rooms.map((room) => (room.departmentId === undefined ? room : withDepartment(room, found.get(room.departmentId)))),
		total,
	};
}

/**
 * Where both front doors get their rooms: a query in, the requested page and the total out. Today it is a scan of
 * the engine's pages (`scannedRooms`); another implementation (an index of the app's own, say) replaces it in the
 * one place the sources are wired.
 */
export interface RoomSource {
	find(query: RoomQuery): Promise<RoomsAnswer>;
}

/** The rooms found by scanning `pages`, each page room's department named through `departments`. */
export function scannedRooms(pages: RoomPages, departments: DepartmentLookup): RoomSource {
	return { find: (query) => findRooms(query, pages, departments) };
}
