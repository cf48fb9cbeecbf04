// Call deadlines shared by every RPC client of a simulation. A timer per call (or per client)
// costs the event queue one event per heartbeat although nearly every call is answered long
// before its deadline. Calls with the same timeout are made in simulated-time order, so their
// deadlines come in order too: one FIFO per timeout value, and one kernel timer per FIFO, armed
// at the first deadline of a call still unanswered. Answered calls are simply skipped.
import type { Timer } from "../kernel/event-queue";
import type { Sim } from "../kernel/sim";

/** A call that can expire: `done` once answered or failed; `expire` runs at its deadline. */
export interface Expiring {
  done: boolean;
  /** Simulated time (not the machine's clock) at which the call's deadline passes. */
  readonly expiresAt: number;
  expire(): void;
}

export class DeadlineFifo {
  private items: Expiring[] = [];
  private head = 0;
  private timer: Timer | null = null;
  /** Set while expiring calls: calls made meanwhile are covered by the re-arm at the end. */
  private firing = false;

  constructor(private readonly sim: Sim) {}

  add(e: Expiring): void {
    this.items.push(e);
    if (!this.timer && !this.firing) this.arm();
  }

  /** Arms the timer at the first unanswered call's deadline (dropping answered ones). */
  private arm(): void {
    const items = this.items;
    while (this.head < items.length && items[this.head].done) this.head++;
    if (this.head === items.length) {
      this.items = [];
      this.head = 0;
      return;
    }
    if (this.head > 1024 && this.head * 2 > items.length) {
      this.items = items.slice(this.head);
      this.head = 0;
    }
    const at = this.items[this.head].expiresAt;
    this.timer = this.sim.after(Math.max(0, at - this.sim.now()), this.fire);
  }

  private readonly fire = (): void => {
    this.timer = null;
    this.firing = true;
    const now = this.sim.now();
    const items = this.items;
    try {
      while (this.head < items.length && items[this.head].expiresAt <= now) {
        const e = items[this.head++];
        if (!e.done) e.expire();
      }
    } finally {
      this.firing = false;
      this.arm();
    }
  };
}

const fifos = new WeakMap<Sim, Map<number, DeadlineFifo>>();

/** The FIFO of calls whose deadline is `timeoutMs` after they are made, in this simulation. */
export function deadlinesFor(sim: Sim, timeoutMs: number): DeadlineFifo {
  let bySim = fifos.get(sim);
  if (!bySim) fifos.set(sim, (bySim = new Map()));
  let fifo = bySim.get(timeoutMs);
  if (!fifo) bySim.set(timeoutMs, (fifo = new DeadlineFifo(sim)));
  return fifo;
}
