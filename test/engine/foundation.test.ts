/** The ground: the package's contents, the app running in the real engine with its declared permissions, the host. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import AdmZip from 'adm-zip';

import type { RunningWorkspace } from '../../workspace';
import { ensurePackage, ROOT } from '../../workspace/package';
import { TestClient, withoutPermission } from './client';
import { fixture } from './fixture';

const appJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8'));

describe('the package', () => {
	it('holds the compiled app, app.json, the icon and translations, and nothing else', () => {
		const names = new AdmZip(ensurePackage())
			.getEntries()
			.map((entry) => entry.entryName)
			.sort();
		expect(names).toContain('LivechatRoomsApp.js');
		expect(names).toContain('app.json');
		expect(names).toContain('icon.png');
		expect(names).toContain('i18n/en.json');
		expect(names).toContain('src/endpoint/RoomsEndpoint.js');
		const unexpected = names.filter(
			(name) => !/^(LivechatRoomsApp\.js|app\.json|icon\.png|package\.json|\.packagedby|i18n\/[\w-]+\.json|src\/.+\.js)$/.test(name),
		);
		expect(unexpected).toEqual([]);
		expect(names.filter((name) => /^(test|workspace|bench|scripts|node_modules)\//.test(name))).toEqual([]);
	});

	it('holds nothing the Deno runtime would rewrite as a deprecated API call (it breaks on assignments)', () => {
		const zip = new AdmZip(ensurePackage());
		for (const entry of zip.getEntries().filter((e) => e.entryName.endsWith('.js'))) {
			const code = entry.getData().toString('utf8');
			expect([entry.entryName, /\.usernames\b|\[['"]usernames['"]\]|\.isOnline\(|\.createToken\(/.test(code)]).toEqual([entry.entryName, false]);
		}
	});

	it('declares the engine that ships the runtime and exactly the permissions the app calls', () => {
		expect(appJson.requiredApiVersion).toMatch(/1\.62\.0/);
		expect(appJson.permissions.map((p: { name: string }) => p.name).sort()).toEqual(
			[
				'api',
				'livechat-department.multiple',
				'livechat-department.read',
				'message.write',
				'persistence',
				'room.read',
				'room.system.view-all',
				'scheduler',
				'server-setting.read',
				'slashcommand',
				'ui.interact',
				'ui.registerButtons',
			].sort(),
		);
	});
});

describe('the app in the local workspace', () => {
	let client: TestClient;
	beforeAll(async () => {
		client = await TestClient.start(fixture());
	});
	afterAll(() => client.stop());

	it('is enabled, as /api/info says', async () => {
		const info = await client.request(`${client.running.url}/api/info`);
		expect(info.status).toBe(200);
		expect(info.body.success).toBe(true);
		expect(info.body.apps).toEqual([{ id: appJson.id, name: 'Livechat Rooms', version: appJson.version, status: 'manually_enabled' }]);
	});

	it("answers an unauthenticated request with Rocket.Chat's 401 before the app runs", async () => {
		const anonymous = await client.rooms('');
		expect(anonymous.status).toBe(401);
		expect(anonymous.text).toBe('Unauthorized');
		const wrongToken = await client.request(`${client.running.appUrl}/rooms`, { headers: { 'X-User-Id': 'u-manager', 'X-Auth-Token': 'nope' } });
		expect(wrongToken.status).toBe(401);
	});

	it('answers every method but GET with 405, never a 500', async () => {
		const headers = { 'X-User-Id': 'u-manager', 'X-Auth-Token': 'token-manager' };
		for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
			const reply = await client.request(`${client.running.appUrl}/rooms`, { method, headers });
			expect([method, reply.status, reply.headers.get('allow'), reply.body]).toEqual([
				method,
				405,
				'GET',
				{
					success: false,
					error: `The method ${method} is not allowed on rooms; use GET [error-method-not-allowed]`,
					errorType: 'error-method-not-allowed',
				},
			]);
		}
		expect((await client.request(`${client.running.appUrl}/rooms`, { method: 'HEAD', headers })).status).toBe(405);
	});

	it('answers 404 for a path the app does not serve', async () => {
		expect((await client.request(`${client.running.appUrl}/nothing-here`)).status).toBe(404);
	});

	it('serves the rooms endpoint with the envelope', async () => {
		const reply = await client.rooms('', 'manager');
		expect(reply.status).toBe(200);
		expect(Object.keys(reply.body)).toEqual(['rooms', 'count', 'offset', 'total', 'success']);
		expect(reply.body.total).toBe(7);
	});
});

describe('each declared permission is needed', () => {
	const asManager = { headers: { 'X-User-Id': 'u-manager', 'X-Auth-Token': 'token-manager' } };

	/** The index is never built: every request is refused with 503 and the reason. */
	const neverBuilt = async (running: RunningWorkspace): Promise<void> => {
		const res = await fetch(`${running.appUrl}/rooms`, asManager);
		expect(res.status).toBe(503);
		expect(((await res.json()) as { error: string }).error).toMatch(/has not built its index/);
	};

	it.each(['room.system.view-all', 'room.read', 'scheduler'])(
		'without %s the index is never built, and requests are refused with 503',
		async (permission) => {
			await withoutPermission(permission, fixture(), neverBuilt);
		},
	);

	it('without persistence the index cannot be read, and requests fail with 500 (logged)', async () => {
		await withoutPermission('persistence', fixture(), async (running) => {
			expect((await fetch(`${running.appUrl}/rooms`, asManager)).status).toBe(500);
		});
	});

	// The engine looks a department up with either livechat-department.read or .multiple (the console's listing needs
	// .multiple), but checks .read first: without it, every lookup is logged as a refusal (withoutPermission checks it).
	it('without livechat-department.read every department lookup is refused in the log, and served through .multiple', async () => {
		await withoutPermission('livechat-department.read', fixture(), async (running) => {
			const res = await fetch(`${running.appUrl}/rooms?roomName=Marcos%20Defendi`, asManager);
			const body = (await res.json()) as { rooms: Array<Record<string, unknown>> };
			expect(body.rooms[0].department).toEqual({ _id: 'd-sales', name: 'Sales' });
		});
	});

	it('without api the endpoint does not exist', async () => {
		await withoutPermission('api', fixture(), async (running) => {
			expect((await fetch(`${running.appUrl}/rooms`)).status).toBe(404);
		});
	});
});

describe('npm start', () => {
	it('stops with a message naming the file and the problem when the data file has a mistake', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'livechat-rooms-data-'));
		const file = path.join(dir, 'rooms.json');
		fs.writeFileSync(file, JSON.stringify({ users: [], departments: [], rooms: [{ t: 'l' }] }));
		const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'workspace/cli.ts', '--port', '0', '--data', file], {
			cwd: ROOT,
			encoding: 'utf8',
			timeout: 60000,
		});
		fs.rmSync(dir, { recursive: true, force: true });
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('rooms.json');
		expect(result.stderr).toContain('rooms[0]._id');
	});
});
