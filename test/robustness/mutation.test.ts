/**
 * Rooms opened, closed, deleted, added, moved and edited while the app's index reconciles itself with the host and
 * answers requests, over a few thousand rooms (so a reconciliation pass takes dozens of engine pages). Changes land
 * between the engine's pages (a hook before every page the room bridge serves) and at random moments (a loop that
 * keeps changing rooms until the requests resolve); about half of them are announced with the livechat event
 * Rocket.Chat would fire, the rest (and every deletion, as on the server) are not.
 *
 * Every answer: no room `_id` twice; every room existed at some moment with exactly the values returned (nothing
 * invented, nothing stitched from two versions); only livechat rooms; each satisfies the query's filter in the
 * version returned. Afterwards, once reconciliation has run, the app answers with the right results for the final data.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { DEMO_USERS, demoData } from '../../workspace/data/demo';
import type { StoredRoom } from '../../workspace/data/types';
import type { WorkspaceState } from '../../workspace/engine/state';
import type { Answer } from './harness';
import { reconcileNow } from '../engine/client';
import type { Json } from '../engine/client';
import { Prng, Robust, announcedTotal, linkedRoomIds } from './harness';

const SEED = 20261109;
const ROOMS = 3000;
const ROUNDS = 3;

/** What a room looks like in an answer, in a comparable form (keys sorted, dates as ISO strings). */
function canonical(value: unknown): string {
	const walk = (v: unknown): unknown => {
		if (v instanceof Date) return v.toISOString();
		if (Array.isArray(v)) return v.map(walk);
		if (v && typeof v === 'object') {
			const out: Record<string, unknown> = {};
			for (const key of Object.keys(v).sort())
				if ((v as Record<string, unknown>)[key] !== undefined) out[key] = walk((v as Record<string, unknown>)[key]);
			return out;
		}
		return v;
	};
	return JSON.stringify(walk(value));
}

/** The fields compared: the ones the mutations change and the filters read. */
function fingerprint(room: Json): string {
	const servedBy = room.servedBy ? { _id: room.servedBy._id, username: room.servedBy.username } : undefined;
	return canonical({
		fname: room.fname,
		ts: room.ts,
		open: room.open,
		onHold: room.onHold,
		closedAt: room.closedAt,
		servedBy,
		departmentId: room.departmentId,
		tags: room.tags,
		livechatData: room.livechatData,
	});
}

const AGENTS = DEMO_USERS.filter((u) => u.roles.includes('livechat-agent')).map((u) => ({ _id: u._id, username: u.username }));

/** Changes rooms through the workspace's own state methods, remembering every version each room ever had. */
class Mutator {
	public readonly versions = new Map<string, Set<string>>();

	public changes = 0;

	private added = 0;

	constructor(
		private readonly state: WorkspaceState,
		private readonly random: Prng,
	) {
		for (const room of state.allRooms()) this.remember(room);
	}

	private remember(room: StoredRoom): void {
		const id = room._id as string;
		let set = this.versions.get(id);
		if (!set) this.versions.set(id, (set = new Set()));
		set.add(fingerprint(room));
	}

	private livechat(predicate: (room: StoredRoom) => boolean = () => true): StoredRoom | undefined {
		const rooms = this.state.allRooms();
		for (let tries = 0; tries < 50; tries++) {
			const room = rooms[this.random.int(0, rooms.length - 1)];
			if (room && room.t === 'l' && predicate(room)) return room;
		}
		return undefined;
	}

	/** Rooms changed or added since the last `takeChanged`, that an event could announce. */
	private changed: string[] = [];

	private updated(id: string): void {
		const room = this.state.allRooms().find((r) => r._id === id);
		if (room) this.remember(room);
		this.changed.push(id);
	}

	public takeChanged(): string[] {
		const ids = this.changed;
		this.changed = [];
		return ids;
	}

	private newRoom(): StoredRoom {
		const n = this.added++;
		const ts = new Date(Date.UTC(2026, this.random.int(4, 10), this.random.int(1, 28), this.random.int(0, 23)));
		const agent = this.random.chance(0.7) ? this.random.pick(AGENTS) : undefined;
		const room: StoredRoom = {
			_id: `mut-${n}`,
			t: this.random.chance(0.1) ? 'c' : 'l',
			fname: `Added ${n}`,
			msgs: 1,
			usersCount: 1,
			ts,
			_updatedAt: ts,
			v: { _id: `v-mut-${n}`, username: `guest-mut-${n}`, token: `t-${n}`, status: 'online' },
			cl: false,
			open: true,
		};
		if (agent) room.servedBy = { ...agent, ts };
		if (this.random.chance(0.3)) room.tags = [this.random.pick(['vip', 'bug', 'refund'])];
		return room;
	}

	/** One change, picked at random. */
	public step(): void {
		const state = this.state;
		const kind = this.random.pick(['close', 'reopen', 'delete', 'add', 'move', 'edit', 'hold']);
		const position = this.random.int(0, state.allRooms().length);
		switch (kind) {
			case 'close': {
				const room = this.livechat((r) => r.open === true);
				if (!room) return;
				const closedAt = new Date(Date.UTC(2026, 10, 1, this.random.int(0, 11)));
				state.updateRoom(room._id as string, { closedAt, closer: 'user', closedBy: room.servedBy ?? AGENTS[0], _updatedAt: closedAt }, [
					'open',
					'onHold',
					'waitingResponse',
				]);
				this.updated(room._id as string);
				break;
			}
			case 'reopen': {
				const room = this.livechat((r) => r.open !== true);
				if (!room) return;
				const agent = this.random.pick(AGENTS);
				state.updateRoom(room._id as string, { open: true, servedBy: { ...agent, ts: new Date() } }, ['closedAt', 'closer', 'closedBy']);
				this.updated(room._id as string);
				break;
			}
			case 'hold': {
				const room = this.livechat((r) => r.open === true && Boolean(r.servedBy));
				if (!room) return;
				state.updateRoom(room._id as string, room.onHold ? {} : { onHold: true }, room.onHold ? ['onHold'] : []);
				this.updated(room._id as string);
				break;
			}
			case 'delete': {
				const room = this.livechat();
				if (room) state.removeRoom(room._id as string);
				break;
			}
			case 'add': {
				const room = this.newRoom();
				state.addRoom(room, position);
				this.updated(room._id as string);
				break;
			}
			case 'move': {
				const room = this.livechat();
				if (!room) return;
				state.removeRoom(room._id as string);
				state.addRoom(room, Math.min(position, state.allRooms().length));
				this.updated(room._id as string);
				break;
			}
			default: {
				const room = this.livechat();
				if (!room) return;
				const ts = new Date(Date.UTC(2026, this.random.int(0, 10), this.random.int(1, 28)));
				state.updateRoom(room._id as string, { fname: `Edited ${this.changes}`, ts, tags: ['edited'] });
				this.updated(room._id as string);
			}
		}
		this.changes++;
	}
}

interface Scan {
	label: string;
	run: () => Promise<Answer>;
	/** The filter the query applies, on a room as returned. */
	filter?: (room: Json) => boolean;
	command?: boolean;
}

describe('rooms changing while the index reconciles and answers', () => {
	let ws: Robust;
	let pid: number | undefined;
	let mutator: Mutator;
	let pagesServed = 0;
	let changesDuringScans = 0;

	beforeAll(async () => {
		ws = await Robust.start(demoData({ rooms: ROOMS }));
		pid = (await ws.health()).pid;
		mutator = new Mutator(ws.state, new Prng(SEED));
	}, 120000);
	afterAll(() => ws?.stop());

	const fields = encodeURIComponent('{"lastMessage":0,"metrics":0}');
	const scans = (): Scan[] => [
		{ label: 'every room, count=0', run: () => ws.rooms(`count=0&fields=${fields}`, 'manager') },
		{
			label: 'open=true, count=0',
			run: () => ws.rooms(`open=true&count=0&fields=${fields}`, 'manager'),
			filter: (r) => r.open === true && Boolean(r.servedBy) && r.onHold !== true,
		},
		{
			label: 'open=false, by fname',
			run: () => ws.rooms(`open=false&count=0&sort=${encodeURIComponent('{"fname":1}')}`, 'admin'),
			filter: (r) => r.open === undefined && r.onHold !== true,
		},
		{ label: 'a page deep in the scan', run: () => ws.rooms('count=100&offset=1500', 'manager') },
		{
			label: 'tags=vip,edited',
			run: () => ws.rooms(`tags=${encodeURIComponent('["vip","edited"]')}&count=0`, 'manager'),
			filter: (r) => (r.tags ?? []).some((t: string) => t === 'vip' || t === 'edited'),
		},
		{ label: "an agent's own rooms", run: () => ws.rooms(`agents=${AGENTS[0]._id}&count=0`, 'alice'), filter: (r) => r.servedBy?._id === AGENTS[0]._id },
		{ label: 'the command, 100 rooms', run: () => ws.command('count=100 page=3', 'manager'), command: true },
	];

	function check(scan: Scan, answer: Answer): string[] {
		const problems: string[] = [];
		if (answer.status !== 200) return [`${scan.label}: status ${answer.status} ${answer.text.slice(0, 300)}`];
		if (scan.command) {
			const text: string = answer.body.notifications?.[0]?.text ?? '';
			const ids = linkedRoomIds(text, ws.siteUrl);
			if (ids.length === 0 || announcedTotal(text) === undefined) problems.push(`${scan.label}: no room list: ${text.slice(0, 200)}`);
			if (new Set(ids).size !== ids.length) problems.push(`${scan.label}: a room listed twice`);
			for (const id of ids) if (!mutator.versions.has(id)) problems.push(`${scan.label}: room ${id} never existed`);
			return problems;
		}
		const rooms: Json[] = answer.body.rooms;
		if (answer.body.count !== rooms.length || answer.body.total < rooms.length)
			problems.push(`${scan.label}: count ${answer.body.count}, total ${answer.body.total}, ${rooms.length} rooms`);
		const seen = new Set<string>();
		for (const room of rooms) {
			if (seen.has(room._id)) problems.push(`${scan.label}: room ${room._id} twice`);
			seen.add(room._id);
			if (room.t !== 'l') problems.push(`${scan.label}: room ${room._id} of type ${room.t}`);
			const versions = mutator.versions.get(room._id);
			if (!versions) problems.push(`${scan.label}: room ${room._id} never existed`);
			else if (!versions.has(fingerprint(room))) problems.push(`${scan.label}: room ${room._id} as no version ever was: ${fingerprint(room)}`);
			if (scan.filter && !scan.filter(room)) problems.push(`${scan.label}: room ${room._id} does not match the filter: ${fingerprint(room)}`);
		}
		return problems;
	}

	/** Announces about half of the rooms changed so far, as Rocket.Chat's livechat events would (never a deletion). */
	const random = new Prng(SEED * 7);
	async function announce(): Promise<void> {
		const running = ws.client.running;
		for (const id of mutator.takeChanged()) {
			const full = running.fullRoom(id);
			if (full && full.type === 'l' && random.chance(0.5)) await running.fire(1, 'IPostLivechatRoomSaved', full);
		}
	}

	for (let round = 1; round <= ROUNDS; round++) {
		it(`round ${round}: answers while rooms change between the reconciliation's pages and at random moments`, async () => {
			const state = ws.state;
			const serve = state.roomsOfTypes.bind(state);
			const random = new Prng(SEED + round);
			// Between the engine's pages: a few changes before every page is served.
			state.roomsOfTypes = (types, skip, limit) => {
				pagesServed++;
				const before = mutator.changes;
				for (let n = random.int(0, 4); n > 0; n--) mutator.step();
				changesDuringScans += mutator.changes - before;
				return serve(types, skip, limit);
			};
			let pending = true;
			const loop = (async () => {
				while (pending) {
					const before = mutator.changes;
					mutator.step();
					changesDuringScans += mutator.changes - before;
					await announce();
					await new Promise((resolve) => setTimeout(resolve, random.int(0, 3)));
				}
			})();
			try {
				const list = scans();
				const [answers] = await Promise.all([Promise.all(list.map((scan) => scan.run())), reconcileNow(ws.client.running)]);
				pending = false;
				await loop;
				const problems = list.flatMap((scan, i) => check(scan, answers[i]));
				expect(problems).toEqual([]);
			} finally {
				pending = false;
				delete (state as Partial<WorkspaceState>).roomsOfTypes;
			}
			expect(state.roomsOfTypes).toBe(Object.getPrototypeOf(state).roomsOfTypes);
		}, 120000);
	}

	it('the reconciliations ran over many pages while rooms changed', () => {
		expect(pagesServed).toBeGreaterThan(ROUNDS * 25);
		expect(changesDuringScans).toBeGreaterThan(100);
	});

	describe('afterwards, once the index has reconciled with the data', () => {
		beforeAll(async () => {
			await announce();
			// Two passes: the first may miss a room a deletion shifted across its pages; the second sees the data still.
			await reconcileNow(ws.client.running);
			await reconcileNow(ws.client.running);
			await new Promise((resolve) => setTimeout(resolve, 1100));
		}, 120000);

		type Stored = StoredRoom & { _id: string; ts: Date };
		const current = (): Stored[] => ws.state.allRooms().filter((room) => room.t === 'l') as Stored[];
		const byNewest = (a: Stored, b: Stored): number => b.ts.getTime() - a.ts.getTime() || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

		it('lists exactly the livechat rooms there are', async () => {
			const answer = await ws.rooms(`count=0&fields=${encodeURIComponent('{"_id":1}')}`, 'manager');
			expect(answer.status).toBe(200);
			const ids: string[] = answer.body.rooms.map((room: { _id: string }) => room._id);
			expect(answer.body.total).toBe(current().length);
			expect(ids).toEqual([...current()].sort(byNewest).map((room) => room._id));
		});

		it('filters on the final values', async () => {
			const answer = await ws.rooms(`open=true&count=0&fields=${encodeURIComponent('{"_id":1}')}`, 'manager');
			const want = current()
				.filter((room) => room.open === true && room.servedBy && room.onHold !== true)
				.sort(byNewest)
				.map((room) => room._id);
			expect(answer.body.rooms.map((room: { _id: string }) => room._id)).toEqual(want);
			expect(answer.body.total).toBe(want.length);
		});

		it('pages without overlap or gap', async () => {
			const want = [...current()].sort(byNewest).map((room) => room._id);
			const pages: string[] = [];
			for (let offset = 0; offset < 300; offset += 100) {
				const answer = await ws.rooms(`count=100&offset=${offset}&fields=${encodeURIComponent('{"_id":1}')}`, 'manager');
				pages.push(...answer.body.rooms.map((room: { _id: string }) => room._id));
			}
			expect(pages).toEqual(want.slice(0, 300));
		});

		it('answers the command with the right count', async () => {
			const answer = await ws.command('count=5', 'manager');
			expect(announcedTotal(answer.body.notifications[0].text)).toBe(current().length);
		});

		it('left the app enabled, its runtime never restarted, and nothing in its error log', async () => {
			expect(await ws.health()).toEqual({ status: 'manually_enabled', pid, errors: [] });
		});
	});
});
