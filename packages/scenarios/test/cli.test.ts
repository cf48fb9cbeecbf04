import { describe, expect, it } from "vitest";
import { capture } from "./support/capture";

describe("swarm-sim CLI", () => {
  it("bad commands, flags and values exit with code 2 and a clear message", async () => {
    expect(await capture(["frobnicate"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("is not a swarm-sim command"),
    });
    expect(await capture(["run", "--bogus"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("--bogus"),
    });
    expect(await capture(["run", "no-such"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("unknown scenario"),
    });
    expect(await capture(["experiment", "quorum", "--managers", "x"])).toMatchObject({ code: 2 });
    expect(await capture(["experiment", "nope"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("unknown experiment"),
    });
    expect(await capture(["lab", "--speed", "0"])).toMatchObject({
      code: 2,
      err: expect.stringContaining('invalid value "0" for --speed'),
    });
    expect(await capture(["lab", "--ports", "--no-ports", "--speed", "2"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("--ports and --no-ports"),
    });
    expect(await capture(["experiment", "manager-size", "--cores", "1,2", "--memory", "4"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("--cores and --memory pair up"),
    });
    expect(await capture(["experiment", "manager-size", "--tasks", "ten"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("--tasks"),
    });
    expect(await capture(["dockercoins", "--mode", "k8s"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("--mode"),
    });
    expect(await capture(["dockercoins", "--duration", "soon"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("--duration"),
    });
    expect(await capture(["replay", "/no/such/file.json"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("no such file"),
    });
    for (const shard of ["0/3", "4/3", "1/0", "x", "1/2/3"])
      expect(await capture(["experiment", "quorum", "--shard", shard])).toMatchObject({
        code: 2,
        err: expect.stringContaining(`invalid value "${shard}" for --shard`),
      });
    expect(await capture(["dockercoins", "--shard", "1/2", "--json"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("--json does not apply to a shard"),
    });
    expect(await capture(["experiment", "managers", "--threads", "0"])).toMatchObject({ code: 2 });
    expect(await capture(["merge"])).toMatchObject({ code: 2, err: expect.stringContaining("at least 1") });
    expect(await capture(["merge", "/no/such/shard.jsonl"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("no such file"),
    });
    expect(await capture(["walkthrough", "now"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("unexpected argument"),
    });
  });

  it("run --json follows the contract and is the same for the same seed", async () => {
    const a = await capture(["run", "swarm-init", "--seed", "7", "--json"]);
    const b = await capture(["run", "swarm-init", "--seed", "7", "--json"]);
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    const r = JSON.parse(a.out);
    expect(Object.keys(r)).toEqual(
      expect.arrayContaining(["scenario", "seed", "verdict", "traceHash", "measured"]),
    );
    expect(r).toMatchObject({ scenario: "swarm-init", seed: 7, verdict: "holds" });
    expect(r.traceHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("dockercoins --json follows the contract", async () => {
    const { code, out } = await capture(["dockercoins", "--workers", "1,10", "--duration", "30s", "--json"]);
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(j.seed).toBe(1);
    expect(j.traceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(j.runs).toHaveLength(2);
    for (const r of j.runs) {
      for (const k of [
        "mode",
        "workers",
        "rngReplicas",
        "hasherReplicas",
        "nodes",
        "durationS",
        "hashesPerSecond",
        "coins",
      ]) {
        expect(r).toHaveProperty(k);
      }
      expect(r.rngLatencyMs).toHaveProperty("p50");
      expect(r.hasherLatencyMs).toHaveProperty("p99");
    }
    expect(j.runs[1].hashesPerSecond / j.runs[0].hashesPerSecond).toBeLessThan(4);
  });

  it("experiment quorum --json reproduces 2N+1 and is the same with 1 or 2 threads", async () => {
    const one = await capture([
      "experiment",
      "quorum",
      "--managers",
      "1,3",
      "--seeds",
      "2",
      "--threads",
      "1",
      "--json",
    ]);
    const two = await capture([
      "experiment",
      "quorum",
      "--managers",
      "1,3",
      "--seeds",
      "2",
      "--threads",
      "2",
      "--json",
    ]);
    expect(one.out).toBe(two.out);
    const j = JSON.parse(one.out);
    expect(j.seeds).toBe(2);
    for (const row of j.rows) {
      expect(row.writesAccepted).toBe(row.failed <= Math.floor((row.managers - 1) / 2) ? 1 : 0);
      expect(row).toHaveProperty("electionMs");
      expect(row.containersKeptRunning).toBe(true);
    }
  });

  it("list names every scenario and experiment", async () => {
    const { code, out } = await capture(["list"]);
    expect(code).toBe(0);
    expect(out).toContain("quorum-2n1");
    expect(out).toContain("experiment quorum");
  });
});
