// Ephemeral ports and connection ids, unique within one simulation (not per process, so that
// two runs of the same seed in one process see the same numbers).
import type { Sim } from "../kernel/sim";

const counters = new WeakMap<Sim, { port: number; conn: number }>();

function state(sim: Sim): { port: number; conn: number } {
  let s = counters.get(sim);
  if (!s) counters.set(sim, (s = { port: 32768, conn: 0 }));
  return s;
}

export function ephemeralPort(sim: Sim): number {
  return state(sim).port++;
}

export function newConnId(sim: Sim): number {
  return ++state(sim).conn;
}
