// DockerCoins per configuration: one simulation per worker count, measuring the speed the web
// UI graphs after a warm-up, the coins, and rng's and hasher's latency as the workers see them.
import { type DockerCoinsRun, startDockerCoins } from "@swarm-sim/dockercoins-sim";

const WARMUP_MS = 10_000;
const SAMPLE_MS = 5_000;

export interface DockerCoinsRow {
  mode: "compose" | "swarm";
  workers: number;
  /** rng containers: one per node when rng is a global service. */
  rngReplicas: number;
  rngMode: "replicated" | "global";
  hasherReplicas: number;
  nodes: number;
  durationS: number;
  hashesPerSecond: number;
  coins: number;
  rngLatencyMs: { p50: number; p99: number };
  hasherLatencyMs: { p50: number; p99: number };
}

export interface DockerCoinsConfig {
  mode: "compose" | "swarm";
  workers: number;
  rngReplicas: number | undefined;
  hasherReplicas: number;
  nodes: number;
  durationMs: number;
  seed: number;
}

const r1 = (x: number) => Number(x.toFixed(1));

export function runDockerCoins(c: DockerCoinsConfig): {
  row: DockerCoinsRow;
  series: number[];
  traceHash: string;
} {
  let exp: DockerCoinsRun;
  if (c.mode === "compose") {
    exp = startDockerCoins({ seed: c.seed, workers: c.workers, rng: c.rngReplicas ?? 1 });
  } else {
    exp = startDockerCoins({
      mode: "swarm",
      seed: c.seed,
      nodes: c.nodes,
      workers: c.workers,
      rngMode: c.rngReplicas === undefined ? "global" : { replicas: c.rngReplicas },
    });
    if (c.hasherReplicas > 1)
      (exp as unknown as { docker(a: string[]): string[] }).docker([
        "service",
        "scale",
        `dockercoins_hasher=${c.hasherReplicas}`,
      ]);
  }
  // The speed over time, in 5 s windows (each worker reports once a second).
  const series: number[] = [];
  const total = WARMUP_MS + c.durationMs;
  for (let t = 0; t < total; t += SAMPLE_MS) {
    const before = exp.hashes();
    exp.runFor(Math.min(SAMPLE_MS, total - t));
    series.push((exp.hashes() - before) / (SAMPLE_MS / 1000));
  }
  const rng = exp.latencies("rng", { warmupMs: WARMUP_MS });
  const hasher = exp.latencies("hasher", { warmupMs: WARMUP_MS });
  const row: DockerCoinsRow = {
    mode: c.mode,
    workers: c.workers,
    rngReplicas: c.rngReplicas ?? (c.mode === "swarm" ? c.nodes : 1),
    rngMode: c.mode === "swarm" && c.rngReplicas === undefined ? "global" : "replicated",
    hasherReplicas: c.hasherReplicas,
    nodes: c.mode === "swarm" ? c.nodes : 1,
    durationS: c.durationMs / 1000,
    hashesPerSecond: Number(exp.hashesPerSecond({ warmupMs: WARMUP_MS }).toFixed(2)),
    coins: exp.coins(),
    rngLatencyMs: { p50: r1(rng.p50), p99: r1(rng.p99) },
    hasherLatencyMs: { p50: r1(hasher.p50), p99: r1(hasher.p99) },
  };
  exp.sim.trace.record("dockercoins.run", { ...row });
  return { row, series, traceHash: exp.sim.trace.hash() };
}
