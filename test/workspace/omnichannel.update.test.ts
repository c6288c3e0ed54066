/** MongoDB's update operators on dotted paths, as the omnichannel actions write rooms, and what reaches the store. */
import type { StoredRoom } from '../../workspace/data/types';
import type { OmnichannelRoomStore } from '../../workspace/omnichannel/context';
import { applyUpdate, updateRoom } from '../../workspace/omnichannel/update';

const ts = new Date('2026-01-01T00:00:00.000Z');

function room(): StoredRoom {
	return { _id: 'r1', t: 'l', msgs: 2, ts, v: { _id: 'v1', status: 'online' }, livechatData: { plan: 'Gold', keep: 'x' }, tags: ['a'] };
}

function expected(changes: Record<string, unknown>): StoredRoom {
	return { ...room(), ...changes };
}

test.each([
	['$set on a dotted path creates the parents', { $set: { 'metrics.chatDuration': 5 } }, expected({ metrics: { chatDuration: 5 } })],
	['$set replaces a nested value and keeps its siblings', { $set: { 'v.status': 'offline' } }, expected({ v: { _id: 'v1', status: 'offline' } })],
	['$unset removes a nested key', { $unset: { 'livechatData.plan': 1 } }, expected({ livechatData: { keep: 'x' } })],
	['$unset of a missing path changes nothing', { $unset: { 'metrics.x': 1, nope: 1 } }, expected({})],
	['$inc adds, from 0 when absent', { $inc: { msgs: 1, usersCount: 1 } }, expected({ msgs: 3, usersCount: 1 })],
	['$addToSet appends once', { $addToSet: { tags: 'b' } }, expected({ tags: ['a', 'b'] })],
	['$addToSet does not repeat', { $addToSet: { tags: 'a' } }, expected({ tags: ['a'] })],
	['undefined values are not written', { $set: { closer: undefined } }, expected({})],
])('%s', (_name, update, after) => {
	const before = room();
	expect(applyUpdate(before, update)).toEqual(after);
	expect(before).toEqual(room());
});

test('the store receives only the top-level fields that changed or went away, and an update always writes', () => {
	let stored: StoredRoom = room();
	const calls: Array<{ set: Record<string, unknown>; unset: readonly string[] }> = [];
	const store: OmnichannelRoomStore = {
		get: () => stored,
		list: () => [stored],
		insert: () => undefined,
		update: (_id, set, unset) => {
			calls.push({ set, unset });
			stored = { ...stored, ...set };
			for (const key of unset) delete stored[key];
		},
		remove: () => undefined,
	};
	updateRoom(store, 'r1', { $set: { 'v.status': 'offline', closedAt: ts }, $unset: { tags: 1 } });
	expect(calls).toEqual([{ set: { v: { _id: 'v1', status: 'offline' }, closedAt: ts }, unset: ['tags'] }]);
	updateRoom(store, 'r1', { $unset: { onHold: 1 } });
	expect(calls[1]).toEqual({ set: {}, unset: [] });
	expect(updateRoom(store, 'r1', {})).toBe(stored);
});
