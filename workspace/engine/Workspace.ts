/**
 * The local workspace: a stand-in for a Rocket.Chat server that runs the packaged app in the real Apps-Engine
 * runtime (a Deno subprocess), grants it exactly the permissions its `app.json` declares, and serves it over HTTP
 * the way Rocket.Chat does. Tests start one each, with their own data, on a free port.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import AdmZip from 'adm-zip';
import { AppManager } from '@rocket.chat/apps-engine/server/AppManager';
import { AppStatusUtils } from '@rocket.chat/apps-engine/definition/AppStatus';
import { SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import type { IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { WorkspaceData, WorkspaceUser } from '../data/types';
import { WorkspaceBridges } from './bridges';
import { MemoryLogStorage, MemoryMetadataStorage, MemorySourceStorage } from './storages';
import type { Notification } from './state';
import { WorkspaceState } from './state';
import { denoBinary } from '../setup/deno-bin';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

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

/** The roles that Rocket.Chat's default permission table grants `view-l-room`. */
export const VIEW_L_ROOM_ROLES: readonly string[] = ['admin', 'livechat-manager', 'livechat-monitor', 'livechat-agent'];

/** Makes the `deno` of the npm package the one the engine spawns (it runs `deno` from PATH). */
function putDenoOnPath(): void {
	const dir = path.dirname(denoBinary());
	const parts = (process.env.PATH ?? '').split(path.delimiter);
	if (parts[0] !== dir) process.env.PATH = [dir, ...parts].join(path.delimiter);
}

export class Workspace {
	public readonly state: WorkspaceState;

	public readonly bridges: WorkspaceBridges;

	public readonly manager: AppManager;

	private readonly tempDir: string;

	private app?: InstalledApp;

	/** Errors the app logged (the engine's log storage), newest last. */
	public readonly appErrors: string[] = [];

	constructor(data: WorkspaceData) {
		putDenoOnPath();
		// Under NODE_ENV "test" (which jest sets) the engine's permission manager grants every app permission. The
		// workspace must enforce exactly what app.json declares, as a production server does.
		if (process.env.NODE_ENV === 'test') process.env.NODE_ENV = 'development';
		this.state = new WorkspaceState(data);
		this.bridges = new WorkspaceBridges(this.state);
		this.tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livechat-rooms-workspace-'));
		// The engine keeps one AppManager per process as a guard, and nothing reads it back; several workspaces (tests,
		// the benchmark's sizes) may live in one process, each with its own manager.
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

	/**
	 * Installs and enables the packaged app, granting exactly the permissions its `app.json` declares (or, for tests
	 * that prove each one is needed, the list given).
	 */
	public async install(zip: Buffer, permissionsGranted?: Array<{ name: string }>): Promise<InstalledApp> {
		await this.manager.load();
		const info = JSON.parse(new AdmZip(zip).readAsText('app.json')) as InstalledApp;
		const installer = this.state.appUser(this.state.users.find((u) => u.roles.includes('admin'))) ?? ({ id: 'installer', username: 'installer' } as Any);
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

	/** Whether the app registered an endpoint at this path, and whether it requires authentication. */
	public endpoint(appId: string, endpointPath: string): { authRequired: boolean } | undefined {
		return this.bridges.apis.get(appId)?.get(endpointPath);
	}

	/** Runs an app's endpoint as the HTTP front would (by default the installed app's). */
	public async callEndpoint(endpointPath: string, request: IApiRequest, appId: string = this.installed.id): Promise<IApiResponse> {
		return this.manager.getApiManager().executeApi(appId, endpointPath, request);
	}

	/** `commands.run`: the command's permission checked against Rocket.Chat's default table, then run as the caller. */
	public async runCommand(user: WorkspaceUser, command: string, params: string, roomId?: string): Promise<CommandOutcome> {
		const registered = this.bridges.commands.get(command);
		if (!registered) {
			return { status: 400, body: { success: false, error: 'The command provided does not exist (or is disabled).' } };
		}
		if (registered.permission && !this.hasPermission(user, registered.permission)) {
			return { status: 403, body: { success: false, error: 'unauthorized' } };
		}
		const sender = this.state.appUser(user) as IUser;
		const room = (roomId && this.state.appRoom(roomId)) || this.defaultRoom();
		// Rocket.Chat splits the parameters on single spaces and hands the app the pieces.
		const args = params.length === 0 || params === ' ' ? [] : params.split(' ');
		const context = new SlashCommandContext(sender, room as Any as IRoom, args);
		const { notifications } = await this.state.collectNotifications(user._id, () =>
			this.manager.getCommandManager().executeCommand(command, context),
		);
		return { status: 200, body: { success: true, notifications } };
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
	 * Disables the app, stops its Deno subprocess and waits until it has exited, then forgets the temporary files.
	 * (The engine's own unload neither waits for the process nor stops the liveness pings that would hit it.)
	 */
	public async stop(): Promise<void> {
		const controller = this.app ? (this.manager.getOneById(this.app.id)?.getRuntimeController() as Any) : undefined;
		const deno = controller?.deno;
		controller?.livenessManager?.stop();
		deno?.stdin?.on('error', () => undefined);
		try {
			await this.manager.unload(false);
			if (deno && deno.exitCode === null && deno.signalCode === null) {
				await new Promise((resolve) => {
					deno.once('exit', resolve);
					deno.kill('SIGKILL');
				});
			}
		} finally {
			fs.rmSync(this.tempDir, { recursive: true, force: true });
		}
	}
}

export type { Notification };
