/**
 * The index's state as the `rooms/index` endpoint reports it: whether it answers, how many rooms it holds, the
 * reconciliation interval in force (the minutes setting, or longer where the daily walk budget needs it), and when
 * the last pass ended. Pure: built from the shared records and the settings.
 */
import { PAGE, OVERLAP, reconcileInterval } from './maintenance';
import { walkCost } from './digest';
import type { JobState, Manifest } from './shared';

export interface IndexStatus {
	/**
	 * `ready`: requests are answered; `queue-ready`: the first build has read every open room and reads the others
	 * (requests for open rooms are answered, the others 503); `building`: the first build runs (503 until the open
	 * rooms are read); `not-built`: it has not started.
	 */
	readonly state: 'ready' | 'queue-ready' | 'building' | 'not-built';
	/** Livechat rooms in the index at its last compaction. */
	readonly rooms: number;
	readonly reconcile: {
		/** The interval in force, in minutes. */
		readonly intervalMinutes: number;
		/** The minutes setting (the shortest interval). */
		readonly settingMinutes: number;
		/** Room-list entries a pass walks at this size, and the daily budget. */
		readonly walkPerPass: number;
		readonly walkBudgetPerDay: number;
		/** What is under way: `reconcile` (a pass), `compact`, `build`, or `idle`. */
		readonly running: JobState['kind'] | 'none';
		/** When the last pass ended (ISO-8601), if one has. */
		readonly lastPassAt: string | null;
		/** Minutes until the next pass is due (0: due at the next tick), when idle. */
		readonly nextPassInMinutes: number | null;
		/** An administrator asked for a pass, not yet started. */
		readonly requested: boolean;
	};
}

export function indexStatus(
	manifest: Manifest | undefined,
	job: JobState | undefined,
	requested: boolean,
	settings: { readonly reconcileMinutes: number; readonly walkBudget: number },
): IndexStatus {
	const rooms = manifest?.rooms ?? 0;
	const interval = reconcileInterval(rooms, settings);
	return {
		state: manifest ? (manifest.openOnly ? 'queue-ready' : 'ready') : job?.kind === 'build' ? 'building' : 'not-built',
		rooms,
		reconcile: {
			intervalMinutes: interval,
			settingMinutes: settings.reconcileMinutes,
			walkPerPass: walkCost(rooms, PAGE, OVERLAP),
			walkBudgetPerDay: settings.walkBudget,
			running: job?.kind ?? 'none',
			lastPassAt: job?.finishedAt !== undefined ? new Date(job.finishedAt).toISOString() : null,
			nextPassInMinutes: manifest && job?.kind === 'idle' ? (requested ? 0 : Math.max(0, interval - job.ticks)) : null,
			requested,
		},
	};
}
