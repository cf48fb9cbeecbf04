// The managers an agent may connect to, with weights from its experience of them (SwarmKit
// remotes.Remotes): a good session or a manager list naming a manager observes +10, a failure
// -10; each observation moves the weight halfway (exponential smoothing, clipped to ±256,
// rounded up). Select draws a manager at random in proportion to its weight (negative weights
// count as zero; a small bias keeps every manager possible), from the node's seeded stream.
import type { Random } from "../kernel/random";

/** remotes.DefaultObservationWeight. */
export const OBSERVATION_WEIGHT = 10;
const SMOOTHING = 0.5;
const WEIGHT_MAX = 256;
const BIAS = 0.001;

export class Remotes {
  private readonly weights = new Map<string, number>();

  constructor(
    private readonly random: Random,
    initial: readonly string[] = [],
  ) {
    for (const addr of initial) this.observe(addr, OBSERVATION_WEIGHT);
  }

  /** The known managers, in the order they were first seen. */
  list(): string[] {
    return [...this.weights.keys()];
  }

  weight(addr: string): number | undefined {
    return this.weights.get(addr);
  }

  observe(addr: string, weight: number): void {
    const w0 = this.weights.get(addr) ?? 0;
    const w1 = clip(weight);
    this.weights.set(addr, Math.ceil(clip(SMOOTHING * w1 + (1 - SMOOTHING) * w0)));
  }

  /** Observes only a manager already known (a failure of one since dropped changes nothing). */
  observeIfExists(addr: string, weight: number): void {
    if (this.weights.has(addr)) this.observe(addr, weight);
  }

  /** Keeps exactly the managers of `list`, each observed as good (a dispatcher's list). */
  replace(list: readonly string[]): void {
    const keep = new Set(list);
    for (const addr of [...this.weights.keys()]) if (!keep.has(addr)) this.weights.delete(addr);
    for (const addr of list) this.observe(addr, OBSERVATION_WEIGHT);
  }

  /** A manager drawn by weight, or "" when none is known. */
  select(): string {
    if (this.weights.size === 0) return "";
    let total = 0;
    for (const w of this.weights.values()) total += Math.max(0, w) + BIAS;
    let r = total * this.random.next();
    let last = "";
    for (const [addr, w] of this.weights) {
      last = addr;
      r -= Math.max(0, w) + BIAS;
      if (r < 0) return addr;
    }
    return last;
  }
}

function clip(x: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.max(-WEIGHT_MAX, Math.min(WEIGHT_MAX, x));
}
