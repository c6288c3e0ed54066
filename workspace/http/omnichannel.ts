/**
 * Wires the omnichannel actions (`workspace/omnichannel/`, Rocket.Chat's livechat REST paths) into every instance's
 * HTTP front. Their module exports `routeOmnichannel(ctx, request)`, answering `{ status, body }`, or `undefined`
 * when the path is not theirs; the context (`OmnichannelContext` in `workspace/omnichannel/context.ts`) gives them the
 * cluster's shared store and the receiving instance's `fire`.
 */
import type { Cluster } from '../engine/cluster';
import type { StoredRoom, WorkspaceUser } from '../data/types';
import type { OmnichannelRoute } from './server';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The actions' module, when it is there (it is built beside the workspace and may be absent from a checkout). */
function load(path: string): Any | undefined {
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		return require(path);
	} catch (error) {
		if ((error as { code?: string }).code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes('omnichannel')) return undefined;
		throw error;
	}
}

export function omnichannelRoute(cluster: Cluster): OmnichannelRoute | undefined {
	const actions = load('../omnichannel');
	const stateModule = load('../omnichannel/state');
	if (!actions?.routeOmnichannel || !stateModule?.OmnichannelState) return undefined;
	const { state } = cluster;
	// One visitors/inquiries/messages collection for the cluster, starting from the visitors the rooms name; the full
	// room converter finds visitors there.
	const omnichannel = new stateModule.OmnichannelState(state.visitors());
	state.visitorSource = (id: string) => omnichannel.visitorById(id);
	const context = (instance: number): Record<string, unknown> => ({
		instance,
		rooms: {
			get: (id: string) => state.findRoom(id),
			list: () => state.allRooms(),
			insert: (room: StoredRoom) => {
				state.insertRoom(room);
			},
			update: (id: string, set: Record<string, unknown>, unset: readonly string[]) => {
				state.updateRoom(id, set, unset);
			},
			remove: (id: string) => {
				state.removeRoom(id);
			},
		},
		users: {
			byId: (id: string) => state.userById(id),
			all: () => state.users,
		},
		departments: {
			byId: (id: string) => state.departments.find((department) => department._id === id),
		},
		omnichannel,
		fire: (interfaceName: string, payload: unknown) => cluster.fire(instance, interfaceName, payload),
		fullRoom: (room: StoredRoom | string) => (typeof room === 'string' ? state.fullRoom(room) : state.convertFull(room)),
		appUser: (user: WorkspaceUser) => state.appUser(user),
		appDepartment: (id: string) => state.appDepartment(id),
	});
	const contexts = new Map<number, Record<string, unknown>>();
	return async (instance, request) => {
		const ctx = contexts.get(instance) ?? context(instance);
		contexts.set(instance, ctx);
		return actions.routeOmnichannel(ctx, request);
	};
}
