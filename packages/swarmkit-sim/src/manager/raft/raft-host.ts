// RaftHost runs a RaftNode (packages/raft) as a process on a simulated machine:
//  - a ticker on the machine's timers (SwarmKit's 1 s tick by default);
//  - the Ready loop, in the order the persistence contract demands: write hard state, entries
//    and snapshot to the machine's disk and fsync, THEN send the messages, then install the
//    snapshot and apply committed entries to the state machine, then advance;
//  - recovery from the disk at every boot (the machine's onBoot hook);
//  - transport over the kernel network, peers addressed by raft ID;
//  - proposals, ReadIndex reads, membership changes and leadership transfers, each settled
//    by a callback (never a Promise: the kernel runs events synchronously);
//  - hooks for an observer such as the invariant checker.
// A crash kills the process: the node, its timers and listeners vanish; the disk keeps what
// was synced.
import {
  type ConfChange,
  type Entry,
  type Message,
  NONE,
  type NodeId,
  RaftNode,
  type Ready,
  type Snapshot,
  type Status,
  SWARMKIT_DEFAULTS,
} from "@swarm-sim/raft";
import type { Machine } from "../../kernel/machine";
import type { World } from "../../kernel/machine";
import { DEFAULT_RAFT_DIR, RaftDiskStorage } from "./disk-storage";
import {
  ErrCannotRemoveMember,
  ErrConfChangeRefused,
  ErrIDNotFound,
  ErrIDRemoved,
  ErrLostLeadership,
  ErrMemberRemoved,
  ErrNoClusterLeader,
  ErrProposalDropped,
  ErrStopped,
  ErrTimeout,
  RaftHostError,
} from "./errors";
import { type ConfContext, type EntryEnvelope, RecentRequests, type SnapshotEnvelope } from "./envelopes";
import type { ProposeOptions, RaftHostOptions } from "./options";
import { type Done, PendingRequests } from "./pending";
import { DEFAULT_RAFT_PORT, type RaftPeer, RaftTransport } from "./transport";

export class RaftHost {
  readonly id: NodeId;
  readonly machine: Machine;
  readonly sim: World;
  private readonly o: RaftHostOptions;
  private readonly tickMs: number;
  private readonly timeoutMs: number;
  private node: RaftNode | undefined;
  private storage: RaftDiskStorage;
  private transport: RaftTransport;
  private proposals: PendingRequests;
  private reads: PendingRequests;
  private transfers: PendingRequests;
  private boots = 0;
  private seq = 0;
  private driving = false;
  private again = false;
  private leading = false;
  private lead: NodeId = NONE;
  private applied = 0;
  private lastSnapshot = 0;
  private campaignAfterApply = false;
  private stopped = false;
  private readonly recentRids = new RecentRequests();

  constructor(opts: RaftHostOptions) {
    this.o = opts;
    this.id = opts.id;
    this.machine = opts.machine;
    this.sim = opts.machine.sim;
    this.tickMs = opts.tickIntervalMs ?? SWARMKIT_DEFAULTS.tickIntervalMs;
    const electionTick = opts.electionTick ?? SWARMKIT_DEFAULTS.electionTick;
    this.timeoutMs = opts.requestTimeoutMs ?? 5000 + 2 * electionTick * this.tickMs;
    // Placeholders until the first boot replaces them.
    this.storage = new RaftDiskStorage(this.machine.disk, opts.dataDir ?? DEFAULT_RAFT_DIR);
    this.transport = this.newTransport();
    this.proposals = new PendingRequests(this.machine);
    this.reads = new PendingRequests(this.machine);
    this.transfers = new PendingRequests(this.machine);
    this.machine.onBoot(() => this.boot());
    this.machine.onHalt(() => this.halt());
    if (this.machine.isUp()) this.boot();
  }

  // ---- queries ---------------------------------------------------------------------------

  /** Is the raft process running (the machine is up and the host not stopped)? */
  get running(): boolean {
    return this.node !== undefined;
  }

  isLeader(): boolean {
    return this.node?.isLeader() ?? false;
  }

  /** The leader's raft ID as this node knows it, or 0. */
  leader(): NodeId {
    return this.node?.leader() ?? NONE;
  }

  status(): Status | undefined {
    return this.node?.status();
  }

  /** Index of the last entry applied to the state machine. */
  appliedIndex(): number {
    return this.applied;
  }

  /** The current voters with their addresses (as far as this node knows them). */
  members(): RaftPeer[] {
    const voters = this.node?.status().voters ?? [];
    return voters.map((id) => this.transport.peer(id) ?? { id, address: "" });
  }

  isActive(id: NodeId): boolean {
    return this.transport.isActive(id);
  }

  /** SwarmKit's CanRemoveMember: would the members still reachable after removing `id` form a quorum? */
  canRemoveMember(id: NodeId): boolean {
    const voters = this.node?.status().voters ?? [];
    const reachable = voters.filter((v) => v !== id && this.transport.isActive(v)).length;
    return reachable >= Math.floor((voters.length - 1) / 2) + 1;
  }

  /** Messages sent and received by this incarnation's transport. */
  traffic(): { sent: number; received: number } {
    return { sent: this.transport.sent, received: this.transport.received };
  }

  walLength(): number {
    return this.storage.walLength();
  }

  // ---- requests --------------------------------------------------------------------------

  /**
   * Proposes `payload`; `done(null, result)` once its entry is applied here (result is what
   * the state machine returned). Errors: ErrLostLeadership if this node is not the leader (or
   * stops leading before the entry is applied), ErrStopped, ErrTimeout. After an error the
   * entry may still commit: the outcome is unknown.
   */
  propose(payload: unknown, done: Done, opts: ProposeOptions = {}): void {
    const node = this.node;
    if (!node) {
      fail(done, ErrStopped);
      return;
    }
    const asLeader = node.isLeader();
    if (!asLeader && !opts.forward) {
      fail(done, ErrLostLeadership);
      return;
    }
    const rid = this.nextRid();
    if (!node.propose({ rid, payload } satisfies EntryEnvelope)) {
      fail(done, asLeader ? ErrProposalDropped : ErrNoClusterLeader);
      return;
    }
    this.proposals.add(rid, done, opts.timeoutMs ?? this.timeoutMs, asLeader);
    this.drive();
  }

  /**
   * A linearizable read point: `done(null)` runs once the leader confirmed its leadership and
   * this node applied up to the read index, so reading the state machine inside the callback
   * is linearizable. Works on followers too (the request is forwarded).
   */
  readIndex(done: Done, opts: { timeoutMs?: number } = {}): void {
    const node = this.node;
    if (!node) {
      fail(done, ErrStopped);
      return;
    }
    const ctx = `read:${this.nextRid()}`;
    if (!node.readIndex(ctx)) {
      fail(done, ErrNoClusterLeader);
      return;
    }
    this.reads.add(ctx, done, opts.timeoutMs ?? this.timeoutMs, node.isLeader());
    this.drive();
  }

  /** Adds a voter (leader only); `done` once the change is applied here. */
  addMember(peer: RaftPeer, done: Done): void {
    const node = this.node;
    if (!node) {
      fail(done, ErrStopped);
      return;
    }
    if (!node.isLeader()) {
      fail(done, ErrLostLeadership);
      return;
    }
    if (this.transport.isRemoved(peer.id)) {
      fail(done, ErrIDRemoved);
      return;
    }
    const type = node.status().voters.includes(peer.id) ? "updateNode" : "addNode";
    this.confChange({ type, nodeId: peer.id }, { peer: { ...peer } }, done);
  }

  /** Removes a voter (leader only), refusing when that could cost the quorum. */
  removeMember(id: NodeId, done: Done): void {
    const node = this.node;
    if (!node) {
      fail(done, ErrStopped);
      return;
    }
    if (!node.isLeader()) {
      fail(done, ErrLostLeadership);
      return;
    }
    if (!node.status().voters.includes(id)) {
      fail(done, ErrIDNotFound);
      return;
    }
    if (!this.canRemoveMember(id)) {
      fail(done, ErrCannotRemoveMember);
      return;
    }
    this.confChange({ type: "removeNode", nodeId: id }, {}, done);
  }

  /**
   * Hands leadership to `to` (default: the peer active for longest, as SwarmKit picks);
   * `done` once another member leads.
   */
  transferLeadership(done: Done, to?: NodeId): void {
    const node = this.node;
    if (!node) {
      fail(done, ErrStopped);
      return;
    }
    if (!node.isLeader()) {
      fail(done, ErrLostLeadership);
      return;
    }
    const target = to ?? this.transport.longestActive();
    if (target === undefined) {
      fail(done, "failed to get longest-active member");
      return;
    }
    this.transfers.add(
      this.nextRid(),
      done,
      this.timeoutMs,
      false,
      `failed to transfer leadership: ${ErrTimeout}`,
    );
    node.transferLeadership(target);
    this.drive();
  }

  /** Starts an election now. */
  campaign(): void {
    this.node?.campaign();
    this.drive();
  }

  /** Stops the raft process for good (SwarmKit node.Stop); the disk keeps its data. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.shutdown(ErrStopped);
  }

  // ---- lifecycle -------------------------------------------------------------------------

  private newTransport(): RaftTransport {
    const window = this.o.peerActiveWindowMs ?? 3 * this.tickMs;
    const t = new RaftTransport(this.machine, this.id, this.o.port ?? DEFAULT_RAFT_PORT, window);
    for (const p of this.o.peers) t.setPeer(p);
    return t;
  }

  private boot(): void {
    if (this.stopped) return;
    this.boots++;
    const o = this.o;
    this.storage = new RaftDiskStorage(this.machine.disk, o.dataDir ?? DEFAULT_RAFT_DIR);
    this.transport = this.newTransport();
    this.proposals = new PendingRequests(this.machine);
    this.reads = new PendingRequests(this.machine);
    this.transfers = new PendingRequests(this.machine);
    this.leading = false;
    this.lead = NONE;
    const config = {
      id: this.id,
      random: o.random ?? this.sim.random.fork(`raft/${this.machine.name}/${this.id}/${this.boots}`),
      electionTick: o.electionTick,
      heartbeatTick: o.heartbeatTick,
      checkQuorum: o.checkQuorum,
      preVote: o.preVote,
      maxInflightMsgs: o.maxInflightMsgs,
      maxEntriesPerMsg: o.maxEntriesPerMsg,
      bugs: o.bugs?.raft,
    };
    const persisted = this.storage.load();
    if (persisted) {
      this.restoreFromSnapshot(persisted.snapshot);
      o.observer?.onRestart(this.id, persisted);
      this.node = new RaftNode({ ...config, storage: persisted });
    } else {
      this.restoreFromSnapshot(undefined);
      this.node = new RaftNode({ ...config, peers: o.bootstrap ? o.peers.map((p) => p.id) : undefined });
    }
    this.sim.trace.record("raft.boot", {
      machine: this.machine.name,
      id: this.id,
      restored: persisted !== undefined,
    });
    this.transport.listen((m) => this.onMessage(m));
    this.machine.after(this.tickMs, () => this.tickLoop());
    this.drive();
    // SwarmKit: a cluster's only member campaigns as soon as it can (a new cluster, or a
    // restarted single manager).
    const node = this.node;
    if (node) {
      const voters = node.status().voters;
      if (voters.length === 1 && voters[0] === this.id && !node.isLeader()) this.campaign();
    }
  }

  private halt(): void {
    this.shutdown(ErrStopped);
  }

  private shutdown(reason: string): void {
    this.node = undefined;
    this.leading = false;
    this.lead = NONE;
    const err = new RaftHostError(reason);
    this.proposals.failAll(err);
    this.reads.failAll(err);
    this.transfers.failAll(err);
  }

  private tickLoop(): void {
    if (!this.node) return;
    this.node.tick();
    this.drive();
    if (this.node) this.machine.after(this.tickMs, () => this.tickLoop());
  }

  private onMessage(m: Message): void {
    if (!this.node) return;
    this.node.step(m);
    this.drive();
  }

  // ---- the Ready loop --------------------------------------------------------------------

  /** Handles Ready batches until there are none. Re-entrant calls (from callbacks) just ask for another pass. */
  private drive(): void {
    if (this.driving) {
      this.again = true;
      return;
    }
    this.driving = true;
    try {
      do {
        this.again = false;
        const node = this.node;
        while (node && this.node === node && node.hasReady()) this.handle(node, node.ready());
      } while (this.again && this.node);
    } finally {
      this.driving = false;
    }
  }

  private handle(node: RaftNode, rd: Ready): void {
    this.o.observer?.onReady(this.id, rd);
    this.persist(rd);
    for (const m of rd.messages) this.transport.send(m);
    if (rd.snapshot) this.installSnapshot(rd.snapshot);
    for (const e of rd.committedEntries) this.apply(e);
    for (const rs of rd.readStates) {
      const p = this.reads.get(rs.requestCtx as string);
      if (p) p.readIndex = rs.index;
    }
    node.advance();
    if (this.node !== node) return; // a callback crashed or stopped us
    if (rd.softState) this.leadershipChanged(node, rd.softState.lead, rd.softState.raftState === "leader");
    this.reads.resolveReads(this.applied);
    if (this.removedSelf(node)) return;
    if (this.campaignAfterApply) {
      this.campaignAfterApply = false;
      node.campaign();
    }
    this.maybeSnapshot(node);
  }

  private persist(rd: Ready): void {
    if (rd.snapshot) this.storage.installSnapshot(rd.snapshot);
    if (rd.entries.length > 0) this.storage.appendEntries(rd.entries);
    if (rd.hardState) this.storage.saveHardState(rd.hardState);
    // Raft needs only term, vote and entries synced (rd.mustSync); a lost commit index is
    // relearned. We sync a commit index too: a member that applies its own removal stops for
    // good, and if the leader that told it then crashed having lost the commit index, it
    // would restart with the old membership and wait forever for the removed member's vote.
    if ((rd.mustSync || rd.hardState) && !this.o.bugs?.skipFsync) this.storage.sync();
  }

  private apply(e: Entry): void {
    this.applied = e.index;
    if (e.type === "normal") {
      if (e.data === undefined) return; // a new leader's empty entry
      const env = e.data as EntryEnvelope;
      if (this.recentRids.has(env.rid)) return; // a duplicate of a proposal already applied
      this.recentRids.add(env.rid);
      const result = this.o.stateMachine.apply(env.payload, { index: e.index, term: e.term });
      this.proposals.resolve(env.rid, result);
      return;
    }
    const cc = e.data as ConfChange;
    const ctx = (cc.context ?? {}) as ConfContext;
    if (cc.type === "removeNode") {
      this.transport.removePeer(cc.nodeId);
      // SwarmKit: a follower that applies the removal of the leader campaigns at once.
      if (cc.nodeId === this.lead && cc.nodeId !== this.id) this.campaignAfterApply = true;
    } else if (ctx.peer) {
      this.transport.setPeer(ctx.peer);
    }
    this.sim.trace.record("raft.confChange", {
      machine: this.machine.name,
      id: this.id,
      type: cc.type,
      node: cc.nodeId,
    });
    if (ctx.rid) this.proposals.resolve(ctx.rid);
  }

  private removedSelf(node: RaftNode): boolean {
    if (!this.transport.isRemoved(this.id)) return false;
    this.stopped = true;
    if (this.node === node) this.shutdown(ErrMemberRemoved);
    this.o.onRemoved?.();
    return true;
  }

  private leadershipChanged(node: RaftNode, lead: NodeId, isLeader: boolean): void {
    const was = this.leading;
    this.leading = isLeader;
    this.lead = lead;
    const term = node.status().term;
    this.sim.trace.record("raft.leader", { machine: this.machine.name, id: this.id, lead, isLeader, term });
    if (was && !isLeader) {
      const err = new RaftHostError(ErrLostLeadership);
      this.proposals.failWhere((p) => p.asLeader, err);
      this.reads.failWhere((p) => p.asLeader, err);
    }
    // A transfer is done once someone else leads.
    if (lead !== NONE && lead !== this.id) this.transfers.resolveAll();
    this.o.onLeaderChange?.(isLeader, lead, term);
  }

  // ---- snapshots -------------------------------------------------------------------------

  private restoreFromSnapshot(snap: Snapshot | undefined): void {
    const env = snap?.data as SnapshotEnvelope | undefined;
    this.o.stateMachine.restore(env?.app);
    this.recentRids.reset(env?.recentRids);
    if (env) {
      for (const p of env.peers) this.transport.setPeer(p);
      for (const id of env.removed) this.transport.removePeer(id);
    }
    this.applied = this.lastSnapshot = snap?.metadata.index ?? 0;
  }

  private installSnapshot(snap: Snapshot): void {
    this.restoreFromSnapshot(snap);
    this.sim.trace.record("raft.installSnapshot", {
      machine: this.machine.name,
      id: this.id,
      index: snap.metadata.index,
    });
  }

  private maybeSnapshot(node: RaftNode): void {
    const interval = this.o.snapshotInterval ?? SWARMKIT_DEFAULTS.snapshotInterval;
    if (this.applied - this.lastSnapshot < interval) return;
    const env: SnapshotEnvelope = {
      app: this.o.stateMachine.snapshot(),
      peers: this.transport.peers(),
      removed: this.transport.removedIds(),
      recentRids: this.recentRids.list(),
    };
    const keep = this.o.logEntriesForSlowFollowers ?? SWARMKIT_DEFAULTS.logEntriesForSlowFollowers;
    const snap = node.createSnapshot(env, keep);
    this.storage.saveSnapshot(snap);
    this.storage.sync();
    this.lastSnapshot = snap.metadata.index;
    this.sim.trace.record("raft.snapshot", {
      machine: this.machine.name,
      id: this.id,
      index: snap.metadata.index,
    });
  }

  // ---- helpers ---------------------------------------------------------------------------

  private confChange(cc: ConfChange, ctx: ConfContext, done: Done): void {
    const node = this.node!;
    const rid = this.nextRid();
    if (!node.proposeConfChange({ ...cc, context: { ...ctx, rid } satisfies ConfContext })) {
      fail(done, ErrConfChangeRefused);
      return;
    }
    this.proposals.add(rid, done, this.timeoutMs, true);
    this.drive();
  }

  private nextRid(): string {
    return `${this.id.toString(16)}.${this.boots}.${++this.seq}`;
  }
}

function fail(done: Done, message: string): void {
  done(new RaftHostError(message));
}
