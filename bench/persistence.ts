/**
 * `npm run bench:persistence`: what the index costs the server's database, through the local workspace and its
 * scheduler (advanced by hand, so an hour takes seconds): the first build's writes, the bytes persistence holds per
 * room, an hour of upkeep with no change, and a stretch of real changes (one a second, through the omnichannel REST
 * actions) with the compactions they cause, reported per hour; then the upkeep a day at the interval in force (the
 * app's `GET rooms/index`): one reconciliation pass's `getById` and list entries walked (a pass asked for as an
 * administrator can) times the passes a day, plus the changes' `getById` at one a second. Beside them, the app's Deno
 * runtime's peak memory (`VmHWM`) after the first build and after the hour of upkeep and four passes back to back,
 * against an app runtime holding no rooms (the floor app's, just installed). Nothing here asserts: this is a
 * measurement.
 *
 *   BENCH_SIZES=50000 npm run bench:persistence
 */
import { NAMES } from '../src/index/shared';
import { demoData } from '../workspace/data/demo';
import { startWorkspace } from '../workspace/index';
import type { RunningWorkspace } from '../workspace/index';
import { driveChanges } from './changes';
import { allRoomsUser, callApp, getRequest, memoryOf, statsDelta, statsOf } from './endpoint';
import { floorPackage, installFloor } from './floor';

const SIZES = (process.env.BENCH_SIZES ?? '50000')
	.split(',')
	.map(Number)
	.filter((n) => Number.isInteger(n) && n > 0);
/** Changes driven, one a second (their hour is extrapolated from them). */
const CHANGES = Number(process.env.BENCH_CHANGES) > 0 ? Number(process.env.BENCH_CHANGES) : 300;

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;

function record(running: RunningWorkspace, name: string): Record<string, unknown> | undefined {
	return running.state.persistence.all(running.app.id).find((r) => r.associations?.length === 1 && r.associations[0].id === name)?.data;
}

async function untilIdle(running: RunningWorkspace, stepMs: number, limit: number): Promise<void> {
	for (let i = 0; i < limit; i++) {
		await running.scheduler.advance(stepMs);
		if (record(running, NAMES.manifest) && record(running, NAMES.job)?.phase === 'idle') return;
	}
	throw new Error('the upkeep did not settle');
}

/** The reconciliation interval in force, in minutes, as the app reports it. */
async function intervalInForce(running: RunningWorkspace): Promise<number> {
	const answer = await callApp(running.workspace, running.app.id, 'rooms/index', getRequest({}, allRoomsUser(running.workspace).appUser));
	const minutes = (answer.body.index as { reconcile?: { intervalMinutes?: unknown } } | undefined)?.reconcile?.intervalMinutes;
	if (answer.status !== 200 || typeof minutes !== 'number') throw new Error(`GET rooms/index answered ${answer.status}`);
	return minutes;
}

/** One reconciliation pass, asked for as an administrator can (`POST rooms/index`), run through the scheduler. */
async function onePass(running: RunningWorkspace): Promise<void> {
	const admin = running.state.users.find((user) => user.roles.includes('admin'));
	if (!admin) throw new Error('the demo data has no admin');
	const before = record(running, NAMES.job)?.finishedAt;
	const asked = await fetch(`${running.appUrl}/rooms/index`, {
		method: 'POST',
		headers: { 'X-User-Id': admin._id, 'X-Auth-Token': String(admin.authToken) },
	});
	if (asked.status !== 202) throw new Error(`POST rooms/index answered ${asked.status}`);
	await running.scheduler.advance(60_000);
	for (let i = 0; i < 100_000; i++) {
		const job = record(running, NAMES.job);
		if (job?.phase === 'idle' && job.finishedAt !== before) return;
		await running.scheduler.advance(1000);
	}
	throw new Error('the pass did not end');
}

async function probe(rooms: number): Promise<void> {
	const running = await startWorkspace({ data: demoData({ rooms }), schedulerPollMs: 0 });
	try {
		const held = (): number => running.state.persistence.heldBytes(running.app.id);
		const pid = running.workspace.runtimePid();
		const peakKib = (): number => (pid === undefined ? 0 : memoryOf(pid).peakKib);
		const start = statsOf(running.state);
		await untilIdle(running, 1000, 100_000);
		const build = statsDelta(start, statsOf(running.state));
		console.log(`${rooms.toLocaleString('en-US')} rooms`);
		console.log(
			`  first build: ${mb(build.persistenceBytesWritten)} written in ${build.persistenceWrites} writes; ${build.roomById} getById, ${build.roomsWalked.toLocaleString('en-US')} list entries walked`,
		);
		console.log(`  held: ${mb(held())}, ${(held() / rooms).toFixed(0)} bytes a room`);
		const buildPeakKib = peakKib();

		const idleStart = statsOf(running.state);
		for (let minute = 0; minute < 60; minute++) await running.scheduler.advance(60_000);
		const idle = statsDelta(idleStart, statsOf(running.state));
		console.log(
			`  an hour with no change: ${mb(idle.persistenceBytesWritten)} written in ${idle.persistenceWrites} writes; ${idle.roomById} getById, ${idle.roomsWalked.toLocaleString('en-US')} list entries walked`,
		);

		const interval = await intervalInForce(running);
		const passStart = statsOf(running.state);
		await onePass(running);
		const pass = statsDelta(passStart, statsOf(running.state));
		console.log(
			`  one reconciliation pass (asked for): ${pass.roomById} getById, ${pass.roomsWalked.toLocaleString('en-US')} list entries walked, ${mb(pass.persistenceBytesWritten)} written`,
		);
		for (let more = 1; more < 4; more++) await onePass(running);
		const upkeepPeakKib = peakKib();
		const empty = await installFloor(
			running.workspace,
			floorPackage(() => undefined),
		);
		const emptyKib = empty.pid === undefined ? 0 : memoryOf(empty.pid).peakKib;
		const mib = (kib: number): string => `${(kib / 1024).toFixed(1)} MiB`;
		const beyond = (kib: number): string => (((kib - emptyKib) * 1024) / rooms).toFixed(0);
		console.log(
			`  the app's Deno runtime, peak (VmHWM): ${mib(buildPeakKib)} after the first build, ${mib(upkeepPeakKib)} after the hour of upkeep and four passes back to back;` +
				` an app runtime holding none ${mib(emptyKib)}: ${beyond(buildPeakKib)} and ${beyond(upkeepPeakKib)} bytes a room beyond it (target 1,000)`,
		);

		const changeStart = statsOf(running.state);
		const changes = await driveChanges(running, CHANGES, 0);
		// The events' reads of the changed rooms (the scheduler's clock stands still meanwhile).
		const actions = statsDelta(changeStart, statsOf(running.state));
		// The scheduler's clock moves a second per change, as if they came one a second; then the compactions they cause.
		for (let second = 0; second < CHANGES; second += 60) await running.scheduler.advance(60_000);
		for (let minute = 0; minute < 15; minute++) await running.scheduler.advance(60_000);
		const changed = statsDelta(changeStart, statsOf(running.state));
		const perHour = 3600 / (CHANGES + 15 * 60);
		const writtenPerHour = changed.persistenceBytesWritten * perHour;
		console.log(
			`  ${CHANGES} changes (${changes.failed.length} failed) and the upkeep over ${((CHANGES + 900) / 60).toFixed(0)} minutes: ${mb(changed.persistenceBytesWritten)} written (${mb(writtenPerHour)} an hour at that pace, reconciliation and compaction included)`,
		);
		console.log(`  held after: ${mb(held())}, ${(held() / rooms).toFixed(0)} bytes a room`);
		const passesPerDay = (24 * 60) / interval;
		const done = CHANGES - changes.failed.length;
		const changeGetById = done > 0 ? (actions.roomById / done) * 86_400 : 0;
		const count = (value: number): string => Math.round(value).toLocaleString('en-US');
		console.log(
			`  a day at the interval in force (${interval} minutes, ${passesPerDay.toFixed(1)} passes) and one change a second: getById ${count(pass.roomById * passesPerDay + changeGetById)}` +
				` (passes ${count(pass.roomById * passesPerDay)}, changes ${count(changeGetById)}: ${(actions.roomById / Math.max(1, done)).toFixed(2)} a change), list entries walked ${count(pass.roomsWalked * passesPerDay)};` +
				` beside persistence holding ${mb(held())} and writing ${mb(writtenPerHour)} an hour`,
		);
	} finally {
		await running.stop();
	}
}

async function main(): Promise<void> {
	for (const size of SIZES) await probe(size);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
