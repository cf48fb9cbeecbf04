// fast-check parameters shared by the project's property tests, so that every one of them
// replays the same way: FC_SEED=<seed> FC_PATH=<path> re-runs a printed failure, FUZZ=1
// multiplies the number of runs (`npm run fuzz`), and a failure is also saved as a replay file
// (.swarm-sim/failures/*.json) that `swarm-sim replay FILE` re-runs.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";

export interface ReplayCase {
  kind: "fast-check";
  /** The test file, relative to the repository root. */
  testFile: string;
  testName: string;
  seed: number;
  path: string;
}

/** Where replay files go (the repository root's .swarm-sim/failures, or SWARM_SIM_FAILURES). */
export function failuresDir(): string {
  return process.env.SWARM_SIM_FAILURES ?? join(process.cwd(), ".swarm-sim", "failures");
}

export function fcParams<T>(numRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  const env = process.env;
  const params: fc.Parameters<T> = { numRuns: env.FUZZ ? numRuns * 20 : numRuns, ...extra };
  if (env.FC_SEED) {
    params.seed = Number(env.FC_SEED);
    if (env.FC_PATH) params.path = env.FC_PATH;
  }
  const test = currentTest();
  params.reporter = (details) => {
    if (!details.failed) return;
    const message = fc.defaultReportMessage(details) ?? "property failed";
    let saved = "";
    if (test && details.counterexamplePath) {
      saved = saveReplay({
        kind: "fast-check",
        ...test,
        seed: details.seed,
        path: details.counterexamplePath,
      });
    }
    throw new Error(
      `${message}\nReplay: FC_SEED=${details.seed} FC_PATH=${details.counterexamplePath ?? ""} npx vitest run --config vitest.workspace.ts ${test?.testFile ?? ""}` +
        (saved ? `\nor: npx swarm-sim replay ${saved}` : ""),
    );
  };
  return params;
}

function saveReplay(c: ReplayCase): string {
  try {
    const dir = failuresDir();
    mkdirSync(dir, { recursive: true });
    const name = `${c.testName.replace(/[^a-zA-Z0-9]+/g, "-").slice(0, 60)}-${c.seed}.json`;
    const file = join(dir, name);
    writeFileSync(file, `${JSON.stringify(c, null, 2)}\n`);
    return file;
  } catch {
    return "";
  }
}

/** The running vitest test, when there is one (vitest keeps its expect, with the test's state, here). */
function currentTest(): { testFile: string; testName: string } | undefined {
  const g = globalThis as Record<
    symbol,
    { getState?(): { testPath?: string; currentTestName?: string } } | undefined
  >;
  const state = g[Symbol.for("expect-global")]?.getState?.();
  if (!state?.testPath) return undefined;
  const rel = state.testPath.startsWith(process.cwd())
    ? state.testPath.slice(process.cwd().length + 1)
    : state.testPath;
  return { testFile: rel, testName: state.currentTestName ?? "" };
}
