// What the manager needs from its Raft member: the store transactions it replicates, the
// membership it changes, and the leader it forwards to. The member is the one raft host
// (manager/raft/raft-host.ts), built by manager/raft-factory.ts; tests may wrap it.
import type { RaftMemberInfo } from "../api/raft";
import type { StoreAction } from "./store/actions";

export type { RaftMemberInfo } from "../api/raft";

export interface ConsensusEvents {
  /** A committed store transaction, in log order (apply it to the store). */
  apply(actions: StoreAction[]): Error | null;
  /** Leadership changed (this node became leader, or stopped being it). */
  leaderChange(isLeader: boolean, leaderRaftId: number): void;
  /** This member was removed from the cluster (the manager must stop and clear its data). */
  removed(): void;
}

export interface Consensus {
  readonly raftId: number;
  isLeader(): boolean;
  /**
   * Has this member applied every entry of its log? A new leader's log may hold entries of an
   * earlier term that commit and apply only after it was elected; SwarmKit signals leadership
   * (and starts the leader's components) only once the leader caught up (raft.go caughtUp).
   */
  caughtUp(): boolean;
  /** The current leader's raft ID, 0 when there is none. */
  leaderId(): number;
  members(): RaftMemberInfo[];
  member(raftId: number): RaftMemberInfo | undefined;
  /** Whether the leader's transport has heard from this member lately (SwarmKit peer.active). */
  isActive(raftId: number): boolean;
  /** Proposes a store transaction; `done` runs once applied here, or with the error. */
  propose(actions: StoreAction[], done: (err: Error | null) => void): void;
  /**
   * A linearizable read point (ReadIndex): `done` once this leader confirmed it still leads
   * and has applied everything committed before the call.
   */
  readIndex(done: (err: Error | null) => void): void;
  /** Adds a voter (leader only); `done` once the change is applied. */
  addMember(info: RaftMemberInfo, done: (err: Error | null) => void): void;
  /** Removes a voter (leader only), refusing if that could lose quorum. */
  removeMember(raftId: number, done: (err: Error | null) => void): void;
  /** Hands leadership to another member; `done` once someone else leads, or with an error. */
  transferLeadership(done: (err: Error | null) => void): void;
  /** Could this member be removed without losing quorum (SwarmKit CanRemoveMember)? */
  canRemoveMember(raftId: number): boolean;
  /** Re-encrypts the raft data on disk under a new data key (null: in the clear). */
  setDataKey(dek: Uint8Array | null): void;
  stop(): void;
}
