/**
 * The user and department fields routing needs survive the data-file loader (checked, with precise errors) and the
 * export -> `--data` round trip; the demo data carries them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { toExtendedJson } from '../../workspace/data/export';
import { DEMO_DEPARTMENTS, DEMO_UNITS, DEMO_USERS, demoData } from '../../workspace/data/demo';
import { DataFileError, loadDataFile, parseData } from '../../workspace/data/load';
import type { WorkspaceData } from '../../workspace/data/types';
import { WorkspaceState } from '../../workspace/engine/state';

const USER = { _id: 'u1', username: 'alice', name: 'Alice', roles: ['livechat-agent'], authToken: 'tok' };
const DEPARTMENT = { _id: 'd1', name: 'Sales', enabled: true };

function load(json: unknown): WorkspaceData {
	return parseData(json, 'data.json');
}

describe('kept as given', () => {
	test.each([
		['statusLivechat', 'not-available'],
		['statusLivechat', 'available'],
		['status', 'offline'],
		['status', 'away'],
		['active', false],
	])('users[].%s = %j', (field, value) => {
		expect(load({ users: [{ ...USER, [field]: value }], rooms: [] }).users[0]).toEqual({ ...USER, [field]: value });
	});

	test.each([
		['agents', ['u1', 'u2']],
		['agents', [{ agentId: 'u1', count: 3 }, 'u2']],
		['routingMethod', 'Manual_Selection'],
		['routingMethod', 'Auto_Selection'],
		['ancestors', ['unit-1']],
		['chatClosingTags', ['refund', 'invoice']],
		['chatClosingTags', []],
		['requestTagBeforeClosingChat', true],
		['allowReceiveForwardOffline', false],
	])('departments[].%s = %j', (field, value) => {
		expect(load({ users: [], departments: [{ ...DEPARTMENT, [field]: value }], rooms: [] }).departments[0]).toEqual({ ...DEPARTMENT, [field]: value });
	});

	test('the input is not shared with the result', () => {
		const department = { ...DEPARTMENT, agents: ['u1'] };
		const loaded = load({ users: [], departments: [department], rooms: [] });
		department.agents.push('u2');
		expect(loaded.departments[0].agents).toEqual(['u1']);
	});

	test('fields the omnichannel code does not read are still left out', () => {
		const loaded = load({ users: [{ ...USER, emails: [] }], departments: [{ ...DEPARTMENT, numAgents: 2 }], rooms: [] });
		expect(loaded.users[0]).toEqual(USER);
		expect(loaded.departments[0]).toEqual(DEPARTMENT);
	});
});

describe('refused with a precise error', () => {
	test.each([
		['users', { statusLivechat: 'busy' }, 'data.json: users[0].statusLivechat must be "available" or "not-available" (got "busy")'],
		['users', { status: 'gone' }, 'data.json: users[0].status must be one of "online", "away", "busy", "offline", "disabled" (got "gone")'],
		['users', { status: null }, 'data.json: users[0].status must be one of "online", "away", "busy", "offline", "disabled" (got null)'],
		['users', { active: 'yes' }, 'data.json: users[0].active must be a boolean (got "yes")'],
		[
			'departments',
			{ agents: 'u1' },
			'data.json: departments[0].agents must be an array of user ids or of objects with a non-empty string agentId (got "u1")',
		],
		[
			'departments',
			{ agents: [{ _id: 'u1' }] },
			'data.json: departments[0].agents must be an array of user ids or of objects with a non-empty string agentId (got [{"_id":"u1"}])',
		],
		[
			'departments',
			{ agents: [''] },
			'data.json: departments[0].agents must be an array of user ids or of objects with a non-empty string agentId (got [""])',
		],
		[
			'departments',
			{ routingMethod: 'Load_Balancing' },
			'data.json: departments[0].routingMethod must be "Auto_Selection" or "Manual_Selection" (got "Load_Balancing")',
		],
		['departments', { ancestors: 'unit-1' }, 'data.json: departments[0].ancestors must be an array of strings (got "unit-1")'],
		['departments', { chatClosingTags: [1] }, 'data.json: departments[0].chatClosingTags must be an array of strings (got [1])'],
		['departments', { requestTagBeforeClosingChat: 1 }, 'data.json: departments[0].requestTagBeforeClosingChat must be a boolean (got 1)'],
		['departments', { allowReceiveForwardOffline: 'true' }, 'data.json: departments[0].allowReceiveForwardOffline must be a boolean (got "true")'],
	])('%s: %j', (list, extra, message) => {
		const json = list === 'users' ? { users: [{ ...USER, ...extra }], rooms: [] } : { users: [], departments: [{ ...DEPARTMENT, ...extra }], rooms: [] };
		expect(() => load(json)).toThrow(DataFileError);
		expect(() => load(json)).toThrow(message);
	});
});

describe('the demo data', () => {
	const agents = DEMO_USERS.filter((user) => user.roles.includes('livechat-agent'));

	test('every agent is available and online', () => {
		expect(agents.length).toBeGreaterThan(0);
		for (const agent of agents) expect(agent).toMatchObject({ statusLivechat: 'available', status: 'online' });
	});

	test('every department lists existing agents, a routing method, and its unit as ancestors', () => {
		const agentIds = new Set(agents.map((agent) => agent._id));
		for (const department of DEMO_DEPARTMENTS) {
			expect(department.agents?.length).toBeGreaterThan(0);
			for (const agent of department.agents ?? []) expect(agentIds.has(agent as string)).toBe(true);
			expect(['Auto_Selection', 'Manual_Selection']).toContain(department.routingMethod);
			const units = DEMO_UNITS.filter((unit) => unit.departmentIds.includes(department._id)).map((unit) => unit._id);
			expect(department.ancestors ?? []).toEqual(units);
		}
		// Auto selection for most; one department with manual selection, whose rooms wait to be taken.
		expect(DEMO_DEPARTMENTS.filter((d) => d.enabled && d.routingMethod === 'Manual_Selection')).toHaveLength(1);
	});

	test('an app sees a department as Rocket.Chat stores it: ancestors, not the stand-ins for agents and routing', () => {
		const state = new WorkspaceState(demoData({ rooms: 0 }));
		const billing = DEMO_DEPARTMENTS.find((d) => d.name === 'Billing');
		expect(state.appDepartment(billing?._id ?? '')).toMatchObject({
			id: billing?._id,
			name: 'Billing',
			_unmappedProperties_: { ancestors: billing?.ancestors },
		});
		const unmapped = state.appDepartment(billing?._id ?? '')?._unmappedProperties_ as Record<string, unknown>;
		expect(Object.keys(unmapped).sort()).toEqual(['ancestors']);
	});

	test('the rooms of a department are served by its agents', () => {
		const data = demoData({ rooms: 300 });
		for (const room of data.rooms) {
			const servedBy = room.servedBy as { _id: string } | undefined;
			const department = DEMO_DEPARTMENTS.find((d) => d._id === room.departmentId);
			if (servedBy && department) expect(department.agents).toContain(servedBy._id);
		}
	});
});

describe('export -> --data round trip', () => {
	let dir: string;

	beforeAll(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'livechat-rooms-data-'));
	});

	afterAll(() => {
		fs.rmSync(dir, { recursive: true, force: true });
	});

	test.each([
		['the demo data', (): WorkspaceData => demoData({ rooms: 40 })],
		[
			'every routing field at once',
			(): WorkspaceData =>
				load({
					users: [{ ...USER, statusLivechat: 'not-available', status: 'offline', active: false }],
					departments: [
						{
							...DEPARTMENT,
							agents: ['u1', { agentId: 'u2' }],
							routingMethod: 'Manual_Selection',
							ancestors: ['unit'],
							chatClosingTags: ['a'],
							requestTagBeforeClosingChat: true,
							allowReceiveForwardOffline: true,
						},
					],
					rooms: [],
				}),
		],
	])('%s: users and departments come back unchanged', (_name, make) => {
		const data = make();
		const file = path.join(dir, `export-${_name.replace(/\W+/g, '-')}.json`);
		// What GET /api/workspace/export answers.
		fs.writeFileSync(file, JSON.stringify(toExtendedJson(new WorkspaceState(data).exportData())));
		const again = loadDataFile(file);
		expect(again.users).toEqual(data.users);
		expect(again.departments).toEqual(data.departments);
		expect(again.rooms).toEqual(data.rooms);
	});
});
