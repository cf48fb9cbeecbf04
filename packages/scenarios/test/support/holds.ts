// A scenario's claim holds at its default seed, and the run replays to the same trace hash.
import { expect } from "vitest";
import type { Scenario, ScenarioResult } from "../../src/scenario";

export function holdsAndReplays(s: Scenario): ScenarioResult {
  const r = s.run(s.defaultSeed);
  expect(r.verdict, r.summary).toBe("holds");
  expect(s.run(s.defaultSeed).traceHash).toBe(r.traceHash);
  return r;
}
