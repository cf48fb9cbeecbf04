// `swarm-sim replay FILE`: re-runs a failing case or a live lab's session. A property test
// saves { kind: "fast-check", testFile, testName, seed, path } (see fcParams); a sweep or `run
// --json` saves { kind: "scenario", name, seed } (any `run --json` output works too); a live
// lab records a session file (JSON lines whose first line has kind "swarm-sim-session",
// validated record by record): its inputs are applied again at their simulated times, and the
// trace hash is compared with the one the session recorded at its end.
//
// A replay file is data from anywhere (a colleague's, a CI artifact), so it is validated as
// such: its schema, a scenario this CLI knows, a test file that is one of the repository's own
// test files (found by listing them, never by the path the file gives) and a test name that
// file contains. Only the repository's own path goes to vitest; nothing from the file is
// imported or run.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
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
import { readInputFile } from "./files";
import { UsageError } from "./usage-error";

interface PropertyReplay {
  testFile: string;
  testName: string;
  seed: number;
  path: string;
}

export function replay(file: string): number {
  const text = readInputFile(file);
  if (isSessionFile(text)) return replayLiveSession(file, text);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not a replay file (it is not JSON)`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new UsageError(`${file} is not a replay file (expected a JSON object)`);
  const d = data as Record<string, unknown>;
  if (d.kind === "fast-check") return replayProperty(file, d);
  if (d.kind === FUZZ_REPLAY_KIND) return replayFuzz(file, d);
  const name = d.kind === "scenario" ? d.name : d.scenario;
  if (typeof name === "string" && d.seed !== undefined) {
    if (!Number.isSafeInteger(d.seed))
      throw new UsageError(`${file}: "seed" must be a whole number (got ${JSON.stringify(d.seed)})`);
    const s = findScenario(name);
    if (!s) throw new UsageError(`${file} names an unknown scenario ${JSON.stringify(name)}`);
    const r = s.run(d.seed as number);
    console.log(JSON.stringify(r));
    if (typeof d.traceHash === "string" && d.traceHash !== r.traceHash)
      console.error(
        `note: the trace hash differs from the saved one (${d.traceHash}): the code has changed since`,
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

/** The fast-check case, checked field by field against what this repository holds. */
export function checkPropertyReplay(root: string, file: string, d: Record<string, unknown>): PropertyReplay {
  const { testFile, testName, seed, path } = d;
  if (typeof testFile !== "string" || typeof testName !== "string" || typeof path !== "string")
    throw new UsageError(`${file}: "testFile", "testName" and "path" must be strings`);
  if (!Number.isSafeInteger(seed))
    throw new UsageError(`${file}: "seed" must be a whole number (got ${JSON.stringify(seed)})`);
  if (!/^\d+(:\d+)*$/.test(path))
    throw new UsageError(`${file}: "path" is not a fast-check path (numbers separated by ':')`);
  const known = repositoryTestFiles(root).find((f) => f === testFile);
  if (!known)
    throw new UsageError(
      `${file} names a test file this repository does not have: ${JSON.stringify(testFile)}`,
    );
  const source = readFileSync(join(root, known), "utf8");
  const parts = testName.split(" > ");
  if (testName === "" || /[\r\n]/.test(testName) || !parts.every((p) => p !== "" && source.includes(p)))
    throw new UsageError(`${file} names a test ${JSON.stringify(testName)} that ${known} does not have`);
  return { testFile: known, testName, seed: seed as number, path };
}

function replayProperty(file: string, d: Record<string, unknown>): number {
  const root = findRoot();
  const { testFile, testName, seed, path } = checkPropertyReplay(root, file, d);
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

/** The repository's test files (packages/<name>/test/**\/*.test.ts), relative to the root. */
export function repositoryTestFiles(root: string): string[] {
  const out: string[] = [];
  const packages = join(root, "packages");
  for (const pkg of readdirSync(packages)) {
    const dir = join(packages, pkg, "test");
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir, { recursive: true }) as string[])
      if (f.endsWith(".test.ts")) out.push(`packages/${pkg}/test/${f.split("\\").join("/")}`);
  }
  return out.sort();
}

export function findRoot(): string {
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
