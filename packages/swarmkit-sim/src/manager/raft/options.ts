// What a RaftHost is given: the machine, the membership, the state machine, and the knobs
// (SwarmKit's defaults unless set).
import type { NodeId, RaftBugs, RaftObserver, RandomSource } from "@swarm-sim/raft";
import type { Machine } from "../../kernel/machine";
import type { RaftPeer } from "./transport";

/** The replicated state machine the host applies committed entries to. */
export interface RaftStateMachine {
  /** Applies one committed proposal; the result goes to the proposer's callback (on this node). */
  apply(data: unknown, entry: { index: number; term: number }): unknown;
  /** The state to put in a snapshot. */
  snapshot(): unknown;
  /** Resets to a snapshot's state; undefined means the empty state. Called at every boot too. */
  restore(data: unknown): void;
}

export interface RaftHostOptions {
  machine: Machine;
  /** This member's raft ID (non-zero). */
  id: NodeId;
  /** The address book: every known member, this one included. */
  peers: RaftPeer[];
  /** On a first boot with an empty disk, start a new cluster whose voters are `peers`. */
  bootstrap?: boolean;
  stateMachine: RaftStateMachine;
  /** Port to listen on (default 2377). */
  port?: number;
  /** Where on the disk the raft data lives (default /var/lib/docker/swarm/raft/). */
  dataDir?: string;
  /** Simulated ms per raft tick (default 1000, SwarmKit's TickInterval). */
  tickIntervalMs?: number;
  electionTick?: number;
  heartbeatTick?: number;
  checkQuorum?: boolean;
  preVote?: boolean;
  maxInflightMsgs?: number;
  maxEntriesPerMsg?: number;
  /** Snapshot every this many applied entries (default 10000). */
  snapshotInterval?: number;
  /** Entries kept in memory behind a snapshot for slow followers (default 500). */
  logEntriesForSlowFollowers?: number;
  /** Deadline of proposals, reads and membership changes (default SwarmKit's 5 s + 2 x election timeout). */
  requestTimeoutMs?: number;
  /** A peer is active if heard from within this window (default 3 ticks). */
  peerActiveWindowMs?: number;
  /** Election randomness (default: a kernel stream forked per boot). */
  random?: RandomSource;
  /** Sees every Ready and every restart (attach an InvariantChecker here). */
  observer?: RaftObserver;
  onLeaderChange?(isLeader: boolean, leader: NodeId, term: number): void;
  /** This member applied its own removal: the host has stopped. */
  onRemoved?(): void;
  /** Deliberately broken behaviours, only for tests that prove the checkers catch them. */
  bugs?: { skipFsync?: boolean; raft?: RaftBugs };
}

export interface ProposeOptions {
  /** Let a follower forward the proposal to the leader (default: only the leader may propose, as in SwarmKit). */
  forward?: boolean;
  timeoutMs?: number;
}
