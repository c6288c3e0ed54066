// Offline stand-in for `jsr:@std/io`: only `writeAll`, which the Apps-Engine's Deno runtime uses.
export async function writeAll(writer: { write(p: Uint8Array): Promise<number> }, data: Uint8Array): Promise<void> {
	let written = 0;
	while (written < data.length) {
		written += await writer.write(data.subarray(written));
	}
}
