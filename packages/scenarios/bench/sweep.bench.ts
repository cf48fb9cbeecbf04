// Thread scaling of a sweep, as a user runs it: the built CLI's `experiment quorum` over 50 seeds
// (200 tasks of one seed each; about 20 s on one thread of a quiet core), with --threads 1 and
// --threads 2, each a fresh process. The machine is shared, so the runs alternate (1, 2, 1, 2)
// and each setting keeps its best run, the one least slowed by the others; the load average
// before each run is printed with it. Target: 2 threads at least 1.8x one. The two settings
// must print the same JSON.
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import type { BenchRow } from "../../../scripts/bench-types";

const BIN = resolve(import.meta.dirname, "../../swarm-sim/bin/swarm-sim.mjs");
const SEEDS = Number(process.env.SWEEP_BENCH_SEEDS ?? 50);
const ROUNDS = 2;

function run(threads: number): { seconds: number; out: string } {
  const args = [
    BIN,
    "experiment",
    "quorum",
    "--seeds",
    String(SEEDS),
    "--threads",
    String(threads),
    "--json",
  ];
  const load = loadavg()[0].toFixed(1);
  const t0 = performance.now(); // wall-clock: benchmark
  const r = spawnSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const seconds = (performance.now() - t0) / 1000; // wall-clock: benchmark
  if (r.status !== 0)
    throw new Error(`experiment quorum --threads ${threads} exited ${r.status}: ${r.stderr}`);
  console.log(
    `  quorum sweep, ${SEEDS} seeds, ${threads} thread(s): ${seconds.toFixed(1)} s (load average ${load})`,
  );
  return { seconds, out: r.stdout };
}

export function bench(): BenchRow[] {
  const best = new Map<number, number>();
  const outputs = new Set<string>();
  for (let round = 0; round < ROUNDS; round++)
    for (const threads of [1, 2]) {
      const r = run(threads);
      best.set(threads, Math.min(best.get(threads) ?? Number.POSITIVE_INFINITY, r.seconds));
      outputs.add(r.out);
    }
  if (outputs.size !== 1) throw new Error("the sweep printed different JSON on 1 and 2 threads");
  const one = best.get(1)!;
  const two = best.get(2)!;
  const ratio = one / two;
  return [
    {
      name: `quorum sweep (${SEEDS * 4} tasks), 2 threads`,
      value: two,
      unit: "s",
      baseline: { name: "1 thread", value: one, unit: "s" },
      ratio,
      target: "speed-up (1-thread time / 2-thread time) >= 1.8",
      ok: ratio >= 1.8,
    },
  ];
}
