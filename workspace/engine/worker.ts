/**
 * An instance in a worker thread: its own module registry, so its own `AppManager` and Deno runtime. Its bridges
 * reach the cluster's shared store, persistence and scheduler in the main thread over the thread's message port;
 * the main thread calls the instance's `EngineInstance` methods the same way.
 */
import { format } from 'util';
import { parentPort, workerData } from 'worker_threads';

import type { Host, RoomsAs } from './bridges';
import { plain } from './bridges';
import { Workspace } from './Workspace';
import type { Any } from '../loose';

export interface WorkerData {
	instance: number;
	roomsAs: RoomsAs;
}

const port = parentPort;
if (!port) throw new Error('worker.ts runs in a worker thread');
const { instance, roomsAs } = workerData as WorkerData;

// Errors and warnings go through the main thread's console, where the CLI prints them and tests can watch them.
for (const level of ['error', 'warn'] as const) {
	console[level] = (...args: unknown[]): void => port.postMessage({ kind: 'log', level, text: format(...args) });
}

let seq = 0;
const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

function callMain(target: string, method: string, args: unknown[]): Promise<Any> {
	const id = ++seq;
	return new Promise((resolve, reject) => {
		pending.set(id, { resolve, reject });
		port?.postMessage({ kind: 'host', id, target, method, args: plain(args) });
	});
}

const host: Host = {
	store: ((method: string, ...args: unknown[]) => callMain('store', method, args)) as Host['store'],
	persistence: ((method: string, ...args: unknown[]) => callMain('persistence', method, args)) as Host['persistence'],
	scheduler: ((method: string, ...args: unknown[]) => callMain('scheduler', method, args)) as Host['scheduler'],
};

const workspace = new Workspace(undefined, host, { instance, roomsAs });

port.on('message', (message: Any) => {
	if (message.kind === 'host-reply') {
		const waiting = pending.get(message.id);
		pending.delete(message.id);
		if (!waiting) return;
		if (message.error !== undefined) waiting.reject(new Error(message.error));
		else waiting.resolve(message.result);
		return;
	}
	if (message.kind === 'call') {
		const args = (message.args as unknown[]).map((arg) => (arg instanceof Uint8Array ? Buffer.from(arg) : arg));
		Promise.resolve()
			.then(() => (workspace as Any)[message.method](...args))
			.then(
				(result: unknown) => port.postMessage({ kind: 'reply', id: message.id, result: plain(result) }),
				(error: Error) => port.postMessage({ kind: 'reply', id: message.id, error: error?.message ?? String(error) }),
			);
	}
});

port.postMessage({ kind: 'ready' });
