/**
 * The room document rebuilt from a room in Rocket.Chat's FULL conversion (`IRoomRead.getById`, and the rooms the
 * livechat events carry): the same map as the raw converter, but with references resolved and every stored field the
 * map does not consume in `_unmappedProperties_` (docs/workspace.md, "How close to Rocket.Chat 8.x it is"). The full room is first brought to the raw
 * shape, then rebuilt by `roomFromEngine`, so both conversions give one document for one stored room:
 * - `creator`, `servedBy`, `closedBy`, `responseBy` arrive as whole users (or, for a visitor who closed, the visitor):
 *   they are cut back to what Rocket.Chat itself keeps when it turns an app room into a stored one (`_id`, `username`,
 *   and the name for the creator). What the server dropped on the way (`servedBy.ts`, `responseBy` timestamps) stays
 *   dropped, as through the raw list.
 * - `department` (the resolved department) gives `departmentId` back; `parentRoom` gives `prid`.
 * - `contact`, `visitorChannelInfo` and the resolved `department`/`parentRoom` are views, not stored fields: left out.
 *   The stored visitor (`v`) travels whole in `_unmappedProperties_` and wins over the resolved `visitor`.
 * - `isDefault`/`isReadOnly` are always booleans here; livechat rooms store neither, so `false` reads as absent.
 */
import type { EngineRoom } from './EngineRoom';
import { isDocument } from '../values/path';
import { FIELDS, roomFromEngine } from './fromEngine';
import type { RoomDocument } from './RoomDocument';

/** Keys of the full conversion that are derived views of other stored fields. */
const VIEWS: ReadonlySet<string> = new Set(['department', 'contact', 'visitorChannelInfo', 'parentRoom']);

/** A resolved user (or visitor) cut to a stored reference: `{ _id, username? }`, plus `name` when asked. */
function reference(value: unknown, withName: boolean): Record<string, unknown> | undefined {
	if (!isDocument(value)) return undefined;
	const id = value.id ?? value._id;
	if (typeof id !== 'string') return undefined;
	const out: Record<string, unknown> = { _id: id };
	if (typeof value.username === 'string') out.username = value.username;
	if (withName && typeof value.name === 'string') out.name = value.name;
	return out;
}

function idOf(value: unknown): unknown {
	return isDocument(value) ? value.id : undefined;
}

/** The stored room behind a room of the full conversion. */
export function roomFromFullEngine(full: EngineRoom): RoomDocument {
	const raw: Record<string, unknown> = {};
	for (const key of Object.keys(full)) {
		if (!VIEWS.has(key)) raw[key] = full[key];
	}
	raw.creator = reference(full.creator, true);
	raw.servedBy = reference(full.servedBy, false);
	raw.closedBy = reference(full.closedBy, false);
	raw.responseBy = reference(full.responseBy, false);
	raw.departmentId = idOf(full.department);
	raw.parentRoomId = idOf(full.parentRoom);
	raw.isDefault = full.isDefault === true ? true : undefined;
	raw.isReadOnly = full.isReadOnly === true ? true : undefined;
	return roomFromEngine(raw);
}

/**
 * A room read in full, corrected by the same version of it read from the projected list: where both carry a field,
 * the list's value is the stored one (the full conversion loses `departmentId` when the department is gone, and
 * resolves references). Only for the same version (`_updatedAt` equal); otherwise the full room as it is, but for
 * the department the list named (`withKnownDepartment`).
 */
export function withListedFields(full: RoomDocument, listed: RoomDocument): RoomDocument {
	const time = (value: unknown): number => (Object.prototype.toString.call(value) === '[object Date]' ? (value as Date).getTime() : NaN);
	if (!(time(full._updatedAt) === time(listed._updatedAt))) return withKnownDepartment(full, listed);
	return { ...full, ...listed };
}

const FIELD_RANK: ReadonlyMap<string, number> = new Map(FIELDS.map(([stored], rank) => [stored, rank]));
const rankOf = (key: string): number => FIELD_RANK.get(key) ?? Infinity;

/** The room with one more field, at its place in the stored order (as `roomFromEngine` would have put it). */
function withField(room: RoomDocument, key: string, value: unknown): RoomDocument {
	const out: Record<string, unknown> = {};
	let placed = false;
	for (const [name, field] of Object.entries(room)) {
		if (!placed && rankOf(name) > rankOf(key)) {
			out[key] = value;
			placed = true;
		}
		out[name] = field;
	}
	if (!placed) out[key] = value;
	return out as RoomDocument;
}

/**
 * A room read in full that names no department, given the copy of it the app already holds (or the version the
 * list showed): the `departmentId` that copy carries stands. The full conversion resolves `departmentId` to the
 * department and drops the id, so a room whose department was deleted arrives with none, though the room still
 * stores it (and the list still shows it). In Rocket.Chat's source nothing moves a room out of a department one room
 * at a time: a transfer or a forward sets another department that exists (the full read names it), saving the room's
 * info writes only its topic, tags, custom fields, priority and SLA, and units change `departmentAncestors` alone.
 * Only the removal of a department takes the id off its rooms, in one bulk write that fires no event but stamps
 * `_updatedAt`: the next reconciliation reads those rooms with the list (`departmentDisagrees` marks the ones an
 * event touched since), and the list's answer wins.
 */
export function withKnownDepartment(full: RoomDocument, held: RoomDocument | undefined): RoomDocument {
	if (full.departmentId !== undefined || held === undefined || held._id !== full._id) return full;
	const known = held.departmentId;
	return typeof known === 'string' && known !== '' ? withField(full, 'departmentId', known) : full;
}

/**
 * Whether the room list names another department than the copy held: the one field the copy may keep against a full
 * read (`withKnownDepartment`), so a reconciliation reads such a room again even when `_updatedAt` agrees. The list
 * names it as `departmentId` (the raw conversion), or as the resolved `department` (a host whose list is converted
 * in full, which cannot name a deleted one either).
 */
export function departmentDisagrees(held: RoomDocument, listed: EngineRoom): boolean {
	const named = listed.departmentId ?? idOf(listed.department);
	return (named === null ? undefined : named) !== held.departmentId;
}
