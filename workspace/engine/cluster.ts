/**
 * The main thread's side of the cluster: the shared store, persistence and scheduler, and a handle on every instance.
 * Instance 1 runs in the main thread (tests and the CLI keep direct access to it and to the store); instance k > 1 runs
 * in a worker thread whose bridges call back here.
 */
import * as path from 'path';
import { Worker } from 'worker_threads';

import type { IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';

import type { WorkspaceUser } from '../data/types';
import type { Host, RoomsAs } from './bridges';
import { plain } from './bridges';
import { Workspace } from './Workspace';
import type { CommandOutcome, EngineInstance, InstalledApp, InteractionOutcome } from './Workspace';
import { Scheduler } from './scheduler';
import type { WorkspaceState } from './state';
import type { Any } from '../loose';

/** The shared side as instance 1 reaches it: direct calls, always asynchronous like the worker's. */
export function mainHost(state: WorkspaceState, scheduler: Scheduler): Host {
	const call =
		(target: () => Any) =>
		(method: string, ...args: unknown[]): Promise<Any> =>
			Promise.resolve().then(() => target()[method](...args));
	return {
		store: call(() => state) as Host['store'],
		persistence: call(() => state.persistence) as Host['persistence'],
		scheduler: call(() => scheduler) as Host['scheduler'],
	};
}

/** An instance in a worker thread, driven over its message port. */
export class WorkerInstance implements EngineInstance {
	private readonly worker: Worker;

	private seq = 0;

	private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

	private readonly ready: Promise<void>;

	public alive = true;

	constructor(
		public readonly instance: number,
		roomsAs: RoomsAs,
		host: Host,
	) {
		const env = { ...process.env };
		if (env.NODE_ENV === 'test') env.NODE_ENV = 'development';
		this.worker = new Worker(path.join(__dirname, 'worker-bootstrap.js'), { workerData: { instance, roomsAs }, env });
		let onReady: () => void = () => undefined;
		let onFail: (error: Error) => void = () => undefined;
		this.ready = new Promise<void>((resolve, reject) => {
			onReady = resolve;
			onFail = reject;
		});
		this.worker.on('message', (message: Any) => {
			if (message.kind === 'ready') onReady();
			else if (message.kind === 'log') console[message.level === 'warn' ? 'warn' : 'error'](message.text);
			else if (message.kind === 'reply') {
				const waiting = this.pending.get(message.id);
				this.pending.delete(message.id);
				if (message.error !== undefined) waiting?.reject(new Error(message.error));
				else waiting?.resolve(plain(message.result));
			} else if (message.kind === 'host') {
				const target = (host as Any)[message.target] as (method: string, ...args: unknown[]) => Promise<unknown>;
				target(message.method, ...plain(message.args as unknown[])).then(
					(result) => this.worker.postMessage({ kind: 'host-reply', id: message.id, result: plain(result) }),
					(error: Error) => this.worker.postMessage({ kind: 'host-reply', id: message.id, error: error?.message ?? String(error) }),
				);
			}
		});
		const fail = (error: Error): void => {
			this.alive = false;
			onFail(error);
			for (const waiting of this.pending.values()) waiting.reject(error);
			this.pending.clear();
		};
		this.worker.on('error', fail);
		this.worker.on('exit', (code) => fail(new Error(`instance ${instance} exited (code ${code})`)));
	}

	private async call<T>(method: string, ...args: unknown[]): Promise<T> {
		await this.ready;
		if (!this.alive) throw new Error(`instance ${this.instance} is not running`);
		const id = ++this.seq;
		return new Promise<T>((resolve, reject) => {
			this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
			this.worker.postMessage({ kind: 'call', id, method, args });
		});
	}

	public install(zip: Buffer, permissionsGranted?: Array<{ name: string }>): Promise<InstalledApp> {
		return this.call('install', zip, permissionsGranted);
	}

	public appStatus(): Promise<string | undefined> {
		return this.call('appStatus');
	}

	public endpointInfo(appId: string, endpointPath: string): Promise<{ authRequired: boolean } | undefined> {
		return this.call('endpointInfo', appId, endpointPath);
	}

	public callEndpoint(endpointPath: string, request: IApiRequest, appId?: string): Promise<IApiResponse> {
		return this.call('callEndpoint', endpointPath, request, appId);
	}

	public runCommand(user: WorkspaceUser, command: string, params: string, roomId?: string, triggerId?: string): Promise<CommandOutcome> {
		return this.call('runCommand', user, command, params, roomId, triggerId);
	}

	public actionButtons(): Promise<Array<Record<string, unknown>>> {
		return this.call('actionButtons');
	}

	public fire(interfaceName: string, payload: unknown): Promise<void> {
		return this.call('fire', interfaceName, payload);
	}

	public appSettings(appId: string): Promise<Array<Record<string, unknown>>> {
		return this.call('appSettings', appId);
	}

	public updateSetting(appId: string, setting: Record<string, unknown>): Promise<void> {
		return this.call('updateSetting', appId, setting);
	}

	public uiInteraction(userId: string, interaction: Record<string, unknown>): Promise<InteractionOutcome> {
		return this.call('uiInteraction', userId, interaction);
	}

	public runProcessor(processorId: string, context: Record<string, unknown>): Promise<void> {
		return this.call('runProcessor', processorId, context);
	}

	public restartRuntime(): Promise<void> {
		return this.call('restartRuntime');
	}

	public setEnabled(enabled: boolean): Promise<void> {
		return this.call('setEnabled', enabled);
	}

	public pid(): Promise<number | undefined> {
		return this.call('pid');
	}

	public errors(): Promise<string[]> {
		return this.call('errors');
	}

	public async stop(): Promise<void> {
		if (this.alive) {
			await this.call('stop').catch(() => undefined);
			this.alive = false;
		}
		await this.worker.terminate();
	}
}

export interface ClusterOptions {
	instances: number;
	roomsAs: RoomsAs;
	/** How often the scheduler looks for due jobs, in ms (0: only when told, with `scheduler.runDue()`). */
	schedulerPollMs: number;
}

/**
 * The cluster: one shared store, persistence and scheduler, and N instances, each its own engine and Deno runtime.
 * Instance k is `instances[k - 1]`; instance 1 is `main`, in this thread.
 */
export class Cluster {
	public readonly scheduler: Scheduler;

	public readonly main: Workspace;

	public readonly instances: EngineInstance[];

	/** The app installed on every instance. */
	public app?: InstalledApp;

	private stopped = false;

	constructor(
		public readonly state: WorkspaceState,
		options: ClusterOptions,
	) {
		this.scheduler = new Scheduler(
			{
				isLive: (k) => !this.stopped && (k === 1 || (this.instances[k - 1] as WorkerInstance | undefined)?.alive === true),
				run: (k, processorId, context) => this.instance(k).runProcessor(processorId, context),
			},
			options.schedulerPollMs,
		);
		const host = mainHost(state, this.scheduler);
		this.main = new Workspace(state, host, { instance: 1, roomsAs: options.roomsAs });
		this.instances = [this.main];
		for (let k = 2; k <= options.instances; k++) this.instances.push(new WorkerInstance(k, options.roomsAs, host));
	}

	public instance(k: number): EngineInstance {
		const found = this.instances[k - 1];
		if (!found) throw new Error(`no instance ${k} (the cluster has ${this.instances.length})`);
		return found;
	}

	/** Installs and enables the app on every instance, as Rocket.Chat broadcasts an install to the cluster. */
	public async install(zip: Buffer, permissionsGranted?: Array<{ name: string }>): Promise<InstalledApp> {
		const [first] = await Promise.all(this.instances.map((instance) => instance.install(zip, permissionsGranted)));
		this.app = first;
		return first;
	}

	/** Runs the app's listener for an event in instance k's runtime only; errors are logged, never thrown. */
	public async fire(k: number, interfaceName: string, payload: unknown): Promise<void> {
		try {
			await this.instance(k).fire(interfaceName, payload);
		} catch (error) {
			console.error(`[instance ${k}] ${interfaceName} was not delivered:`, (error as Error)?.message ?? error);
		}
	}

	/** The room as the full converter hands it to apps (for event payloads). */
	public fullRoom(roomId: string): Record<string, unknown> | undefined {
		return this.state.fullRoom(roomId);
	}

	/**
	 * `POST /api/apps/<id>/settings` on instance k: each setting whose value changes is updated there (the engine runs
	 * the app's settings hooks), then on every other instance, as Rocket.Chat broadcasts a setting change.
	 */
	public async updateSettings(k: number, appId: string, settings: Array<Record<string, unknown>>): Promise<Array<Record<string, unknown>>> {
		const current = new Map((await this.instance(k).appSettings(appId)).map((s) => [s.id as string, s]));
		const updated: Array<Record<string, unknown>> = [];
		for (const setting of settings) {
			const old = current.get(setting.id as string);
			if (!old || old.value === setting.value) continue;
			await this.instance(k).updateSetting(appId, setting);
			for (const other of this.instances)
				if (other.instance !== k)
					await other
						.updateSetting(appId, setting)
						.catch((error: Error) => console.error(`[instance ${other.instance}] setting ${String(setting.id)}:`, error.message));
			updated.push(setting);
		}
		return updated;
	}

	public async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		await this.scheduler.stop();
		await Promise.all(this.instances.map((instance) => instance.stop().catch(() => undefined)));
	}
}
