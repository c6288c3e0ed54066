/** Packages the app with `rc-apps` when its sources are newer than the zip, as `npm start` and the tests need. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..');

const APP_SOURCES = ['LivechatRoomsApp.ts', 'app.json', 'icon.png', 'src', 'i18n'];

function newest(file: string): number {
	const stat = fs.statSync(file);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return fs.readdirSync(file).reduce((latest, entry) => Math.max(latest, newest(path.join(file, entry))), stat.mtimeMs);
}

/** `dist/<nameSlug>_<version>.zip`, from `app.json`. */
export function packagePath(): string {
	const info = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8')) as { nameSlug: string; version: string };
	return path.join(ROOT, 'dist', `${info.nameSlug}_${info.version}.zip`);
}

/** The packaged app, rebuilt first if any app source changed since it was made. */
export function ensurePackage(log: (line: string) => void = () => undefined): Buffer {
	const zip = packagePath();
	const sourcesChanged = APP_SOURCES.reduce((latest, file) => Math.max(latest, newest(path.join(ROOT, file))), 0);
	if (!fs.existsSync(zip) || fs.statSync(zip).mtimeMs < sourcesChanged) {
		log('Packaging the app (rc-apps package)...');
		const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'rc-apps.js'), 'package'], { cwd: ROOT, encoding: 'utf8' });
		if (result.status !== 0 || !fs.existsSync(zip)) {
			throw new Error(`rc-apps package failed:\n${result.stdout}\n${result.stderr}`);
		}
	}
	return fs.readFileSync(zip);
}
