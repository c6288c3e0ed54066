/** Timing and summary helpers: medians with their spread, and the figures' formatting. */

/** The median and the spread (min–max) of a set of measurements. */
export interface Summary {
	readonly median: number;
	readonly min: number;
	readonly max: number;
	readonly runs: number;
}

export function summarize(values: readonly number[]): Summary {
	if (values.length === 0) throw new Error('no measurements');
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

/** Milliseconds since an arbitrary origin, sub-millisecond precision. */
export function now(): number {
	return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Runs `task` once untimed (the warm-up), then takes `runs` timed samples. For tasks of a few milliseconds each
 * sample repeats the task enough times to last at least `sampleMs` (counted from the warm-up) and reports the time of
 * one repetition, so a stray garbage collection or a scheduler hiccup on a busy machine is spread over many
 * repetitions instead of deciding the median. Answers the per-repetition times (ms) and the last result.
 */
export async function measureRepeated<T>(task: () => Promise<T> | T, runs: number, sampleMs = 200): Promise<{ times: number[]; last: T }> {
	const start = now();
	let last = await task();
	const repetitions = Math.max(1, Math.ceil(sampleMs / Math.max(now() - start, 0.01)));
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const begin = now();
		for (let r = 0; r < repetitions; r++) last = await task();
		times.push((now() - begin) / repetitions);
	}
	return { times, last };
}

/** `1234.5 ms` or `1.23 s`, with the spread: `1.23 s (1.20–1.31)`. */
export function formatTime(summary: Summary): string {
	const unit = summary.median >= 1000 ? 1000 : 1;
	const digits = unit === 1000 ? 2 : summary.median >= 100 ? 0 : 1;
	const f = (ms: number): string => (ms / unit).toFixed(digits);
	return `${f(summary.median)} ${unit === 1000 ? 's' : 'ms'} (${f(summary.min)}–${f(summary.max)})`;
}

/** A ratio as `1.07x`. */
export function formatRatio(ratio: number): string {
	return `${ratio.toFixed(2)}x`;
}

/** A rate with thousands separators: `1,234,567`. */
export function formatCount(value: number): string {
	return Math.round(value).toLocaleString('en-US');
}

/** kibibytes as `123.4 MiB`. */
export function formatKib(kib: number): string {
	return `${(kib / 1024).toFixed(1)} MiB`;
}

/** Plain-text table, columns padded; numbers and figures right-aligned after the first column. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
	const line = (cells: readonly string[]): string =>
		cells
			.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
			.join('  ')
			.trimEnd();
	return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}
