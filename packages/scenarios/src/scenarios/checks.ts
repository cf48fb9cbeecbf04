// A scenario's verdict as named checks: each is true when the run showed what the lecture
// says. The claim holds when every check does; a summary names the checks that did not.
import { result, type ScenarioResult } from "../scenario";

export type Checks = Record<string, boolean>;

export function allHold(checks: Checks): boolean {
  return Object.values(checks).every(Boolean);
}

export function failedChecks(checks: Checks): string[] {
  return Object.entries(checks)
    .filter(([, ok]) => !ok)
    .map(([name]) => name);
}

/** The summary, with the failed checks appended when there are any (a reader sees why at once). */
export function withFailures(summary: string, checks: Checks): string {
  const failed = failedChecks(checks);
  return failed.length === 0 ? summary : `${summary} [failed: ${failed.join(", ")}]`;
}

/** A scenario's result from its checks: the verdict, the checks among the measures, the summary. */
export function checkedResult(
  scenario: string,
  seed: number,
  traceHash: string,
  checks: Checks,
  measured: Record<string, unknown>,
  summary: string,
): ScenarioResult {
  return result(
    scenario,
    seed,
    traceHash,
    allHold(checks),
    { checks, ...measured },
    withFailures(summary, checks),
  );
}
