// `swarm-sim replay FILE`: re-runs a failing case. A property test saves
// { kind: "fast-check", testFile, testName, seed, path } (see fcParams); a sweep or `run --json`
// saves { kind: "scenario", name, seed } (any `run --json` output works too).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { findScenario } from "../registry";
import { UsageError } from "./usage-error";

export function replay(file: string): number {
  if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new UsageError(`${file} is not a replay file (it is not JSON)`);
  }
  if (data.kind === "fast-check") return replayProperty(data);
  const name = (data.kind === "scenario" ? data.name : data.scenario) as string | undefined;
  if (typeof name === "string" && typeof data.seed === "number") {
    const s = findScenario(name);
    if (!s) throw new UsageError(`${file} names an unknown scenario "${name}"`);
    const r = s.run(data.seed);
    console.log(JSON.stringify(r));
    if (typeof data.traceHash === "string" && data.traceHash !== r.traceHash)
      console.error(
        `note: the trace hash differs from the saved one (${data.traceHash}): the code has changed since`,
      );
    return r.verdict === "holds" ? 0 : 1;
  }
  throw new UsageError(
    `${file} is not a replay file: expected kind "fast-check" or a scenario name and seed`,
  );
}

function replayProperty(data: Record<string, unknown>): number {
  const { testFile, testName, seed, path } = data as {
    testFile: string;
    testName: string;
    seed: number;
    path: string;
  };
  const root = findRoot();
  console.log(`replaying ${testFile} > ${testName} with FC_SEED=${seed} FC_PATH=${path}`);
  const r = spawnSync(
    process.execPath,
    [
      join(root, "node_modules/vitest/vitest.mjs"),
      "run",
      "--config",
      "vitest.workspace.ts",
      testFile,
      "-t",
      testName,
    ],
    { cwd: root, stdio: "inherit", env: { ...process.env, FC_SEED: String(seed), FC_PATH: path } },
  );
  return r.status ?? 1;
}

function findRoot(): string {
  let dir = resolve(import.meta.dirname);
  while (!existsSync(join(dir, "vitest.workspace.ts"))) {
    const up = dirname(dir);
    if (up === dir) throw new UsageError("cannot find the repository root (vitest.workspace.ts)");
    dir = up;
  }
  return dir;
}
