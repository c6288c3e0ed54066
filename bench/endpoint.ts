/**
 * Calling the apps in the running workspace. The floor app's endpoint and the app's endpoints are called the same way,
 * through the engine's `executeApi` (the call the workspace's HTTP front makes, with the request built as it builds
 * it), so the figures cover the same path and their ratio is the app's own cost. Every call is logged (status, time)
 * so the report can say whether any failed or passed Rocket.Chat's 30 s limit.
 */
import * as fs from 'fs';

import type { IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import { RequestMethod } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { Workspace } from '../workspace/engine/Workspace';
import type { WorkspaceState, WorkspaceStats } from '../workspace/engine/state';
import type { WorkspaceUser } from '../workspace/data/types';
import { now } from './stats';

/** A `GET` as the workspace's HTTP front hands it to the engine (query already parsed by `qs`). */
export function getRequest(query: Record<string, unknown>, user?: IUser): IApiRequest {
	return { method: RequestMethod.GET, headers: {}, query, params: {}, content: undefined, user } as IApiRequest;
}

/** One call as the log keeps it. */
export interface CallRecord {
	readonly path: string;
	/** HTTP status, or 0 when the call threw (the engine's timeout, a dead runtime). */
	readonly status: number;
	readonly ms: number;
	readonly error?: string;
}

/** Every call of one phase. */
export class CallLog {
	public readonly records: CallRecord[] = [];

	public add(record: CallRecord): void {
		this.records.push(record);
	}

	/** Calls that did not answer 200 (503 counted apart). */
	public failures(): CallRecord[] {
		return this.records.filter((r) => r.status !== 200 && r.status !== 503);
	}

	public slowest(status?: number): number {
		return Math.max(0, ...this.records.filter((r) => status === undefined || r.status === status).map((r) => r.ms));
	}

	public count(status?: number): number {
		return this.records.filter((r) => status === undefined || r.status === status).length;
	}
}

export interface Answer {
	readonly status: number;
	readonly headers: Record<string, string>;
	readonly body: Record<string, unknown>;
	readonly ms: number;
}

/** Reads an answer's body, whether the engine hands back the object or its JSON text. */
export function bodyOf(content: unknown): Record<string, unknown> {
	if (typeof content === 'string') {
		try {
			return JSON.parse(content) as Record<string, unknown>;
		} catch {
			return { text: content };
		}
	}
	return (content ?? {}) as Record<string, unknown>;
}

/** Calls `GET <path>` of an installed app; never throws: a thrown call is answered as status 0 and logged. */
export async function callApp(workspace: Workspace, appId: string, path: string, request: IApiRequest, log?: CallLog): Promise<Answer> {
	const start = now();
	let response: IApiResponse;
	try {
		response = await workspace.manager.getApiManager().executeApi(appId, path, request);
	} catch (error) {
		const ms = now() - start;
		const message = (error as Error)?.message ?? String(error);
		log?.add({ path, status: 0, ms, error: message });
		return { status: 0, headers: {}, body: { error: message }, ms };
	}
	const ms = now() - start;
	const body = bodyOf(response.content);
	log?.add({ path, status: response.status, ms, ...(response.status !== 200 && { error: JSON.stringify(body).slice(0, 200) }) });
	return { status: response.status, headers: (response.headers ?? {}) as Record<string, string>, body, ms };
}

/** The same, for a call that must answer 200. */
export async function callOk(workspace: Workspace, appId: string, path: string, request: IApiRequest, log?: CallLog): Promise<Answer> {
	const answer = await callApp(workspace, appId, path, request, log);
	if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
	return answer;
}

/** The demo user who may list every room: a `livechat-manager`, as the engine would hand them to the app. */
export function allRoomsUser(workspace: Workspace): { user: WorkspaceUser; appUser: IUser } {
	const user = workspace.state.users.find((candidate) => candidate.roles.includes('livechat-manager'));
	const appUser = workspace.state.appUser(user);
	if (!user || !appUser) throw new Error('the demo data has no livechat-manager');
	return { user, appUser };
}

/** What the apps asked of the host so far (`GET /api/workspace/stats`). */
export function statsOf(state: WorkspaceState): WorkspaceStats {
	return { ...state.stats };
}

/** `after - before`, field by field. */
export function statsDelta(before: WorkspaceStats, after: WorkspaceStats): WorkspaceStats {
	return {
		roomListCalls: after.roomListCalls - before.roomListCalls,
		roomsWalked: after.roomsWalked - before.roomsWalked,
		roomById: after.roomById - before.roomById,
		persistenceReads: after.persistenceReads - before.persistenceReads,
		persistenceWrites: after.persistenceWrites - before.persistenceWrites,
		persistenceBytesWritten: after.persistenceBytesWritten - before.persistenceBytesWritten,
	};
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
