/** The best rooms of a stream, kept in a bounded heap: what a page of an ordered answer needs, and no more. */
/** A binary heap of the best rooms so far, worst on top, holding at most `limit` of them (all when `Infinity`). */
export class BestRooms<T> {
	private readonly heap: T[] = [];

	constructor(
		private readonly compare: (a: T, b: T) => number,
		private readonly limit: number,
	) {}

	/** Keeps the room if it is among the best; answers the room that left (the room itself when it was not kept). */
	offer(room: T): T | undefined {
		const heap = this.heap;
		if (this.limit === Infinity) heap.push(room);
		else if (heap.length < this.limit) {
			heap.push(room);
			this.siftUp(heap.length - 1);
		} else if (heap.length > 0 && this.compare(room, heap[0]) < 0) {
			const worst = heap[0];
			heap[0] = room;
			this.siftDown(0);
			return worst;
		} else return room;
		return undefined;
	}

	/** How many rooms are held. */
	get size(): number {
		return this.heap.length;
	}

	/** Every kept room, best first. */
	sorted(): T[] {
		return this.heap.sort(this.compare);
	}

	private siftUp(index: number): void {
		const heap = this.heap;
		const room = heap[index];
		while (index > 0) {
			const parent = (index - 1) >> 1;
			if (this.compare(room, heap[parent]) <= 0) break;
			heap[index] = heap[parent];
			index = parent;
		}
		heap[index] = room;
	}

	private siftDown(index: number): void {
		const heap = this.heap;
		const length = heap.length;
		const room = heap[index];
		for (;;) {
			let child = 2 * index + 1;
			if (child >= length) break;
			if (child + 1 < length && this.compare(heap[child + 1], heap[child]) > 0) child++;
			if (this.compare(heap[child], room) <= 0) break;
			heap[index] = heap[child];
			index = child;
		}
		heap[index] = room;
	}
}
