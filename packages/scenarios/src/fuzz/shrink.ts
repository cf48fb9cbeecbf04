// A failing seed, shrunk: fast-check draws the seed's case again (the first value of the
// arbitrary under that seed, which is what drawCase gives) and shrinks its cluster, workload
// and schedule to a smaller case that still fails.
import fc from "fast-check";
import { type FuzzCase, fuzzCaseArb } from "./case";
import { runFuzzCase } from "./run";
import type { FuzzBugs } from "./world";

export interface ShrinkResult {
  case: FuzzCase;
  violations: string[];
  /** Smaller failing cases found on the way. */
  steps: number;
}

/**
 * Shrinks the case of a failing fuzz seed. `timeLimitMs` bounds the wall time spent (the best
 * case so far is kept); null when the seed does not fail.
 */
export function shrinkSeed(
  seed: number,
  opts: { bugs?: FuzzBugs; timeLimitMs?: number } = {},
): ShrinkResult | null {
  let last: string[] = [];
  const out = fc.check(
    fc.property(fuzzCaseArb, (c) => {
      const r = runFuzzCase(c, { bugs: opts.bugs });
      if (!r.ok) last = r.violations;
      return r.ok;
    }),
    // wall-clock: fast-check's limit on how long the shrinking may take (it decides how far to
    // shrink, never what a simulation does).
    { seed, numRuns: 1, interruptAfterTimeLimit: opts.timeLimitMs ?? 120_000, markInterruptAsFailure: false },
  );
  if (!out.failed || !out.counterexample) return null;
  const smallest = out.counterexample[0];
  // The violations of the smallest case itself (the last run may have been a larger one).
  const r = runFuzzCase(smallest, { bugs: opts.bugs });
  return { case: smallest, violations: r.ok ? last : r.violations, steps: out.numShrinks };
}
