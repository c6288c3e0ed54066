/** The persistence store's semantics, as Rocket.Chat's persistence bridge has them over MongoDB. */
import { PersistenceStore } from '../../workspace/engine/persistence';
import type { WorkspaceStats } from '../../workspace/engine/state';

const room = (id: string): { model: string; id: string } => ({ model: 'room', id });
const misc = (id: string): { model: string; id: string } => ({ model: 'misc', id });

function store(): { persistence: PersistenceStore; stats: WorkspaceStats } {
	const stats = { roomListCalls: 0, roomsWalked: 0, roomById: 0, persistenceReads: 0, persistenceWrites: 0, persistenceBytesWritten: 0 };
	return { persistence: new PersistenceStore(stats), stats };
}

describe('reads by associations: $all, every match, insertion order', () => {
	const { persistence } = store();
	persistence.createWithAssociations({ n: 1 }, [room('r1'), misc('a')], 'app');
	persistence.createWithAssociations({ n: 2 }, [misc('a')], 'app');
	persistence.createWithAssociations({ n: 3 }, [misc('a'), room('r1'), misc('b')], 'app');
	persistence.createWithAssociations({ n: 4 }, [misc('a')], 'other-app');
	persistence.create({ n: 5 }, 'app');

	test.each([
		['one association', [misc('a')], [1, 2, 3]],
		['two, in either order', [room('r1'), misc('a')], [1, 3]],
		['two, reversed', [misc('a'), room('r1')], [1, 3]],
		['three', [misc('b'), misc('a'), room('r1')], [3]],
		['one nobody holds', [misc('z')], []],
		['same id, other model', [room('a')], []],
	])('%s', (_name, associations, expected) => {
		expect(persistence.readByAssociations(associations, 'app').map((data) => data.n)).toEqual(expected);
	});
});

describe('updateByAssociations matches the exact list, order included', () => {
	test.each([
		['the same list', [room('r1'), misc('a')], false, { n: 'updated' }, 1],
		['the same list reversed, no upsert: nothing changes', [misc('a'), room('r1')], false, { n: 1 }, 1],
		['the same list reversed, upsert: a new record', [misc('a'), room('r1')], true, { n: 1 }, 2],
		['a sub-list, upsert: a new record', [misc('a')], true, { n: 1 }, 2],
	])('%s', (_name, associations, upsert, firstData, records) => {
		const { persistence } = store();
		persistence.createWithAssociations({ n: 1 }, [room('r1'), misc('a')], 'app');
		persistence.updateByAssociations(associations, { n: 'updated' }, upsert, 'app');
		expect(persistence.all('app')[0].data).toEqual(firstData);
		expect(persistence.all('app')).toHaveLength(records);
	});

	test('an upsert answers the new record id, an update an empty string', () => {
		const { persistence } = store();
		const id = persistence.updateByAssociations([misc('x')], { n: 1 }, true, 'app');
		expect(persistence.readById(id, 'app')).toEqual({ n: 1 });
		expect(persistence.updateByAssociations([misc('x')], { n: 2 }, true, 'app')).toBe('');
		expect(persistence.readById(id, 'app')).toEqual({ n: 2 });
	});
});

describe('the rest of the bridge', () => {
	test('update(id) is not implemented, as on Rocket.Chat', () => {
		const { persistence } = store();
		const id = persistence.create({ n: 1 }, 'app');
		expect(() => persistence.update(id, { n: 2 }, false, 'app')).toThrow('Not implemented.');
		expect(persistence.readById(id, 'app')).toEqual({ n: 1 });
	});

	test('data must be an object', () => {
		const { persistence } = store();
		expect(() => persistence.create('text' as unknown as object, 'app')).toThrow('it must be an object');
	});

	test('remove answers the removed data, or undefined; removeByAssociations every removed record', () => {
		const { persistence } = store();
		const id = persistence.createWithAssociations({ n: 1 }, [misc('a')], 'app');
		persistence.createWithAssociations({ n: 2 }, [misc('a'), misc('b')], 'app');
		persistence.createWithAssociations({ n: 3 }, [misc('b')], 'app');
		expect(persistence.remove(id, 'app')).toEqual({ n: 1 });
		expect(persistence.remove(id, 'app')).toBeUndefined();
		expect(persistence.removeByAssociations([misc('b')], 'app')).toEqual([{ n: 2 }, { n: 3 }]);
		expect(persistence.removeByAssociations([misc('b')], 'app')).toEqual([]);
		expect(persistence.all('app')).toEqual([]);
	});

	test('purge forgets one app and no other', () => {
		const { persistence } = store();
		persistence.create({ n: 1 }, 'app');
		persistence.create({ n: 2 }, 'other');
		persistence.purge('app');
		expect(persistence.all().map((r) => r.data)).toEqual([{ n: 2 }]);
	});

	test('reads and writes are counted', () => {
		const { persistence, stats } = store();
		const id = persistence.create({ n: 1 }, 'app');
		persistence.readById(id, 'app');
		persistence.readByAssociations([misc('a')], 'app');
		persistence.updateByAssociations([misc('a')], { n: 1 }, true, 'app');
		expect([stats.persistenceReads, stats.persistenceWrites]).toEqual([2, 2]);
	});
});
