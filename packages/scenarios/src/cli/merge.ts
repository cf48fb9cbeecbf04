// `swarm-sim merge FILE... [--json]`: the results of a sweep's shards (written with --shard and
// --out, or collected from the shards' logs) put back together, printed as the table or the
// JSON a run of the whole sweep on one machine prints, byte for byte.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { readSweepFiles, SweepFileError, taskDigest } from "../sweep/shards";
import { dockercoinsSweep } from "./dockercoins";
import { managerSizeSweep, managersSweep, quorumSweep } from "./experiment";
import { fuzzSweep } from "./fuzz";
import type { SweepDefinition } from "./sweep-command";
import { UsageError } from "./usage-error";

const HELP = `Usage: swarm-sim merge FILE... [--json]

Reads the JSON lines the shards of one sweep wrote (swarm-sim experiment ... --shard K/N --out FILE,
or their logs: lines that are not JSON are skipped), checks that they are the shards of one sweep
and that every task is there, and prints the table (or --json) of the whole sweep. '-' reads stdin.`;

// Each definition has its own parameter type; merge gives each the parameters its shards recorded.
const SWEEPS: SweepDefinition<any>[] = [
  quorumSweep,
  managersSweep,
  managerSizeSweep,
  dockercoinsSweep,
  fuzzSweep,
];

export function merge(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length === 0)
    throw new UsageError(`"swarm-sim merge" requires at least 1 argument (the shards' files)`);
  const files = positionals.map((name) => ({ name, text: readInput(name) }));
  let merged: ReturnType<typeof readSweepFiles>;
  try {
    merged = readSweepFiles(files);
  } catch (e) {
    if (e instanceof SweepFileError) {
      console.error(`swarm-sim merge: ${e.message}`);
      return 1;
    }
    throw e;
  }
  const def = SWEEPS.find((d) => d.sweep === merged.header.sweep);
  if (!def) {
    console.error(`swarm-sim merge: unknown sweep "${merged.header.sweep}" (made by a newer swarm-sim?)`);
    return 1;
  }
  if (taskDigest(def.tasks(merged.header.params)) !== merged.header.digest) {
    console.error(
      "swarm-sim merge: this swarm-sim makes another task list from the shards' parameters: merge with the version that ran them",
    );
    return 1;
  }
  if (merged.skippedLines > 0)
    console.error(`swarm-sim merge: skipped ${merged.skippedLines} lines that were not JSON (log lines)`);
  def.report(merged.header.params, merged.results, values.json === true);
  return def.exitCode?.(merged.header.params, merged.results) ?? 0;
}

function readInput(name: string): string {
  try {
    return readFileSync(name === "-" ? 0 : name, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UsageError(`no such file: ${name}`);
    if (code === "EISDIR") throw new UsageError(`${name} is a directory`);
    throw e;
  }
}
