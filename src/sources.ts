/**
 * What both front doors (the endpoint and the command) read, as plain functions: the engine's readers at run time
 * (wired once, in `engine/sources.ts`), fakes in unit tests.
 */
import type { AccessRoles } from './access/access';
import type { DepartmentLookup, RoomSource } from './index/findRooms';

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
