/**
 * `/livechat-rooms` with no words: the state of the caller's rooms at a glance (docs/command.md, "The summary"). Every
 * line carries the command words of the list it counts, shown as a button (its value, `buttons.ts`) and as the typed
 * command in the text fallback. Pure: `answerCommand.ts` counts, this renders.
 */
import type { LayoutBlock, SectionBlock } from '@rocket.chat/ui-kit';

import type { RoomDocument } from '../rooms/RoomDocument';
import { ACTIONS, button, buttonValue } from './buttons';
import { COMMAND, commandOf } from './grammar';
import type { Audience, Reply } from './reply';
import { agentMention, codeOf, context, divider, escapeLinkText, escapeMarkdown, mrkdwn, roomUrl, STATUS_MARKS, timesLine, visitorName } from './reply';
import { compactTime, say, waitOf } from './viewer';

/** A number and the command words that list those rooms. */
export interface Line {
	readonly count: number;
	readonly words: string;
}

/** One department or agent of a breakdown; `words` undefined when the command cannot name it (no department). */
export interface Group {
	/** The department's name or the agent's username; undefined for "no department" / "no agent". */
	readonly label?: string;
	readonly count: number;
	readonly words?: string;
}

export interface StatusBreakdown extends Line {
	readonly departments: readonly Group[];
	/** Empty for a caller who sees only their own rooms. */
	readonly agents: readonly Group[];
}

export interface Summary {
	readonly scope: 'all' | 'own';
	readonly queued: Line & {
		/** The longest-waiting queued rooms, longest first, with `department: {name}` when known. */
		readonly longest: ReadonlyArray<{ readonly room: RoomDocument; readonly since?: Date }>;
	};
	readonly open: StatusBreakdown;
	/** Absent while the index holds only the open rooms (the first build reads the others): see `notReady`. */
	readonly onhold?: StatusBreakdown;
	readonly closedToday?: Line & { readonly since: Date };
	/** Why the on-hold and closed lines are left out (the index's notice), when they are. */
	readonly notReady?: string;
	readonly siteUrl: string;
}

/** How many departments and agents a breakdown shows (the largest first); the rest stay in the status line's list. */
export const GROUPS_SHOWN = 8;

const BLOCK = 'livechat-rooms.summary';

export function renderSummary(summary: Summary, audience: Audience): Reply {
	const { viewer, appId } = audience;
	const blocks: LayoutBlock[] = [];
	const lines: string[] = [];

	/** A line of the summary: a section whose button lists its rooms, and the typed command in the text. */
	const line = (markdown: string, plain: string, words: string | undefined): void => {
		const value = words === undefined ? undefined : buttonValue(words);
		const block: SectionBlock = {
			type: 'section',
			text: mrkdwn(markdown),
			...(value !== undefined ? { accessory: button(appId, BLOCK, ACTIONS.list, say(viewer, 'Command_Button_List'), value) } : {}),
		};
		blocks.push(block);
		lines.push(words === undefined ? plain : `${plain} → ${codeOf(commandOf(words))}`);
	};

	const title = say(viewer, summary.scope === 'all' ? 'Command_Summary_Title_All' : 'Command_Summary_Title_Own');
	const now = compactTime(viewer.now, viewer.offsetMinutes) ?? '';
	blocks.push({ type: 'section', text: mrkdwn(`*${title}* · ${now}`) }, context(timesLine(viewer)));
	lines.push(`${title} · ${now} · ${timesLine(viewer)}`, '');

	// The queue and its longest waits.
	const { queued } = summary;
	const longestWait =
		queued.longest.length > 0 ? ` · ${say(viewer, 'Command_Summary_Longest_Wait', { wait: waitOf(queued.longest[0].since, viewer.now) })}` : '';
	const queuedText = say(viewer, 'Command_Summary_Queued', { count: queued.count });
	line(`${STATUS_MARKS.queued.marker} *${queuedText}*${longestWait}`, `${STATUS_MARKS.queued.marker} ${queuedText}${longestWait}`, queued.words);
	if (queued.longest.length > 0) {
		const entries = queued.longest.map(({ room, since }, i) => {
			const name = visitorName(room, viewer);
			const linked = summary.siteUrl ? `[${escapeLinkText(name)}](${roomUrl(summary.siteUrl, room)})` : escapeMarkdown(name);
			const department = room.department?.name;
			const rest = [say(viewer, 'Command_Summary_Waiting', { wait: waitOf(since, viewer.now) }), ...(department ? [escapeMarkdown(department)] : [])];
			const link = summary.siteUrl ? [roomUrl(summary.siteUrl, room)] : [];
			return { markdown: `${i + 1}. ${[linked, ...rest].join(' · ')}`, plain: `   ${i + 1}. ${[escapeMarkdown(name), ...rest, ...link].join(' · ')}` };
		});
		blocks.push(context(entries.map((entry) => entry.markdown).join('\n')));
		lines.push(...entries.map((entry) => entry.plain));
	}

	// Open and on hold, by department and by agent.
	for (const [status, key] of [
		['open', 'Command_Summary_Open'],
		['onhold', 'Command_Summary_Onhold'],
	] as const) {
		const breakdown = summary[status];
		if (breakdown === undefined) continue;
		const { marker } = STATUS_MARKS[status];
		const text = say(viewer, key, { count: breakdown.count });
		blocks.push(divider());
		lines.push('');
		line(`${marker} *${text}*`, `${marker} ${text}`, breakdown.words);
		for (const [groups, heading, none, mention] of [
			[breakdown.departments, 'Command_Summary_By_Department', 'Command_Summary_No_Department', false],
			[breakdown.agents, 'Command_Summary_By_Agent', 'Command_Reply_No_Agent', true],
		] as const) {
			if (groups.length === 0) continue;
			const headingText = say(viewer, heading);
			blocks.push(context(`_${headingText}_`));
			lines.push(`  ${headingText}:`);
			for (const group of groups.slice(0, GROUPS_SHOWN)) {
				const label = group.label === undefined ? say(viewer, none) : mention ? agentMention(group.label) : escapeMarkdown(group.label);
				line(`${label}: *${group.count}*`, `  • ${label}: ${group.count}`, group.words);
			}
		}
	}

	// Closed today, in the caller's day.
	const { closedToday } = summary;
	if (closedToday !== undefined) {
		const since = compactTime(closedToday.since, viewer.offsetMinutes) ?? '';
		const closedText = say(viewer, 'Command_Summary_Closed_Today', { count: closedToday.count, since });
		blocks.push(divider());
		lines.push('');
		line(`${STATUS_MARKS.closed.marker} *${closedText}*`, `${STATUS_MARKS.closed.marker} ${closedText}`, closedToday.words);
	}
	// The rooms not read yet (right after install): what the lines above leave out, and why.
	if (summary.notReady !== undefined) {
		blocks.push(divider(), context(`⚠️ ${escapeMarkdown(summary.notReady)}`));
		lines.push('', `⚠️ ${summary.notReady}`);
	}

	const footer = say(viewer, 'Command_Summary_Footer', { help: `\`/${COMMAND} help\`` });
	blocks.push(divider(), context(footer));
	lines.push('', footer);
	return { text: lines.join('\n'), blocks };
}
