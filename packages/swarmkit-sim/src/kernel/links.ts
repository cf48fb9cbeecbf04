// What a link between two machines is like: its latency distribution, and its chances of loss,
// duplication and reordering. Each directed link the network has used keeps a LinkState.
import type { Random } from "./random";

export type Latency =
  | { kind: "fixed"; ms: number }
  | { kind: "uniform"; min: number; max: number }
  | { kind: "normal"; mean: number; stddev: number; floor: number };

export interface LinkConfig {
  latency: Latency;
  /** Chance that a message is dropped. */
  loss?: number;
  /** Chance that a message is delivered twice. */
  duplicate?: number;
  /** Chance that a message ignores FIFO order (gets an extra random delay). */
  reorder?: number;
}

export const DEFAULT_LINK: LinkConfig = { latency: { kind: "normal", mean: 0.25, stddev: 0.05, floor: 0.1 } };

export function sampleLatency(l: Latency, rng: Random): number {
  switch (l.kind) {
    case "fixed":
      return l.ms;
    case "uniform":
      return rng.range(l.min, l.max);
    case "normal":
      return Math.max(l.floor, rng.normal(l.mean, l.stddev));
  }
}

/** A directed link's state, cached per (from, to) machine pair so the hot path builds no keys. */
export interface LinkState {
  cfg: LinkConfig;
  /** The configuration generation `cfg` was resolved at. */
  generation: number;
  /** The latest arrival time scheduled on this link (FIFO). */
  lastArrival: number;
}
