/**
 * The workspace's shared store, the stand-in for a cluster's one MongoDB: users, departments, visitors and rooms as
 * Rocket.Chat stores them, in insertion order (MongoDB's natural order, which is what `getAllRooms` pages over), the
 * apps' persistence records, and what the apps asked of the host. It lives in the main thread; every instance reads
 * and writes it (instances in worker threads through a message channel).
 *
 * Every write to a room stamps `_updatedAt`, as Rocket.Chat's models do on every insert and update.
 */
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { StoredRoom, WorkspaceData, WorkspaceDepartment, WorkspaceUser } from '../data/types';
import { departmentByIdOrName } from '../data/departments';
import { cloneDoc, convertVisitor, convertRoomFull } from './fullConverter';
import type { RoomLookups } from './fullConverter';
import { PersistenceStore } from './persistence';
import type { Any } from '../loose';

export interface Notification {
	text?: string;
	blocks?: unknown[];
	[key: string]: unknown;
}

/** A livechat visitor as Rocket.Chat stores it (`rocketchat_livechat_visitor`). */
export type StoredVisitor = Record<string, unknown> & { _id: string };

/** What the app asked of the host since start or the last reset. */
export interface WorkspaceStats {
	roomListCalls: number;
	roomsWalked: number;
	roomById: number;
	persistenceReads: number;
	persistenceWrites: number;
	/** Bytes the app's persistence writes carried (each record's `data` as JSON; a removal counts none). */
	persistenceBytesWritten: number;
}

const EPOCH = new Date('2026-01-01T00:00:00.000Z');

export class WorkspaceState {
	private rooms: StoredRoom[];

	/** Rooms of a set of types, cached until the rooms change: `getAllRooms` pages through them by `skip`. */
	private readonly byTypes = new Map<string, StoredRoom[]>();

	/** Rooms by `_id`, as MongoDB's index on `_id` finds them (a room read by id must not cost a scan). */
	private readonly byId = new Map<string, StoredRoom>();

	private readonly usersById = new Map<string, WorkspaceUser>();

	private readonly usersByName = new Map<string, WorkspaceUser>();

	private readonly visitorsById = new Map<string, StoredVisitor>();

	private appUserRecord?: IUser;

	public readonly persistence: PersistenceStore;

	public stats: WorkspaceStats = { roomListCalls: 0, roomsWalked: 0, roomById: 0, persistenceReads: 0, persistenceWrites: 0, persistenceBytesWritten: 0 };

	public siteUrl = 'http://localhost:3000';

	/** What the apps sent each user (UIKit interactions, ephemeral messages), kept until read. */
	private readonly inboxes = new Map<string, { interactions: Array<Record<string, unknown>>; notifications: Array<Record<string, unknown>> }>();

	/** The last `_updatedAt` stamped, so that two writes in the same millisecond still order. */
	private lastStamp = 0;

	constructor(private readonly data: WorkspaceData) {
		this.rooms = [...data.rooms];
		for (const room of this.rooms) this.byId.set(room._id as string, room);
		for (const user of data.users) {
			this.usersById.set(user._id, user);
			this.usersByName.set(user.username, user);
		}
		// The data file holds no visitors: each room's `v` stands for the visitor record the server would hold.
		for (const room of this.rooms) {
			const v = room.v as Record<string, unknown> | undefined;
			if (v && typeof v._id === 'string' && !this.visitorsById.has(v._id)) {
				const visitor: StoredVisitor = {
					_id: v._id,
					username: v.username,
					token: v.token,
					status: v.status ?? 'online',
					ts: room.ts,
					_updatedAt: room.ts,
				};
				if (v.name !== undefined) visitor.name = v.name;
				if (v.phone !== undefined) visitor.phone = v.phone;
				this.visitorsById.set(v._id, visitor);
			}
		}
		this.persistence = new PersistenceStore(this.stats);
	}

	public resetStats(): void {
		Object.assign(this.stats, { roomListCalls: 0, roomsWalked: 0, roomById: 0, persistenceReads: 0, persistenceWrites: 0, persistenceBytesWritten: 0 });
	}

	public get users(): readonly WorkspaceUser[] {
		return this.data.users;
	}

	public get departments(): readonly WorkspaceDepartment[] {
		return this.data.departments;
	}

	public allRooms(): readonly StoredRoom[] {
		return this.rooms;
	}

	/** A page of the rooms of these types in insertion order; counted as one `getAllRooms` call walking `skip + limit`. */
	public roomsOfTypes(types: readonly string[] | undefined, skip: number, limit: number): StoredRoom[] {
		this.stats.roomListCalls += 1;
		this.stats.roomsWalked += skip + limit;
		const key = types && types.length ? [...types].sort().join(',') : '*';
		let list = this.byTypes.get(key);
		if (!list) {
			const wanted = types && types.length ? new Set(types) : undefined;
			list = wanted ? this.rooms.filter((room) => wanted.has(room.t as string)) : this.rooms;
			this.byTypes.set(key, list);
		}
		return list.slice(skip, skip + limit);
	}

	/** `_updatedAt` for a write now: the wall clock, never before the previous stamp. */
	private stamp(): Date {
		this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
		return new Date(this.lastStamp);
	}

	public findRoom(id: string): StoredRoom | undefined {
		return this.byId.get(id);
	}

	/** Inserts a room (at the end, MongoDB's natural order, unless a position is given), stamping `_updatedAt`. */
	public addRoom(room: StoredRoom, position?: number): StoredRoom {
		const stored: StoredRoom = { ...room, _updatedAt: this.stamp() };
		const at = position === undefined ? this.rooms.length : position;
		this.rooms = [...this.rooms.slice(0, at), stored, ...this.rooms.slice(at)];
		this.byId.set(stored._id as string, stored);
		this.byTypes.clear();
		return stored;
	}

	public insertRoom(room: StoredRoom): StoredRoom {
		return this.addRoom(room);
	}

	/** `$set` these fields and `$unset` those, stamping `_updatedAt`; false when there is no such room. */
	public updateRoom(id: string, fields: Record<string, unknown>, unset: readonly string[] = []): boolean {
		const current = this.byId.get(id);
		if (!current) return false;
		const index = this.rooms.indexOf(current);
		const next: StoredRoom = { ...current, ...fields };
		for (const key of unset) delete next[key];
		next._updatedAt = this.stamp();
		this.rooms = [...this.rooms];
		this.rooms[index] = next;
		this.byId.set(id, next);
		this.byTypes.clear();
		return true;
	}

	public removeRoom(id: string): boolean {
		const current = this.byId.get(id);
		if (!current) return false;
		this.rooms = this.rooms.filter((room) => room !== current);
		this.byId.delete(id);
		this.byTypes.clear();
		return true;
	}

	public userById(id: string): WorkspaceUser | undefined {
		return this.usersById.get(id);
	}

	public userByUsername(username: string): WorkspaceUser | undefined {
		return this.usersByName.get(username);
	}

	/**
	 * Where visitor records are found. By default, the records built from the rooms' `v`; the omnichannel actions
	 * keep the visitors collection of the cluster and point this at it.
	 */
	public visitorSource: (id: string) => StoredVisitor | undefined = (id) => this.visitorsById.get(id);

	public visitorById(id: string): StoredVisitor | undefined {
		return this.visitorSource(id);
	}

	/** The visitor records built from the rooms' `v` at start (the omnichannel actions' visitors collection starts from them). */
	public visitors(): StoredVisitor[] {
		return [...this.visitorsById.values()];
	}

	/** `X-User-Id` + `X-Auth-Token`, as Rocket.Chat's REST authentication checks them. */
	public authenticate(userId: unknown, token: unknown): WorkspaceUser | undefined {
		if (typeof userId !== 'string' || typeof token !== 'string' || !token) return undefined;
		const user = this.usersById.get(userId);
		return user && user.authToken === token ? user : undefined;
	}

	/** A user as Rocket.Chat's user converter hands it to an app. */
	public appUser(user: WorkspaceUser | undefined): IUser | undefined {
		if (!user) return undefined;
		return {
			id: user._id,
			username: user.username,
			name: user.name,
			emails: [],
			type: 'user',
			isEnabled: true,
			roles: [...user.roles],
			status: 'online',
			statusConnection: 'online',
			utcOffset: user.utcOffset ?? 0,
			createdAt: EPOCH,
			updatedAt: EPOCH,
			lastLoginAt: EPOCH,
			settings: { preferences: user.language ? { language: user.language } : {} },
		} as Any as IUser;
	}

	/** Who installs the apps: the first admin, as the app user converter hands it over. */
	public installer(): IUser | undefined {
		return this.appUser(this.data.users.find((u) => u.roles.includes('admin')));
	}

	public appUserById(id: string): IUser | undefined {
		return this.appUser(this.userById(id));
	}

	public createAppUser(data: Partial<IUser>): string {
		this.appUserRecord = { ...(data as IUser), id: data.id ?? 'app-livechat-rooms' };
		return this.appUserRecord.id;
	}

	public appBotUser(): IUser | undefined {
		return this.appUserRecord;
	}

	/** A visitor as Rocket.Chat's visitor converter hands it to an app. */
	public appVisitor(id: string): Record<string, unknown> | undefined {
		const stored = this.visitorSource(id);
		if (!stored) return undefined;
		return convertVisitor(cloneDoc(stored));
	}

	/** A department as Rocket.Chat's department converter hands it to an app; found by id or by name. */
	public appDepartment(idOrName: string): Record<string, unknown> | undefined {
		const department = departmentByIdOrName(this.data.departments, idOrName);
		if (!department) return undefined;
		// `agents` and `routingMethod` stand in for what Rocket.Chat keeps elsewhere (the department agents collection, the
		// server's routing setting): they are not fields of its department document, so the app never sees them.
		const { _id, name, enabled, agents: _agents, routingMethod: _routing, ...rest } = department as WorkspaceDepartment & Record<string, unknown>;
		return {
			id: _id,
			name,
			enabled,
			updatedAt: EPOCH,
			numberOfAgents: 0,
			showOnOfflineForm: true,
			showOnRegistration: true,
			_unmappedProperties_: rest,
		};
	}

	/**
	 * `getDepartmentsEnabledWithAgents()`: Rocket.Chat's `LivechatDepartment.findEnabledWithAgents()`, the enabled
	 * departments with at least one agent (`numAgents > 0`), each through the department converter.
	 */
	public departmentsEnabledWithAgents(): Array<Record<string, unknown>> {
		const livechatAgents = this.data.users.filter((user) => user.roles.includes('livechat-agent')).length;
		return this.data.departments
			.filter((department) => department.enabled && (department.agents ? department.agents.length : livechatAgents) > 0)
			.map((department) => ({ ...this.appDepartment(department._id), numberOfAgents: department.agents ? department.agents.length : livechatAgents }));
	}

	private lookups(): RoomLookups {
		return {
			user: (id) => this.appUserById(id) as Any,
			visitor: (id) => this.appVisitor(id),
			department: (id) => (this.data.departments.some((d) => d._id === id) ? this.appDepartment(id) : undefined),
			contact: () => undefined,
			room: (id) => this.findRoom(id),
		};
	}

	/** The room as `getById` hands it to an app (Rocket.Chat's full converter); counted as one `getById`. */
	public roomById(roomId: string): Record<string, unknown> | undefined {
		this.stats.roomById += 1;
		return this.fullRoom(roomId);
	}

	/** The room through the full converter, as event payloads carry it (not counted). */
	public fullRoom(roomId: string): Record<string, unknown> | undefined {
		const room = this.findRoom(roomId);
		return room ? this.convertFull(room) : undefined;
	}

	/** A room document (stored, or just removed) through the full converter. */
	public convertFull(room: StoredRoom): Record<string, unknown> {
		return convertRoomFull(room, this.lookups());
	}

	public serverSetting(id: string): Record<string, unknown> | undefined {
		const values: Record<string, unknown> = { Site_Url: this.siteUrl, Site_Name: 'Livechat Rooms workspace' };
		if (!(id in values)) return undefined;
		return { id, value: values[id], packageValue: values[id], type: 'string', required: false, public: true, i18nLabel: id };
	}

	public serverSettings(): Array<Record<string, unknown>> {
		return ['Site_Url', 'Site_Name'].map((id) => this.serverSetting(id) as Record<string, unknown>);
	}

	/** Keeps what an app sent a user, from any instance, until `drainInbox`. */
	public deliver(userId: string, kind: 'interactions' | 'notifications', item: Record<string, unknown>): void {
		const inbox = this.inboxes.get(userId) ?? { interactions: [], notifications: [] };
		inbox[kind].push(item);
		this.inboxes.set(userId, inbox);
	}

	/** What the apps sent this user since the last call, oldest first. */
	public drainInbox(userId: string): { interactions: Array<Record<string, unknown>>; notifications: Array<Record<string, unknown>> } {
		const inbox = this.inboxes.get(userId) ?? { interactions: [], notifications: [] };
		this.inboxes.delete(userId);
		return inbox;
	}

	/** The store in the data-file format: users, departments and rooms as stored, in insertion order. */
	public exportData(): WorkspaceData {
		return {
			users: this.data.users.map((u) => ({ ...u, roles: [...u.roles] })),
			departments: this.data.departments.map((d) => ({ ...d })),
			rooms: this.rooms.map(cloneDoc),
		};
	}
}
