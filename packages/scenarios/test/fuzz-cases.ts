// Fuzz cases made by hand for the tests (the drawn ones come from seeds).
import type { FuzzCase, TimedOp } from "../src/fuzz/case";

/**
 * manager1 leads and is cut off from 10 s to 40 s: manager2 and manager3 elect a leader and
 * take label writes, while reads go through manager1 (which answers from its own replica if it
 * skips ReadIndex, until it notices it lost its quorum).
 */
export function deposedLeaderCase(seed: number): FuzzCase {
  const ops: TimedOp[] = [];
  for (let t = 10_000; t < 40_000; t += 700)
    ops.push({ at: t, via: 1 + (t % 2), kind: "label-write", key: "a" });
  for (let t = 10_000; t < 40_000; t += 300) ops.push({ at: t, via: 0, kind: "label-read" });
  ops.sort((a, b) => a.at - b.at);
  return {
    version: 1,
    seed,
    cluster: { managers: 3, workers: 0, autolock: false, snapshotInterval: 10_000, keepEntries: 500 },
    horizonMs: 45_000,
    ops,
    rates: { isolate: 1 },
    faults: [{ at: 10_000, forMs: 30_000, kind: "isolate", machine: 0 }],
  };
}

/** Three managers crashed and restarted over and over (1.5 s down every 9 s), with label writes. */
export function crashLoopCase(seed: number): FuzzCase {
  const faults: FuzzCase["faults"] = [];
  for (let t = 5_000; t < 55_000; t += 9_000)
    for (const machine of [0, 1, 2])
      faults.push({ at: t + machine * 500, forMs: 1_500, kind: "crash", machine });
  const ops: TimedOp[] = [];
  for (let t = 1_000; t < 55_000; t += 1_500) ops.push({ at: t, via: t % 3, kind: "label-write", key: "b" });
  return {
    version: 1,
    seed,
    cluster: { managers: 3, workers: 1, autolock: false, snapshotInterval: 10_000, keepEntries: 500 },
    horizonMs: 60_000,
    ops,
    rates: { crash: 20 },
    faults,
  };
}
