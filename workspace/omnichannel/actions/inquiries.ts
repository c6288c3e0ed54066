/** The inquiries routes: `livechat/inquiries.getOne` and `livechat/inquiries.take` (`lib/takeInquiry`). */
import type { WorkspaceUser } from '../../data/types';
import type { OmnichannelContext } from '../context';
import { meteorError } from '../errors';
import { inquiryOf, isAvailable, takeInquiry } from '../routing';
import type { Inquiry } from '../state';
import { livechatRoom } from './lookups';

/** `GET /api/v1/livechat/inquiries.getOne?roomId=`: the room's inquiry, or null (closed and deleted rooms have none). */
export function getInquiry(ctx: OmnichannelContext, roomId: string): Inquiry | null {
	const room = livechatRoom(ctx, roomId);
	if (room) return inquiryOf(ctx, room) ?? null;
	return ctx.omnichannel.inquiryByRoomId(roomId) ?? null;
}

/**
 * `POST /api/v1/livechat/inquiries.take` (`takeInquiry`): the inquiry must exist (`error-not-found`) and not be
 * taken (`error-inquiry-taken`); the taker must be an available agent (`error-agent-status-service-offline`). Then
 * `RoutingManager.takeInquiry` (see `routing.takeInquiry`). Answers `{}` (Rocket.Chat returns nothing as `inquiry`).
 */
export async function takeInquiryAction(ctx: OmnichannelContext, taker: WorkspaceUser, inquiryId: string): Promise<void> {
	const inquiry = ctx.omnichannel.inquiries.get(inquiryId);
	if (!inquiry) throw meteorError('error-not-found', 'Inquiry not found');
	if (inquiry.status === 'taken') throw meteorError('error-inquiry-taken', 'Inquiry already taken');
	if (!isAvailable(taker)) throw meteorError('error-agent-status-service-offline', 'Agent status is offline or Omnichannel service is not active');
	const room = livechatRoom(ctx, inquiry.rid);
	if (!room) throw meteorError('error-mac-limit-reached');
	await takeInquiry(ctx, inquiry, taker, room);
}
