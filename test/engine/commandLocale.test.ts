/**
 * The caller's time zone and language reach the command's answers through the engine: the workspace hands the app
 * each user's `utcOffset` and language preference from the data file, as Rocket.Chat's user converter does.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';

import { TestClient } from './client';
import { fixture } from './fixture';

let client: TestClient;

beforeAll(async () => {
	const data = fixture();
	data.users = data.users.map((user) =>
		user.username === 'manager' ? { ...user, utcOffset: -3, language: 'pt-BR' } : user.username === 'alice' ? { ...user, utcOffset: 5.5 } : user,
	);
	client = await TestClient.start(data);
}, 120000);

afterAll(() => client?.stop());

async function text(params: string, username: string): Promise<string> {
	const reply = await client.command(params, username);
	expect(reply.status).toBe(200);
	return reply.body.notifications[0].text as string;
}

it('answers a pt-BR manager at UTC-03:00 in Portuguese, with times in that zone', async () => {
	const list = await text('list', 'manager');
	expect(list).toContain('Horários em UTC-03:00');
	expect(list).toMatch(/salas?/);
	// r01 was created at 10:00 UTC on 2024-01-10: 07:00 at UTC-03:00.
	expect(list).toContain('07:00');
	expect(await text('', 'manager')).toMatch(/Horários em UTC-03:00/);
});

it('answers an agent without a language preference in English, at UTC+05:30', async () => {
	const list = await text('list', 'alice');
	expect(list).toContain('Times are UTC+05:30');
	expect(list).toContain('15:30');
});

it('answers a caller without a zone in UTC', async () => {
	expect(await text('list', 'admin')).toContain('Times are UTC.');
});
