/**
 * The bridges through which the Apps-Engine reaches "the server". Only what this app uses is implemented, the way
 * Rocket.Chat implements it; any other bridge method is absent, so a call to it fails loudly inside the engine
 * instead of answering something made up.
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
	ServerSettingBridge,
	UserBridge,
} from '@rocket.chat/apps-engine/server/bridges';
import type { ISlashCommand } from '@rocket.chat/apps-engine/definition/slashcommands';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import { convertRoomToAppRaw } from './converter';
import type { WorkspaceState } from './state';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
type Methods = Record<string, (...args: Any[]) => unknown>;

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

export class WorkspaceBridges extends AppBridges {
	private readonly keys = generateKeyPairSync('rsa', {
		modulusLength: 2048,
		publicKeyEncoding: { type: 'spki', format: 'pem' },
		privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
	});

	private readonly bridges: Record<string, Any>;

	/** Endpoints the app registered, by app id then path. */
	public readonly apis = new Map<string, Map<string, RegisteredApi>>();

	/** Slash commands the app registered, by command word. */
	public readonly commands = new Map<string, ISlashCommand>();

	constructor(state: WorkspaceState) {
		super();
		const { apis, commands, keys } = this;
		this.bridges = {
			room: bridge(RoomBridge, {
				getAllRooms: async (filters: { types?: string[] } = {}, options: { limit?: number; skip?: number } = {}) => {
					const limit = options.limit ?? 100;
					const skip = options.skip ?? 0;
					if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new Error(`invalid limit ${limit}`);
					if (!Number.isInteger(skip) || skip < 0) throw new Error(`invalid skip ${skip}`);
					return state.roomsOfTypes(filters.types, skip, limit).map(convertRoomToAppRaw);
				},
				getById: async (roomId: string) => state.appRoom(roomId),
			}),
			livechat: bridge(LivechatBridge, {
				findDepartmentByIdOrName: async (value: string) => state.appDepartment(value),
			}),
			user: bridge(UserBridge, {
				getById: async (id: string) => state.appUser(state.userById(id)),
				getByUsername: async (username: string) => state.appUser(state.userByUsername(username)),
				getAppUser: async () => state.appBotUser(),
				create: async (data: Partial<IUser>) => state.createAppUser(data),
				remove: async () => true,
			}),
			message: bridge(MessageBridge, {
				notifyUser: async (user: IUser, message: Any) => state.notify(user, message),
			}),
			api: bridge(ApiBridge, {
				registerApi: async ({ endpoint }: Any, appId: string) => {
					const byPath = apis.get(appId) ?? new Map<string, RegisteredApi>();
					byPath.set(endpoint.path, { path: endpoint.path, authRequired: Boolean(endpoint.authRequired) });
					apis.set(appId, byPath);
				},
				unregisterApis: async (appId: string) => {
					apis.delete(appId);
				},
			}),
			command: bridge(CommandBridge, {
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
			activation: bridge(AppActivationBridge, {
				appAdded: async () => undefined,
				appUpdated: async () => undefined,
				appRemoved: async () => undefined,
				appStatusChanged: async () => undefined,
				actionsChanged: async () => undefined,
			}),
			serverSetting: bridge(ServerSettingBridge, {
				getOneById: async (id: string) => state.serverSetting(id),
				isReadableById: async (id: string) => state.serverSetting(id) !== undefined,
				getAll: async () => state.serverSettings(),
			}),
			environment: bridge(EnvironmentalVariableBridge, {
				getValueByName: async () => undefined,
				isReadable: async () => false,
				isSet: async () => false,
			}),
			detailChanges: bridge(AppDetailChangesBridge, { onAppSettingsChange: () => undefined }),
			persistence: bridge(PersistenceBridge, { purge: async () => undefined }),
			federation: {
				getPrivateKey: async () => keys.privateKey,
				getPublicKey: async () => keys.publicKey,
			},
		};
	}

	public getCommandBridge(): Any { return this.bridges.command; }
	public getApiBridge(): Any { return this.bridges.api; }
	public getAppDetailChangesBridge(): Any { return this.bridges.detailChanges; }
	public getEnvironmentalVariableBridge(): Any { return this.bridges.environment; }
	public getLivechatBridge(): Any { return this.bridges.livechat; }
	public getMessageBridge(): Any { return this.bridges.message; }
	public getPersistenceBridge(): Any { return this.bridges.persistence; }
	public getAppActivationBridge(): Any { return this.bridges.activation; }
	public getRoomBridge(): Any { return this.bridges.room; }
	public getInternalFederationBridge(): Any { return this.bridges.federation; }
	public getServerSettingBridge(): Any { return this.bridges.serverSetting; }
	public getUserBridge(): Any { return this.bridges.user; }
	public getContactBridge(): Any { return absent('ContactBridge'); }
	public getHttpBridge(): Any { return absent('HttpBridge'); }
	public getListenerBridge(): Any { return absent('ListenerBridge'); }
	public getInternalBridge(): Any { return absent('InternalBridge'); }
	public getUploadBridge(): Any { return absent('UploadBridge'); }
	public getEmailBridge(): Any { return absent('EmailBridge'); }
	public getUiInteractionBridge(): Any { return absent('UiInteractionBridge'); }
	public getSchedulerBridge(): Any { return absent('SchedulerBridge'); }
	public getCloudWorkspaceBridge(): Any { return absent('CloudWorkspaceBridge'); }
	public getVideoConferenceBridge(): Any { return absent('VideoConferenceBridge'); }
	public getOAuthAppsBridge(): Any { return absent('OAuthAppsBridge'); }
	public getModerationBridge(): Any { return absent('ModerationBridge'); }
	public getThreadBridge(): Any { return absent('ThreadBridge'); }
	public getRoleBridge(): Any { return absent('RoleBridge'); }
	public getOutboundMessageBridge(): Any { return absent('OutboundMessageBridge'); }
	public getExperimentalBridge(): Any { return absent('ExperimentalBridge'); }
}
