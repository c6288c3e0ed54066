// Offline stand-in for `jsr:@std/cli/parse-args`, covering what the Apps-Engine's Deno runtime uses:
// `--key value`, `--key=value` and bare `--flag`; numeric values become numbers, as in @std/cli.
export function parseArgs(args: string[]): Record<string, unknown> {
	const out: Record<string, unknown> = { _: [] as string[] };
	const coerce = (value: string): unknown => (/^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value);
	for (let i = 0; i < args.length; i++) {
		const arg = args[i];
		if (!arg.startsWith('--')) {
			(out._ as string[]).push(arg);
			continue;
		}
		const body = arg.slice(2);
		const eq = body.indexOf('=');
		if (eq >= 0) {
			out[body.slice(0, eq)] = coerce(body.slice(eq + 1));
		} else if (i + 1 < args.length && !args[i + 1].startsWith('--')) {
			out[body] = coerce(args[++i]);
		} else {
			out[body] = true;
		}
	}
	return out;
}
