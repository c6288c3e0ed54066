/**
 * The Chromium the rendering drives: `CHROMIUM=/path` names one, otherwise the headless Chromium that
 * `@sparticuz/chromium` (a pinned development dependency) ships compressed inside its npm package, so `npm ci` is all
 * a machine needs.
 *
 * The package's own `executablePath()` unpacks to one fixed file in the system's temp folder, shared by every user and
 * every version, and answers that file as soon as it exists, even while another process is still writing it. Here the
 * binary is unpacked (brotli, about 2.5 s) into a folder named for the package's version and the user, through a
 * private file renamed into place when complete: a run that finds it uses it, two runs at once cannot see half a file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pipeline } from 'stream/promises';
import { createBrotliDecompress } from 'zlib';

const PACKAGE = '@sparticuz/chromium';

/** The package's folder (its `exports` hide `package.json`, so it is found up from its entry point). */
function packageDir(): string {
	for (let dir = path.dirname(require.resolve(PACKAGE)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
		const manifest = path.join(dir, 'package.json');
		if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE) return dir;
	}
	throw new Error(`${PACKAGE} is not installed (npm ci installs it)`);
}

/** The version of `@sparticuz/chromium` that is installed. */
export function bundledChromiumVersion(): string {
	const manifest = JSON.parse(fs.readFileSync(path.join(packageDir(), 'package.json'), 'utf8')) as { version: string };
	return manifest.version;
}

/** Where the unpacked binary is kept between runs, under `root` (the system's temp folder). */
export function bundledChromiumPath(root = os.tmpdir()): string {
	const user = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username;
	return path.join(root, `livechat-rooms-chromium-${bundledChromiumVersion()}-${user}`, 'chromium');
}

/** The Chromium of `@sparticuz/chromium`, unpacked under `root` on first use; answers the binary's path. */
export async function bundledChromium(root = os.tmpdir()): Promise<string> {
	const binary = bundledChromiumPath(root);
	if (fs.existsSync(binary)) return binary;
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(`@sparticuz/chromium ships Chromium for Linux on x64 only; set CHROMIUM to a Chromium binary for ${process.platform}/${process.arch}`);
	}
	fs.mkdirSync(path.dirname(binary), { recursive: true, mode: 0o700 });
	const partial = `${binary}.${process.pid}-${Math.random().toString(36).slice(2)}.partial`;
	try {
		await pipeline(
			fs.createReadStream(path.join(packageDir(), 'bin', 'chromium.br')),
			createBrotliDecompress({ chunkSize: 2 ** 21 }),
			fs.createWriteStream(partial, { mode: 0o700 }),
		);
		fs.renameSync(partial, binary);
	} finally {
		fs.rmSync(partial, { force: true });
	}
	return binary;
}

/** `CHROMIUM` when set (it must exist), else the bundled Chromium. */
export async function chromiumExecutable(): Promise<string> {
	const named = process.env.CHROMIUM;
	return named ? named : bundledChromium();
}
