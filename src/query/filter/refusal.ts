/** How the `query` compiler refuses: a `Refusal` thrown while compiling, turned into a 400 at the top (`compile.ts`). */

/** A refusal, raised while compiling and turned into a `QueryError` at the top. */
export class Refusal {
	constructor(readonly message: string) {}
}

export function refuse(message: string): never {
	throw new Refusal(`Invalid query parameter: ${message}`);
}

export function unsupported(operator: string): never {
	return refuse(`operator ${JSON.stringify(operator)} is not supported`);
}
