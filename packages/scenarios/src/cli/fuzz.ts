// `swarm-sim fuzz [--seeds N | --seed S] [--from F] [SWEEP OPTIONS]`: the swarm VOPR. Each
// seed draws a cluster, a workload and a fault schedule (src/fuzz/), runs them with every
// checker watching, then heals and requires liveness. A sweep like the others (one seed per
// task on every core, --shard, --out, merge); a failing seed is shrunk and saved as a replay
// file (`swarm-sim replay FILE` runs it again).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { drawCase } from "../fuzz/case";
import { CAMPAIGN_EXPECTED, COVERAGE_COUNTERS, missedCoverage, sumCoverage } from "../fuzz/coverage";
import { FUZZ_REPLAY_KIND, type FuzzReplay } from "../fuzz/replay-file";
import { runFuzzCase } from "../fuzz/run";
import type { FuzzSeedResult } from "../fuzz/seed";
import { shrinkSeed } from "../fuzz/shrink";
import type { SweepTask } from "../sweep/tasks";
import {
  runSweepCommand,
  SWEEP_FLAGS,
  SWEEP_FLAGS_HELP,
  type SweepDefinition,
  sweepRunOptions,
} from "./sweep-command";
import { table } from "./table";
import { UsageError, parseIntFlag } from "./usage-error";

const HELP = `Usage: swarm-sim fuzz [--seeds N | --seed S] [--from F] [--shrink-seconds T] [--save DIR] [SWEEP OPTIONS]

The swarm VOPR. Each seed draws a cluster (1-7 managers, 0-20 workers, autolock or not), a workload
(services created, updated, rolled back, scaled and removed; nodes promoted, demoted, drained and
removed; join tokens and the root CA rotated; node labels written and read through random managers,
all as docker command lines) and a fault schedule whose kinds and rates are drawn too (crashes that
lose unsynced writes, pauses, partitions, one-way cuts, isolation, loss, duplication, reordering,
latency spikes, clock skew). The faults run with the workload (safety: Raft's invariants on every
manager, the label history linearizable, no acknowledged write lost, task states only forward, no
more tasks than the update policy allows, nothing placed on drained or down nodes, no worker served
a manager-only method); then everything heals and the swarm must be live within 180 s (one leader,
every node Ready with a valid certificate of its role, every service converged, a write accepted).
Coverage counters say how often each interesting event happened; a run of ${200}+ seeds fails when
one it should hit stays at 0.

  --seeds N          seeds --from F to F+N-1 (default 200)
  --from F           the first seed (default 1)
  --seed S           one seed, with its violations and coverage
  --shrink-seconds T how long to shrink each failing seed (default 60; 0: do not shrink)
  --save DIR         where replay files of failing seeds go (default .swarm-sim/failures)

Sweep options:
${SWEEP_FLAGS_HELP}`;

/** Below this many seeds, counters at 0 are reported but do not fail the run. */
export const COVERAGE_MIN_SEEDS = 200;

export interface FuzzParams extends Record<string, unknown> {
  from: number;
  seeds: number;
}

export interface FuzzSummary {
  seeds: number;
  from: number;
  violations: number;
  failingSeeds: { seed: number; violations: string[] }[];
  coverage: Record<string, number>;
  missedCoverage: string[];
  simulatedSeconds: number;
}

export function fuzzSummary(p: FuzzParams, results: readonly FuzzSeedResult[]): FuzzSummary {
  const failing = results.filter((r) => !r.ok);
  const total = sumCoverage(results.map((r) => r.coverage));
  return {
    seeds: results.length,
    from: p.from,
    violations: failing.length,
    failingSeeds: failing.slice(0, 100).map((r) => ({ seed: r.seed, violations: r.violations })),
    coverage: total,
    missedCoverage: missedCoverage(total),
    simulatedSeconds: results.reduce((s, r) => s + r.simSeconds, 0),
  };
}

export const fuzzSweep: SweepDefinition<FuzzParams> = {
  sweep: "fuzz",
  label: "fuzz",
  tasks: (p) => Array.from({ length: p.seeds }, (_, i): SweepTask => ({ kind: "fuzz", seed: p.from + i })),
  describe: (t) => (t.kind === "fuzz" ? `seed ${t.seed}` : t.kind),
  report(p, results, json) {
    const s = fuzzSummary(p, results as FuzzSeedResult[]);
    if (json) {
      console.log(JSON.stringify(s));
      return;
    }
    console.log(
      `fuzz: ${s.seeds} seeds (${p.from} to ${p.from + p.seeds - 1}), ${s.violations} with violations, ${Math.round(s.simulatedSeconds / 3600)} simulated hours`,
    );
    for (const f of s.failingSeeds.slice(0, 20)) console.log(`  seed ${f.seed}: ${f.violations.join("; ")}`);
    console.log("\ncoverage (how often each event happened, over every seed):");
    console.log(
      table(
        ["COUNTER", "COUNT", "EXPECTED"],
        COVERAGE_COUNTERS.map((c) => [c, s.coverage[c], CAMPAIGN_EXPECTED.includes(c) ? "yes" : ""]),
      ),
    );
    if (s.missedCoverage.length > 0)
      console.log(
        `\ncounters never hit: ${s.missedCoverage.join(", ")}${s.seeds < COVERAGE_MIN_SEEDS ? ` (not a failure below ${COVERAGE_MIN_SEEDS} seeds)` : ""}`,
      );
  },
  exitCode(p, results) {
    const s = fuzzSummary(p, results as FuzzSeedResult[]);
    if (s.violations > 0) return 1;
    return s.missedCoverage.length > 0 && s.seeds >= COVERAGE_MIN_SEEDS ? 1 : 0;
  },
};

/** Writes a replay file for a failing seed (shrunk first when there is time); returns its path. */
export function saveFailure(seed: number, dir: string, shrinkMs: number): string {
  const shrunk = shrinkMs > 0 ? shrinkSeed(seed, { timeLimitMs: shrinkMs }) : null;
  const c = shrunk?.case ?? drawCase(seed);
  const r = runFuzzCase(c);
  const replay: FuzzReplay = {
    kind: FUZZ_REPLAY_KIND,
    fuzzSeed: seed,
    shrunk: shrunk !== null,
    case: c,
    violations: r.violations,
    traceHash: r.traceHash,
  };
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `fuzz-seed-${seed}.json`);
  writeFileSync(file, `${JSON.stringify(replay, null, 1)}\n`);
  return file;
}

export async function fuzz(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      seeds: { type: "string" },
      seed: { type: "string" },
      from: { type: "string" },
      "shrink-seconds": { type: "string" },
      save: { type: "string" },
      help: { type: "boolean", short: "h" },
      ...SWEEP_FLAGS,
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.seed !== undefined && (values.seeds !== undefined || values.from !== undefined))
    throw new UsageError("--seed runs one seed: it does not go with --seeds or --from");
  const shrinkMs = parseIntFlag("shrink-seconds", values["shrink-seconds"], 60) * 1000;
  const dir = values.save ?? ".swarm-sim/failures";
  if (values.seed !== undefined) {
    const seed = parseIntFlag("seed", values.seed, 1);
    const c = drawCase(seed);
    const r = runFuzzCase(c);
    if (values.json) console.log(JSON.stringify({ seed, case: c, ...r }));
    else {
      console.log(
        `fuzz seed ${seed}: ${r.ok ? "ok" : "VIOLATIONS"} (${r.cluster}, ${c.ops.length} ops, ${c.faults.length} faults, ${r.simSeconds} simulated s)`,
      );
      for (const v of r.violations) console.log(`  violation: ${v}`);
      const hit = Object.entries(r.coverage).filter(([, n]) => n > 0);
      console.log(`  coverage: ${hit.map(([k, n]) => `${k}=${n}`).join(" ") || "(nothing)"}`);
      console.log(`  trace:    ${r.traceHash}`);
    }
    if (!r.ok) console.error(`replay file: ${saveFailure(seed, dir, shrinkMs)}`);
    return r.ok ? 0 : 1;
  }
  const opts = sweepRunOptions(values);
  const params: FuzzParams = {
    from: parseIntFlag("from", values.from, 1),
    seeds: parseIntFlag("seeds", values.seeds, 200, 1),
  };
  let results: FuzzSeedResult[] = [];
  const code = await runSweepCommand(
    {
      ...fuzzSweep,
      report: (p, rs, json) => {
        results = rs as FuzzSeedResult[];
        fuzzSweep.report(p, rs, json);
      },
    },
    params,
    opts,
  );
  // A shard's results are merged elsewhere; a whole run saves its failures (the first few).
  for (const f of results.filter((r) => !r.ok).slice(0, 3))
    console.error(`seed ${f.seed} failed; replay file: ${saveFailure(f.seed, dir, shrinkMs)}`);
  return code;
}
