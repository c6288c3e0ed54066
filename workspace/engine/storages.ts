/** In-memory storages for the Apps-Engine: app metadata, app packages and app logs live as long as the workspace. */
import { AppLogStorage, AppMetadataStorage, AppSourceStorage } from '@rocket.chat/apps-engine/server/storage';
import type { IAppStorageItem } from '@rocket.chat/apps-engine/server/storage';
import type { ILoggerStorageEntry } from '@rocket.chat/apps-engine/server/logging';

import type { Any } from '../loose';

export class MemoryMetadataStorage extends AppMetadataStorage {
	private readonly items = new Map<string, IAppStorageItem>();

	constructor() {
		super('memory');
	}

	public async create(item: IAppStorageItem): Promise<IAppStorageItem> {
		const stored = { ...item, _id: item._id ?? item.id, createdAt: new Date(), updatedAt: new Date() };
		this.items.set(item.id, stored);
		return stored;
	}

	public async retrieveOne(id: string): Promise<IAppStorageItem | null> {
		return this.items.get(id) ?? null;
	}

	public async retrieveAll(): Promise<Map<string, IAppStorageItem>> {
		return new Map(this.items);
	}

	public async retrieveAllPrivate(): Promise<Map<string, IAppStorageItem>> {
		return new Map(this.items);
	}

	public async remove(id: string): Promise<{ success: boolean }> {
		return { success: this.items.delete(id) };
	}

	public async updatePartialAndReturnDocument(item: Partial<IAppStorageItem>): Promise<IAppStorageItem> {
		const id = (item.id ?? item._id) as string;
		const merged = { ...(this.items.get(id) as IAppStorageItem), ...item, updatedAt: new Date() };
		this.items.set(id, merged);
		return merged;
	}

	public async updateStatus(id: string, status: Any): Promise<boolean> {
		return this.patch(id, { status });
	}

	public async updateSetting(id: string, setting: Any): Promise<boolean> {
		const item = this.items.get(id);
		if (!item) return false;
		item.settings = { ...item.settings, [setting.id]: setting };
		return true;
	}

	public async updateAppInfo(id: string, info: Any): Promise<boolean> {
		return this.patch(id, { info });
	}

	public async updateMarketplaceInfo(id: string, marketplaceInfo: Any): Promise<boolean> {
		return this.patch(id, { marketplaceInfo });
	}

	private patch(id: string, fields: Partial<IAppStorageItem>): boolean {
		const item = this.items.get(id);
		if (!item) return false;
		this.items.set(id, { ...item, ...fields, updatedAt: new Date() });
		return true;
	}
}

export class MemorySourceStorage extends AppSourceStorage {
	private readonly zips = new Map<string, Buffer>();

	public async store(item: IAppStorageItem, zip: Buffer): Promise<string> {
		this.zips.set(item.id, zip);
		return item.id;
	}

	public async fetch(item: IAppStorageItem): Promise<Buffer> {
		const zip = this.zips.get(item.id);
		if (!zip) throw new Error(`no package stored for app ${item.id}`);
		return zip;
	}

	public async update(item: IAppStorageItem, zip: Buffer): Promise<string> {
		return this.store(item, zip);
	}

	public async remove(item: IAppStorageItem): Promise<void> {
		this.zips.delete(item.id);
	}
}

/** Keeps the most recent log entries of each app; the workspace prints errors as they come. */
export class MemoryLogStorage extends AppLogStorage {
	private readonly entries: ILoggerStorageEntry[] = [];

	constructor(private readonly onEntry?: (entry: ILoggerStorageEntry) => void) {
		super('memory');
	}

	public async find(): Promise<Array<ILoggerStorageEntry>> {
		return [...this.entries];
	}

	public async findPaginated(): Promise<{ logs: ILoggerStorageEntry[]; total: number }> {
		return { logs: [...this.entries], total: this.entries.length };
	}

	public async storeEntries(entry: ILoggerStorageEntry): Promise<ILoggerStorageEntry> {
		this.entries.push(entry);
		if (this.entries.length > 1000) this.entries.splice(0, this.entries.length - 1000);
		this.onEntry?.(entry);
		return entry;
	}

	public async getEntriesFor(appId: string): Promise<Array<ILoggerStorageEntry>> {
		return this.entries.filter((entry) => entry.appId === appId);
	}

	public async removeEntriesFor(appId: string): Promise<void> {
		for (let i = this.entries.length - 1; i >= 0; i--) {
			if (this.entries[i].appId === appId) this.entries.splice(i, 1);
		}
	}
}
