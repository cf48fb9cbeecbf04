// One fuzz seed as a sweep task: draw its case, run it, and report it as plain data (it
// crosses threads, and machines through JSON lines).
import { drawCase } from "./case";
import type { CoverageCounter } from "./coverage";
import { runFuzzCase } from "./run";

export interface FuzzSeedResult {
  seed: number;
  ok: boolean;
  violations: string[];
  coverage: Partial<Record<CoverageCounter, number>>;
  cluster: string;
  simSeconds: number;
  traceHash: string;
}

export function runFuzzSeed(seed: number): FuzzSeedResult {
  const r = runFuzzCase(drawCase(seed));
  // Only the counters that were hit: the JSON lines of 10^5 seeds stay small.
  const coverage = Object.fromEntries(Object.entries(r.coverage).filter(([, n]) => n !== 0));
  return {
    seed,
    ok: r.ok,
    violations: r.violations,
    coverage,
    cluster: r.cluster,
    simSeconds: r.simSeconds,
    traceHash: r.traceHash,
  };
}
