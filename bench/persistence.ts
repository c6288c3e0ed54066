/**
 * `npm run bench:persistence`: what the index costs the server's database, through the local workspace and its
 * scheduler (advanced by hand, so an hour takes seconds): the first build's writes, the bytes persistence holds per
 * room, an hour of upkeep with no change, and a stretch of real changes (one a second, through the omnichannel REST
 * actions) with the compactions they cause, reported per hour. Nothing here asserts: this is a measurement.
 *
 *   BENCH_SIZES=50000 npm run bench:persistence
 */
import { NAMES } from '../src/index/shared';
import { demoData } from '../workspace/data/demo';
import { startWorkspace } from '../workspace/index';
import type { RunningWorkspace } from '../workspace/index';
import { driveChanges } from './changes';
import { statsDelta, statsOf } from './endpoint';

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

async function probe(rooms: number): Promise<void> {
	const running = await startWorkspace({ data: demoData({ rooms }), schedulerPollMs: 0 });
	try {
		const held = (): number => running.state.persistence.heldBytes(running.app.id);
		const start = statsOf(running.state);
		await untilIdle(running, 1000, 100_000);
		const build = statsDelta(start, statsOf(running.state));
		console.log(`${rooms.toLocaleString('en-US')} rooms`);
		console.log(
			`  first build: ${mb(build.persistenceBytesWritten)} written in ${build.persistenceWrites} writes; ${build.roomById} getById, ${build.roomsWalked.toLocaleString('en-US')} list entries walked`,
		);
		console.log(`  held: ${mb(held())}, ${(held() / rooms).toFixed(0)} bytes a room`);

		const idleStart = statsOf(running.state);
		for (let minute = 0; minute < 60; minute++) await running.scheduler.advance(60_000);
		const idle = statsDelta(idleStart, statsOf(running.state));
		console.log(
			`  an hour with no change: ${mb(idle.persistenceBytesWritten)} written in ${idle.persistenceWrites} writes; ${idle.roomById} getById, ${idle.roomsWalked.toLocaleString('en-US')} list entries walked`,
		);

		const changeStart = statsOf(running.state);
		const changes = await driveChanges(running, CHANGES, 0);
		// The scheduler's clock moves a second per change, as if they came one a second; then the compactions they cause.
		for (let second = 0; second < CHANGES; second += 60) await running.scheduler.advance(60_000);
		for (let minute = 0; minute < 15; minute++) await running.scheduler.advance(60_000);
		const changed = statsDelta(changeStart, statsOf(running.state));
		const perHour = 3600 / (CHANGES + 15 * 60);
		console.log(
			`  ${CHANGES} changes (${changes.failed.length} failed) and the upkeep over ${((CHANGES + 900) / 60).toFixed(0)} minutes: ${mb(changed.persistenceBytesWritten)} written (${mb(changed.persistenceBytesWritten * perHour)} an hour at that pace, reconciliation and compaction included)`,
		);
		console.log(`  held after: ${mb(held())}, ${(held() / rooms).toFixed(0)} bytes a room`);
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
