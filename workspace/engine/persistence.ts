/**
 * The apps' persistence, as Rocket.Chat's persistence bridge keeps it in one collection (`rocketchat_apps_persistence`)
 * shared by every instance of a cluster: records `{ _id, appId, associations?, data }` in insertion order.
 *
 * - reads by associations match every record holding ALL of the given associations (MongoDB's `$all`), in insertion
 *   order, with no filter on `data`, no paging and no count;
 * - `updateByAssociations` matches the association list EXACTLY (same records, same order), replaces the first match's
 *   `data`, and inserts a new record when nothing matches and `upsert` is set;
 * - `update(id)` is not implemented by Rocket.Chat and throws;
 * - everything of an app is purged when the app is uninstalled.
 * The records live in the main thread, so they survive the app's runtime restarting.
 */
import { randomBytes } from 'crypto';

import type { WorkspaceStats } from './state';

export interface Association {
	model: string;
	id: string;
}

export interface PersistenceRecord {
	_id: string;
	appId: string;
	associations?: Association[];
	data: Record<string, unknown>;
}

/** A MongoDB-like 17-character id, as Rocket.Chat's models insert them. */
export function randomId(): string {
	const alphabet = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';
	return Array.from(randomBytes(17), (byte) => alphabet[byte % alphabet.length]).join('');
}

function sameAssociation(a: Association, b: Association): boolean {
	return a.model === b.model && a.id === b.id;
}

function plainAssociations(associations: unknown): Association[] {
	if (!Array.isArray(associations)) throw new Error('associations must be an array');
	return associations.map((a) => ({ model: String((a as Association).model), id: String((a as Association).id) }));
}

/** What a record weighs as stored: its `data` and associations as JSON (MongoDB's BSON is about as large). */
export function recordBytes(record: Pick<PersistenceRecord, 'data' | 'associations'>): number {
	return JSON.stringify(record.data).length + (record.associations ? JSON.stringify(record.associations).length : 0);
}

function checkData(data: unknown): Record<string, unknown> {
	if (typeof data !== 'object') throw new Error('Attempted to store an invalid data type, it must be an object.');
	return data as Record<string, unknown>;
}

export class PersistenceStore {
	private records: PersistenceRecord[] = [];

	constructor(private readonly stats: WorkspaceStats) {}

	public all(appId?: string): readonly PersistenceRecord[] {
		return appId === undefined ? this.records : this.records.filter((r) => r.appId === appId);
	}

	private matchingAll(associations: Association[], appId: string): PersistenceRecord[] {
		return this.records.filter(
			(r) => r.appId === appId && associations.every((wanted) => (r.associations ?? []).some((held) => sameAssociation(held, wanted))),
		);
	}

	/** Bytes an app's records hold now. */
	public heldBytes(appId: string): number {
		return this.all(appId).reduce((sum, record) => sum + recordBytes(record), 0);
	}

	private written(record: Pick<PersistenceRecord, 'data' | 'associations'>): void {
		this.stats.persistenceWrites += 1;
		this.stats.persistenceBytesWritten += recordBytes(record);
	}

	public create(data: unknown, appId: string): string {
		const record: PersistenceRecord = { _id: randomId(), appId, data: checkData(data) };
		this.written(record);
		this.records.push(record);
		return record._id;
	}

	public createWithAssociations(data: unknown, associations: unknown, appId: string): string {
		const record: PersistenceRecord = { _id: randomId(), appId, associations: plainAssociations(associations), data: checkData(data) };
		this.written(record);
		this.records.push(record);
		return record._id;
	}

	public readById(id: string, appId: string): Record<string, unknown> | undefined {
		this.stats.persistenceReads += 1;
		// Rocket.Chat finds the record by id alone.
		void appId;
		return this.records.find((r) => r._id === id)?.data;
	}

	public readByAssociations(associations: unknown, appId: string): Array<Record<string, unknown>> {
		this.stats.persistenceReads += 1;
		return this.matchingAll(plainAssociations(associations), appId).map((r) => r.data);
	}

	public remove(id: string, appId: string): Record<string, unknown> | undefined {
		this.stats.persistenceWrites += 1;
		const record = this.records.find((r) => r._id === id && r.appId === appId);
		if (!record) return undefined;
		this.records = this.records.filter((r) => r !== record);
		return record.data;
	}

	public removeByAssociations(associations: unknown, appId: string): Array<Record<string, unknown>> {
		this.stats.persistenceWrites += 1;
		const matched = this.matchingAll(plainAssociations(associations), appId);
		const gone = new Set(matched);
		this.records = this.records.filter((r) => !gone.has(r));
		return matched.map((r) => r.data);
	}

	public update(id: string, data: unknown, upsert: boolean, appId: string): never {
		void id;
		void upsert;
		void appId;
		checkData(data);
		throw new Error('Not implemented.');
	}

	/** The id of the record inserted by an upsert, or an empty string when an existing record was updated. */
	public updateByAssociations(associations: unknown, data: unknown, upsert: boolean, appId: string): string {
		const wanted = plainAssociations(associations);
		const value = checkData(data);
		this.written({ data: value, associations: wanted });
		const record = this.records.find(
			(r) =>
				r.appId === appId &&
				r.associations !== undefined &&
				r.associations.length === wanted.length &&
				r.associations.every((held, i) => sameAssociation(held, wanted[i])),
		);
		if (record) {
			record.data = value;
			return '';
		}
		if (!upsert) return '';
		const inserted: PersistenceRecord = { _id: randomId(), appId, associations: wanted, data: value };
		this.records.push(inserted);
		return inserted._id;
	}

	public purge(appId: string): void {
		this.records = this.records.filter((r) => r.appId !== appId);
	}
}
