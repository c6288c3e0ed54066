import fc from 'fast-check';
import mingo from 'mingo';

import type { Projection } from '../../src/query/RoomQuery';
import { project, withDepartment } from '../../src/rooms/project';
import type { RoomDocument } from '../../src/rooms/RoomDocument';
import { closedRoom, seedRoom } from './fixtures';

const include = (paths: string[], keepId = true): Projection => ({ mode: 'include', paths, keepId });
const exclude = (paths: string[], keepId = true): Projection => ({ mode: 'exclude', paths, keepId });

describe('project', () => {
	const room = seedRoom();

	it('inclusion keeps the listed fields and _id, in the room own order', () => {
		const shown = project(room, include(['fname', 'ts']));
		expect(shown).toStrictEqual({ _id: room._id, fname: room.fname, ts: room.ts });
		expect(Object.keys(shown)).toEqual(['_id', 'fname', 'ts']);
	});

	it('inclusion with "_id": 0 leaves _id out', () => {
		expect(project(room, include(['fname'], false))).toStrictEqual({ fname: room.fname });
	});

	it('"_id": 1 alone keeps only _id; "_id": 0 alone drops only _id', () => {
		expect(project(room, include([]))).toStrictEqual({ _id: room._id });
		const withoutId = project(room, exclude([], false));
		expect(withoutId).not.toHaveProperty('_id');
		expect(Object.keys(withoutId)).toEqual(Object.keys(room).filter((key) => key !== '_id'));
	});

	it('inclusion of dotted paths keeps only those sub-fields', () => {
		expect(project(room, include(['v.username', 'lastMessage.u.username', 'servedBy._id']))).toStrictEqual({
			_id: room._id,
			v: { username: 'guest-4' },
			servedBy: { _id: '3kyWm8PsmwhC7xgwg' },
			lastMessage: { u: { username: 'guest-4' } },
		});
	});

	it('exclusion drops the listed fields and dotted sub-fields, and keeps everything else', () => {
		const shown = project(room, exclude(['lastMessage', 'v.token', 'metrics.v.lq']));
		expect(shown).not.toHaveProperty('lastMessage');
		expect(shown.v).toStrictEqual({ _id: 'xh45w4y7oPW5SiMJu', username: 'guest-4', status: 'online' });
		expect(shown.metrics).toStrictEqual({ v: {} });
		expect(shown._id).toBe(room._id);
		expect(shown.tags).toEqual(room.tags);
	});

	it('a sub-path of a field that is not a document keeps nothing in an inclusion and leaves it in an exclusion', () => {
		expect(project(room, include(['fname.first', 'ts.x']))).toStrictEqual({ _id: room._id });
		expect(project(room, exclude(['fname.first'])).fname).toBe(room.fname);
	});

	it('applies dotted paths to each element of an array as MongoDB does', () => {
		const doc = { _id: 'r', t: 'l', list: [{ a: 1, b: 2 }, 3, { b: 4 }, [{ a: 5, c: 6 }]] } as RoomDocument;
		expect(project(doc, include(['list.a']))).toStrictEqual({ _id: 'r', list: [{ a: 1 }, {}, [{ a: 5 }]] });
		expect(project(doc, exclude(['list.a']))).toStrictEqual({ _id: 'r', t: 'l', list: [{ b: 2 }, 3, { b: 4 }, [{ c: 6 }]] });
	});

	it('reads overlapping paths as the wider one', () => {
		expect(project(room, include(['v', 'v.username']))).toStrictEqual({ _id: room._id, v: room.v });
		expect(project(room, include(['v.username', 'v']))).toStrictEqual({ _id: room._id, v: room.v });
		expect(project(room, exclude(['v.username', 'v']))).not.toHaveProperty('v');
	});

	it('applies to department too (it is part of the room as returned)', () => {
		const listed = withDepartment(room, { _id: 'xnmXQmytuvxp2TuSC', name: 'Sales' });
		expect(project(listed, include(['department.name'], false))).toStrictEqual({ department: { name: 'Sales' } });
		expect(project(listed, exclude(['department']))).not.toHaveProperty('department');
	});

	it('handles __proto__ paths as plain field names', () => {
		const doc = JSON.parse('{"_id":"r","t":"l","__proto__":{"x":1,"y":2}}') as RoomDocument;
		const shown = project(doc, include(['__proto__.x']));
		expect(Object.getPrototypeOf(shown)).toBe(Object.prototype);
		expect(Object.prototype.hasOwnProperty.call(shown, '__proto__')).toBe(true);
		expect(JSON.stringify(shown)).toBe('{"_id":"r","__proto__":{"x":1}}');
		expect(project(room, include(['__proto__', 'constructor']))).toStrictEqual({ _id: room._id });
	});

	it('never changes the room it projects', () => {
		const before = JSON.stringify(closedRoom());
		const stored = closedRoom();
		project(stored, exclude(['v.token', 'metrics.response.avg']));
		project(stored, include(['v.token', 'metrics.response.avg']));
		expect(JSON.stringify(stored)).toBe(before);
	});

	it('agrees with mingo on random projections of realistic rooms', () => {
		const paths = [
			'fname',
			'v',
			'v.username',
			'servedBy.username',
			'lastMessage.u',
			'lastMessage.mentions',
			'metrics.v.lq',
			'tags',
			'livechatData.docId',
			'missing.x',
			'msgs',
		];
		fc.assert(
			fc.property(fc.uniqueArray(fc.constantFrom(...paths), { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean(), (chosen, inclusion, keepId) => {
				const disjoint = chosen.filter((path) => !chosen.some((other) => other !== path && path.startsWith(`${other}.`)));
				const spec: Record<string, number> = {};
				for (const path of disjoint) spec[path] = inclusion ? 1 : 0;
				if (!keepId) spec._id = 0;
				const expected = mingo.find([room], {}, spec).all()[0];
				const shown = project(room, { mode: inclusion ? 'include' : 'exclude', paths: disjoint, keepId });
				expect(shown).toEqual(expected);
			}),
			{ numRuns: 300 },
		);
	});
});

describe('withDepartment', () => {
	it('adds department {_id, name} when the department exists, and leaves the room as it was', () => {
		const room = seedRoom();
		const listed = withDepartment(room, { _id: 'd1', name: 'Sales' });
		expect(listed.department).toStrictEqual({ _id: 'd1', name: 'Sales' });
		expect(Object.keys(listed).pop()).toBe('department');
		expect(room).not.toHaveProperty('department');
	});

	it('returns the room unchanged when the department does not exist', () => {
		const room = seedRoom();
		expect(withDepartment(room, undefined)).toBe(room);
	});
});
