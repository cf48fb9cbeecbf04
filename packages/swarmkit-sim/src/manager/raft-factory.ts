// How a manager gets its Raft member: a factory, so that tests can wrap the member (to observe
// it, or to break it on purpose) without the manager knowing. The real one runs the raft host
// (manager/raft/) with the manager's store as its state machine and the manager's RPC as its
// transport.
import type { RaftObserver } from "@swarm-sim/raft";
import type { Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import type { Sim } from "../kernel/sim";
import type { Consensus, ConsensusEvents } from "./consensus";
import {
  RaftHost,
  type RaftHostBugs,
  type RaftStart,
  type RaftTransport,
  type RaftWireTap,
} from "./raft/index";
import type { StoreAction } from "./store/actions";

export type ConsensusStart = RaftStart;

export interface ConsensusOptions {
  sim: Sim;
  machine: Machine;
  random: Random;
  start: ConsensusStart;
  events: ConsensusEvents;
  /** The store's state for a raft snapshot, and how to load one. */
  snapshot(): unknown;
  restore(data: unknown): void;
  /** Where on the machine's disk the raft data lives. */
  dataDir: string;
  /** SwarmKit's tick is 1 s. */
  tickMs: number;
  /** The DEK raft data is encrypted with on disk (null: in the clear). */
  dataKey: Uint8Array | null;
  /** Snapshot every this many applied entries (default 10000, SwarmKit's SnapshotInterval). */
  snapshotInterval?: number;
  /** Entries kept behind a snapshot for slow followers (default 500, SwarmKit's). */
  logEntriesForSlowFollowers?: number;
  /** Raft messages to and from the other managers (over the manager's authenticated RPC). */
  transport: RaftTransport;
  /** Asks the manager at `addr` whether it serves raft (SwarmKit's Health.Check("Raft")). */
  healthCheck(addr: string, done: (err: Error | null) => void): void;
  /** Sees every Ready and restart of this member (tests attach an InvariantChecker). */
  observer?: RaftObserver;
  /** Sees the raft messages this member sends and receives (the lab studio's picture). */
  wire?: RaftWireTap;
  /** Deliberately broken raft, only for tests that prove the checkers catch it. */
  bugs?: RaftHostBugs;
}

export type ConsensusFactory = (opts: ConsensusOptions) => Consensus;

/** The manager's Raft member: the raft host, replicating store transactions. */
export const raftConsensusFactory: ConsensusFactory = (o) =>
  new RaftHost({
    machine: o.machine,
    random: o.random,
    start: o.start,
    dataDir: o.dataDir,
    dataKey: o.dataKey,
    tickMs: o.tickMs,
    snapshotInterval: o.snapshotInterval,
    logEntriesForSlowFollowers: o.logEntriesForSlowFollowers,
    transport: o.transport,
    healthCheck: o.healthCheck,
    observer: o.observer,
    wire: o.wire,
    bugs: o.bugs,
    stateMachine: {
      apply: (payload) => o.events.apply(payload as StoreAction[]),
      snapshot: o.snapshot,
      restore: o.restore,
    },
    onLeaderChange: (isLeader, lead) => o.events.leaderChange(isLeader, lead),
    onRemoved: () => o.events.removed(),
  });
