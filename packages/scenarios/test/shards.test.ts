// Sweeps beyond one machine: --shard K/N partitions the tasks, --out writes JSON lines, and
// `swarm-sim merge` prints what one machine prints for the whole sweep, byte for byte. The
// shards of the quorum experiment run here as separate processes, as they would on a cluster.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { fcParams } from "@swarm-sim/swarmkit-sim";
import { afterAll, describe, expect, it } from "vitest";
import {
  parseShard,
  readSweepFiles,
  SWEEP_FILE_FORMAT,
  type SweepFileHeader,
  shardIndexes,
} from "../src/sweep/shards";
import { capture } from "./support/capture";

const ROOT = resolve(import.meta.dirname, "../../..");
const MAIN = resolve(import.meta.dirname, "../src/cli/main.ts");
const dir = mkdtempSync(join(tmpdir(), "swarm-sim-shards-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI from the sources in a process of its own (tsx, our packages resolved to src/). */
function runProcess(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=swarm-sim-source", MAIN, ...args],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

describe("shards", () => {
  it("K/N is the K-th of N, counted from 1", () => {
    expect(parseShard("1/1")).toEqual({ index: 1, count: 1 });
    expect(parseShard(" 3/4 ")).toEqual({ index: 3, count: 4 });
    for (const bad of ["0/4", "5/4", "1/0", "-1/2", "a/b", "1", "1/2/3", ""])
      expect(typeof parseShard(bad), bad).toBe("string");
  });

  it("the N shards of a sweep run every task exactly once (property)", () => {
    fc.assert(
      fc.property(fc.nat(500), fc.integer({ min: 1, max: 40 }), (total, count) => {
        const seen = new Array<number>(total).fill(0);
        for (let k = 1; k <= count; k++) {
          const mine = shardIndexes(total, { index: k, count });
          for (const i of mine) seen[i]++;
          // Round robin: the shards' sizes differ by one at most.
          expect(Math.abs(mine.length - total / count)).toBeLessThan(1);
        }
        expect(seen.every((n) => n === 1)).toBe(true);
      }),
      fcParams(200),
    );
  });
});

describe("reading sweep files", () => {
  const header = (shard: string, over: Partial<SweepFileHeader> = {}) =>
    JSON.stringify({
      format: SWEEP_FILE_FORMAT,
      sweep: "experiment quorum",
      params: { managers: [1], seeds: 2 },
      tasks: 3,
      digest: "d",
      shard,
      ...over,
    });
  const result = (index: number, value: unknown) => JSON.stringify({ index, result: value });
  const file = (name: string, ...lines: string[]) => ({ name, text: `${lines.join("\n")}\n` });

  it("puts the shards back in task order, skipping lines that are not JSON", () => {
    const merged = readSweepFiles([
      file("a", header("1/2"), "quorum 2/3: progress", result(2, { x: 2 }), result(0, { x: 0 })),
      file("b", header("2/2"), result(1, { x: 1 }), result(1, { x: 1 })),
    ]);
    expect(merged.results).toEqual([{ x: 0 }, { x: 1 }, { x: 2 }]);
    expect(merged.shards).toEqual(["1/2", "2/2"]);
    expect(merged.skippedLines).toBe(1);
    expect(merged.header).not.toHaveProperty("shard");
  });

  it("refuses a missing task, another sweep's shard, two results for a task, and broken lines", () => {
    const fails = (files: { name: string; text: string }[], message: RegExp) =>
      expect(() => readSweepFiles(files)).toThrow(message);
    fails([file("a", header("1/2"), result(0, 0), result(2, 2))], /1 of 3 tasks have no result \(first: 1\)/);
    fails(
      [
        file("a", header("1/2"), result(0, 0), result(2, 2)),
        file("b", header("2/2", { digest: "e" }), result(1, 1)),
      ],
      /b:1: this shard belongs to another sweep/,
    );
    fails(
      [file("a", header("1/1"), result(0, 0), result(1, 1), result(2, 2), result(1, 9))],
      /task 1 has two/,
    );
    fails([file("a", header("1/1"), result(0, 0), '{"index":1,"res')], /a:3: not valid JSON/);
    fails([file("a", header("1/1"), result(0, 0), result(3, 3))], /task index 3 is not in 0..2/);
    fails([file("a", header("1/1", { format: "other/9" } as never))], /unknown format/);
    fails([file("a", result(0, 0))], /no sweep header/);
    fails([file("a", header("1/1"), '{"what":1}')], /neither a sweep header nor a result/);
  });
});

describe("swarm-sim merge", () => {
  it("of the quorum experiment's 3 shards, run as processes, prints the one-machine table and JSON byte for byte", async () => {
    const sweep = ["experiment", "quorum", "--managers", "1,3", "--seeds", "2"];
    const files = [1, 2, 3].map((k) => join(dir, `quorum-${k}.jsonl`));
    const shards = await Promise.all(
      files.map((f, i) => runProcess([...sweep, "--shard", `${i + 1}/3`, "--out", f, "--threads", "1"])),
    );
    for (const s of shards) expect(s.code, s.stderr).toBe(0);
    expect(shards[0].stderr).toContain("shard 1/3 ran 4 of 12 tasks");

    const oneTable = await capture([...sweep, "--threads", "1"]);
    const oneJson = await capture([...sweep, "--threads", "1", "--json"]);
    const mergedTable = await capture(["merge", ...files]);
    const mergedJson = await capture(["merge", ...files, "--json"]);
    expect(oneTable.code).toBe(0);
    expect(mergedTable).toMatchObject({ code: 0, err: "" });
    expect(mergedTable.out).toBe(oneTable.out);
    expect(mergedJson.out).toBe(oneJson.out);
    expect(oneTable.out).toContain("reproduced in every seed");

    // One shard short: no table, and a message that says what is missing.
    const partial = await capture(["merge", files[0], files[2]]);
    expect(partial.code).toBe(1);
    expect(partial.err).toMatch(/4 of 12 tasks have no result .* shards read: 1\/3, 3\/3/);
  });

  it("of the managers and dockercoins sweeps (shards in this process) prints what one run prints", async () => {
    const sweeps = [
      ["experiment", "managers", "--managers", "3", "--rtt", "1,50", "--seeds", "2", "--threads", "1"],
      ["dockercoins", "--workers", "1,2,5", "--duration", "10s", "--threads", "1"],
    ];
    for (const [n, sweep] of sweeps.entries()) {
      const files = [1, 2].map((k) => join(dir, `sweep${n}-${k}.jsonl`));
      for (const [i, f] of files.entries())
        expect((await capture([...sweep, "--shard", `${i + 1}/2`, "--out", f])).code).toBe(0);
      for (const json of [[], ["--json"]]) {
        const one = await capture([...sweep, ...json]);
        const merged = await capture(["merge", ...files, ...json]);
        expect(merged.code).toBe(0);
        expect(merged.out).toBe(one.out);
      }
    }
  });

  it("reads a one-machine run's --out file and the interleaved logs of shards", async () => {
    const sweep = ["dockercoins", "--workers", "1,2", "--duration", "10s", "--threads", "1"];
    const whole = join(dir, "whole.jsonl");
    const run = await capture([...sweep, "--out", whole]);
    expect((await capture(["merge", whole])).out).toBe(run.out);
    // Two shards' lines mixed as `kubectl logs` would print them, with progress lines.
    const parts = [1, 2].map((k) => join(dir, `part-${k}.jsonl`));
    for (const [i, f] of parts.entries()) await capture([...sweep, "--shard", `${i + 1}/2`, "--out", f]);
    const [a, b] = parts.map((f) => readFileSync(f, "utf8").trim().split("\n"));
    const logs = join(dir, "logs.txt");
    writeFileSync(logs, [b[0], "dockercoins 2/2: 1/1", a[0], b[1], a[1], ""].join("\n"));
    const merged = await capture(["merge", logs]);
    expect(merged.out).toBe(run.out);
    expect(merged.err).toContain("skipped 1 lines");
  });

  it("refuses shards made from another task list", async () => {
    const f = join(dir, "other.jsonl");
    await capture(["dockercoins", "--workers", "1", "--duration", "10s", "--threads", "1", "--out", f]);
    const lines = readFileSync(f, "utf8").split("\n");
    const header = JSON.parse(lines[0]);
    header.params.durationMs = 20_000;
    writeFileSync(f, [JSON.stringify(header), ...lines.slice(1)].join("\n"));
    expect(await capture(["merge", f])).toMatchObject({
      code: 1,
      err: expect.stringContaining("another task list"),
    });
  });
});
