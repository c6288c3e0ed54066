/**
 * The workspace's built-in demo data: fixed users (with their login tokens) and departments, and generated livechat
 * rooms in every state, shaped field for field as Rocket.Chat 7.x stores them in `rocketchat_room`. Everything comes
 * from a small seeded PRNG and a "now" every time is laid back from, so the same options give the same data on every
 * run and machine. `npm start` passes the moment it starts (the newest rooms minutes old, the queue waiting minutes,
 * rooms closed today); tests keep the default, `DEMO_NOW`, so that every date they expect is fixed.
 */
import type { StoredRoom, WorkspaceData, WorkspaceDepartment, WorkspaceUser } from './types';

/** What `demoData` can be asked for; every field has a fixed default. */
export interface DemoOptions {
	/** Livechat rooms to generate (a few rooms of other types are added). Default `DEMO_ROOM_COUNT`. */
	rooms?: number;
	/** PRNG seed for the rooms; users and departments never change. Default `DEMO_SEED`. */
	seed?: number;
	/** The moment the data is "taken": every timestamp lies before it. Default `DEMO_NOW` (fixed, for tests). */
	now?: Date;
}

/** Livechat rooms generated when no count is given. */
export const DEMO_ROOM_COUNT = 60;

/** The default PRNG seed. */
export const DEMO_SEED = 20261101;

/** The default "now" of the demo data: a fixed moment, so that tests are deterministic. */
export const DEMO_NOW = new Date('2026-11-01T12:00:00.000Z');

/** The demo users, each with a fixed `authToken`: send `X-User-Id: <_id>` and `X-Auth-Token: <authToken>`. */
export const DEMO_USERS: readonly WorkspaceUser[] = [
	user('XuaDMjTmx6KqzFb3j', 'admin', 'Ada Admin', ['user', 'admin'], '2VJfUL4j0CHjZzomxu58mvLTNdozIR3C5inzArjrJhk'),
	user('mPfs2yqjAZKfgqLBw', 'manager', 'Maria Manager', ['user', 'livechat-manager'], 'PbpNzdh_XmDEFHH6m9VEKDz9JBL3D9lEpmhcEgQU8Ww'),
	user('uMEzE43ZfrngDijik', 'monitor', 'Moritz Monitor', ['user', 'livechat-monitor'], 'VDpvw0ayWPTxm8e2bS91UXcGGpTaHYStkjxGpluiccU'),
	user('WLYaBkXzR2epe4s23', 'alice', 'Alice Ferreira', ['user', 'livechat-agent'], '33r-JQBVbIsK1VIvBNJdqjWRE-VNWGU49QV_wLrUFFA'),
	user('CE3mdzpkAsYEtt9mq', 'bruno', 'Bruno Costa', ['user', 'livechat-agent'], 'rTL-X_-pZgK96sdWPRe_xgzcE4BoHusjVSEfD7MJDKU'),
	user('mL2r2DPrLWgoyWQHM', 'chen', 'Chen Wei', ['user', 'livechat-agent'], 'O1IF7AdyeJguFg5zHncbeVNgLmoJ1uWw_DLavRvZVAA'),
	user('wXPDbzeiy2j8mMA5F', 'dana', 'Dana Okafor', ['user', 'livechat-agent'], 'dnPEoWngV6nLRRsR3OJDKtyx7zZ4f4zF-HXrtFTCGcA'),
	user('MzxYiGcQCAB9XcyGT', 'user', 'Ulla User', ['user'], 'WlKoOnV5MVS5DVaWKS3QeDF3Tm1Uu9kQlF1dmjyJsUg'),
];

/**
 * The demo departments; `Legacy Support` is disabled and only holds old, closed rooms. Each lists its agents (by user
 * id) and, when in a unit, the unit as its `ancestors`, so that new rooms are routed as Rocket.Chat would route them.
 * `Onboarding` uses manual selection: its new rooms wait in the queue until an agent takes them
 * (`POST /api/v1/livechat/inquiries.take`); the others assign the least busy available agent at once.
 */
export const DEMO_DEPARTMENTS: readonly WorkspaceDepartment[] = [
	{
		_id: 'rJyQ4BPvxvEpFencC',
		name: 'Sales',
		enabled: true,
		agents: ['WLYaBkXzR2epe4s23', 'wXPDbzeiy2j8mMA5F'],
		routingMethod: 'Auto_Selection',
		ancestors: ['EvYjYGBXQaZbaqJ9c'],
	},
	{
		_id: '6JErf6X96pusrk6KS',
		name: 'Support',
		enabled: true,
		agents: ['WLYaBkXzR2epe4s23', 'CE3mdzpkAsYEtt9mq'],
		routingMethod: 'Auto_Selection',
		ancestors: ['EvYjYGBXQaZbaqJ9c'],
	},
	{
		_id: '4NMKHm678GHGsjEM8',
		name: 'Billing',
		enabled: true,
		agents: ['CE3mdzpkAsYEtt9mq', 'mL2r2DPrLWgoyWQHM'],
		routingMethod: 'Auto_Selection',
		ancestors: ['BitWBWCMBpTwbemAX'],
	},
	{ _id: 'vymPRDaQC56KccWfg', name: 'Onboarding', enabled: true, agents: ['mL2r2DPrLWgoyWQHM', 'wXPDbzeiy2j8mMA5F'], routingMethod: 'Manual_Selection' },
	{ _id: 'vFsBayaMrL45HopTQ', name: 'Legacy Support', enabled: false, agents: ['wXPDbzeiy2j8mMA5F'], routingMethod: 'Auto_Selection' },
];

/** Livechat units (enterprise): the rooms of their departments carry the unit id in `departmentAncestors`. */
export const DEMO_UNITS: ReadonlyArray<{ readonly _id: string; readonly name: string; readonly departmentIds: readonly string[] }> = [
	{ _id: 'EvYjYGBXQaZbaqJ9c', name: 'Americas', departmentIds: ['rJyQ4BPvxvEpFencC', '6JErf6X96pusrk6KS'] },
	{ _id: 'BitWBWCMBpTwbemAX', name: 'EMEA', departmentIds: ['4NMKHm678GHGsjEM8'] },
];

/** A department id some old rooms still point to, although the department was deleted. */
export const DEMO_DELETED_DEPARTMENT_ID = '8QhLBdYaDmZode67L';

function user(_id: string, username: string, name: string, roles: string[], authToken: string): WorkspaceUser {
	// Agents take livechats and are online: routing assigns new rooms to them.
	if (roles.includes('livechat-agent')) return { _id, username, name, roles, authToken, statusLivechat: 'available', status: 'online' };
	return { _id, username, name, roles, authToken };
}

// ---- fixed reference data ----

const [SALES, SUPPORT, BILLING, ONBOARDING, LEGACY] = DEMO_DEPARTMENTS.map((d) => d._id);

const AGENTS_BY_DEPARTMENT: Record<string, readonly string[]> = {
	[SALES]: ['alice', 'dana'],
	[SUPPORT]: ['alice', 'bruno'],
	[BILLING]: ['bruno', 'chen'],
	[ONBOARDING]: ['chen', 'dana'],
	[LEGACY]: ['dana'],
	[DEMO_DELETED_DEPARTMENT_ID]: ['bruno'],
};

const ALL_AGENTS = ['alice', 'bruno', 'chen', 'dana'];

/** Rocket.Chat's `LivechatPriorityWeight`: 1 (highest) .. 5 (lowest), 99 when not specified. */
const PRIORITIES: ReadonlyArray<readonly [string, number]> = [
	['MHNcXf3wqjb3zDPCf', 1],
	['2XmpeMDgHyxE5wfsx', 2],
	['W8hPD8r6dtnM2Egdn', 3],
	['vvZ8EQB7ir9FECAtB', 4],
	['4xiJGBFf8SCood9Ms', 5],
];
const PRIORITY_NOT_SPECIFIED = 99;

/** SLA policies: id and due time in minutes; `DEFAULT_SLA_CONFIG.ESTIMATED_WAITING_TIME_QUEUE` otherwise. */
const SLAS: ReadonlyArray<readonly [string, number]> = [
	['hed9sCzNJQxrLcvqX', 5],
	['CS2SdB9JFcaA3SgCM', 15],
	['MsfCE22Xn9DfFJvtC', 60],
];
const NO_SLA_WAITING_TIME = 9999999;

const EMAIL_INBOX_ID = 'ZeNddvjassS5N3au9';
const WHATSAPP_APP_ID = 'c3a5b293-fbb1-4b6a-a9b3-dea187992ef4';

const FIRST_NAMES = [
	'Marcos',
	'Ana',
	'John',
	'Priya',
	'Lukas',
	'Sofia',
	'Kenji',
	'Fatima',
	'Olivia',
	'Mateo',
	'Chloe',
	'Arjun',
	'Emma',
	'Noah',
	'Yuki',
	'Amara',
	'Liam',
	'Isabela',
	'Omar',
	'Hannah',
	'Diego',
	'Mei',
	'Tomasz',
	'Zanele',
	'Lucas',
	'Aisha',
	'Felix',
	'Camila',
	'Ivan',
	'Leila',
	'Pedro',
	'Nora',
	'Samuel',
	'Elif',
	'Rafael',
	'Grace',
];
const LAST_NAMES = [
	'Defendi',
	'Silva',
	'Smith',
	'Sharma',
	'Müller',
	'Rossi',
	'Tanaka',
	'Haddad',
	'Johnson',
	'García',
	'Martin',
	'Patel',
	'Schmidt',
	'Kowalski',
	'Nakamura',
	'Okonkwo',
	'Brown',
	'Santos',
	'Khan',
	'Novak',
	'López',
	'Chen',
	'Dubois',
	'Ivanova',
	'Jensen',
	'Moreau',
	'Nguyen',
	'Pereira',
	'Andersson',
	'Yilmaz',
	'Costa',
	'Fischer',
];
const VISITOR_OPENERS = [
	'Hello',
	'Hi, I cannot log in to my account since this morning, it says my password is wrong.',
	'Good afternoon! I would like to know the price of the enterprise plan for 250 users.',
	'I was charged twice for my last invoice, can you help me get a refund?',
	'Hi there, how do I connect my workspace to our LDAP server?',
	'Is there a way to export all my conversations as PDF?',
	'My order #48213 has not arrived yet, it has been two weeks.',
	'Hello, the mobile app keeps crashing when I open a thread.',
	'Can I change the billing address on an invoice that was already issued?',
	'We are evaluating your product for our support team, can someone give us a demo?',
	'Hi! I need help setting up the widget on our website.',
	'Hey, is the service down? Nothing loads for me.',
];
const VISITOR_FOLLOW_UPS = [
	'Thanks, that worked!',
	'Sure, my account email is the one I used to start this chat.',
	'Ok, I will wait.',
	'It still does not work, same error as before.',
	'Perfect, thank you very much for the quick help.',
	'Could you send me that by email as well?',
	'Yes, it is the annual plan.',
	'One more question: does that include the mobile apps?',
];
const AGENT_REPLIES = [
	'Hi! Thanks for reaching out, let me check that for you.',
	'I have reset your password, you should receive an email in a minute.',
	'I can see the duplicate charge; I have issued a refund, it takes 3 to 5 business days.',
	'Our enterprise plan is priced per seat, I am sending you the price sheet now.',
	'Could you please tell me which version of the app you are using?',
	'I am putting this conversation on hold while I check with our engineering team.',
	'Here is the guide for that: https://docs.example.com/setup-widget',
	'Is there anything else I can help you with today?',
	'I have forwarded your request to our billing team, they will contact you by email.',
	'Thanks for waiting! Everything should be working again now.',
];
const EMAIL_SUBJECTS = ['Question about my invoice', 'Cannot log in', 'Enterprise plan pricing', 'Refund request', 'Order not delivered'];
const TAGS = ['billing', 'refund', 'bug', 'feature-request', 'vip', 'onboarding', 'sales-lead', 'churn-risk', 'login', 'mobile', 'rocket', 'chat'];
const PLANS = ['free', 'starter', 'pro', 'enterprise'];
const COUNTRIES = ['BR', 'US', 'DE', 'IN', 'JP', 'PT', 'FR', 'NG', 'GB', 'MX'];

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Rooms are created over this many days before `now`, denser towards `now`. */
const SPAN = 180 * DAY;
/** The newest room is at least this old. */
const MIN_AGE = 2 * MINUTE;

// ---- hot-path globals ----

/*
 * Globals used for every room, bound once. Inside a `vm` context (as under Jest) each global lookup goes through the
 * context's interceptor and costs several times as much as reading a module constant.
 */
const { floor, imul } = Math;
const maxOf = Math.max;
const NativeDate = Date;
const fromCharCode = String.fromCharCode;

// ---- PRNG ----

/** mulberry32: a tiny, fast, well-distributed 32-bit PRNG; deterministic for a given seed. */
class Random {
	/** The 32-bit state, kept in a typed array so that updating it never allocates. */
	private readonly state = new Int32Array(1);

	constructor(seed: number) {
		this.state[0] = seed | 0;
	}

	/**
	 * 32 random bits as a signed integer. Hot paths keep to small integers and booleans, which never need a heap
	 * allocation, rather than passing fractions between functions.
	 */
	bits(): number {
		let t = (this.state[0] = (this.state[0] + 0x6d2b79f5) | 0);
		t = imul(t ^ (t >>> 15), t | 1);
		t ^= t + imul(t ^ (t >>> 7), t | 61);
		return t ^ (t >>> 14);
	}

	/** A number in [0, 1). */
	next(): number {
		return (this.bits() >>> 0) / 4294967296;
	}

	/** An integer in [min, max]. */
	int(min: number, max: number): number {
		return min + floor(((this.bits() >>> 0) / 4294967296) * (max - min + 1));
	}

	chance(probability: number): boolean {
		return (this.bits() >>> 0) / 4294967296 < probability;
	}

	pick<T>(list: readonly T[]): T {
		return list[floor(((this.bits() >>> 0) / 4294967296) * list.length)];
	}

	/** `length` characters of `alphabet`, taking several characters from each 32-bit draw. */
	chars(alphabet: Alphabet, length: number): string {
		const codes = alphabet.buffer(length);
		const size = alphabet.codes.length;
		let k = 0;
		while (k < length) {
			let x = this.bits() >>> 0;
			for (let j = 0; j < alphabet.perDraw && k < length; j++) {
				codes[k++] = alphabet.codes[x % size];
				x = floor(x / size);
			}
		}
		return fromCharCode(...codes);
	}
}

interface Alphabet {
	readonly codes: readonly number[];
	/** Characters one 32-bit draw yields: the largest n with size^n <= 2^32. */
	readonly perDraw: number;
	/** A reusable array of `length` character codes. */
	buffer(length: number): number[];
}

function alphabet(text: string): Alphabet {
	const buffers = new Map<number, number[]>();
	const buffer = (length: number): number[] => {
		let codes = buffers.get(length);
		if (!codes) buffers.set(length, (codes = new Array<number>(length).fill(0)));
		return codes;
	};
	return { codes: [...text].map((c) => c.charCodeAt(0)), perDraw: Math.floor(32 / Math.log2(text.length)), buffer };
}

/** Rocket.Chat's `Random.id()` alphabet (17 characters per id). */
const ID_CHARS = alphabet('23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz');
/** The livechat widget's visitor tokens. */
const TOKEN_CHARS = alphabet('abcdefghijklmnopqrstuvwxyz0123456789');
const DIGITS = alphabet('0123456789');

/** The part of an id that makes it unique: a counter, scrambled, in 5 id characters (55^5 ids). */
const UNIQUE_SPACE = 55 ** 5;
const SCRAMBLE = 48271;

/**
 * Rocket.Chat-style 17-character ids (`Random.id()`), unique by construction: 12 random characters followed by a
 * counter scrambled by a bijection of [0, 55^5), so they look random but never repeat within one generation.
 */
class Ids {
	private counter = 0;

	constructor(
		private readonly random: Random,
		private readonly offset: number,
	) {}

	next(): string {
		const codes = ID_CHARS.buffer(17);
		let k = 0;
		while (k < 12) {
			let x = this.random.bits() >>> 0;
			for (let j = 0; j < 5 && k < 12; j++, k++) {
				codes[k] = ID_CHARS.codes[x % 55];
				x = floor(x / 55);
			}
		}
		let unique = (this.counter++ * SCRAMBLE + this.offset) % UNIQUE_SPACE;
		for (; k < 17; k++) {
			codes[k] = ID_CHARS.codes[unique % 55];
			unique = floor(unique / 55);
		}
		return fromCharCode(...codes);
	}
}

// ---- shared, frozen pieces (many rooms point at the same immutable value) ----

function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object') {
		for (const item of Object.values(value)) deepFreeze(item);
		Object.freeze(value);
	}
	return value;
}

const NO_ITEMS: readonly unknown[] = Object.freeze([]);

const AGENT_REFS = new Map(DEMO_USERS.map((u) => [u.username, deepFreeze({ _id: u._id, username: u.username, name: u.name })]));

type UserRef = { readonly _id: string; readonly username: string; readonly name?: string };

const UNIT_ANCESTORS = new Map<string, readonly string[]>(
	DEMO_UNITS.flatMap((unit) => unit.departmentIds.map((id) => [id, deepFreeze([unit._id])] as [string, readonly string[]])),
);

const SOURCES = deepFreeze({
	widget: { type: 'widget' },
	api: { type: 'api' },
	email: { type: 'email', id: EMAIL_INBOX_ID, alias: 'support@example.com' },
	sms: { type: 'sms', alias: 'Twilio' },
	app: { type: 'app', id: WHATSAPP_APP_ID, alias: 'WhatsApp', label: 'WhatsApp', sidebarIcon: 'whatsapp', defaultIcon: 'whatsapp' },
});

const MARKDOWN = new Map<string, unknown>();

/** The parsed message (`md`) Rocket.Chat stores next to `msg`, for plain one-paragraph text. */
function markdown(text: string): unknown {
	let md = MARKDOWN.get(text);
	if (!md) {
		md = deepFreeze([{ type: 'PARAGRAPH', value: [{ type: 'PLAIN_TEXT', value: text }] }]);
		MARKDOWN.set(text, md);
	}
	return md;
}

const ACTIVITY = new Map<number, readonly string[]>();

/** `v.activity`: the months (`YYYY-MM`) in which an agent answered the visitor. */
function activity(at: Date): readonly string[] {
	const key = at.getUTCFullYear() * 12 + at.getUTCMonth();
	let list = ACTIVITY.get(key);
	if (!list) {
		list = deepFreeze([at.toISOString().slice(0, 7)]);
		ACTIVITY.set(key, list);
	}
	return list;
}

// ---- visitors ----

interface Visitor {
	_id: string;
	username: string;
	token: string;
	name?: string;
	/** As `lastMessage.u` holds the visitor. */
	ref: UserRef;
	contactId: string;
}

function makeVisitors(random: Random, ids: Ids, count: number): Visitor[] {
	const visitors = new Array<Visitor>(count);
	for (let i = 0; i < count; i++) {
		const _id = ids.next();
		const username = `guest-${1001 + i}`;
		const name = random.chance(0.9) ? `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}` : undefined;
		const ref = deepFreeze(name ? { _id, username, name } : { _id, username });
		visitors[i] = { _id, username, token: random.chars(TOKEN_CHARS, 20), name, ref, contactId: ids.next() };
	}
	return visitors;
}

/** The visitor's e-mail address, for rooms that came in by e-mail. */
function emailOf(visitor: Visitor): string {
	const local = (visitor.name ?? visitor.username)
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/ /g, '.');
	return `${local}@example.com`;
}

/** The visitor's phone number, for rooms that came in by SMS; derived from the token. */
function phoneOf(visitor: Visitor): string {
	let digits = '';
	for (let i = 0; i < 11; i++) digits += String(visitor.token.charCodeAt(i) % 10);
	return `+55${digits}`;
}

// ---- room states and timelines ----

type RoomState = 'queued' | 'waiting' | 'served' | 'onHold' | 'closed' | 'abandoned';

/** The newest rooms take these states, newest first, so every state is present whenever there are enough rooms. */
const FORCED_STATES: readonly RoomState[] = ['queued', 'served', 'onHold', 'waiting', 'closed', 'abandoned'];

/** Open states are likelier the younger the room; old rooms are nearly all closed. */
function pickState(random: Random, age: number): RoomState {
	const r = random.next();
	if (age < HOUR) return r < 0.3 ? 'queued' : r < 0.45 ? 'waiting' : r < 0.8 ? 'served' : r < 0.88 ? 'onHold' : 'closed';
	if (age < DAY) return r < 0.1 ? 'queued' : r < 0.16 ? 'waiting' : r < 0.46 ? 'served' : r < 0.56 ? 'onHold' : r < 0.95 ? 'closed' : 'abandoned';
	if (age < 7 * DAY) return r < 0.02 ? 'queued' : r < 0.04 ? 'waiting' : r < 0.1 ? 'served' : r < 0.16 ? 'onHold' : r < 0.93 ? 'closed' : 'abandoned';
	return r < 0.01 ? 'served' : r < 0.02 ? 'onHold' : r < 0.92 ? 'closed' : 'abandoned';
}

/** Open: `open: true`, no `closedAt`. */
function isOpen(state: RoomState): boolean {
	return state !== 'closed' && state !== 'abandoned';
}

/** Taken by an agent (`servedBy`). */
function isServed(state: RoomState): boolean {
	return state !== 'queued' && state !== 'abandoned';
}

/** The agent has answered (`responseBy`, no `waitingResponse`). */
function isAnswered(state: RoomState): boolean {
	return state === 'served' || state === 'onHold' || state === 'closed';
}

/** Milliseconds from the room's creation; absent steps did not happen. */
interface Timeline {
	firstVisitorMessage: number;
	served?: number;
	firstResponse?: number;
	lastVisitorMessage: number;
	lastAgentMessage?: number;
	closed?: number;
	/** The last step: the closing, or else the last message or the agent taking the room. */
	end: number;
}

function makeTimeline(random: Random, state: RoomState, msgs: number, lastFromAgent: boolean, age: number): Timeline {
	const first = random.int(SECOND, 20 * SECOND);
	const t: Timeline = { firstVisitorMessage: first, lastVisitorMessage: first, end: 0 };
	if (!isAnswered(state)) t.lastVisitorMessage = first + (msgs - 1) * random.int(5 * SECOND, 40 * SECOND);
	if (isServed(state)) t.served = first + random.int(5 * SECOND, 8 * MINUTE);
	if (isAnswered(state)) addConversation(random, t, t.served as number, msgs, lastFromAgent);
	t.end = maxOf(t.lastVisitorMessage, t.lastAgentMessage ?? 0, t.served ?? 0);
	if (!isOpen(state)) t.end = t.closed = t.end + random.int(10 * SECOND, 20 * MINUTE);
	if (t.end < age - SECOND) return t;
	const budget = (age - SECOND) * (0.7 + 0.25 * random.next());
	return squeeze(t, budget / t.end);
}

function addConversation(random: Random, t: Timeline, served: number, msgs: number, lastFromAgent: boolean): void {
	const firstResponse = served + random.int(10 * SECOND, 3 * MINUTE);
	const gap = random.int(20 * SECOND, 4 * MINUTE);
	const end = firstResponse + maxOf(0, msgs - 2) * gap;
	t.firstResponse = firstResponse;
	t.lastAgentMessage = lastFromAgent ? end : maxOf(firstResponse, end - gap);
	t.lastVisitorMessage = lastFromAgent ? maxOf(t.firstVisitorMessage, end - gap) : end;
}

/** A timeline that would end after `now`, shrunk by `factor` into part of the time the room has had. */
function squeeze(t: Timeline, factor: number): Timeline {
	const s = (value: number | undefined): number | undefined => (value === undefined ? undefined : floor(value * factor));
	return {
		firstVisitorMessage: floor(t.firstVisitorMessage * factor),
		served: s(t.served),
		firstResponse: s(t.firstResponse),
		lastVisitorMessage: floor(t.lastVisitorMessage * factor),
		lastAgentMessage: s(t.lastAgentMessage),
		closed: s(t.closed),
		end: floor(t.end * factor),
	};
}

// ---- livechat rooms ----

interface Context {
	random: Random;
	ids: Ids;
	visitors: Visitor[];
	now: number;
}

/** The moments of one room, one `Date` per distinct instant (fields holding the same instant share it). */
interface Moments {
	created: Date;
	served?: Date;
	firstResponse?: Date;
	lastVisitorMessage: Date;
	lastAgentMessage?: Date;
	closed?: Date;
}

function moments(ts: number, t: Timeline): Moments {
	return {
		created: new NativeDate(ts),
		served: t.served === undefined ? undefined : new NativeDate(ts + t.served),
		firstResponse: t.firstResponse === undefined ? undefined : new NativeDate(ts + t.firstResponse),
		lastVisitorMessage: new NativeDate(ts + t.lastVisitorMessage),
		lastAgentMessage: t.lastAgentMessage === undefined ? undefined : new NativeDate(ts + t.lastAgentMessage),
		closed: t.closed === undefined ? undefined : new NativeDate(ts + t.closed),
	};
}

const DEPARTMENT_WEIGHTS = [SALES, SALES, SUPPORT, SUPPORT, SUPPORT, BILLING, BILLING, ONBOARDING];

/** Mostly the enabled departments; a few rooms have none; only old rooms are in the disabled or deleted one. */
function departmentFor(random: Random, age: number): string | undefined {
	const r = random.next();
	if (r < 0.04) return undefined;
	if (r < 0.05 && age > 60 * DAY) return DEMO_DELETED_DEPARTMENT_ID;
	if (r < 0.1 && age > 60 * DAY) return LEGACY;
	return random.pick(DEPARTMENT_WEIGHTS);
}

function sourceFor(random: Random): (typeof SOURCES)[keyof typeof SOURCES] {
	const r = random.next();
	if (r < 0.7) return SOURCES.widget;
	if (r < 0.8) return SOURCES.api;
	if (r < 0.87) return SOURCES.email;
	if (r < 0.93) return SOURCES.sms;
	return SOURCES.app;
}

/** A message as Rocket.Chat stores it (and copies it into the room's `lastMessage`); visitors' carry their token. */
function message(ctx: Context, rid: string, text: string, ts: Date, u: UserRef, visitor?: Visitor): Record<string, unknown> {
	const _id = ctx.ids.next();
	const md = markdown(text);
	if (!visitor) return { _id, rid, msg: text, ts, u, _updatedAt: ts, urls: NO_ITEMS, mentions: NO_ITEMS, channels: NO_ITEMS, md };
	const { token, name } = visitor;
	if (!name) return { _id, rid, msg: text, token, ts, u, _updatedAt: ts, urls: NO_ITEMS, mentions: NO_ITEMS, channels: NO_ITEMS, md };
	return { _id, rid, msg: text, token, alias: name, ts, u, _updatedAt: ts, urls: NO_ITEMS, mentions: NO_ITEMS, channels: NO_ITEMS, md };
}

function agentRef(username: string): UserRef {
	return AGENT_REFS.get(username) as UserRef;
}

function messageCount(random: Random, state: RoomState): number {
	if (!isAnswered(state)) return random.int(1, 3);
	return random.int(3, state === 'closed' ? 60 : 30);
}

/**
 * One livechat room created at `ts`, in `state`, as Rocket.Chat has stored it by `now`. The fields every livechat
 * room has come first, in one literal; the ones that depend on the state or on chance follow.
 */
function livechatRoom(ctx: Context, ts: number, state: RoomState): StoredRoom {
	const { random } = ctx;
	const age = ctx.now - ts;
	const visitor = random.pick(ctx.visitors);
	const departmentId = departmentFor(random, age);
	const msgs = messageCount(random, state);
	const lastFromAgent = state === 'onHold' || (isAnswered(state) && random.chance(0.5));
	const m = moments(ts, makeTimeline(random, state, msgs, lastFromAgent, age));
	const agent = isServed(state) ? agentRef(random.pick(departmentId ? AGENTS_BY_DEPARTMENT[departmentId] : ALL_AGENTS)) : undefined;
	const _id = ctx.ids.next();
	const last = lastMessage(ctx, _id, visitor, lastFromAgent ? agent : undefined, m);
	const source = sourceFor(random);
	const priority = random.chance(0.15) ? random.pick(PRIORITIES) : undefined;
	const sla = random.chance(0.1) ? random.pick(SLAS) : undefined;
	const room: StoredRoom = {
		_id,
		msgs,
		usersCount: agent ? 2 : 1,
		lm: last.ts,
		fname: visitor.name ?? visitor.username,
		t: 'l',
		ts: m.created,
		v: visitorField(visitor, state, m),
		cl: false,
		source,
		queuedAt: m.created,
		priorityWeight: priority ? priority[1] : PRIORITY_NOT_SPECIFIED,
		estimatedWaitingTimeQueue: sla ? sla[1] : NO_SLA_WAITING_TIME,
		contactId: visitor.contactId,
		lastMessage: last,
		metrics: metrics(random, m, msgs),
		_updatedAt: m.closed ?? last.ts,
	};
	if (departmentId) addDepartment(room, departmentId);
	if (isOpen(state)) room.open = true;
	if (!isAnswered(state)) room.waitingResponse = true;
	if (state === 'onHold') room.onHold = true;
	if (priority) room.priorityId = priority[0];
	if (sla) room.slaId = sla[0];
	if (agent) addAgent(room, agent, m);
	addCustomFieldsAndTags(random, room, state);
	if (m.closed) addClosing(random, room, visitor, agent, m.closed);
	addSourceDetails(room, source.type, visitor);
	return room;
}

function addDepartment(room: StoredRoom, departmentId: string): void {
	room.departmentId = departmentId;
	const ancestors = UNIT_ANCESTORS.get(departmentId);
	if (ancestors) room.departmentAncestors = ancestors;
}

/** `servedBy` once an agent took the room, `responseBy` once the agent answered. */
function addAgent(room: StoredRoom, agent: UserRef, m: Moments): void {
	if (m.served) room.servedBy = { _id: agent._id, username: agent.username, ts: m.served };
	if (m.firstResponse && m.lastAgentMessage) {
		room.responseBy = { _id: agent._id, username: agent.username, firstResponseTs: m.firstResponse, lastMessageTs: m.lastAgentMessage };
	}
}

function visitorField(visitor: Visitor, state: RoomState, m: Moments): Record<string, unknown> {
	const { _id, username, token } = visitor;
	const status = isOpen(state) ? (state === 'onHold' ? 'away' : 'online') : 'offline';
	const lastMessageTs = m.lastVisitorMessage;
	if (!m.firstResponse) return { _id, username, token, status, lastMessageTs };
	return { _id, username, token, status, lastMessageTs, activity: activity(m.firstResponse) };
}

function lastMessage(ctx: Context, rid: string, visitor: Visitor, agent: UserRef | undefined, m: Moments): Record<string, unknown> {
	const { random } = ctx;
	if (agent && m.lastAgentMessage) return message(ctx, rid, random.pick(AGENT_REPLIES), m.lastAgentMessage, agent);
	const text = random.chance(0.5) ? random.pick(VISITOR_OPENERS) : random.pick(VISITOR_FOLLOW_UPS);
	return message(ctx, rid, text, m.lastVisitorMessage, visitor.ref, visitor);
}

/** Rocket.Chat's livechat analytics; durations in seconds, measured from the room's creation or from `servedBy.ts`. */
function metrics(random: Random, m: Moments, msgs: number): Record<string, unknown> {
	const v = { lq: m.lastVisitorMessage };
	const created = m.created.getTime();
	const chatDuration = m.closed ? (m.closed.getTime() - created) / SECOND : undefined;
	if (!m.served || !m.firstResponse || !m.lastAgentMessage) return chatDuration === undefined ? { v } : { v, chatDuration };
	const total = maxOf(1, floor(msgs / 2));
	const responseTime = (m.firstResponse.getTime() - created) / SECOND;
	const reactionTime = (m.firstResponse.getTime() - m.served.getTime()) / SECOND;
	const later = (total - 1) * random.int(10, 120);
	const servedBy = { lr: m.lastAgentMessage };
	const response = { avg: (responseTime + later) / total, fd: m.firstResponse, ft: responseTime, total, tt: responseTime + later };
	const reaction = { fd: m.firstResponse, ft: reactionTime, tt: reactionTime + later };
	if (chatDuration === undefined || !m.closed) return { v, servedBy, response, reaction };
	const serviceTimeDuration = (m.closed.getTime() - m.served.getTime()) / SECOND;
	return { v, servedBy, response, reaction, chatDuration, serviceTimeDuration };
}

function customFields(random: Random): Record<string, unknown> {
	const data: Record<string, unknown> = { docId: random.chars(DIGITS, 13), plan: random.pick(PLANS) };
	if (random.chance(0.5)) data.country = random.pick(COUNTRIES);
	if (random.chance(0.3)) data.orderId = `#${random.int(10000, 99999)}`;
	return data;
}

function pickTags(random: Random, max: number): string[] {
	const tags: string[] = [];
	const count = random.int(0, max);
	for (let i = 0; i < count; i++) {
		const tag = random.pick(TAGS);
		if (!tags.includes(tag)) tags.push(tag);
	}
	return tags;
}

/** Custom fields (`livechatData`) and tags: most closed rooms have them, some open ones too. */
function addCustomFieldsAndTags(random: Random, room: StoredRoom, state: RoomState): void {
	const closed = !isOpen(state);
	if (random.chance(closed ? 0.75 : 0.35)) room.livechatData = customFields(random);
	const tags = closed || random.chance(0.15) ? pickTags(random, 3) : undefined;
	if (tags && tags.length) room.tags = tags;
}

/** What closing stores: `closedAt`, `closer` (`user` or `visitor`), `closedBy`; `open` is unset. */
function addClosing(random: Random, room: StoredRoom, visitor: Visitor, agent: UserRef | undefined, closedAt: Date): void {
	const byVisitor = !agent || random.chance(0.35);
	const closer = byVisitor ? visitor : random.chance(0.08) ? agentRef('manager') : (agent as UserRef);
	room.closedAt = closedAt;
	room.closer = byVisitor ? 'visitor' : 'user';
	room.closedBy = { _id: closer._id, username: closer.username };
}

/** Email rooms carry their thread, SMS rooms the sender's number. */
function addSourceDetails(room: StoredRoom, type: string, visitor: Visitor): void {
	if (type === 'email') {
		const subject = EMAIL_SUBJECTS[(room.msgs as number) % EMAIL_SUBJECTS.length];
		room.email = { inbox: 'support@example.com', thread: [`<${room._id}@mail.example.com>`], replyTo: emailOf(visitor), subject };
	} else if (type === 'sms') {
		room.sms = { from: phoneOf(visitor) };
	}
}

// ---- rooms of other types ----

const OTHER_ROOM_KINDS = 5;

/** The default channel, a channel, a private group and two direct messages: the room bridge filters them out by type. */
function otherRoom(ctx: Context, kind: number, ts: number): StoredRoom {
	const at = new NativeDate(ts);
	const later = new NativeDate(ts + ctx.random.int(MINUTE, HOUR));
	const manager = agentRef('manager');
	switch (kind) {
		case 0:
			return { _id: 'GENERAL', ts: at, t: 'c', name: 'general', usernames: [], msgs: 12, usersCount: 8, default: true, _updatedAt: later, lm: later };
		case 1:
			return channel(ctx, 'raLpeBzjygmoij6Xd', 'c', 'support-team', manager, at, later);
		case 2:
			return channel(ctx, 'SY2BTsDBj4DTTfqkr', 'p', 'omnichannel-escalations', manager, at, later);
		case 3:
			return direct(ctx, ['alice', 'bruno'], at, later);
		default:
			return direct(ctx, ['manager', 'monitor'], at, later);
	}
}

function channel(ctx: Context, _id: string, t: string, name: string, owner: UserRef, ts: Date, lm: Date): StoredRoom {
	const last = message(ctx, _id, 'Please remember to tag every closed chat.', lm, owner);
	const u = { _id: owner._id, username: owner.username };
	return { _id, fname: name, name, t, u, ts, ro: false, default: false, sysMes: true, msgs: 27, usersCount: 6, _updatedAt: lm, lm, lastMessage: last };
}

function direct(ctx: Context, usernames: string[], ts: Date, lm: Date): StoredRoom {
	const users = usernames.map((name) => agentRef(name));
	const uids = users.map((u) => u._id);
	const _id = [...uids].sort().join('');
	const last = message(ctx, _id, 'Can you take the next chat from Billing? I am in a meeting.', lm, users[0]);
	return { _id, t: 'd', usernames, uids, msgs: 9, usersCount: 2, ts, _updatedAt: lm, lm, lastMessage: last };
}

// ---- assembly ----

/** How long before `now` room `i` of `n` is created: in creation order, denser towards `now`. */
function ageOf(random: Random, i: number, n: number): number {
	const u = (i + random.next() * 0.9) / n;
	return MIN_AGE + floor(SPAN * (1 - u) ** 4);
}

function stateOf(random: Random, i: number, n: number, age: number): RoomState {
	const fromEnd = n - 1 - i;
	return fromEnd < FORCED_STATES.length ? FORCED_STATES[fromEnd] : pickState(random, age);
}

function checkOptions(options: DemoOptions): { count: number; seed: number; now: number } {
	const count = options.rooms ?? DEMO_ROOM_COUNT;
	if (!Number.isInteger(count) || count < 0) throw new RangeError(`rooms must be a non-negative integer (got ${count})`);
	const now = (options.now ?? DEMO_NOW).getTime();
	if (Number.isNaN(now)) throw new RangeError('now must be a valid date');
	return { count, seed: options.seed ?? DEMO_SEED, now };
}

/**
 * Demo data: copies of `DEMO_USERS` and `DEMO_DEPARTMENTS`, and `rooms` livechat rooms spread over the 180 days
 * before `now` in creation order, in every state: open and served, waiting for the agent's first answer, queued, on
 * hold, closed, and abandoned in the queue (the six newest rooms take these states in turn, so all are present from
 * six rooms on). Five rooms of types `c`, `p` and `d` sit among them. The same options give the same data.
 * Within a room, fields holding the same instant share one `Date`; a few immutable parts (`source`, `md`, empty
 * lists, `departmentAncestors`, `v.activity`, agents in `lastMessage.u`) are frozen and shared between rooms.
 */
export function demoData(options: DemoOptions = {}): WorkspaceData {
	const { count, seed, now } = checkOptions(options);
	const random = new Random(seed);
	const ids = new Ids(random, random.int(0, UNIQUE_SPACE - 1));
	const ctx: Context = { random, ids, now, visitors: makeVisitors(random, ids, Math.max(10, Math.ceil(count * 0.4))) };
	const rooms: StoredRoom[] = [otherRoom(ctx, 0, now - SPAN - 20 * DAY)];
	let nextKind = 1;
	let lastTs = now - SPAN - DAY;
	for (let i = 0; i < count; i++) {
		if (nextKind < OTHER_ROOM_KINDS && i === floor((count * nextKind) / OTHER_ROOM_KINDS)) rooms.push(otherRoom(ctx, nextKind++, lastTs + 1));
		lastTs = maxOf(now - ageOf(random, i, count), lastTs + 1);
		rooms.push(livechatRoom(ctx, lastTs, stateOf(random, i, count, now - lastTs)));
	}
	while (nextKind < OTHER_ROOM_KINDS) rooms.push(otherRoom(ctx, nextKind++, Math.min(lastTs + 1, now - HOUR)));
	return {
		users: DEMO_USERS.map((u) => ({ ...u, roles: [...u.roles] })),
		departments: DEMO_DEPARTMENTS.map((d) => ({ ...d, ...(d.agents && { agents: [...d.agents] }), ...(d.ancestors && { ancestors: [...d.ancestors] }) })),
		rooms,
	};
}
