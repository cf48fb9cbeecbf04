// RaftHost: one Raft member (a RaftNode from @swarm-sim/raft) run as a process on a simulated
// machine; what every manager runs, and what the raft tests exercise.
//  - It starts as a new cluster, joins one, restarts from its disk, or forces a new cluster
//    from its disk (RaftStart).
//  - A ticker on the machine's timers (SwarmKit's 1 s tick) and the Ready loop, in the order the
//    persistence contract demands: write hard state, entries and snapshot to the disk (sealed
//    under autolock) and fsync, THEN send the messages, then install the snapshot and apply the
//    committed entries, then advance. The loop runs in its own event (after(0)), so that the
//    messages arriving at one instant are handled in one pass, and never inside a caller.
//  - Messages go through a pluggable transport (kernel network or the managers' RPC); the
//    member table maps raft IDs to addresses, follows membership changes and snapshots, and
//    follows a member's new address.
//  - Proposals, ReadIndex reads, membership changes and leadership transfers settle through
//    callbacks with gRPC errors and SwarmKit's messages (errors.ts).
//  - An observer (the invariant checker) sees every Ready and every restart; a wire tap (the lab
//    studio) sees every message sent and received.
// A crash kills the process: its timers die with the machine's incarnation; the disk keeps what
// was synced, and the owner starts a new RaftHost from it.
import {
  type ConfChange,
  type Entry,
  type Message,
  NONE,
  type NodeId,
  type PersistentState,
  RaftNode,
  type Ready,
  type Snapshot,
  type SoftState,
  type StateType,
  type Status,
  SWARMKIT_DEFAULTS,
  quorumSize,
} from "@swarm-sim/raft";
import type { RaftMemberInfo, RaftWireMessage } from "../../api/raft";
import type { Timer } from "../../kernel/event-queue";
import type { Machine } from "../../kernel/machine";
import type { World } from "../../kernel/machine";
import type { GrpcError } from "../../transport/grpc-error";
import { PeerActivity } from "./activity";
import { AddressFollower } from "./address-follower";
import { type RaftCipher, raftCipher } from "./cipher";
import { type ConfContext, type EntryEnvelope, RecentRequests, type SnapshotEnvelope } from "./envelopes";
import {
  ErrCannotRemoveMember,
  ErrConfChangeRefused,
  ErrIDRemoved,
  ErrLostLeadership,
  ErrMemberRemoved,
  ErrNoClusterLeader,
  ErrNoTransferee,
  ErrProposalDropped,
  ErrStopped,
  ErrTimeout,
  raftError,
} from "./errors";
import { forceNewCluster } from "./force-new-cluster";
import { MemberTable } from "./members";
import type { ProposeOptions, RaftHostOptions } from "./options";
import { type Done, Requests } from "./requests";
import { DEFAULT_RAFT_DIR, RaftStorage } from "./storage";
import type { MessageSource } from "./transport";

/** A peer counts as active if heard from within this many ticks (SwarmKit: the 2 s send watchdog). */
const ACTIVE_TICKS = 3;

/**
 * The member's lifecycle. `leaving`: it applied its own removal while leading and hands over
 * to the remaining voters (see @swarm-sim/raft self-membership.ts), refusing requests; `removed`
 * and `stopped` are final.
 */
export type HostState = "running" | "leaving" | "removed" | "stopped";

const TRANSITIONS: Record<HostState, readonly HostState[]> = {
  running: ["leaving", "removed", "stopped"],
  leaving: ["removed", "stopped"],
  removed: [],
  stopped: [],
};

export class RaftHost {
  readonly raftId: NodeId;
  readonly machine: Machine;
  readonly sim: World;
  private lifecycle: HostState = "running";
  private readonly node: RaftNode;
  private readonly storage: RaftStorage;
  private readonly table = new MemberTable();
  private readonly activity: PeerActivity;
  private readonly addresses: AddressFollower | undefined;
  private readonly requests: Requests;
  private readonly recent = new RecentRequests();
  private readonly tickMs: number;
  private readonly timeoutMs: number;
  /** Role and leader as the last Ready reported them. */
  private role: StateType = "follower";
  private lead: NodeId = NONE;
  private applied = 0;
  /** Elected leader with entries of its log still to apply (see drain: told once it has). */
  private catchingUp = false;
  private snapshotIndex = 0;
  private scheduled: Timer | undefined;
  /** Campaign once the Ready loop has run (the cluster's only member). */
  private campaignNext = false;
  /**
   * Restarted after its removal with nothing left to hand over (the removal is in its snapshot's
   * member table): it stops at once, as SwarmKit's does.
   */
  private readonly removedAtBoot: boolean;
  private cipherCount = 0;

  constructor(private readonly o: RaftHostOptions) {
    this.machine = o.machine;
    this.sim = o.machine.sim;
    this.tickMs = o.tickMs ?? SWARMKIT_DEFAULTS.tickIntervalMs;
    const electionTick = o.electionTick ?? SWARMKIT_DEFAULTS.electionTick;
    this.timeoutMs = o.requestTimeoutMs ?? 5000 + 2 * electionTick * this.tickMs;
    this.storage = new RaftStorage(o.machine.disk, o.dataDir ?? DEFAULT_RAFT_DIR, this.cipherFor(o.dataKey));
    const config = {
      random: o.random,
      electionTick: o.electionTick,
      heartbeatTick: o.heartbeatTick,
      checkQuorum: o.checkQuorum,
      preVote: o.preVote,
      maxInflightMsgs: o.maxInflightMsgs,
      maxEntriesPerMsg: o.maxEntriesPerMsg,
      bugs: o.bugs?.raft,
    };
    const start = o.start;
    let starts = 1;
    if (start.kind === "new" || start.kind === "join") {
      this.raftId = start.self.raftId;
      for (const m of start.members ?? []) this.table.set(m);
      this.table.set(start.self);
      if (start.kind === "new") {
        // Each founder's bootstrap entry carries it (SwarmKit's raft.Peer context), so that a
        // restart, and a member that joins later, learn where the founders are from the log.
        const founders = (start.members ?? [start.self]).map((m) => ({
          id: m.raftId,
          context: { info: m } satisfies ConfContext,
        }));
        this.node = new RaftNode({ ...config, id: this.raftId, peers: founders });
      } else {
        this.node = new RaftNode({ ...config, id: this.raftId });
      }
    } else {
      const identity = this.storage.readIdentity();
      if (!identity) throw new Error("raft: no member identity on disk");
      this.raftId = identity.raftId;
      starts = identity.starts + 1;
      // Only the identity on disk: the member crashed before its first Ready was synced (a
      // joiner the leader had not reached yet). SwarmKit's raft ID sits in the WAL's metadata,
      // written when the member joins, so its member restarts from that empty WAL
      // (raft.RestartNode with an empty log) and the leader catches it up; so does ours.
      let persisted = this.storage.load() ?? emptyState();
      if (start.kind === "force-new-cluster") {
        persisted = forceNewCluster(persisted, this.raftId, o.stateMachine);
        this.storage.reset(persisted);
      }
      this.restoreFrom(persisted);
      o.observer?.onRestart(this.raftId, persisted);
      this.node = new RaftNode({ ...config, id: this.raftId, storage: persisted });
    }
    // A member whose log removes it hands over again first (raft's rule: it may be the leader
    // that removed itself and crashed before the others knew; SwarmKit's member stops at once,
    // which leaves them waiting for its vote).
    this.removedAtBoot =
      this.node.membership() === "removed" ||
      (this.table.isRemoved(this.raftId) && this.node.membership() !== "handingOver");
    this.storage.writeIdentity({ raftId: this.raftId, starts });
    this.storage.sync();
    this.requests = new Requests(o.machine, `${this.raftId.toString(36)}.${starts}.`);
    this.activity = new PeerActivity(this.raftId, () => this.sim.now(), ACTIVE_TICKS * this.tickMs);
    if (o.healthCheck)
      this.addresses = new AddressFollower(
        this.table,
        this.activity,
        o.healthCheck,
        ACTIVE_TICKS * this.tickMs,
        () => this.sim.now(),
      );
    // A cluster's only member campaigns at once (a new cluster, a restarted single manager).
    const voters = this.node.status().voters;
    this.campaignNext = voters.length === 1 && voters[0] === this.raftId;
    o.transport.listen(
      (wire, source) => this.receive(wire, source),
      () => {
        // A peer says we were removed (we missed the entry): stop as if we had applied it.
        if (this.lifecycle === "running") this.removed();
      },
    );
    // Nothing runs inside the constructor: the owner is not wired to us yet.
    this.scheduleProcess();
    o.machine.after(this.tickMs, () => this.tick());
  }

  // ---- queries ---------------------------------------------------------------------------

  get state(): HostState {
    return this.lifecycle;
  }

  /** Is the member's process running (handing over included)? */
  get running(): boolean {
    return this.lifecycle === "running" || this.lifecycle === "leaving";
  }

  isLeader(): boolean {
    return this.lifecycle === "running" && this.node.isLeader();
  }

  /** Has this member applied every entry of its log (SwarmKit raft.go caughtUp)? */
  caughtUp(): boolean {
    return this.applied >= this.node.lastIndex();
  }

  /** The leader's raft ID as this member knows it; 0 when there is none, or it is leaving or stopped. */
  leaderId(): NodeId {
    return this.lifecycle === "running" ? this.node.leader() : NONE;
  }

  status(): Status {
    return this.node.status();
  }

  /** Index of the last entry applied to the state machine. */
  appliedIndex(): number {
    return this.applied;
  }

  /** The members as this member knows them, in the order they joined. */
  members(): RaftMemberInfo[] {
    return this.table.list();
  }

  member(raftId: NodeId): RaftMemberInfo | undefined {
    return this.table.get(raftId);
  }

  /** SwarmKit's peer.active: heard from within the last few ticks (this member always). */
  isActive(raftId: NodeId): boolean {
    return this.activity.isActive(raftId);
  }

  /** SwarmKit's CanRemoveMember: would the members still reachable without `raftId` form a quorum? */
  canRemoveMember(raftId: NodeId): boolean {
    let reachable = 0;
    for (const m of this.table.list()) if (m.raftId !== raftId && this.isActive(m.raftId)) reachable++;
    return reachable >= quorumSize(this.table.size() - 1);
  }

  walLength(): number {
    return this.storage.walLength();
  }

  // ---- requests --------------------------------------------------------------------------

  /**
   * Proposes `payload`; `done(null, result)` once its entry is applied here (`result` is what
   * the state machine returned). Only the leader proposes, unless forwardProposals is on. After
   * an error other than a refusal on the spot the entry may still commit: the outcome is unknown.
   */
  propose(payload: unknown, done: Done, opts: ProposeOptions = {}): void {
    const asLeader = this.node.isLeader();
    if (this.refuse(done, !asLeader && !this.o.forwardProposals ? ErrLostLeadership : undefined)) return;
    const rid = this.requests.add("proposal", done, opts.timeoutMs ?? this.timeoutMs, asLeader, ErrTimeout);
    if (this.node.propose({ rid, payload } satisfies EntryEnvelope)) this.scheduleProcess();
    else this.requests.fail(rid, raftError(asLeader ? ErrProposalDropped : ErrNoClusterLeader));
  }

  /**
   * A linearizable read point: `done(null)` runs once the leader confirmed its leadership and
   * this member applied up to the read index, so reading the state machine inside the callback
   * is linearizable. Followers ask the leader.
   */
  readIndex(done: Done, opts: ProposeOptions = {}): void {
    if (this.refuse(done)) return;
    const asLeader = this.node.isLeader();
    const rid = this.requests.add("read", done, opts.timeoutMs ?? this.timeoutMs, asLeader, ErrTimeout);
    if (this.node.readIndex(rid)) this.scheduleProcess();
    else this.requests.fail(rid, raftError(asLeader ? ErrLostLeadership : ErrNoClusterLeader));
  }

  /** Adds a voter, or updates a member's address (leader only); `done` once applied here. */
  addMember(info: RaftMemberInfo, done: Done): void {
    const why = !this.node.isLeader()
      ? ErrLostLeadership
      : this.table.isRemoved(info.raftId)
        ? ErrIDRemoved
        : undefined;
    if (this.refuse(done, why)) return;
    const type = this.node.status().voters.includes(info.raftId) ? "updateNode" : "addNode";
    this.confChange({ type, nodeId: info.raftId }, info, done);
  }

  /** Removes a voter (leader only), refusing when the rest could not form a quorum. */
  removeMember(raftId: NodeId, done: Done): void {
    const why = !this.node.isLeader()
      ? ErrLostLeadership
      : this.table.has(raftId) && !this.canRemoveMember(raftId)
        ? ErrCannotRemoveMember
        : undefined;
    if (this.refuse(done, why)) return;
    // (Not a member: nothing to remove, as the managers always answered.)
    if (!this.table.has(raftId)) done(null);
    else this.confChange({ type: "removeNode", nodeId: raftId }, undefined, done);
  }

  /**
   * Hands leadership to `to` (default: the peer active for longest, as SwarmKit picks); `done`
   * once another member leads.
   */
  transferLeadership(done: Done, to?: NodeId): void {
    const target = to ?? this.activity.longestActive(this.node.status().voters);
    const why = !this.node.isLeader()
      ? ErrLostLeadership
      : target === undefined
        ? ErrNoTransferee
        : undefined;
    if (this.refuse(done, why) || target === undefined) return;
    this.requests.add("transfer", done, this.timeoutMs, false, ErrTimeout);
    this.node.transferLeadership(target);
    this.scheduleProcess();
  }

  /** Starts an election now. */
  campaign(): void {
    if (!this.running) return;
    this.node.campaign();
    this.scheduleProcess();
  }

  /** Re-encrypts the raft data on disk under a new data key (null: in the clear). */
  setDataKey(dek: Uint8Array | null): void {
    this.storage.rekey(this.cipherFor(dek));
    this.storage.sync();
  }

  /** Stops the member for good (a crash, or SwarmKit's node.Stop); the disk keeps its data. */
  stop(): void {
    if (!this.running) return;
    this.to("stopped");
    this.shutdown(raftError(ErrStopped));
  }

  // ---- lifecycle -------------------------------------------------------------------------

  private to(next: HostState): void {
    if (!TRANSITIONS[this.lifecycle].includes(next))
      throw new Error(`raft host: invalid transition [${this.lifecycle} -> ${next}]`);
    this.lifecycle = next;
  }

  /**
   * Refuses a request (answers `done` with the error, and returns true) when the member is not
   * running, or for the reason given.
   */
  private refuse(done: Done, reason?: string): boolean {
    const why =
      this.lifecycle === "running" ? reason : this.lifecycle === "leaving" ? ErrLostLeadership : ErrStopped;
    if (why === undefined) return false;
    done(raftError(why));
    return true;
  }

  private shutdown(err: GrpcError): void {
    this.scheduled?.cancel();
    this.scheduled = undefined;
    this.o.transport.close();
    this.requests.failAll(err);
  }

  private tick(): void {
    if (!this.running) return;
    this.node.tick();
    this.process();
    if (this.isLeader()) this.addresses?.check((info, from) => this.followAddress(info, from));
    if (this.running) this.machine.after(this.tickMs, () => this.tick());
  }

  private receive(wire: RaftWireMessage, source: MessageSource): GrpcError | null {
    if (!this.running) return null;
    const m = wire.msg;
    // SwarmKit's ProcessRaftMessage: a removed member is told so (but for the last word of a
    // leader that removed itself and handed over: campaign now); a message for another raft ID
    // is dropped, and so is a forwarded proposal (only the leader proposes, so proposals cannot
    // conflict) unless this cluster forwards proposals.
    if (this.table.isRemoved(m.from) && m.type !== "MsgTimeoutNow") return raftError(ErrMemberRemoved);
    if (m.to !== this.raftId || (m.type === "MsgProp" && !this.o.forwardProposals)) return null;
    if (m.type.endsWith("Resp")) this.activity.answered(m.from);
    this.o.wire?.received?.(this.machine, source.host, m);
    this.addresses?.observe(m.from, source);
    // A member we have no address for (added while we were down, its change not applied here
    // yet) is answered where it says it listens: else we could neither vote for it nor take its
    // appends, and would never learn of it.
    this.table.heardFrom(m.from, wire.from);
    this.activity.heard(m.from);
    this.node.step(m);
    this.scheduleProcess();
    return null;
  }

  // ---- the Ready loop --------------------------------------------------------------------

  private scheduleProcess(): void {
    if (this.scheduled || !this.running) return;
    this.scheduled = this.machine.after(0, () => {
      this.scheduled = undefined;
      this.process();
    });
  }

  private process(): void {
    // (A timer that fired while the machine was paused runs at its resume, even if the member
    // stopped meanwhile.)
    if (!this.running) return;
    if (this.removedAtBoot) {
      this.removed();
      return;
    }
    this.drain();
    if (this.campaignNext && this.running) {
      this.campaignNext = false;
      this.node.campaign();
      this.drain();
    }
    // (After the Ready loop, which notes every change: a Ready's messages, the last word of a
    // hand-over among them, go out before the member stops. This catches a hand-over a restart
    // began, should there be nothing to replay.)
    if (this.running) this.membershipChanged();
    if (this.running) this.maybeSnapshot();
  }

  private drain(): void {
    const node = this.node;
    while (this.running && node.hasReady()) {
      const rd = node.ready();
      this.o.observer?.onReady(this.raftId, rd);
      this.persist(rd);
      for (const m of rd.messages) this.send(m);
      if (rd.snapshot) this.installSnapshot(rd.snapshot);
      for (const e of rd.committedEntries) this.apply(e);
      for (const rs of rd.readStates) this.requests.readPoint(rs.requestCtx, rs.index);
      this.requests.resolveReads(this.applied);
      node.advance();
      if (!this.running) return; // a callback stopped us
      if (rd.softState) this.leadershipChanged(rd.softState);
      // A leader elected before it had applied its whole log has now: told once, as SwarmKit's
      // raft signals leadership only then (caughtUp), and the manager starts its components.
      else if (this.catchingUp && this.isLeader() && this.caughtUp()) {
        this.catchingUp = false;
        this.o.onLeaderChange?.(true, this.lead, this.node.term());
      }
      this.membershipChanged();
    }
  }

  private persist(rd: Ready): void {
    // A Ready's snapshot comes from the leader: it replaces the whole log.
    if (rd.snapshot) this.storage.installSnapshot(rd.snapshot);
    if (rd.entries.length > 0) this.storage.appendEntries(rd.entries);
    if (rd.hardState) this.storage.saveHardState(rd.hardState);
    // Raft needs only term, vote and entries synced (mustSync); we sync a changed commit index
    // too. Otherwise a leader that removed the only other member (which then stopped for good)
    // and crashed would come back with the old membership, waiting forever for its vote.
    if ((rd.mustSync || rd.hardState) && !this.o.bugs?.skipFsync) this.storage.sync();
  }

  private send(m: Message): void {
    const addr = this.table.addressOf(m.to);
    if (addr === undefined) return;
    this.o.transport.send(addr, { msg: m, from: this.table.get(this.raftId)?.addr ?? "" });
    this.o.wire?.sent?.(this.machine, addr, m);
    // The transport does not report how a snapshot went: count it sent (etcd's transport
    // reports it once the stream is written), so the leader probes the follower next.
    if (m.type === "MsgSnap") this.node.reportSnapshot(m.to, true);
  }

  private apply(e: Entry): void {
    this.applied = e.index;
    if (e.type === "confChange") {
      this.applyConfChange(e.data as ConfChange);
      return;
    }
    const env = e.data as EntryEnvelope | undefined;
    if (env === undefined) return; // a new leader's empty entry
    // A second copy of a proposal (a forwarded proposal that reached the leader twice): every
    // member drops it, as the request IDs are replicated state.
    if (this.recent.has(env.rid)) return;
    this.recent.add(env.rid);
    const result = this.o.stateMachine.apply(env.payload, { index: e.index, term: e.term });
    if (result instanceof Error) this.requests.fail(env.rid, result);
    else this.requests.resolve(env.rid, result);
  }

  private applyConfChange(cc: ConfChange): void {
    const ctx = (cc.context ?? {}) as ConfContext;
    if (cc.type === "removeNode") {
      this.table.remove(cc.nodeId);
      this.activity.forget(cc.nodeId);
      // (SwarmKit's applyRemoveNode makes a follower that applies the leader's removal campaign
      // at once, as its removed leader stops at once. Ours hands over and then tells the most
      // up-to-date voter to campaign; every follower campaigning too would split the vote.)
    } else if (ctx.info) {
      this.table.set(ctx.info);
      this.activity.heard(cc.nodeId);
    }
    if (ctx.rid !== undefined) this.requests.resolve(ctx.rid);
  }

  private leadershipChanged(soft: SoftState): void {
    const wasLeader = this.role === "leader";
    this.role = soft.raftState;
    const leading = soft.raftState === "leader" && soft.lead === this.raftId;
    if (wasLeader && !leading) this.requests.failLeaderRequests(raftError(ErrLostLeadership));
    if (soft.lead !== this.lead) {
      this.lead = soft.lead;
      this.sim.trace.record("raft.leader", { machine: this.machine.name, lead: soft.lead });
      // A transfer is done once someone else leads.
      if (soft.lead !== NONE && soft.lead !== this.raftId) this.requests.resolveTransfers();
    }
    this.catchingUp = leading && !this.caughtUp();
    this.o.onLeaderChange?.(leading && this.lifecycle === "running", soft.lead, this.node.term());
  }

  /** This member applied its own removal: it hands over if it led, then it stops for good. */
  private membershipChanged(): void {
    const m = this.node.membership();
    if (m === "handingOver" && this.lifecycle === "running") {
      this.to("leaving");
      this.o.onLeaderChange?.(false, NONE, this.node.term());
    } else if (m === "removed") {
      this.removed();
    }
  }

  private removed(): void {
    this.to("removed");
    this.shutdown(raftError(ErrMemberRemoved));
    this.o.onRemoved?.();
  }

  // ---- snapshots -------------------------------------------------------------------------

  /** At a restart: the snapshot's state, and the membership the committed log holds after it. */
  private restoreFrom(p: PersistentState): void {
    if (p.snapshot) this.installSnapshot(p.snapshot, false);
    for (const e of p.entries) {
      if (e.index > p.hardState.commit || e.type !== "confChange") continue;
      const cc = e.data as ConfChange;
      const ctx = (cc.context ?? {}) as ConfContext;
      if (cc.type === "removeNode") this.table.remove(cc.nodeId);
      else if (ctx.info) this.table.set(ctx.info);
    }
  }

  private installSnapshot(s: Snapshot, received = true): void {
    const env = s.data as SnapshotEnvelope;
    this.o.stateMachine.restore(env.app);
    this.table.reset(env.members, env.removed);
    this.recent.reset(env.recentRids);
    this.applied = this.snapshotIndex = s.metadata.index;
    if (received)
      this.sim.trace.record("raft.installSnapshot", { machine: this.machine.name, index: s.metadata.index });
  }

  /** Every snapshotInterval applied entries: snapshot the state machine, compact the log. */
  private maybeSnapshot(): void {
    const interval = this.o.snapshotInterval ?? SWARMKIT_DEFAULTS.snapshotInterval;
    if (this.applied - this.snapshotIndex < interval) return;
    const env: SnapshotEnvelope = {
      app: this.o.stateMachine.snapshot(),
      members: this.table.list(),
      removed: this.table.removedIds(),
      recentRids: this.recent.list(),
    };
    const keep = this.o.logEntriesForSlowFollowers ?? SWARMKIT_DEFAULTS.logEntriesForSlowFollowers;
    const snap = this.node.createSnapshot(env, keep);
    this.storage.saveSnapshot(snap);
    this.storage.sync();
    this.snapshotIndex = snap.metadata.index;
  }

  // ---- helpers ---------------------------------------------------------------------------

  private confChange(cc: ConfChange, info: RaftMemberInfo | undefined, done: Done): void {
    const rid = this.requests.add("proposal", done, this.timeoutMs, true, ErrTimeout);
    if (this.node.proposeConfChange({ ...cc, context: { rid, info } satisfies ConfContext }))
      this.scheduleProcess();
    else this.requests.fail(rid, raftError(ErrConfChangeRefused));
  }

  /** A member answered at a new address: use it now, and (leader) write it to raft. */
  private followAddress(info: RaftMemberInfo, from: string): void {
    if (!this.running) return;
    this.sim.trace.record("raft.addressChange", {
      machine: this.machine.name,
      raftId: info.raftId,
      from,
      to: info.addr,
    });
    this.table.set(info);
    if (this.isLeader()) this.confChange({ type: "updateNode", nodeId: info.raftId }, info, () => {});
  }

  private cipherFor(dek: Uint8Array | null | undefined): RaftCipher | null {
    // A fresh nonce stream per cipher: a stream must never restart under the same key.
    return dek ? raftCipher(dek, this.o.random.fork(`dek-nonces/${this.cipherCount++}`)) : null;
  }
}

/** A log with nothing in it: a member that never synced a Ready. */
function emptyState(): PersistentState {
  return { hardState: { term: 0, vote: 0, commit: 0 }, entries: [] };
}
