/**
 * The omnichannel context over the workspace's shared store: one `OmnichannelState` for the cluster, and the `fire`
 * of the instance that received the request.
 */
import { departmentByIdOrName } from '../data/departments';
import type { StoredRoom, WorkspaceUser } from '../data/types';
import type { WorkspaceState } from '../engine/state';
import type { OmnichannelContext } from './context';
import { OmnichannelState } from './state';
import type { Visitor } from './state';

/** The cluster's omnichannel collections, starting from the visitors the data file's rooms imply. */
export function createOmnichannelState(state: WorkspaceState): OmnichannelState {
	const omnichannel = new OmnichannelState(state.visitors());
	// The visitor converter (room conversions, visitor events) reads the cluster's visitors collection from now on.
	state.visitorSource = (id) => omnichannel.visitorById(id) as Visitor | undefined;
	return omnichannel;
}

export function omnichannelContext(
	state: WorkspaceState,
	omnichannel: OmnichannelState,
	fire: (interfaceName: string, payload: unknown) => Promise<void>,
	options: { now?: () => Date } = {},
): OmnichannelContext {
	return {
		rooms: {
			get: (id) => state.findRoom(id),
			list: () => state.allRooms(),
			insert: (room: StoredRoom) => {
				state.insertRoom(room);
			},
			update: (id, set, unset) => {
				state.updateRoom(id, set, unset);
			},
			remove: (id) => {
				state.removeRoom(id);
			},
		},
		users: { byId: (id) => state.userById(id), all: () => state.users },
		departments: { byId: (id) => state.departments.find((d) => d._id === id), byIdOrName: (idOrName) => departmentByIdOrName(state.departments, idOrName) },
		omnichannel,
		fire,
		fullRoom: (room) => state.convertFull(room),
		appUser: (user: WorkspaceUser) => state.appUser(user),
		appDepartment: (id) => state.appDepartment(id),
		...(options.now && { now: options.now }),
	};
}
