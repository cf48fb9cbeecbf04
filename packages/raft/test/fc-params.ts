// fast-check parameters for this package's property tests, with the project's replay
// conventions (the same as swarmkit-sim's fcParams, which this package cannot import):
// FC_SEED and FC_PATH replay a printed failure, FUZZ=1 runs 20 times more cases, and a
// failure prints the command that replays it.
import fc from "fast-check";

export function fcParams<T>(numRuns: number, testFile: string): fc.Parameters<T> {
  const env = process.env;
  const params: fc.Parameters<T> = { numRuns: env.FUZZ ? numRuns * 20 : numRuns };
  if (env.FC_SEED) {
    params.seed = Number(env.FC_SEED);
    if (env.FC_PATH) params.path = env.FC_PATH;
  }
  params.reporter = (details) => {
    if (!details.failed) return;
    const cause =
      details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    const message = `${fc.defaultReportMessage(details) ?? "property failed"}\nCause: ${cause}`;
    throw new Error(
      `${message}\nReplay: FC_SEED=${details.seed} FC_PATH=${details.counterexamplePath ?? ""} ` +
        `npx vitest run --config vitest.workspace.ts packages/raft/test/${testFile}`,
    );
  };
  return params;
}
