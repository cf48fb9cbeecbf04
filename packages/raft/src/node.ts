// RaftNode: the public face of one Raft member, in the shape of etcd's RawNode. The host
// calls tick() on a timer, step() for each message from a peer, and loops:
//   if (node.hasReady()) { const rd = node.ready(); persist; send; apply; node.advance(); }
// Nothing leaves the node except through ready(), which is what lets a host crash a node
// between "persisted" and "sent".
import type { RaftConfig } from "./config";
import { isLocalMessage, newMessage } from "./message";
import type { ProgressState } from "./progress";
import { Raft } from "./raft";
import type { MembershipState } from "./self-membership";
import type {
  ConfChange,
  ConfState,
  Entry,
  HardState,
  Message,
  NodeId,
  Ready,
  Snapshot,
  SoftState,
  StateType,
} from "./types";
import { NONE } from "./types";

export interface ProgressStatus {
  match: number;
  next: number;
  state: ProgressState;
  recentActive: boolean;
  inflight: number;
}

export interface Status {
  id: NodeId;
  term: number;
  vote: NodeId;
  commit: number;
  applied: number;
  lead: NodeId;
  raftState: StateType;
  firstIndex: number;
  lastIndex: number;
  voters: NodeId[];
  /** This node's own place in the cluster: see self-membership.ts. */
  membership: MembershipState;
  leadTransferee: NodeId;
  /** The leader's view of each voter (leaders only). */
  progress?: Map<NodeId, ProgressStatus>;
}

export class RaftNode {
  private readonly r: Raft;
  private prevSoft: SoftState;
  private prevHard: HardState;
  /** The Ready handed out and not yet advanced. */
  private pending: Ready | undefined;

  constructor(config: RaftConfig) {
    this.r = new Raft(config);
    this.prevSoft = { lead: NONE, raftState: "follower" };
    // A restarted node's hard state is already on disk; a new one's is not.
    const st = config.storage;
    this.prevHard = st ? { ...st.hardState } : { term: 0, vote: NONE, commit: 0 };
  }

  get id(): NodeId {
    return this.r.id;
  }

  /** Advances logical time by one tick (elections, heartbeats, quorum checks). */
  tick(): void {
    this.r.tick();
  }

  /** Handles a message from a peer. Local-only message types from the network are ignored. */
  step(m: Message): void {
    if (isLocalMessage(m.type)) return;
    this.r.step(m);
  }

  /** Starts an election now (SwarmKit does this for a cluster's first member). */
  campaign(): void {
    this.r.step(newMessage("MsgHup", this.r.id, this.r.id, 0));
  }

  /**
   * Proposes data for the log. On a follower the proposal is forwarded to the leader.
   * Returns false when it was dropped here (no known leader, a leadership transfer in
   * progress, or this node is not a member). True does not mean it will commit.
   */
  propose(data: unknown): boolean {
    const m = newMessage("MsgProp", this.r.id, this.r.id, 0);
    m.entries = [{ term: 0, index: 0, type: "normal", data }];
    return this.r.step(m);
  }

  /**
   * Proposes a single-server membership change. A leader refuses it (returns false) while an
   * earlier change is not yet applied. It takes effect as the entry is applied (advance()).
   */
  proposeConfChange(cc: ConfChange): boolean {
    const m = newMessage("MsgProp", this.r.id, this.r.id, 0);
    m.entries = [{ term: 0, index: 0, type: "confChange", data: cc }];
    return this.r.step(m);
  }

  /**
   * Asks the leader to hand leadership to `to`: it brings `to` up to date, then tells it to
   * campaign at once. Proposals are refused meanwhile; the attempt is abandoned after an
   * election timeout.
   */
  transferLeadership(to: NodeId): void {
    const m = newMessage("MsgTransferLeader", this.r.id, this.r.id, 0);
    m.context = to;
    this.r.step(m);
  }

  /**
   * Requests a linearizable read point. `ctx` identifies the request (compared with ===);
   * a ReadState with it appears in a later Ready once the leader confirmed its leadership.
   * Serve the read when applied >= ReadState.index. Returns false if dropped here.
   */
  readIndex(ctx: unknown): boolean {
    const m = newMessage("MsgReadIndex", this.r.id, this.r.id, 0);
    m.context = ctx;
    return this.r.step(m);
  }

  /** The host could not deliver to `id` (the leader then probes it instead of streaming). */
  reportUnreachable(id: NodeId): void {
    this.r.step(newMessage("MsgUnreachable", id, this.r.id, 0));
  }

  /** The host finished (ok) or failed sending a snapshot to `id`. */
  reportSnapshot(id: NodeId, ok: boolean): void {
    const m = newMessage("MsgSnapStatus", id, this.r.id, 0);
    m.reject = !ok;
    this.r.step(m);
  }

  hasReady(): boolean {
    const r = this.r;
    if (r.msgs.length > 0 || r.readStates.length > 0) return true;
    if (r.log.hasUnstable() || r.log.pendingSnapshot !== undefined || r.log.hasNextEnts()) return true;
    if (r.lead !== this.prevSoft.lead || r.state !== this.prevSoft.raftState) return true;
    const h = this.prevHard;
    return r.term !== h.term || r.vote !== h.vote || r.log.committed !== h.commit;
  }

  /** What the host must persist, send and apply now. Call advance() when done. */
  ready(): Ready {
    if (this.pending) throw new Error("raft: ready() called again before advance()");
    const r = this.r;
    const rd: Ready = {
      entries: r.log.unstableEntries(),
      committedEntries: r.log.nextEnts(),
      messages: r.msgs,
      readStates: r.readStates,
      mustSync: false,
    };
    r.msgs = [];
    r.readStates = [];
    if (r.lead !== this.prevSoft.lead || r.state !== this.prevSoft.raftState) {
      rd.softState = { lead: r.lead, raftState: r.state };
    }
    const h = this.prevHard;
    if (r.term !== h.term || r.vote !== h.vote || r.log.committed !== h.commit) {
      rd.hardState = { term: r.term, vote: r.vote, commit: r.log.committed };
    }
    if (r.log.pendingSnapshot) rd.snapshot = r.log.pendingSnapshot;
    rd.mustSync =
      rd.entries.length > 0 || rd.snapshot !== undefined || r.term !== h.term || r.vote !== h.vote;
    this.pending = rd;
    return rd;
  }

  /**
   * The host persisted the last Ready's state, sent its messages and applied its entries.
   * Membership changes among the applied entries take effect here.
   */
  advance(): void {
    const rd = this.pending;
    if (!rd) return;
    this.pending = undefined;
    const r = this.r;
    if (rd.softState) this.prevSoft = rd.softState;
    if (rd.hardState) this.prevHard = rd.hardState;
    if (rd.entries.length > 0) {
      const last = rd.entries[rd.entries.length - 1];
      r.log.stableTo(last.index, last.term);
    }
    if (rd.snapshot) r.log.snapshotInstalled(rd.snapshot.metadata.index);
    const ce = rd.committedEntries;
    for (const e of ce) {
      if (e.type === "confChange") {
        r.applyConfChange(e.data as ConfChange, e.index);
        r.log.appliedTo(e.index);
      }
    }
    if (ce.length > 0) r.log.appliedTo(ce[ce.length - 1].index);
  }

  /**
   * Takes a snapshot of the state machine at the applied index (`data` is what the host's
   * state machine produced there) and compacts the in-memory log, keeping `keepEntries`
   * entries before it for followers that are a little behind. The host persists the result.
   */
  createSnapshot(data: unknown, keepEntries = 0): Snapshot {
    const log = this.r.log;
    const index = log.applied;
    if (index === 0) throw new Error("raft: nothing applied to snapshot");
    const term = log.term(index);
    if (term < 0) throw new Error(`raft: cannot snapshot at compacted index ${index}`);
    const snap: Snapshot = { metadata: { index, term, confState: this.confState() }, data };
    if (!log.snapshot || log.snapshot.metadata.index < index) log.snapshot = snap;
    log.compact(Math.max(0, index - keepEntries));
    return snap;
  }

  /** Discards in-memory entries up to and including `index` (which must be applied). */
  compact(index: number): void {
    this.r.log.compact(index);
  }

  confState(): ConfState {
    return { voters: [...this.r.voters] };
  }

  isLeader(): boolean {
    return this.r.state === "leader";
  }

  /** This node's own place in the cluster (see self-membership.ts). */
  membership(): MembershipState {
    return this.r.membership.state;
  }

  leader(): NodeId {
    return this.r.lead;
  }

  /** The current term, without building a whole status. */
  term(): number {
    return this.r.term;
  }

  /** The index of the log's last entry, without building a whole status. */
  lastIndex(): number {
    return this.r.log.lastIndex();
  }

  /** Entry at index, if still in memory (for hosts and tests). */
  entry(index: number): Entry | undefined {
    return this.r.log.entry(index);
  }

  status(): Status {
    const r = this.r;
    const s: Status = {
      id: r.id,
      term: r.term,
      vote: r.vote,
      commit: r.log.committed,
      applied: r.log.applied,
      lead: r.lead,
      raftState: r.state,
      firstIndex: r.log.firstIndex(),
      lastIndex: r.log.lastIndex(),
      voters: [...r.voters],
      membership: r.membership.state,
      leadTransferee: r.leadTransferee,
    };
    if (r.state === "leader") {
      s.progress = new Map();
      for (const [id, pr] of r.prs) {
        s.progress.set(id, {
          match: pr.match,
          next: pr.next,
          state: pr.state,
          recentActive: pr.recentActive,
          inflight: pr.inflights.count,
        });
      }
    }
    return s;
  }
}
