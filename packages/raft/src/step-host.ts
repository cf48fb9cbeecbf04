// What the role-specific step functions (step-leader.ts, step-candidate.ts, step-follower.ts)
// need of the Raft state machine. They depend on this interface rather than on the Raft class,
// so that raft.ts can call them without the two importing each other.
import type { RaftLog } from "./log";
import type { Progress } from "./progress";
import type { ReadOnly } from "./read-only";
import type { Message, NodeId, ReadState, StateType, EntryType } from "./types";

export type CampaignType = "preElection" | "election" | "transfer";
export type VoteResult = "won" | "lost" | "pending";

/** An entry as proposed, before the leader gives it a term and an index. */
export interface ProposedEntry {
  type: EntryType;
  data: unknown;
}

export interface StepHost {
  readonly id: NodeId;
  readonly term: number;
  lead: NodeId;
  readonly state: StateType;
  readonly log: RaftLog;
  readonly voters: NodeId[];
  readonly prs: Map<NodeId, Progress>;
  msgs: Message[];
  readStates: ReadState[];
  electionElapsed: number;
  leadTransferee: NodeId;
  pendingConfIndex: number;
  readonly readOnly: ReadOnly;
  pendingReadIndex: Message[];

  quorum(): number;
  becomeFollower(term: number, lead: NodeId): void;
  becomeLeader(): void;
  hup(t: CampaignType): void;
  campaign(t: CampaignType): void;
  poll(id: NodeId, granted: boolean): VoteResult;
  handleAppend(m: Message): void;
  handleHeartbeat(m: Message): void;
  handleSnapshot(m: Message): void;
  appendEntry(es: readonly ProposedEntry[]): void;
  sendAppend(to: NodeId): void;
  maybeSendAppend(to: NodeId, sendIfEmpty: boolean): boolean;
  bcastAppend(): void;
  bcastHeartbeat(ctx: unknown): void;
  maybeCommit(): boolean;
  committedEntryInCurrentTerm(): boolean;
  checkQuorumActive(): boolean;
  sendTimeoutNow(to: NodeId): void;
  abortLeaderTransfer(): void;
  respondToReadIndex(from: NodeId, ctx: unknown, index: number): void;
}
