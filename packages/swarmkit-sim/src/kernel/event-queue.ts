// A binary min-heap of timers ordered by (time, insertion sequence). Equal times run in the
// order they were scheduled, which is what makes ties deterministic. Cancelled timers stay
// in the heap and are skipped when they reach the top (lazy deletion keeps cancel O(1)).

export class Timer {
  cancelled = false;
  constructor(
    /** Simulated time (ms) at which the timer fires. */
    readonly at: number,
    /** Insertion sequence: the tiebreak between equal times. */
    readonly seq: number,
    readonly fn: () => void,
    readonly label: string | undefined,
    private readonly owner: EventQueue,
  ) {}

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.owner.live--;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export class EventQueue {
  private readonly heap: Timer[] = [];
  private nextSeq = 0;
  /** Timers scheduled and neither run nor cancelled. */
  live = 0;

  push(at: number, fn: () => void, label?: string): Timer {
    const t = new Timer(at, this.nextSeq++, fn, label, this);
    const heap = this.heap;
    let i = heap.length;
    heap.push(t);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (!before(t, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = t;
    this.live++;
    return t;
  }

  /** The earliest live timer, without removing it. */
  peek(): Timer | undefined {
    this.dropCancelled();
    return this.heap[0];
  }

  /** Removes and returns the earliest live timer. */
  pop(): Timer | undefined {
    this.dropCancelled();
    const t = this.removeTop();
    if (t) this.live--;
    return t;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.removeTop();
  }

  private removeTop(): Timer | undefined {
    const heap = this.heap;
    const n = heap.length;
    if (n === 0) return undefined;
    const top = heap[0];
    const last = heap.pop()!;
    if (n > 1) {
      const size = n - 1;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        const c = r < size && before(heap[r], heap[l]) ? r : l;
        if (!before(heap[c], last)) break;
        heap[i] = heap[c];
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }
}
