/**
 * The role settings in the real engine: a setting that cannot be read refuses (both front doors answer their failure
 * line and the error reaches the app's log), never Rocket.Chat's wider defaults.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { TestClient } from './client';
import { fixture } from './fixture';

/** The app's stored settings in the engine, which its setting reader reads. */
function storedSettings(client: TestClient): Record<string, unknown> {
	const app = client.running.workspace.manager.getOneById(client.running.app.id);
	if (!app) throw new Error('the app is not installed');
	return app.getStorageItem().settings as Record<string, unknown>;
}

describe('role settings that cannot be read', () => {
	let client: TestClient;
	let settings: Record<string, unknown>;
	let removed: unknown;

	beforeAll(async () => {
		client = await TestClient.start(fixture());
		settings = storedSettings(client);
		removed = settings.all_rooms_roles;
		delete settings.all_rooms_roles;
	}, 120000);
	afterAll(() => client?.stop());

	it('make the endpoint refuse with its 500, and log the reason', async () => {
		const before = client.running.workspace.appErrors.length;
		const reply = await client.rooms('', 'manager');
		expect([reply.status, reply.body]).toEqual([500, { success: false, error: 'The rooms could not be listed; the error was logged.' }]);
		const logged = client.running.workspace.appErrors.slice(before).join('\n');
		expect(logged).toContain('rooms endpoint failed');
		expect(logged).toContain('all_rooms_roles');
	});

	it('make the command answer its failure line, and log the reason', async () => {
		const before = client.running.workspace.appErrors.length;
		const reply = await client.command('status=open', 'manager');
		expect(reply.body.notifications.map((note: { text: string }) => note.text)).toEqual([
			'⚠️ Something went wrong while listing rooms; the error was logged.',
		]);
		const logged = client.running.workspace.appErrors.slice(before).join('\n');
		expect(logged).toContain('/livechat-rooms failed');
		expect(logged).toContain('all_rooms_roles');
	});

	it('are read again once restored', async () => {
		settings.all_rooms_roles = removed;
		const reply = await client.rooms('count=1', 'manager');
		expect([reply.status, reply.body.success]).toEqual([200, true]);
	});
});
