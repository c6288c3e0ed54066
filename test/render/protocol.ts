/** What the browser page and the Node side of the UIKit renderer say to each other (no DOM, no Node types). */

/** The UIKit surfaces the published renderer has. */
export type Surface = 'message' | 'modal';

/** One rendering: the surface, the blocks, and what went wrong while the renderer showed them. */
export interface RenderReport {
	/** Errors caught by the page's error boundary, and blocks or elements the renderer showed as nothing. */
	readonly problems: string[];
	/** How many blocks were asked for, and how many the surface shows. */
	readonly blocks: number;
	readonly rendered: number;
	/** The surface's text as a person reads it (`innerText`). */
	readonly text: string;
}

/** What is drawn around a message for a picture: the typed command above, the sender's name beside the blocks. */
export interface Frame {
	readonly command?: string;
	readonly sender?: string;
}

/** The function the page puts on `window`. */
export type RenderFunction = (surface: Surface, blocks: unknown[], frame?: Frame) => Promise<RenderReport>;

/** The name it goes by there. */
export const RENDER_GLOBAL = 'renderUiKit';
