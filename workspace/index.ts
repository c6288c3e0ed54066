/**
 * The local workspace as a library: tests and `npm start` call `startWorkspace` to get a stand-in Rocket.Chat server
 * running the packaged app in the real Apps-Engine runtime, with their own data, on a free port.
 */
import type { WorkspaceData } from './data/types';
import { Workspace } from './engine/Workspace';
import type { InstalledApp } from './engine/Workspace';
import { WorkspaceServer } from './http/server';
import { ensurePackage } from './package';

export interface StartOptions {
	data: WorkspaceData;
	/** 0 (the default) picks a free port. */
	port?: number;
	host?: string;
	/** The packaged app; by default `dist/<slug>_<version>.zip`, rebuilt when the sources are newer. */
	zip?: Buffer;
	/** Grant these app permissions instead of the ones `app.json` declares (tests only). */
	permissionsGranted?: Array<{ name: string }>;
}

export interface RunningWorkspace {
	/** e.g. `http://127.0.0.1:3000` */
	url: string;
	/** e.g. `http://127.0.0.1:3000/api/apps/public/<app id>` */
	appUrl: string;
	port: number;
	app: InstalledApp;
	workspace: Workspace;
	stop(): Promise<void>;
}

export async function startWorkspace(options: StartOptions): Promise<RunningWorkspace> {
	const zip = options.zip ?? ensurePackage();
	const host = options.host ?? '127.0.0.1';
	const workspace = new Workspace(options.data);
	const server = new WorkspaceServer(workspace);
	let stopped = false;
	const stop = async (): Promise<void> => {
		if (stopped) return;
		stopped = true;
		await server.close();
		await workspace.stop();
	};
	try {
		const port = await server.listen(options.port ?? 0, host);
		const url = `http://${host}:${port}`;
		workspace.state.siteUrl = url;
		const app = await workspace.install(zip, options.permissionsGranted);
		return { url, appUrl: `${url}/api/apps/public/${app.id}`, port, app, workspace, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

export { Workspace, WorkspaceServer, ensurePackage };
export type { WorkspaceData };
