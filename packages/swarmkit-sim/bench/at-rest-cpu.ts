// CPU seconds per simulated hour of the 10,005-node swarm at rest (5 managers, 10,000 workers,
// formed as swarm.bench.ts forms it, then 30 s to settle and 10 simulated minutes measured), in
// any checkout: what compares this code with another commit's, which cannot run in one process.
// CPU time (process.cpuUsage) is what a shared machine disturbs least; still, alternate and
// repeat, and compare medians.
//
//   One checkout:  node --import tsx --conditions=swarm-sim-source ROOT/…/at-rest-cpu.ts ROOT
//   A comparison:  … at-rest-cpu.ts BEFORE AFTER [PAIRS=3]
//     (runs each checkout in its own process, alternately, PAIRS times; prints every pair and
//     the median ratio AFTER / BEFORE). A checkout of an older commit:
//     git worktree add /tmp/before 17f5658 && (cd /tmp/before && npm ci)
//
// Wall-clock free: it measures the process's CPU time around the simulation, which decides
// nothing in it.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);

/** One checkout, in this process: CPU s per simulated hour at rest, and the trace hash. */
async function measure(root: string): Promise<{ cpuPerSimHour: number; hash: string }> {
  const { Sim } = await import(`${root}/packages/swarmkit-sim/src/kernel/sim.ts`);
  const { buildSwarm } = await import(`${root}/packages/swarmkit-sim/src/swarm/build.ts`);
  const sim = new Sim({ seed: "bench-10000" });
  buildSwarm(sim, { managers: 5, workers: 10_000, limitMs: 600_000 });
  sim.runFor(30_000);
  const before = process.cpuUsage();
  sim.runFor(10 * 60_000);
  const used = process.cpuUsage(before);
  return { cpuPerSimHour: (used.user + used.system) / 1e6 / (10 / 60), hash: sim.trace.hash().slice(0, 12) };
}

/** One checkout in a child process run from inside it (its own tsx and dependencies). */
function child(root: string): number {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=swarm-sim-source", fileURLToPath(import.meta.url), root],
    { cwd: root, encoding: "utf8" },
  );
  const m = /([\d.]+) cpu s per sim h/.exec(r.stdout);
  if (r.status !== 0 || !m) throw new Error(`${root}: ${r.stderr || r.stdout}`);
  process.stdout.write(r.stdout);
  return Number(m[1]);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

if (args.length === 1) {
  const root = resolve(args[0]);
  const r = await measure(root);
  console.log(`${root}: ${r.cpuPerSimHour.toFixed(2)} cpu s per sim h; hash ${r.hash}`);
} else if (args.length === 2 || args.length === 3) {
  const [before, after] = [resolve(args[0]), resolve(args[1])];
  const pairs = Number(args[2] ?? 3);
  const ratios: number[] = [];
  for (let i = 1; i <= pairs; i++) {
    const b = child(before);
    const a = child(after);
    ratios.push(a / b);
    console.log(`pair ${i}: ${b.toFixed(2)} / ${a.toFixed(2)} cpu s per sim h, ratio ${(a / b).toFixed(3)}`);
  }
  console.log(`median ratio after / before: ${median(ratios).toFixed(3)} over ${pairs} pairs`);
} else {
  console.error("usage: at-rest-cpu.ts ROOT | BEFORE AFTER [PAIRS]");
  process.exit(2);
}
