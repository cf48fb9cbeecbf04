// Coverage counters ("sometimes" assertions): how often each interesting event happened in a
// run, so that a campaign cannot pass vacuously. A campaign fails when a counter in
// CAMPAIGN_EXPECTED stays at 0 over all its seeds.

/**
 * Every counter, in the order runs print them, and whether a campaign of many seeds must hit it
 * at least once ("expected": the list and a few more) or only counts it.
 */
const COUNTERS = {
  leaderChange: "expected",
  quorumLost: "expected",
  quorumRegained: "expected",
  snapshotInstalled: "expected",
  membershipChangeUnderPartition: "expected",
  updateRolledBack: "expected",
  certificateRenewed: "expected",
  lockedManagerRestarted: "expected",
  managerCrashed: "expected",
  taskAssigned: "expected",
  writeAcknowledged: "expected",
  writeOutcomeUnknown: "expected",
  readAnswered: "counted",
  serviceCreated: "counted",
  nodePromoted: "counted",
  nodeDemoted: "counted",
  nodeRemoved: "counted",
  nodeDrained: "counted",
  tokenRotated: "expected",
  caRotated: "expected",
  workerDeniedManagerMethod: "expected",
  linkDegraded: "counted",
  clockSkewed: "counted",
  /** Quorum lost for good to orphan raft members, the swarm forced anew (orphans.ts). */
  quorumLostToOrphans: "counted",
} as const;

export type CoverageCounter = keyof typeof COUNTERS;

export const COVERAGE_COUNTERS = Object.keys(COUNTERS) as readonly CoverageCounter[];

/** What a campaign of many seeds must hit at least once. */
export const CAMPAIGN_EXPECTED: readonly CoverageCounter[] = COVERAGE_COUNTERS.filter(
  (c) => COUNTERS[c] === "expected",
);

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
