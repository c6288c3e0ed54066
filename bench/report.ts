/** The benchmark's printed output: one section per size, then the targets, each PASS or MISS with its figure. */
import type { WorkspaceStats } from '../workspace/engine/state';
import type { CoreFigures } from './core';
import type { Summary } from './stats';
import { formatCount, formatKib, formatRatio, formatTime, table } from './stats';
import { quantile } from './throughput';
import type { EndpointFigures, HostWork, WorkspaceFigures } from './workspacePhase';

export interface SizeFigures {
	readonly rooms: number;
	readonly workspace: WorkspaceFigures;
	readonly core: CoreFigures[];
}

/** Targets from issues 11, 12 and 16. */
export const TARGETS = {
	/** Every typical warm query's time over the floor's, and their median: below 100,000 rooms and from 100,000 on. */
	warmSmall: 0.06,
	warmMedianSmall: 0.03,
	warmLarge: 0.01,
	warmMedianLarge: 0.004,
	/** 40 pages of 50 over one floor. */
	paging: 1.0,
	/** `rooms/counts` over `rooms`, same filters. */
	counts: 1.1,
	/** The app's Deno runtime, peak resident set at 100,000 rooms and at 1,000,000; and per room beyond a runtime holding none. */
	memoryMib: 256,
	memoryMibMillion: 1280,
	bytesPerRoom: 1000,
	/** At 1,000,000 rooms (the floor passes the call limit there): every typical warm query over the empty call, and their median. */
	warmMillion: 100,
	warmMedianMillion: 30,
	/** Rocket.Chat's default limit on one call into an app's runtime (`APPS_ENGINE_RUNTIME_TIMEOUT`). */
	callMs: 30000,
	/** A 503 while the index is built must be fast: well under the call limit. */
	refusalMs: 1000,
	/** 8 callers at once sending the typical queries for 60 s: answers a second, the slowest answer, ms. */
	throughputPerSecond: 100,
	throughputSlowestMs: 1000,
	/** A change made meanwhile through an omnichannel action is in that instance's answers within this long, ms. */
	changeSeenMs: 1000,
	/** How long the callers call, s. */
	throughputSeconds: 60,
} as const;

/** The size from which the large targets apply. */
export const LARGE = 100000;
/** The size whose queries are judged against the empty call. */
export const MILLION = 1_000_000;

export const warmTarget = (rooms: number): number => (rooms >= LARGE ? TARGETS.warmLarge : TARGETS.warmSmall);
const warmMedianTarget = (rooms: number): number => (rooms >= LARGE ? TARGETS.warmMedianLarge : TARGETS.warmMedianSmall);
const memoryTarget = (rooms: number): number => (rooms >= 1_000_000 ? TARGETS.memoryMibMillion : TARGETS.memoryMib);

/** `1.04x (0.98–1.10)`: the median of the per-round ratios and their spread. */
function formatRatios(ratios: Summary): string {
	const digits = ratios.median < 0.1 ? 3 : 2;
	return `${ratios.median.toFixed(digits)}x (${ratios.min.toFixed(digits)}–${ratios.max.toFixed(digits)})`;
}

const per = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(1));

function workLine(work: WorkspaceStats): string {
	return `getById ${formatCount(work.roomById)}, getAllRooms ${formatCount(work.roomListCalls)} (roomsWalked ${formatCount(work.roomsWalked)}), persistence reads ${formatCount(work.persistenceReads)}, writes ${formatCount(work.persistenceWrites)}`;
}

function hostCells(work: HostWork): string[] {
	return [per(work.roomsWalked), per(work.persistenceReads), per(work.roomById)];
}

function endpointRow(rooms: number, figures: EndpointFigures, floorMissing: boolean): string[] {
	const { query, time, total, returned } = figures;
	const judged = floorMissing ? figures.pingRatio.median <= TARGETS.warmMillion : figures.ratio.median <= warmTarget(rooms);
	const notes = [
		floorMissing ? `${formatRatios(figures.pingRatio)} the empty call` : '',
		query.typical ? (judged ? '' : `over ${floorMissing ? `${TARGETS.warmMillion}x the empty call` : `${warmTarget(rooms)}x`}`) : 'bulk, not judged',
		time.max > TARGETS.callMs ? 'over 30 s' : '',
	];
	return [
		query.label,
		formatCount(total),
		formatCount(returned),
		String(time.runs),
		formatTime(time),
		floorMissing ? '-' : formatRatios(figures.ratio),
		floorMissing ? '-' : formatRatios(figures.cpuRatio),
		...hostCells(figures.perCall),
		notes.filter(Boolean).join('; '),
	];
}

function endpointTable(size: SizeFigures): string {
	const { floor, floorTotal, queries, floorMissing } = size.workspace;
	const { ping } = size.workspace;
	const floorRow = floorMissing
		? ['floor: one projected pass (floor app)', '-', '-', '0', '-', '-', '-', '', '', '', `not timed: ${floorMissing}`]
		: ['floor: one projected pass (floor app)', formatCount(floorTotal), '-', String(floor.runs), formatTime(floor), '1', '1', '', '', '', ''];
	const rows = [
		floorRow,
		[
			'an empty call (floor app, ping)',
			'-',
			'-',
			String(ping.time.runs),
			formatTime(ping.time),
			floorMissing ? '-' : formatRatios(ping.ratio),
			'',
			'',
			'',
			'',
			'the fixed cost of a call',
		],
		...queries.map((q) => endpointRow(size.rooms, q, floorMissing !== undefined)),
	];
	return table(
		[
			'warm query (executeApi)',
			'matches',
			'returned',
			'runs',
			'time: median (min–max)',
			'time vs floor',
			'CPU vs floor',
			'walked/call',
			'p.reads/call',
			'getById/call',
			'',
		],
		rows,
	);
}

function coldLines(size: SizeFigures): string[] {
	const { cold } = size.workspace;
	return [
		`Cold start (install to ready): ${cold.ready ? '' : 'NOT READY, gave up after '}${(cold.toReadyMs / 1000).toFixed(1)} s after the app was enabled (install itself ${(cold.installMs / 1000).toFixed(1)} s); ${cold.jobRuns} scheduler runs of the app's jobs`,
		`  queue-ready (queued=true answered): ${cold.toQueueReadyMs < 0 ? 'never' : `${(cold.toQueueReadyMs / 1000).toFixed(1)} s`}; fully ready: ${(cold.toReadyMs / 1000).toFixed(1)} s;` +
			` the upkeep's first run ${cold.firstJobRunMs < 0 ? 'during the install (a job saved due runs at once, as on Rocket.Chat)' : `${(cold.firstJobRunMs / 1000).toFixed(1)} s after the app was enabled`}`,
		`  host work from start to ready: ${workLine(cold.work)}`,
		`  first answer after ready ${formatMs(cold.firstAnswerMs)}; one a second later (the index's poll replays the journal's last buckets, still holding the build's pages): ${formatMs(cold.tailAnswerMs)}, ${cold.tailReads} persistence reads`,
		`  CPU from start to ready: app's Deno runtime ${formatMs(cold.denoCpuMs)}, host ${formatMs(cold.hostCpuMs)} (of ${formatMs(cold.installMs + cold.toReadyMs)} wall)`,
		`  ${cold.answers503} answers 503 meanwhile, slowest ${formatMs(cold.slowest503Ms)}, Retry-After ${cold.retryAfter.join(', ') || '-'}${cold.sampleMessage ? `; e.g. "${cold.sampleMessage.slice(0, 160)}"` : ''}`,
		...(cold.failures.length ? [`  !!! other answers during the cold start: ${cold.failures.slice(0, 3).join(' | ')}`] : []),
	];
}

const formatMs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

function pagingLines(size: SizeFigures): string[] {
	const { paging, floorMissing } = size.workspace;
	const ratio = floorMissing ? 'no floor at this size' : `${formatRatios(paging.ratio)} one floor (CPU ${formatRatios(paging.cpuRatio)})`;
	return [
		`Paging: ${paging.pages} pages of 50 over ${formatCount(paging.total)} matches (${formatCount(paging.distinct)} distinct rooms): all together ${formatTime(paging.time)}, ${ratio};` +
			` per request roomsWalked ${per(paging.perRequest.roomsWalked)}, persistence reads ${per(paging.perRequest.persistenceReads)}`,
	];
}

function countsLines(size: SizeFigures): string[] {
	const { counts } = size.workspace;
	if (!counts.measured) return [`rooms/counts: not measured (${counts.reason})`];
	return [
		table(
			['rooms/counts vs rooms, same filters', 'rooms', 'rooms/counts', 'counts vs rooms'],
			counts.rows.map((row) => [row.query.label, formatTime(row.rooms), formatTime(row.counts), formatRatios(row.ratio)]),
		),
	];
}

function freshLines(size: SizeFigures): string[] {
	const { fresh, reconcile } = size.workspace;
	const minutes = Math.max(fresh.minutes, 1 / 60);
	const perMinute = (value: number): string => formatCount(value / minutes);
	const done = Object.entries(fresh.changes.done)
		.map(([kind, n]) => `${n} ${kind}`)
		.join(', ');
	const total = Object.values(fresh.changes.done).reduce((a, b) => a + b, 0);
	const w = fresh.work;
	return [
		`Keeping fresh: ${total} changes in ${(fresh.changes.elapsedMs / 1000).toFixed(0)} s (${done}); slowest action ${formatMs(fresh.changes.slowestMs)} (the app's listeners run inside it)`,
		...(fresh.changes.failed.length ? [`  actions refused: ${fresh.changes.failed.slice(0, 4).join(' | ')}`] : []),
		`  host work per minute: getById ${perMinute(w.roomById)}, persistence reads ${perMinute(w.persistenceReads)}, writes ${perMinute(w.persistenceWrites)}, getAllRooms ${perMinute(w.roomListCalls)}, roomsWalked ${perMinute(w.roomsWalked)};` +
			` CPU per minute: app's Deno runtime ${formatMs(fresh.denoCpuMs / minutes)}, host ${formatMs(fresh.hostCpuMs / minutes)} (the actions themselves included)`,
		fresh.mismatches.length
			? `  !!! answers right after the changes differ from the store: ${fresh.mismatches.slice(0, 4).join(' | ')}`
			: '  answers right after the changes: exact (every paged query equals the store)',
		reconcile.ran
			? `Reconciliation pass (${reconcile.deleted} closed rooms deleted first, no event): ${formatMs(reconcile.wallMs)} in ${reconcile.slices} scheduler runs; ${reconcile.note}`
			: `Reconciliation pass: not run (${reconcile.note})`,
		`  ${reconcile.idleTicks} idle ticks of the upkeep job before it (one a minute): ${workLine(reconcile.idleTickWork)} together`,
		`  host work of the pass: ${workLine(reconcile.work)}; CPU: app's Deno runtime ${formatMs(reconcile.denoCpuMs)}, host ${formatMs(reconcile.hostCpuMs)}`,
		reconcile.mismatches.length
			? `  !!! answers after the pass differ from the store: ${reconcile.mismatches.slice(0, 4).join(' | ')}`
			: '  answers after the pass: exact (every query equals the store, deletions included)',
	];
}

function throughputLines(size: SizeFigures): string[] {
	const t = size.workspace.throughput;
	const seen = t.seen.filter((s) => s.delayMs >= 0).map((s) => s.delayMs);
	const sorted = [...seen].sort((a, b) => a - b);
	const never = t.seen.filter((s) => s.delayMs < 0);
	const slowest = t.seen.reduce((worst, s) => (s.delayMs > worst.delayMs ? s : worst), { kind: '-', delayMs: 0, actionMs: 0, looks: 0 });
	const done = Object.entries(t.changes.done)
		.map(([kind, n]) => `${n} ${kind}`)
		.join(', ');
	return [
		`Throughput: ${t.callers} callers at once, the ${t.byQuery.length} typical queries round robin, for ${(t.elapsedMs / 1000).toFixed(1)} s: ${formatCount(t.answers)} answers, ${t.perSecond.toFixed(1)} a second;` +
			` answer time median ${formatMs(t.medianMs)}, 95th percentile ${formatMs(t.p95Ms)}, 99th ${formatMs(t.p99Ms)}, slowest ${formatMs(t.slowestMs)} (${t.slowestLabel}); ${t.failures.length} not 200`,
		`  CPU over the load: app's Deno runtime ${formatMs(t.denoCpuMs)} (${((t.denoCpuMs / t.elapsedMs) * 100).toFixed(0)}% of a core), host ${formatMs(t.hostCpuMs)} (${((t.hostCpuMs / t.elapsedMs) * 100).toFixed(0)}%, the actions included)`,
		...t.failures.slice(0, 3).map((f) => `  !!! ${f}`),
		table(
			['query under load', 'answers', 'median', 'slowest'],
			t.byQuery.map((q) => [q.label, formatCount(q.answers), formatMs(q.medianMs), formatMs(q.slowestMs)]),
		),
		`  changes meanwhile, one a second through the omnichannel actions: ${done || 'none'}${t.changes.failed.length ? `; ${t.changes.failed.length} refused (${t.changes.failed.slice(0, 2).join(' | ')})` : ''}`,
		`  each change in the app's answers (asked for that room until it shows the store's _updatedAt), after the action answered: median ${formatMs(quantile(sorted, 0.5))}, slowest ${formatMs(slowest.delayMs)} (${slowest.kind});` +
			` ${never.length} never within 30 s; the actions themselves up to ${formatMs(t.changes.slowestMs)}`,
		t.mismatches.length
			? `  !!! answers after the load differ from the store: ${t.mismatches.slice(0, 4).join(' | ')}`
			: '  answers after the load: exact (every paged query equals the store)',
	];
}

/** The upkeep a day at the interval in force: one measured pass times the passes a day, plus the changes at one a second. */
export interface UpkeepDay {
	readonly intervalMinutes: number;
	readonly passesPerDay: number;
	readonly getByIdPerDay: number;
	readonly passGetByIdPerDay: number;
	readonly changeGetByIdPerDay: number;
	readonly walkedPerDay: number;
	readonly writtenPerHour: number;
	readonly heldBytes: number;
}

export function upkeepDay(size: SizeFigures): UpkeepDay | undefined {
	const { upkeep, reconcile, fresh } = size.workspace;
	if (!reconcile.ran || upkeep.intervalMinutes <= 0) return undefined;
	const passesPerDay = (24 * 60) / upkeep.intervalMinutes;
	const changes = Object.values(fresh.changes.done).reduce((a, b) => a + b, 0);
	// The changes' work per change, at one change a second.
	const perDay = (value: number): number => (changes > 0 ? (value / changes) * 86_400 : 0);
	const passGetByIdPerDay = reconcile.work.roomById * passesPerDay;
	const changeGetByIdPerDay = perDay(fresh.work.roomById);
	return {
		intervalMinutes: upkeep.intervalMinutes,
		passesPerDay,
		getByIdPerDay: passGetByIdPerDay + changeGetByIdPerDay,
		passGetByIdPerDay,
		changeGetByIdPerDay,
		walkedPerDay: reconcile.work.roomsWalked * passesPerDay + perDay(fresh.work.roomsWalked),
		writtenPerHour: (reconcile.work.persistenceBytesWritten * passesPerDay) / 24 + perDay(fresh.work.persistenceBytesWritten) / 24,
		heldBytes: upkeep.heldBytes,
	};
}

const formatBytes = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;
const formatBig = (value: number): string => (value >= 1e7 ? value.toExponential(2).replace('e+', 'x10^') : formatCount(value));

function upkeepLines(size: SizeFigures): string[] {
	const { upkeep, reconcile } = size.workspace;
	const day = upkeepDay(size);
	if (!day) return [`Upkeep a day: not reckoned (${upkeep.note ?? reconcile.note})`];
	return [
		`Upkeep a day at the interval in force (${day.intervalMinutes} minutes, setting ${upkeep.settingMinutes}; ${day.passesPerDay.toFixed(1)} passes a day), changes at one a second:`,
		`  getById ${formatCount(day.getByIdPerDay)} a day (passes ${formatCount(day.passGetByIdPerDay)}: ${formatCount(reconcile.work.roomById)} a pass; changes ${formatCount(day.changeGetByIdPerDay)});` +
			` list entries walked ${formatBig(day.walkedPerDay)} a day (${formatCount(reconcile.work.roomsWalked)} a pass; the app reckons ${formatCount(upkeep.walkPerPass)})`,
		`  persistence: holds ${formatBytes(day.heldBytes)} (${formatCount(day.heldBytes / size.rooms)} bytes a room); writes ${formatBytes(day.writtenPerHour)} an hour` +
			` (the passes and the changes' minute; a compaction of the changes is counted only if one ran in that minute: \`npm run bench:persistence\` runs them)`,
	];
}

function memoryLines(size: SizeFigures): string[] {
	const { memory } = size.workspace;
	return [
		`Deno peak RSS (VmHWM) of the app's runtime (pid ${memory.pid}): ${formatKib(memory.readyPeakKib)} at ready, ${formatKib(memory.warmPeakKib)} after the warm queries,` +
			` ${formatKib(memory.beforeThroughputPeakKib)} after paging, counts, changes and reconciliation, ${formatKib(memory.judgedPeakKib)} after the throughput step;` +
			` ${formatKib(memory.endPeakKib)} after the bulk count=0 answers too (RSS now ${formatKib(memory.endRssKib)})`,
		`  an app runtime holding no rooms (the floor app's, just installed): ${formatKib(memory.floorPeakKib)}; bytes per room beyond it: ${formatCount(bytesPerRoom(size))}`,
		...(size.workspace.bulkSkipped ? [`  the bulk count=0 answers: ${size.workspace.bulkSkipped}`] : []),
	];
}

export function bytesPerRoom(size: SizeFigures): number {
	const { memory } = size.workspace;
	return ((memory.judgedPeakKib - memory.floorPeakKib) * 1024) / size.rooms;
}

function coreTable(size: SizeFigures): string {
	const header = ['search in memory (informative)', 'matches', 'returned', 'searchRooms', 'mingo', 'mingo/search'];
	return table(
		header,
		size.core.map((c) => [
			c.label,
			formatCount(c.matched),
			formatCount(c.returned),
			formatTime(c.core),
			formatTime(c.mingo),
			formatRatio(c.mingo.median / c.core.median),
		]),
	);
}

function callLines(size: SizeFigures): string[] {
	const { warmCalls } = size.workspace;
	return [
		`Calls to the app after ready: ${warmCalls.calls}, slowest ${formatMs(warmCalls.slowestMs)}, not 200: ${warmCalls.failures.length}`,
		...warmCalls.failures.slice(0, 5).map((f) => `  !!! ${f}`),
	];
}

/** The section for one size. */
export function sizeReport(size: SizeFigures, runs: number, warmups: number): string {
	const mismatches = size.core.flatMap((c) => c.mismatches.map((p) => `!!! MISMATCH search vs mingo, ${c.label}: ${p}`));
	// Sections one after the other, a blank line between them (memory and the calls' summary go together).
	const sections: string[][] = [
		coldLines(size),
		[endpointTable(size)],
		pagingLines(size),
		countsLines(size),
		freshLines(size),
		throughputLines(size),
		upkeepLines(size),
		[...memoryLines(size), ...callLines(size)],
		[
			...(size.core.length ? [coreTable(size)] : []),
			size.core.length === 0
				? `The search vs mingo in memory: run up to ${formatCount(LARGE)} rooms (the answers are checked against the store above).`
				: mismatches.length
					? mismatches.join('\n')
					: 'search = mingo on every query (ids, order, total).',
			`(workspace phase ${(size.workspace.elapsed / 1000).toFixed(0)} s)`,
		],
	];
	return [
		`=== ${formatCount(size.rooms)} livechat rooms (medians of ${runs} rounds after ${warmups} warm-up; spread min–max) ===`,
		...sections.flatMap((lines, i) => (i === 0 ? lines : ['', ...lines])),
	].join('\n');
}

const verdict = (pass: boolean): string => (pass ? 'PASS' : 'MISS');
const sizeLabel = (rooms: number): string => `${formatCount(rooms).padStart(7)} rooms`;

function warmLines(sizes: readonly SizeFigures[]): string[] {
	const lines: string[] = [];
	for (const size of sizes) {
		const target = warmTarget(size.rooms);
		const typical = size.workspace.queries.filter((q) => q.query.typical);
		if (size.workspace.floorMissing) {
			lines.push(`  ----  ${sizeLabel(size.rooms)}  no floor at this size: ${size.workspace.floorMissing}`);
			continue;
		}
		for (const q of typical) {
			lines.push(
				`  ${verdict(q.ratio.median <= target)}  ${sizeLabel(size.rooms)}  ${q.query.label.padEnd(28)} ${q.ratio.median.toFixed(4)}x floor (target ${target}x; CPU ${q.cpuRatio.median.toFixed(4)}x; ${formatTime(q.time)})`,
			);
		}
		const medians = typical.map((q) => q.ratio.median).sort((a, b) => a - b);
		const middle = medians.length ? medians[medians.length >> 1] : NaN;
		const median = warmMedianTarget(size.rooms);
		lines.push(
			`  ${verdict(middle <= median)}  ${sizeLabel(size.rooms)}  median over the ${typical.length} typical queries: ${middle.toFixed(4)}x (target ${median}x)`,
		);
	}
	return lines;
}

/** From 1,000,000 rooms: each typical warm query over the empty call of the same round, and their median. */
function millionLines(sizes: readonly SizeFigures[]): string[] {
	const lines: string[] = [];
	for (const size of sizes.filter((s) => s.rooms >= MILLION)) {
		const typical = size.workspace.queries.filter((q) => q.query.typical);
		for (const q of typical) {
			lines.push(
				`  ${verdict(q.pingRatio.median <= TARGETS.warmMillion)}  ${sizeLabel(size.rooms)}  ${q.query.label.padEnd(28)} ${q.pingRatio.median.toFixed(1)}x the empty call (target ${TARGETS.warmMillion}x; ${formatTime(q.time)})`,
			);
		}
		const medians = typical.map((q) => q.pingRatio.median).sort((a, b) => a - b);
		const middle = medians.length ? medians[medians.length >> 1] : NaN;
		lines.push(
			`  ${verdict(middle <= TARGETS.warmMedianMillion)}  ${sizeLabel(size.rooms)}  median over the ${typical.length} typical queries: ${middle.toFixed(1)}x the empty call (target ${TARGETS.warmMedianMillion}x; the empty call ${formatTime(size.workspace.ping.time)})`,
		);
	}
	return lines;
}

function walkedLines(sizes: readonly SizeFigures[]): string[] {
	return sizes.map((size) => {
		const queries = size.workspace.queries;
		const walked = Math.max(0, ...queries.map((q) => q.perCall.roomsWalked), size.workspace.paging.perRequest.roomsWalked);
		const reads = queries.map((q) => q.perCall.persistenceReads);
		const byId = Math.max(0, ...queries.map((q) => q.perCall.roomById));
		return `  ${verdict(walked === 0)}  ${sizeLabel(size.rooms)}  roomsWalked per warm query: ${per(walked)} (most of any query); persistence reads per warm query ${per(Math.min(...reads))}–${per(Math.max(...reads))}; getById per query ${per(byId)}`;
	});
}

function countsTargetLines(sizes: readonly SizeFigures[]): string[] {
	return sizes.flatMap((size) => {
		const { counts } = size.workspace;
		const judged = size.rooms >= LARGE;
		if (!counts.measured) return [`  ----  ${sizeLabel(size.rooms)}  not measured yet: ${counts.reason}`];
		const worst = Math.max(...counts.rows.map((row) => row.ratio.median));
		const line = `${sizeLabel(size.rooms)}  rooms/counts vs rooms, worst of ${counts.rows.length} filters: ${formatRatio(worst)} (${counts.rows.map((row) => formatRatio(row.ratio.median)).join(' ')})`;
		return [judged ? `  ${verdict(worst <= TARGETS.counts)}  ${line}` : `  info  ${line}`];
	});
}

function upkeepSummary(size: SizeFigures): string {
	const day = upkeepDay(size);
	if (!day) return `  info  ${sizeLabel(size.rooms)}  upkeep a day: not reckoned (${size.workspace.upkeep.note ?? size.workspace.reconcile.note})`;
	return `  info  ${sizeLabel(size.rooms)}  a day at the interval in force (${day.intervalMinutes} min) and 1 change/s: getById ${formatCount(day.getByIdPerDay)}, list entries walked ${formatBig(day.walkedPerDay)}; persistence holds ${formatBytes(day.heldBytes)}, writes ${formatBytes(day.writtenPerHour)} an hour`;
}

function throughputTargetLines(sizes: readonly SizeFigures[]): string[] {
	return sizes.flatMap((size) => {
		const t = size.workspace.throughput;
		const judged = size.rooms >= LARGE;
		const mark = (pass: boolean): string => (judged ? verdict(pass) : 'info');
		const seconds = t.elapsedMs / 1000;
		const short = seconds < TARGETS.throughputSeconds - 1 ? ` (a ${seconds.toFixed(0)} s run; the target asks ${TARGETS.throughputSeconds} s)` : '';
		const never = t.seen.filter((s) => s.delayMs < 0).length;
		const slowestSeen = Math.max(0, ...t.seen.map((s) => s.delayMs));
		const seenOk = never === 0 && t.seen.length > 0 && slowestSeen <= TARGETS.changeSeenMs && t.changes.failed.length === 0 && t.mismatches.length === 0;
		return [
			`  ${mark(t.perSecond >= TARGETS.throughputPerSecond && t.failures.length === 0)}  ${sizeLabel(size.rooms)}  ${t.perSecond.toFixed(1)} answers a second, ${t.callers} callers, ${t.failures.length} not 200${short}`,
			`  ${mark(t.slowestMs <= TARGETS.throughputSlowestMs)}  ${sizeLabel(size.rooms)}  slowest answer ${formatMs(t.slowestMs)} (${t.slowestLabel}; median ${formatMs(t.medianMs)}, 99th percentile ${formatMs(t.p99Ms)})`,
			`  ${mark(seenOk)}  ${sizeLabel(size.rooms)}  changes in that instance's answers: slowest ${formatMs(slowestSeen)} after the action answered (${t.seen.length} changes, ${never} never, ${t.changes.failed.length} actions refused; answers after the load ${t.mismatches.length ? 'NOT exact' : 'exact'})`,
		];
	});
}

function requestLines(sizes: readonly SizeFigures[]): string[] {
	return sizes
		.filter((size) => size.rooms >= LARGE)
		.flatMap((size) => {
			const { cold, warmCalls } = size.workspace;
			const warmOk = warmCalls.failures.length === 0 && warmCalls.slowestMs <= TARGETS.callMs;
			const coldOk = cold.ready && cold.failures.length === 0 && cold.slowest503Ms <= TARGETS.callMs;
			return [
				`  ${verdict(coldOk)}  ${sizeLabel(size.rooms)}  cold: ${cold.answers503} answers 503 (slowest ${formatMs(cold.slowest503Ms)}), ${cold.failures.length} other failures, ready: ${cold.ready ? 'yes' : 'no'}`,
				`  ${verdict(cold.slowest503Ms <= TARGETS.refusalMs)}  ${sizeLabel(size.rooms)}  503s fast: slowest ${formatMs(cold.slowest503Ms)} (at most ${TARGETS.refusalMs} ms)`,
				`  ${verdict(warmOk)}  ${sizeLabel(size.rooms)}  warm: ${warmCalls.calls} calls, slowest ${formatMs(warmCalls.slowestMs)}, ${warmCalls.failures.length} not 200`,
			];
		});
}

/** The closing summary: every target, PASS or MISS, with the figure behind it; reported figures without a target. */
export function summaryReport(sizes: readonly SizeFigures[]): string {
	const large = sizes.filter((size) => size.rooms >= LARGE);
	const lines = [
		'=== Targets (issues 11, 12 and 16) ===',
		`Warm query median <= ${TARGETS.warmSmall}x the floor below ${formatCount(LARGE)} rooms, <= ${TARGETS.warmLarge}x from ${formatCount(LARGE)} (time / floor time in the same round):`,
		...warmLines(sizes),
		...(sizes.some((size) => size.rooms >= MILLION)
			? [
					`At ${formatCount(MILLION)} rooms, every typical warm query <= ${TARGETS.warmMillion}x an empty call of the same round, the median <= ${TARGETS.warmMedianMillion}x:`,
					...millionLines(sizes),
				]
			: []),
		`Paging through 2,000 matches 50 at a time: all 40 requests <= ${TARGETS.paging}x one floor:`,
		...sizes.map((size) =>
			size.workspace.floorMissing
				? `  ----  ${sizeLabel(size.rooms)}  no floor at this size (all 40 in ${formatTime(size.workspace.paging.time)})`
				: `  ${verdict(size.workspace.paging.ratio.median <= TARGETS.paging)}  ${sizeLabel(size.rooms)}  ${formatRatio(size.workspace.paging.ratio.median)} (${formatCount(size.workspace.paging.total)} matches)`,
		),
		'roomsWalked per warm query: 0:',
		...walkedLines(sizes),
		`rooms/counts next to rooms, same filters, <= ${TARGETS.counts}x at ${formatCount(LARGE)} rooms:`,
		...countsTargetLines(sizes),
		`Throughput at ${formatCount(LARGE)} rooms: ${TARGETS.throughputSeconds} s of 8 callers at once sending the typical queries: >= ${TARGETS.throughputPerSecond} answers a second, the slowest <= ${TARGETS.throughputSlowestMs / 1000} s, each change made meanwhile in the answers within ${TARGETS.changeSeenMs / 1000} s:`,
		...throughputTargetLines(sizes),
		'Keeping the index fresh (reported, no target):',
		...sizes.flatMap((size) => {
			const { fresh, reconcile } = size.workspace;
			const m = Math.max(fresh.minutes, 1 / 60);
			const w = fresh.work;
			return [
				`  info  ${sizeLabel(size.rooms)}  per minute at 1 change/s: getById ${formatCount(w.roomById / m)}, persistence reads ${formatCount(w.persistenceReads / m)}, writes ${formatCount(w.persistenceWrites / m)}, roomsWalked ${formatCount(w.roomsWalked / m)}`,
				`  info  ${sizeLabel(size.rooms)}  one reconciliation pass: ${reconcile.ran ? `${formatMs(reconcile.wallMs)}, ${workLine(reconcile.work)}` : `not run (${reconcile.note})`}`,
				upkeepSummary(size),
			];
		}),
		`Cold start (install to ready) at ${formatCount(LARGE)} rooms (reported, no target):`,
		...large.map((size) => {
			const { cold, reconcile } = size.workspace;
			const pass = reconcile.ran ? ` (${(cold.toQueueReadyMs / reconcile.wallMs).toFixed(2)}x one reconciliation pass, target 1.3x)` : '';
			const queue = cold.toQueueReadyMs < 0 ? 'never' : `${(cold.toQueueReadyMs / 1000).toFixed(1)} s${pass}`;
			const first = cold.firstJobRunMs < 0 ? '' : ` (the upkeep's first run at ${(cold.firstJobRunMs / 1000).toFixed(1)} s)`;
			return `  info  ${sizeLabel(size.rooms)}  queue-ready ${queue}${first}, fully ready ${(cold.toReadyMs / 1000).toFixed(1)} s; ${workLine(cold.work)}`;
		}),
		`Deno peak memory (the whole run but the bulk count=0 answers) <= ${TARGETS.memoryMib} MiB at ${formatCount(LARGE)} rooms, ${TARGETS.memoryMibMillion} MiB at 1,000,000, and <= ${TARGETS.bytesPerRoom} bytes a room beyond a runtime holding none:`,
		...sizes.map((size) => {
			const { judgedPeakKib, endPeakKib } = size.workspace.memory;
			const peak = judgedPeakKib;
			const line = `${sizeLabel(size.rooms)}  ${formatKib(peak)} (${formatCount(bytesPerRoom(size))} bytes per room beyond an app runtime holding none; with the bulk count=0 answers: ${formatKib(endPeakKib)})`;
			const pass = peak / 1024 <= memoryTarget(size.rooms) && bytesPerRoom(size) <= TARGETS.bytesPerRoom;
			return size.rooms >= LARGE ? `  ${verdict(pass)}  ${line}` : `  info  ${line}`;
		}),
		`No request fails or passes ${TARGETS.callMs / 1000} s at ${formatCount(LARGE)} rooms, cold or warm:`,
		...requestLines(sizes),
		'Answers exact after the changes and after the reconciliation pass:',
		...sizes.map((size) => {
			const problems = size.workspace.fresh.mismatches.length + size.workspace.reconcile.mismatches.length;
			return `  ${verdict(problems === 0)}  ${sizeLabel(size.rooms)}  ${problems} mismatches`;
		}),
	];
	if (large.length === 0) lines.push(`(no size of ${formatCount(LARGE)} rooms or more in this run: the large targets are not judged)`);
	return lines.join('\n');
}
