/**
 * The index's packer at run time: raw deflate, then base64 (persistence holds strings). `zlib` and `Buffer` are among
 * the platform modules the engine's Deno runtime lets an app require. `zlib` is required when first used rather than
 * imported: the apps compiler resolves only a few platform modules at packaging time, and `zlib` is not among them.
 */
import type { Packer } from '../index/codec';

interface Zlib {
	deflateRawSync(data: Uint8Array): Uint8Array;
	inflateRawSync(data: Uint8Array): { toString(encoding: string): string };
}

let zlib: Zlib | undefined;

// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: required at run time, on purpose
const platformZlib = (): Zlib => (zlib ??= require('zlib') as Zlib);

export const zlibPacker: Packer = {
	pack: (text) => Buffer.from(platformZlib().deflateRawSync(Buffer.from(text, 'utf8'))).toString('base64'),
	unpack: (packed) => platformZlib().inflateRawSync(Buffer.from(packed, 'base64')).toString('utf8'),
	// A copy of exactly the packed bytes: zlib's result may sit in a much larger buffer, which would stay held with it.
	deflate: (text) => new Uint8Array(platformZlib().deflateRawSync(Buffer.from(text, 'utf8'))),
	inflate: (bytes) => platformZlib().inflateRawSync(bytes).toString('utf8'),
};
