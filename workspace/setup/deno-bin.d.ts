/** The `deno` binary shipped by the npm package `deno`, for this platform. */
export function denoBinary(): string;
