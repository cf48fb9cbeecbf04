// A machine's processors as a queue of work in simulated time: `cores` servers, each operation
// a piece of work of some milliseconds of one core, started on the core that frees up first, in
// the order the operations arrive. An operation's effects happen when its work completes, so a
// saturated machine answers late. Two ways to use it:
//
//   run(ms, fn, lane?)  the work of `fn`: fn runs when the work is done. Operations of one lane
//                       (a connection, a component) take effect in order, as a goroutine's do.
//                       Work that would be done within QUANTUM_MS runs at once (its effect is
//                       at most that much early), unless its lane still waits: an idle machine
//                       adds no events and changes no timing.
//   charge(ms)          work that runs first, as if with priority (the Raft loop): it takes its
//                       core's time, so what queues after it waits longer, but it is not delayed.
//
// The kernel's files import one way: this one imports nothing; machine.ts owns one per machine.

/** Work that completes within this of now runs at once (the CPU's "scheduling quantum"). */
export const QUANTUM_MS = 1;

/** Operations that must take effect in the order they were submitted. */
export class CpuLane {
  /** Operations of the lane still waiting for their work to complete. */
  pending = 0;
  /** When the lane's last deferred operation takes effect. */
  lastEffectAt = 0;
}

export class Cpu {
  /** When each core is free again (simulated ms). */
  private readonly freeAt: number[];
  /** Core-milliseconds of work submitted since the machine was made. */
  private submittedMs = 0;

  constructor(
    readonly cores: number,
    private readonly now: () => number,
    /** Runs `fn` after `ms` on the machine (a timer that dies if the machine halts). */
    private readonly schedule: (ms: number, fn: () => void) => void,
  ) {
    if (!(cores >= 1)) throw new Error(`Cpu: cores must be >= 1, got ${cores}`);
    this.freeAt = new Array<number>(Math.floor(cores)).fill(0);
  }

  /** Queues `ms` of one core's work; returns when it will be done. */
  private place(ms: number): number {
    const free = this.freeAt;
    let core = 0;
    for (let i = 1; i < free.length; i++) if (free[i] < free[core]) core = i;
    const now = this.now();
    const end = Math.max(free[core], now) + ms;
    free[core] = end;
    this.submittedMs += ms;
    return end;
  }

  /** Runs `fn` once `ms` of work is done (see the file's comment). */
  run(ms: number, fn: () => void, lane?: CpuLane): void {
    const wait = this.admit(ms, lane);
    if (wait <= 0) fn();
    else this.defer(wait, fn, lane);
  }

  /**
   * Queues `ms` of work; returns how long until it takes effect, or 0 when the caller should
   * act at once (then nothing more is to be done). A positive wait must be passed to defer()
   * with the work's effect. (run() in two halves, so a hot path makes no closure when idle.)
   */
  admit(ms: number, lane?: CpuLane): number {
    const now = this.now();
    let effectAt = this.place(ms);
    if (lane !== undefined && lane.lastEffectAt > effectAt) effectAt = lane.lastEffectAt;
    const wait = effectAt - now;
    if (wait <= QUANTUM_MS && (lane === undefined || lane.pending === 0)) return 0;
    return wait > 0 ? wait : Number.MIN_VALUE;
  }

  /** Runs an admitted operation's effect after `wait` (admit's answer), in its lane's order. */
  defer(wait: number, fn: () => void, lane?: CpuLane): void {
    if (lane === undefined) {
      this.schedule(wait, fn);
      return;
    }
    lane.pending++;
    lane.lastEffectAt = this.now() + wait;
    this.schedule(wait, () => {
      lane.pending--;
      fn();
    });
  }

  /** Takes `ms` of a core's time without delaying the caller (work that has priority). */
  charge(ms: number): void {
    this.place(ms);
  }

  /** How long an operation submitted now would wait before a core starts it. */
  backlogMs(): number {
    const now = this.now();
    let min = Number.POSITIVE_INFINITY;
    for (const f of this.freeAt) if (f < min) min = f;
    return min > now ? min - now : 0;
  }

  /** Core-milliseconds of work completed by now (submitted work minus what is still queued). */
  doneMs(): number {
    const now = this.now();
    let queued = 0;
    for (const f of this.freeAt) if (f > now) queued += f - now;
    return this.submittedMs - queued;
  }

  /** The machine halted: its queued work died with its processes. */
  reset(): void {
    const now = this.now();
    for (let i = 0; i < this.freeAt.length; i++)
      if (this.freeAt[i] > now) {
        this.submittedMs -= this.freeAt[i] - now;
        this.freeAt[i] = now;
      }
  }
}

/**
 * Utilization of a machine's cores over a window, from two readings of `doneMs()` (0..1).
 */
export function utilization(cores: number, doneBefore: number, doneAfter: number, windowMs: number): number {
  return windowMs > 0 ? (doneAfter - doneBefore) / (cores * windowMs) : 0;
}
