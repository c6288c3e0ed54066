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
import { roomFromEngine } from './fromEngine';
import type { RoomDocument } from './RoomDocument';

/** Keys of the full conversion that are derived views of other stored fields. */
const VIEWS: ReadonlySet<string> = new Set(['department', 'contact', 'visitorChannelInfo', 'parentRoom']);

function isObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

/** A resolved user (or visitor) cut to a stored reference: `{ _id, username? }`, plus `name` when asked. */
function reference(value: unknown, withName: boolean): Record<string, unknown> | undefined {
	if (!isObject(value)) return undefined;
	const id = value.id ?? value._id;
	if (typeof id !== 'string') return undefined;
	const out: Record<string, unknown> = { _id: id };
	if (typeof value.username === 'string') out.username = value.username;
	if (withName && typeof value.name === 'string') out.name = value.name;
	return out;
}

function idOf(value: unknown): unknown {
	return isObject(value) ? value.id : undefined;
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
 * resolves references). Only for the same version (`_updatedAt` equal); otherwise the full room as it is.
 */
export function withListedFields(full: RoomDocument, listed: RoomDocument): RoomDocument {
	const time = (value: unknown): number => (Object.prototype.toString.call(value) === '[object Date]' ? (value as Date).getTime() : NaN);
	if (!(time(full._updatedAt) === time(listed._updatedAt))) return full;
	return { ...full, ...listed };
}
