import { App } from '@rocket.chat/apps-engine/definition/App';
import type {
	IAppAccessors,
	IConfigurationExtend,
	IConfigurationModify,
	IEnvironmentRead,
	IHttp,
	ILogger,
	IModify,
	IPersistence,
	IRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint, ApiSecurity, ApiVisibility } from '@rocket.chat/apps-engine/definition/api';
import type { IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import type {
	ILivechatEventContext,
	ILivechatRoom,
	ILivechatTransferEventContext,
	IPostLivechatAgentAssigned,
	IPostLivechatAgentUnassigned,
	IPostLivechatRoomClosed,
	IPostLivechatRoomSaved,
	IPostLivechatRoomStarted,
	IPostLivechatRoomTransferred,
} from '@rocket.chat/apps-engine/definition/livechat';
import type { IMessage, IPostMessageSent, IPostSystemMessageSent } from '@rocket.chat/apps-engine/definition/messages';
import type { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';
import type { IJobContext } from '@rocket.chat/apps-engine/definition/scheduler';
import { SettingType } from '@rocket.chat/apps-engine/definition/settings';
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import type { IUIKitResponse, UIKitBlockInteractionContext } from '@rocket.chat/apps-engine/definition/uikit';

type Json = Record<string, unknown>;

/** What this runtime saw since it started (lost when the runtime restarts). */
interface Memory {
	events: Json[];
	settings: Json[];
	jobs: Json[];
}

const memory: Memory = { events: [], settings: [], jobs: [] };

/** How long each event listener waits before it records the event (`POST /probe {op: 'eventDelay', ms}`). */
let eventDelayMs = 0;

/** Records an event once the listener's delay has passed: whoever awaited the listener sees it recorded. */
async function record(event: Json): Promise<void> {
	if (eventDelayMs > 0) await wait(eventDelayMs);
	memory.events.push(event);
}

const JOBS = 'misc';

function records(list: Array<{ model: string; id: string }>): RocketChatAssociationRecord[] {
	return list.map((a) => new RocketChatAssociationRecord(a.model as RocketChatAssociationModel, a.id));
}

function wait(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A job's run: recorded in memory and in persistence (shared by the cluster), overlapping runs made visible. */
async function runJob(name: string, context: IJobContext, read: IRead, persis: IPersistence): Promise<void> {
	const started = new Date().toISOString();
	memory.jobs.push({ name, jobId: context.jobId, data: context, started });
	const running = await read.getPersistenceReader().readByAssociations(records([{ model: JOBS, id: 'running' }]));
	await persis.createWithAssociations({ name, started }, records([{ model: JOBS, id: 'running' }]));
	await wait(typeof context.sleepMs === 'number' ? context.sleepMs : 0);
	await persis.removeByAssociations(records([{ model: JOBS, id: 'running' }]));
	await persis.createWithAssociations(
		{ name, jobId: context.jobId, started, overlapped: running.length > 0, data: context },
		records([
			{ model: JOBS, id: 'runs' },
			{ model: JOBS, id: name },
		]),
	);
}

class ProbeEndpoint extends ApiEndpoint {
	public path = 'probe';

	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	public async get(request: IApiRequest, endpoint: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
		return this.json({ status: 200, content: memory });
	}

	/** `{ op, ... }`: one call of the persistence, scheduler or room readers, answered as `{ result }` or `{ error }`. */
	public async post(
		request: IApiRequest,
		endpoint: IApiEndpointInfo,
		read: IRead,
		modify: IModify,
		http: IHttp,
		persis: IPersistence,
	): Promise<IApiResponse> {
		const body = (request.content ?? {}) as Json;
		const reader = read.getPersistenceReader();
		const associations = records((body.associations as Array<{ model: string; id: string }>) ?? []);
		const scheduler = modify.getScheduler();
		/** Each op: one call of the persistence, the scheduler or the room reader. */
		const ops: Record<string, () => Promise<unknown>> = {
			create: () => persis.create(body.data as object),
			createWithAssociations: () => persis.createWithAssociations(body.data as object, associations),
			read: () => reader.read(body.id as string),
			readByAssociations: () => reader.readByAssociations(associations),
			remove: () => persis.remove(body.id as string),
			removeByAssociations: () => persis.removeByAssociations(associations),
			update: () => persis.update(body.id as string, body.data as object),
			updateByAssociations: () => persis.updateByAssociations(associations, body.data as object, body.upsert === true),
			scheduleOnce: () => scheduler.scheduleOnce({ id: body.id as string, when: body.when as string, data: body.data as object }),
			scheduleRecurring: () =>
				scheduler.scheduleRecurring({
					id: body.id as string,
					interval: body.interval as string,
					skipImmediate: body.skipImmediate === true,
					data: body.data as object,
				}),
			cancelJob: () => scheduler.cancelJob(body.id as string),
			cancelAllJobs: () => scheduler.cancelAllJobs(),
			eventDelay: async () => (eventDelayMs = typeof body.ms === 'number' ? body.ms : 0),
			room: () => read.getRoomReader().getById(body.id as string),
			rooms: () =>
				read.getRoomReader().getAllRooms({ types: [RoomType.LIVE_CHAT] }, { limit: (body.limit as number) ?? 100, skip: (body.skip as number) ?? 0 }),
		};
		const run = typeof body.op === 'string' && Object.prototype.hasOwnProperty.call(ops, body.op) ? ops[body.op] : undefined;
		if (!run) return this.json({ status: 400, content: { error: `unknown op ${String(body.op)}` } });
		try {
			const result = await run();
			return this.json({ status: 200, content: { result: result === undefined ? null : result } });
		} catch (error) {
			return this.json({ status: 200, content: { error: (error as Error)?.message ?? String(error) } });
		}
	}
}

export class WorkspaceProbeApp
	extends App
	implements
		IPostLivechatRoomStarted,
		IPostLivechatRoomClosed,
		IPostLivechatAgentAssigned,
		IPostLivechatAgentUnassigned,
		IPostLivechatRoomTransferred,
		IPostLivechatRoomSaved,
		IPostMessageSent,
		IPostSystemMessageSent
{
	constructor(info: IAppInfo, logger: ILogger, accessors: IAppAccessors) {
		super(info, logger, accessors);
	}

	protected async extendConfiguration(configuration: IConfigurationExtend, _environment: IEnvironmentRead): Promise<void> {
		await configuration.settings.provideSetting({
			id: 'greeting',
			type: SettingType.STRING,
			packageValue: 'hello',
			required: false,
			public: false,
			i18nLabel: 'greeting',
		});
		await configuration.api.provideApi({ visibility: ApiVisibility.PUBLIC, security: ApiSecurity.UNSECURE, endpoints: [new ProbeEndpoint(this)] });
		await configuration.scheduler.registerProcessors([
			{
				id: 'sweep',
				startupSetting: { type: StartupType.RECURRING, interval: '15 minutes', skipImmediate: true },
				processor: async (context, read, _modify, _http, persis) => runJob('sweep', context, read, persis),
			},
			{ id: 'once', processor: async (context, read, _modify, _http, persis) => runJob('once', context, read, persis) },
			{ id: 'every', processor: async (context, read, _modify, _http, persis) => runJob('every', context, read, persis) },
		]);
	}

	public async onSettingUpdated(setting: ISetting, _configurationModify: IConfigurationModify, _read: IRead, _http: IHttp): Promise<void> {
		memory.settings.push({ id: setting.id, value: setting.value });
	}

	public async executePostLivechatRoomStarted(room: ILivechatRoom): Promise<void> {
		await record({ event: 'IPostLivechatRoomStarted', room: room as unknown as Json, createdAtIsDate: room.createdAt instanceof Date });
	}

	public async executePostLivechatRoomClosed(room: ILivechatRoom): Promise<void> {
		await record({ event: 'IPostLivechatRoomClosed', room: room as unknown as Json, createdAtIsDate: room.createdAt instanceof Date });
	}

	public async executePostLivechatAgentAssigned(context: ILivechatEventContext): Promise<void> {
		await record({ event: 'IPostLivechatAgentAssigned', room: context.room as unknown as Json, agent: context.agent as unknown as Json });
	}

	public async executePostLivechatAgentUnassigned(context: ILivechatEventContext): Promise<void> {
		await record({ event: 'IPostLivechatAgentUnassigned', room: context.room as unknown as Json, agent: context.agent as unknown as Json });
	}

	public async executePostLivechatRoomTransferred(context: ILivechatTransferEventContext): Promise<void> {
		await record({
			event: 'IPostLivechatRoomTransferred',
			type: context.type,
			room: context.room as unknown as Json,
			from: context.from as unknown as Json,
			to: context.to as unknown as Json,
		});
	}

	public async executePostLivechatRoomSaved(room: ILivechatRoom): Promise<void> {
		await record({ event: 'IPostLivechatRoomSaved', room: room as unknown as Json });
	}

	public async executePostMessageSent(message: IMessage): Promise<void> {
		await record({ event: 'IPostMessageSent', message: message as unknown as Json });
	}

	public async executePostSystemMessageSent(message: IMessage): Promise<void> {
		await record({ event: 'IPostSystemMessageSent', message: message as unknown as Json });
	}

	public async executeBlockActionHandler(
		context: UIKitBlockInteractionContext,
		_read: IRead,
		_http: IHttp,
		_persistence: IPersistence,
		modify: IModify,
	): Promise<IUIKitResponse> {
		const data = context.getInteractionData();
		memory.events.push({ event: 'blockAction', actionId: data.actionId, value: data.value, room: data.room?.id ?? null });
		await modify
			.getUiController()
			.openContextualBarView(
				{ id: 'probe-bar', title: { type: 'plain_text', text: `pressed ${data.actionId}` }, blocks: [] },
				{ triggerId: data.triggerId },
				data.user,
			);
		return context.getInteractionResponder().successResponse();
	}
}
