// `swarm-sim replay FILE`: re-runs a failing case or a live lab's session. A property test
// saves { kind: "fast-check", testFile, testName, seed, path } (see fcParams); a sweep or `run
// --json` saves { kind: "scenario", name, seed } (any `run --json` output works too); a live
// lab records a session file (JSON lines whose first line has kind "swarm-sim-session",
// validated record by record): its inputs are applied again at their simulated times, and the
// trace hash is compared with the one the session recorded at its end.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import {
  Lab,
  parseSessionFile,
  replaySession,
  SESSION_KIND,
  SessionFileError,
} from "@swarm-sim/swarmkit-sim";
import { FUZZ_REPLAY_KIND, FuzzReplayError, parseFuzzReplay } from "../fuzz/replay-file";
import { runFuzzCase } from "../fuzz/run";
import { labPlugins } from "../lab-plugins";
import { findScenario } from "../registry";
import { UsageError } from "./usage-error";

export function replay(file: string): number {
  if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const text = readFileSync(file, "utf8");
  if (isSessionFile(text)) return replayLiveSession(file, text);
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not a replay file (it is not JSON)`);
  }
  if (data.kind === "fast-check") return replayProperty(data);
  if (data.kind === FUZZ_REPLAY_KIND) return replayFuzz(file, data);
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
    `${file} is not a replay file: expected kind "fast-check", a scenario name and seed, or a lab session`,
  );
}

/** A fuzz failure: its case run again, with its violations and trace hash. */
function replayFuzz(file: string, data: unknown): number {
  let replay: ReturnType<typeof parseFuzzReplay>;
  try {
    replay = parseFuzzReplay(data);
  } catch (e) {
    if (e instanceof FuzzReplayError)
      throw new UsageError(`${file} is not a valid fuzz replay file: ${e.message}`);
    throw e;
  }
  const c = replay.case;
  console.log(
    `replaying fuzz case${replay.fuzzSeed !== null ? ` of seed ${replay.fuzzSeed}` : ""}${replay.shrunk ? " (shrunk)" : ""}: ${c.cluster.managers} managers, ${c.cluster.workers} workers, ${c.ops.length} ops, ${c.faults.length} faults`,
  );
  const r = runFuzzCase(c);
  for (const v of r.violations) console.log(`  violation: ${v}`);
  console.log(`${r.ok ? "ok" : "violations"}; trace ${r.traceHash}`);
  if (r.traceHash !== replay.traceHash)
    console.error(
      `note: the trace hash differs from the saved one (${replay.traceHash}): the code has changed since`,
    );
  return r.ok ? 0 : 1;
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

function isSessionFile(text: string): boolean {
  const first = text.slice(0, text.indexOf("\n") < 0 ? text.length : text.indexOf("\n"));
  try {
    const v = JSON.parse(first) as { kind?: unknown };
    return typeof v === "object" && v !== null && v.kind === SESSION_KIND;
  } catch {
    return false;
  }
}

/** A live lab's session: the same lab, each input at its simulated time, then the trace hash. */
function replayLiveSession(file: string, text: string): number {
  try {
    const session = parseSessionFile(text);
    const lab = new Lab({
      seed: session.header.seed,
      services: session.header.services,
      plugins: labPlugins(),
    });
    const r = replaySession(lab, session);
    console.log(
      JSON.stringify({ kind: SESSION_KIND, inputs: r.inputs, endedAtMs: r.endedAt, traceHash: r.traceHash }),
    );
    if (r.recordedHash === undefined) {
      console.error(
        "note: the session has no end record (it was cut short): nothing to compare the trace hash with",
      );
      return 0;
    }
    if (r.recordedHash !== r.traceHash) {
      console.error(
        `the trace hash differs from the session's (${r.recordedHash}): the code has changed since`,
      );
      return 1;
    }
    console.error("the trace hash is the session's");
    return 0;
  } catch (e) {
    if (e instanceof SessionFileError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}
