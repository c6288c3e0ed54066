/**
 * Traffic for the local workspace (`npm start -- --traffic`): a contact centre at work. Visitors arrive and write,
 * agents take queued rooms, answer, put rooms on hold and resume them, tag them and close them, and a manager
 * transfers rooms to another agent or department. Every action goes through Rocket.Chat's omnichannel REST paths the
 * workspace serves (`omnichannel/`), as a client would send it, on each instance of the cluster in turn, so the app
 * hears of it through the livechat events of that instance only, and its other instances through its journal.
 *
 * One action at a time: before acting on a room the traffic reads it back (the visitor's `GET livechat/room`), so it
 * follows what the server did (routing, transfers back to the queue, changes made by hand meanwhile) and never asks
 * for something the room's state refuses. What each room became after its last action is kept (`rooms`), so a test
 * can check afterwards that the store, and the app's answers, lost nothing.
 */
import type { StoredRoom, WorkspaceData, WorkspaceDepartment, WorkspaceUser } from './data/types';
import { jsonOf } from './http/json';

/** Actions per minute when `--traffic` is given without a rate. */
export const DEFAULT_TRAFFIC_PER_MINUTE = 30;
/** The highest rate `--traffic=<rate>` takes (100 a second). */
export const MAX_TRAFFIC_PER_MINUTE = 6000;

export type TrafficAction = 'arrive' | 'take' | 'visitor message' | 'agent message' | 'hold' | 'resume' | 'transfer' | 'tag' | 'close';

export interface TrafficOptions {
	/** The instances' base URLs (`http://127.0.0.1:3000`, ...), used in turn. */
	urls: readonly string[];
	/** The workspace's data: users (with their tokens), departments (routing), and the rooms open at the start. */
	data: WorkspaceData;
	/** Actions per minute (`DEFAULT_TRAFFIC_PER_MINUTE`); each waits for the one before it. */
	perMinute?: number;
	/** Seed of the choices (names, actions, rooms); the same seed on the same data makes the same first choices. */
	seed?: number;
	/** Open rooms the centre keeps at most: new visitors arrive while fewer are open. Default 12. */
	openRooms?: number;
	/** One line per action (and per refusal). */
	log?: (line: string) => void;
}

export type DrivenState = 'queued' | 'open' | 'onhold' | 'closed';

/** A room as the traffic last saw it, after its own last action on it. */
export interface DrivenRoom {
	readonly rid: string;
	readonly token: string;
	readonly visitorId: string;
	name: string;
	state: DrivenState;
	agentId?: string;
	departmentId?: string;
	tags: string[];
	/** Whether the last message is the visitor's (an agent cannot put such a room on hold). */
	visitorSpokeLast: boolean;
	/** True when the traffic started the room; false for a room open at the start. */
	readonly started: boolean;
	/** The actions that succeeded on it. */
	actions: number;
}

export interface TrafficStats {
	/** Actions that succeeded, by kind. */
	readonly done: Partial<Record<TrafficAction, number>>;
	/** Actions sent to each instance (index 0: instance 1). */
	readonly perInstance: number[];
	/** What the server refused or could not answer, one line each. */
	readonly failures: string[];
}

interface Reply {
	status: number;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
}

/** A refusal of the server, or a call that got no answer: logged, counted, and the traffic goes on. */
class ActionFailed extends Error {}

const FIRST_NAMES = ['Olga', 'Kwame', 'Sofia', 'Hiroshi', 'Amara', 'Lucas', 'Priya', 'Jonas', 'Mei', 'Rafael', 'Ines', 'Tomasz', 'Aisha', 'Mateo'];
const LAST_NAMES = ['Fischer', 'Mensah', 'Rossi', 'Tanaka', 'Okafor', 'Silva', 'Raman', 'Berg', 'Chen', 'Duarte', 'Novak', 'Haddad', 'Lopez'];
const VISITOR_LINES = [
	'Hello, I need some help with my account.',
	'Is anyone there?',
	'My last invoice looks wrong.',
	'How do I add more users to our plan?',
	'The app keeps logging me out.',
	'Thanks, that worked!',
	'One more question, if you have a minute.',
	'Can I change the email address on file?',
];
const AGENT_LINES = [
	'Hi! Let me look into that for you.',
	'Thanks for waiting, I am checking now.',
	'Could you send me the invoice number?',
	'Done: you should see the change in a minute.',
	'Anything else I can help with?',
	'I have escalated this to our billing team.',
];
const TAGS = ['billing', 'refund', 'bug', 'vip', 'onboarding', 'feedback'];

/** mulberry32: small and deterministic for a seed. */
function prng(seed: number): () => number {
	let state = seed | 0;
	return () => {
		let t = (state = (state + 0x6d2b79f5) | 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function isAvailable(user: WorkspaceUser): boolean {
	return user.roles.includes('livechat-agent') && user.statusLivechat !== 'not-available' && user.status !== 'offline' && user.active !== false;
}

function clock(): string {
	return new Date().toISOString().slice(11, 19);
}

export class Traffic {
	/** Every room the traffic drives or drove, by id. */
	public readonly rooms = new Map<string, DrivenRoom>();
	public readonly stats: TrafficStats;

	private readonly random: () => number;
	private readonly intervalMs: number;
	private readonly openTarget: number;
	private readonly log: (line: string) => void;
	private readonly users = new Map<string, WorkspaceUser>();
	private readonly manager: WorkspaceUser | undefined;
	private readonly departments: WorkspaceDepartment[];
	private readonly tokenPrefix: string;
	private turn = 0;
	private visitors = 0;
	private running: Promise<void> | undefined;
	private stopped = false;
	private wake: (() => void) | undefined;
	private timer: NodeJS.Timeout | undefined;

	constructor(private readonly options: TrafficOptions) {
		if (options.urls.length === 0) throw new Error('traffic needs at least one instance');
		const perMinute = options.perMinute ?? DEFAULT_TRAFFIC_PER_MINUTE;
		if (!(perMinute > 0 && perMinute <= MAX_TRAFFIC_PER_MINUTE))
			throw new RangeError(`perMinute must be more than 0 and at most ${MAX_TRAFFIC_PER_MINUTE}`);
		this.intervalMs = 60_000 / perMinute;
		this.openTarget = options.openRooms ?? 12;
		this.random = prng(options.seed ?? 20261101);
		this.log = options.log ?? (() => undefined);
		this.stats = { done: {}, perInstance: options.urls.map(() => 0), failures: [] };
		for (const user of options.data.users) this.users.set(user._id, user);
		this.manager = options.data.users.find((u) => u.roles.includes('livechat-manager')) ?? options.data.users.find((u) => u.roles.includes('admin'));
		this.departments = options.data.departments.filter((d) => d.enabled);
		// Tokens unique across runs: a store exported and loaded again (`--data`) keeps the visitors of earlier runs.
		this.tokenPrefix = `traffic-${Date.now().toString(36)}`;
		for (const room of options.data.rooms) this.adoptStartRoom(room);
	}

	/** Starts acting, one action per interval; `stop` ends it. */
	public start(): void {
		if (this.running) return;
		this.stopped = false;
		this.running = this.loop();
	}

	/** Stops after the action in flight, which is awaited. */
	public async stop(): Promise<void> {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		this.wake?.();
		await this.running;
		this.running = undefined;
	}

	/** One action, on the next instance in turn. */
	public async step(): Promise<void> {
		const index = this.turn++ % this.options.urls.length;
		this.stats.perInstance[index] += 1;
		const url = this.options.urls[index];
		try {
			const [action, line] = await this.act(url);
			this.stats.done[action] = (this.stats.done[action] ?? 0) + 1;
			this.log(`[traffic ${clock()}] instance ${index + 1}: ${line}`);
		} catch (error) {
			const line = error instanceof ActionFailed ? error.message : `${(error as Error).message}`;
			this.stats.failures.push(`instance ${index + 1}: ${line}`);
			this.log(`[traffic ${clock()}] instance ${index + 1}: refused: ${line}`);
		}
	}

	private async loop(): Promise<void> {
		while (!this.stopped) {
			const started = Date.now();
			await this.step();
			const wait = this.intervalMs - (Date.now() - started);
			if (wait > 0 && !this.stopped) {
				await new Promise<void>((resolve) => {
					this.wake = resolve;
					this.timer = setTimeout(resolve, wait);
				});
				this.wake = undefined;
			}
		}
	}

	private adoptStartRoom(room: StoredRoom): void {
		const v = room.v as { _id?: unknown; token?: unknown } | undefined;
		if (room.t !== 'l' || room.open !== true || typeof room._id !== 'string' || typeof v?.token !== 'string' || typeof v._id !== 'string') return;
		const driven: DrivenRoom = {
			rid: room._id,
			token: v.token,
			visitorId: v._id,
			name: typeof room.fname === 'string' ? room.fname : v.token,
			state: 'open',
			tags: [],
			visitorSpokeLast: true,
			started: false,
			actions: 0,
		};
		this.take(driven, room as unknown as Record<string, unknown>);
		this.rooms.set(driven.rid, driven);
	}

	// ---- choosing ----

	private chance(p: number): boolean {
		return this.random() < p;
	}

	private pick<T>(list: readonly T[]): T {
		return list[Math.floor(this.random() * list.length)];
	}

	private open(): DrivenRoom[] {
		return [...this.rooms.values()].filter((room) => room.state !== 'closed');
	}

	private async act(url: string): Promise<[TrafficAction, string]> {
		const open = this.open();
		const arrivals = open.length < this.openTarget ? (open.length < this.openTarget / 2 ? 0.5 : 0.2) : 0;
		if (open.length === 0 || this.chance(arrivals)) return ['arrive', await this.arrive(url)];
		const room = this.pick(open);
		await this.refresh(url, room);
		if (room.state === 'closed') return ['close', `${room.name}'s room was closed meanwhile`];
		const r = this.random();
		if (room.state === 'queued') {
			if (r < 0.4) return ['take', await this.takeRoom(url, room)];
			if (r < 0.9) return ['visitor message', await this.visitorMessage(url, room)];
			return ['close', await this.close(url, room, 'the visitor left the queue')];
		}
		if (room.state === 'onhold') {
			if (r < 0.45) return ['resume', await this.resume(url, room)];
			if (r < 0.8) return ['visitor message', await this.visitorMessage(url, room)];
			return ['close', await this.close(url, room, 'closed while on hold')];
		}
		if (r < 0.08) return ['transfer', await this.transfer(url, room)];
		if (r < 0.14) return ['tag', await this.tag(url, room)];
		if (room.visitorSpokeLast) {
			// The visitor waits for an answer: mostly the agent writes back.
			if (r < 0.22) return ['close', await this.close(url, room, 'solved')];
			if (r < 0.35) return ['visitor message', await this.visitorMessage(url, room)];
			return ['agent message', await this.agentMessage(url, room)];
		}
		if (r < 0.34) return ['close', await this.close(url, room, 'solved')];
		if (r < 0.46) return ['hold', await this.hold(url, room)];
		if (r < 0.86) return ['visitor message', await this.visitorMessage(url, room)];
		return ['agent message', await this.agentMessage(url, room)];
	}

	// ---- the actions ----

	private async arrive(url: string): Promise<string> {
		this.visitors += 1;
		const token = `${this.tokenPrefix}-${this.visitors}`;
		const name = `${this.pick(FIRST_NAMES)} ${this.pick(LAST_NAMES)}`;
		const department = this.departments.length ? this.pick(this.departments) : undefined;
		const visitor = { token, name, ...(department && { department: department._id }) };
		await this.call(url, 'POST', '/api/v1/livechat/visitor', undefined, { visitor }, 'arrive');
		const reply = await this.call(url, 'GET', `/api/v1/livechat/room?token=${encodeURIComponent(token)}`, undefined, undefined, 'arrive');
		const stored = reply.body.room as Record<string, unknown>;
		const v = stored.v as { _id: string };
		const room: DrivenRoom = {
			rid: stored._id as string,
			token,
			visitorId: v._id,
			name,
			state: 'queued',
			tags: [],
			visitorSpokeLast: true,
			started: true,
			actions: 0,
		};
		this.take(room, stored);
		this.rooms.set(room.rid, room);
		await this.call(url, 'POST', '/api/v1/livechat/message', undefined, { token, rid: room.rid, msg: this.pick(VISITOR_LINES) }, 'arrive');
		this.done(room);
		const where = department ? ` at ${department.name}` : '';
		return `${name} arrives${where}, ${room.agentId ? `served by @${this.username(room.agentId)}` : 'queued'}`;
	}

	private async takeRoom(url: string, room: DrivenRoom): Promise<string> {
		const agent = this.agentFor(room.departmentId);
		if (!agent) throw new ActionFailed(`take ${room.name}: no available agent`);
		const inquiry = await this.call(url, 'GET', `/api/v1/livechat/inquiries.getOne?roomId=${encodeURIComponent(room.rid)}`, agent, undefined, 'take');
		const id = inquiry.body.inquiry?._id;
		if (typeof id !== 'string') throw new ActionFailed(`take ${room.name}: the room has no inquiry`);
		await this.call(url, 'POST', '/api/v1/livechat/inquiries.take', agent, { inquiryId: id }, 'take');
		await this.refresh(url, room);
		this.done(room);
		return `@${agent.username} takes ${room.name}'s room from the queue`;
	}

	private async visitorMessage(url: string, room: DrivenRoom): Promise<string> {
		const msg = this.pick(VISITOR_LINES);
		await this.call(url, 'POST', '/api/v1/livechat/message', undefined, { token: room.token, rid: room.rid, msg }, 'visitor message');
		const wasOnHold = room.state === 'onhold';
		await this.refresh(url, room);
		this.done(room);
		return `${room.name} writes "${msg}"${wasOnHold ? ' (the room resumes)' : ''}`;
	}

	private async agentMessage(url: string, room: DrivenRoom): Promise<string> {
		const agent = this.servingAgent(room);
		const msg = this.pick(AGENT_LINES);
		await this.call(url, 'POST', '/api/v1/chat.sendMessage', agent, { message: { rid: room.rid, msg } }, 'agent message');
		await this.refresh(url, room);
		this.done(room);
		return `@${agent.username} answers ${room.name}: "${msg}"`;
	}

	private async hold(url: string, room: DrivenRoom): Promise<string> {
		const agent = this.servingAgent(room);
		await this.call(url, 'POST', '/api/v1/livechat/room.onHold', agent, { roomId: room.rid }, 'hold');
		await this.refresh(url, room);
		this.done(room);
		return `@${agent.username} puts ${room.name}'s room on hold`;
	}

	private async resume(url: string, room: DrivenRoom): Promise<string> {
		const agent = this.servingAgent(room);
		await this.call(url, 'POST', '/api/v1/livechat/room.resumeOnHold', agent, { roomId: room.rid }, 'resume');
		await this.refresh(url, room);
		this.done(room);
		return `@${agent.username} resumes ${room.name}'s room`;
	}

	private async transfer(url: string, room: DrivenRoom): Promise<string> {
		const manager = this.manager;
		if (!manager) throw new ActionFailed(`transfer ${room.name}: no manager in the data`);
		const colleagues = this.departmentAgents(room.departmentId).filter((agent) => agent._id !== room.agentId);
		const elsewhere = this.departments.filter((d) => d._id !== room.departmentId);
		const toAgent = colleagues.length > 0 && (elsewhere.length === 0 || this.chance(0.5));
		let to: string;
		if (toAgent) {
			const agent = this.pick(colleagues);
			await this.call(url, 'POST', '/api/v1/livechat/room.forward', manager, { roomId: room.rid, userId: agent._id }, 'transfer');
			to = `@${agent.username}`;
		} else {
			if (elsewhere.length === 0) throw new ActionFailed(`transfer ${room.name}: nowhere to transfer to`);
			const department = this.pick(elsewhere);
			await this.call(url, 'POST', '/api/v1/livechat/room.forward', manager, { roomId: room.rid, departmentId: department._id }, 'transfer');
			to = department.name;
		}
		await this.refresh(url, room);
		this.done(room);
		const now = room.state === 'queued' ? 'back in the queue' : `now served by @${this.username(room.agentId)}`;
		return `@${manager.username} transfers ${room.name}'s room to ${to}, ${now}`;
	}

	private async tag(url: string, room: DrivenRoom): Promise<string> {
		const agent = this.servingAgent(room);
		const tag = this.pick(TAGS);
		const tags = room.tags.includes(tag) ? room.tags : [...room.tags, tag];
		const roomData = { _id: room.rid, tags, topic: `About ${tag}` };
		await this.call(url, 'POST', '/api/v1/livechat/room.saveInfo', agent, { guestData: { _id: room.visitorId }, roomData }, 'tag');
		await this.refresh(url, room);
		this.done(room);
		return `@${agent.username} tags ${room.name}'s room ${tags.join(', ')}`;
	}

	private async close(url: string, room: DrivenRoom, comment: string): Promise<string> {
		const by = room.agentId && this.users.has(room.agentId) ? this.servingAgent(room) : this.manager;
		if (!by) throw new ActionFailed(`close ${room.name}: nobody may close it`);
		// A department that asks for tags before closing gets one always.
		const required = this.departments.find((d) => d._id === room.departmentId)?.requestTagBeforeClosingChat === true;
		const tags = required || this.chance(0.5) ? [this.pick(TAGS)] : [];
		await this.call(url, 'POST', '/api/v1/livechat/room.closeByUser', by, { rid: room.rid, comment, ...(tags.length && { tags }) }, 'close');
		room.state = 'closed';
		for (const tag of tags) if (!room.tags.includes(tag)) room.tags.push(tag);
		this.done(room);
		return `@${by.username} closes ${room.name}'s room (${comment}${tags.length ? `, tagged ${tags.join(', ')}` : ''})`;
	}

	// ---- the server ----

	/** Reads the room back as its visitor's client does; a room that is no longer open is closed. */
	private async refresh(url: string, room: DrivenRoom): Promise<void> {
		const reply = await this.send(url, 'GET', `/api/v1/livechat/room?token=${encodeURIComponent(room.token)}&rid=${encodeURIComponent(room.rid)}`);
		if (reply.status === 200 && reply.body?.room) this.take(room, reply.body.room as Record<string, unknown>);
		else if (reply.status === 400 && reply.body?.error === 'invalid-room') room.state = 'closed';
		else throw new ActionFailed(`reading ${room.name}'s room: ${reply.status} ${JSON.stringify(reply.body)}`);
	}

	/** What a stored room (as the REST answers carry it) says of its state. */
	private take(room: DrivenRoom, stored: Record<string, unknown>): void {
		const servedBy = stored.servedBy as { _id?: string } | undefined;
		room.agentId = servedBy?._id;
		room.departmentId = typeof stored.departmentId === 'string' ? stored.departmentId : undefined;
		room.tags = Array.isArray(stored.tags) ? (stored.tags as string[]).slice() : [];
		room.visitorSpokeLast = Boolean((stored.lastMessage as { token?: string } | undefined)?.token) || !stored.lastMessage;
		room.state = stored.open !== true ? 'closed' : stored.onHold === true ? 'onhold' : servedBy ? 'open' : 'queued';
	}

	private done(room: DrivenRoom): void {
		room.actions += 1;
	}

	private async call(
		url: string,
		method: 'GET' | 'POST',
		path: string,
		user: WorkspaceUser | undefined,
		body: unknown,
		action: TrafficAction,
	): Promise<Reply> {
		const reply = await this.send(url, method, path, user, body);
		if (reply.status !== 200 || reply.body?.success !== true) {
			const reason = reply.body?.error ?? reply.body?.message ?? JSON.stringify(reply.body);
			throw new ActionFailed(`${action}: ${method} ${path.split('?')[0]} answered ${reply.status} ${reason}`);
		}
		return reply;
	}

	private async send(url: string, method: 'GET' | 'POST', path: string, user?: WorkspaceUser, body?: unknown): Promise<Reply> {
		const headers: Record<string, string> = {};
		if (user) Object.assign(headers, { 'X-User-Id': user._id, 'X-Auth-Token': user.authToken });
		if (body !== undefined) headers['Content-Type'] = 'application/json';
		let res: Response;
		try {
			res = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
		} catch (error) {
			throw new ActionFailed(`${method} ${path.split('?')[0]}: no answer (${(error as Error).message})`);
		}
		const text = await res.text();
		const parsed = jsonOf(text);
		// A text answer stays text, for the failure's message.
		return { status: res.status, body: parsed === undefined ? text : parsed };
	}

	// ---- people ----

	private username(id: string | undefined): string {
		return (id && this.users.get(id)?.username) || String(id);
	}

	private departmentAgents(departmentId: string | undefined): WorkspaceUser[] {
		const department = this.departments.find((d) => d._id === departmentId);
		const ids = department?.agents;
		const agents = ids?.length
			? ids.map((id) => this.users.get(typeof id === 'string' ? id : id.agentId)).filter((u): u is WorkspaceUser => u !== undefined)
			: [...this.users.values()];
		return agents.filter(isAvailable);
	}

	private agentFor(departmentId: string | undefined): WorkspaceUser | undefined {
		const agents = this.departmentAgents(departmentId);
		return agents.length ? this.pick(agents) : undefined;
	}

	/** The agent serving the room, who may act on it; the manager when the data does not hold that agent. */
	private servingAgent(room: DrivenRoom): WorkspaceUser {
		const agent = room.agentId ? this.users.get(room.agentId) : undefined;
		const by = agent ?? this.manager;
		if (!by) throw new ActionFailed(`${room.name}'s room: nobody may act on it`);
		return by;
	}
}
