// `swarm-sim dockercoins`: DockerCoins throughput, coins and rng/hasher latency per
// configuration (one simulation per worker count, each a sweep task), with a terminal chart of
// hashes/s.
import { parseArgs } from "node:util";
import asciichart from "asciichart";
import type { runDockerCoins } from "../experiments/dockercoins";
import { combinedHash } from "../scenarios/hash";
import type { SweepTask } from "../sweep/tasks";
import {
  runSweepCommand,
  SWEEP_FLAGS,
  SWEEP_FLAGS_HELP,
  type SweepDefinition,
  sweepRunOptions,
} from "./sweep-command";
import { table } from "./table";
import { UsageError, parseDurationFlag, parseIntFlag, parseIntList } from "./usage-error";

const HELP = `Usage: swarm-sim dockercoins [--mode compose|swarm] [--workers 1,2,5,10] [--rng-replicas N]
                            [--hasher-replicas N] [--nodes N] [--duration 60s] [--seed N] [SWEEP OPTIONS]

Runs DockerCoins once per worker count and reports the hashing speed the web UI graphs (after a
10 s warm-up), the coins found, and rng's and hasher's latency as the workers see it.
  --mode compose   one machine, docker compose (default); --rng-replicas N runs N rng containers
  --mode swarm     a stack on a swarm of --nodes machines (default 5); rng is a global service
                   unless --rng-replicas N makes it replicated

Sweep options (a task is one worker count):
${SWEEP_FLAGS_HELP}`;

type DockerCoinsResult = ReturnType<typeof runDockerCoins>;

export interface DockerCoinsParams extends Record<string, unknown> {
  mode: "compose" | "swarm";
  workers: number[];
  /** Absent: one per node (global) on a swarm, one under compose. */
  rngReplicas?: number;
  hasherReplicas: number;
  nodes: number;
  durationMs: number;
  seed: number;
}

export const dockercoinsSweep: SweepDefinition<DockerCoinsParams> = {
  sweep: "dockercoins",
  label: "dockercoins",
  tasks: (p) =>
    p.workers.map(
      (w): SweepTask => ({
        kind: "dockercoins",
        mode: p.mode,
        workers: w,
        rngReplicas: p.rngReplicas,
        hasherReplicas: p.hasherReplicas,
        nodes: p.nodes,
        durationMs: p.durationMs,
        seed: p.seed,
      }),
    ),
  describe: (t) => (t.kind === "dockercoins" ? `${t.workers} workers` : t.kind),
  report(p, results, json) {
    const runs = results as DockerCoinsResult[];
    const traceHash = combinedHash(runs.map((r) => r.traceHash));
    if (json) {
      console.log(JSON.stringify({ seed: p.seed, traceHash, runs: runs.map((r) => r.row) }));
      return;
    }
    console.log(
      table(
        ["MODE", "WORKERS", "RNG", "HASHER", "NODES", "HASHES/S", "COINS", "RNG p50/p99", "HASHER p50/p99"],
        runs.map(({ row }) => [
          row.mode,
          row.workers,
          row.rngMode === "global" ? `global (${row.rngReplicas})` : row.rngReplicas,
          row.hasherReplicas,
          row.nodes,
          row.hashesPerSecond.toFixed(2),
          row.coins,
          `${row.rngLatencyMs.p50} / ${row.rngLatencyMs.p99} ms`,
          `${row.hasherLatencyMs.p50} / ${row.hasherLatencyMs.p99} ms`,
        ]),
      ),
    );
    console.log(
      `\nhashes/s over time (5 s windows; ${runs.map((r) => `${r.row.workers} workers`).join(", ")}):`,
    );
    console.log(
      asciichart.plot(
        runs.map((r) => r.series),
        { height: 12, format: (x: number) => x.toFixed(1).padStart(6) },
      ),
    );
    console.log(`\nseed ${p.seed}, trace ${traceHash}`);
  },
};

export async function dockercoins(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      mode: { type: "string" },
      workers: { type: "string" },
      "rng-replicas": { type: "string" },
      "hasher-replicas": { type: "string" },
      nodes: { type: "string" },
      duration: { type: "string" },
      seed: { type: "string" },
      ...SWEEP_FLAGS,
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const mode = values.mode ?? "compose";
  if (mode !== "compose" && mode !== "swarm")
    throw new UsageError(`invalid value "${mode}" for --mode: expected compose or swarm`);
  const workers = parseIntList("workers", values.workers ?? "1,2,5,10");
  const rngReplicas =
    values["rng-replicas"] === undefined
      ? undefined
      : parseIntFlag("rng-replicas", values["rng-replicas"], 1, 1);
  const hasherReplicas = parseIntFlag("hasher-replicas", values["hasher-replicas"], 1, 1);
  const nodes = parseIntFlag("nodes", values.nodes, 5, 1);
  if (mode === "compose" && hasherReplicas > 1)
    throw new UsageError(
      "--hasher-replicas: compose publishes hasher's port 8002, so only one hasher runs there; use --mode swarm",
    );
  if (mode === "compose" && values.nodes !== undefined)
    throw new UsageError("--nodes applies to --mode swarm only");
  const durationMs = parseDurationFlag("duration", values.duration, 60_000);
  const seed = parseIntFlag("seed", values.seed, 1);
  const opts = sweepRunOptions(values);
  const params: DockerCoinsParams = { mode, workers, hasherReplicas, nodes, durationMs, seed };
  if (rngReplicas !== undefined) params.rngReplicas = rngReplicas;
  return runSweepCommand(dockercoinsSweep, params, opts);
}
