/**
 * The bridges through which the Apps-Engine reaches "the server". Only what an app of this project uses is
 * implemented, the way Rocket.Chat implements it; any other bridge method is absent, so a call to it fails loudly
 * inside the engine instead of answering something made up. Everything shared by the cluster (rooms, users,
 * persistence, the scheduler's jobs) is reached through the `Host`: directly in the main thread, over a message
 * channel from a worker thread. What belongs to one instance (registered endpoints and commands, job processors,
 * messages and views collected for a caller) stays here.
 */
import { generateKeyPairSync } from 'crypto';

import {
	ApiBridge,
	AppActivationBridge,
	AppBridges,
	AppDetailChangesBridge,
	CommandBridge,
	EnvironmentalVariableBridge,
	LivechatBridge,
	MessageBridge,
	PersistenceBridge,
	RoomBridge,
	SchedulerBridge,
	ServerSettingBridge,
	UiInteractionBridge,
	UserBridge,
} from '@rocket.chat/apps-engine/server/bridges';
import type { ISlashCommand } from '@rocket.chat/apps-engine/definition/slashcommands';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { convertRoomToAppRaw, projectRoom } from './converter';
import type { PersistenceStore } from './persistence';
import type { Scheduler } from './scheduler';
import type { WorkspaceState } from './state';
import { isDate } from './dates';
import type { Any } from '../loose';

type Methods = Record<string, (...args: Any[]) => unknown>;
type Fn = (...args: Any[]) => unknown;
type MethodOf<T> = { [K in keyof T]: T[K] extends Fn ? K : never }[keyof T];
type Call<T> = <K extends MethodOf<T>>(
	method: K,
	...args: T[K] extends Fn ? Parameters<T[K]> : never
) => Promise<T[K] extends Fn ? Awaited<ReturnType<T[K]>> : never>;

/** The cluster's shared side, as an instance reaches it. */
export interface Host {
	store: Call<WorkspaceState>;
	persistence: Call<PersistenceStore>;
	scheduler: Call<Scheduler>;
}

/** How `getAllRooms` reads stored rooms: through Rocket.Chat 8.x's projection (the default), or every field. */
export type RoomsAs = 'projected' | 'full';

/** Collects what the app sends each user (messages, UIKit interactions) while a caller waits for it. */
export class Collector<T> {
	private readonly listeners = new Map<string, Set<(item: T) => void>>();

	public async collect<R>(userId: string, run: () => Promise<R>): Promise<{ result: R; items: T[] }> {
		const items: T[] = [];
		const listener = (item: T): void => {
			items.push(item);
		};
		const set = this.listeners.get(userId) ?? new Set();
		set.add(listener);
		this.listeners.set(userId, set);
		try {
			const result = await run();
			return { result, items };
		} finally {
			set.delete(listener);
		}
	}

	public push(userId: string | undefined, item: T): void {
		for (const listener of this.listeners.get(userId ?? '') ?? []) listener(item);
	}
}

/** A concrete bridge: the engine's abstract class with the given methods; the others stay absent. */
function bridge<T>(Base: abstract new (...args: Any[]) => T, methods: Methods): T {
	const Concrete = class extends (Base as unknown as new () => object) {};
	Object.assign(Concrete.prototype, methods);
	return new Concrete() as T;
}

/** An object that says which bridge method was called, for bridges this app never uses. */
function absent(name: string): Any {
	return new Proxy(
		{},
		{
			get: (_target, method) => {
				if (method === 'then') return undefined;
				return () => {
					throw new Error(`the local workspace does not provide ${name}.${String(method)}`);
				};
			},
		},
	);
}

export interface RegisteredApi {
	path: string;
	authRequired: boolean;
}

export interface BridgeOptions {
	instance: number;
	roomsAs: RoomsAs;
	/** Called when the app changes one of its settings, so that the other instances hear of it. */
	onSettingChanged?: (appId: string, setting: Record<string, unknown>) => void;
}

/** The engine's getter of each bridge (`getRoomBridge`, ...): the workspace answers every one of them. */
type BridgeGetter = Extract<keyof AppBridges, `get${string}Bridge`>;

/** The engine's abstract class, its getters installed by the constructor from `bridges`. */
const Bridges = AppBridges as unknown as new () => { [G in BridgeGetter]: AppBridges[G] };

export class WorkspaceBridges extends Bridges {
	private readonly keys = generateKeyPairSync('rsa', {
		modulusLength: 2048,
		publicKeyEncoding: { type: 'spki', format: 'pem' },
		privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
	});

	/** Every bridge, by the engine's getter that asks for it (a type error when the engine adds one). */
	private readonly bridges: Record<BridgeGetter, Any>;

	/** Endpoints the app registered, by app id then path. */
	public readonly apis = new Map<string, Map<string, RegisteredApi>>();

	/** Slash commands the app registered, by command word. */
	public readonly commands = new Map<string, ISlashCommand>();

	/** Job processors the app registered in this instance's runtime, by name (`<id>_<app id>`). */
	public readonly processors = new Map<string, (context: Record<string, unknown>) => Promise<void>>();

	/** Messages the app sent each user with `notifyUser`. */
	public readonly notifications = new Collector<Record<string, unknown>>();

	/** UIKit interactions (views opened, updated, closed; errors) the app sent each user. */
	public readonly interactions = new Collector<Record<string, unknown>>();

	constructor(host: Host, options: BridgeOptions) {
		super();
		const { apis, commands, keys, processors, notifications, interactions } = this;
		const { instance, roomsAs } = options;
		const log = (error: unknown): undefined => {
			console.error(`[instance ${instance}] scheduler:`, (error as Error)?.message ?? error);
			return undefined;
		};
		this.bridges = {
			getRoomBridge: bridge(RoomBridge, {
				getAllRooms: async (filters: { types?: string[] } = {}, options: { limit?: number; skip?: number } = {}) => {
					const limit = options.limit ?? 100;
					const skip = options.skip ?? 0;
					if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new Error(`invalid limit ${limit}`);
					if (!Number.isInteger(skip) || skip < 0) throw new Error(`invalid skip ${skip}`);
					const rooms = await host.store('roomsOfTypes', filters.types, skip, limit);
					return rooms.map((room) => convertRoomToAppRaw(roomsAs === 'full' ? room : projectRoom(room)));
				},
				getById: async (roomId: string) => host.store('roomById', roomId),
			}),
			getLivechatBridge: bridge(LivechatBridge, {
				findDepartmentByIdOrName: async (value: string) => host.store('appDepartment', value),
				findDepartmentsEnabledWithAgents: async () => host.store('departmentsEnabledWithAgents'),
			}),
			getUserBridge: bridge(UserBridge, {
				getById: async (id: string) => host.store('appUserById', id),
				getByUsername: async (username: string) => host.store('appUser', await host.store('userByUsername', username)),
				getAppUser: async () => host.store('appBotUser'),
				create: async (data: Partial<IUser>) => host.store('createAppUser', plain(data)),
				remove: async () => true,
			}),
			getMessageBridge: bridge(MessageBridge, {
				notifyUser: async (user: IUser, message: Any) => {
					const { text, blocks } = message ?? {};
					const item = plain({ text, blocks });
					notifications.push(user?.id, item);
					if (user?.id) await host.store('deliver', user.id, 'notifications', item);
				},
			}),
			getUiInteractionBridge: bridge(UiInteractionBridge, {
				notifyUser: async (user: IUser, interaction: Any) => {
					const item = plain(interaction);
					interactions.push(user?.id, item);
					if (user?.id) await host.store('deliver', user.id, 'interactions', item);
				},
			}),
			getPersistenceBridge: bridge(PersistenceBridge, {
				purge: async (appId: string) => host.persistence('purge', appId),
				create: async (data: object, appId: string) => host.persistence('create', plain(data), appId),
				createWithAssociations: async (data: object, associations: Any[], appId: string) =>
					host.persistence('createWithAssociations', plain(data), plain(associations), appId),
				readById: async (id: string, appId: string) => host.persistence('readById', id, appId),
				readByAssociations: async (associations: Any[], appId: string) => host.persistence('readByAssociations', plain(associations), appId),
				remove: async (id: string, appId: string) => host.persistence('remove', id, appId),
				removeByAssociations: async (associations: Any[], appId: string) => host.persistence('removeByAssociations', plain(associations), appId),
				update: async (id: string, data: object, upsert: boolean, appId: string) => host.persistence('update', id, plain(data), upsert, appId),
				updateByAssociations: async (associations: Any[], data: object, upsert: boolean, appId: string) =>
					host.persistence('updateByAssociations', plain(associations), plain(data), upsert, appId),
			}),
			getSchedulerBridge: bridge(SchedulerBridge, {
				registerProcessors: async (list: Array<{ id: string; processor: Any; startupSetting?: Any }> = [], appId: string) => {
					for (const { id, processor } of list) processors.set(id, processor);
					return host.scheduler(
						'registerProcessors',
						instance,
						list.map(({ id, startupSetting }) => plain({ id, startupSetting })),
						appId,
					);
				},
				scheduleOnce: async (job: Any, appId: string) => host.scheduler('scheduleOnce', plain(job), appId).catch(log),
				scheduleRecurring: async (job: Any, appId: string) => host.scheduler('scheduleRecurring', plain(job), appId).catch(log),
				cancelJob: async (jobId: string) => {
					await host.scheduler('cancelJob', jobId).catch(log);
				},
				cancelAllJobs: async (appId: string) => {
					await host.scheduler('cancelAllJobs', appId).catch(log);
				},
			}),
			getApiBridge: bridge(ApiBridge, {
				registerApi: async ({ endpoint }: Any, appId: string) => {
					const byPath = apis.get(appId) ?? new Map<string, RegisteredApi>();
					byPath.set(endpoint.path, { path: endpoint.path, authRequired: Boolean(endpoint.authRequired) });
					apis.set(appId, byPath);
				},
				unregisterApis: async (appId: string) => {
					apis.delete(appId);
				},
			}),
			getCommandBridge: bridge(CommandBridge, {
				doesCommandExist: async (command: string) => commands.has(command),
				registerCommand: async (command: ISlashCommand) => {
					commands.set(command.command, command);
				},
				unregisterCommand: async (command: string) => {
					commands.delete(command);
				},
				enableCommand: async () => undefined,
				disableCommand: async () => undefined,
				modifyCommand: async (command: ISlashCommand) => {
					commands.set(command.command, command);
				},
			}),
			getAppActivationBridge: bridge(AppActivationBridge, {
				appAdded: async () => undefined,
				appUpdated: async () => undefined,
				appRemoved: async () => undefined,
				appStatusChanged: async () => undefined,
				actionsChanged: async () => undefined,
			}),
			getServerSettingBridge: bridge(ServerSettingBridge, {
				getOneById: async (id: string) => host.store('serverSetting', id),
				isReadableById: async (id: string) => (await host.store('serverSetting', id)) !== undefined,
				getAll: async () => host.store('serverSettings'),
			}),
			getEnvironmentalVariableBridge: bridge(EnvironmentalVariableBridge, {
				getValueByName: async () => undefined,
				isReadable: async () => false,
				isSet: async () => false,
			}),
			getAppDetailChangesBridge: bridge(AppDetailChangesBridge, {
				onAppSettingsChange: (appId: string, setting: Record<string, unknown>) => options.onSettingChanged?.(appId, plain(setting)),
			}),
			getInternalFederationBridge: {
				getPrivateKey: async () => keys.privateKey,
				getPublicKey: async () => keys.publicKey,
			},
			// Bridges the app never uses: a call to any of their methods fails loudly.
			getContactBridge: absent('ContactBridge'),
			getHttpBridge: absent('HttpBridge'),
			getListenerBridge: absent('ListenerBridge'),
			getInternalBridge: absent('InternalBridge'),
			getUploadBridge: absent('UploadBridge'),
			getEmailBridge: absent('EmailBridge'),
			getCloudWorkspaceBridge: absent('CloudWorkspaceBridge'),
			getVideoConferenceBridge: absent('VideoConferenceBridge'),
			getOAuthAppsBridge: absent('OAuthAppsBridge'),
			getModerationBridge: absent('ModerationBridge'),
			getThreadBridge: absent('ThreadBridge'),
			getRoleBridge: absent('RoleBridge'),
			getOutboundMessageBridge: absent('OutboundMessageBridge'),
			getExperimentalBridge: absent('ExperimentalBridge'),
		};
		// The engine asks for each bridge by its getter.
		for (const [getter, provided] of Object.entries(this.bridges)) Object.defineProperty(this, getter, { value: () => provided });
	}
}

/**
 * A copy that can cross a thread boundary: plain data and `Date`s, without functions or class prototypes; also what
 * arrives from another thread, whose dates belong to another realm than the code that reads them (see `isDate`).
 */
export function plain<T>(value: T): T {
	if (isDate(value)) return new Date(value.getTime()) as T;
	if (ArrayBuffer.isView(value)) return value;
	if (Array.isArray(value)) return value.map(plain) as T;
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
			if (typeof item !== 'function' && item !== undefined) out[key] = plain(item);
		}
		return out as T;
	}
	return value;
}
