// Sweep throughput: scenario runs (cells of the managers experiment, a few tenths of a second
// each) per wall second with one thread and with all cores, in the same process, and their
// ratio (reported, with no target: the issue asks for the figures). Each thread pays a start-up
// of about 1-2 s (loading the TypeScript sources), so short sweeps gain less, and a machine
// whose cores are busy with other work gains nothing.
import type { BenchRow } from "../../../scripts/bench-types";
import { managersCells } from "../src/experiments/managers";
import { defaultThreads, runSweep } from "../src/sweep/pool";
import type { SweepTask } from "../src/sweep/tasks";

async function rate(tasks: SweepTask[], threads: number): Promise<number> {
  const t0 = performance.now(); // wall-clock: benchmark
  await runSweep(tasks, { threads });
  return tasks.length / ((performance.now() - t0) / 1000); // wall-clock: benchmark
}

export async function bench(): Promise<BenchRow[]> {
  const tasks: SweepTask[] = managersCells([3, 5, 7], [1, 10, 50], 4).map((c) => ({
    kind: "managers",
    ...c,
  }));
  await rate(tasks.slice(0, 4), 1); // warm-up
  const one = await rate(tasks, 1);
  const cores = defaultThreads();
  const all = await rate(tasks, cores);
  const ratio = all / one;
  return [
    {
      name: `sweep, ${cores} threads`,
      value: all,
      unit: "runs/s",
      baseline: { name: "sweep, 1 thread", value: one, unit: "runs/s" },
      ratio,
    },
  ];
}
