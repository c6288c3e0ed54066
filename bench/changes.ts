/**
 * Real changes to the workspace's rooms, made the way Rocket.Chat's clients make them: the omnichannel REST actions on
 * the workspace's HTTP front (instance 1), which change the store and fire the app events Rocket.Chat fires (in that
 * instance's runtime, awaited as the server awaits them). A cycle of six actions, one per second:
 * a visitor starts a room, the visitor writes in it, a manager saves a served room's info (tags, custom fields),
 * places a served room on hold, closes a served room with tags, and saves a closed room's topic.
 * Deletions (`rooms.delete`, which fires nothing) are made apart, by `deleteClosedRooms`.
 */
import type { RunningWorkspace } from '../workspace/index';
import type { StoredRoom, WorkspaceUser } from '../workspace/data/types';
import { now } from './stats';

type Body = Record<string, unknown>;

export interface ChangeFigures {
	/** Actions that answered 200, by kind. */
	readonly done: Record<string, number>;
	/** Actions that did not, with the answer. */
	readonly failed: string[];
	/** The slowest action (the app's listeners run inside it, awaited), ms. */
	readonly slowestMs: number;
	/** Wall time of the whole run, ms. */
	readonly elapsedMs: number;
}

/** One action that answered 200: its kind, the room it changed, when it was sent and when it answered (`now()`, ms). */
export interface Change {
	readonly kind: string;
	readonly roomId: string;
	readonly sentAt: number;
	readonly answeredAt: number;
}

/** An answer: its status and its body (JSON, else `{ text }`). */
interface Answer {
	status: number;
	body: Body;
}

/**
 * One request to the workspace's HTTP front, sent once more when the connection fails before any answer: the client
 * reuses a kept-alive connection the server may just have closed after a few idle seconds (`ECONNRESET`), and such a
 * request never reached the action. Never throws: a request that fails twice is answered with status 0.
 */
async function call(running: RunningWorkspace, method: string, route: string, body: Body | undefined, user?: WorkspaceUser): Promise<Answer> {
	for (let attempt = 1; ; attempt++) {
		let status: number;
		let text: string;
		try {
			const response = await fetch(`${running.url}${route}`, {
				method,
				headers: { 'content-type': 'application/json', ...(user && { 'x-user-id': user._id, 'x-auth-token': String(user.authToken) }) },
				...(body !== undefined && { body: JSON.stringify(body) }),
			});
			status = response.status;
			text = await response.text();
		} catch (error) {
			if (attempt >= 2) return { status: 0, body: { error: String((error as { cause?: unknown } | undefined)?.cause ?? error) } };
			await new Promise((resolve) => setTimeout(resolve, 100));
			continue;
		}
		try {
			return { status, body: JSON.parse(text) as Body };
		} catch {
			return { status, body: { text } };
		}
	}
}

/** `room.saveInfo` of a room with these fields (besides its id); nothing is sent for a room without a visitor. */
async function saveInfo(running: RunningWorkspace, boss: WorkspaceUser, room: StoredRoom, roomData: Body): Promise<Answer | undefined> {
	const v = room.v as { _id?: string } | undefined;
	if (!v?._id) return undefined;
	return call(running, 'POST', '/api/v1/livechat/room.saveInfo', { guestData: { _id: v._id }, roomData: { _id: room._id, ...roomData } }, boss);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Picks rooms from the newest end of the store, each at most once per run. */
class Picker {
	private readonly used = new Set<string>();

	constructor(private readonly running: RunningWorkspace) {}

	public pick(test: (room: StoredRoom) => boolean): StoredRoom | undefined {
		const rooms = this.running.state.allRooms();
		for (let i = rooms.length - 1; i >= 0; i--) {
			const room = rooms[i];
			if (room.t === 'l' && !this.used.has(room._id as string) && test(room)) {
				this.used.add(room._id as string);
				return room;
			}
		}
		return undefined;
	}
}

const servedOpen = (room: StoredRoom): boolean => room.open === true && room.servedBy !== undefined && room.onHold !== true;

function manager(running: RunningWorkspace): WorkspaceUser {
	const found = running.state.users.find((user) => user.roles.includes('livechat-manager'));
	if (!found) throw new Error('the demo data has no livechat-manager');
	return found;
}

/**
 * `count` actions, one every `everyMs`, cycling through the six kinds above. `onChange` is told of each action that
 * answered 200 as soon as it has (not awaited: the next action keeps its time).
 */
export async function driveChanges(running: RunningWorkspace, count: number, everyMs: number, onChange?: (change: Change) => void): Promise<ChangeFigures> {
	const boss = manager(running);
	const department = running.state.departments.find((d) => d.enabled !== false)?._id;
	const picker = new Picker(running);
	const done: Record<string, number> = {};
	const failed: string[] = [];
	let slowest = 0;
	let started: { rid: string; token: string } | undefined;
	const begin = now();
	for (let i = 0; i < count; i++) {
		const due = begin + i * everyMs;
		await sleep(due - now());
		const at = now();
		let kind = '';
		let roomId: string | undefined;
		let answer: Answer | undefined;
		switch (i % 6) {
			case 0: {
				kind = 'room started';
				const token = `bench-visitor-${Date.now().toString(36)}-${i}`;
				await call(running, 'POST', '/api/v1/livechat/visitor', { visitor: { token, name: `Bench Visitor ${i}`, ...(department && { department }) } });
				answer = await call(running, 'GET', `/api/v1/livechat/room?token=${encodeURIComponent(token)}`, undefined);
				const room = answer.body.room as { _id?: string } | undefined;
				started = room?._id ? { rid: room._id, token } : undefined;
				roomId = started?.rid;
				break;
			}
			case 1:
				kind = 'visitor message';
				roomId = started?.rid;
				if (started)
					answer = await call(running, 'POST', '/api/v1/livechat/message', {
						token: started.token,
						rid: started.rid,
						msg: `Hello from the bench (${i})`,
					});
				break;
			case 2: {
				kind = 'room info saved';
				const room = picker.pick(servedOpen);
				roomId = room?._id as string | undefined;
				if (room) answer = await saveInfo(running, boss, room, { tags: ['bench', 'vip'], livechatData: { plan: 'enterprise' } });
				break;
			}
			case 3: {
				kind = 'placed on hold';
				const room = picker.pick((r) => servedOpen(r) && !(r.lastMessage as { token?: string } | undefined)?.token);
				roomId = room?._id as string | undefined;
				if (room) answer = await call(running, 'POST', '/api/v1/livechat/room.onHold', { roomId: room._id }, boss);
				break;
			}
			case 4: {
				kind = 'closed';
				const room = picker.pick(servedOpen);
				roomId = room?._id as string | undefined;
				if (room)
					answer = await call(
						running,
						'POST',
						'/api/v1/livechat/room.closeByUser',
						{ rid: room._id, comment: 'closed by the bench', tags: ['bench'] },
						boss,
					);
				break;
			}
			default: {
				kind = 'closed room info saved';
				const room = picker.pick((r) => r.open !== true && r.closedAt !== undefined);
				roomId = room?._id as string | undefined;
				if (room) answer = await saveInfo(running, boss, room, { topic: `bench ${i}` });
			}
		}
		const answeredAt = now();
		slowest = Math.max(slowest, answeredAt - at);
		if (answer?.status === 200) {
			done[kind] = (done[kind] ?? 0) + 1;
			if (roomId) onChange?.({ kind, roomId, sentAt: at, answeredAt });
		} else failed.push(`${kind}: ${answer ? `${answer.status} ${JSON.stringify(answer.body).slice(0, 160)}` : 'no room to act on'}`);
	}
	return { done, failed, slowestMs: slowest, elapsedMs: now() - begin };
}

/** A manager deletes `count` closed rooms (`rooms.delete`: no app event, as on the server); answers how many went. */
export async function deleteClosedRooms(running: RunningWorkspace, count: number): Promise<number> {
	const boss = manager(running);
	const picker = new Picker(running);
	let deleted = 0;
	for (let i = 0; i < count; i++) {
		const room = picker.pick((r) => r.open !== true && r.closedAt !== undefined);
		if (!room) break;
		if ((await call(running, 'POST', '/api/v1/livechat/rooms.delete', { roomId: room._id }, boss)).status === 200) deleted++;
	}
	return deleted;
}
