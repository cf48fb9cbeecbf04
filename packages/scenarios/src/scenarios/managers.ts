// "How many managers do we need?" and "Why not have all nodes be managers?": the 2N+1 table,
// why an even number adds nothing, the single writable leader, capacity against the number of
// managers, and manager distance.
import { type ManagersCellResult, runManagersCell } from "../experiments/managers";
import {
  type QuorumRow,
  quorumCells,
  quorumRows,
  reproduces2NPlus1,
  runQuorumCell,
} from "../experiments/quorum";
import { result, type Scenario } from "../scenario";
import { combinedHash } from "./hash";

const SECTION = "How many managers do we need?";

export const quorumTable: Scenario = {
  name: "quorum-2n1",
  section: SECTION,
  claim: "2N+1 managers tolerate N failures: 1 manager = no failure, 3 = 1, 5 = 2",
  defaultSeed: 1,
  run(seed) {
    const cells = quorumCells([1, 3, 5], 3, seed);
    const results = cells.map(runQuorumCell);
    const rows = quorumRows(results);
    const holds = reproduces2NPlus1(rows) && rows.every((r) => r.containersKeptRunning);
    const tolerated = [1, 3, 5].map((m) => {
      const ok = rows.filter((r) => r.managers === m && r.writesAccepted === 1).map((r) => r.failed);
      return `${m} manager${m > 1 ? "s" : ""} ${Math.max(...ok)}`;
    });
    return result(
      this.name,
      seed,
      combinedHash(results.map((r) => r.traceHash)),
      holds,
      { seeds: 3, rows },
      `failures tolerated (writes accepted in every seed): ${tolerated.join(", ")}; running containers kept running in every case`,
    );
  },
};

/** Fraction of seeds in which a write went through with `failed` of `managers` managers down. */
function accepted(rows: readonly QuorumRow[], managers: number, failed: number): number | undefined {
  return rows.find((r) => r.managers === managers && r.failed === failed)?.writesAccepted;
}

/**
 * "You can have an even number of managers, but there is no point": 4 managers need 3 for a
 * majority, so they tolerate 1 failure, as 3 do, and not 2.
 */
export function evenIsNoBetter(rows: readonly QuorumRow[]): boolean {
  return [3, 4].every((m) => accepted(rows, m, 1) === 1 && accepted(rows, m, 2) === 0);
}

export const evenManagers: Scenario = {
  name: "managers-even",
  section: SECTION,
  claim:
    "You can have an even number of managers, but there is no point: 4 managers tolerate 1 failure, as 3 do",
  defaultSeed: 1,
  run(seed) {
    const seeds = 3;
    // Only the failures that say something here: one manager down (both should survive) and
    // two (neither should).
    const cells = quorumCells([3, 4], seeds, seed).filter((c) => c.failed === 1 || c.failed === 2);
    const results = cells.map(runQuorumCell);
    const rows = quorumRows(results);
    const pct = (m: number, f: number) => `${Math.round((accepted(rows, m, f) ?? 0) * 100)} %`;
    return result(
      this.name,
      seed,
      combinedHash(results.map((r) => r.traceHash)),
      evenIsNoBetter(rows),
      { seeds, rows },
      `writes accepted over ${seeds} seeds with 1 manager down: 3 managers ${pct(3, 1)}, 4 managers ${pct(4, 1)}; with 2 down: 3 managers ${pct(3, 2)}, 4 managers ${pct(4, 2)} (4 need a majority of 3)`,
    );
  },
};

function cell(managers: number, rttMs: number, seed: number): ManagersCellResult {
  return runManagersCell({ managers, rttMs, seed, durationMs: 300_000 });
}

export const capacity: Scenario = {
  name: "managers-capacity",
  section: SECTION,
  claim:
    "Only one manager is Leader (writable), so more managers ≠ more capacity: every write goes to all of them",
  defaultSeed: 1,
  run(seed) {
    const cells = [1, 3, 5, 7].map((m) => cell(m, 1, seed));
    const [, three, , seven] = cells;
    const p50 = (c: ManagersCellResult) => c.commitLatencyMs.p50 ?? Number.NaN;
    const holds =
      cells.every((c) => c.failedWrites === 0) &&
      p50(seven) >= p50(three) * 0.95 &&
      seven.messagesPerWrite >= 2 * three.messagesPerWrite;
    return result(
      this.name,
      seed,
      combinedHash(cells.map((c) => c.traceHash)),
      holds,
      {
        rows: cells.map((c) => ({
          managers: c.managers,
          commitLatencyMs: c.commitLatencyMs,
          messagesPerWrite: c.messagesPerWrite,
        })),
      },
      `write p50 ${cells.map((c) => `${c.managers}m: ${p50(c)} ms`).join(", ")}; messages per write ${cells.map((c) => c.messagesPerWrite).join(" → ")}`,
    );
  },
};

export const distance: Scenario = {
  name: "managers-distance",
  section: SECTION,
  claim: "Managers should be < 10 ms from each other: every write waits for a round trip to a majority",
  defaultSeed: 1,
  run(seed) {
    const cells = [10, 50, 200].map((rtt) => cell(3, rtt, seed));
    const p50 = (c: ManagersCellResult) => c.commitLatencyMs.p50 ?? Number.NaN;
    const holds = cells.every((c) => c.failedWrites === 0 && p50(c) >= c.rttMs);
    const changes = cells.reduce((a, c) => a + c.leaderChanges, 0);
    return result(
      this.name,
      seed,
      combinedHash(cells.map((c) => c.traceHash)),
      holds,
      {
        rows: cells.map((c) => ({
          rttMs: c.rttMs,
          commitLatencyMs: c.commitLatencyMs,
          leaderChanges: c.leaderChanges,
        })),
      },
      `3 managers, write p50 at RTT ${cells.map((c) => `${c.rttMs} ms: ${p50(c)} ms`).join(", ")}; ${changes} leader changes (SwarmKit's 10 s election timeout rides out 200 ms)`,
    );
  },
};

export const onlyLeaderWritable: Scenario = {
  name: "only-leader-writable",
  section: SECTION,
  claim: "One manager is elected leader; other managers merely forward requests to it",
  defaultSeed: 1,
  run(seed) {
    const c = cell(3, 10, seed);
    const holds =
      c.failedWrites === 0 &&
      c.singleLeaderSamples === c.samples &&
      c.viaLeaderMs !== null &&
      c.viaFollowerMs !== null &&
      c.viaFollowerMs >= c.viaLeaderMs + 0.8 * c.rttMs;
    return result(
      this.name,
      seed,
      c.traceHash,
      holds,
      {
        samples: c.samples,
        singleLeaderSamples: c.singleLeaderSamples,
        viaLeaderMs: c.viaLeaderMs,
        viaFollowerMs: c.viaFollowerMs,
        rttMs: c.rttMs,
      },
      `exactly one leader in ${c.singleLeaderSamples}/${c.samples} samples; a write sent to the leader commits in ${c.viaLeaderMs} ms, one sent to a follower in ${c.viaFollowerMs} ms (forwarded: one more round trip of ${c.rttMs} ms)`,
    );
  },
};
