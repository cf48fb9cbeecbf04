// A scenario is a named function of a seed: it builds a lab, runs steps, measures, and returns
// structured results with a verdict against the lecture claim it tests.

export type Verdict = "holds" | "fails";

export interface ScenarioResult {
  scenario: string;
  seed: number;
  verdict: Verdict;
  /** SHA-256 over the simulation's trace: same seed, same hash. */
  traceHash: string;
  /** What was measured, as numbers and small records (stable JSON). */
  measured: Record<string, unknown>;
  /** One or two sentences saying what was measured, for people. */
  summary: string;
}

export interface Scenario {
  /** Short, CLI-friendly: `swarm-sim run <name>`. */
  name: string;
  /** What the lecture says, quoted or closely paraphrased. */
  claim: string;
  /** Where in the lecture (slide title). */
  section: string;
  /** The seed `npm start` and `swarm-sim run` use when none is given. */
  defaultSeed: number;
  run(seed: number): ScenarioResult;
  /**
   * The same run in slices, for the long scenarios: each `yield` is a point where the caller may
   * give its event loop a turn (the tests do, so that simulated months do not block vitest's
   * worker for seconds). Driven to the end without pauses, it is `run`.
   */
  slices?(seed: number): Generator<void, ScenarioResult, void>;
}

/** Drives a sliced run to its end, without pauses. */
export function runSlices<T>(slices: Generator<void, T, void>): T {
  for (;;) {
    const step = slices.next();
    if (step.done) return step.value;
  }
}

/** Builds a result; the verdict comes from `holds`. */
export function result(
  scenario: string,
  seed: number,
  traceHash: string,
  holds: boolean,
  measured: Record<string, unknown>,
  summary: string,
): ScenarioResult {
  return { scenario, seed, verdict: holds ? "holds" : "fails", traceHash, measured, summary };
}
