/**
 * A host that hands over every stored field through the room list (older builds, a patched server: `--rooms-as
 * full`) gets the same answers as Rocket.Chat 8.x's projected list, byte for byte.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';

import type { RunningWorkspace } from '../../workspace';
import { startWorkspace } from '../../workspace';
import { demoData } from '../../workspace/data/demo';
import { indexReady } from './client';

let projected: RunningWorkspace;
let full: RunningWorkspace;

beforeAll(async () => {
	[projected, full] = await Promise.all([
		startWorkspace({ data: demoData({ rooms: 300 }), schedulerPollMs: 0, roomsAs: 'projected' }),
		startWorkspace({ data: demoData({ rooms: 300 }), schedulerPollMs: 0, roomsAs: 'full' }),
	]);
	await Promise.all([indexReady(projected), indexReady(full)]);
}, 120000);

afterAll(async () => {
	await Promise.all([projected?.stop(), full?.stop()]);
});

const enc = encodeURIComponent;

it.each([
	'count=0',
	'open=true&count=0',
	'onhold=true',
	'queued=true',
	'tags=vip&count=0',
	`units=${enc('["EvYjYGBXQaZbaqJ9c"]')}&count=0`,
	`sort=${enc('{"metrics.chatDuration":-1}')}&count=100`,
	`query=${enc('{"lastMessage.msg":{"$exists":true},"usersCount":{"$gte":1}}')}&count=0`,
	'format=csv&count=0',
])('%s', async (search) => {
	const manager = projected.state.users.find((user) => user.roles.includes('livechat-manager'));
	if (!manager) throw new Error('no manager in the demo data');
	const headers = { 'X-User-Id': manager._id, 'X-Auth-Token': manager.authToken };
	const [a, b] = await Promise.all([projected, full].map((running) => fetch(`${running.appUrl}/rooms?${search}`, { headers }).then((res) => res.text())));
	expect(a).toBe(b);
	expect(a.length).toBeGreaterThan(100);
});
