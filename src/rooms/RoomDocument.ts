/**
 * A livechat room in the shape Rocket.Chat stores it (`rocketchat_room`) and its REST API returns it.
 * Written here because Rocket.Chat's own typings cannot be installed with npm. Dates are `Date` objects until the
 * envelope serialises them. Fields with no value are absent, never `null`.
 */
export interface UserRef {
	_id: string;
	username?: string;
	name?: string;
}

export interface RoomDocument {
	_id: string;
	t: string;
	fname?: string;
	name?: string;
	msgs?: number;
	usersCount?: number;
	lm?: Date;
	ts?: Date;
	_updatedAt?: Date;
	v?: { _id?: string; username?: string; token?: string; status?: string; [key: string]: unknown };
	servedBy?: UserRef;
	closedBy?: UserRef;
	responseBy?: UserRef;
	u?: UserRef;
	open?: boolean;
	waitingResponse?: boolean;
	onHold?: boolean;
	closedAt?: Date;
	closer?: string;
	departmentId?: string;
	departmentAncestors?: string[];
	tags?: string[];
	livechatData?: Record<string, unknown>;
	department?: { _id: string; name: string };
	[key: string]: unknown;
}
