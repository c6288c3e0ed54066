/**
 * Rocket.Chat's models write rooms with MongoDB update operators on dotted paths (`'metrics.chatDuration'`,
 * `'livechatData.plan'`, `'v.status'`). The shared store takes top-level `set`/`unset`; this applies the operators to a
 * copy of the room and hands the store only the top-level fields that changed.
 */
import type { StoredRoom } from '../data/types';
import type { OmnichannelRoomStore } from './context';
import { isDate } from '../engine/dates';

export interface RoomUpdate {
	$set?: Record<string, unknown>;
	$unset?: Record<string, unknown>;
	$inc?: Record<string, number>;
	$addToSet?: Record<string, unknown>;
}

function clone<T>(value: T): T {
	if (isDate(value)) return new Date(value.getTime()) as unknown as T;
	if (Array.isArray(value)) return value.map(clone) as unknown as T;
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, inner] of Object.entries(value as Record<string, unknown>)) out[key] = clone(inner);
		return out as T;
	}
	return value;
}

/** The object holding the last segment of a dotted path, creating intermediate objects (as `$set` does). */
function parentOf(doc: Record<string, unknown>, path: string, create: boolean): { holder?: Record<string, unknown>; key: string } {
	const parts = path.split('.');
	let holder: Record<string, unknown> | undefined = doc;
	for (const part of parts.slice(0, -1)) {
		const next: unknown = holder[part];
		if (next && typeof next === 'object' && !isDate(next)) {
			holder = next as Record<string, unknown>;
		} else if (create) {
			const fresh: Record<string, unknown> = {};
			holder[part] = fresh;
			holder = fresh;
		} else {
			return { key: parts[parts.length - 1] };
		}
	}
	return { holder, key: parts[parts.length - 1] };
}

/** The room after the update (MongoDB semantics for `$set`, `$unset`, `$inc`, `$addToSet`; undefined values are skipped as the driver's `ignoreUndefined` does). */
export function applyUpdate(room: StoredRoom, update: RoomUpdate): StoredRoom {
	const next = clone(room);
	for (const [path, value] of Object.entries(update.$set ?? {})) {
		if (value === undefined) continue;
		const { holder, key } = parentOf(next, path, true);
		if (holder) holder[key] = clone(value);
	}
	for (const [path, by] of Object.entries(update.$inc ?? {})) {
		const { holder, key } = parentOf(next, path, true);
		if (holder) holder[key] = (typeof holder[key] === 'number' ? (holder[key] as number) : 0) + by;
	}
	for (const [path, value] of Object.entries(update.$addToSet ?? {})) {
		const { holder, key } = parentOf(next, path, true);
		if (!holder) continue;
		const list = Array.isArray(holder[key]) ? (holder[key] as unknown[]) : [];
		holder[key] = list.some((item) => same(item, value)) ? list : [...list, clone(value)];
	}
	for (const path of Object.keys(update.$unset ?? {})) {
		const { holder, key } = parentOf(next, path, false);
		if (holder) delete holder[key];
	}
	return next;
}

function same(a: unknown, b: unknown): boolean {
	if (isDate(a) && isDate(b)) return a.getTime() === b.getTime();
	if (a && b && typeof a === 'object' && typeof b === 'object') {
		const keysA = Object.keys(a as object);
		const keysB = Object.keys(b as object);
		if (keysA.length !== keysB.length) return false;
		return keysA.every((key) => same((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
	}
	return a === b;
}

/**
 * Writes the update to the store and returns the room as stored afterwards. Like MongoDB's `updateOne`, an update
 * that matches the room writes (and stamps `_updatedAt`) even when no value changes.
 */
export function updateRoom(store: OmnichannelRoomStore, id: string, update: RoomUpdate): StoredRoom | undefined {
	const room = store.get(id);
	if (!room) return undefined;
	const next = applyUpdate(room, update);
	const set: Record<string, unknown> = {};
	const unset: string[] = [];
	for (const key of Object.keys(next)) if (!same(room[key], next[key])) set[key] = next[key];
	for (const key of Object.keys(room)) if (!(key in next)) unset.push(key);
	store.update(id, set, unset);
	return store.get(id);
}
