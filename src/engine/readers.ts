/** The engine's readers as the core's plain interfaces: departments, `Site_Url`. */
import type { ILogger, IRead } from '@rocket.chat/apps-engine/definition/accessors';

import type { DepartmentLookup, DepartmentName } from '../ports';

/** Thrown when the engine answers `undefined`: the app lacks a permission `app.json` should declare. */
export class EngineAccessError extends Error {}

/** Looks a department up by id or name once per request, through the livechat reader (`livechat-department.read`). */
export function engineDepartments(read: IRead): DepartmentLookup {
	const reader = read.getLivechatReader();
	const cache = new Map<string, Promise<DepartmentName | undefined>>();
	return (idOrName: string) => {
		let found = cache.get(idOrName);
		if (!found) {
			found = reader
				.getLivechatDepartmentByIdOrName(idOrName)
				.then((department) => (department && department.id ? { _id: department.id, name: department.name ?? '' } : undefined));
			cache.set(idOrName, found);
		}
		return found;
	};
}

/**
 * The departments `getDepartmentsEnabledWithAgents()` lists (needs `livechat-department.multiple`); rejects when the
 * engine answers nothing (the permission is missing).
 */
export async function readEnabledDepartments(read: IRead): Promise<Array<{ _id: string; name: string }>> {
	const departments: unknown = await read.getLivechatReader().getDepartmentsEnabledWithAgents();
	if (!Array.isArray(departments)) throw new EngineAccessError('getDepartmentsEnabledWithAgents answered nothing');
	return departments
		.filter((department): department is { id: string; name?: string } => typeof department?.id === 'string')
		.map((department) => ({ _id: department.id, name: typeof department.name === 'string' ? department.name : '' }));
}

/**
 * `Site_Url` (needs `server-setting.read`), without its trailing slash; `''` when it cannot be read. Links are a
 * convenience: without them the reply still lists the same rooms, so this one reader may fall back (with a warning).
 */
export async function readSiteUrl(read: IRead, logger: ILogger): Promise<string> {
	try {
		const value: unknown = await read.getEnvironmentReader().getServerSettings().getValueById('Site_Url');
		return typeof value === 'string' ? value.trim().replace(/\/+$/, '') : '';
	} catch (error) {
		logger.warn('Site_Url could not be read; room links are left out', error);
		return '';
	}
}
