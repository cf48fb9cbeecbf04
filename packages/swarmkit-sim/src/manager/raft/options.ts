// What a RaftHost is given: the machine, how it starts, the state machine, the transport, and
// the knobs (SwarmKit's defaults unless set).
import type { Message, NodeId, RaftBugs, RaftObserver } from "@swarm-sim/raft";
import type { RaftMemberInfo } from "../../api/raft";
import type { Machine } from "../../kernel/machine";
import type { Random } from "../../kernel/random";
import type { HealthCheck } from "./address-follower";
import type { RaftTransport } from "./transport";

/** How a member starts. */
export type RaftStart =
  /**
   * A new cluster (`docker swarm init`): `self` alone, or the founding `members` (tests of raft
   * start clusters of several members this way).
   */
  | { kind: "new"; self: RaftMemberInfo; members?: RaftMemberInfo[] }
  /** A member joining: the leader already added it; these are the members it was told of. */
  | { kind: "join"; self: RaftMemberInfo; members: RaftMemberInfo[] }
  /** A restart: everything comes from the disk. */
  | { kind: "restart" }
  /** `--force-new-cluster`: the disk's committed state, every other member removed. */
  | { kind: "force-new-cluster" };

/** The replicated state machine the host applies committed entries to. */
export interface RaftStateMachine {
  /**
   * Applies one committed proposal. What it returns goes to the proposer's callback on this
   * member; an Error it returns fails the proposal with that error (the entry was applied all
   * the same, with the same outcome, on every member).
   */
  apply(payload: unknown, entry: { index: number; term: number }): unknown;
  /** The state to put in a snapshot. */
  snapshot(): unknown;
  /** Resets to a snapshot's state; undefined means the empty state. */
  restore(data: unknown): void;
}

export interface RaftHostOptions {
  machine: Machine;
  /** Election timeouts and the data key's nonces come from here. */
  random: Random;
  start: RaftStart;
  stateMachine: RaftStateMachine;
  transport: RaftTransport;
  /** Where on the disk the raft data lives (default /var/lib/docker/swarm/raft/). */
  dataDir?: string;
  /** The data key the raft data is encrypted with on disk (autolock); null or absent: in the clear. */
  dataKey?: Uint8Array | null;
  /** Simulated ms per raft tick (default 1000, SwarmKit's TickInterval). */
  tickMs?: number;
  electionTick?: number;
  heartbeatTick?: number;
  checkQuorum?: boolean;
  preVote?: boolean;
  maxInflightMsgs?: number;
  maxEntriesPerMsg?: number;
  /** Snapshot every this many applied entries (default 10000, SwarmKit's SnapshotInterval). */
  snapshotInterval?: number;
  /** Entries kept in memory behind a snapshot for slow followers (default 500). */
  logEntriesForSlowFollowers?: number;
  /** Deadline of proposals, reads, membership changes and transfers (default 5 s + 2 x election timeout). */
  requestTimeoutMs?: number;
  /**
   * Let followers forward proposals to the leader over raft, and the leader accept them. Off by
   * default, as in SwarmKit, whose members drop a forwarded proposal (the manager forwards store
   * writes to the leader over its own RPC instead); tests of raft alone turn it on.
   */
  forwardProposals?: boolean;
  /** Asks a member's observed new address whether raft answers there; without it, addresses are not followed. */
  healthCheck?: HealthCheck;
  /** Sees every Ready and every restart (attach an InvariantChecker here). */
  observer?: RaftObserver;
  /** Sees the messages this member sends and receives (the lab studio's "Raft in flight"). */
  wire?: RaftWireTap;
  /** Leadership changed, as this member sees it. */
  onLeaderChange?(isLeader: boolean, leader: NodeId, term: number): void;
  /** This member was removed from the cluster (and handed over, if it led): it has stopped. */
  onRemoved?(): void;
  /** Deliberately broken behaviours, only for tests that prove the checkers catch them. */
  bugs?: RaftHostBugs;
}

/**
 * The raft messages a member sends and receives, for a picture of Raft in flight. The handlers
 * are looked up at every message: a tap with none set costs a property read, so a lab can keep
 * one wired in and set its handlers only while someone watches. Handlers must not keep `m`
 * (its entries may be large) nor act on the world: they only look.
 */
export interface RaftWireTap {
  /** `machine`'s member sent `m` to the member at `toAddr` ("host:port"). */
  sent?(machine: Machine, toAddr: string, m: Message): void;
  /** `machine`'s member took `m` in, sent from `fromHost` (the address it came from). */
  received?(machine: Machine, fromHost: string, m: Message): void;
}

export interface RaftHostBugs {
  /** Writes are not synced before the messages that depend on them leave. */
  skipFsync?: boolean;
  /** The raft library's own (see @swarm-sim/raft RaftBugs). */
  raft?: RaftBugs;
}

export interface ProposeOptions {
  timeoutMs?: number;
}
