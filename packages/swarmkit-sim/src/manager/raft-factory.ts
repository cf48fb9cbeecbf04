// How a manager gets its Raft member: a factory, so the manager does not depend on the glue's
// construction details (see raft-member.ts for the real one).
import type { Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import type { Sim } from "../kernel/sim";
import type { Consensus, ConsensusEvents, RaftMemberInfo } from "./consensus";

export type ConsensusStart =
  /** `docker swarm init`: a one-member cluster that elects itself. */
  | { kind: "new"; self: RaftMemberInfo }
  /** A manager joining: the leader already added it; these are the members it was told of. */
  | { kind: "join"; self: RaftMemberInfo; members: RaftMemberInfo[] }
  /** A restart: everything comes from the disk. */
  | { kind: "restart" }
  /** `--force-new-cluster`: the disk's data, every other member removed. */
  | { kind: "force-new-cluster" };

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
  /** Sends a raft message to a member's address (over the manager's authenticated RPC). */
  send(addr: string, msg: unknown): void;
  /** Asks the manager at `addr` whether it serves raft (SwarmKit's Health.Check("Raft")). */
  healthCheck(addr: string, done: (err: Error | null) => void): void;
}

export type ConsensusFactory = (opts: ConsensusOptions) => Consensus;

/** True if the disk holds raft data (a manager that can restart from it). */
export type HasRaftData = (machine: Machine, dataDir: string) => boolean;
