/** The cluster's scheduler: Agenda's semantics as Rocket.Chat uses them, with a clock tests can move. */
import { Scheduler, humanInterval, nextCron, nextRun, whenToDate } from '../../workspace/engine/scheduler';
import type { JobRunner } from '../../workspace/engine/scheduler';

const MINUTE = 60_000;

interface Run {
	instance: number;
	name: string;
	context: Record<string, unknown>;
}

/** A runner over instances 1..n, recording each run; `hold` keeps runs going until released. */
function runner(instances: number[], live = new Set(instances)): JobRunner & { runs: Run[]; release(): void; hold: boolean } {
	let releases: Array<() => void> = [];
	const self = {
		runs: [] as Run[],
		hold: false,
		isLive: (k: number) => live.has(k),
		run: async (instance: number, name: string, context: Record<string, unknown>) => {
			self.runs.push({ instance, name, context });
			if (self.hold) await new Promise<void>((resolve) => releases.push(resolve));
		},
		release: () => {
			for (const release of releases) release();
			releases = [];
		},
	};
	return self;
}

describe('intervals and dates', () => {
	test.each([
		['15 minutes', 15 * MINUTE],
		['1 minute', MINUTE],
		['30 seconds', 30_000],
		['2 hours', 2 * 60 * MINUTE],
		['1 hour and 30 minutes', 90 * MINUTE],
		['1 day', 24 * 60 * MINUTE],
		['500 ms', 500],
		['soon', undefined],
		['15 fortnights', undefined],
	])('human interval %s', (text, ms) => {
		expect(humanInterval(text)).toBe(ms);
	});

	test.each([
		['*/15 * * * *', '2026-01-01T10:07:00.000Z', '2026-01-01T10:15:00.000Z'],
		['0 3 * * *', '2026-01-01T10:07:00.000Z', '2026-01-02T03:00:00.000Z'],
		['30 9 * * 1', '2026-01-01T10:07:00.000Z', '2026-01-05T09:30:00.000Z'],
		['0 0 1 * *', '2026-01-15T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
	])('cron %s after %s', (cron, after, next) => {
		expect(nextCron(cron, new Date(after))?.toISOString()).toBe(next);
	});

	test.each(['* * *', '61 * * * *', 'every day'])('%s is not a cron expression', (text) => {
		expect(nextCron(text, new Date())).toBeUndefined();
	});

	test('a number is milliseconds, as Agenda reads it', () => {
		expect(nextRun(5000, new Date(0)).getTime()).toBe(5000);
	});

	test.each([
		['in 10 minutes', 10 * MINUTE],
		['10 minutes', 10 * MINUTE],
		['now', 0],
	])('when %s', (when, offset) => {
		const now = new Date('2026-01-01T00:00:00.000Z');
		expect(whenToDate(when, now).getTime() - now.getTime()).toBe(offset);
	});
});

describe('jobs', () => {
	test('a recurring startup job registered by every instance is one job, run once per interval by one instance', async () => {
		const fake = runner([1, 2]);
		const scheduler = new Scheduler(fake, 0);
		const processors = [{ id: 'sweep_app', startupSetting: { type: 'recurring' as const, interval: '15 minutes', skipImmediate: true } }];
		scheduler.registerProcessors(1, processors, 'app');
		scheduler.registerProcessors(2, processors, 'app');
		expect(scheduler.list('app')).toHaveLength(1);
		expect(await scheduler.runDue()).toBe(0);
		expect(await scheduler.advance(15 * MINUTE)).toBe(1);
		expect(await scheduler.advance(14 * MINUTE)).toBe(0);
		expect(await scheduler.advance(1 * MINUTE)).toBe(1);
		expect(fake.runs.map((run) => run.name)).toEqual(['sweep_app', 'sweep_app']);
		// the runs go to live instances that define the processor
		expect(fake.runs.every((run) => [1, 2].includes(run.instance))).toBe(true);
	});

	test('without skipImmediate a recurring job is due at once', async () => {
		const fake = runner([1]);
		const scheduler = new Scheduler(fake, 0);
		scheduler.registerProcessors(1, [{ id: 'p_app' }], 'app');
		scheduler.scheduleRecurring({ id: 'p_app', interval: '1 minute' }, 'app');
		expect(await scheduler.runDue()).toBe(1);
	});

	test('a job never runs while its previous run is still going', async () => {
		const fake = runner([1, 2]);
		fake.hold = true;
		const scheduler = new Scheduler(fake, 0);
		scheduler.registerProcessors(1, [{ id: 'p_app' }], 'app');
		scheduler.registerProcessors(2, [{ id: 'p_app' }], 'app');
		scheduler.scheduleRecurring({ id: 'p_app', interval: '1 second' }, 'app');
		const first = scheduler.runDue();
		// due again, but still running: not started a second time, on either instance
		expect(await scheduler.advance(5000)).toBe(0);
		fake.release();
		expect(await first).toBe(1);
		fake.hold = false;
		expect(await scheduler.advance(5000)).toBe(1);
		expect(fake.runs).toHaveLength(2);
	});

	test('a one-time job runs once, then is gone; the processor gets its data and job id, not the app id', async () => {
		const fake = runner([1]);
		const scheduler = new Scheduler(fake, 0);
		scheduler.registerProcessors(1, [{ id: 'once_app' }], 'app');
		const id = scheduler.scheduleOnce({ id: 'once_app', when: 'in 10 minutes', data: { room: 'r1' } }, 'app');
		expect(await scheduler.advance(9 * MINUTE)).toBe(0);
		expect(await scheduler.advance(MINUTE)).toBe(1);
		expect(await scheduler.advance(60 * MINUTE)).toBe(0);
		expect(fake.runs[0].context).toEqual({ room: 'r1', jobId: id });
		expect(scheduler.list('app')).toEqual([]);
	});

	test('a one-time startup job is scheduled once per cluster, not once per instance', () => {
		const scheduler = new Scheduler(runner([1, 2]), 0);
		const processors = [{ id: 'boot_app', startupSetting: { type: 'onetime' as const, when: 'in 1 minute' } }];
		scheduler.registerProcessors(1, processors, 'app');
		scheduler.registerProcessors(2, processors, 'app');
		expect(scheduler.list('app')).toHaveLength(1);
	});

	test('no live instance defines the processor: the job waits', async () => {
		const live = new Set([1]);
		const fake = runner([1, 2], live);
		const scheduler = new Scheduler(fake, 0);
		scheduler.registerProcessors(2, [{ id: 'p_app' }], 'app');
		scheduler.scheduleOnce({ id: 'p_app', when: 'now' }, 'app');
		expect(await scheduler.runDue()).toBe(0);
		live.add(2);
		expect(await scheduler.runDue()).toBe(1);
		expect(fake.runs[0].instance).toBe(2);
	});

	test.each([
		['by the id scheduleOnce answered', (id: string) => `${id}_app`, 0],
		['by the processor name', () => 'p_app', 0],
		['by another name', () => 'q_app', 1],
	])('cancelJob %s', (_name, jobName, left) => {
		const scheduler = new Scheduler(runner([1]), 0);
		const id = scheduler.scheduleOnce({ id: 'p_app', when: 'in 1 minute' }, 'app') as string;
		scheduler.cancelJob(jobName(id));
		expect(scheduler.list('app')).toHaveLength(left);
	});

	test('cancelAllJobs cancels one app only', () => {
		const scheduler = new Scheduler(runner([1]), 0);
		scheduler.scheduleOnce({ id: 'p_app', when: 'in 1 minute' }, 'app');
		scheduler.scheduleRecurring({ id: 'q_app', interval: '1 minute' }, 'app');
		scheduler.scheduleOnce({ id: 'p_other', when: 'in 1 minute' }, 'other');
		scheduler.cancelAllJobs('app');
		expect(scheduler.list().map((job) => job.name)).toEqual(['p_other']);
	});

	test('an interval the scheduler cannot read schedules nothing and is reported', () => {
		const scheduler = new Scheduler(runner([1]), 0);
		expect(scheduler.scheduleRecurring({ id: 'p_app', interval: 'whenever', skipImmediate: true }, 'app')).toBeUndefined();
		expect(scheduler.list()).toEqual([]);
		expect(scheduler.errors.join()).toContain('whenever');
	});
});

/**
 * Agenda's timing (Rocket.Chat's `packages/agenda/src/Agenda.ts`): a scan every `processEvery` takes the jobs due
 * before the next scan and runs each at its `nextRunAt`; a job saved due before the next scan is taken at once.
 */
describe('when a job runs, polling every 5 s', () => {
	beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00.000Z') }));
	afterEach(() => jest.useRealTimers());

	/** Milliseconds from `start` of each run, in order. */
	const runTimes = (runs: Array<{ at: number }>, start: number): number[] => runs.map((run) => run.at - start);

	function timedRunner(onRun?: (name: string) => void): JobRunner & { runs: Array<{ at: number; name: string }> } {
		const self = {
			runs: [] as Array<{ at: number; name: string }>,
			isLive: () => true,
			run: async (_instance: number, name: string) => {
				self.runs.push({ at: Date.now(), name });
				onRun?.(name);
			},
		};
		return self;
	}

	/** A scheduler scanning every 5 seconds, with one job scheduled `when`: it runs at `ms`, not a millisecond before. */
	async function expectOneRunAt(when: string, ms: number): Promise<{ fake: ReturnType<typeof timedRunner>; scheduler: Scheduler; start: number }> {
		const fake = timedRunner();
		const scheduler = new Scheduler(fake, 5000);
		const start = Date.now();
		scheduler.registerProcessors(1, [{ id: 'p_app' }], 'app');
		scheduler.scheduleOnce({ id: 'p_app', when }, 'app');
		await jest.advanceTimersByTimeAsync(ms - 1);
		expect(fake.runs).toHaveLength(0);
		await jest.advanceTimersByTimeAsync(1);
		expect(runTimes(fake.runs, start)).toEqual([ms]);
		return { fake, scheduler, start };
	}

	test('a job saved due before the next scan runs at its time, not at the scan', async () => {
		const { fake, scheduler, start } = await expectOneRunAt('in 1 second', 1000);
		// due now: at once
		scheduler.scheduleOnce({ id: 'p_app', when: 'now' }, 'app');
		await jest.advanceTimersByTimeAsync(0);
		expect(runTimes(fake.runs, start)).toEqual([1000, 1000]);
		await scheduler.stop();
	});

	test('a job due after the next scan is taken by that scan and runs at its time, not at the scan after', async () => {
		const { scheduler } = await expectOneRunAt('in 7 seconds', 7000);
		await scheduler.stop();
	});

	test('a continuation a run schedules a second later runs a second after, and a recurring job keeps its interval', async () => {
		const holder: { scheduler?: Scheduler } = {};
		let left = 3;
		const fake = timedRunner((name) => {
			if (name === 'slice_app' && --left > 0) holder.scheduler?.scheduleOnce({ id: 'slice_app', when: '1 second' }, 'app');
		});
		const scheduler = new Scheduler(fake, 5000);
		holder.scheduler = scheduler;
		const start = Date.now();
		scheduler.registerProcessors(1, [{ id: 'slice_app' }, { id: 'tick_app' }], 'app');
		scheduler.scheduleRecurring({ id: 'tick_app', interval: '2 seconds', skipImmediate: true }, 'app');
		scheduler.scheduleOnce({ id: 'slice_app', when: 'now' }, 'app');
		await jest.advanceTimersByTimeAsync(6000);
		expect(
			runTimes(
				fake.runs.filter((run) => run.name === 'slice_app'),
				start,
			),
		).toEqual([0, 1000, 2000]);
		expect(
			runTimes(
				fake.runs.filter((run) => run.name === 'tick_app'),
				start,
			),
		).toEqual([2000, 4000, 6000]);
		await scheduler.stop();
	});

	test('one run of a processor at a time in an instance: the next job of that processor waits for it', async () => {
		let release: (() => void) | undefined;
		const runs: number[] = [];
		const scheduler = new Scheduler(
			{
				isLive: () => true,
				run: async () => {
					runs.push(Date.now());
					if (runs.length === 1) await new Promise<void>((resolve) => (release = resolve));
				},
			},
			5000,
		);
		const start = Date.now();
		scheduler.registerProcessors(1, [{ id: 'p_app' }], 'app');
		scheduler.scheduleOnce({ id: 'p_app', when: 'now' }, 'app');
		scheduler.scheduleOnce({ id: 'p_app', when: 'now' }, 'app');
		await jest.advanceTimersByTimeAsync(3000);
		expect(runs.map((at) => at - start)).toEqual([0]);
		release?.();
		await jest.advanceTimersByTimeAsync(0);
		expect(runs.map((at) => at - start)).toEqual([0, 3000]);
		await scheduler.stop();
	});

	test('polling off (0): nothing runs by itself', async () => {
		const fake = timedRunner();
		const scheduler = new Scheduler(fake, 0);
		scheduler.registerProcessors(1, [{ id: 'p_app' }], 'app');
		scheduler.scheduleOnce({ id: 'p_app', when: 'now' }, 'app');
		await jest.advanceTimersByTimeAsync(60_000);
		expect(fake.runs).toHaveLength(0);
		expect(await scheduler.runDue()).toBe(1);
	});
});
