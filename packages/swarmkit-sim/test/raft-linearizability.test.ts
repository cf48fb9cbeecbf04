// A key-value store replicated by Raft on simulated machines, driven by concurrent clients
// under faults; the recorded histories must be linearizable (Porcupine-style checker from
// @swarm-sim/raft). And the proof that the check can fail: clients that read a member's local
// state without ReadIndex see a deposed leader's stale value, and the checker says so.
import {
  checkOperations,
  describeLinearizability,
  type KvInput,
  type KvOperation,
  kvModel,
} from "@swarm-sim/raft";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyFaults, type FaultAction, faultScheduleArb, fcParams, healAll } from "../src";
import { KvClient, RaftCluster, type ReadMode, recordingCause, withCause } from "./raft-harness";

const HORIZON_MS = 90_000;
const NAMES = ["m1", "m2", "m3", "m4", "m5"];
const KEYS = ["a", "b"];

interface Case {
  size: number;
  seed: number;
  clients: number;
  faults: FaultAction[];
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    size: fc.integer({ min: 1, max: 5 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    clients: fc.integer({ min: 2, max: 5 }),
  })
  .chain((c) =>
    faultScheduleArb({
      machines: NAMES.slice(0, c.size),
      horizonMs: HORIZON_MS,
      maxActions: 10,
      kinds: ["partition", "heal", "isolate", "crash", "restart", "pause", "resume", "lossBurst", "cut"],
    }).map((faults) => ({ ...c, faults })),
  );

/** Runs clients against the cluster for the horizon; returns the recorded history. */
function runClients(c: Case, readMode: ReadMode = "readIndex"): KvOperation[] {
  const cluster = new RaftCluster({
    size: c.size,
    seed: c.seed,
    link: { latency: { kind: "normal", mean: 3, stddev: 2, floor: 0.5 }, loss: 0.02, duplicate: 0.01 },
    // Short request deadlines keep clients moving through faults.
    host: { requestTimeoutMs: 8000, snapshotInterval: 30, logEntriesForSlowFollowers: 5 },
  });
  const { sim } = cluster;
  applyFaults(sim, c.faults);
  const history: KvOperation[] = [];
  const rng = sim.random.fork("test/clients");
  let n = 0;
  for (let i = 0; i < c.clients; i++) {
    const client = new KvClient(i, cluster, history, readMode);
    const next = () => {
      if (sim.now() >= HORIZON_MS) return;
      const key = rng.pick(KEYS);
      const value = `${i}.${n++}`;
      const r = rng.next();
      const input: KvInput =
        r < 0.4
          ? { op: "get", key }
          : r < 0.6
            ? { op: "put", key, value }
            : r < 0.8
              ? { op: "append", key, value: `${value};` }
              : { op: "cas", key, expected: null, value };
      const via = 1 + rng.int(c.size);
      client.run(input, via, () => sim.after(rng.range(50, 1500), next));
    };
    sim.after(rng.range(0, 2000), next);
  }
  sim.runFor(HORIZON_MS);
  healAll(sim);
  sim.runFor(60_000); // let in-flight operations settle
  return cluster.resolveIndeterminate(history);
}

function assertLinearizable(history: KvOperation[]): void {
  const r = checkOperations(kvModel, history);
  if (r.outcome !== "ok") throw new Error(describeLinearizability(kvModel, r));
}

describe("a Raft-replicated key-value store on simulated machines", () => {
  it("produces linearizable histories under faults (property)", () => {
    let completed = 0;
    withCause(() =>
      fc.assert(
        fc.property(caseArb, (c) =>
          recordingCause(() => {
            const h = runClients(c);
            completed += h.filter((op) => op.return !== undefined).length;
            assertLinearizable(h);
          }),
        ),
        fcParams(120),
      ),
    );
    if (!process.env.FC_PATH) expect(completed).toBeGreaterThan(500);
  });

  it("the same property fails when clients read members' local state without ReadIndex", () => {
    const cases = fc.sample(caseArb, { seed: 7, numRuns: 12 }).filter((c) => c.size >= 3);
    const illegal = cases.filter(
      (c) => checkOperations(kvModel, runClients(c, "unsafeLocal")).outcome === "illegal",
    );
    expect(illegal.length).toBeGreaterThan(0);
  });

  /**
   * m1 leads and has written x=old; it is cut off; m2 and m3 elect a new leader and write
   * x=new through it; then clients read at m1. Without ReadIndex m1 answers from its stale
   * state, though the write of "new" completed before the read began.
   */
  function deposedLeaderScenario(readMode: ReadMode): KvOperation[] {
    const cluster = new RaftCluster({
      size: 3,
      seed: 99,
      link: { latency: { kind: "fixed", ms: 2 } },
      // No CheckQuorum: the old leader keeps believing it leads while cut off.
      host: { checkQuorum: false, requestTimeoutMs: 8000 },
    });
    const { sim } = cluster;
    expect(cluster.waitForStableLeader(60_000)).toBeGreaterThanOrEqual(0);
    const old = cluster.stableLeader()!;
    const history: KvOperation[] = [];
    const writer = new KvClient(1, cluster, history, readMode);
    const reader = new KvClient(2, cluster, history, readMode);
    writer.run({ op: "put", key: "x", value: "old" }, old.raftId);
    sim.runFor(1000);
    sim.net.isolate(old.machine.name);
    const others = cluster.hosts.filter((h) => h !== old);
    sim.runUntil(() => others.some((h) => h.isLeader()), 60_000);
    const fresh = others.find((h) => h.isLeader())!;
    writer.run({ op: "put", key: "x", value: "new" }, fresh.raftId);
    sim.runUntil(() => !writer.isBusy(), 10_000);
    expect(old.isLeader()).toBe(true); // it still thinks so
    sim.runFor(100); // the read starts strictly after the write returned
    reader.run({ op: "get", key: "x" }, old.raftId);
    sim.runFor(10_000);
    return history;
  }

  it("a broken variant that reads a deposed leader's local state is caught by the checker", () => {
    const history = deposedLeaderScenario("unsafeLocal");
    const read = history.find((op) => op.input.op === "get")!;
    expect(read.output).toBe("old");
    const r = checkOperations(kvModel, history);
    expect(r.outcome).toBe("illegal");
    expect(describeLinearizability(kvModel, r)).toContain('get(x) -> "old"');
  });

  it("the same scenario with ReadIndex stays linearizable (the read cannot complete at the cut-off leader)", () => {
    const history = deposedLeaderScenario("readIndex");
    // The read found no quorum to confirm the old leader, so it failed (and a failed read,
    // which changed nothing, leaves no trace in the history).
    expect(history.map((op) => op.input.op)).toEqual(["put", "put"]);
    expect(history.every((op) => op.return !== undefined)).toBe(true);
    expect(checkOperations(kvModel, history).outcome).toBe("ok");
  });
});
