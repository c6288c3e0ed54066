// The few Node.js names the Apps-Engine's definitions mention, for the apps compiler only (see ../rc-apps.js).
// The app itself runs in Deno and uses no Node.js API.
interface Buffer extends Uint8Array {}
declare var Buffer: { from(data: string | ArrayLike<number> | ArrayBufferLike, encoding?: string): Buffer };
declare module 'url' {
	export type URL = globalThis.URL;
	export const URL: typeof globalThis.URL;
}
