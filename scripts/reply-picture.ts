/**
 * Renders the slash command's answer, as the engine delivers it, into an HTML page shaped like a Rocket.Chat message,
 * for the README's picture. Runs the real app in the local workspace on the demo data.
 *
 *   node -r ts-node/register/transpile-only scripts/reply-picture.ts > reply.html
 *   chromium --headless --no-sandbox --disable-gpu --screenshot=docs/command-reply.png --window-size=680,400 reply.html
 */
import { startWorkspace } from '../workspace';
import { demoData } from '../workspace/data/demo';

interface Block {
	type: string;
	text?: { text: string };
	elements?: Array<{ text: string }>;
}

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Just enough of Rocket.Chat's markdown for the answer: escapes, bold, code and links. */
function markdown(text: string): string {
	let html = escapeHtml(text.replace(/\u200b/g, ''));
	html = html.replace(/`([^`]+)`/g, '<code>$1</code>');
	html = html.replace(/\[([^\]]+)\]\(([^)]+)\)/g, '<a href="$2">$1</a>');
	html = html.replace(/(^|\s)\*([^*]+)\*/g, '$1<b>$2</b>');
	return html.replace(/\\([\\`*_~#.:@<\]+])/g, '$1');
}

function render(blocks: Block[]): string {
	return blocks
		.map((block) => {
			if (block.type === 'divider') return '<hr>';
			if (block.type === 'context') return `<div class="context">${(block.elements ?? []).map((e) => markdown(e.text)).join(' ')}</div>`;
			return `<div class="section">${markdown(block.text?.text ?? '')}</div>`;
		})
		.join('\n');
}

async function main(): Promise<void> {
	const data = demoData({});
	const running = await startWorkspace({ data, port: 3000 });
	try {
		const manager = data.users.find((u) => u.roles.includes('livechat-manager'));
		if (!manager) throw new Error('no manager in the demo data');
		const params = process.argv[2] ?? 'status=all count=4';
		const res = await fetch(`${running.url}/api/v1/commands.run`, {
			method: 'POST',
			headers: { 'X-User-Id': manager._id, 'X-Auth-Token': manager.authToken, 'Content-Type': 'application/json' },
			body: JSON.stringify({ command: 'livechat-rooms', params }),
		});
		const body = (await res.json()) as { notifications: Array<{ blocks: Block[] }> };
		process.stdout.write(`<!doctype html><meta charset="utf-8"><style>
body{font:15px/1.45 -apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#2f343d;margin:0;background:#fff}
.msg{display:flex;gap:10px;padding:16px 20px}.avatar{width:36px;height:36px;border-radius:6px;background:#f5455c;flex:none}
.who b{margin-right:6px}.who span{color:#9ea2a8;font-size:12px}.only{color:#9ea2a8;font-size:12px;margin:2px 0 6px}
.section{margin:6px 0 0}.context{color:#6c727a;font-size:13px}hr{border:0;border-top:1px solid #e4e7ea;margin:8px 0}
a{color:#1d74f5;text-decoration:none}code{background:#f2f3f5;border:1px solid #e4e7ea;border-radius:3px;padding:0 4px;font-size:13px}
.typed{padding:10px 20px;border-bottom:1px solid #e4e7ea;color:#6c727a;font-size:13px}
</style><div class="typed">${escapeHtml(manager.username)} typed <code>/livechat-rooms ${escapeHtml(params)}</code></div>
<div class="msg"><div class="avatar"></div><div><div class="who"><b>Livechat Rooms</b><span>App · 12:00</span></div>
<div class="only">Only you can see this message</div>${render(body.notifications[0].blocks)}</div></div>`);
	} finally {
		await running.stop();
	}
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
