/** The benchmark's printed output: one table per size, then the targets, each PASS or MISS with its figure. */
import type { CoreFigures } from './core';
import type { Summary } from './stats';
import { formatCount, formatKib, formatRatio, formatTime, table } from './stats';
import type { EndpointFigures, WorkspaceFigures } from './workspacePhase';

export interface SizeFigures {
	readonly rooms: number;
	readonly workspace: WorkspaceFigures;
	readonly core: CoreFigures[];
	/** Where the endpoint's answers differ from the core's over the same rooms (should be empty). */
	readonly endpointMismatches: string[];
}

/** Targets from the issue. */
export const TARGETS = { queryToFloor: 1.15, memoryGrowth: 1.3, coreToMingo: 2 } as const;

/** Rocket.Chat's default limit on one call into an app's runtime (`APPS_ENGINE_RUNTIME_TIMEOUT`). */
export const DEFAULT_ENGINE_TIMEOUT_MS = 30000;

const ratio = (a: Summary, b: Summary): number => a.median / b.median;

/** Rooms per second over the rooms each run looked at. */
const throughput = (rooms: number, time: Summary): string => formatCount(rooms / (time.median / 1000));

/** `1.04x (0.98–1.10)`: the median of the per-round ratios and their spread. */
function formatRatios(ratios: Summary): string {
	return `${formatRatio(ratios.median)} (${ratios.min.toFixed(2)}–${ratios.max.toFixed(2)})`;
}

function endpointRow(figures: EndpointFigures): string[] {
	const { query, time, total, ids } = figures;
	const share = figures.ratio.median;
	const notes = [
		share <= TARGETS.queryToFloor ? '' : 'over 1.15x',
		time.max > DEFAULT_ENGINE_TIMEOUT_MS ? 'over 30 s: times out at the default timeout' : '',
	];
	return [
		query.label,
		formatCount(total),
		formatCount(ids.length),
		String(time.runs),
		formatTime(time),
		formatRatios(figures.ratio),
		formatRatios(figures.cpuRatio),
		notes.filter(Boolean).join('; '),
	];
}

function endpointTable(size: SizeFigures): string {
	const { floor, floorTotal, queries } = size.workspace;
	const rows = [
		['floor: page through every room', formatCount(floorTotal), '-', String(floor.runs), formatTime(floor), '1', '1', ''],
		...queries.map(endpointRow),
	];
	return table(['endpoint (executeApi)', 'matches', 'returned', 'runs', 'time: median (min–max)', 'time vs floor', 'CPU vs floor', ''], rows);
}

function memoryLines(size: SizeFigures): string[] {
	const { memory } = size.workspace;
	return [
		`Deno peak RSS (VmHWM) of the app's runtime (pid ${memory.pid}): ${formatKib(memory.pagedPeakKib)} after the paged queries (pages <= 100 rooms),` +
			` ${formatKib(memory.allPeakKib)} after the count=0 ones too`,
		`Deno peak RSS of the floor app's runtime (paging alone): ${formatKib(memory.floorPeakKib)}`,
	];
}

function coreRow(figures: CoreFigures): string[] {
	const { label, core, mingo, scanned, matched, returned } = figures;
	return [
		label,
		formatCount(matched),
		formatCount(returned),
		formatTime(core),
		throughput(scanned, core),
		formatTime(mingo),
		throughput(scanned, mingo),
		formatRatio(ratio(mingo, core)),
	];
}

function coreTable(size: SizeFigures): string {
	const header = ['core vs mingo (in memory, samples >= 200 ms)', 'matches', 'returned', 'core: searchRooms', 'rooms/s', 'mingo', 'rooms/s', 'core/mingo'];
	return table(header, size.core.map(coreRow));
}

function mismatchLines(size: SizeFigures): string[] {
	const problems = [
		...size.endpointMismatches.map((p) => `endpoint vs core: ${p}`),
		...size.core.flatMap((c) => c.mismatches.map((p) => `${c.label}: ${p}`)),
	];
	return problems.map((problem) => `!!! MISMATCH !!! ${problem}`);
}

/** The table for one size. */
export function sizeReport(size: SizeFigures, runs: number, warmups: number): string {
	const title = `=== ${formatCount(size.rooms)} livechat rooms (medians of ${runs} runs after ${warmups} warm-up; spread min–max) ===`;
	const mismatches = mismatchLines(size);
	return [
		title,
		endpointTable(size),
		'',
		...memoryLines(size),
		'',
		coreTable(size),
		mismatches.length ? mismatches.join('\n') : 'All answers agree: endpoint = core = mingo (ids, order, total).',
		`(workspace phase ${(size.workspace.elapsed / 1000).toFixed(0)} s)`,
	].join('\n');
}

const verdict = (pass: boolean): string => (pass ? 'PASS' : 'MISS');

function queryTargetLines(sizes: readonly SizeFigures[]): string[] {
	const lines: string[] = [];
	for (const size of sizes) {
		for (const q of size.workspace.queries) {
			const share = q.ratio.median;
			lines.push(
				`  ${verdict(share <= TARGETS.queryToFloor)}  ${formatCount(size.rooms).padStart(7)} rooms  ${q.query.label.padEnd(28)} ${formatRatio(share)} floor` +
					` (CPU: ${formatRatio(q.cpuRatio.median)})`,
			);
		}
	}
	return lines;
}

function memoryTargetLine(sizes: readonly SizeFigures[]): string {
	const small = sizes[0];
	const large = sizes[sizes.length - 1];
	const growth = large.workspace.memory.pagedPeakKib / small.workspace.memory.pagedPeakKib;
	const floorGrowth = large.workspace.memory.floorPeakKib / small.workspace.memory.floorPeakKib;
	const all = large.workspace.memory.allPeakKib / small.workspace.memory.allPeakKib;
	return (
		`  ${verdict(growth <= TARGETS.memoryGrowth)}  Deno peak ${formatKib(large.workspace.memory.pagedPeakKib)} / ${formatKib(small.workspace.memory.pagedPeakKib)} = ${formatRatio(growth)}` +
		` (floor app's runtime: ${formatRatio(floorGrowth)}; including count=0, not a target: ${formatRatio(all)})`
	);
}

function coreTargetLines(sizes: readonly SizeFigures[]): string[] {
	return sizes.flatMap((size) =>
		size.core.map((c) => {
			const share = ratio(c.mingo, c.core);
			return `  ${verdict(share >= TARGETS.coreToMingo)}  ${formatCount(size.rooms).padStart(7)} rooms  ${c.label.padEnd(28)} ${formatRatio(share)} mingo's throughput`;
		}),
	);
}

/** The closing summary: every target, PASS or MISS, with the figure behind it. */
export function summaryReport(sizes: readonly SizeFigures[]): string {
	return [
		'=== Targets ===',
		`Every query <= ${TARGETS.queryToFloor}x the floor (median of query time / floor time in the same round; CPU time alongside):`,
		...queryTargetLines(sizes),
		`Deno peak memory at ${formatCount(sizes[sizes.length - 1].rooms)} <= ${TARGETS.memoryGrowth}x the peak at ${formatCount(sizes[0].rooms)} (pages of up to 100 rooms):`,
		memoryTargetLine(sizes),
		`Core (searchRooms) >= ${TARGETS.coreToMingo}x mingo's throughput (median times, same rooms in memory):`,
		...coreTargetLines(sizes),
	].join('\n');
}
