// A quorum experiment cell with only the fields the 2N+1 checks read, for feeding them
// hand-made tables (some that follow the rule, some that break it).
import type { QuorumCellResult } from "../../src/experiments/quorum";

export function fakeCell(managers: number, failed: number, writesAccepted: boolean): QuorumCellResult {
  return {
    managers,
    failed,
    seed: 1,
    writesAccepted,
    electionMs: null,
    leaderFailed: false,
    containersKeptRunning: true,
    traceHash: "",
  };
}
