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
 * Time: the scheduler polls every `pollMs` (5 s as Agenda's default; 0 turns polling off), and tests move its clock
 * with `advance(ms)` or run what is due now with `runDue()`, instead of waiting.
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

	private readonly running = new Set<string>();

	private offset = 0;

	private timer?: NodeJS.Timeout;

	private next = 0;

	/** Runs under way, so that `stop` and tests can wait for them. */
	private readonly inFlight = new Set<Promise<void>>();

	/** Errors the scheduler met (a bad interval, a failing processor), newest last. */
	public readonly errors: string[] = [];

	constructor(
		private readonly runner: JobRunner,
		pollMs = 5000,
	) {
		if (pollMs > 0) {
			this.timer = setInterval(() => void this.runDue(), pollMs);
			this.timer.unref();
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
		this.timer = undefined;
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
			this.jobs.push(record);
			return record._id;
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
				// An existing job keeps a run already due rather than being pushed back; a later first run moves it.
				if (!existing.nextRunAt || first.getTime() > now.getTime()) existing.nextRunAt = first;
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
			this.jobs.push(record);
			return record._id;
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
	}

	public cancelAllJobs(appId: string): void {
		this.jobs = this.jobs.filter((job) => !job.name.endsWith(`_${appId}`));
	}

	private pickInstance(name: string): number | undefined {
		const candidates = [...this.defined.entries()]
			.filter(([instance, names]) => names.has(name) && this.runner.isLive(instance))
			.map(([instance]) => instance);
		if (!candidates.length) return undefined;
		candidates.sort((a, b) => a - b);
		const instance = candidates[this.next % candidates.length];
		this.next += 1;
		return instance;
	}

	/** Runs every job due now that is not already running, each in one live instance; resolves when they are over. */
	public async runDue(): Promise<number> {
		const now = this.now();
		const due = this.jobs.filter((job) => job.nextRunAt && job.nextRunAt.getTime() <= now.getTime() && !this.running.has(job._id));
		due.sort((a, b) => (a.nextRunAt as Date).getTime() - (b.nextRunAt as Date).getTime());
		const runs: Array<Promise<void>> = [];
		for (const job of due) {
			const instance = this.pickInstance(job.name);
			if (instance === undefined) continue;
			runs.push(this.runJob(job, instance, now));
		}
		await Promise.all(runs);
		return runs.length;
	}

	private runJob(job: Job, instance: number, now: Date): Promise<void> {
		this.running.add(job._id);
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
				this.inFlight.delete(run);
			});
		this.inFlight.add(run);
		return run;
	}
}
