/**
 * Whether a value is a `Date`, from any realm. Dates cross realms in the workspace: a worker thread's messages arrive
 * as the receiving realm's dates, and under jest the workspace's own code runs in a sandbox realm of its own, so
 * `instanceof Date` would take a date for a plain object.
 */
export function isDate(value: unknown): value is Date {
	return Object.prototype.toString.call(value) === '[object Date]';
}
