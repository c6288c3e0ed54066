import type { WorkspaceDepartment } from './types';

/**
 * A department by id or by name, as Rocket.Chat's `LivechatDepartment.findOneByIdOrName` finds it: the department
 * with that id, else the first one with that name. The department reader and the visitor registration both look
 * departments up this way.
 */
export function departmentByIdOrName(departments: readonly WorkspaceDepartment[], idOrName: string): WorkspaceDepartment | undefined {
	return departments.find((d) => d._id === idOrName) ?? departments.find((d) => d.name === idOrName);
}
