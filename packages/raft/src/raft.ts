// The Raft state machine: term, vote, role, log, and the leader's view of its followers.
// It never does I/O: it appends outgoing messages to `msgs`, and RaftNode hands them, with
// the state to persist, to the host in a Ready batch. Role-specific message handling lives
// in step-leader.ts, step-candidate.ts and step-follower.ts; this file holds the state, the
// role transitions, elections, and the sending side of replication.
import { type Peer, type RaftConfig, type ResolvedConfig, resolveConfig } from "./config";
import { RaftLog, UNKNOWN_TERM } from "./log";
import { CAMPAIGN_TRANSFER, isLocalMessage, newMessage, voteResponseType } from "./message";
import { Progress } from "./progress";
import { quorumSize } from "./quorum";
import { ReadOnly } from "./read-only";
import { SelfMembership } from "./self-membership";
import { stepCandidate } from "./step-candidate";
import { stepFollower } from "./step-follower";
import { stepLeader } from "./step-leader";
import type { CampaignType, ProposedEntry, StepHost, VoteResult } from "./step-host";
import {
  type ConfChange,
  type Entry,
  type Message,
  type MessageType,
  NONE,
  type NodeId,
  type ReadState,
  type Snapshot,
  type StateType,
} from "./types";

export type { CampaignType, ProposedEntry } from "./step-host";

export class Raft implements StepHost {
  readonly id: NodeId;
  readonly cfg: ResolvedConfig;
  term = 0;
  vote: NodeId = NONE;
  lead: NodeId = NONE;
  state: StateType = "follower";
  readonly log: RaftLog;
  /** Voter IDs, sorted, so that every iteration over the cluster is deterministic. */
  voters: NodeId[] = [];
  /** This node's own place in the cluster (a voter, handing over after its removal, ...). */
  readonly membership = new SelfMembership();
  /** Membership changes at lower indexes were applied when the node booted from its log. */
  private membershipFrom = 0;
  readonly prs = new Map<NodeId, Progress>();
  readonly votes = new Map<NodeId, boolean>();
  /** Outgoing messages, handed to the host by the next Ready. */
  msgs: Message[] = [];
  readStates: ReadState[] = [];
  electionElapsed = 0;
  heartbeatElapsed = 0;
  randomizedElectionTimeout = 0;
  leadTransferee: NodeId = NONE;
  /** A leader accepts a new membership change only once the one at this index is applied. */
  pendingConfIndex = 0;
  readonly readOnly = new ReadOnly();
  /** ReadIndex requests that arrived before the leader committed an entry of its own term. */
  pendingReadIndex: Message[] = [];
  private readonly matchScratch: number[] = [];

  constructor(config: RaftConfig) {
    this.cfg = resolveConfig(config);
    this.id = this.cfg.id;
    const st = config.storage;
    const hasState =
      st !== undefined && (st.snapshot !== undefined || st.entries.length > 0 || st.hardState.term > 0);
    if (hasState) {
      this.log = RaftLog.restore(st.snapshot, st.entries, st.hardState.commit);
      this.term = st.hardState.term;
      this.vote = st.hardState.vote;
      this.setVoters(st.snapshot ? st.snapshot.metadata.confState.voters : []);
      // Membership changes committed after the snapshot hold already (the host replays the
      // committed entries, and applyConfChange skips these).
      for (let i = this.log.firstIndex(); i <= this.log.committed; i++) {
        const e = this.log.entry(i);
        if (e && e.type === "confChange") this.applyMembership(e.data as ConfChange, i, true);
      }
      this.membershipFrom = this.log.committed + 1;
    } else {
      this.log = new RaftLog();
      if (config.peers && config.peers.length > 0) this.bootstrap(config.peers);
    }
    this.becomeFollower(this.term, NONE);
  }

  /** A new cluster: one committed "addNode" entry per initial voter, in term 1. */
  private bootstrap(peers: readonly (NodeId | Peer)[]): void {
    const ents: Entry[] = peers.map((p, i) => {
      const cc: ConfChange =
        typeof p === "number"
          ? { type: "addNode", nodeId: p }
          : p.context === undefined
            ? { type: "addNode", nodeId: p.id }
            : { type: "addNode", nodeId: p.id, context: p.context };
      return { term: 1, index: i + 1, type: "confChange", data: cc };
    });
    this.log.append(ents);
    this.log.commitTo(ents.length);
    this.term = 1;
    this.setVoters(ents.map((e) => (e.data as ConfChange).nodeId));
  }

  // ---- membership ------------------------------------------------------------------------

  setVoters(ids: readonly NodeId[]): void {
    this.voters = [...new Set(ids)].sort((a, b) => a - b);
    for (const id of [...this.prs.keys()]) if (!this.voters.includes(id)) this.prs.delete(id);
    for (const id of this.voters) {
      if (!this.prs.has(id))
        this.prs.set(id, new Progress(this.log.lastIndex() + 1, this.cfg.maxInflightMsgs));
    }
    if (this.prs.has(this.id)) this.membership.to("voter");
  }

  quorum(): number {
    return quorumSize(this.voters.length);
  }

  /** A voter may campaign, and so may a node handing over after its removal (self-membership.ts). */
  promotable(): boolean {
    return this.membership.mayCampaign();
  }

  /**
   * Applies a membership change to the voters. `index` is its entry's; `restart` is true when
   * a node booting from its log re-applies the committed ones.
   */
  private applyMembership(cc: ConfChange, index: number, restart: boolean): void {
    if (cc.type === "addNode" && !this.prs.has(cc.nodeId)) {
      this.setVoters([...this.voters, cc.nodeId]);
      // A new member counts as active until the next quorum check, so adding it cannot make
      // the leader step down at once.
      this.prs.get(cc.nodeId)!.recentActive = true;
    } else if (cc.type === "removeNode" && this.prs.has(cc.nodeId)) {
      this.setVoters(this.voters.filter((v) => v !== cc.nodeId));
      if (cc.nodeId === this.id) {
        // A leader may be the only one that knows its removal is committed: it hands over.
        // A follower learnt the commit from a leader of the new membership.
        const handOver = (restart || this.state === "leader") && !this.cfg.bugs.skipRemovalHandover;
        this.membership.to(handOver ? "handingOver" : "removed", index);
      }
    }
  }

  /** Applies a committed membership change (RaftNode calls this as the host applies it). */
  applyConfChange(cc: ConfChange, index: number): void {
    if (index < this.membershipFrom) return;
    this.applyMembership(cc, index, false);
    if (this.state !== "leader") return;
    if (this.membership.state === "removed") {
      // Removed without a hand-over (only with bugs.skipRemovalHandover): it stops leading.
      this.becomeFollower(this.term, NONE);
      return;
    }
    if (this.leadTransferee !== NONE && !this.prs.has(this.leadTransferee)) this.abortLeaderTransfer();
    if (!this.prs.has(this.id)) this.abortLeaderTransfer();
    // A smaller quorum may commit more; a new member needs its first append.
    if (this.maybeCommit()) this.bcastAppend();
    else for (const v of this.voters) if (v !== this.id) this.maybeSendAppend(v, false);
  }

  /** Committed but unapplied membership changes forbid campaigning (etcd does the same). */
  hasUnappliedConfChanges(): boolean {
    const lo = Math.max(this.log.applied, this.log.offset) + 1;
    for (let i = lo; i <= this.log.committed; i++) if (this.log.entry(i)?.type === "confChange") return true;
    return false;
  }

  // ---- role transitions ------------------------------------------------------------------

  private reset(term: number): void {
    if (this.term !== term) {
      this.term = term;
      this.vote = NONE;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout =
      this.cfg.electionTick + Math.floor(this.cfg.random.next() * this.cfg.electionTick);
    this.abortLeaderTransfer();
    this.votes.clear();
    const last = this.log.lastIndex();
    for (const id of this.voters) {
      const pr = new Progress(last + 1, this.cfg.maxInflightMsgs);
      if (id === this.id) pr.match = last;
      this.prs.set(id, pr);
    }
    this.pendingConfIndex = 0;
    this.readOnly.reset();
    this.pendingReadIndex = [];
  }

  becomeFollower(term: number, lead: NodeId): void {
    this.reset(term);
    this.lead = lead;
    this.state = "follower";
  }

  becomeCandidate(): void {
    if (this.state === "leader") throw new Error("raft: invalid transition [leader -> candidate]");
    this.reset(this.term + 1);
    this.vote = this.id;
    this.state = "candidate";
  }

  /** A pre-candidate asks for votes for term+1 without changing its term or vote. */
  becomePreCandidate(): void {
    if (this.state === "leader") throw new Error("raft: invalid transition [leader -> pre-candidate]");
    this.votes.clear();
    this.lead = NONE;
    this.state = "preCandidate";
  }

  becomeLeader(): void {
    if (this.state === "follower") throw new Error("raft: invalid transition [follower -> leader]");
    this.reset(this.term);
    this.lead = this.id;
    this.state = "leader";
    // (A node handing over after its removal leads without being a voter: no progress of its own.)
    const self = this.prs.get(this.id);
    self?.becomeReplicate();
    if (self) self.recentActive = true;
    this.appendEntry([{ type: "normal", data: undefined }]);
    // No membership change until this term's first entry is applied (Ongaro's fix for the
    // single-server change bug: a new leader may not know of a change still in flight from
    // an earlier term). etcd waits only for the entries before it; we also wait for it.
    this.pendingConfIndex = this.log.lastIndex();
  }

  // ---- ticks -----------------------------------------------------------------------------

  tick(): void {
    if (this.state === "leader") this.tickHeartbeat();
    else this.tickElection();
  }

  private tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.step(newMessage("MsgHup", this.id, this.id, 0));
    }
  }

  private tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.cfg.electionTick) {
      this.electionElapsed = 0;
      if (this.cfg.checkQuorum) this.step(newMessage("MsgCheckQuorum", this.id, this.id, 0));
      // A transfer that did not finish within an election timeout is abandoned.
      if (this.state === "leader" && this.leadTransferee !== NONE) this.abortLeaderTransfer();
    }
    if (this.state !== "leader") return;
    for (const pr of this.prs.values()) {
      if (pr.state === "snapshot" && ++pr.snapshotTicks >= this.cfg.electionTick) pr.becomeProbe();
    }
    if (this.heartbeatElapsed >= this.cfg.heartbeatTick) {
      this.heartbeatElapsed = 0;
      this.step(newMessage("MsgBeat", this.id, this.id, 0));
    }
  }

  // ---- elections -------------------------------------------------------------------------

  hup(t: CampaignType): void {
    if (this.state === "leader") return;
    if (!this.promotable()) return;
    if (this.hasUnappliedConfChanges()) return;
    this.campaign(t);
  }

  campaign(t: CampaignType): void {
    let term: number;
    let type: "MsgVote" | "MsgPreVote";
    if (t === "preElection") {
      this.becomePreCandidate();
      type = "MsgPreVote";
      term = this.term + 1; // the term we would campaign in
    } else {
      this.becomeCandidate();
      type = "MsgVote";
      term = this.term;
    }
    if (this.poll(this.id, true) === "won") {
      // A single-voter cluster wins at once.
      if (t === "preElection") this.campaign("election");
      else this.becomeLeader();
      return;
    }
    for (const v of this.voters) {
      if (v === this.id) continue;
      const m = newMessage(type, this.id, v, term);
      m.index = this.log.lastIndex();
      m.logTerm = this.log.lastTerm();
      if (t === "transfer") m.context = CAMPAIGN_TRANSFER;
      this.msgs.push(m);
    }
  }

  /** Records a vote and tallies the election among the current voters. */
  poll(id: NodeId, granted: boolean): VoteResult {
    if (!this.votes.has(id)) this.votes.set(id, granted);
    let yes = 0;
    let no = 0;
    for (const v of this.voters) {
      const g = this.votes.get(v);
      if (g === true) yes++;
      else if (g === false) no++;
    }
    const q = this.quorum();
    if (yes >= q) return "won";
    if (this.voters.length - no < q) return "lost";
    return "pending";
  }

  // ---- the entry point for every message -------------------------------------------------

  /** Handles one message. Returns false when a proposal or read request was dropped. */
  step(m: Message): boolean {
    // A node handing over after its removal counts the voters that committed it, from the
    // commit index any of their messages carries (whatever its term: old news still counts).
    if (this.membership.state === "handingOver" && m.from !== this.id && reportsCommit(m.type)) {
      if (this.membership.heard(m.from, m.commit, this.voters, this.quorum())) this.handOverDone();
    }
    if (m.term === 0) {
      // local message, or a proposal / read request forwarded without a term
    } else if (m.term > this.term) {
      if (m.type === "MsgVote" || m.type === "MsgPreVote") {
        const force = m.context === CAMPAIGN_TRANSFER;
        const inLease =
          this.cfg.checkQuorum && this.lead !== NONE && this.electionElapsed < this.cfg.electionTick;
        // We heard from a leader recently: a candidate from a partition must not depose it.
        // A node that is not our voter (one handing over after its removal) is still told
        // how far we committed, so that it can tell when its hand-over is done.
        if (!force && inLease) {
          if (!this.prs.has(m.from)) this.reject(voteResponseType(m.type), m.from);
          return true;
        }
      }
      if (m.type === "MsgPreVote") {
        // A pre-vote never changes our term.
      } else if (m.type === "MsgPreVoteResp" && !m.reject) {
        // A granted pre-vote carries the term we would campaign in; we are not behind.
      } else if (m.type === "MsgApp" || m.type === "MsgHeartbeat" || m.type === "MsgSnap") {
        this.becomeFollower(m.term, m.from);
      } else {
        this.becomeFollower(m.term, NONE);
      }
    } else if (m.term < this.term) {
      if ((this.cfg.checkQuorum || this.cfg.preVote) && (m.type === "MsgHeartbeat" || m.type === "MsgApp")) {
        // A stale leader (say, back from a partition) learns the new term from our answer.
        // Without it, with CheckQuorum or PreVote a node whose term went up while it was cut
        // off could never be elected, and the stale leader would never step down.
        this.respond(newMessage("MsgAppResp", this.id, m.from, this.term));
      } else if (m.type === "MsgPreVote") {
        this.reject("MsgPreVoteResp", m.from);
      }
      return true;
    }

    switch (m.type) {
      case "MsgHup":
        this.hup(this.cfg.preVote ? "preElection" : "election");
        return true;
      case "MsgVote":
      case "MsgPreVote": {
        const canVote =
          this.vote === m.from ||
          (this.vote === NONE && this.lead === NONE) ||
          (m.type === "MsgPreVote" && m.term > this.term);
        if (canVote && this.log.isUpToDate(m.index, m.logTerm)) {
          // Answer in the term of the request, so a pre-candidate can tell it won.
          this.respond(newMessage(voteResponseType(m.type), this.id, m.from, m.term));
          if (m.type === "MsgVote") {
            this.electionElapsed = 0;
            this.vote = m.from;
          }
        } else {
          this.reject(voteResponseType(m.type), m.from);
        }
        return true;
      }
      default:
        if (m.term !== 0 && isLocalMessage(m.type)) return true;
        switch (this.state) {
          case "leader":
            return stepLeader(this, m);
          case "candidate":
          case "preCandidate":
            return stepCandidate(this, m);
          case "follower":
            return stepFollower(this, m);
        }
    }
  }

  // ---- the follower side of replication --------------------------------------------------

  handleAppend(m: Message): void {
    const resp = newMessage("MsgAppResp", this.id, m.from, this.term);
    if (m.index < this.log.committed) {
      resp.index = this.log.committed;
      this.respond(resp);
      return;
    }
    const lastNew = this.log.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
    if (lastNew >= 0) {
      resp.index = lastNew;
    } else {
      // Fast back-off: tell the leader the last index whose term is <= the term it tried, and
      // that term, so it can skip every entry of a term we do not share in one round trip.
      let hint = Math.min(m.index, this.log.lastIndex());
      hint = this.log.findConflictByTerm(hint, m.logTerm);
      resp.index = m.index;
      resp.reject = true;
      resp.rejectHint = hint;
      const ht = this.log.term(hint);
      resp.logTerm = ht === UNKNOWN_TERM ? 0 : ht;
    }
    this.respond(resp);
  }

  handleHeartbeat(m: Message): void {
    this.log.commitTo(m.commit);
    const resp = newMessage("MsgHeartbeatResp", this.id, m.from, this.term);
    resp.context = m.context;
    this.respond(resp);
  }

  handleSnapshot(m: Message): void {
    const s = m.snapshot!;
    const resp = newMessage("MsgAppResp", this.id, m.from, this.term);
    resp.index = this.restore(s) ? this.log.lastIndex() : this.log.committed;
    this.respond(resp);
  }

  /**
   * Sends an answer to a peer, with our commit index in it (raft does not need it; a node
   * handing over after its removal learns from it that we committed that removal).
   */
  private respond(resp: Message): void {
    resp.commit = this.log.committed;
    this.msgs.push(resp);
  }

  private reject(type: MessageType, to: NodeId): void {
    const resp = newMessage(type, this.id, to, this.term);
    resp.reject = true;
    this.respond(resp);
  }

  /** A quorum of the voters committed this node's removal: it stops leading or campaigning, for good. */
  private handOverDone(): void {
    this.membership.to("removed");
    if (this.state === "leader") {
      // Spare the voters an election timeout: the most up-to-date one campaigns at once.
      let best = NONE;
      for (const v of this.voters)
        if (best === NONE || this.prs.get(v)!.match > this.prs.get(best)!.match) best = v;
      if (best !== NONE) this.sendTimeoutNow(best);
    }
    // (A candidate stops campaigning too: the answers that told it may be the votes it asked for.)
    if (this.state !== "follower") this.becomeFollower(this.term, NONE);
  }

  /** Installs a snapshot from the leader unless our log already covers it. */
  private restore(s: Snapshot): boolean {
    const { index, term } = s.metadata;
    if (index <= this.log.committed) return false;
    if (this.log.matchTerm(index, term)) {
      // We have the entry the snapshot ends at: just commit up to it.
      this.log.commitTo(index);
      return false;
    }
    this.log.restoreSnapshot(s);
    const wasVoter = this.membership.state === "voter";
    this.setVoters(s.metadata.confState.voters);
    // A snapshot from the leader that leaves us out: our removal is in it, and the leader knows.
    if (wasVoter && !this.prs.has(this.id)) this.membership.to("removed");
    return true;
  }

  // ---- the leader side of replication ----------------------------------------------------

  /** Appends proposed entries to the leader's log (with its term and the next indexes). */
  appendEntry(es: readonly ProposedEntry[]): void {
    const li = this.log.lastIndex();
    const ents: Entry[] = new Array(es.length);
    for (let i = 0; i < es.length; i++)
      ents[i] = { term: this.term, index: li + 1 + i, type: es[i].type, data: es[i].data };
    this.log.append(ents);
    this.prs.get(this.id)?.maybeUpdate(this.log.lastIndex());
    // A single-voter cluster commits at once; otherwise the caller broadcasts.
    this.maybeCommit();
  }

  sendAppend(to: NodeId): void {
    this.maybeSendAppend(to, true);
  }

  /**
   * Sends `to` the entries it needs next (or a snapshot if they are compacted). Returns false
   * when nothing was sent: the follower is paused, or there is nothing new and !sendIfEmpty.
   */
  maybeSendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.prs.get(to);
    if (!pr || pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    const ents =
      prevTerm === UNKNOWN_TERM ? undefined : this.log.entriesFrom(pr.next, this.cfg.maxEntriesPerMsg);
    if (ents === undefined) {
      // What it needs is compacted away: send the snapshot, but only to a follower we have
      // heard from lately (sending a large snapshot into the void is wasteful).
      if (!pr.recentActive) return false;
      const snap = this.log.snapshot;
      if (!snap) throw new Error(`raft: need a snapshot for ${to} but have none`);
      const m = newMessage("MsgSnap", this.id, to, this.term);
      m.snapshot = snap;
      this.msgs.push(m);
      pr.becomeSnapshot(snap.metadata.index);
      return true;
    }
    if (ents.length === 0 && !sendIfEmpty) return false;
    const m = newMessage("MsgApp", this.id, to, this.term);
    m.index = prevIndex;
    m.logTerm = prevTerm;
    m.entries = ents;
    m.commit = this.log.committed;
    this.msgs.push(m);
    if (pr.state === "replicate") {
      if (ents.length > 0) {
        const last = ents[ents.length - 1].index;
        pr.optimisticUpdate(last);
        pr.inflights.add(last);
      }
    } else if (pr.state === "probe") {
      pr.probeSent = true;
    }
    return true;
  }

  bcastAppend(): void {
    for (const v of this.voters) if (v !== this.id) this.sendAppend(v);
  }

  bcastHeartbeat(ctx: unknown): void {
    for (const v of this.voters) {
      if (v === this.id) continue;
      const m = newMessage("MsgHeartbeat", this.id, v, this.term);
      // Never tell a follower to commit beyond what it is known to have.
      m.commit = Math.min(this.prs.get(v)!.match, this.log.committed);
      m.context = ctx;
      this.msgs.push(m);
    }
  }

  /**
   * Advances the commit index to the highest index a quorum has, but only if that entry is
   * from the current term (Raft §5.4.2, Figure 8): an older entry replicated on a majority
   * can still be overwritten, so it commits only along with a current-term entry after it.
   */
  maybeCommit(): boolean {
    const ms = this.matchScratch;
    ms.length = 0;
    for (const v of this.voters) ms.push(this.prs.get(v)!.match);
    if (ms.length === 0) return false;
    ms.sort((a, b) => b - a);
    const mci = ms[this.quorum() - 1];
    if (mci <= this.log.committed) return false;
    if (this.log.term(mci) !== this.term && !this.cfg.bugs.commitPreviousTermByCount) return false;
    this.log.commitTo(mci);
    return true;
  }

  committedEntryInCurrentTerm(): boolean {
    return this.log.term(this.log.committed) === this.term;
  }

  /** Leader: does a quorum look alive? Then forget who was heard, for the next check. */
  checkQuorumActive(): boolean {
    let active = 0;
    for (const v of this.voters) if (v === this.id || this.prs.get(v)!.recentActive) active++;
    for (const v of this.voters) if (v !== this.id) this.prs.get(v)!.recentActive = false;
    return active >= this.quorum();
  }

  sendTimeoutNow(to: NodeId): void {
    this.msgs.push(newMessage("MsgTimeoutNow", this.id, to, this.term));
  }

  abortLeaderTransfer(): void {
    this.leadTransferee = NONE;
  }

  /** Answers a ReadIndex request: locally, or to the follower that forwarded it. */
  respondToReadIndex(from: NodeId, ctx: unknown, index: number): void {
    if (from === NONE || from === this.id) {
      this.readStates.push({ index, requestCtx: ctx });
      return;
    }
    const m = newMessage("MsgReadIndexResp", this.id, from, this.term);
    m.index = index;
    m.context = ctx;
    this.msgs.push(m);
  }
}

/** Messages whose `commit` is their sender's commit index (or, from a leader, no more than it). */
function reportsCommit(t: MessageType): boolean {
  return (
    t === "MsgApp" ||
    t === "MsgHeartbeat" ||
    t === "MsgAppResp" ||
    t === "MsgHeartbeatResp" ||
    t === "MsgVoteResp" ||
    t === "MsgPreVoteResp"
  );
}
