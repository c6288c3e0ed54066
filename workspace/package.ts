/** Packages the app with `rc-apps` when its sources are newer than the zip, as `npm start` and the tests need. */
import * as fs from 'fs';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runRcApps } = require('../scripts/rc-apps.js') as { runRcApps(appDir: string, args: string[], stdio?: string): { status: number; output: string } };

export const ROOT = path.resolve(__dirname, '..');

const APP_SOURCES = ['LivechatRoomsApp.ts', 'app.json', 'icon.png', 'src', 'i18n'];

function newest(file: string): number {
	if (!fs.existsSync(file)) return 0;
	const stat = fs.statSync(file);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return fs.readdirSync(file).reduce((latest, entry) => Math.max(latest, newest(path.join(file, entry))), stat.mtimeMs);
}

/** `<appDir>/dist/<nameSlug>_<version>.zip`, from its `app.json`. */
export function packagePath(appDir = ROOT): string {
	const info = JSON.parse(fs.readFileSync(path.join(appDir, 'app.json'), 'utf8')) as { nameSlug: string; version: string };
	return path.join(appDir, 'dist', `${info.nameSlug}_${info.version}.zip`);
}

/** The packaged app in `appDir`, rebuilt first if any of its sources changed since it was made. */
export function ensurePackage(log: (line: string) => void = () => undefined, appDir = ROOT, sources = APP_SOURCES): Buffer {
	const zip = packagePath(appDir);
	const sourcesChanged = sources.reduce((latest, file) => Math.max(latest, newest(path.join(appDir, file))), 0);
	if (!fs.existsSync(zip) || fs.statSync(zip).mtimeMs < sourcesChanged) {
		log('Packaging the app (rc-apps package)...');
		const result = runRcApps(appDir, ['package'], 'pipe');
		if (result.status !== 0 || !fs.existsSync(zip)) throw new Error(`rc-apps package failed:\n${result.output}`);
	}
	return fs.readFileSync(zip);
}
