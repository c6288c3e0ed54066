/**
 * The ports of the core: every interface the core reads through, as plain functions and objects; the engine's readers
 * and the app's persistence at run time (wired in `engine/wireSources.ts` and `engine/RoomIndexKeeper.ts`), fakes in
 * unit tests.
 *
 * - `Sources`: what both front doors (the endpoint and the command) read.
 * - `RoomSource` / `Availability`: every livechat room, exact, or why not now.
 * - `DepartmentLookup`: a department by id or name, the one way the core names departments.
 * - `HostRooms`: the host's rooms, as the index's build, reconciliation and the index-off path read them.
 * - `SharedReader` / `SharedStore`: the records the instances of a cluster share about the index (`index/shared.ts`).
 */
import type { AccessRoles } from './access/access';
import type { RoomSet } from './index/RoomIndex';
import type { EngineRoom } from './rooms/EngineRoom';
import type { RoomDocument } from './rooms/RoomDocument';

export interface Sources {
	/** The two role settings; rejects when they cannot be read (the request is then refused, never widened). */
	readonly roles: () => Promise<AccessRoles>;
	/** Every livechat room as stored, exact (the app's index, or the host read in full); or why not now. */
	readonly rooms: RoomSource;
	/** A department by id or name (the command resolves `department=` names with it). */
	readonly departments: DepartmentLookup;
	/** The departments the livechat reader lists: enabled, with agents (the console's department choices). */
	readonly enabledDepartments: () => Promise<ReadonlyArray<{ readonly _id: string; readonly name: string }>>;
	/** `Site_Url` without a trailing slash, or `''` when it cannot be read. */
	readonly siteUrl: () => Promise<string>;
	/** The app's error log, for failures an answer does not show (a parser bug answered as a 400, say). */
	readonly logError: (message: string, error: unknown) => void;
}

export interface DepartmentName {
	readonly _id: string;
	readonly name: string;
}

export type DepartmentLookup = (idOrName: string) => Promise<DepartmentName | undefined>;

/** Where both front doors get their rooms: every livechat room, exact, or why not now. */
export interface RoomSource {
	current(): Promise<Availability>;
}

/** Why the rooms cannot be read now, and in how many seconds to try again. */
export interface Unavailable {
	readonly message: string;
	readonly retryAfter: number;
}

/**
 * The rooms, or why not. A refusal may carry `openRooms`: every open room, exact, while the closed rooms are still
 * being read (the queue first); only a request `decidedByOpenRooms` may be answered from them.
 */
export type Availability =
	{ readonly ok: true; readonly rooms: RoomSet } | { readonly ok: false; readonly unavailable: Unavailable; readonly openRooms?: RoomSet };

/** Records in the app's persistence, by names. */
export interface SharedReader {
	/** Every record filed under all of these names. */
	read(names: readonly string[]): Promise<unknown[]>;
}

export interface SharedStore extends SharedReader {
	/** Files a new record. */
	create(names: readonly string[], data: object): Promise<void>;
	/** Replaces the record filed under exactly these names, creating it when there is none. */
	put(names: readonly string[], data: object): Promise<void>;
	/** Removes every record filed under all of these names. */
	remove(names: readonly string[]): Promise<void>;
}

/** A room read in full from the host: the document, `gone` (no such room), or `other` (not a livechat room). */
export type FullRoom = RoomDocument | 'gone' | 'other';

/** The host's rooms: the livechat list page by page (projected), and one room in full. */
export interface HostRooms {
	page(skip: number, limit: number): Promise<readonly EngineRoom[]>;
	full(id: string): Promise<FullRoom>;
}
