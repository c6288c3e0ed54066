/**
 * The local workspace as a library: tests and `npm start` call `startWorkspace` to get a stand-in Rocket.Chat server
 * (one instance, or a cluster of several) running the packaged app in the real Apps-Engine runtime, with their own
 * data, on free ports.
 */
import type { WorkspaceData } from './data/types';
import type { RoomsAs } from './engine/bridges';
import { Cluster } from './engine/cluster';
import type { Scheduler } from './engine/scheduler';
import { WorkspaceState } from './engine/state';
import { Workspace } from './engine/Workspace';
import type { InstalledApp } from './engine/Workspace';
import { WorkspaceServer } from './http/server';
import { omnichannelRoute } from './http/omnichannel';
import { ensurePackage } from './package';

export interface StartOptions {
	data: WorkspaceData;
	/** The first instance's port; instance k listens on port + k - 1. 0 (the default) picks free ports. */
	port?: number;
	host?: string;
	/** How many instances the cluster runs (1 by default). */
	instances?: number;
	/**
	 * How `getAllRooms` reads stored rooms: `projected` (the default) through Rocket.Chat 8.x's 34-field projection,
	 * `full` with every stored field, as the first version of the workspace did (for comparisons only). When not
	 * given, the environment variable `WORKSPACE_ROOMS_AS` (`projected` or `full`) decides, so that a whole test run
	 * can be repeated on the generous host: `WORKSPACE_ROOMS_AS=full npx jest`.
	 */
	roomsAs?: RoomsAs;
	/** How often the scheduler looks for due jobs, in ms (5000 by default; 0: only `scheduler.runDue()`/`advance()`). */
	schedulerPollMs?: number;
	/** The packaged app; by default `dist/<slug>_<version>.zip`, rebuilt when the sources are newer. */
	zip?: Buffer;
	/** Grant these app permissions instead of the ones `app.json` declares (tests only). */
	permissionsGranted?: Array<{ name: string }>;
}

export interface RunningInstance {
	/** 1-based. */
	instance: number;
	url: string;
	appUrl: string;
	port: number;
}

export interface RunningWorkspace {
	/** Instance 1's URL, e.g. `http://127.0.0.1:3000` */
	url: string;
	/** e.g. `http://127.0.0.1:3000/api/apps/public/<app id>` */
	appUrl: string;
	port: number;
	app: InstalledApp;
	/** Instance 1's engine, in this thread; `workspace.state` is the cluster's shared store. */
	workspace: Workspace;
	/** Every instance, instance k at index k - 1. */
	instances: RunningInstance[];
	cluster: Cluster;
	state: WorkspaceState;
	scheduler: Scheduler;
	/** Runs the app's listener for an event in instance k's runtime only (awaited; errors are logged). */
	fire(instance: number, interfaceName: string, payload: unknown): Promise<void>;
	/** A stored room through Rocket.Chat's full converter, as event payloads carry it. */
	fullRoom(roomId: string): Record<string, unknown> | undefined;
	/** Restarts instance k's app runtime (a new Deno process: its memory is lost, persistence is not). */
	restartRuntime(instance: number): Promise<void>;
	/** Disables or enables the app on instance k. */
	setAppEnabled(instance: number, enabled: boolean): Promise<void>;
	stop(): Promise<void>;
}

export async function startWorkspace(options: StartOptions): Promise<RunningWorkspace> {
	const zip = options.zip ?? ensurePackage();
	const host = options.host ?? '127.0.0.1';
	const count = options.instances ?? 1;
	if (!Number.isInteger(count) || count < 1) throw new Error(`instances must be a whole number from 1, not ${count}`);
	const state = new WorkspaceState(options.data);
	const fromEnv = process.env.WORKSPACE_ROOMS_AS;
	if (fromEnv !== undefined && fromEnv !== 'projected' && fromEnv !== 'full') throw new Error(`WORKSPACE_ROOMS_AS must be projected or full, not ${fromEnv}`);
	const cluster = new Cluster(state, {
		instances: count,
		roomsAs: options.roomsAs ?? fromEnv ?? 'projected',
		schedulerPollMs: options.schedulerPollMs ?? 5000,
	});
	const route = omnichannelRoute(cluster);
	const servers = cluster.instances.map((engine) => new WorkspaceServer(cluster, engine, route));
	let stopped = false;
	const stop = async (): Promise<void> => {
		if (stopped) return;
		stopped = true;
		await Promise.all(servers.map((server) => server.close()));
		await cluster.stop();
	};
	try {
		const instances: RunningInstance[] = [];
		for (let k = 1; k <= count; k++) {
			const wanted = options.port ? options.port + k - 1 : 0;
			const port = await servers[k - 1].listen(wanted, host);
			instances.push({ instance: k, url: `http://${host}:${port}`, appUrl: '', port });
		}
		state.siteUrl = instances[0].url;
		const app = await cluster.install(zip, options.permissionsGranted);
		for (const instance of instances) instance.appUrl = `${instance.url}/api/apps/public/${app.id}`;
		return {
			url: instances[0].url,
			appUrl: instances[0].appUrl,
			port: instances[0].port,
			app,
			workspace: cluster.main,
			instances,
			cluster,
			state,
			scheduler: cluster.scheduler,
			fire: (k, interfaceName, payload) => cluster.fire(k, interfaceName, payload),
			fullRoom: (roomId) => cluster.fullRoom(roomId),
			restartRuntime: (k) => cluster.instance(k).restartRuntime(),
			setAppEnabled: (k, enabled) => cluster.instance(k).setEnabled(enabled),
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

export { Workspace, WorkspaceServer, ensurePackage };
export type { WorkspaceData };
