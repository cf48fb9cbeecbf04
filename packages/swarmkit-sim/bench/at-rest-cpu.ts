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
//   Counts instead of time:  … at-rest-cpu.ts --callgrind BEFORE AFTER
//     (each checkout once under valgrind's callgrind, Debian's `valgrind` package: instructions
//     and last-level cache misses of one simulated minute at rest, after 90 s to settle, with a
//     4 MiB last-level cache; single-threaded V8, so the counts hold the GC's work too). On a
//     shared machine CPU time varies by ±20 % between processes of the same code; these counts
//     vary by about 1 % and say where a difference comes from (`callgrind_annotate` on the
//     /tmp/at-rest-*.callgrind files it leaves, with node's --perf-basic-prof maps for names).
//
// Wall-clock free: it measures the process's CPU time around the simulation, which decides
// nothing in it.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const SELF = fileURLToPath(import.meta.url);

async function formSwarm(root: string): Promise<any> {
  const { Sim } = await import(`${root}/packages/swarmkit-sim/src/kernel/sim.ts`);
  const { buildSwarm } = await import(`${root}/packages/swarmkit-sim/src/swarm/build.ts`);
  const sim = new Sim({ seed: "bench-10000" });
  buildSwarm(sim, { managers: 5, workers: 10_000, limitMs: 600_000 });
  return sim;
}

/** One checkout, in this process: CPU s per simulated hour at rest, and the trace hash. */
async function measure(root: string): Promise<{ cpuPerSimHour: number; hash: string }> {
  const sim = await formSwarm(root);
  sim.runFor(30_000);
  const before = process.cpuUsage();
  sim.runFor(10 * 60_000);
  const used = process.cpuUsage(before);
  return { cpuPerSimHour: (used.user + used.system) / 1e6 / (10 / 60), hash: sim.trace.hash().slice(0, 12) };
}

/** One checkout in this process under callgrind: instrumentation on for one minute at rest. */
async function underCallgrind(root: string): Promise<void> {
  const sim = await formSwarm(root);
  sim.runFor(90_000); // settled, and the JIT warm
  execFileSync("callgrind_control", ["-i", "on", String(process.pid)], { stdio: "ignore" });
  sim.runFor(60_000);
  execFileSync("callgrind_control", ["-i", "off", String(process.pid)], { stdio: "ignore" });
  console.log(`${root}: hash ${sim.trace.hash().slice(0, 12)}`);
}

/** One checkout in a child process run from inside it (its own tsx and dependencies). */
function child(root: string): number {
  const r = spawnSync(process.execPath, ["--import", "tsx", "--conditions=swarm-sim-source", SELF, root], {
    cwd: root,
    encoding: "utf8",
  });
  const m = /([\d.]+) cpu s per sim h/.exec(r.stdout);
  if (r.status !== 0 || !m) throw new Error(`${root}: ${r.stderr || r.stdout}`);
  process.stdout.write(r.stdout);
  return Number(m[1]);
}

interface Counts {
  instructions: number;
  llMisses: number;
}

/** One checkout under valgrind: its instruction and last-level miss counts. */
function callgrindChild(root: string, tag: string): Counts {
  const out = `/tmp/at-rest-${tag}.callgrind`;
  const r = spawnSync(
    "valgrind",
    [
      "--tool=callgrind",
      "--instr-atstart=no",
      "--cache-sim=yes",
      "--D1=49152,12,64",
      "--LL=4194304,16,64",
      `--callgrind-out-file=${out}`,
      process.execPath,
      "--single-threaded",
      "--perf-basic-prof",
      "--import",
      "tsx",
      "--conditions=swarm-sim-source",
      SELF,
      "--callgrind-child",
      root,
    ],
    { cwd: root, encoding: "utf8" },
  );
  if (r.error) throw new Error(`valgrind: ${r.error.message} (apt-get install valgrind)`);
  if (r.status !== 0) throw new Error(`${root}: ${r.stderr || r.stdout}`);
  const text = readFileSync(out, "utf8");
  const events = text.match(/^events: (.*)$/m)?.[1]?.split(" ") ?? [];
  const values = (text.match(/^totals: (.*)$/m)?.[1] ?? "").split(" ").map(Number);
  const at = (name: string) => values[events.indexOf(name)] ?? 0;
  if (events.length === 0) throw new Error(`${out}: no counts`);
  process.stdout.write(r.stdout);
  return { instructions: at("Ir"), llMisses: at("ILmr") + at("DLmr") + at("DLmw") };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

if (args[0] === "--callgrind-child" && args.length === 2) {
  await underCallgrind(resolve(args[1]));
} else if (args[0] === "--callgrind" && args.length === 3) {
  const [before, after] = [resolve(args[1]), resolve(args[2])];
  const b = callgrindChild(before, `before-${basename(before)}`);
  const a = callgrindChild(after, `after-${basename(after)}`);
  const line = (name: string, c: Counts) =>
    `${name}: ${(c.instructions / 1e6).toFixed(0)} M instructions, ${(c.llMisses / 1e6).toFixed(2)} M LL misses`;
  console.log(line(before, b));
  console.log(line(after, a));
  console.log(
    `after / before: instructions ${(a.instructions / b.instructions).toFixed(3)}, LL misses ${(a.llMisses / b.llMisses).toFixed(3)}`,
  );
} else if (args.length === 1) {
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
  console.error("usage: at-rest-cpu.ts ROOT | BEFORE AFTER [PAIRS] | --callgrind BEFORE AFTER");
  process.exit(2);
}
