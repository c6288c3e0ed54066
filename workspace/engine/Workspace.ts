/**
 * One instance of the local workspace: an Apps-Engine `AppManager` with the packaged app running in its own Deno
 * subprocess, over the cluster's shared store (reached through a `Host`). It grants the app exactly the permissions
 * its `app.json` declares. Instance 1 runs in the main thread; the others each in a worker thread (the engine allows
 * one `AppManager` per thread's module registry), driven from the main thread through `EngineInstance`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import AdmZip from 'adm-zip';
import { AppManager } from '@rocket.chat/apps-engine/server/AppManager';
import { AppStatus, AppStatusUtils } from '@rocket.chat/apps-engine/definition/AppStatus';
import { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';
import { SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import type { IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { WorkspaceUser } from '../data/types';
import type { Host, RoomsAs } from './bridges';
import { WorkspaceBridges, plain } from './bridges';
import { MemoryLogStorage, MemoryMetadataStorage, MemorySourceStorage } from './storages';
import type { Notification, WorkspaceState } from './state';
import { denoBinary } from '../setup/deno-bin';
import type { Any } from '../loose';

export interface InstalledApp {
	id: string;
	name: string;
	version: string;
	permissions: Array<{ name: string }>;
}

export interface CommandOutcome {
	status: number;
	body: Record<string, unknown>;
}

/** What a UIKit interaction came back with: the app's answer, and what it sent the user meanwhile. */
export interface InteractionOutcome {
	result: unknown;
	interactions: Array<Record<string, unknown>>;
	notifications: Notification[];
}

/** What the main thread can ask of any instance, in its own thread or in a worker. */
export interface EngineInstance {
	readonly instance: number;
	install(zip: Buffer, permissionsGranted?: Array<{ name: string }>): Promise<InstalledApp>;
	appStatus(): Promise<string | undefined>;
	endpointInfo(appId: string, endpointPath: string): Promise<{ authRequired: boolean } | undefined>;
	callEndpoint(endpointPath: string, request: IApiRequest, appId?: string): Promise<IApiResponse>;
	runCommand(user: WorkspaceUser, command: string, params: string, roomId?: string, triggerId?: string): Promise<CommandOutcome>;
	actionButtons(): Promise<Array<Record<string, unknown>>>;
	fire(interfaceName: string, payload: unknown): Promise<void>;
	appSettings(appId: string): Promise<Array<Record<string, unknown>>>;
	updateSetting(appId: string, setting: Record<string, unknown>): Promise<void>;
	uiInteraction(userId: string, interaction: Record<string, unknown>): Promise<InteractionOutcome>;
	runProcessor(processorId: string, context: Record<string, unknown>): Promise<void>;
	restartRuntime(): Promise<void>;
	setEnabled(enabled: boolean): Promise<void>;
	pid(): Promise<number | undefined>;
	errors(): Promise<string[]>;
	stop(): Promise<void>;
}

export interface InstanceOptions {
	instance: number;
	roomsAs: RoomsAs;
	/** Called when the app's setting changed here, so the cluster can tell the other instances. */
	onSettingChanged?: (appId: string, setting: Record<string, unknown>) => void;
}

/** The roles that Rocket.Chat's default permission table grants `view-l-room`. */
export const VIEW_L_ROOM_ROLES: readonly string[] = ['admin', 'livechat-manager', 'livechat-monitor', 'livechat-agent'];

/** Makes the `deno` of the npm package the one the engine spawns (it runs `deno` from PATH). */
function putDenoOnPath(): void {
	const dir = path.dirname(denoBinary());
	const parts = (process.env.PATH ?? '').split(path.delimiter);
	if (parts[0] !== dir) process.env.PATH = [dir, ...parts].join(path.delimiter);
}

/** Stops a Deno runtime controller's subprocess and waits for it to exit. */
async function killRuntime(controller: Any): Promise<void> {
	const deno = controller?.deno;
	controller?.livenessManager?.stop();
	deno?.stdin?.on('error', () => undefined);
	if (deno && deno.exitCode === null && deno.signalCode === null) {
		await new Promise((resolve) => {
			deno.once('exit', resolve);
			deno.kill('SIGKILL');
		});
	}
}

/**
 * The events whose listeners the engine's `executeListener` (Apps-Engine 1.62.0) starts without awaiting them, and
 * the listener manager's method that runs them and resolves once every app's listener finished.
 */
export const NOT_AWAITED_BY_EXECUTE_LISTENER: Readonly<Record<string, string>> = {
	IPostMessageSent: 'executePostMessageSent',
	IPostSystemMessageSent: 'executePostSystemMessageSent',
	IPostMessageDeleted: 'executePostMessageDelete',
	IPostMessageUpdated: 'executePostMessageUpdated',
	IPostRoomCreate: 'executePostRoomCreate',
	IPostRoomDeleted: 'executePostRoomDeleted',
	IPostExternalComponentOpened: 'executePostExternalComponentOpened',
	IPostExternalComponentClosed: 'executePostExternalComponentClosed',
};

export class Workspace implements EngineInstance {
	public readonly bridges: WorkspaceBridges;

	public readonly manager: AppManager;

	public readonly instance: number;

	private readonly tempDir: string;

	private app?: InstalledApp;

	/** Errors the app logged (the engine's log storage), newest last. */
	public readonly appErrors: string[] = [];

	constructor(
		private readonly sharedState: WorkspaceState | undefined,
		private readonly host: Host,
		options: InstanceOptions,
	) {
		putDenoOnPath();
		// Under NODE_ENV "test" (which jest sets) the engine's permission manager grants every app permission. The
		// workspace must enforce exactly what app.json declares, as a production server does.
		if (process.env.NODE_ENV === 'test') process.env.NODE_ENV = 'development';
		this.instance = options.instance;
		this.bridges = new WorkspaceBridges(host, options);
		this.tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livechat-rooms-workspace-'));
		// The engine keeps one AppManager per process as a guard; several workspaces (tests, the benchmark's sizes) may
		// live one after the other in one thread, each with its own manager.
		(AppManager as Any).Instance = undefined;
		this.manager = new AppManager({
			metadataStorage: new MemoryMetadataStorage(),
			logStorage: new MemoryLogStorage((entry) => {
				for (const line of entry.entries ?? []) {
					if (line.severity === 'error') this.appErrors.push(JSON.stringify(line.args));
				}
			}),
			bridges: this.bridges,
			sourceStorage: new MemorySourceStorage(),
			tempFilePath: this.tempDir,
		});
	}

	/** The shared store (main-thread instance only: tests and the CLI read and change it directly). */
	public get state(): WorkspaceState {
		if (!this.sharedState) throw new Error('the shared store lives in the main thread');
		return this.sharedState;
	}

	/**
	 * Installs and enables the packaged app, granting exactly the permissions its `app.json` declares (or, for tests
	 * that prove each one is needed, the list given).
	 */
	public async install(zip: Buffer, permissionsGranted?: Array<{ name: string }>): Promise<InstalledApp> {
		await this.manager.load();
		const info = JSON.parse(new AdmZip(zip).readAsText('app.json')) as InstalledApp;
		const installer = (await this.host.store('installer')) ?? ({ id: 'installer', username: 'installer' } as Any);
		const result = await this.manager.add(zip, { enable: true, user: installer as IUser, permissionsGranted: permissionsGranted ?? info.permissions });
		const app = result.getApp();
		const status = app ? await app.getStatus() : undefined;
		if (!app || !status || !AppStatusUtils.isEnabled(status)) {
			const why = [result.getStorageError(), (result.getAppUserError() as Any)?.message, status].filter(Boolean);
			throw new Error(`the app did not start: ${why.join('; ') || 'unknown reason'}`);
		}
		this.app = { id: info.id, name: info.name, version: info.version, permissions: info.permissions };
		return this.app;
	}

	public get installed(): InstalledApp {
		if (!this.app) throw new Error('no app installed');
		return this.app;
	}

	public async appStatus(): Promise<string | undefined> {
		if (!this.app) return undefined;
		return this.manager.getOneById(this.app.id)?.getStatus();
	}

	/** The process id of the app's Deno runtime (tests check it never restarts). */
	public runtimePid(): number | undefined {
		if (!this.app) return undefined;
		const controller = this.manager.getOneById(this.app.id)?.getRuntimeController() as Any;
		return controller?.deno?.pid;
	}

	public async pid(): Promise<number | undefined> {
		return this.runtimePid();
	}

	public async errors(): Promise<string[]> {
		return [...this.appErrors];
	}

	/** Whether the app registered an endpoint at this path, and whether it requires authentication. */
	public endpoint(appId: string, endpointPath: string): { authRequired: boolean } | undefined {
		return this.bridges.apis.get(appId)?.get(endpointPath);
	}

	public async endpointInfo(appId: string, endpointPath: string): Promise<{ authRequired: boolean } | undefined> {
		const found = this.endpoint(appId, endpointPath);
		return found && { authRequired: found.authRequired };
	}

	/** Runs an app's endpoint as the HTTP front would (by default the installed app's). */
	public async callEndpoint(endpointPath: string, request: IApiRequest, appId: string = this.installed.id): Promise<IApiResponse> {
		return this.manager.getApiManager().executeApi(appId, endpointPath, request);
	}

	/**
	 * `commands.run`: the command's permission checked against Rocket.Chat's default table, then run as the caller, with
	 * the `triggerId` the client sent (Rocket.Chat hands it to the command's context as it came). Answers the messages
	 * and the UIKit interactions (views opened, updated) the app sent the caller meanwhile.
	 */
	public async runCommand(user: WorkspaceUser, command: string, params: string, roomId?: string, triggerId?: string): Promise<CommandOutcome> {
		const registered = this.bridges.commands.get(command);
		if (!registered) {
			return { status: 400, body: { success: false, error: 'The command provided does not exist (or is disabled).' } };
		}
		if (registered.permission && !this.hasPermission(user, registered.permission)) {
			return { status: 403, body: { success: false, error: 'unauthorized' } };
		}
		const sender = (await this.host.store('appUser', user)) as IUser;
		const room = (roomId && (await this.host.store('fullRoom', roomId))) || this.defaultRoom();
		// Rocket.Chat splits the parameters on single spaces and hands the app the pieces.
		const args = params.length === 0 || params === ' ' ? [] : params.split(' ');
		const context = new SlashCommandContext(sender, room as Any as IRoom, args, undefined, triggerId);
		let interactions: Array<Record<string, unknown>> = [];
		const { items } = await this.bridges.notifications.collect(user._id, async () => {
			const outcome = await this.bridges.interactions.collect(user._id, () => this.manager.getCommandManager().executeCommand(command, context));
			interactions = outcome.items;
		});
		return { status: 200, body: { success: true, notifications: items, interactions } };
	}

	/** Every enabled app's action buttons, as `GET /api/apps/actionButtons` lists them (the engine's own list). */
	public async actionButtons(): Promise<Array<Record<string, unknown>>> {
		return plain((await this.manager.getUIActionButtonManager().getAllActionButtons()) as Any);
	}

	public hasPermission(user: WorkspaceUser, permission: string): boolean {
		if (permission === 'view-l-room') return user.roles.some((role) => VIEW_L_ROOM_ROLES.includes(role));
		return user.roles.includes('admin');
	}

	private defaultRoom(): Record<string, unknown> {
		return {
			id: 'GENERAL',
			slugifiedName: 'general',
			displayName: 'general',
			type: 'c',
			isDefault: true,
			isReadOnly: false,
			displaySystemMessages: true,
			messageCount: 0,
			createdAt: new Date('2026-01-01T00:00:00.000Z'),
		};
	}

	/**
	 * Runs the app's listeners for this event in this instance's runtime and waits until they finished, so that the
	 * action that fired it answers only afterwards (an app may rely on "a change this instance saw as an event shows in
	 * its very next answer"). An error is logged, never thrown back to the action that fired it: Rocket.Chat fires and
	 * forgets.
	 *
	 * The engine's `executeListener` starts some "post" events (a message sent, a system message sent, ...) without
	 * waiting for them; for those the listener manager's own method, which does wait, is called directly.
	 */
	public async fire(interfaceName: string, payload: unknown): Promise<void> {
		if (!(interfaceName in AppInterface)) {
			console.error(`[instance ${this.instance}] unknown app event ${interfaceName}`);
			return;
		}
		const listeners = this.manager.getListenerManager() as Any;
		try {
			const direct = NOT_AWAITED_BY_EXECUTE_LISTENER[interfaceName];
			if (direct) {
				// The same guard `executeListener` applies before anything else.
				if (listeners.isEventBlocked(interfaceName)) throw new Error('There is one or more apps that are essential to this event but are disabled');
				await listeners[direct](payload);
			} else {
				await listeners.executeListener(interfaceName, payload);
			}
		} catch (error) {
			console.error(`[instance ${this.instance}] the app's ${interfaceName} listener failed:`, (error as Error)?.message ?? error);
		}
	}

	/** The app's settings, as Rocket.Chat's apps REST API lists them (`GET /api/apps/<id>/settings`). */
	public async appSettings(appId: string): Promise<Array<Record<string, unknown>>> {
		const app = this.manager.getOneById(appId);
		if (!app) throw new Error('No App found by the provided id.');
		return plain(Object.values(app.getStorageItem().settings ?? {}) as Any);
	}

	/** Changes one setting here: the engine stores it and runs the app's settings-updated hooks. */
	public async updateSetting(appId: string, setting: Record<string, unknown>): Promise<void> {
		await this.manager.getSettingsManager().updateAppSetting(appId, setting as Any);
	}

	/** Carries a UIKit interaction to the app; answers what the app answered and what it sent the user meanwhile. */
	public async uiInteraction(userId: string, interaction: Record<string, unknown>): Promise<InteractionOutcome> {
		let interactions: Array<Record<string, unknown>> = [];
		const { result, items: notifications } = await this.bridges.notifications.collect(userId, async () => {
			const outcome = await this.bridges.interactions.collect(userId, () =>
				this.manager.getListenerManager().executeListener(AppInterface.IUIKitInteractionHandler as Any, interaction as Any),
			);
			interactions = outcome.items;
			return outcome.result;
		});
		return { result: plain(result), interactions, notifications };
	}

	/** Runs one of the app's job processors in this runtime (the cluster's scheduler picked this instance). */
	public async runProcessor(processorId: string, context: Record<string, unknown>): Promise<void> {
		const processor = this.bridges.processors.get(processorId);
		if (!processor) throw new Error(`Processor ${processorId} not available`);
		await processor(context);
	}

	private controller(): Any {
		return this.app ? this.manager.getOneById(this.app.id)?.getRuntimeController() : undefined;
	}

	/**
	 * Restarts the app's Deno runtime as the engine does when the subprocess dies or stops answering: a new subprocess,
	 * the app constructed, initialized and enabled again; whatever it held in memory is lost. Persistence and jobs,
	 * in the shared store, survive; the processors and endpoints it registered stay registered, as in the engine.
	 */
	public async restartRuntime(): Promise<void> {
		await this.controller().restartApp();
	}

	/** Disables or enables the app in this instance, as an administrator does. */
	public async setEnabled(enabled: boolean): Promise<void> {
		if (enabled) await this.manager.enable(this.installed.id);
		else await this.manager.disable(this.installed.id, AppStatus.MANUALLY_DISABLED);
	}

	/**
	 * Disables the app, stops its Deno subprocess and waits until it has exited, then forgets the temporary files.
	 * (The engine's own unload neither waits for the process nor stops the liveness pings that would hit it.)
	 */
	public async stop(): Promise<void> {
		const controller = this.controller();
		controller?.livenessManager?.stop();
		controller?.deno?.stdin?.on('error', () => undefined);
		try {
			await this.manager.unload(false);
			await killRuntime(controller);
		} finally {
			fs.rmSync(this.tempDir, { recursive: true, force: true });
		}
	}
}

export type { Notification };
