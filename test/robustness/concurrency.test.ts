/**
 * 50 simultaneous requests (endpoint queries by all kinds of callers, and commands), repeated 3 times in shuffled
 * orders, give exactly the answers the same requests give one by one: the status and the body, byte for byte.
 *
 * Within one batch each command comes from a different user: the workspace's `commands.run` returns the messages
 * sent to the caller while the command ran, so two commands of one user running at once would each see both replies.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { DEMO_DEPARTMENTS, DEMO_USERS, demoData } from '../../workspace/data/demo';
import type { WorkspaceUser } from '../../workspace/data/types';
import { Prng, Robust } from './harness';

const SEED = 20261108;
const BATCH = 50;
const ROUNDS = 3;

const MANAGERS: WorkspaceUser[] = Array.from({ length: 14 }, (_, i) => ({
	_id: `mgr-${i}-id`,
	username: `mgr-${i}`,
	name: `Manager ${i}`,
	roles: ['livechat-manager'],
	authToken: `token-mgr-${i}`,
}));

const alice = DEMO_USERS.find((u) => u.username === 'alice')!;
const sales = DEMO_DEPARTMENTS.find((d) => d.name === 'Sales')!._id;
const enc = (value: string): string => encodeURIComponent(value);

/** Endpoint queries: filters, orders, pages, projections, refusals, and one scan of everything. */
const QUERIES: readonly string[] = [
	'',
	'count=0',
	'open=true',
	'open=false&count=100',
	'queued=true',
	'onhold=true',
	`agents=${alice._id}`,
	'agents=alice&agents=bruno',
	`departmentId=${sales}&sort=${enc('{"fname":1}')}`,
	`tags=${enc('["vip","billing"]')}&count=7&offset=3`,
	`roomName=an&fields=${enc('{"fname":1,"servedBy.username":1}')}`,
	`createdAt=${enc('{"start":"2026-09-01T00:00:00.000Z"}')}&sort=${enc('{"servedBy.username":-1,"ts":1}')}`,
	`closedAt=${enc('{"end":"2026-10-01T00:00:00.000Z"}')}&count=20&offset=20`,
	`customFields=${enc('{"plan":"pro"}')}`,
	'count=1&offset=399',
	'count=abc',
	'nope=1',
	`sort=${enc('{"ts":2}')}`,
];

const COMMANDS: readonly string[] = [
	'',
	'status=open',
	'status=closed count=25 page=2',
	'status=queued',
	'agent=me',
	'agent=alice,bruno sort=name',
	'department=Sales tag=vip',
	'name="Ana" created=2026-08-01..2026-10-31',
	'field.plan=pro count=50',
	'help',
	'stauts=open',
	'count=0',
];

interface Request {
	kind: 'rooms' | 'command';
	input: string;
	user: string;
}

function makeBatch(random: Prng, users: readonly WorkspaceUser[]): Request[] {
	const commandUsers = users.filter((u) => u.roles.some((role) => ['admin', 'livechat-manager', 'livechat-monitor', 'livechat-agent'].includes(role)));
	const batch: Request[] = [];
	const commandCallers = random.shuffle(commandUsers).slice(0, 18);
	for (const user of commandCallers) batch.push({ kind: 'command', input: random.pick(COMMANDS), user: user.username });
	while (batch.length < BATCH) {
		const user = random.pick(users);
		let input = random.pick(QUERIES);
		// Agents asking for their own rooms are allowed; other requests of theirs are refused (403): both are answers.
		if (user.roles.includes('livechat-agent') && random.chance(0.5)) input = `agents=${user._id}${input ? `&${input}` : ''}`;
		batch.push({ kind: 'rooms', input, user: user.username });
	}
	return batch;
}

describe('concurrency: 50 simultaneous requests answer as they do one by one', () => {
	let ws: Robust;
	let pid: number | undefined;
	let batch: Request[];
	const alone = new Map<number, string>();
	const random = new Prng(SEED);

	beforeAll(async () => {
		const data = demoData({ rooms: 400 });
		data.users.push(...MANAGERS);
		ws = await Robust.start(data);
		pid = (await ws.health()).pid;
		batch = makeBatch(random, data.users);
	}, 120000);
	afterAll(() => ws?.stop());

	/** Status and body; for a command, its notifications (text and blocks). */
	async function send(request: Request): Promise<string> {
		const answer = request.kind === 'rooms' ? await ws.rooms(request.input, request.user) : await ws.command(request.input, request.user);
		const body = request.kind === 'rooms' ? answer.text : JSON.stringify(answer.body?.notifications ?? answer.body);
		return `${answer.status} ${body}`;
	}

	it('holds every kind of request: commands by different users, queries by callers of every scope, refusals', () => {
		expect(batch).toHaveLength(BATCH);
		const commands = batch.filter((r) => r.kind === 'command');
		expect(commands.length).toBeGreaterThanOrEqual(15);
		expect(new Set(commands.map((r) => r.user)).size).toBe(commands.length);
		expect(new Set(batch.filter((r) => r.kind === 'rooms').map((r) => r.user)).size).toBeGreaterThanOrEqual(8);
	});

	it('answers each request one by one first', async () => {
		for (let i = 0; i < batch.length; i++) alone.set(i, await send(batch[i]));
		const statuses = new Set([...alone.values()].map((answer) => answer.slice(0, 3)));
		expect([...statuses].sort()).toEqual(['200', '400', '403']);
	}, 120000);

	for (let round = 1; round <= ROUNDS; round++) {
		it(`round ${round}: the same 50 requests at once, in a shuffled order, give the same answers`, async () => {
			const order = random.shuffle(batch.map((_, i) => i));
			const answers = await Promise.all(order.map((i) => send(batch[i]).then((answer) => [i, answer] as const)));
			const different = answers
				.filter(([i, answer]) => answer !== alone.get(i))
				.map(
					([i, answer]) =>
						`${batch[i].kind} ${JSON.stringify(batch[i].input)} as ${batch[i].user}: alone ${alone.get(i)?.slice(0, 200)} | at once ${answer.slice(0, 200)}`,
				);
			expect(different).toEqual([]);
		}, 120000);
	}

	it('leaves the app enabled, its runtime never restarted, and nothing in its error log', async () => {
		expect(await ws.health()).toEqual({ status: 'manually_enabled', pid, errors: [] });
	});
});
