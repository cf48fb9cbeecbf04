// Thread scaling of a sweep, as a user runs it: the built CLI's `experiment quorum` over 100
// seeds (2,000 tasks of one seed each: 20 cells per seed for the default 1, 3, 5 and 7
// managers; ~50 s on one thread of a quiet core), with --threads 1 and --threads 2, each a
// fresh process, in pairs. Target: 2 threads at least 1.8x one. The two settings must print
// the same JSON. Each pair also runs one thread pinned to one core (taskset, when there is one),
// for a second row without target: the speed-up from one core to two.
//
// How it measures on a shared machine: the kernel gives each busy session an equal share of
// the cores whatever the processes' nice values (autogroup), so while anyone else computes,
// two threads cannot get two cores. Each run therefore also measures how much of the machine
// the rest of it used meanwhile (all busy time in /proc/stat minus the run's own CPU time, from
// this process's children's times in /proc/self/stat). A run is clean when the rest used less
// than 10 % of the machine; pairs repeat until two pairs are clean (at most MAX_PAIRS), and the
// ratio is that of the best clean run of each setting. Without a clean pair the best runs are
// used and the row says how busy the machine was.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { BenchRow } from "../../../scripts/bench-types";
import { quorumCells } from "../src/experiments/quorum";

const BIN = resolve(import.meta.dirname, "../../swarm-sim/bin/swarm-sim.mjs");
const SEEDS = Number(process.env.SWEEP_BENCH_SEEDS ?? 100);
/** The tasks of `experiment quorum --seeds SEEDS` (its default managers: 1, 3, 5, 7). */
const TASKS = quorumCells([1, 3, 5, 7], SEEDS).length;
const CLEAN_PAIRS = 2;
const MAX_PAIRS = 4;
/** A run is clean when the rest of the machine used less than this share of it. */
const CLEAN_SHARE = 0.1;

interface Run {
  threads: number;
  /** Run on one core only (taskset), V8's helper threads included. */
  oneCore: boolean;
  seconds: number;
  /** Share of the machine (0..1) the rest of it used during the run; null without /proc. */
  othersShare: number | null;
  /** CPU seconds the run used on all its threads (0 without /proc). */
  cpuSeconds: number;
  out: string;
}

/** Clock ticks per second in /proc (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = 100;

/** Busy and total clock ticks of the whole machine, from /proc/stat. */
function machineTicks(): { busy: number; total: number } | null {
  if (!existsSync("/proc/stat")) return null;
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3] + cpu[4];
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** CPU ticks of this process's waited-for children (cutime + cstime in /proc/self/stat). */
function childrenTicks(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return Number(fields[13]) + Number(fields[14]);
}

/** The first CPU this process may run on (from /proc), for taskset; null without both. */
function firstCpu(): number | null {
  if (!existsSync("/proc/self/status") || spawnSync("taskset", ["-V"]).status !== 0) return null;
  const list = /^Cpus_allowed_list:\s*(\d+)/m.exec(readFileSync("/proc/self/status", "utf8"));
  return list ? Number(list[1]) : null;
}

function run(threads: number, oneCore: number | null = null): Run {
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
  const m0 = machineTicks();
  const c0 = m0 ? childrenTicks() : 0;
  const t0 = performance.now(); // wall-clock: benchmark
  const [command, argv] =
    oneCore === null
      ? [process.execPath, args]
      : ["taskset", ["-c", String(oneCore), process.execPath, ...args]];
  const r = spawnSync(command, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const seconds = (performance.now() - t0) / 1000; // wall-clock: benchmark
  if (r.status !== 0)
    throw new Error(`experiment quorum --threads ${threads} exited ${r.status}: ${r.stderr}`);
  const m1 = machineTicks();
  let othersShare: number | null = null;
  const own = m0 ? childrenTicks() - c0 : 0;
  if (m0 && m1) othersShare = Math.max(0, (m1.busy - m0.busy - own) / (m1.total - m0.total));
  const cpuSeconds = own / CLOCK_TICKS;
  const busy =
    othersShare === null ? "" : `, the rest of the machine used ${Math.round(othersShare * 100)} % of it`;
  console.log(
    `  quorum sweep, ${SEEDS} seeds, ${threads} thread(s)${oneCore === null ? "" : " on one core"}: ${seconds.toFixed(1)} s, ${cpuSeconds.toFixed(1)} CPU s${busy}`,
  );
  return { threads, oneCore: oneCore !== null, seconds, othersShare, cpuSeconds, out: r.stdout };
}

const clean = (r: Run) => r.othersShare === null || r.othersShare < CLEAN_SHARE;

export function bench(): BenchRow[] {
  const runs: Run[] = [];
  const cpu0 = firstCpu();
  let cleanPairs = 0;
  for (let pair = 0; pair < MAX_PAIRS && cleanPairs < CLEAN_PAIRS; pair++) {
    const one = run(1);
    const two = run(2);
    // One thread on one core: V8's compiler and GC threads then share that core, as they share
    // the two cores in the 2-thread run.
    const pinned = cpu0 === null ? [] : [run(1, cpu0)];
    runs.push(one, two, ...pinned);
    if ([one, two, ...pinned].every(clean)) cleanPairs++;
  }
  if (new Set(runs.map((r) => r.out)).size !== 1)
    throw new Error("the sweep printed different JSON on 1 and 2 threads");
  const pool = cleanPairs > 0 ? runs.filter(clean) : runs;
  const best = (threads: number, oneCore = false) =>
    Math.min(...pool.filter((r) => r.threads === threads && r.oneCore === oneCore).map((r) => r.seconds));
  const one = best(1);
  const two = best(2);
  const ratio = one / two;
  const busiest = Math.max(...runs.map((r) => r.othersShare ?? 0));
  // What two threads cost in CPU over one (isolate start, JIT twice, shared caches): what keeps
  // the speed-up from 2 on two cores. Medians over the runs, clean or not.
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const cpu = (threads: number) =>
    median(runs.filter((r) => r.threads === threads && !r.oneCore).map((r) => r.cpuSeconds));
  const cpuNote = cpu(1) > 0 ? `, CPU 2 threads / 1 thread ${(cpu(2) / cpu(1)).toFixed(2)}` : "";
  const note =
    cleanPairs > 0
      ? `${cleanPairs} clean pair(s)`
      : `no clean pair: the rest of the machine used up to ${Math.round(busiest * 100)} % of it`;
  const rows: BenchRow[] = [
    {
      name: `quorum sweep (${TASKS} tasks), 2 threads (${note}${cpuNote})`,
      value: two,
      unit: "s",
      baseline: { name: "1 thread", value: one, unit: "s" },
      ratio,
      target: "speed-up (1-thread time / 2-thread time) >= 1.8",
      ok: ratio >= 1.8,
    },
  ];
  // No target: it tells how the sweep scales with cores when one thread does not get a second
  // core for V8's helper threads for free (see the package README, "Sweeps on every core").
  if (cpu0 !== null) {
    const oneCore = best(1, true);
    rows.push({
      name: `quorum sweep (${TASKS} tasks), 2 threads on 2 cores against 1 thread on 1 core`,
      value: two,
      unit: "s",
      baseline: { name: "1 thread on 1 core (taskset)", value: oneCore, unit: "s" },
      ratio: oneCore / two,
    });
  }
  return rows;
}
