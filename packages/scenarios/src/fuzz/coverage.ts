// Coverage counters ("sometimes" assertions): how often each interesting event happened in a
// run, so that a campaign cannot pass vacuously. A campaign fails when a counter in
// CAMPAIGN_EXPECTED stays at 0 over all its seeds.

export const COVERAGE_COUNTERS = [
  "leaderChange",
  "quorumLost",
  "quorumRegained",
  "snapshotInstalled",
  "membershipChangeUnderPartition",
  "updateRolledBack",
  "certificateRenewed",
  "lockedManagerRestarted",
  "managerCrashed",
  "taskAssigned",
  "writeAcknowledged",
  "writeOutcomeUnknown",
  "readAnswered",
  "serviceCreated",
  "nodePromoted",
  "nodeDemoted",
  "nodeRemoved",
  "nodeDrained",
  "tokenRotated",
  "caRotated",
  "workerDeniedManagerMethod",
  "linkDegraded",
  "clockSkewed",
  /** Quorum lost for good to orphan raft members, the swarm forced anew (orphans.ts). */
  "quorumLostToOrphans",
] as const;

export type CoverageCounter = (typeof COVERAGE_COUNTERS)[number];

/** What a campaign of many seeds must hit at least once (the list and a few more). */
export const CAMPAIGN_EXPECTED: readonly CoverageCounter[] = [
  "leaderChange",
  "quorumLost",
  "quorumRegained",
  "snapshotInstalled",
  "membershipChangeUnderPartition",
  "updateRolledBack",
  "certificateRenewed",
  "lockedManagerRestarted",
  "managerCrashed",
  "taskAssigned",
  "writeAcknowledged",
  "writeOutcomeUnknown",
  "tokenRotated",
  "caRotated",
  "workerDeniedManagerMethod",
];

export class Coverage {
  readonly counts: Record<CoverageCounter, number> = Object.fromEntries(
    COVERAGE_COUNTERS.map((c) => [c, 0]),
  ) as Record<CoverageCounter, number>;

  hit(c: CoverageCounter, n = 1): void {
    this.counts[c] += n;
  }
}

/** Sums counters over runs. */
export function sumCoverage(
  all: readonly Partial<Record<CoverageCounter, number>>[],
): Record<CoverageCounter, number> {
  const out = new Coverage().counts;
  for (const c of all) for (const k of COVERAGE_COUNTERS) out[k] += c[k] ?? 0;
  return out;
}

/** The expected counters that stayed at 0. */
export function missedCoverage(total: Record<CoverageCounter, number>): CoverageCounter[] {
  return CAMPAIGN_EXPECTED.filter((c) => total[c] === 0);
}
