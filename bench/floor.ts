/**
 * The floor app (`bench/floor-app/`): packaged with the same `rc-apps` path as the real app and installed next to it
 * in the same workspace, so both page over the same rooms through the same host.
 */
import * as fs from 'fs';
import * as path from 'path';

import AdmZip from 'adm-zip';
import { AppStatusUtils } from '@rocket.chat/apps-engine/definition/AppStatus';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { Workspace } from '../workspace/engine/Workspace';
import { ensurePackage, ROOT } from '../workspace/package';

export const FLOOR_DIR = path.join(__dirname, 'floor-app');

/** What `ensurePackage` watches: everything the floor app is made of. */
const FLOOR_SOURCES = ['LivechatRoomsFloorApp.ts', 'app.json', 'icon.png'];

export interface FloorApp {
	readonly id: string;
	/** The process id of the floor app's own Deno runtime. */
	readonly pid?: number;
}

/** Copies the root `icon.png` into the floor app unless an identical copy is there (keeps the zip up to date). */
function copyIcon(): void {
	const from = path.join(ROOT, 'icon.png');
	const to = path.join(FLOOR_DIR, 'icon.png');
	const icon = fs.readFileSync(from);
	if (!fs.existsSync(to) || !fs.readFileSync(to).equals(icon)) fs.writeFileSync(to, icon);
}

/** The floor app's zip, packaged with `rc-apps` when its sources changed. */
export function floorPackage(log: (line: string) => void): Buffer {
	copyIcon();
	return ensurePackage(log, FLOOR_DIR, FLOOR_SOURCES);
}

/** Installs and enables the floor app in a running workspace, granting what its `app.json` declares. */
export async function installFloor(workspace: Workspace, zip: Buffer): Promise<FloorApp> {
	const info = JSON.parse(new AdmZip(zip).readAsText('app.json')) as { id: string; permissions: Array<{ name: string }> };
	const admin = workspace.state.users.find((user) => user.roles.includes('admin'));
	const user = workspace.state.appUser(admin) ?? ({ id: 'installer', username: 'installer' } as unknown as IUser);
	const result = await workspace.manager.add(zip, { enable: true, user, permissionsGranted: info.permissions });
	const app = result.getApp();
	const status = app ? await app.getStatus() : undefined;
	if (!app || !status || !AppStatusUtils.isEnabled(status)) {
		const why = [result.getStorageError(), JSON.stringify(result.getAppUserError()), status].filter(Boolean);
		throw new Error(`the floor app did not start: ${why.join('; ') || 'unknown reason'}`);
	}
	const controller = app.getRuntimeController() as unknown as { deno?: { pid?: number } };
	return { id: info.id, pid: controller.deno?.pid };
}
