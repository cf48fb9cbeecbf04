// The kernel's event queue: events ordered by (time, insertion sequence). Equal times run in
// the order they were scheduled, which is what makes ties deterministic. Cancelled events stay
// queued and are skipped when they come up (lazy deletion keeps cancel O(1)).
//
// Two tiers, because a 10^4-machine swarm keeps ~2x10^4 events pending (a heartbeat timer per
// node, calls in flight) and a heap that large costs a cache miss per level on every push and
// pop. Only the events due before a horizon sit in a heap (a few dozen: the next 16 ms);
// later ones wait unsorted in a ring of 16 ms buckets covering the next ~16 s, and the rare
// ones beyond it (certificate renewals, long timeouts) in a second heap. When the near heap
// runs dry the horizon moves one bucket on and that bucket's events join the heap, keeping the
// sequence numbers they got when queued: the order is exactly the single heap's.
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

/** Width of a bucket of the ring (ms of simulated time). */
const BUCKET_MS = 16;
/** Buckets in the ring: it covers the next BUCKET_MS x RING_SIZE ms (~16 s). */
const RING_SIZE = 1024;

export class EventQueue {
  /** Every queued event due before `horizon`, in order. */
  private readonly near = new EventHeap();
  /** Events due from `horizon` on, within the ring's span: bucket b holds [b, b+1) x BUCKET_MS. */
  private readonly ring: QueuedEvent[][] = Array.from({ length: RING_SIZE }, () => []);
  /** Events in the ring (cancelled ones included, until their bucket is emptied). */
  private inRing = 0;
  /** Events due at or after the ring's span, in order. */
  private readonly far = new EventHeap();
  /** The bucket the horizon starts: horizon = firstBucket x BUCKET_MS. */
  private firstBucket = 0;
  private horizon = 0;
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
    e.at = at;
    e.seq = this.nextSeq++;
    e.owner = this;
    this.live++;
    this.file(e);
  }

  /** Puts a queued event in its tier. */
  private file(e: QueuedEvent): void {
    const at = e.at;
    if (at < this.horizon) {
      this.near.insert(e);
      return;
    }
    const bucket = Math.floor(at / BUCKET_MS);
    if (bucket < this.firstBucket + RING_SIZE) {
      this.ring[bucket % RING_SIZE].push(e);
      this.inRing++;
    } else {
      this.far.insert(e);
    }
  }

  /** Removes and returns the earliest live event. */
  pop(): QueuedEvent | undefined {
    return this.popUntil(Number.POSITIVE_INFINITY);
  }

  /** Removes and returns the earliest live event if it is due at or before `end`. */
  popUntil(end: number): QueuedEvent | undefined {
    const near = this.near;
    for (;;) {
      while (near.size > 0 && near.top()!.cancelled) near.removeTop();
      if (near.size > 0) break;
      // Everything left is due at or after the horizon.
      if (this.horizon > end || !this.advance(end)) return undefined;
    }
    if (near.topAt() > end) return undefined;
    const e = near.removeTop();
    e.fired = true;
    this.live--;
    return e;
  }

  /**
   * Moves the horizon on to the next bucket holding events (or, with the ring empty, straight to
   * the far heap's first event) and brings that bucket's live events into the near heap. False
   * when nothing is left that is due by `end`: the horizon then stays at most one bucket past
   * `end` (jumping it to a far event would send every event queued meanwhile to the near heap).
   */
  private advance(end: number): boolean {
    if (this.inRing === 0) {
      const far = this.far;
      while (far.size > 0 && far.top()!.cancelled) far.removeTop();
      if (far.size === 0) return false;
      const next = far.topAt();
      if (next > end) return false;
      if (next === Number.POSITIVE_INFINITY) {
        // Only events at the end of time are left: they all go to the heap, in order.
        this.horizon = next;
        while (far.size > 0) this.near.insert(far.removeTop());
        return true;
      }
      // The ring is empty, so it can start anywhere: at the next event's bucket.
      this.firstBucket = Math.floor(next / BUCKET_MS);
      this.refillFromFar();
    }
    // Pass over empty buckets in one go (a quiet swarm has one event a second or less, and
    // moving bucket by bucket cost ~30 ns each: most of a two-month run), but not past the
    // bucket holding `end`, as the bucket-by-bucket walk would not either. The ring holds an
    // event, so a non-empty bucket comes within RING_SIZE. (advance runs only while the
    // horizon, the first bucket's start, is at or before `end`.)
    let first = this.firstBucket;
    if (this.ring[first % RING_SIZE].length === 0) {
      const lastBucket = Math.floor(end / BUCKET_MS);
      do first++;
      while (first <= lastBucket && this.ring[first % RING_SIZE].length === 0);
      this.firstBucket = first;
      if (first > lastBucket) {
        this.refillFromFar();
        return false;
      }
    }
    const bucket = this.ring[first % RING_SIZE];
    this.inRing -= bucket.length;
    for (const e of bucket) if (!e.cancelled) this.near.insert(e);
    bucket.length = 0;
    this.firstBucket++;
    this.refillFromFar();
    return true;
  }

  /** Sets the horizon at the ring's first bucket and files the far events its span covers. */
  private refillFromFar(): void {
    const far = this.far;
    const spanEnd = (this.firstBucket + RING_SIZE) * BUCKET_MS;
    this.horizon = this.firstBucket * BUCKET_MS;
    while (far.size > 0 && far.topAt() < spanEnd) {
      const e = far.removeTop();
      if (e.cancelled) continue;
      this.ring[Math.floor(e.at / BUCKET_MS) % RING_SIZE].push(e);
      this.inRing++;
    }
  }
}

/**
 * A 4-ary min-heap of queued events by (at, seq). The keys live in typed arrays beside the
 * events, so sifting compares numbers in contiguous memory instead of chasing a pointer per
 * comparison; four children per node halve the levels, and a node's children sit side by side.
 */
class EventHeap {
  private times = new Float64Array(64);
  private seqs = new Float64Array(64);
  private events: (QueuedEvent | undefined)[] = new Array(64);
  size = 0;

  top(): QueuedEvent | undefined {
    return this.events[0];
  }

  /** The earliest event's time (only when size > 0). */
  topAt(): number {
    return this.times[0];
  }

  insert(e: QueuedEvent): void {
    const at = e.at;
    const seq = e.seq;
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
  }

  removeTop(): QueuedEvent {
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
