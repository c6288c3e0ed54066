/** The value a JSON text holds; undefined when the text is not JSON (an empty body, a plain-text answer). */
export function jsonOf(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
