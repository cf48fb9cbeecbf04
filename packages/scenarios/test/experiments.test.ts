import { describe, expect, it } from "vitest";
import { fakeCell } from "./support/quorum-cells";
import { quorumCells, quorumRows, reproduces2NPlus1, runQuorumCell } from "../src/experiments/quorum";
import { runManagersCell } from "../src/experiments/managers";
import {
  type HeartbeatResult,
  managerSizeRows,
  runHeartbeatCell,
  runScheduleCell,
  type ScheduleResult,
} from "../src/experiments/manager-size";
import { managerSizeTable } from "../src/cli/experiment";
import { quantile } from "../src/experiments/stats";
import { runSweep } from "../src/sweep/pool";
import type { SweepTask } from "../src/sweep/tasks";

describe("the 2N+1 check", () => {
  it("accepts a table that follows the rule", () => {
    const rows = quorumRows([
      fakeCell(3, 0, true),
      fakeCell(3, 1, true),
      fakeCell(3, 2, false),
      fakeCell(3, 3, false),
    ]);
    expect(reproduces2NPlus1(rows)).toBe(true);
  });

  it("fails a broken run: writes accepted without a quorum, or refused with one", () => {
    expect(reproduces2NPlus1(quorumRows([fakeCell(3, 2, true)]))).toBe(false);
    expect(reproduces2NPlus1(quorumRows([fakeCell(5, 2, false)]))).toBe(false);
    // One seed out of two failing is a fraction, not "every seed".
    expect(reproduces2NPlus1(quorumRows([fakeCell(3, 1, true), { ...fakeCell(3, 1, false), seed: 2 }]))).toBe(
      false,
    );
  });

  it("the quorum experiment reproduces 2N+1 for 1, 3 and 5 managers", () => {
    const results = quorumCells([1, 3, 5], 2).map(runQuorumCell);
    const rows = quorumRows(results);
    expect(reproduces2NPlus1(rows)).toBe(true);
    expect(rows.every((r) => r.containersKeptRunning)).toBe(true);
    // When the leader failed and a majority survived, a new leader came within SwarmKit's 10-20 s (+ jitter).
    for (const r of results.filter((x) => x.electionMs !== null)) {
      expect(r.electionMs).toBeGreaterThan(5_000);
      expect(r.electionMs).toBeLessThan(60_000);
    }
  });
});

describe("sweeps", () => {
  it("give the same results with one thread or several", async () => {
    const tasks: SweepTask[] = [
      ...quorumCells([3], 1).map((c): SweepTask => ({ kind: "quorum", ...c })),
      { kind: "managers", managers: 3, rttMs: 10, seed: 1, durationMs: 60_000 },
      { kind: "scenario", name: "swarm-not-active", seed: 2 },
    ];
    const one = await runSweep(tasks, { threads: 1 });
    const many = await runSweep(tasks, { threads: 2 });
    expect(JSON.stringify(many)).toBe(JSON.stringify(one));
  });

  it("report a failing task as an error", async () => {
    await expect(
      runSweep([{ kind: "scenario", name: "no-such-scenario", seed: 1 }], { threads: 2 }),
    ).rejects.toThrow(/unknown scenario/);
  });
});

describe("the managers experiment", () => {
  it("write latency follows the round-trip time, and the same seed replays", () => {
    const a = runManagersCell({ managers: 3, rttMs: 50, seed: 1, durationMs: 60_000 });
    const b = runManagersCell({ managers: 3, rttMs: 50, seed: 1, durationMs: 60_000 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(a.commitLatencyMs.p50).toBeGreaterThan(50);
    expect(a.failedWrites).toBe(0);
  });

  it("quantile is nearest-rank", () => {
    expect(quantile([5, 1, 3], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4], 0.99)).toBe(4);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe("the manager-size experiment", () => {
  it("a smaller manager schedules a job more slowly, and the same seed replays", () => {
    const cell = { kind: "schedule" as const, tasks: 3000, workers: 20, seed: 1 };
    const small = runScheduleCell({ ...cell, cores: 1, memoryGB: 4 });
    const big = runScheduleCell({ ...cell, cores: 8, memoryGB: 32 });
    expect(small.scheduleSeconds).not.toBeNull();
    // The scheduler alone needs 3,000 x 0.2 ms of one core; the rest of the leader's work
    // shares one core on the small manager and spreads over eight on the big one.
    expect(small.scheduleSeconds!).toBeGreaterThanOrEqual(big.scheduleSeconds!);
    expect(small.scheduleSeconds!).toBeGreaterThan(0.6);
    expect(small.cpuPercent).toBeGreaterThan(big.cpuPercent);
    expect(small.memoryPercent).toBeGreaterThan(big.memoryPercent);
    expect(runScheduleCell({ ...cell, cores: 1, memoryGB: 4 }).traceHash).toBe(small.traceHash);
  });

  it("heartbeats after a manager restart: counted as missed when answers wait past the agents' deadline", () => {
    const r = runHeartbeatCell({ kind: "heartbeats", cores: 1, memoryGB: 4, nodes: 100, seed: 1 });
    expect(r.readySeconds).not.toBeNull();
    expect(r.missed).toBe(false);
    expect(r.cpuPercentStorm).toBeGreaterThan(r.cpuPercentRest);
  });

  it("rows: the smallest node count missed in any seed; a run that misses at none says so", () => {
    const beat = (nodes: number, missed: boolean, seed = 1): HeartbeatResult => ({
      kind: "heartbeats",
      cores: 1,
      memoryGB: 4,
      nodes,
      seed,
      nodesDown: missed ? 3 : 0,
      worstWaitMs: missed ? 6000 : 100,
      readySeconds: 5,
      cpuPercentStorm: 90,
      cpuPercentRest: 5,
      missed,
      traceHash: "",
    });
    const sched = (tasks: number, seconds: number): ScheduleResult => ({
      kind: "schedule",
      cores: 1,
      memoryGB: 4,
      tasks,
      workers: 10,
      seed: 1,
      scheduleSeconds: seconds,
      cpuPercent: 100,
      memoryBytes: 2 ** 30,
      memoryPercent: 25,
      nodesDown: 0,
      traceHash: "",
    });
    const [row] = managerSizeRows([
      sched(1000, 1),
      sched(5000, 4),
      beat(500, false),
      beat(1000, false),
      beat(1000, true, 2),
      beat(2000, true),
    ]);
    expect(row.missedFrom).toBe(1000);
    expect(row.schedule.map((s) => s.seconds)).toEqual([1, 4]);
    const none = managerSizeRows([sched(1000, 1), beat(500, false)]);
    expect(none[0].missedFrom).toBeNull();
    expect(managerSizeTable(none, 10)).toMatch(/none up to 500 nodes/);
    expect(managerSizeTable([row], 10)).toMatch(
      /1 core, 4 GB\s+1 s\s+4 s\s+100 %\s+1.00 GB \(25 %\)\s+1,000 nodes/,
    );
  });
});
