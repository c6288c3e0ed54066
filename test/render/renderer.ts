/**
 * Rocket.Chat's UIKit renderer in headless Chromium, for tests and the pictures in docs/: the page in `page/` is
 * bundled with esbuild into a temporary folder, a headless Chromium (the one `@sparticuz/chromium` ships, or
 * `CHROMIUM=/path`: see `chromium.ts`) opens it from disk (every network request is refused), and `render` shows
 * blocks on a UIKit surface and reports what the renderer rejected.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { build } from 'esbuild';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

import { chromiumExecutable } from './chromium';
import type { Frame, RenderFunction, RenderReport, Surface } from './protocol';
import { RENDER_GLOBAL } from './protocol';

const FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Where the page seems to come from; nothing listens there. */
const PAGE_ORIGIN = 'http://uikit-page.invalid';

/** Width of the chat column the pictures show. */
const WIDTH = 720;

const STYLE = `
body { margin: 0; background: #fff; font-family: Inter, "Noto Sans", "DejaVu Sans", sans-serif; }
#root { width: ${WIDTH}px; padding-block: 12px; }
#probes { position: absolute; left: -${WIDTH * 2}px; top: 0; width: ${WIDTH}px; }
.md > div + div { margin-block-start: 4px; }
.md ul, .md ol { margin: 0; padding-inline-start: 20px; }
.md-code { font-family: Menlo, Monaco, Consolas, "Liberation Mono", monospace; font-size: 0.9em; background: #f7f8fa;
  border: 1px solid #cbced1; border-radius: 2px; padding: 0 4px; }
.md-link { color: #095ad2; text-decoration: none; }
.md-mention { color: #095ad2; background: #e8f2ff; border-radius: 2px; padding: 0 2px; font-weight: 600; }
`;

/** Bundles the page (React, fuselage, its styles and icon font) into `dir`; answers the page's file. */
export async function buildPage(dir: string): Promise<string> {
	await build({
		entryPoints: [path.join(__dirname, 'page', 'main.tsx')],
		outdir: dir,
		bundle: true,
		format: 'iife',
		platform: 'browser',
		target: 'chrome100',
		jsx: 'transform',
		loader: { '.eot': 'file', '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.svg': 'file' },
		// React's development build: it reports misuse (keys, props) on the console, which `render` counts.
		define: { 'process.env.NODE_ENV': '"development"' },
		logLevel: 'error',
	});
	const html = path.join(dir, 'index.html');
	fs.writeFileSync(
		html,
		`<!doctype html><meta charset="utf-8"><link rel="stylesheet" href="main.css"><style>${STYLE}</style><div id="root"></div><div id="probes"></div><script src="main.js"></script>`,
	);
	return html;
}

/** A rendering, plus what the page wrote on the console meanwhile. */
export interface Rendering extends RenderReport {
	/** Console errors and uncaught page errors. */
	readonly consoleErrors: string[];
	/** What the blocks tried to load from outside the page (refused). */
	readonly refused: string[];
}

/** True when the renderer accepted every block: no problem, no console error, nothing loaded from outside. */
export const accepted = (rendering: Rendering): boolean =>
	rendering.problems.length === 0 && rendering.consoleErrors.length === 0 && rendering.refused.length === 0;

export class UiKitRenderer {
	private consoleErrors: string[] = [];
	private refused: string[] = [];

	private constructor(
		private readonly dir: string,
		private readonly context: BrowserContext,
		private readonly page: Page,
	) {
		page.on('console', (message) => {
			if (message.type() === 'error') this.consoleErrors.push(message.text());
		});
		page.on('pageerror', (error) => this.consoleErrors.push(String(error)));
	}

	/**
	 * Bundles the page and opens it in one Chromium (a new, empty profile); `close` removes both. `executable`:
	 * `CHROMIUM` when set, else the Chromium of `@sparticuz/chromium`.
	 */
	public static async open(executable?: string): Promise<UiKitRenderer> {
		executable ??= await chromiumExecutable();
		if (!fs.existsSync(executable)) {
			throw new Error(`No Chromium at ${executable}: CHROMIUM must name a Chromium binary, or be left unset to use the one from @sparticuz/chromium`);
		}
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uikit-render-'));
		try {
			const html = await buildPage(path.join(dir, 'page'));
			const context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
				executablePath: executable,
				headless: true,
				args: FLAGS,
				viewport: { width: WIDTH, height: 400 },
				deviceScaleFactor: 1,
				timeout: 30000,
			});
			try {
				const page = context.pages()[0] ?? (await context.newPage());
				const renderer = new UiKitRenderer(dir, context, page);
				// The page's files are answered from disk under a made-up origin (React reports errors thrown on a
				// file:// page as cross-origin, without their message); every other request is refused.
				await context.route('**/*', (route) => {
					const url = new URL(route.request().url());
					if (url.origin !== PAGE_ORIGIN) {
						renderer.refused.push(route.request().url());
						return route.abort();
					}
					const file = path.join(path.dirname(html), path.normalize(decodeURIComponent(url.pathname)));
					return fs.existsSync(file) ? route.fulfill({ path: file }) : route.fulfill({ status: 404 });
				});
				await page.goto(`${PAGE_ORIGIN}/${path.basename(html)}`);
				await page.waitForFunction((name) => name in globalThis, RENDER_GLOBAL, { timeout: 30000 });
				return renderer;
			} catch (error) {
				await context.close();
				throw error;
			}
		} catch (error) {
			fs.rmSync(dir, { recursive: true, force: true });
			throw error;
		}
	}

	/** Shows `blocks` on `surface` (and, around a message, `frame`), and reports what the renderer rejected. */
	public async render(blocks: unknown[], surface: Surface = 'message', frame: Frame = {}): Promise<Rendering> {
		// A round trip delivers what the page reported before it (events and answers come in order).
		await this.page.evaluate('0');
		this.consoleErrors = [];
		this.refused = [];
		const report = await this.page.evaluate(([name, args]) => (globalThis as unknown as Record<string, RenderFunction>)[name](...args), [
			RENDER_GLOBAL,
			[surface, blocks, frame],
		] as const);
		await this.page.evaluate('0');
		return { ...report, consoleErrors: [...this.consoleErrors], refused: [...this.refused] };
	}

	/** A PNG of what the last `render` showed. */
	public async screenshot(file: string): Promise<void> {
		await this.page.evaluate('document.fonts.ready.then(() => undefined)');
		await this.page.locator('#root').screenshot({ path: file });
	}

	public async close(): Promise<void> {
		try {
			await this.context.close();
		} finally {
			fs.rmSync(this.dir, { recursive: true, force: true });
		}
	}
}
