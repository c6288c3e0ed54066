/**
 * The apps' scheduler, as Rocket.Chat runs it: Agenda over one MongoDB collection shared by the whole cluster, so a
 * job runs once per cluster, never once per instance, and never at the same time as its own previous run. The jobs
 * live in the main thread; each instance registers the processors its app runtime defines, and a due job runs in one
 * live instance that defines it.
 *
 * Intervals and dates (Agenda's `every` and `schedule`), as far as this workspace supports them:
 * - a number: milliseconds (Agenda's unit for numbers);
 * - a human interval: `<number> <unit>` terms, optionally joined by `and`, units millisecond(s)/ms, second(s),
 *   minute(s), hour(s), day(s), week(s) (e.g. `15 minutes`, `1 hour and 30 minutes`); for `scheduleOnce`, also
 *   `in <interval>`, `now`, an ISO date string or a `Date`;
 * - a cron expression of 5 fields (minute hour day-of-month month day-of-week, with `*`, lists, ranges and `/step`),
 *   evaluated in UTC.
 * Anything else is refused as Agenda would fail on it: the bridge logs the error and the app gets `undefined`.
 *
 * Time, as Agenda runs it (repository RocketChat/Rocket.Chat, `packages/agenda/src/Agenda.ts`: `processJobs`,
 * `_jobQueueFilling`, `_processDbResult`, `_lockOnTheFly`, `_jobProcessing`; the bridge,
 * `apps/meteor/app/apps/server/bridges/scheduler.ts`, creates it with `processEvery` left at its default and
 * `defaultConcurrency: 1`):
 * - every `pollMs` (`processEvery`, 5 s) a scan takes every job due before the *next* scan (`nextRunAt` at most
 *   now + `pollMs`) whose processor a live instance defines, and runs each at its `nextRunAt` (at once when it is
 *   already due, else on a timer), not at the scan;
 * - a job saved (`scheduleOnce`, `scheduleRecurring`, a recurring job's run ending with its next date) whose
 *   `nextRunAt` falls before the next scan would have been taken by the last one, so it is taken at once
 *   (`lockOnTheFly`) and runs at its `nextRunAt`: `scheduleOnce` of `1 second` runs a second later, not at the poll;
 * - one run at a time per processor in an instance (`defaultConcurrency: 1`), and never a job while its own
 *   previous run goes on (its lock).
 * `pollMs` 0 turns all of this off: tests move the clock with `advance(ms)` or run what is due now with `runDue()`,
 * which runs every job then due and nothing by itself. Not modelled: Agenda's limit of 20 runs at once per instance,
 * and a lock older than 10 minutes taken for abandoned (a run that long would be started again).
 */
import { randomBytes } from 'crypto';
import { isDate } from './dates';

export type JobType = 'normal' | 'single';

export interface Job {
	_id: string;
	/** The processor: `<processor id>_<app id>`, as the engine names it. */
	name: string;
	appId: string;
	type: JobType;
	data: Record<string, unknown>;
	nextRunAt?: Date;
	lastRunAt?: Date;
	lastFinishedAt?: Date;
	failedAt?: Date;
	failReason?: string;
	/** `every`'s interval, for recurring jobs. */
	repeatInterval?: string | number;
	runCount: number;
}

export interface ProcessorInfo {
	id: string;
	startupSetting?: {
		type: 'onetime' | 'recurring';
		when?: string | Date;
		interval?: string | number;
		skipImmediate?: boolean;
		data?: Record<string, unknown>;
	};
}

/** How the scheduler reaches the instances: run a processor in instance k's runtime. */
export interface JobRunner {
	isLive(instance: number): boolean;
	run(instance: number, processorId: string, context: Record<string, unknown>): Promise<void>;
}

const UNITS: Record<string, number> = {
	ms: 1,
	millisecond: 1,
	milliseconds: 1,
	second: 1000,
	seconds: 1000,
	sec: 1000,
	secs: 1000,
	minute: 60_000,
	minutes: 60_000,
	min: 60_000,
	mins: 60_000,
	hour: 3_600_000,
	hours: 3_600_000,
	day: 86_400_000,
	days: 86_400_000,
	week: 604_800_000,
	weeks: 604_800_000,
};

/** A human interval in milliseconds, or undefined when it is not one. */
export function humanInterval(text: string): number | undefined {
	const terms = text
		.trim()
		.toLowerCase()
		.split(/\s*(?:,|\band\b)\s*/)
		.filter(Boolean);
	if (!terms.length) return undefined;
	let total = 0;
	for (const term of terms) {
		const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/.exec(term);
		if (!match || !(match[2] in UNITS)) return undefined;
		total += Number(match[1]) * UNITS[match[2]];
	}
	return total;
}

function cronField(field: string, min: number, max: number): Set<number> | undefined {
	const out = new Set<number>();
	for (const part of field.split(',')) {
		const match = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(part);
		if (!match) return undefined;
		let from = min;
		let to = max;
		if (match[1] !== '*') {
			const [a, b] = match[1].split('-').map(Number);
			from = a;
			to = b === undefined ? (match[2] ? max : a) : b;
		}
		const step = match[2] ? Number(match[2]) : 1;
		if (from < min || to > max || from > to || step < 1) return undefined;
		for (let v = from; v <= to; v += step) out.add(v);
	}
	return out;
}

/** The next minute strictly after `after` that a 5-field cron expression names (UTC), or undefined. */
export function nextCron(expression: string, after: Date): Date | undefined {
	const fields = expression.trim().split(/\s+/);
	if (fields.length !== 5) return undefined;
	const [minutes, hours, days, months, weekdays] = [
		cronField(fields[0], 0, 59),
		cronField(fields[1], 0, 23),
		cronField(fields[2], 1, 31),
		cronField(fields[3], 1, 12),
		cronField(fields[4].replace(/\b7\b/g, '0'), 0, 6),
	];
	if (!minutes || !hours || !days || !months || !weekdays) return undefined;
	const anyDay = fields[2] === '*';
	const anyWeekday = fields[4] === '*';
	const t = new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
	for (let i = 0; i < 366 * 24 * 60 * 5; i++) {
		const dayOk =
			anyDay && anyWeekday
				? true
				: anyDay
					? weekdays.has(t.getUTCDay())
					: anyWeekday
						? days.has(t.getUTCDate())
						: days.has(t.getUTCDate()) || weekdays.has(t.getUTCDay());
		if (months.has(t.getUTCMonth() + 1) && dayOk && hours.has(t.getUTCHours()) && minutes.has(t.getUTCMinutes())) return t;
		t.setTime(t.getTime() + 60_000);
	}
	return undefined;
}

/** When a recurring job runs next after a run that started at `from`. */
export function nextRun(interval: string | number, from: Date): Date {
	if (typeof interval === 'number') {
		if (!Number.isFinite(interval) || interval <= 0) throw new Error(`invalid interval ${interval}`);
		return new Date(from.getTime() + interval);
	}
	const ms = humanInterval(interval);
	if (ms !== undefined && ms > 0) return new Date(from.getTime() + ms);
	const cron = nextCron(interval, from);
	if (cron) return cron;
	throw new Error(`unsupported interval "${interval}"`);
}

/** When a one-time job runs: a date, `now`, an ISO string, or `in <human interval>` / `<human interval>` from now. */
export function whenToDate(when: unknown, now: Date): Date {
	if (isDate(when)) return when;
	if (typeof when === 'string') {
		const text = when.trim().toLowerCase();
		if (text === 'now') return now;
		const ms = humanInterval(text.replace(/^in\s+/, ''));
		if (ms !== undefined) return new Date(now.getTime() + ms);
		if (/^\d{4}-\d{2}-\d{2}/.test(when)) {
			const date = new Date(when);
			if (!Number.isNaN(date.getTime())) return date;
		}
	}
	throw new Error(`unsupported date "${String(when)}"`);
}

function objectId(): string {
	return randomBytes(12).toString('hex');
}

export class Scheduler {
	private jobs: Job[] = [];

	/** Which processor names each instance's runtime has defined. */
	private readonly defined = new Map<number, Set<string>>();

	/** Jobs whose run is under way (Agenda's lock), by id. */
	private readonly running = new Set<string>();

	/** What each instance is running, by processor: one run at a time per processor in an instance. */
	private readonly busy = new Map<number, Set<string>>();

	/** Jobs taken for their `nextRunAt` (Agenda's locked jobs, queued), run when it comes. */
	private readonly taken = new Set<Job>();

	/** When the next scan is (Agenda's `_nextScanAt`), on the scheduler's clock; polling only. */
	private nextScanAt?: number;

	private offset = 0;

	private timer?: NodeJS.Timeout;

	/** The timer for the next job taken but not yet due. */
	private wake?: NodeJS.Timeout;

	private next = 0;

	/** Runs under way, so that `stop` and tests can wait for them. */
	private readonly inFlight = new Set<Promise<void>>();

	/** Errors the scheduler met (a bad interval, a failing processor), newest last. */
	public readonly errors: string[] = [];

	constructor(
		private readonly runner: JobRunner,
		private readonly pollMs = 5000,
	) {
		if (pollMs > 0) {
			this.timer = setInterval(() => void this.scan(), pollMs);
			this.timer.unref();
			// Agenda scans once as it starts, then every `processEvery`.
			this.nextScanAt = this.now().getTime() + pollMs;
		}
	}

	/** The scheduler's clock: the wall clock, moved on by `advance`. */
	public now(): Date {
		return new Date(Date.now() + this.offset);
	}

	/** Moves the scheduler's clock on by `ms` and runs every job then due; resolves when those runs are over. */
	public async advance(ms: number): Promise<number> {
		this.offset += ms;
		return this.runDue();
	}

	public list(appId?: string): Job[] {
		return this.jobs.filter((job) => appId === undefined || job.appId === appId).map((job) => ({ ...job, data: { ...job.data } }));
	}

	public stop(): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		if (this.wake) clearTimeout(this.wake);
		this.timer = undefined;
		this.wake = undefined;
		this.nextScanAt = undefined;
		this.taken.clear();
		return Promise.all([...this.inFlight]).then(() => undefined);
	}

	/** Forgets what an instance defined (its runtime stopped or restarts; it registers again when the app starts). */
	public forgetInstance(instance: number): void {
		this.defined.delete(instance);
	}

	/** `registerProcessors`: defines them for this instance and schedules their startup settings, once per cluster. */
	public registerProcessors(instance: number, processors: ProcessorInfo[], appId: string): string[] | undefined {
		const names = this.defined.get(instance) ?? new Set<string>();
		this.defined.set(instance, names);
		const ids: string[] = [];
		for (const { id, startupSetting } of processors) {
			names.add(id);
			if (!startupSetting) continue;
			if (startupSetting.type === 'onetime') {
				if (!this.jobs.some((job) => job.name === id && job.type === 'normal')) {
					const jobId = this.scheduleOnce({ id, when: startupSetting.when as string | Date, data: startupSetting.data }, appId);
					if (jobId) ids.push(jobId);
				}
			} else if (startupSetting.type === 'recurring') {
				const jobId = this.scheduleRecurring(
					{ id, interval: startupSetting.interval as string | number, skipImmediate: startupSetting.skipImmediate, data: startupSetting.data },
					appId,
				);
				if (jobId) ids.push(jobId);
			} else {
				this.errors.push(`Unknown startup setting type ${String((startupSetting as { type?: unknown }).type)}`);
			}
		}
		return ids.length ? ids : undefined;
	}

	/** Agenda's `schedule(when, name, data)`: a new one-time job each call. */
	public scheduleOnce(job: { id: string; when: string | Date; data?: Record<string, unknown> }, appId: string): string | undefined {
		try {
			const nextRunAt = whenToDate(job.when, this.now());
			const record: Job = { _id: objectId(), name: job.id, appId, type: 'normal', data: { ...job.data, appId }, nextRunAt, runCount: 0 };
			return this.insert(record);
		} catch (error) {
			this.errors.push((error as Error).message);
			return undefined;
		}
	}

	/** Agenda's `every(interval, name, data, { skipImmediate })`: one job per name, created or updated. */
	public scheduleRecurring(
		job: { id: string; interval: string | number; skipImmediate?: boolean; data?: Record<string, unknown> },
		appId: string,
	): string | undefined {
		try {
			const now = this.now();
			const first = job.skipImmediate ? nextRun(job.interval, now) : now;
			const existing = this.jobs.find((j) => j.name === job.id && j.type === 'single');
			if (existing) {
				existing.repeatInterval = job.interval;
				existing.data = { ...job.data, appId };
				// Agenda's upsert sets `nextRunAt` only on insert when the first run is due now: an existing job keeps its
				// date then (even none); a later first run (`skipImmediate`) moves it.
				if (first.getTime() > now.getTime()) existing.nextRunAt = first;
				this.saved(existing);
				return existing._id;
			}
			const record: Job = {
				_id: objectId(),
				name: job.id,
				appId,
				type: 'single',
				data: { ...job.data, appId },
				nextRunAt: first,
				repeatInterval: job.interval,
				runCount: 0,
			};
			return this.insert(record);
		} catch (error) {
			this.errors.push((error as Error).message);
			return undefined;
		}
	}

	/** `cancelJob(<job id or processor id>_<app id>)`: by the job's id when it is one, else every job of that name. */
	public cancelJob(jobId: string): void {
		const head = jobId.split('_')[0];
		if (/^[0-9a-f]{24}$/i.test(head)) this.jobs = this.jobs.filter((job) => job._id !== head.toLowerCase());
		else this.jobs = this.jobs.filter((job) => job.name !== jobId);
		this.forgetCancelled();
	}

	public cancelAllJobs(appId: string): void {
		this.jobs = this.jobs.filter((job) => !job.name.endsWith(`_${appId}`));
		this.forgetCancelled();
	}

	private forgetCancelled(): void {
		const kept = new Set(this.jobs);
		for (const job of this.taken) if (!kept.has(job)) this.taken.delete(job);
	}

	/** A live instance that defines the processor and is not running it now, taken in turn; none: the job waits. */
	private pickInstance(name: string): number | undefined {
		const candidates = [...this.defined.entries()]
			.filter(([instance, names]) => names.has(name) && this.runner.isLive(instance) && !this.busy.get(instance)?.has(name))
			.map(([instance]) => instance);
		if (!candidates.length) return undefined;
		candidates.sort((a, b) => a - b);
		const instance = candidates[this.next % candidates.length];
		this.next += 1;
		return instance;
	}

	/** Whether a live instance defines the processor (Agenda scans for the processors it defines only). */
	private definedLive(name: string): boolean {
		return [...this.defined.entries()].some(([instance, names]) => names.has(name) && this.runner.isLive(instance));
	}

	/** Takes the jobs due by `until` (not running, defined by a live instance) for their `nextRunAt`. */
	private take(until: number): void {
		for (const job of this.jobs) {
			if (job.nextRunAt && job.nextRunAt.getTime() <= until && !this.running.has(job._id) && this.definedLive(job.name)) this.taken.add(job);
		}
	}

	/** A scan (every `pollMs`): takes every job due before the next scan, and runs those due now. */
	private scan(): Promise<number> {
		const now = this.now().getTime();
		this.nextScanAt = now + this.pollMs;
		this.take(this.nextScanAt);
		return this.runTaken();
	}

	/** A new job, stored and then saved (below): its id. */
	private insert(record: Job): string {
		this.jobs.push(record);
		this.saved(record);
		return record._id;
	}

	/**
	 * A job was saved (Agenda's `_processDbResult`): due before the next scan, the last scan would have taken it, so
	 * it is taken now and runs at its `nextRunAt`.
	 */
	private saved(job: Job): void {
		if (this.nextScanAt === undefined || !job.nextRunAt || job.nextRunAt.getTime() >= this.nextScanAt) return;
		if (this.running.has(job._id) || !this.definedLive(job.name)) return;
		this.taken.add(job);
		void this.runTaken();
	}

	/** Runs the jobs taken that are due now, each in one live instance free to run it; the timer for the next. */
	private runTaken(): Promise<number> {
		const now = this.now();
		const due = [...this.taken].filter((job) => !job.nextRunAt || job.nextRunAt.getTime() <= now.getTime());
		due.sort((a, b) => (a.nextRunAt?.getTime() ?? 0) - (b.nextRunAt?.getTime() ?? 0));
		const runs: Array<Promise<void>> = [];
		for (const job of due) {
			if (!job.nextRunAt || this.running.has(job._id)) {
				this.taken.delete(job);
				continue;
			}
			if (!this.definedLive(job.name)) {
				// No live instance defines it any more: left for a scan (Agenda's lock would expire).
				this.taken.delete(job);
				continue;
			}
			const instance = this.pickInstance(job.name);
			// Every instance that defines it runs that processor now: the job waits for one of those runs to end.
			if (instance === undefined) continue;
			this.taken.delete(job);
			runs.push(this.runJob(job, instance, now));
		}
		this.setWake(now.getTime());
		return Promise.all(runs).then(() => runs.length);
	}

	/** The timer for the earliest job taken and not yet due (polling only). */
	private setWake(now: number): void {
		if (this.wake) clearTimeout(this.wake);
		this.wake = undefined;
		if (this.pollMs <= 0 || this.timer === undefined) return;
		let earliest = Infinity;
		for (const job of this.taken) {
			const at = job.nextRunAt?.getTime() ?? Infinity;
			if (at > now && at < earliest) earliest = at;
		}
		if (earliest === Infinity) return;
		this.wake = setTimeout(() => void this.runTaken(), earliest - now);
		this.wake.unref();
	}

	/**
	 * Runs every job due now that is not already running, each in one live instance (as a scan does, and, when polling,
	 * takes those due before the next scan for their time); resolves when the runs it started are over.
	 */
	public async runDue(): Promise<number> {
		const now = this.now().getTime();
		if (this.pollMs > 0 && this.timer !== undefined) this.nextScanAt = now + this.pollMs;
		this.take(this.nextScanAt ?? now);
		return this.runTaken();
	}

	private runJob(job: Job, instance: number, now: Date): Promise<void> {
		this.running.add(job._id);
		const busy = this.busy.get(instance) ?? new Set<string>();
		this.busy.set(instance, busy);
		busy.add(job.name);
		job.lastRunAt = now;
		job.runCount += 1;
		if (job.type === 'single' && job.repeatInterval !== undefined) {
			try {
				job.nextRunAt = nextRun(job.repeatInterval, now);
			} catch (error) {
				job.nextRunAt = undefined;
				job.failReason = (error as Error).message;
			}
		} else {
			job.nextRunAt = undefined;
		}
		const { appId, ...data } = job.data;
		void appId;
		const context = { ...data, jobId: job._id };
		const run = this.runner
			.run(instance, job.name, context)
			.then(
				() => {
					job.lastFinishedAt = this.now();
					// A one-time job is removed once it has run, as Rocket.Chat's bridge cancels it.
					if (job.type === 'normal') this.jobs = this.jobs.filter((j) => j !== job);
				},
				(error: Error) => {
					job.failedAt = this.now();
					job.failReason = error?.message ?? String(error);
					this.errors.push(`job ${job.name}: ${job.failReason}`);
				},
			)
			.finally(() => {
				this.running.delete(job._id);
				busy.delete(job.name);
				this.inFlight.delete(run);
				// The run's end is saved (a recurring job with its next date), and the instance is free for the next
				// job of that processor (Agenda's `_processJobResult`).
				if (job.type === 'single' && this.jobs.includes(job)) this.saved(job);
				if (this.timer !== undefined) void this.runTaken();
			});
		this.inFlight.add(run);
		return run;
	}
}
