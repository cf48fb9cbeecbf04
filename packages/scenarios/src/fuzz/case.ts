// A fuzz case as data: the cluster, the workload and the fault schedule one seed draws
// (VOPR-style: the fault kinds and their rates are drawn too). Plain JSON, so a failing case
// can be printed, shrunk by fast-check (the draws are an arbitrary) and saved as a replay file.
import fc from "fast-check";

export const FUZZ_CASE_VERSION = 1;

export interface FuzzCluster {
  managers: number;
  workers: number;
  autolock: boolean;
  /** Raft snapshot interval in entries (SwarmKit's default 10000; small ones make snapshots happen). */
  snapshotInterval: number;
  /**
   * Entries kept behind a snapshot for slow followers (SwarmKit's default 500; few make a
   * follower that was away catch up from a snapshot).
   */
  keepEntries: number;
}

/** One control-API client action, as a docker command line would do it (see workload.ts). */
export type FuzzOp =
  | { kind: "service-create"; service: number; global: boolean; replicas: number; startFirst: boolean }
  | { kind: "service-update"; service: number; failing: boolean }
  | { kind: "service-rollback"; service: number }
  | { kind: "service-scale"; service: number; replicas: number }
  | { kind: "service-rm"; service: number }
  | { kind: "node-promote"; node: number }
  | { kind: "node-demote"; node: number }
  | { kind: "node-drain"; node: number }
  | { kind: "node-activate"; node: number }
  | { kind: "node-rm"; node: number; force: boolean }
  | { kind: "token-rotate"; role: "worker" | "manager" }
  | { kind: "ca-rotate" }
  | { kind: "label-write"; key: string }
  | { kind: "label-read" }
  | { kind: "worker-probe"; node: number };

/** An op at `at` ms into the workload, through the manager `via` (an index, modulo the managers). */
export type TimedOp = { at: number; via: number } & FuzzOp;

export type FuzzFaultKind = "crash" | "pause" | "partition" | "cut" | "isolate" | "link" | "clockSkew";

/** A fault: on at `at` ms, off (healed, restarted, resumed) `forMs` later. */
export type FuzzFault = { at: number; forMs: number } & (
  | { kind: "crash"; machine: number }
  | { kind: "pause"; machine: number }
  | { kind: "partition"; sides: number[] }
  | { kind: "cut"; from: number; to: number }
  | { kind: "isolate"; machine: number }
  | { kind: "link"; loss: number; duplicate: number; reorder: number; latencyMs: number }
  | { kind: "clockSkew"; machine: number; skewMs: number }
);

export interface FuzzCase {
  version: number;
  /** The simulation's seed (the world's randomness: latencies, elections, IDs...). */
  seed: number;
  cluster: FuzzCluster;
  /** How long the workload and the faults run (simulated ms), before the heal. */
  horizonMs: number;
  ops: TimedOp[];
  /** The fault rates drawn for this case (events per simulated minute), by kind. */
  rates: Partial<Record<FuzzFaultKind, number>>;
  faults: FuzzFault[];
}

export const LABEL_KEYS = ["a", "b", "c"];
export const FAULT_KINDS: readonly FuzzFaultKind[] = [
  "crash",
  "pause",
  "partition",
  "cut",
  "isolate",
  "link",
  "clockSkew",
];

/** The machines of a cluster, managers first (indexes in faults and ops refer to this list). */
export function machineNames(c: FuzzCluster): string[] {
  return [
    ...Array.from({ length: c.managers }, (_, i) => `manager${i + 1}`),
    ...Array.from({ length: c.workers }, (_, i) => `worker${i + 1}`),
  ];
}

const clusterArb: fc.Arbitrary<FuzzCluster> = fc.record({
  // Mostly 1-5 managers, sometimes 6 or 7; mostly a few workers, sometimes up to 20.
  managers: fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 1, max: 5 }) },
    fc.integer({ min: 6, max: 7 }),
  ),
  workers: fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 0, max: 4 }) },
    fc.integer({ min: 5, max: 20 }),
  ),
  autolock: fc.boolean(),
  snapshotInterval: fc.oneof(fc.constant(10_000), fc.integer({ min: 20, max: 200 })),
  keepEntries: fc.oneof(fc.constant(500), fc.integer({ min: 0, max: 20 })),
});

const opArb: fc.Arbitrary<FuzzOp> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("service-create" as const),
      service: fc.nat(3),
      global: fc.boolean(),
      replicas: fc.integer({ min: 0, max: 5 }),
      startFirst: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("service-update" as const),
      service: fc.nat(3),
      failing: fc.boolean(),
    }),
  },
  fc.record({ kind: fc.constant("service-rollback" as const), service: fc.nat(3) }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("service-scale" as const),
      service: fc.nat(3),
      replicas: fc.integer({ min: 0, max: 6 }),
    }),
  },
  fc.record({ kind: fc.constant("service-rm" as const), service: fc.nat(3) }),
  fc.record({ kind: fc.constant("node-promote" as const), node: fc.nat(26) }),
  fc.record({ kind: fc.constant("node-demote" as const), node: fc.nat(26) }),
  fc.record({ kind: fc.constant("node-drain" as const), node: fc.nat(26) }),
  fc.record({ kind: fc.constant("node-activate" as const), node: fc.nat(26) }),
  fc.record({ kind: fc.constant("node-rm" as const), node: fc.nat(26), force: fc.boolean() }),
  fc.record({
    kind: fc.constant("token-rotate" as const),
    role: fc.constantFrom("worker" as const, "manager" as const),
  }),
  fc.record({ kind: fc.constant("ca-rotate" as const) }),
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant("label-write" as const), key: fc.constantFrom(...LABEL_KEYS) }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("label-read" as const) }) },
  fc.record({ kind: fc.constant("worker-probe" as const), node: fc.nat(26) }),
);

function faultArb(kind: FuzzFaultKind, machines: number, horizonMs: number): fc.Arbitrary<FuzzFault> {
  const at = fc.integer({ min: 0, max: horizonMs - 1 });
  const forMs = fc.integer({ min: 500, max: Math.max(1000, horizonMs) });
  const machine = fc.nat(machines - 1);
  switch (kind) {
    case "crash":
    case "pause":
    case "isolate":
      return fc.record({ at, forMs, kind: fc.constant(kind), machine });
    case "partition":
      // Each machine's side (0 or 1): two groups.
      return fc.record({
        at,
        forMs,
        kind: fc.constant(kind),
        sides: fc.array(fc.nat(1), { minLength: machines, maxLength: machines }),
      });
    case "cut":
      return fc.record({ at, forMs, kind: fc.constant(kind), from: machine, to: machine });
    case "link":
      return fc.record({
        at,
        forMs: fc.integer({ min: 500, max: 10_000 }),
        kind: fc.constant(kind),
        loss: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.3, noNaN: true })),
        duplicate: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.2, noNaN: true })),
        reorder: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.3, noNaN: true })),
        latencyMs: fc.oneof(fc.constant(0), fc.integer({ min: 5, max: 2000 })),
      });
    case "clockSkew":
      return fc.record({
        at,
        forMs,
        kind: fc.constant(kind),
        machine,
        skewMs: fc.integer({ min: -30_000, max: 30_000 }),
      });
  }
}

/** Fault kinds and rates drawn per case, then a schedule with about those rates. */
function faultsArb(
  machines: number,
  horizonMs: number,
): fc.Arbitrary<{ rates: FuzzCase["rates"]; faults: FuzzFault[] }> {
  return fc
    .subarray([...FAULT_KINDS], { minLength: 0 })
    .chain((kinds) =>
      fc
        .tuple(...kinds.map(() => fc.double({ min: 0.5, max: 8, noNaN: true })))
        .map(
          (rs) =>
            Object.fromEntries(kinds.map((k, i) => [k, Math.round(rs[i] * 10) / 10])) as FuzzCase["rates"],
        ),
    )
    .chain((rates) => {
      const kinds = Object.keys(rates) as FuzzFaultKind[];
      if (kinds.length === 0) return fc.constant({ rates, faults: [] as FuzzFault[] });
      return fc
        .tuple(
          ...kinds.map((k) => {
            const expected = (rates[k]! * horizonMs) / 60_000;
            return fc.array(faultArb(k, machines, horizonMs), {
              maxLength: Math.max(1, Math.round(expected * 2)),
            });
          }),
        )
        .map((lists) => ({ rates, faults: lists.flat().sort((a, b) => a.at - b.at) }));
    });
}

/** The arbitrary every fuzz seed draws from (fast-check shrinks its values). */
export const fuzzCaseArb: fc.Arbitrary<FuzzCase> = fc
  .record({
    seed: fc.nat(2 ** 31 - 1),
    cluster: clusterArb,
    horizonMs: fc.integer({ min: 20_000, max: 60_000 }),
  })
  .chain(({ seed, cluster, horizonMs }) =>
    fc
      .record({
        ops: fc.array(
          fc
            .tuple(fc.integer({ min: 0, max: horizonMs - 1 }), fc.nat(6), opArb)
            .map(([at, via, op]) => ({ at, via, ...op }) as TimedOp),
          { minLength: 1, maxLength: 30 },
        ),
        schedule: faultsArb(cluster.managers + cluster.workers, horizonMs),
      })
      .map(({ ops, schedule }) => ({
        version: FUZZ_CASE_VERSION,
        seed,
        cluster,
        horizonMs,
        ops: [...ops].sort((a, b) => a.at - b.at),
        rates: schedule.rates,
        faults: schedule.faults,
      })),
  );

/** The case a fuzz seed stands for: the first value fast-check draws with that seed. */
export function drawCase(fuzzSeed: number): FuzzCase {
  return fc.sample(fuzzCaseArb, { seed: fuzzSeed, numRuns: 1 })[0];
}
