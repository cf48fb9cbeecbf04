// A scenario's claim holds at its default seed, and the run replays to the same trace hash.
import { expect } from "vitest";
import type { Scenario, ScenarioResult } from "../../src/scenario";
import { runYielding } from "./yielding";

export function holdsAndReplays(s: Scenario): ScenarioResult {
  const r = s.run(s.defaultSeed);
  expect(r.verdict, r.summary).toBe("holds");
  expect(s.run(s.defaultSeed).traceHash).toBe(r.traceHash);
  return r;
}

/** holdsAndReplays for a long scenario: its slices run with the event loop turning between them. */
export async function holdsAndReplaysYielding(s: Scenario): Promise<ScenarioResult> {
  if (!s.slices) throw new Error(`${s.name} has no slices: use holdsAndReplays`);
  const r = await runYielding(s.slices(s.defaultSeed));
  expect(r.verdict, r.summary).toBe("holds");
  expect((await runYielding(s.slices(s.defaultSeed))).traceHash).toBe(r.traceHash);
  return r;
}
