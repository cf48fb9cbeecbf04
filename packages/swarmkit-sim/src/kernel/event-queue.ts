// A 4-ary min-heap of events ordered by (time, insertion sequence). Equal times run in the
// order they were scheduled, which is what makes ties deterministic. Cancelled timers stay
// in the heap and are skipped when they reach the top (lazy deletion keeps cancel O(1)).
// The keys live in typed arrays beside the events, so sifting compares numbers in contiguous
// memory instead of chasing a pointer per comparison (it matters with 10^4+ pending events).
// Four children per node: half the levels of a binary heap, and a node's children sit side
// by side in the key arrays (one or two cache lines), so a pop from 2x10^4 events touches
// about half as many cache lines.
//
// An event is one object that knows how to run itself: a plain timer calls its function, a
// machine's timer first checks that the machine's incarnation is still alive, a network
// delivery is the message itself. One allocation per event, and no closure for the kernel's
// own events, is what keeps 10^4-machine swarms fast.

/** Something queued to happen at a simulated time. */
export abstract class QueuedEvent {
  /** Simulated time (ms) at which it runs. Set when it is queued. */
  at = 0;
  /** Insertion sequence: the tiebreak between equal times. Set when it is queued. */
  seq = 0;
  cancelled = false;
  /** Set when it has been taken off the queue to run: cancelling it then is a no-op. */
  fired = false;
  /** The queue holding it (null before it is queued). */
  owner: EventQueue | null = null;

  abstract run(): void;

  cancel(): void {
    if (this.cancelled || this.fired) return;
    this.cancelled = true;
    if (this.owner) this.owner.live--;
  }
}

/** A cancellable timer: calls `fn(arg)` when it fires. */
export class Timer extends QueuedEvent {
  constructor(
    /** Called with `arg` when the timer fires. */
    readonly fn: (arg: any) => void,
    readonly arg: unknown = undefined,
    readonly label: string | undefined = undefined,
  ) {
    super();
  }

  override run(): void {
    this.fn(this.arg);
  }
}

export class EventQueue {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private events: (QueuedEvent | undefined)[] = new Array(1024);
  private size = 0;
  private nextSeq = 0;
  /** Events queued and neither run nor cancelled. */
  live = 0;

  /** Queues a timer calling `fn(arg)` at `at`. */
  push<A>(at: number, fn: (arg: A) => void, label?: string, arg?: A): Timer {
    const t = new Timer(fn, arg, label);
    this.insert(t, at);
    return t;
  }

  /** Queues `e` to run at `at` (after everything already queued for that same time). */
  insert(e: QueuedEvent, at: number): void {
    const seq = this.nextSeq++;
    e.at = at;
    e.seq = seq;
    e.owner = this;
    if (this.size === this.times.length) this.grow();
    const times = this.times;
    const seqs = this.seqs;
    const events = this.events;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pt = times[p];
      if (pt < at || (pt === at && seqs[p] < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[p];
      events[i] = events[p];
      i = p;
    }
    times[i] = at;
    seqs[i] = seq;
    events[i] = e;
    this.live++;
  }

  /** Removes and returns the earliest live event. */
  pop(): QueuedEvent | undefined {
    return this.popUntil(Number.POSITIVE_INFINITY);
  }

  /** Removes and returns the earliest live event if it is due at or before `end`. */
  popUntil(end: number): QueuedEvent | undefined {
    while (this.size > 0 && this.events[0]!.cancelled) this.removeTop();
    if (this.size === 0 || this.times[0] > end) return undefined;
    const e = this.removeTop();
    e.fired = true;
    this.live--;
    return e;
  }

  private removeTop(): QueuedEvent {
    const times = this.times;
    const seqs = this.seqs;
    const events = this.events;
    const top = events[0]!;
    const n = --this.size;
    if (n > 0) {
      const lt = times[n];
      const ls = seqs[n];
      const last = events[n];
      let i = 0;
      for (;;) {
        const first = 4 * i + 1;
        if (first >= n) break;
        // The smallest of up to four children.
        let c = first;
        let ct = times[first];
        const end = Math.min(first + 4, n);
        for (let k = first + 1; k < end; k++) {
          const kt = times[k];
          if (kt < ct || (kt === ct && seqs[k] < seqs[c])) {
            c = k;
            ct = kt;
          }
        }
        if (lt < ct || (lt === ct && ls < seqs[c])) break;
        times[i] = ct;
        seqs[i] = seqs[c];
        events[i] = events[c];
        i = c;
      }
      times[i] = lt;
      seqs[i] = ls;
      events[i] = last;
    }
    events[n] = undefined;
    return top;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const times = new Float64Array(cap);
    times.set(this.times);
    const seqs = new Float64Array(cap);
    seqs.set(this.seqs);
    this.times = times;
    this.seqs = seqs;
    this.events.length = cap;
  }
}
