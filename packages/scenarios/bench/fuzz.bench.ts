// The swarm fuzzer's speed: seeds per wall second on one core (in this process, one thread;
// `swarm-sim fuzz --threads N` runs N of these), for the default mix (seeds 1..SEEDS), against
// a baseline measured in the same run: building a swarm of 3 managers and 3 workers (real init
// and joins) on a fresh Sim. The target says a seed costs at most 4 such builds: about what
// 10^5 seeds in a few hours on 2 cores needs (the figures on a quiet core: ~16 seeds/s).
import { buildSwarm, Sim } from "@swarm-sim/swarmkit-sim";
import type { BenchRow } from "../../../scripts/bench-types";
import { runFuzzSeed } from "../src/fuzz/seed";

const SEEDS = Number(process.env.FUZZ_BENCH_SEEDS ?? 60);

function perSecond(n: number, f: (i: number) => void): number {
  f(0); // warm-up
  const t0 = performance.now(); // wall-clock: benchmark
  for (let i = 1; i <= n; i++) f(i);
  return n / ((performance.now() - t0) / 1000); // wall-clock: benchmark
}

export function bench(): BenchRow[] {
  const builds = perSecond(20, (i) => {
    const sim = new Sim({ seed: i });
    buildSwarm(sim, { managers: 3, workers: 3 });
  });
  let failed = 0;
  const seeds = perSecond(SEEDS, (i) => {
    if (!runFuzzSeed(i).ok) failed++;
  });
  if (failed > 0) console.log(`  fuzz bench: ${failed} of ${SEEDS} seeds had violations`);
  const ratio = seeds / builds;
  return [
    {
      name: `fuzz seeds/s per core (default mix, seeds 1-${SEEDS})`,
      value: seeds,
      unit: "seeds/s",
      baseline: { name: "swarm builds/s (3 managers, 3 workers)", value: builds, unit: "builds/s" },
      ratio,
      target: "ratio >= 0.25 (a seed costs at most 4 swarm builds)",
      ok: ratio >= 0.25,
    },
  ];
}
