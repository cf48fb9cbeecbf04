// Spreading a sweep over machines. `--shard K/N` runs the tasks whose index i has
// i mod N = K - 1 (round robin: each shard gets every kind of cell, so the shards take about
// as long as each other), and a sweep writes its results as JSON lines as they finish:
//
//   {"format":"swarm-sim-sweep/1","sweep":"experiment quorum","params":{...},"tasks":200,"digest":"…","shard":"2/4"}
//   {"index":1,"result":{...}}
//   {"index":5,"result":{...}}
//
// Reading any set of such files (one per shard, or the interleaved logs of all shards) gives
// back the whole sweep's results in task order, checked: the headers must describe the same
// sweep (same parameters, same task list), every task must be there, and a task seen twice
// must have the same result. Anything that is not a JSON object line (a log line, a progress
// line) is skipped and counted.
import { createHash } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";

export const SWEEP_FILE_FORMAT = "swarm-sim-sweep/1";

/** Shard `index` of `count`, counted from 1. */
export interface Shard {
  index: number;
  count: number;
}

/** "K/N" with 1 <= K <= N; a message saying what is wrong otherwise. */
export function parseShard(text: string): Shard | string {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return `expected K/N, the K-th of N shards (for example 1/4)`;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) return `K must be between 1 and N (got ${index} of ${count})`;
  return { index, count };
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** The indexes of the tasks shard K of N runs: i mod N = K - 1. */
export function shardIndexes(total: number, shard: Shard): number[] {
  const out: number[] = [];
  for (let i = shard.index - 1; i < total; i += shard.count) out.push(i);
  return out;
}

export interface SweepFileHeader {
  format: typeof SWEEP_FILE_FORMAT;
  /** The command that made it, e.g. "experiment quorum". */
  sweep: string;
  /** What the command made its task list from (its flags, with defaults filled in). */
  params: Record<string, unknown>;
  /** Tasks in the whole sweep (all shards). */
  tasks: number;
  /** SHA-256 of the whole task list: shards of one sweep agree on it. */
  digest: string;
  shard: string;
}

export function taskDigest(tasks: readonly unknown[]): string {
  return createHash("sha256").update(JSON.stringify(tasks)).digest("hex");
}

/** Appends a sweep's JSON lines to a file (or stdout, for "-"), each as soon as it is given. */
export class SweepFileWriter {
  private readonly fd: number | null;

  constructor(readonly target: string) {
    this.fd = target === "-" ? null : openSync(target, "w");
  }

  header(h: SweepFileHeader): void {
    this.line(JSON.stringify(h));
  }

  /** A task's result, already JSON text. */
  result(index: number, json: string): void {
    this.line(`{"index":${index},"result":${json}}`);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
  }

  private line(text: string): void {
    if (this.fd === null) process.stdout.write(`${text}\n`);
    else writeSync(this.fd, `${text}\n`);
  }
}

export class SweepFileError extends Error {}

export interface MergedSweep {
  header: Omit<SweepFileHeader, "shard">;
  /** Every task's result, in task order. */
  results: unknown[];
  /** The shards whose headers were read. */
  shards: string[];
  /** Lines that were not JSON objects (log or progress lines), skipped. */
  skippedLines: number;
}

/** Reads the JSON lines of one or more files back into one sweep's results. */
export function readSweepFiles(files: readonly { name: string; text: string }[]): MergedSweep {
  let header: Omit<SweepFileHeader, "shard"> | null = null;
  let headerKey = "";
  const shards = new Set<string>();
  const results = new Map<number, string>();
  let skippedLines = 0;
  const pending: { where: string; index: unknown; result: unknown }[] = [];

  for (const file of files) {
    file.text.split("\n").forEach((raw, i) => {
      const line = raw.trim();
      const where = `${file.name}:${i + 1}`;
      if (line === "") return;
      if (!line.startsWith("{")) {
        skippedLines++;
        return;
      }
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line);
      } catch {
        throw new SweepFileError(`${where}: not valid JSON (a truncated or mixed-up line?)`);
      }
      if ("format" in record) {
        if (record.format !== SWEEP_FILE_FORMAT)
          throw new SweepFileError(`${where}: unknown format ${JSON.stringify(record.format)}`);
        const { shard, ...rest } = record as unknown as SweepFileHeader;
        const key = JSON.stringify(rest);
        if (header === null) {
          header = rest;
          headerKey = key;
        } else if (key !== headerKey) {
          throw new SweepFileError(
            `${where}: this shard belongs to another sweep (${rest.sweep} ${JSON.stringify(rest.params)}; the first was ${header.sweep} ${JSON.stringify(header.params)})`,
          );
        }
        shards.add(String(shard));
        return;
      }
      if (!("index" in record) || !("result" in record))
        throw new SweepFileError(`${where}: neither a sweep header nor a result`);
      pending.push({ where, index: record.index, result: record.result });
    });
  }
  if (header === null) throw new SweepFileError("no sweep header found: are these swarm-sim sweep files?");
  const total = (header as Omit<SweepFileHeader, "shard">).tasks;
  for (const { where, index, result } of pending) {
    if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= total)
      throw new SweepFileError(`${where}: task index ${JSON.stringify(index)} is not in 0..${total - 1}`);
    const json = JSON.stringify(result);
    const seen = results.get(index as number);
    if (seen !== undefined && seen !== json)
      throw new SweepFileError(`${where}: task ${index} has two different results`);
    results.set(index as number, json);
  }
  const missing: number[] = [];
  for (let i = 0; i < total && missing.length <= 10; i++) if (!results.has(i)) missing.push(i);
  if (missing.length > 0) {
    const count = total - results.size;
    throw new SweepFileError(
      `${count} of ${total} tasks have no result (first: ${missing.slice(0, 10).join(", ")}); shards read: ${[...shards].sort().join(", ")}. Did every shard finish?`,
    );
  }
  return {
    header,
    results: Array.from({ length: total }, (_, i) => JSON.parse(results.get(i) as string)),
    shards: [...shards].sort(),
    skippedLines,
  };
}
