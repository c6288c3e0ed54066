// The few Node.js names the Apps-Engine's definitions mention, for the apps compiler only (see ../rc-apps.js).
// The app itself runs in Deno; of Node.js it uses only `zlib` and `Buffer`, which the runtime lets an app require.
interface Buffer extends Uint8Array {
	toString(encoding?: string): string;
}
declare var Buffer: { from(data: string | ArrayLike<number> | ArrayBufferLike | Uint8Array, encoding?: string): Buffer };
declare module 'url' {
	export type URL = globalThis.URL;
	export const URL: typeof globalThis.URL;
}
declare function require(name: string): unknown;
