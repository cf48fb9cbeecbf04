// `swarm-sim experiment quorum|managers|manager-size`: sweeps over seeds on every core (or one
// shard of them), printed as a table (or JSON with --json).
import { parseArgs } from "node:util";
import {
  DEFAULT_NODES,
  DEFAULT_SIZES,
  DEFAULT_TASKS,
  DEFAULT_WORKERS,
  type ManagerSizeResult,
  type ManagerSizeRow,
  managerSizeCells,
  managerSizeRows,
  PUBLIC_FIGURES,
} from "../experiments/manager-size";
import { type ManagersCellResult, managersCells } from "../experiments/managers";
import { type QuorumCellResult, quorumCells, quorumRows, reproduces2NPlus1 } from "../experiments/quorum";
import { quantile, round } from "../experiments/stats";
import type { SweepTask } from "../sweep/tasks";
import {
  runSweepCommand,
  SWEEP_FLAGS,
  SWEEP_FLAGS_HELP,
  type SweepDefinition,
  sweepRunOptions,
} from "./sweep-command";
import { table } from "./table";
import { UsageError, parseIntFlag, parseIntList } from "./usage-error";

const HELP = `Usage: swarm-sim experiment quorum [--managers 1,3,5,7] [--seeds N] [SWEEP OPTIONS]
       swarm-sim experiment managers [--managers 1,3,5,7,9] [--rtt 1,10,50,200] [--seeds N] [SWEEP OPTIONS]
       swarm-sim experiment manager-size [--cores 1,2,4,8] [--memory 4,8,16,32] [--tasks 1000,10000,70000,100000]
                                         [--nodes 1000,2500,5000,10000] [--workers 1000] [--seeds N] [SWEEP OPTIONS]

quorum:   for each manager count and each number of managers crashed (0 to all), over N seeds with a
          random choice of which managers fail: the fraction of seeds in which the control plane still
          accepts writes, the time to elect a new leader after the leader fails (median and 99th
          percentile), and whether running containers kept running; next to the 2N+1 rule.
managers: write commit latency and leader stability against manager count and round-trip time.
manager-size: for each manager size (--cores and --memory, in GB, paired in order), the time to schedule
          a job of each --tasks size on --workers nodes, the leader's CPU and memory, and the node count
          (of --nodes) at which heartbeats start to be missed when every node registers again after a
          manager restart; the managers' work costs simulated CPU time (the cost model).

Sweep options:
${SWEEP_FLAGS_HELP}`;

export interface QuorumParams extends Record<string, unknown> {
  managers: number[];
  seeds: number;
}

export const quorumSweep: SweepDefinition<QuorumParams> = {
  sweep: "experiment quorum",
  label: "quorum",
  tasks: (p) => quorumCells(p.managers, p.seeds).map((c): SweepTask => ({ kind: "quorum", ...c })),
  describe: (t) =>
    t.kind === "quorum" ? `${t.managers} managers, ${t.failed} down, seed ${t.seed}` : t.kind,
  report(p, results, json) {
    const rows = quorumRows(results as QuorumCellResult[]);
    if (json) {
      console.log(
        JSON.stringify({ seeds: p.seeds, rows: rows.map(({ ruleSaysWritable: _r, ...row }) => row) }),
      );
      return;
    }
    console.log(
      table(
        ["MANAGERS", "FAILED", "WRITES ACCEPTED", "ELECTION p50/p99", "CONTAINERS KEPT RUNNING", "2N+1 RULE"],
        rows.map((r) => [
          r.managers,
          r.failed,
          `${Math.round(r.writesAccepted * 100)}% of ${p.seeds}`,
          r.electionMs
            ? `${(r.electionMs.p50! / 1000).toFixed(1)} s / ${(r.electionMs.p99! / 1000).toFixed(1)} s`
            : "-",
          r.containersKeptRunning ? "yes" : "NO",
          r.ruleSaysWritable ? "writable" : "no quorum",
        ]),
      ),
    );
    console.log(
      `\n2N+1 managers tolerate N failures: ${reproduces2NPlus1(rows) ? "reproduced in every seed" : "NOT reproduced (see the rows that differ)"}.`,
    );
  },
};

export interface ManagersParams extends Record<string, unknown> {
  managers: number[];
  rtt: number[];
  seeds: number;
}

export const managersSweep: SweepDefinition<ManagersParams> = {
  sweep: "experiment managers",
  label: "managers",
  tasks: (p) => managersCells(p.managers, p.rtt, p.seeds).map((c): SweepTask => ({ kind: "managers", ...c })),
  describe: (t) => (t.kind === "managers" ? `${t.managers} managers, ${t.rttMs} ms, seed ${t.seed}` : t.kind),
  report(p, results, json) {
    const rows = managersRows(results as ManagersCellResult[]);
    if (json) {
      console.log(JSON.stringify({ seeds: p.seeds, rows }));
      return;
    }
    console.log(
      table(
        ["MANAGERS", "RTT", "WRITE p50", "WRITE p99", "FAILED WRITES", "LEADER CHANGES", "MESSAGES/WRITE"],
        rows.map((r) => [
          r.managers,
          `${r.rttMs} ms`,
          `${r.commitLatencyMs.p50} ms`,
          `${r.commitLatencyMs.p99} ms`,
          r.failedWrites,
          r.leaderChanges,
          r.messagesPerWrite,
        ]),
      ),
    );
  },
};

export interface ManagerSizeParams extends Record<string, unknown> {
  sizes: { cores: number; memoryGB: number }[];
  tasks: number[];
  nodes: number[];
  workers: number;
  seeds: number;
}

export const managerSizeSweep: SweepDefinition<ManagerSizeParams> = {
  sweep: "experiment manager-size",
  label: "manager-size",
  tasks: (p) => managerSizeCells(p).map((cell): SweepTask => ({ kind: "manager-size", cell })),
  describe: (t) =>
    t.kind === "manager-size"
      ? `${t.cell.cores} cores, ${t.cell.kind === "schedule" ? `${t.cell.tasks} tasks` : `${t.cell.nodes} nodes`}, seed ${t.cell.seed}`
      : t.kind,
  report(p, results, json) {
    const rows = managerSizeRows(results as ManagerSizeResult[]);
    if (json) {
      console.log(
        JSON.stringify({ seeds: p.seeds, workers: p.workers, rows, publicFigures: PUBLIC_FIGURES }),
      );
      return;
    }
    console.log(managerSizeTable(rows, p.workers));
    console.log("\nPublic figures the costs are calibrated on:");
    for (const f of PUBLIC_FIGURES) console.log(`  ${f}`);
  },
};

function managerSizeParams(
  values: Record<string, string | boolean | undefined>,
  seeds: number,
): ManagerSizeParams {
  const str = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : undefined);
  const cores = str("cores") ? parseIntList("cores", str("cores")!) : DEFAULT_SIZES.map((s) => s.cores);
  const memory = str("memory")
    ? parseIntList("memory", str("memory")!)
    : DEFAULT_SIZES.map((s) => s.memoryGB);
  if (cores.length !== memory.length)
    throw new UsageError(
      `--cores and --memory pair up: ${cores.length} core counts and ${memory.length} memory sizes given`,
    );
  if (cores.some((c) => c > 64)) throw new UsageError("--cores: at most 64");
  const tasks = str("tasks") ? parseIntList("tasks", str("tasks")!) : [...DEFAULT_TASKS];
  const nodes = str("nodes") ? parseIntList("nodes", str("nodes")!) : [...DEFAULT_NODES];
  if (tasks.some((t) => t > 200_000)) throw new UsageError("--tasks: at most 200000");
  if (nodes.some((n) => n > 20_000)) throw new UsageError("--nodes: at most 20000");
  const workers = parseIntFlag("workers", str("workers"), DEFAULT_WORKERS, 1);
  const sizes = cores.map((c, i) => ({ cores: c, memoryGB: memory[i] }));
  return { sizes, tasks, nodes, workers, seeds };
}

export async function experiment(argv: string[]): Promise<number> {
  const [which, ...rest] = argv;
  if (which === undefined || which === "--help" || which === "-h") {
    console.log(HELP);
    return which === undefined ? 2 : 0;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      managers: { type: "string" },
      rtt: { type: "string" },
      cores: { type: "string" },
      memory: { type: "string" },
      tasks: { type: "string" },
      nodes: { type: "string" },
      workers: { type: "string" },
      seeds: { type: "string" },
      ...SWEEP_FLAGS,
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (which !== "quorum" && which !== "managers" && which !== "manager-size")
    throw new UsageError(`unknown experiment "${which}": expected quorum, managers or manager-size`);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  // A manager-size cell is a large swarm: one seed unless asked for more.
  const defaultSeeds = which === "quorum" ? 10 : which === "manager-size" ? 1 : 3;
  const seeds = parseIntFlag("seeds", values.seeds, defaultSeeds, 1);
  const opts = sweepRunOptions(values);
  if (which === "manager-size")
    return runSweepCommand(managerSizeSweep, managerSizeParams(values, seeds), opts);
  if (which === "quorum") {
    if (values.rtt !== undefined)
      throw new UsageError("--rtt is an option of 'experiment managers', not 'quorum'");
    const managers = parseIntList("managers", values.managers ?? "1,3,5,7");
    if (managers.some((m) => m > 9)) throw new UsageError("--managers: at most 9 managers");
    return runSweepCommand(quorumSweep, { managers, seeds }, opts);
  }
  const managers = parseIntList("managers", values.managers ?? "1,3,5,7,9");
  const rtt = parseIntList("rtt", values.rtt ?? "1,10,50,200");
  return runSweepCommand(managersSweep, { managers, rtt, seeds }, opts);
}

export interface ManagersRow {
  managers: number;
  rttMs: number;
  commitLatencyMs: { p50: number | null; p99: number | null };
  failedWrites: number;
  leaderChanges: number;
  messagesPerWrite: number;
}

/** One row per (managers, rtt): latencies over every seed's writes (medians of the seeds' figures). */
export function managersRows(results: readonly ManagersCellResult[]): ManagersRow[] {
  const groups = new Map<string, ManagersCellResult[]>();
  for (const r of results) {
    const key = `${r.managers}/${r.rttMs}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((g) => ({
    managers: g[0].managers,
    rttMs: g[0].rttMs,
    commitLatencyMs: {
      p50: round(
        quantile(
          g.map((r) => r.commitLatencyMs.p50 ?? Number.NaN).filter((x) => !Number.isNaN(x)),
          0.5,
        ),
        2,
      ),
      p99: round(
        quantile(
          g.map((r) => r.commitLatencyMs.p99 ?? Number.NaN).filter((x) => !Number.isNaN(x)),
          0.99,
        ),
        2,
      ),
    },
    failedWrites: g.reduce((a, r) => a + r.failedWrites, 0),
    leaderChanges: g.reduce((a, r) => a + r.leaderChanges, 0),
    messagesPerWrite:
      round(
        quantile(
          g.map((r) => r.messagesPerWrite),
          0.5,
        ),
        1,
      ) ?? 0,
  }));
}

const gb = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GB`;

/** The manager-size table: one row per size. */
export function managerSizeTable(rows: readonly ManagerSizeRow[], workers: number): string {
  const taskCounts = rows[0]?.schedule.map((s) => s.tasks) ?? [];
  const biggest = taskCounts.at(-1) ?? 0;
  const header = [
    "MANAGER",
    ...taskCounts.map((t) => `SCHEDULE ${t >= 1000 ? `${t / 1000}k` : t}`),
    `CPU (${biggest >= 1000 ? `${biggest / 1000}k` : biggest})`,
    `MEMORY (${biggest >= 1000 ? `${biggest / 1000}k` : biggest} tasks)`,
    "HEARTBEATS MISSED FROM",
  ];
  const sampled = rows[0]?.heartbeats.map((h) => h.nodes) ?? [];
  const body = rows.map((r) => [
    `${r.cores} ${r.cores === 1 ? "core" : "cores"}, ${r.memoryGB} GB`,
    ...r.schedule.map(
      (s) =>
        (s.seconds === null ? "> 30 min" : `${s.seconds} s`) + (s.nodesDown ? ` (${s.nodesDown} down)` : ""),
    ),
    `${r.schedule.at(-1)?.cpuPercent ?? 0} %`,
    `${gb(r.memoryBytes)} (${r.memoryPercent} %)`,
    r.missedFrom === null
      ? `none up to ${sampled.at(-1)?.toLocaleString("en-US")} nodes`
      : `${r.missedFrom.toLocaleString("en-US")} nodes`,
  ]);
  return `${table(header, body)}\n\n(scheduling on ${workers.toLocaleString("en-US")} workers and 3 managers; heartbeats sampled at ${sampled.map((n) => n.toLocaleString("en-US")).join(", ")} nodes after a manager restart)`;
}
