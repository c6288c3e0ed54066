/** Registering a visitor: the REST route `livechat/visitor` (`registerGuest`). */
import type { OmnichannelContext } from '../context';
import { meteorError } from '../errors';
import { now } from '../messages';
import type { Visitor } from '../state';
import { randomId } from '../state';
import { updateRoom } from '../update';
import type { Doc } from '../../loose';

export interface VisitorParams {
	token: string;
	id?: string;
	name?: string;
	email?: string;
	department?: string;
	phone?: string;
	username?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * `POST /api/v1/livechat/visitor` (`registerGuest`): finds the visitor by token (else by phone, else by email) and
 * updates it, or creates it with the next `guest-N` username. A department is looked up by id or name and must
 * exist (`error-invalid-department`). Open rooms of the visitor then take the visitor's name as `fname`
 * (`updateRoomsInfoFromVisitorUpdate`; no app event). Answers `{visitor}`.
 */
export function registerVisitor(ctx: OmnichannelContext, params: VisitorParams): Visitor {
	const { token, id, name, email, department, phone, username } = params;
	const at = now(ctx);
	const update: Doc = { token, status: 'online', ...(phone && { phone: [{ phoneNumber: phone }] }), ...(name && { name }) };
	let address: string | undefined;
	if (email) {
		address = email.trim().toLowerCase();
		if (!EMAIL.test(address)) throw meteorError('error-invalid-email', `Invalid email ${address}`);
		update.visitorEmails = [{ address }];
	}
	const existing = ctx.omnichannel.visitorByToken(token);
	if (department && existing?.department !== department) {
		const found = ctx.departments.byIdOrName(department);
		if (!found) throw meteorError('error-invalid-department', 'The provided department is invalid');
		update.department = found._id;
	}
	let target: Visitor | undefined = existing;
	if (!target && phone)
		target = [...ctx.omnichannel.visitors.values()].find((v) => ((v.phone as Doc[] | undefined) ?? []).some((p) => p.phoneNumber === phone));
	if (target && !existing) update.token = target.token;
	if (!target && address)
		target = [...ctx.omnichannel.visitors.values()].find((v) => ((v.visitorEmails as Doc[] | undefined) ?? []).some((e) => e.address === address));
	let visitor: Visitor;
	if (target) {
		visitor = { ...target, ...update, _updatedAt: at } as Visitor;
	} else {
		visitor = {
			_id: id || randomId(),
			...update,
			username: username || ctx.omnichannel.nextVisitorUsername(),
			status: 'online',
			ts: at,
			_updatedAt: at,
		} as unknown as Visitor;
	}
	ctx.omnichannel.saveVisitor(visitor);
	if (typeof visitor.name === 'string' && visitor.name.trim()) {
		for (const room of ctx.rooms.list()) {
			const v = room.v as Doc | undefined;
			if (room.t === 'l' && room.open === true && v?.token === visitor.token && room.fname !== visitor.name) {
				updateRoom(ctx.rooms, room._id as string, { $set: { fname: visitor.name } });
				const inquiry = ctx.omnichannel.inquiryByRoomId(room._id as string);
				if (inquiry) inquiry.name = visitor.name;
			}
		}
	}
	return visitor;
}
