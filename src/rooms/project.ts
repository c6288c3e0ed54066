/**
 * The `fields` parameter applied to a room as MongoDB applies a projection, and the department a room is listed with.
 * - Inclusion keeps the listed paths (and `_id` unless `"_id": 0`); exclusion drops them. Either way the room's own
 *   field order is kept.
 * - Dotted paths walk into sub-documents; through an array they apply to each element: in an inclusion, elements that
 *   are not sub-documents are dropped and a sub-document without the field stays as `{}`; in an exclusion, such
 *   elements stay as they are. A sub-path of a field that is not a sub-document (a string, a date) keeps nothing.
 * - Overlapping paths (`v` and `v.username`) are read as the wider one instead of MongoDB's "path collision" error.
 * The projection's tree is built once per projection (cached by identity) and reused for every room of the page.
 */
import type { Projection } from '../query/RoomQuery';
import { isDocument } from '../values/path';
import { setOwn } from './fromEngine';
import type { RoomDocument } from './RoomDocument';

/** `true`: the whole field; a map: only these sub-paths of it. */
type PathTree = Map<string, PathTree | true>;

const trees = new WeakMap<Projection, PathTree>();

function treeOf(projection: Projection): PathTree {
	let tree = trees.get(projection);
	if (tree) return tree;
	tree = new Map();
	for (const path of projection.paths) {
		const segments = path.split('.');
		let node = tree;
		for (let i = 0; i < segments.length; i++) {
			const segment = segments[i];
			if (i === segments.length - 1) {
				node.set(segment, true);
				break;
			}
			const child = node.get(segment);
			if (child === true) break;
			if (child) node = child;
			else {
				const created: PathTree = new Map();
				node.set(segment, created);
				node = created;
			}
		}
	}
	trees.set(projection, tree);
	return tree;
}

const NOTHING: unique symbol = Symbol('nothing');

function includeDocument(document: Record<string, unknown>, tree: PathTree): Record<string, unknown> {
	const kept: Record<string, unknown> = {};
	for (const key of Object.keys(document)) {
		const node = tree.get(key);
		if (node === undefined) continue;
		const value = node === true ? document[key] : includeValue(document[key], node);
		if (value !== NOTHING) setOwn(kept, key, value);
	}
	return kept;
}

function includeValue(value: unknown, tree: PathTree): unknown {
	if (Array.isArray(value)) {
		const kept: unknown[] = [];
		for (const element of value) {
			if (Array.isArray(element)) kept.push(includeValue(element, tree));
			else if (isDocument(element)) kept.push(includeDocument(element, tree));
		}
		return kept;
	}
	return isDocument(value) ? includeDocument(value, tree) : NOTHING;
}

function excludeDocument(document: Record<string, unknown>, tree: PathTree): Record<string, unknown> {
	const kept: Record<string, unknown> = {};
	for (const key of Object.keys(document)) {
		const node = tree.get(key);
		if (node === true) continue;
		setOwn(kept, key, node === undefined ? document[key] : excludeValue(document[key], node));
	}
	return kept;
}

function excludeValue(value: unknown, tree: PathTree): unknown {
	if (Array.isArray(value)) return value.map((element) => excludeValue(element, tree));
	return isDocument(value) ? excludeDocument(value, tree) : value;
}

/** The room as the `fields` projection shows it (MongoDB semantics, dotted paths, `_id` kept unless `"_id": 0`). */
export function project(room: RoomDocument, projection: Projection): Record<string, unknown> {
	const tree = treeOf(projection);
	const shown = projection.mode === 'include' ? includeDocument(room, tree) : excludeDocument(room, tree);
	if (!projection.keepId) delete shown._id;
	else if (projection.mode === 'include' && room._id !== undefined && !Object.prototype.hasOwnProperty.call(shown, '_id')) {
		return { _id: room._id, ...shown };
	}
	return shown;
}

/** The room with the department it belongs to (`department: {_id, name}`), when that department exists. */
export function withDepartment(room: RoomDocument, department?: { readonly _id: string; readonly name: string }): RoomDocument {
	if (!department) return room;
	return { ...room, department: { _id: department._id, name: department.name } };
}
