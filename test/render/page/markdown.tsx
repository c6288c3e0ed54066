/**
 * The markdown of `mrkdwn` text objects. The published renderer hands them back to the client as raw text, and
 * Rocket.Chat's client plugs its own message markdown into `messageParser.mrkdwn`; that markdown renderer is not
 * published, so this page parses with Rocket.Chat's own parser (`@rocket.chat/message-parser`) and turns its nodes
 * into plain elements. A node this page does not know throws, so the error boundary reports it: nothing is dropped.
 */
import { parse } from '@rocket.chat/message-parser';
import * as React from 'react';

/** A node of the parser's tree, as far as this page looks at it. */
interface Node {
	type: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	value?: any;
	unicode?: string;
	shortCode?: string;
	number?: number;
}

const list = (nodes: Node[] | Node | undefined): Node[] => (Array.isArray(nodes) ? nodes : nodes ? [nodes] : []);

function inline(node: Node, key: number): React.ReactNode {
	switch (node.type) {
		case 'PLAIN_TEXT':
			return <React.Fragment key={key}>{node.value}</React.Fragment>;
		case 'BOLD':
			return <strong key={key}>{inlines(node.value)}</strong>;
		case 'ITALIC':
			return <em key={key}>{inlines(node.value)}</em>;
		case 'STRIKE':
			return <del key={key}>{inlines(node.value)}</del>;
		case 'INLINE_CODE':
			return (
				<code key={key} className="md-code">
					{node.value.value}
				</code>
			);
		case 'LINK':
			return (
				<a key={key} href={node.value.src.value} className="md-link">
					{inlines(list(node.value.label))}
				</a>
			);
		case 'MENTION_USER':
			return (
				<span key={key} className="md-mention">
					@{node.value.value}
				</span>
			);
		case 'MENTION_CHANNEL':
			return (
				<span key={key} className="md-mention">
					#{node.value.value}
				</span>
			);
		case 'EMOJI':
			return <span key={key}>{node.unicode ?? `:${node.shortCode ?? node.value?.value}:`}</span>;
		case 'LINE_BREAK':
			return <br key={key} />;
		default:
			throw new Error(`markdown node ${node.type} is not shown by this page`);
	}
}

const inlines = (nodes: Node[]): React.ReactNode[] => nodes.map(inline);

function block(node: Node, key: number): React.ReactNode {
	switch (node.type) {
		case 'PARAGRAPH':
			return <div key={key}>{inlines(node.value)}</div>;
		case 'BIG_EMOJI':
			return <div key={key}>{inlines(node.value)}</div>;
		case 'LINE_BREAK':
			return <br key={key} />;
		case 'UNORDERED_LIST':
			return (
				<ul key={key}>
					{(node.value as Node[]).map((item, i) => (
						<li key={i}>{inlines(item.value)}</li>
					))}
				</ul>
			);
		case 'ORDERED_LIST':
			return (
				<ol key={key}>
					{(node.value as Node[]).map((item, i) => (
						<li key={i} value={item.number}>
							{inlines(item.value)}
						</li>
					))}
				</ol>
			);
		default:
			throw new Error(`markdown block ${node.type} is not shown by this page`);
	}
}

/** `text` as Rocket.Chat's parser reads it (no emoticons, as the UIKit renderer asks), one element per block. */
export function Markdown({ text }: { text: string }): React.ReactElement {
	const tree = parse(text, { emoticons: false }) as Node[];
	return <span className="md">{tree.map(block)}</span>;
}
