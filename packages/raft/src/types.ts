// The data Raft exchanges with its host: log entries, messages, the state to persist, and
// the Ready batch. Everything here is plain data; entries and messages are never mutated
// once created, so the host (and the simulated network and disk) may share references.

/** A raft member ID. 0 means "nobody". */
export type NodeId = number;
export const NONE: NodeId = 0;

export type EntryType = "normal" | "confChange";

/** A log entry. `data` is opaque to Raft (for "confChange" entries it is a ConfChange). */
export interface Entry {
  readonly term: number;
  readonly index: number;
  readonly type: EntryType;
  readonly data: unknown;
}

export type ConfChangeType = "addNode" | "removeNode" | "updateNode";

/**
 * A single-server membership change. `context` is carried through the log untouched (SwarmKit
 * puts the member's node ID and address there).
 */
export interface ConfChange {
  type: ConfChangeType;
  nodeId: NodeId;
  context?: unknown;
}

/** The voters of the cluster at some log index. */
export interface ConfState {
  voters: NodeId[];
}

/** What must be on stable storage before any message that depends on it leaves. */
export interface HardState {
  term: number;
  vote: NodeId;
  commit: number;
}

export type StateType = "follower" | "preCandidate" | "candidate" | "leader";

/** Volatile state, reported when it changes; never persisted. */
export interface SoftState {
  lead: NodeId;
  raftState: StateType;
}

export interface SnapshotMetadata {
  index: number;
  term: number;
  confState: ConfState;
}

/** A state-machine snapshot covering the log up to metadata.index. `data` is opaque. */
export interface Snapshot {
  metadata: SnapshotMetadata;
  data: unknown;
}

/** The answer to a readIndex(ctx) request: reads are linearizable once applied >= index. */
export interface ReadState {
  index: number;
  requestCtx: unknown;
}

export type MessageType =
  | "MsgHup" // local: start an election
  | "MsgBeat" // local: leader should send heartbeats
  | "MsgProp" // a proposal (local, or forwarded by a follower)
  | "MsgApp"
  | "MsgAppResp"
  | "MsgVote"
  | "MsgVoteResp"
  | "MsgPreVote"
  | "MsgPreVoteResp"
  | "MsgSnap"
  | "MsgHeartbeat"
  | "MsgHeartbeatResp"
  | "MsgUnreachable" // local: the host could not reach a peer
  | "MsgSnapStatus" // local: the host reports how sending a snapshot went
  | "MsgCheckQuorum" // local: leader checks it still hears a quorum
  | "MsgTransferLeader"
  | "MsgTimeoutNow"
  | "MsgReadIndex"
  | "MsgReadIndexResp";

/**
 * One Raft message. Every field is always present (with a zero value when unused) so that
 * messages share one object shape on the hot path.
 *
 * Field use by type: MsgApp carries (index, logTerm) of the entry before `entries`, and the
 * leader's commit; MsgAppResp carries the last index accepted, or on rejection the rejected
 * index plus a hint (rejectHint, logTerm) for fast back-off; votes carry the candidate's last
 * (index, logTerm); heartbeats carry commit and, for ReadIndex, a context; MsgTransferLeader
 * carries the transferee in `context`; MsgReadIndex/Resp carry the request context and index.
 */
export interface Message {
  type: MessageType;
  from: NodeId;
  to: NodeId;
  term: number;
  logTerm: number;
  index: number;
  entries: readonly Entry[];
  commit: number;
  reject: boolean;
  rejectHint: number;
  snapshot: Snapshot | undefined;
  context: unknown;
}

/**
 * What the host must do next, in this order: persist hardState, entries and snapshot (and
 * sync when mustSync), then send messages, then install the snapshot and apply
 * committedEntries to the state machine, then call advance().
 */
export interface Ready {
  /** Present when lead or role changed since the last Ready. */
  softState?: SoftState;
  /** Present when term, vote or commit changed since the last Ready. */
  hardState?: HardState;
  /** Entries to append to stable storage. Entries at an index already stored replace it and all after it. */
  entries: Entry[];
  /** A snapshot received from the leader, to persist and install. */
  snapshot?: Snapshot;
  /** Committed entries to apply, in order. */
  committedEntries: Entry[];
  /** Messages to send, only after everything above is persisted. */
  messages: Message[];
  readStates: ReadState[];
  /** True when hardState's term/vote, entries or snapshot must reach disk before sending. */
  mustSync: boolean;
}

/** The durable state a node restarts from (what the host saved from Ready batches). */
export interface PersistentState {
  hardState: HardState;
  snapshot?: Snapshot;
  /** Entries after the snapshot, in index order. */
  entries: Entry[];
}

export const EMPTY_HARD_STATE: HardState = Object.freeze({ term: 0, vote: NONE, commit: 0 });
