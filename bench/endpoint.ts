/**
 * Timing endpoints in the running workspace. The floor app's endpoint and the app's `rooms` endpoint are both called
 * the same way, through the engine's `executeApi` (the call the workspace's HTTP front makes, with the request built
 * as it builds it), so the two figures cover the same path and their ratio is the app's own cost.
 */
import * as fs from 'fs';

import type { IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import { RequestMethod } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { Workspace } from '../workspace/engine/Workspace';
import type { WorkspaceUser } from '../workspace/data/types';

/** A `GET` as the workspace's HTTP front hands it to the engine (query already parsed by `qs`). */
export function getRequest(query: Record<string, unknown>, user?: IUser): IApiRequest {
	return { method: RequestMethod.GET, headers: {}, query, params: {}, content: undefined, user } as IApiRequest;
}

/** Calls `GET <path>` of an installed app and fails on anything but 200. */
export async function callApp(workspace: Workspace, appId: string, path: string, request: IApiRequest): Promise<IApiResponse> {
	const response = await workspace.manager.getApiManager().executeApi(appId, path, request);
	if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${JSON.stringify(response.content).slice(0, 300)}`);
	return response;
}

/** The demo user who may list every room: a `livechat-manager`, as the engine would hand them to the app. */
export function allRoomsUser(workspace: Workspace): { user: WorkspaceUser; appUser: IUser } {
	const user = workspace.state.users.find((candidate) => candidate.roles.includes('livechat-manager'));
	const appUser = workspace.state.appUser(user);
	if (!user || !appUser) throw new Error('the demo data has no livechat-manager');
	return { user, appUser };
}

/** `VmHWM` (peak resident set) and `VmRSS` of a process, in KiB, from `/proc/<pid>/status`. */
export function memoryOf(pid: number): { peakKib: number; rssKib: number } {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const field = (name: string): number => {
		const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
		if (!match) throw new Error(`no ${name} in /proc/${pid}/status`);
		return Number(match[1]);
	};
	return { peakKib: field('VmHWM'), rssKib: field('VmRSS') };
}

/** Linux reports process times in clock ticks of `USER_HZ`, 100 per second on every mainstream architecture. */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system, all threads) a process has used so far, in ms, from `/proc/<pid>/stat`. */
export function cpuMsOf(pid: number): number {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	// Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** CPU time this Node.js process (the host: bridges, converter, engine) has used so far, in ms. */
export function hostCpuMs(): number {
	const usage = process.cpuUsage();
	return (usage.user + usage.system) / 1000;
}
