// Ephemeral ports and connection ids, unique within one simulation (not per process, so that
// two runs of the same seed in one process see the same numbers).
import type { World } from "../kernel/machine";

const counters = new WeakMap<World, { port: number; conn: number }>();

function state(sim: World): { port: number; conn: number } {
  let s = counters.get(sim);
  if (!s) counters.set(sim, (s = { port: 32768, conn: 0 }));
  return s;
}

export function ephemeralPort(sim: World): number {
  return state(sim).port++;
}

export function newConnId(sim: World): number {
  return ++state(sim).conn;
}
