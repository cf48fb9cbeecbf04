// A fuzz failure as a replay file: the case as data (validated on load), the fuzz seed it came
// from, and what was violated. `swarm-sim replay FILE` runs the case again.
import { FAULT_KINDS, type FuzzCase, FUZZ_CASE_VERSION, type FuzzFault, type TimedOp } from "./case";

export const FUZZ_REPLAY_KIND = "swarm-sim-fuzz";

export interface FuzzReplay {
  kind: typeof FUZZ_REPLAY_KIND;
  /** The fuzz seed the case was drawn from (null: a case made by hand or shrunk beyond it). */
  fuzzSeed: number | null;
  /** Whether the case was shrunk from the seed's. */
  shrunk: boolean;
  case: FuzzCase;
  violations: string[];
  traceHash: string;
}

export class FuzzReplayError extends Error {}

const OP_FIELDS: Record<TimedOp["kind"], Record<string, "int" | "bool" | "string">> = {
  "service-create": { service: "int", global: "bool", replicas: "int", startFirst: "bool" },
  "service-update": { service: "int", failing: "bool" },
  "service-rollback": { service: "int" },
  "service-scale": { service: "int", replicas: "int" },
  "service-rm": { service: "int" },
  "node-promote": { node: "int" },
  "node-demote": { node: "int" },
  "node-drain": { node: "int" },
  "node-activate": { node: "int" },
  "node-rm": { node: "int", force: "bool" },
  "token-rotate": { role: "string" },
  "ca-rotate": {},
  "label-write": { key: "string" },
  "label-read": {},
  "worker-probe": { node: "int" },
};

const FAULT_FIELDS: Record<FuzzFault["kind"], Record<string, "int" | "number" | "ints">> = {
  crash: { machine: "int" },
  pause: { machine: "int" },
  isolate: { machine: "int" },
  partition: { sides: "ints" },
  cut: { from: "int", to: "int" },
  link: { loss: "number", duplicate: "number", reorder: "number", latencyMs: "int" },
  clockSkew: { machine: "int", skewMs: "int" },
};

function fail(path: string, what: string): never {
  throw new FuzzReplayError(`${path}: ${what}`);
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function int(v: unknown, path: string, min: number, max: number): number {
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max)
    fail(path, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return v as number;
}

function fieldCheck(o: Record<string, unknown>, path: string, key: string, type: string): void {
  const v = o[key];
  const p = `${path}.${key}`;
  if (type === "int") int(v, p, -1e9, 1e9);
  else if (type === "bool") {
    if (typeof v !== "boolean") fail(p, "expected true or false");
  } else if (type === "string") {
    if (typeof v !== "string") fail(p, "expected a string");
  } else if (type === "number") {
    if (typeof v !== "number" || !(v >= 0 && v <= 1)) fail(p, "expected a number from 0 to 1");
  } else if (type === "ints") {
    if (!Array.isArray(v)) fail(p, "expected a list of whole numbers");
    for (const [i, x] of v.entries()) int(x, `${p}[${i}]`, 0, 1);
  }
}

/** Checks a case read from JSON; throws FuzzReplayError naming the first bad field. */
export function validateCase(v: unknown, path = "case"): FuzzCase {
  if (!isObj(v)) fail(path, "expected an object");
  if (v.version !== FUZZ_CASE_VERSION) fail(`${path}.version`, `expected ${FUZZ_CASE_VERSION}`);
  int(v.seed, `${path}.seed`, 0, 2 ** 53);
  const c = v.cluster;
  if (!isObj(c)) fail(`${path}.cluster`, "expected an object");
  int(c.managers, `${path}.cluster.managers`, 1, 7);
  int(c.workers, `${path}.cluster.workers`, 0, 20);
  if (typeof c.autolock !== "boolean") fail(`${path}.cluster.autolock`, "expected true or false");
  int(c.snapshotInterval, `${path}.cluster.snapshotInterval`, 1, 1e6);
  int(c.keepEntries, `${path}.cluster.keepEntries`, 0, 1e6);
  int(v.horizonMs, `${path}.horizonMs`, 1000, 3_600_000);
  if (!Array.isArray(v.ops)) fail(`${path}.ops`, "expected a list");
  for (const [i, op] of v.ops.entries()) {
    const p = `${path}.ops[${i}]`;
    if (!isObj(op)) fail(p, "expected an object");
    const fields = OP_FIELDS[op.kind as TimedOp["kind"]];
    if (!fields || !Object.hasOwn(OP_FIELDS, op.kind as string))
      fail(`${p}.kind`, `unknown op ${JSON.stringify(op.kind)}`);
    int(op.at, `${p}.at`, 0, 3_600_000);
    int(op.via, `${p}.via`, 0, 1000);
    for (const [k, t] of Object.entries(fields)) fieldCheck(op, p, k, t);
  }
  if (!isObj(v.rates)) fail(`${path}.rates`, "expected an object");
  if (!Array.isArray(v.faults)) fail(`${path}.faults`, "expected a list");
  for (const [i, f] of v.faults.entries()) {
    const p = `${path}.faults[${i}]`;
    if (!isObj(f)) fail(p, "expected an object");
    if (!FAULT_KINDS.includes(f.kind as FuzzFault["kind"]))
      fail(`${p}.kind`, `unknown fault ${JSON.stringify(f.kind)}`);
    int(f.at, `${p}.at`, 0, 3_600_000);
    int(f.forMs, `${p}.forMs`, 0, 3_600_000);
    for (const [k, t] of Object.entries(FAULT_FIELDS[f.kind as FuzzFault["kind"]])) fieldCheck(f, p, k, t);
  }
  return v as unknown as FuzzCase;
}

/** Reads a fuzz replay file's JSON; throws FuzzReplayError. */
export function parseFuzzReplay(data: unknown): FuzzReplay {
  if (!isObj(data) || data.kind !== FUZZ_REPLAY_KIND) fail("kind", `expected "${FUZZ_REPLAY_KIND}"`);
  if (data.fuzzSeed !== null) int(data.fuzzSeed, "fuzzSeed", 0, 2 ** 53);
  if (!Array.isArray(data.violations) || data.violations.some((x) => typeof x !== "string"))
    fail("violations", "expected a list of strings");
  if (typeof data.traceHash !== "string") fail("traceHash", "expected a string");
  return {
    kind: FUZZ_REPLAY_KIND,
    fuzzSeed: data.fuzzSeed as number | null,
    shrunk: data.shrunk === true,
    case: validateCase(data.case),
    violations: data.violations as string[],
    traceHash: data.traceHash,
  };
}
