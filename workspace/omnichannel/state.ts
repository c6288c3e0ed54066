/**
 * The omnichannel collections the workspace keeps beside the rooms: visitors (`rocketchat_livechat_visitor`),
 * inquiries (`rocketchat_livechat_inquiry`), messages (`rocketchat_message`, only those the actions write) and
 * subscriptions (`rocketchat_subscription`, only who is subscribed to which livechat room). One instance of this class
 * serves the whole cluster, like the room store.
 */
import { randomBytes } from 'crypto';

import type { Doc } from '../loose';

export interface Visitor extends Doc {
	_id: string;
	username: string;
	token: string;
	ts: Date;
	_updatedAt: Date;
}

export interface Inquiry extends Doc {
	_id: string;
	rid: string;
	status: 'ready' | 'queued' | 'taken' | 'verifying';
}

export interface Message extends Doc {
	_id: string;
	rid: string;
	msg: string;
	ts: Date;
	u: { _id: string; username: string; name?: string };
}

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';

/** An id shaped like Meteor's `Random.id()`: 17 characters of an unambiguous alphabet. */
export function randomId(length = 17): string {
	const bytes = randomBytes(length);
	let out = '';
	for (let i = 0; i < length; i += 1) out += ALPHABET[bytes[i] % ALPHABET.length];
	return out;
}

/** An id shaped like MongoDB's `new ObjectId().toHexString()` (inquiries and contacts get these). */
export function objectId(): string {
	return randomBytes(12).toString('hex');
}

export class OmnichannelState {
	/** Visitors by `_id` (`rocketchat_livechat_visitor`). */
	public readonly visitors = new Map<string, Visitor>();

	private readonly tokens = new Map<string, string>();

	/** The contact Rocket.Chat creates for each visitor on their first room (`contactId` of their rooms), by visitor id. */
	public readonly contacts = new Map<string, string>();

	public readonly inquiries = new Map<string, Inquiry>();

	public readonly messages: Message[] = [];

	/** room id -> ids of the users subscribed to it (the serving agent, and agents left behind by forwards). */
	public readonly subscriptions = new Map<string, Set<string>>();

	/** Rocket.Chat numbers visitors `guest-1`, `guest-2`, ... from a counter it keeps in the settings collection. */
	private visitorCounter = 0;

	constructor(visitors: readonly Doc[] = []) {
		for (const visitor of visitors) {
			if (typeof visitor._id === 'string') this.saveVisitor(visitor as Visitor);
		}
		this.visitorCounter = this.visitors.size;
	}

	public saveVisitor(visitor: Visitor): void {
		const previous = this.visitors.get(visitor._id);
		if (previous && previous.token !== visitor.token) this.tokens.delete(previous.token);
		this.visitors.set(visitor._id, visitor);
		if (typeof visitor.token === 'string') this.tokens.set(visitor.token, visitor._id);
	}

	public nextVisitorUsername(): string {
		this.visitorCounter += 1;
		return `guest-${this.visitorCounter}`;
	}

	public visitorByToken(token: string): Visitor | undefined {
		const id = this.tokens.get(token);
		return id === undefined ? undefined : this.visitors.get(id);
	}

	public visitorById(id: string): Visitor | undefined {
		return this.visitors.get(id);
	}

	public inquiryByRoomId(rid: string): Inquiry | undefined {
		for (const inquiry of this.inquiries.values()) if (inquiry.rid === rid) return inquiry;
		return undefined;
	}

	public removeInquiryByRoomId(rid: string): boolean {
		const inquiry = this.inquiryByRoomId(rid);
		if (inquiry) this.inquiries.delete(inquiry._id);
		return Boolean(inquiry);
	}

	public subscribers(rid: string): string[] {
		return [...(this.subscriptions.get(rid) ?? [])];
	}

	public isSubscribed(rid: string, userId: string): boolean {
		return this.subscriptions.get(rid)?.has(userId) ?? false;
	}

	public subscribe(rid: string, userId: string): void {
		const set = this.subscriptions.get(rid) ?? new Set<string>();
		set.add(userId);
		this.subscriptions.set(rid, set);
	}

	public unsubscribe(rid: string, userId: string): void {
		this.subscriptions.get(rid)?.delete(userId);
	}

	public removeRoom(rid: string): void {
		this.subscriptions.delete(rid);
		this.removeInquiryByRoomId(rid);
		for (let i = this.messages.length - 1; i >= 0; i -= 1) if (this.messages[i].rid === rid) this.messages.splice(i, 1);
	}

	public messagesOf(rid: string): Message[] {
		return this.messages.filter((message) => message.rid === rid);
	}
}
