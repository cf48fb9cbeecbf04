// Call deadlines shared by every RPC client of a simulation. A timer per call (or per client)
// costs the event queue one event per heartbeat although nearly every call is answered long
// before its deadline. Calls with the same timeout are made in simulated-time order, so their
// deadlines come in order too: one FIFO per timeout value, and one kernel timer per FIFO, armed
// at the first deadline of a call still unanswered. An answered call is released from its slot
// at once: the FIFO then never touches it again (at 10^4 clients it would be a cache miss per
// call, 5 s later), and it can die young instead of being kept alive for its whole timeout.
import type { Timer } from "../kernel/event-queue";
import type { World } from "../kernel/machine";

/** A call that can expire: `expire` runs at its deadline unless the call was released first. */
export interface Expiring {
  /** Simulated time (not the machine's clock) at which the call's deadline passes. */
  readonly expiresAt: number;
  expire(): void;
}

export class DeadlineFifo {
  /** Calls by slot; a released slot holds undefined. items[i] is slot `base + i`. */
  private items: (Expiring | undefined)[] = [];
  private head = 0;
  private base = 0;
  private timer: Timer | null = null;
  /** Set while expiring calls: calls made meanwhile are covered by the re-arm at the end. */
  private firing = false;

  constructor(private readonly sim: World) {}

  /** Queues a call; returns its slot, for `release`. */
  add(e: Expiring): number {
    const slot = this.base + this.items.length;
    this.items.push(e);
    if (!this.timer && !this.firing) this.arm();
    return slot;
  }

  /** Forgets an answered call (its slot, as `add` returned it). */
  release(e: Expiring, slot: number): void {
    const i = slot - this.base;
    if (i >= this.head && i < this.items.length && this.items[i] === e) this.items[i] = undefined;
  }

  /** Arms the timer at the first unanswered call's deadline (dropping answered ones). */
  private arm(): void {
    const items = this.items;
    let head = this.head;
    while (head < items.length && items[head] === undefined) head++;
    this.head = head;
    if (head === items.length) {
      this.base += items.length;
      this.items = [];
      this.head = 0;
      return;
    }
    if (head > 1024 && head * 2 > items.length) {
      this.items = items.slice(head);
      this.base += head;
      this.head = 0;
    }
    const at = this.items[this.head]!.expiresAt;
    this.timer = this.sim.after(Math.max(0, at - this.sim.now()), this.fire);
  }

  private readonly fire = (): void => {
    this.timer = null;
    this.firing = true;
    const now = this.sim.now();
    const items = this.items;
    try {
      while (this.head < items.length) {
        const e = items[this.head];
        if (e !== undefined && e.expiresAt > now) break;
        this.head++;
        if (e !== undefined) e.expire();
      }
    } finally {
      this.firing = false;
      this.arm();
    }
  };
}

const fifos = new WeakMap<World, Map<number, DeadlineFifo>>();

/** The FIFO of calls whose deadline is `timeoutMs` after they are made, in this simulation. */
export function deadlinesFor(sim: World, timeoutMs: number): DeadlineFifo {
  let bySim = fifos.get(sim);
  if (!bySim) fifos.set(sim, (bySim = new Map()));
  let fifo = bySim.get(timeoutMs);
  if (!fifo) bySim.set(timeoutMs, (fifo = new DeadlineFifo(sim)));
  return fifo;
}
