// What every sweep command (experiment quorum|managers, dockercoins) shares: its tasks come
// from its parameters, run on every core (or one shard of them), stream to a JSON-lines file
// when asked, and its report is a function of the parameters and the results in task order
// alone, which is what lets `swarm-sim merge` print exactly what one machine would have.
import { defaultThreads, runSweep } from "../sweep/pool";
import { createProgress } from "../sweep/progress";
import {
  formatShard,
  parseShard,
  type Shard,
  SWEEP_FILE_FORMAT,
  SweepFileWriter,
  shardIndexes,
  taskDigest,
} from "../sweep/shards";
import type { SweepTask } from "../sweep/tasks";
import { UsageError, parseIntFlag } from "./usage-error";

export interface SweepDefinition<P extends Record<string, unknown>> {
  /** The command, as sweep files name it: "experiment quorum". */
  sweep: string;
  /** The progress line's label. */
  label: string;
  tasks(params: P): SweepTask[];
  /** A task, briefly, for the progress line. */
  describe(task: SweepTask): string;
  /** Prints the table (or the JSON) for the results of every task, in task order. */
  report(params: P, results: unknown[], json: boolean): void;
  /** The exit code for the whole sweep's results (default 0: a measurement, not a test). */
  exitCode?(params: P, results: unknown[]): number;
}

export interface SweepRunOptions {
  threads: number;
  shard: Shard | null;
  /** A JSON-lines file to write the results to as they finish (null: none). */
  out: string | null;
  json: boolean;
}

/** The flags every sweep command takes, for parseArgs. */
export const SWEEP_FLAGS = {
  threads: { type: "string" },
  shard: { type: "string" },
  out: { type: "string" },
  json: { type: "boolean" },
} as const;

export const SWEEP_FLAGS_HELP = `  --threads N      worker threads (default: one per core)
  --shard K/N      run only the K-th of N shards of the tasks (K from 1), for spreading a sweep
                   over machines; the results go to --out, or to stdout as JSON lines
  --out FILE       also write every result to FILE as a JSON line as soon as it finishes;
                   'swarm-sim merge FILE...' prints the table (or --json) from such files
  --json           print JSON instead of a table`;

/** "K/N": the K-th of N shards, K from 1. */
export function parseShardFlag(flag: string, value: string): Shard {
  const shard = parseShard(value);
  if (typeof shard === "string") throw new UsageError(`invalid value "${value}" for --${flag}: ${shard}`);
  return shard;
}

export function sweepRunOptions(values: {
  threads?: string;
  shard?: string;
  out?: string;
  json?: boolean;
}): SweepRunOptions {
  const shard = values.shard === undefined ? null : parseShardFlag("shard", values.shard);
  if (shard && values.json)
    throw new UsageError(
      "--json does not apply to a shard: a shard writes JSON lines, and 'swarm-sim merge FILE... --json' prints the JSON of the whole sweep",
    );
  if (values.out === "") throw new UsageError("--out: expected a file name");
  return {
    threads: parseIntFlag("threads", values.threads, defaultThreads(), 1),
    shard,
    out: values.out ?? null,
    json: values.json === true,
  };
}

export async function runSweepCommand<P extends Record<string, unknown>>(
  def: SweepDefinition<P>,
  params: P,
  opts: SweepRunOptions,
): Promise<number> {
  const tasks = def.tasks(params);
  const indexes = opts.shard ? shardIndexes(tasks.length, opts.shard) : tasks.map((_, i) => i);
  const target = opts.out ?? (opts.shard ? "-" : null);
  const writer = target === null ? null : new SweepFileWriter(target);
  writer?.header({
    format: SWEEP_FILE_FORMAT,
    sweep: def.sweep,
    params,
    tasks: tasks.length,
    digest: taskDigest(tasks),
    shard: formatShard(opts.shard ?? { index: 1, count: 1 }),
  });
  const progress = createProgress(opts.shard ? `${def.label} ${formatShard(opts.shard)}` : def.label, {
    describe: (i) => def.describe(tasks[indexes[i]]),
  });
  let results: unknown[];
  try {
    results = await runSweep(
      indexes.map((i) => tasks[i]),
      {
        threads: opts.threads,
        onArrival: (i, json) => writer?.result(indexes[i], json),
        onProgress: (p) => progress.update(p),
      },
    );
  } finally {
    progress.stop();
    writer?.close();
  }
  if (opts.shard) {
    console.error(
      `${def.sweep}: shard ${formatShard(opts.shard)} ran ${indexes.length} of ${tasks.length} tasks${opts.out ? ` (written to ${opts.out})` : ""}; 'swarm-sim merge' the shards' output for the table`,
    );
    return 0;
  }
  def.report(params, results, opts.json);
  return def.exitCode?.(params, results) ?? 0;
}
