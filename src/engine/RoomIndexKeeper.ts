/**
 * The index's edges: the app's persistence as the index's shared store, the engine's room reader as the host's
 * rooms, and the one object the App keeps for the life of its runtime (this instance's copy of the index).
 */
import type { ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';

import { readEveryRoom } from '../index/indexOff';
import { LiveIndex } from '../index/LiveIndex';
import type { MaintenanceContext, Trigger } from '../index/maintenance';
import { maintain, noteRoomChanged } from '../index/maintenance';
import { asJob, asManifest, NAMES, readOne } from '../index/shared';
import type { IndexStatus } from '../index/indexStatus';
import { indexStatus } from '../index/indexStatus';
import type { Availability, FullRoom, HostRooms, SharedReader, SharedStore } from '../ports';
import { roomFromFullEngine } from '../rooms/fromFullRoom';
import type { EngineRoom } from '../rooms/EngineRoom';
import { EngineAccessError } from './readers';
import { readIndexEnabled } from './settings';
import { zlibPacker } from './zlibPacker';

const associations = (names: readonly string[]): RocketChatAssociationRecord[] =>
	names.map((name) => new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, name));

/** Records by names, through `IPersistenceRead` (needs `persistence`). */
export function sharedReader(read: IRead): SharedReader {
	const reader = read.getPersistenceReader();
	return {
		async read(names) {
			const records = await reader.readByAssociations(associations(names));
			if (!Array.isArray(records)) throw new EngineAccessError('the engine refused to read the app persistence (permission persistence)');
			return records;
		},
	};
}

/** Records by names, read and written (needs `persistence`). */
export function sharedStore(read: IRead, persistence: IPersistence): SharedStore {
	return {
		...sharedReader(read),
		async create(names, data) {
			await persistence.createWithAssociations(data, associations(names));
		},
		async put(names, data) {
			await persistence.updateByAssociations(associations(names), data, true);
		},
		async remove(names) {
			await persistence.removeByAssociations(associations(names));
		},
	};
}

/** The host's livechat rooms: the list (`getAllRooms`, `room.system.view-all`) and one room in full (`getById`, `room.read`). */
export function hostRooms(read: IRead): HostRooms {
	const reader = read.getRoomReader();
	return {
		async page(skip, limit) {
			const rooms = await reader.getAllRooms({ types: [RoomType.LIVE_CHAT] }, { limit, skip });
			if (!rooms) throw new EngineAccessError('the engine refused to list rooms (permission room.system.view-all)');
			return rooms as unknown as EngineRoom[];
		},
		async full(id): Promise<FullRoom> {
			const room = (await reader.getById(id)) as unknown as EngineRoom | undefined;
			if (room === undefined || room === null) return 'gone';
			if (room.type !== RoomType.LIVE_CHAT) return 'other';
			return roomFromFullEngine(room);
		},
	};
}

/** A short id, unique enough to name a pass, a snapshot or a runtime. */
const randomId = (): string => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;

/** What the upkeep needs to know from the app's settings. */
export interface IndexSettings {
	/** Whether requests are answered from the index (otherwise by reading every room). */
	readonly enabled: boolean;
	/** Whole minutes between reconciliation passes (the recurring job ticks once a minute), at least. */
	readonly reconcileMinutes: number;
	/** Room-list entries the reconciliation may walk a day. */
	readonly walkBudget: number;
}

/** The upkeep's recurring job (every minute, one run per cluster), and the slice a slice schedules after itself. */
export const TICK_JOB = 'room-index-tick';
export const CONTINUE_JOB = 'room-index-continue';

/** How long one slice of upkeep may run: well under the host's 30 s limit on an app call. */
const SLICE_MS = 10_000;

/**
 * This instance's copy of the index, for the life of the app's runtime. The front doors read rooms through
 * `current`; the App's event handlers call `roomChanged`; the scheduler calls `maintain`.
 */
export class RoomIndexKeeper {
	/**
	 * A private field (not an own property): the engine encodes the objects an app hands it (the endpoints and the
	 * command hold this keeper) property by property, and must never walk the rooms.
	 */
	readonly #live = new LiveIndex({ instance: randomId(), now: () => Date.now(), pollEveryMs: 1000, packer: zlibPacker });

	constructor(
		private readonly settings: (read: IRead) => Promise<IndexSettings>,
		private readonly logger: ILogger,
	) {}

	/** Every livechat room, exact: from the index, or (index turned off) read from the host right now. */
	public async current(read: IRead): Promise<Availability> {
		return (await readIndexEnabled(read)) ? this.#live.current(sharedReader(read)) : readEveryRoom(hostRooms(read));
	}

	/** The index's state: ready or not, its size, the reconciliation interval in force, the last pass. */
	public async status(read: IRead): Promise<IndexStatus> {
		const store = sharedReader(read);
		const [manifest, job, requests, settings] = await Promise.all([
			readOne(store, [NAMES.manifest], asManifest),
			readOne(store, [NAMES.job], asJob),
			store.read([NAMES.reconcileRequest]),
			this.settings(read),
		]);
		return indexStatus(manifest, job, requests.length > 0, settings);
	}

	/** Asks for a reconciliation pass at the next tick of the upkeep job (within a minute), on whichever instance runs it. */
	public async requestReconcile(read: IRead, persistence: IPersistence): Promise<IndexStatus> {
		await sharedStore(read, persistence).put([NAMES.reconcileRequest], { at: Date.now() });
		return this.status(read);
	}

	/**
	 * A livechat room changed on this instance (an event): in this instance's next answer, in the others' within a
	 * second. The room is read again in full rather than taken from the event, so the copy is the room as stored now.
	 * Nothing is thrown back at the server: a failure is logged, and the next reconciliation repairs the copy.
	 */
	public async roomChanged(room: { readonly id?: unknown; readonly type?: unknown } | undefined, read: IRead, persistence: IPersistence): Promise<void> {
		if (!room || room.type !== RoomType.LIVE_CHAT || typeof room.id !== 'string') return;
		try {
			await noteRoomChanged({ store: sharedStore(read, persistence), live: this.#live, host: hostRooms(read), now: () => Date.now() }, room.id);
		} catch (error) {
			this.logger.error(`the room index could not take in a change of room ${room.id}`, error);
		}
	}

	/** One slice of upkeep; schedules the next slice when work is left. Failures are logged, never thrown. */
	public async maintain(trigger: Trigger, read: IRead, modify: IModify, persistence: IPersistence): Promise<void> {
		try {
			const { reconcileMinutes, walkBudget } = await this.settings(read);
			const context: MaintenanceContext = {
				store: sharedStore(read, persistence),
				host: hostRooms(read),
				live: this.#live,
				now: () => Date.now(),
				budgetMs: SLICE_MS,
				reconcileMinutes,
				walkBudget,
				newId: randomId,
			};
			if ((await maintain(context, trigger)) === 'more') await modify.getScheduler().scheduleOnce({ id: CONTINUE_JOB, when: '1 second' });
		} catch (error) {
			// The next tick takes the work over where it stopped (a pass that does not move for two minutes is resumed).
			this.logger.error('the room index upkeep failed', error);
		}
	}
}
