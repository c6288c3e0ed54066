/**
 * What the robustness tests share: a workspace per suite (through `TestClient`), requests with a time limit, the
 * endpoint called straight through the engine for queries too long for a URL, and the app's health.
 */
import * as qs from 'qs';
import type { IApiRequest } from '@rocket.chat/apps-engine/definition/api';
import { RequestMethod } from '@rocket.chat/apps-engine/definition/accessors';

import type { WorkspaceData, WorkspaceUser } from '../../workspace/data/types';
import type { WorkspaceState } from '../../workspace/engine/state';
import { jsonOf } from '../../workspace/http/json';
import type { Json } from '../engine/client';
import { TestClient } from '../engine/client';

/** No single request in these tests may take longer than this (the app must never hang). */
export const REQUEST_LIMIT_MS = 60000;

export interface Answer {
	status: number;
	text: string;
	body: Json;
	contentType: string;
}

export interface Health {
	status: string | undefined;
	pid: number | undefined;
	errors: readonly string[];
}

/** The query object Rocket.Chat's app router (Express 4, `qs` "extended") makes of a query string; the host's own call. */
export function hostQuery(search: string): Record<string, unknown> {
	return qs.parse(search, { allowPrototypes: true }) as Record<string, unknown>;
}

export class Robust {
	private constructor(public readonly client: TestClient) {}

	public static async start(data: WorkspaceData): Promise<Robust> {
		return new Robust(await TestClient.start(data));
	}

	public stop(): Promise<void> {
		return this.client.stop();
	}

	public get state(): WorkspaceState {
		return this.client.running.workspace.state;
	}

	public get siteUrl(): string {
		return this.client.running.url;
	}

	public user(username: string): WorkspaceUser {
		return this.client.user(username);
	}

	/** The query string exactly as the server receives it (the URL parser percent-encodes some characters, `#` ends it). */
	public sentSearch(search: string): string {
		return new URL(`${this.client.running.appUrl}/rooms?${search}`).search.slice(1);
	}

	/** `GET <app>/rooms?<search>` over HTTP as `username`. */
	public async rooms(search: string, username: string): Promise<Answer> {
		return this.fetch(`${this.client.running.appUrl}/rooms?${search}`, { headers: this.auth(username) });
	}

	/**
	 * The endpoint called through the engine as the host calls it (same `qs` parse, same request shape), for queries
	 * longer than Node's HTTP server accepts in a request line (16 KB: it answers 431 before the app runs).
	 */
	public async roomsDirect(search: string, username: string): Promise<Answer> {
		const user = this.user(username);
		const request: IApiRequest = {
			method: RequestMethod.GET,
			headers: {},
			query: hostQuery(search) as IApiRequest['query'],
			params: {},
			content: '',
			user: this.state.appUser(user),
		};
		const call = this.client.running.workspace.callEndpoint('rooms', request);
		const response = await withLimit(call, `engine call rooms?${search.slice(0, 200)}`);
		const text = typeof response.content === 'string' ? response.content : JSON.stringify(response.content);
		const headers = (response.headers ?? {}) as Record<string, string>;
		const contentType = Object.entries(headers).find(([key]) => key.toLowerCase() === 'content-type')?.[1] ?? '';
		return { status: response.status, text, body: jsonOf(text), contentType };
	}

	/** `POST /api/v1/commands.run` with `/livechat-rooms <params>` as `username`. */
	public async command(params: string, username: string): Promise<Answer> {
		return this.fetch(`${this.client.running.url}/api/v1/commands.run`, {
			method: 'POST',
			headers: { ...this.auth(username), 'Content-Type': 'application/json' },
			body: JSON.stringify({ command: 'livechat-rooms', params }),
		});
	}

	public async health(): Promise<Health> {
		const workspace = this.client.running.workspace;
		return { status: await workspace.appStatus(), pid: workspace.runtimePid(), errors: [...workspace.appErrors] };
	}

	private async fetch(url: string, init: RequestInit): Promise<Answer> {
		const res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_LIMIT_MS) });
		const text = await res.text();
		return { status: res.status, text, body: jsonOf(text), contentType: res.headers.get('content-type') ?? '' };
	}

	private auth(username: string): Record<string, string> {
		return this.client.auth(username);
	}
}

async function withLimit<T>(promise: Promise<T>, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const limit = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what} took more than ${REQUEST_LIMIT_MS} ms`)), REQUEST_LIMIT_MS);
	});
	try {
		return await Promise.race([promise, limit]);
	} finally {
		clearTimeout(timer);
	}
}

/** Room ids in a command's reply: every room entry links `<site>/live/<id>`. */
export function linkedRoomIds(text: string, siteUrl: string): string[] {
	const prefix = `${siteUrl}/live/`;
	const ids: string[] = [];
	for (const line of text.split('\n')) {
		const at = line.lastIndexOf(prefix);
		if (at >= 0) ids.push(decodeURIComponent(line.slice(at + prefix.length).trim()));
	}
	return ids;
}

/** The number of matching rooms a command's reply announces in its first line, or undefined when it is no room list. */
export function announcedTotal(text: string): number | undefined {
	const first = text.split('\n')[0];
	if (first.startsWith('No rooms match.')) return 0;
	const match = /^(\d+) rooms? match(?:es)?[,.]/.exec(first);
	return match ? Number(match[1]) : undefined;
}

/** A small seeded PRNG (mulberry32) for test data: the same seed gives the same data everywhere. */
export class Prng {
	private state: number;

	constructor(seed: number) {
		this.state = seed | 0;
	}

	/** A number in [0, 1). */
	next(): number {
		let t = (this.state = (this.state + 0x6d2b79f5) | 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}

	pick<T>(list: readonly T[]): T {
		return list[Math.floor(this.next() * list.length)];
	}

	subset<T>(list: readonly T[], probability: number): T[] {
		return list.filter(() => this.chance(probability));
	}

	/** A shuffled copy (Fisher-Yates). */
	shuffle<T>(list: readonly T[]): T[] {
		const copy = [...list];
		for (let i = copy.length - 1; i > 0; i--) {
			const j = this.int(0, i);
			[copy[i], copy[j]] = [copy[j], copy[i]];
		}
		return copy;
	}
}
