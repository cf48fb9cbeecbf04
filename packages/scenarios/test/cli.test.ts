import { describe, expect, it, vi } from "vitest";
import { main } from "../src/cli/main";

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a) => void out.push(a.join(" ")));
  const error = vi.spyOn(console, "error").mockImplementation((...a) => void err.push(a.join(" ")));
  try {
    const code = await main(argv);
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

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
