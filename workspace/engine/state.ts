/**
 * What the local workspace holds: users, departments and rooms as Rocket.Chat stores them, in insertion order
 * (MongoDB's natural order, which is what `getAllRooms` pages over), plus the ephemeral messages the app sends.
 * Tests change rooms while the app scans them through `addRoom`, `updateRoom` and `removeRoom`.
 */
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

import type { StoredRoom, WorkspaceData, WorkspaceDepartment, WorkspaceUser } from '../data/types';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Notification {
	text?: string;
	blocks?: unknown[];
	[key: string]: unknown;
}

export class WorkspaceState {
	private rooms: StoredRoom[];

	/** Rooms of a set of types, cached until the rooms change: `getAllRooms` pages through them by `skip`. */
	private readonly byTypes = new Map<string, StoredRoom[]>();

	private readonly usersById = new Map<string, WorkspaceUser>();

	private readonly usersByName = new Map<string, WorkspaceUser>();

	private readonly listeners = new Map<string, Set<(message: Notification) => void>>();

	private appUserRecord?: IUser;

	public siteUrl = 'http://localhost:3000';

	constructor(private readonly data: WorkspaceData) {
		this.rooms = [...data.rooms];
		for (const user of data.users) {
			this.usersById.set(user._id, user);
			this.usersByName.set(user.username, user);
		}
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

	public roomsOfTypes(types: readonly string[] | undefined, skip: number, limit: number): StoredRoom[] {
		const key = types && types.length ? [...types].sort().join(',') : '*';
		let list = this.byTypes.get(key);
		if (!list) {
			const wanted = types && types.length ? new Set(types) : undefined;
			list = wanted ? this.rooms.filter((room) => wanted.has(room.t as string)) : this.rooms;
			this.byTypes.set(key, list);
		}
		return list.slice(skip, skip + limit);
	}

	public addRoom(room: StoredRoom, position?: number): void {
		const at = position === undefined ? this.rooms.length : position;
		this.rooms = [...this.rooms.slice(0, at), room, ...this.rooms.slice(at)];
		this.byTypes.clear();
	}

	public updateRoom(id: string, fields: Record<string, unknown>, unset: readonly string[] = []): boolean {
		const index = this.rooms.findIndex((room) => room._id === id);
		if (index < 0) return false;
		const next: StoredRoom = { ...this.rooms[index], ...fields };
		for (const key of unset) delete next[key];
		this.rooms = [...this.rooms];
		this.rooms[index] = next;
		this.byTypes.clear();
		return true;
	}

	public removeRoom(id: string): boolean {
		const before = this.rooms.length;
		this.rooms = this.rooms.filter((room) => room._id !== id);
		this.byTypes.clear();
		return this.rooms.length !== before;
	}

	public userById(id: string): WorkspaceUser | undefined {
		return this.usersById.get(id);
	}

	public userByUsername(username: string): WorkspaceUser | undefined {
		return this.usersByName.get(username);
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
		const created = new Date('2026-01-01T00:00:00.000Z');
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
			utcOffset: 0,
			createdAt: created,
			updatedAt: created,
			lastLoginAt: created,
		} as Any as IUser;
	}

	public createAppUser(data: Partial<IUser>): string {
		this.appUserRecord = { ...(data as IUser), id: data.id ?? 'app-livechat-rooms' };
		return this.appUserRecord.id;
	}

	public appBotUser(): IUser | undefined {
		return this.appUserRecord;
	}

	/** A department as Rocket.Chat's department converter hands it to an app; found by id or by name. */
	public appDepartment(idOrName: string): Record<string, unknown> | undefined {
		const department = this.data.departments.find((d) => d._id === idOrName) ?? this.data.departments.find((d) => d.name === idOrName);
		if (!department) return undefined;
		return {
			id: department._id,
			name: department.name,
			enabled: department.enabled,
			updatedAt: new Date('2026-01-01T00:00:00.000Z'),
			numberOfAgents: 0,
			showOnOfflineForm: true,
			showOnRegistration: true,
		};
	}

	/** The room a slash command is typed in, as the full room converter would hand it over (the fields apps read). */
	public appRoom(roomId: string): Record<string, unknown> | undefined {
		const room = this.rooms.find((r) => r._id === roomId);
		if (!room) return undefined;
		return {
			id: room._id,
			displayName: room.fname,
			slugifiedName: room.name ?? room._id,
			type: room.t,
			creator: this.appUser(this.userById(((room.u as Any) ?? {})._id)),
			isDefault: Boolean(room.default),
			isReadOnly: Boolean(room.ro),
			displaySystemMessages: room.sysMes === undefined ? true : room.sysMes,
			messageCount: room.msgs ?? 0,
			createdAt: room.ts,
			updatedAt: room._updatedAt,
			lastModifiedAt: room.lm,
		};
	}

	public serverSetting(id: string): Record<string, unknown> | undefined {
		const values: Record<string, unknown> = { Site_Url: this.siteUrl, Site_Name: 'Livechat Rooms workspace' };
		if (!(id in values)) return undefined;
		return { id, value: values[id], packageValue: values[id], type: 'string', required: false, public: true, i18nLabel: id };
	}

	public serverSettings(): Array<Record<string, unknown>> {
		return ['Site_Url', 'Site_Name'].map((id) => this.serverSetting(id) as Record<string, unknown>);
	}

	/** Collects what the app sends a user with `notifyUser` while `run` is under way. */
	public async collectNotifications<T>(userId: string, run: () => Promise<T>): Promise<{ result: T; notifications: Notification[] }> {
		const notifications: Notification[] = [];
		const listener = (message: Notification): void => {
			notifications.push(message);
		};
		const set = this.listeners.get(userId) ?? new Set();
		set.add(listener);
		this.listeners.set(userId, set);
		try {
			const result = await run();
			return { result, notifications };
		} finally {
			set.delete(listener);
		}
	}

	public notify(user: IUser, message: Any): void {
		const { text, blocks } = message ?? {};
		for (const listener of this.listeners.get(user?.id) ?? []) listener({ text, blocks });
	}
}
