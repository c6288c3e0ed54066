/**
 * A browser page that shows UIKit blocks with Rocket.Chat's published UIKit renderer (`@rocket.chat/fuselage-ui-kit`
 * over `@rocket.chat/fuselage`), and reports what the renderer rejected: errors (caught by an error boundary) and
 * blocks or elements it showed as nothing (the renderer drops unknown block types without a word).
 */
import '@rocket.chat/fuselage/dist/fuselage.css';
import '@rocket.chat/icons/dist/rocketchat.css';
// Rocket.Chat's font, from the page itself (fuselage names it first): the pictures do not depend on the machine's fonts.
import '@fontsource/inter/400.css';
import '@fontsource/inter/500.css';
import '@fontsource/inter/600.css';
import '@fontsource/inter/700.css';

import { Box } from '@rocket.chat/fuselage';
import { UiKitMessage, UiKitModal, kitContext, messageParser, modalParser } from '@rocket.chat/fuselage-ui-kit';
import type { LayoutBlock, TextObject } from '@rocket.chat/ui-kit';
import { BlockContext } from '@rocket.chat/ui-kit';
import * as React from 'react';
import * as ReactDOM from 'react-dom';

import type { Frame, RenderFunction, RenderReport, Surface } from '../protocol';
import { RENDER_GLOBAL } from '../protocol';
import { Markdown } from './markdown';

// Rocket.Chat's client plugs its markdown into the renderer the same way.
for (const parser of [messageParser, modalParser]) {
	parser.mrkdwn = ({ text }: TextObject, context: BlockContext, index: number) =>
		context === BlockContext.BLOCK || !text ? null : <Markdown key={index} text={text} />;
}

const SURFACES: Record<Surface, (blocks: readonly LayoutBlock[]) => React.ReactElement> = { message: UiKitMessage, modal: UiKitModal };

/** Buttons and selects call these; nothing is sent anywhere. */
const KIT_CONTEXT = { action: () => undefined, state: () => undefined, appId: 'livechat-rooms', values: {} };

class Boundary extends React.Component<{ onError: (error: Error) => void; children: React.ReactNode }, { failed: boolean }> {
	public state = { failed: false };

	public static getDerivedStateFromError(): { failed: boolean } {
		return { failed: true };
	}

	public componentDidCatch(error: Error): void {
		this.props.onError(error);
	}

	public render(): React.ReactNode {
		return this.state.failed ? <Box color="danger">The renderer failed on these blocks.</Box> : this.props.children;
	}
}

function Message({ frame, children }: { frame: Frame; children: React.ReactNode }): React.ReactElement {
	return (
		<Box>
			{frame.command && (
				<Box pi="x20" pb="x10" fontScale="c1" color="hint" borderBlockEndWidth="x1" borderBlockEndStyle="solid" borderBlockEndColor="neutral-300">
					typed <code className="md-code">{frame.command}</code>
				</Box>
			)}
			<Box display="flex" pi="x20" pb="x16">
				<Box flexShrink={0} size="x36" borderRadius="x4" bg="danger" mie="x8" />
				<Box flexGrow={1} minWidth={0}>
					<Box fontScale="p2b" color="default">
						{frame.sender ?? 'Livechat Rooms'}{' '}
						<Box is="span" fontScale="c1" color="hint">
							App · Only you can see this message
						</Box>
					</Box>
					<div data-surface="">{children}</div>
				</Box>
			</Box>
		</Box>
	);
}

/** Renders, then waits a frame and a task, so that effects have run (and started what they load). */
const draw = (container: Element, element: React.ReactElement): Promise<void> =>
	new Promise<void>((resolve) => ReactDOM.render(element, container, () => resolve()))
		.then(() => new Promise((resolve) => requestAnimationFrame(resolve)))
		.then(() => new Promise((resolve) => setTimeout(resolve, 0)));

/** Something a person would see: text, an image, a control or a rule. */
const showsSomething = (element: Element): boolean =>
	(element.textContent ?? '').trim() !== '' || element.querySelector('img, svg, hr, input, textarea, select, button') !== null;

/** One block alone, or one element of a context or actions block alone: each must show something. */
function probesOf(blocks: unknown[]): Array<{ label: string; block: unknown }> {
	return blocks.flatMap((block, index) => {
		const { type, elements } = (block ?? {}) as { type?: unknown; elements?: unknown };
		const label = `block ${index + 1} (${String(type)})`;
		const own = [{ label, block }];
		if ((type !== 'context' && type !== 'actions') || !Array.isArray(elements) || elements.length < 2) return own;
		return [
			...own,
			...elements.map((element, i) => ({
				label: `${label} element ${i + 1} (${String((element as { type?: unknown })?.type)})`,
				block: { ...(block as object), elements: [element] },
			})),
		];
	});
}

const render: RenderFunction = async (surface, blocks, frame = {}) => {
	const problems: string[] = [];
	const catcher = (label: string) => (error: Error) => problems.push(`${label}: ${error.message}`);
	const surfaceOf = SURFACES[surface];
	const show = (label: string, list: unknown[]) => (
		<kitContext.Provider value={KIT_CONTEXT}>
			<Boundary key={Math.random()} onError={catcher(label)}>
				{surfaceOf(list as LayoutBlock[])}
			</Boundary>
		</kitContext.Provider>
	);

	const root = document.getElementById('root') as HTMLElement;
	const probes = document.getElementById('probes') as HTMLElement;
	ReactDOM.unmountComponentAtNode(root);
	await draw(root, <Message frame={frame}>{show('surface', blocks)}</Message>);

	let rendered = 0;
	for (const probe of probesOf(blocks)) {
		const before = problems.length;
		ReactDOM.unmountComponentAtNode(probes);
		await draw(probes, show(probe.label, [probe.block]));
		const shown = showsSomething(probes);
		if (!probe.label.includes(' element ')) rendered += shown ? 1 : 0;
		if (!shown && problems.length === before) problems.push(`${probe.label}: the renderer showed nothing`);
	}
	ReactDOM.unmountComponentAtNode(probes);
	const text = (root.querySelector('[data-surface]') as HTMLElement | null)?.innerText ?? '';
	const report: RenderReport = { problems, blocks: blocks.length, rendered, text };
	return report;
};

(window as unknown as Record<string, RenderFunction>)[RENDER_GLOBAL] = render;
