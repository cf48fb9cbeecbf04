// A binary min-heap of timers ordered by (time, insertion sequence). Equal times run in the
// order they were scheduled, which is what makes ties deterministic. Cancelled timers stay
// in the heap and are skipped when they reach the top (lazy deletion keeps cancel O(1)).
// The keys live in typed arrays beside the timers, so sifting compares numbers in contiguous
// memory instead of chasing a pointer per comparison (it matters with 10^4+ pending events).

export class Timer {
  cancelled = false;
  /** Set when the timer has been taken off the queue to run: cancelling it then is a no-op. */
  fired = false;
  constructor(
    /** Simulated time (ms) at which the timer fires. */
    readonly at: number,
    /** Insertion sequence: the tiebreak between equal times. */
    readonly seq: number,
    /** Called with `arg` when the timer fires. */
    readonly fn: (arg: any) => void,
    readonly label: string | undefined,
    private readonly owner: EventQueue,
    readonly arg: unknown = undefined,
  ) {}

  cancel(): void {
    if (this.cancelled || this.fired) return;
    this.cancelled = true;
    this.owner.live--;
  }
}

export class EventQueue {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private timers: (Timer | undefined)[] = new Array(1024);
  private size = 0;
  private nextSeq = 0;
  /** Timers scheduled and neither run nor cancelled. */
  live = 0;

  push<A>(at: number, fn: (arg: A) => void, label?: string, arg?: A): Timer {
    const seq = this.nextSeq++;
    const t = new Timer(at, seq, fn, label, this, arg);
    if (this.size === this.times.length) this.grow();
    const times = this.times;
    const seqs = this.seqs;
    const timers = this.timers;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p];
      if (pt < at || (pt === at && seqs[p] < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[p];
      timers[i] = timers[p];
      i = p;
    }
    times[i] = at;
    seqs[i] = seq;
    timers[i] = t;
    this.live++;
    return t;
  }

  /** Removes and returns the earliest live timer. */
  pop(): Timer | undefined {
    this.dropCancelled();
    if (this.size === 0) return undefined;
    const t = this.removeTop();
    t.fired = true;
    this.live--;
    return t;
  }

  /** Removes and returns the earliest live timer if it is due at or before `end`. */
  popUntil(end: number): Timer | undefined {
    this.dropCancelled();
    if (this.size === 0 || this.times[0] > end) return undefined;
    const t = this.removeTop();
    t.fired = true;
    this.live--;
    return t;
  }

  private dropCancelled(): void {
    while (this.size > 0 && this.timers[0]!.cancelled) this.removeTop();
  }

  private removeTop(): Timer {
    const times = this.times;
    const seqs = this.seqs;
    const timers = this.timers;
    const top = timers[0]!;
    const n = --this.size;
    if (n > 0) {
      const lt = times[n];
      const ls = seqs[n];
      const last = timers[n];
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n && (times[r] < times[l] || (times[r] === times[l] && seqs[r] < seqs[l]))) c = r;
        const ct = times[c];
        if (lt < ct || (lt === ct && ls < seqs[c])) break;
        times[i] = ct;
        seqs[i] = seqs[c];
        timers[i] = timers[c];
        i = c;
      }
      times[i] = lt;
      seqs[i] = ls;
      timers[i] = last;
    }
    timers[n] = undefined;
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
    this.timers.length = cap;
  }
}
