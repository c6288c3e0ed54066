/**
 * Rocket.Chat's omnichannel REST actions on the workspace: the paths, bodies, answers and errors of Rocket.Chat
 * 7.x/8.x. `routeOmnichannel` answers the request, or undefined when the path (and method) is not one of these.
 *
 * A route is checked in Rocket.Chat's order: authentication (`401`), parameters (`400 invalid-params`), the route's
 * `permissionsRequired` (`403`, every listed permission needed), then the action (its errors `400`). Success answers
 * carry the data and `"success": true`.
 *
 * | path | method | auth | permissions | body / query | answer |
 * |---|---|---|---|---|---|
 * | `livechat/visitor` | POST | - | - | `{visitor: {token, name?, email?, department?, phone?, username?, id?, customFields?}}` | `{visitor}` |
 * | `livechat/room` | GET | - | - | `?token=&rid=&agentId=&sla=&priority=` | `{room, newRoom}` |
 * | `livechat/message` | POST | - | - | `{token, rid, msg, _id?, agent?}` | `{message}` |
 * | `livechat/inquiries.getOne` | GET | yes | `view-l-room` | `?roomId=` | `{inquiry}` (null when none) |
 * | `livechat/inquiries.take` | POST | yes | `view-l-room` | `{inquiryId, userId?}` | `{}` |
 * | `chat.sendMessage` | POST | yes | - | `{message: {rid, msg, _id?}}` | `{message}` |
 * | `livechat/room.forward` | POST | yes | `view-l-room`, `transfer-livechat-guest` | `{roomId, userId? , departmentId?, comment?, clientAction?}` | `{}` |
 * | `livechat/room.onHold` | POST | yes | `on-hold-livechat-room` | `{roomId}` | `{}` |
 * | `livechat/room.resumeOnHold` | POST | yes | `view-l-room` | `{roomId}` | `{}` |
 * | `livechat/room.closeByUser` | POST | yes | `close-livechat-room` | `{rid, comment?, tags?, generateTranscriptPdf?, transcriptEmail?, forceClose?}` | `{}` |
 * | `livechat/room.saveInfo` | POST | yes | `view-l-room` | `{guestData: {_id, ...}, roomData: {_id, topic?, tags?, livechatData?, priorityId?, slaId?}}` | `{}` |
 * | `livechat/rooms.delete` | POST | yes | `remove-closed-livechat-room` | `{roomId}` | `{}` |
 * | `livechat/rooms.removeAllClosedRooms` | POST | yes | `remove-closed-livechat-rooms` | `{departmentIds?}` | `{removedRooms}` |
 */
import type { WorkspaceUser } from '../data/types';
import { closeRoom } from './actions/closeRoom';
import { getInquiry, takeInquiryAction } from './actions/inquiries';
import { placeOnHold, resumeOnHold } from './actions/onHold';
import { startRoom } from './actions/queueManager';
import { deleteRoom, removeAllClosedRooms } from './actions/removeRoom';
import type { SaveInfoParams } from './actions/saveRoomInfo';
import { saveInfo } from './actions/saveRoomInfo';
import { agentMessage, visitorMessage } from './actions/sendMessage';
import { forwardRoom } from './actions/transfer';
import type { VisitorParams } from './actions/visitor';
import { registerVisitor } from './actions/visitor';
import type { OmnichannelContext, OmnichannelRequest, OmnichannelResponse } from './context';
import { ApiError, failure, meteorError, missingPermission, notLoggedIn, plainError } from './errors';
import { hasPermission } from './permissions';
import type { Shape } from './validate';
import { validate } from './validate';
import type { Doc } from '../loose';

interface Route {
	auth: boolean;
	permissions?: string[];
	/** The body (POST) or the query (GET) must have this shape. */
	shape?: Shape;
	run(ctx: OmnichannelContext, params: Doc, user: WorkspaceUser | undefined): Promise<Doc>;
}

/** A body of one room id. */
const ROOM_ID: Shape = { required: { roomId: 'string' }, additional: false };

/** A route for signed-in users whose action answers only `success` (an empty answer). */
function signedInAction(permissions: string[], shape: Shape, act: (ctx: OmnichannelContext, body: Doc, user: WorkspaceUser) => unknown): Route {
	return {
		auth: true,
		permissions,
		shape,
		run: async (ctx, body, user) => {
			// `auth` has made sure of the user.
			await act(ctx, body, user as WorkspaceUser);
			return {};
		},
	};
}

const ROUTES: Record<string, Route> = {
	'POST /api/v1/livechat/visitor': {
		auth: false,
		shape: {
			required: {
				visitor: {
					required: { token: 'string' },
					optional: {
						id: 'string',
						name: 'string',
						email: 'string',
						department: 'string',
						phone: 'string',
						username: 'string',
						customFields: 'object',
						connectionData: 'object',
					},
					additional: false,
				},
			},
			additional: false,
		},
		run: async (ctx, params) => {
			const input = params.visitor as unknown as VisitorParams;
			if (!input.token.trim()) throw meteorError('error-invalid-token', 'Token cannot be empty');
			return { visitor: registerVisitor(ctx, input) };
		},
	},
	'GET /api/v1/livechat/room': {
		auth: false,
		run: async (ctx, query) => {
			// Rocket.Chat checks this query with Meteor's `check` (not ajv): its "Match error" messages. The enterprise
			// edition adds `sla` and `priority` (their values are not modelled); any other key is refused.
			const known = ['token', 'rid', 'agentId', 'sla', 'priority'];
			const unknown = Object.keys(query).find((key) => !known.includes(key));
			if (unknown !== undefined) throw failure(`Match error: Unknown key in field ${unknown}`);
			for (const key of known) {
				if (query[key] !== undefined && typeof query[key] !== 'string')
					throw failure(`Match error: Expected string, got ${Array.isArray(query[key]) ? 'object' : typeof query[key]} in field ${key}`);
			}
			if (query.token === undefined) throw failure("Match error: Missing key 'token'");
			const visitor = ctx.omnichannel.visitorByToken(query.token as string);
			if (!visitor) throw plainError('invalid-token');
			if (query.rid === undefined || query.rid === '') {
				const { room, newRoom } = await startRoom(ctx, visitor, query.agentId as string | undefined);
				return { room, newRoom };
			}
			const room = ctx.rooms.get(query.rid as string);
			if (!room || room.t !== 'l' || room.open !== true || (room.v as Doc | undefined)?.token !== query.token) throw plainError('invalid-room');
			return { room, newRoom: false };
		},
	},
	'POST /api/v1/livechat/message': {
		auth: false,
		shape: { required: { token: 'string', rid: 'string', msg: 'string' }, optional: { _id: 'string', agent: 'object' }, additional: false },
		run: async (ctx, body) => ({ message: await visitorMessage(ctx, body as { token: string; rid: string; msg: string; _id?: string }) }),
	},
	'GET /api/v1/livechat/inquiries.getOne': {
		auth: true,
		permissions: ['view-l-room'],
		shape: ROOM_ID,
		run: async (ctx, query) => ({ inquiry: getInquiry(ctx, query.roomId as string) }),
	},
	'POST /api/v1/livechat/inquiries.take': signedInAction(
		['view-l-room'],
		{ required: { inquiryId: 'string' }, optional: { userId: 'string', options: 'object' }, additional: false },
		async (ctx, body, user) => {
			let taker = user;
			if (typeof body.userId === 'string') {
				const other = ctx.users.byId(body.userId);
				if (!other) throw failure('The user is invalid');
				taker = other;
			}
			await takeInquiryAction(ctx, taker, body.inquiryId as string);
		},
	),
	'POST /api/v1/chat.sendMessage': {
		auth: true,
		shape: {
			required: { message: { required: { rid: 'string' }, optional: { msg: 'string', _id: 'string' }, additional: true } },
			optional: { previewUrls: 'string[]' },
			additional: false,
		},
		run: async (ctx, body, user) => {
			const message = body.message as { rid: string; msg?: string; _id?: string };
			return { message: await agentMessage(ctx, user as WorkspaceUser, { rid: message.rid, msg: message.msg ?? '', _id: message._id }) };
		},
	},
	'POST /api/v1/livechat/room.forward': signedInAction(
		['view-l-room', 'transfer-livechat-guest'],
		{
			required: { roomId: 'string' },
			optional: { userId: 'string', departmentId: 'string', comment: 'string', clientAction: 'boolean' },
			additional: false,
		},
		(ctx, body, user) => forwardRoom(ctx, user, body as { roomId: string }),
	),
	'POST /api/v1/livechat/room.onHold': signedInAction(['on-hold-livechat-room'], ROOM_ID, (ctx, body, user) => placeOnHold(ctx, user, body.roomId as string)),
	'POST /api/v1/livechat/room.resumeOnHold': signedInAction(['view-l-room'], ROOM_ID, (ctx, body, user) => {
		if (!(body.roomId as string).trim()) throw plainError('invalid-param');
		return resumeOnHold(ctx, user, body.roomId as string);
	}),
	'POST /api/v1/livechat/room.closeByUser': signedInAction(
		['close-livechat-room'],
		{
			required: { rid: 'string' },
			optional: { comment: 'string', tags: 'string[]', generateTranscriptPdf: 'boolean', transcriptEmail: 'object', forceClose: 'boolean' },
			additional: false,
		},
		(ctx, body, user) => closeRoom(ctx, user, body as { rid: string; comment?: string; tags?: string[] }),
	),
	'POST /api/v1/livechat/room.saveInfo': signedInAction(
		['view-l-room'],
		{
			required: {
				guestData: {
					required: { _id: 'string' },
					optional: { name: 'string', email: 'string', phone: 'string', livechatData: 'object' },
					additional: true,
				},
				roomData: {
					required: { _id: 'string' },
					optional: { topic: 'string', tags: 'string[]', livechatData: 'object', priorityId: 'string', slaId: 'string' },
					additional: true,
				},
			},
			additional: false,
		},
		(ctx, body, user) => saveInfo(ctx, user, body as unknown as SaveInfoParams),
	),
	'POST /api/v1/livechat/rooms.delete': signedInAction(['remove-closed-livechat-room'], ROOM_ID, (ctx, body) => deleteRoom(ctx, body.roomId as string)),
	'POST /api/v1/livechat/rooms.removeAllClosedRooms': {
		auth: true,
		permissions: ['remove-closed-livechat-rooms'],
		shape: { optional: { departmentIds: 'string[]' }, additional: false },
		run: async (ctx, body) => ({ removedRooms: removeAllClosedRooms(ctx, body.departmentIds as string[] | undefined) }),
	},
};

/** The paths this module answers (for the HTTP front's routing and docs/workspace.md). */
export const OMNICHANNEL_ROUTES: readonly string[] = Object.keys(ROUTES);

/** A copy with Dates kept, so the answer does not change when the store does afterwards. */
function snapshot<T>(value: T): T {
	return structuredClone(value);
}

export async function routeOmnichannel(ctx: OmnichannelContext, request: OmnichannelRequest): Promise<OmnichannelResponse | undefined> {
	const route = ROUTES[`${request.method.toUpperCase()} ${request.pathname}`];
	if (!route) return undefined;
	try {
		if (route.auth && !request.user) throw notLoggedIn();
		const isGet = request.method.toUpperCase() === 'GET';
		const params = (isGet ? request.query : (request.body ?? {})) as Doc;
		if (route.shape) validate(params, route.shape);
		if (route.permissions && !route.permissions.every((permission) => hasPermission(request.user as WorkspaceUser, permission))) throw missingPermission();
		const data = await route.run(ctx, params, request.user);
		return { status: 200, body: snapshot({ ...data, success: true }) };
	} catch (error) {
		if (error instanceof ApiError) return { status: error.status, body: error.body };
		throw error;
	}
}
