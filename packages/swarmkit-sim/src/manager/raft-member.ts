// The manager's Raft member: a RaftNode (packages/raft) driven on the machine's timers, with
// its log on the machine's disk (raft-storage.ts), its messages over the manager's
// authenticated RPC, the cluster store as its state machine, and the membership (raft ID ->
// node ID and address) carried in the conf changes' context, as SwarmKit does.
//
// This is our own host rather than the raft engineer's generic glue because the manager needs
// the transport to be its mTLS RPC (raft methods are managers-only) and the membership table
// SwarmKit keeps; the protocol itself is entirely packages/raft.
import {
  type ConfChange,
  type Entry,
  type Message,
  type PersistentState,
  RaftNode,
  type Ready,
  type Snapshot,
} from "@swarm-sim/raft";
import type { Timer } from "../kernel/event-queue";
import { GrpcError } from "../transport/grpc-error";
import type { Consensus, MessageSource, RaftMemberInfo } from "./consensus";
import { splitAddr } from "../api/address";
import type { ConsensusFactory, ConsensusOptions } from "./raft-factory";
import { type RaftCipher, raftCipher } from "./raft-cipher";
import { RaftStorage } from "./raft-storage";
import type { RaftWireMessage } from "./validate";
import type { StoreAction } from "./store/actions";

export const LOST_LEADERSHIP = "raft: failed to process the request: node lost leader status";
/** membership.ErrMemberRemoved. */
export const ERR_MEMBER_REMOVED = "raft: member was removed from the cluster";
/** SwarmKit's request timeout: 5 s + 2 x ElectionTick x tick. */
export const REQUEST_TIMEOUT_TICKS = 25;
const SNAPSHOT_INTERVAL = 10_000;
const LOG_ENTRIES_FOR_SLOW_FOLLOWERS = 500;
/** A peer counts as active if we heard from it within this many ticks (SwarmKit: send watchdog 2 s). */
const ACTIVE_TICKS = 3;

interface Proposal {
  done: (err: Error | null) => void;
  timer: Timer;
}

interface EntryData {
  pid: string;
  actions: StoreAction[];
}

interface ConfContext {
  pid: string;
  info?: RaftMemberInfo;
}

interface SnapshotData {
  store: unknown;
  members: RaftMemberInfo[];
}

export class RaftMember implements Consensus {
  readonly raftId: number;
  private readonly node: RaftNode;
  private readonly storage: RaftStorage;
  private readonly memberMap = new Map<number, RaftMemberInfo>();
  private readonly lastHeard = new Map<number, number>();
  /** Addresses of senders not (yet) in the membership, where they said they listen. */
  private readonly heardAt = new Map<number, string>();
  /** Members removed (as far as this member applied): their messages are refused. */
  private readonly removedIds = new Set<number>();
  /** When each member last answered one of our messages (it gets what we send it). */
  private readonly lastAnswer = new Map<number, number>();
  /** Members whose messages come from another host than the address they are known by. */
  private readonly observedHosts = new Map<number, string>();
  /** Members whose observed address is being health-checked. */
  private readonly checkingAddress = new Set<number>();
  private readonly proposals = new Map<string, Proposal>();
  private nextPid = 0;
  private lead = 0;
  private leading = false;
  private stopped = false;
  private processScheduled = false;
  private snapshotIndex = 0;
  private applied = 0;
  private campaignPending = false;
  private announceSelf = false;

  constructor(private readonly o: ConsensusOptions) {
    this.storage = new RaftStorage(o.machine.disk, o.dataDir, this.cipherFor(o.dataKey));
    const start = o.start;
    let storage: PersistentState | undefined;
    let raftId: number;
    if (start.kind === "new") {
      raftId = start.self.raftId;
      this.announceSelf = true;
      this.memberMap.set(raftId, start.self);
      this.node = new RaftNode({ id: raftId, random: o.random, peers: [raftId] });
    } else if (start.kind === "join") {
      raftId = start.self.raftId;
      for (const m of start.members) this.memberMap.set(m.raftId, m);
      this.memberMap.set(raftId, start.self);
      this.node = new RaftNode({ id: raftId, random: o.random });
    } else {
      storage = this.storage.load();
      if (!storage) throw new Error("raft: no data to restart from");
      if (start.kind === "force-new-cluster") storage = this.forceNewCluster(storage);
      const meta = this.readIdentity();
      raftId = meta;
      this.restoreFrom(storage);
      this.node = new RaftNode({ id: raftId, random: o.random, storage });
    }
    this.raftId = raftId;
    this.writeIdentity();
    o.machine.disk.fsync();
    // A cluster's only member campaigns at once (a new cluster, a restarted single manager).
    // (After the first Ready is applied: raft will not campaign over unapplied conf changes.)
    this.campaignPending = this.memberMap.size === 1 && this.memberMap.has(raftId) && start.kind !== "join";
    // Nothing runs inside the constructor: the manager is not wired to us yet.
    this.scheduleProcess();
    o.machine.after(o.tickMs, () => this.tickLoop());
  }

  // ---------------------------------------------------------------- Consensus

  isLeader(): boolean {
    return !this.stopped && this.node.isLeader();
  }

  leaderId(): number {
    return this.stopped ? 0 : this.node.leader();
  }

  members(): RaftMemberInfo[] {
    return [...this.memberMap.values()];
  }

  member(raftId: number): RaftMemberInfo | undefined {
    return this.memberMap.get(raftId);
  }

  isActive(raftId: number): boolean {
    if (raftId === this.raftId) return true;
    const t = this.lastHeard.get(raftId);
    return t !== undefined && this.o.sim.now() - t <= ACTIVE_TICKS * this.o.tickMs;
  }

  canRemoveMember(raftId: number): boolean {
    let reachable = 0;
    for (const m of this.memberMap.values()) {
      if (m.raftId === raftId) continue;
      if (this.isActive(m.raftId)) reachable++;
    }
    return reachable >= Math.floor((this.memberMap.size - 1) / 2) + 1;
  }

  propose(actions: StoreAction[], done: (err: Error | null) => void): void {
    if (!this.isLeader()) {
      done(new GrpcError("FailedPrecondition", LOST_LEADERSHIP));
      return;
    }
    const pid = this.newPid();
    if (!this.node.propose({ pid, actions } satisfies EntryData)) {
      done(new GrpcError("FailedPrecondition", LOST_LEADERSHIP));
      return;
    }
    this.track(pid, done);
    this.scheduleProcess();
  }

  readIndex(done: (err: Error | null) => void): void {
    if (!this.isLeader()) {
      done(new GrpcError("FailedPrecondition", LOST_LEADERSHIP));
      return;
    }
    const ctx = { pid: this.newPid() };
    if (!this.node.readIndex(ctx)) {
      done(new GrpcError("FailedPrecondition", LOST_LEADERSHIP));
      return;
    }
    this.track(ctx.pid, done);
    this.reads.set(ctx, ctx.pid);
    this.scheduleProcess();
  }

  /** ReadIndex requests in flight (ctx -> proposal id) and confirmed ones waiting to be applied. */
  private readonly reads = new Map<object, string>();
  private readyReads: { index: number; pid: string }[] = [];

  addMember(info: RaftMemberInfo, done: (err: Error | null) => void): void {
    this.confChange({ type: "addNode", nodeId: info.raftId }, info, done);
  }

  removeMember(raftId: number, done: (err: Error | null) => void): void {
    if (!this.memberMap.has(raftId)) {
      done(null);
      return;
    }
    if (!this.canRemoveMember(raftId)) {
      done(
        new GrpcError(
          "FailedPrecondition",
          "raft: member cannot be removed, because removing it may result in loss of quorum",
        ),
      );
      return;
    }
    this.confChange({ type: "removeNode", nodeId: raftId }, undefined, done);
  }

  transferLeadership(done: (err: Error | null) => void): void {
    if (!this.isLeader()) {
      done(null);
      return;
    }
    // The transferee: the most up-to-date active peer (SwarmKit picks the longest active).
    const progress = this.node.status().progress;
    let best = 0;
    let bestMatch = -1;
    for (const m of this.memberMap.values()) {
      if (m.raftId === this.raftId || !this.isActive(m.raftId)) continue;
      const match = progress?.get(m.raftId)?.match ?? 0;
      if (match > bestMatch) {
        best = m.raftId;
        bestMatch = match;
      }
    }
    if (!best) {
      done(new GrpcError("FailedPrecondition", "failed to get a new leader: no active peer"));
      return;
    }
    this.node.transferLeadership(best);
    this.scheduleProcess();
    const deadline = this.o.sim.now() + REQUEST_TIMEOUT_TICKS * this.o.tickMs;
    const wait = () => {
      if (this.stopped) return done(new GrpcError("Unavailable", "raft stopped"));
      const lead = this.node.leader();
      if (lead !== 0 && lead !== this.raftId) return done(null);
      if (this.o.sim.now() >= deadline)
        return done(new GrpcError("DeadlineExceeded", "failed to get a new leader"));
      this.o.machine.after(this.o.tickMs / 4, wait);
    };
    wait();
  }

  setDataKey(dek: Uint8Array | null): void {
    this.storage.rekey(this.cipherFor(dek));
    this.storage.sync();
  }

  private cipherCount = 0;

  private cipherFor(dek: Uint8Array | null): RaftCipher | null {
    // A fresh nonce stream per cipher: a stream must never restart under the same key.
    return dek ? raftCipher(dek, this.o.random.fork(`dek-nonces/${this.cipherCount++}`)) : null;
  }

  step(wire: unknown, source?: MessageSource): GrpcError | null {
    if (this.stopped) return null;
    const { msg: m, from } = wire as RaftWireMessage;
    // SwarmKit's ProcessRaftMessage: a removed member is told so; a forwarded proposal is
    // dropped (only the leader proposes, so proposals cannot conflict), and so is a message
    // meant for another raft ID.
    if (this.removedIds.has(m.from)) return new GrpcError("NotFound", ERR_MEMBER_REMOVED);
    if (m.type === "MsgProp" || m.to !== this.raftId) return null;
    const known = this.memberMap.get(m.from);
    if (m.type.endsWith("Resp")) this.lastAnswer.set(m.from, this.o.sim.now());
    if (source && known && known.nodeId === source.nodeId) {
      if (splitAddr(known.addr)[0] !== source.host) this.observedHosts.set(m.from, source.host);
      else this.observedHosts.delete(m.from);
    }
    // A member we have no address for (added while we were down, its conf change not applied
    // here yet) is answered at the address it says it advertises; without it we could not
    // vote for it or answer its appends, and would never learn of it.
    if (!this.memberMap.has(m.from) && from) this.heardAt.set(m.from, from);
    this.lastHeard.set(m.from, this.o.sim.now());
    this.node.step(m);
    this.scheduleProcess();
    return null;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.failAll(new GrpcError("Unavailable", "raft: stopped"));
  }

  // ---------------------------------------------------------------- internals

  private newPid(): string {
    return `${this.raftId.toString(36)}.${this.o.sim.now()}.${this.nextPid++}`;
  }

  private track(pid: string, done: (err: Error | null) => void): void {
    const timer = this.o.machine.after(REQUEST_TIMEOUT_TICKS * this.o.tickMs, () => {
      const p = this.proposals.get(pid);
      if (!p) return;
      this.proposals.delete(pid);
      p.done(new GrpcError("DeadlineExceeded", "context deadline exceeded"));
    });
    this.proposals.set(pid, { done, timer });
  }

  private settle(pid: string, err: Error | null): void {
    const p = this.proposals.get(pid);
    if (!p) return;
    this.proposals.delete(pid);
    p.timer.cancel();
    p.done(err);
  }

  private failAll(err: Error): void {
    const all = [...this.proposals.values()];
    this.proposals.clear();
    this.reads.clear();
    this.readyReads = [];
    for (const p of all) {
      p.timer.cancel();
      p.done(err);
    }
  }

  private confChange(
    cc: ConfChange,
    info: RaftMemberInfo | undefined,
    done: (err: Error | null) => void,
  ): void {
    if (!this.isLeader()) {
      done(new GrpcError("FailedPrecondition", LOST_LEADERSHIP));
      return;
    }
    const pid = this.newPid();
    cc.context = { pid, info } satisfies ConfContext;
    if (!this.node.proposeConfChange(cc)) {
      done(new GrpcError("Unavailable", "raft: a membership change is already in progress"));
      return;
    }
    this.track(pid, done);
    this.scheduleProcess();
  }

  private tickLoop(): void {
    if (this.stopped) return;
    this.node.tick();
    this.process();
    this.followAddressChanges();
    this.o.machine.after(this.o.tickMs, () => this.tickLoop());
  }

  /**
   * A manager whose address changed (a restart gave it another IP) still knows its peers, and
   * its messages arrive from its new address while ours go to the old one and get nowhere.
   * As SwarmKit does (swarmkit#1579): when what we send a member goes unanswered and its
   * messages come from another address that passes a health check, use that address. The
   * leader, which hears an answer to its heartbeats from every member each tick, does it and
   * writes the address to raft (ConfChangeUpdateNode) so every member, and every agent's
   * manager list, follows.
   */
  private followAddressChanges(): void {
    if (!this.isLeader()) return;
    const silentSince = this.o.sim.now() - ACTIVE_TICKS * this.o.tickMs;
    for (const [raftId, host] of this.observedHosts) {
      const m = this.memberMap.get(raftId);
      if (!m || this.checkingAddress.has(raftId) || (this.lastAnswer.get(raftId) ?? 0) > silentSince)
        continue;
      const addr = `${host}:${splitAddr(m.addr)[1]}`;
      this.checkingAddress.add(raftId);
      this.o.healthCheck(addr, (err) => {
        this.checkingAddress.delete(raftId);
        const cur = this.memberMap.get(raftId);
        if (err || this.stopped || !cur || cur.addr === addr) return;
        this.o.sim.trace.record("raft.addressChange", {
          machine: this.o.machine.name,
          raftId,
          from: cur.addr,
          to: addr,
        });
        const info = { ...cur, addr };
        this.memberMap.set(raftId, info);
        this.observedHosts.delete(raftId);
        if (this.isLeader()) this.confChange({ type: "updateNode", nodeId: raftId }, info, () => {});
      });
    }
  }

  private scheduleProcess(): void {
    if (this.processScheduled || this.stopped) return;
    this.processScheduled = true;
    this.o.machine.after(0, () => {
      this.processScheduled = false;
      this.process();
    });
  }

  /** The Ready loop: persist (and sync), send, apply, advance. */
  private process(): void {
    this.drain();
    if (this.campaignPending && !this.stopped) {
      this.campaignPending = false;
      this.node.campaign();
      this.drain();
    }
    if (!this.stopped) this.maybeSnapshot();
  }

  private drain(): void {
    while (!this.stopped && this.node.hasReady()) {
      const rd = this.node.ready();
      this.persist(rd);
      for (const m of rd.messages) this.send(m);
      if (rd.snapshot) this.installSnapshot(rd.snapshot);
      for (const e of rd.committedEntries) this.apply(e);
      for (const rs of rd.readStates) {
        const pid = this.reads.get(rs.requestCtx as object);
        if (pid === undefined) continue;
        this.reads.delete(rs.requestCtx as object);
        this.readyReads.push({ index: rs.index, pid });
      }
      if (this.readyReads.length > 0) {
        this.readyReads = this.readyReads.filter((r) => {
          if (r.index > this.applied) return true;
          this.settle(r.pid, null);
          return false;
        });
      }
      this.node.advance();
      if (rd.softState) this.onSoftState(rd.softState.lead);
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
    if (rd.mustSync || rd.hardState) this.storage.sync();
  }

  private send(m: Message): void {
    const addr = this.memberMap.get(m.to)?.addr ?? this.heardAt.get(m.to);
    if (addr === undefined) return;
    const self = this.memberMap.get(this.raftId)?.addr ?? "";
    this.o.send(addr, { msg: m, from: self } satisfies RaftWireMessage);
    if (m.type === "MsgSnap") this.node.reportSnapshot(m.to, true);
  }

  private installSnapshot(s: Snapshot): void {
    const data = s.data as SnapshotData;
    this.o.restore(data.store);
    this.memberMap.clear();
    for (const m of data.members) this.memberMap.set(m.raftId, m);
    this.snapshotIndex = s.metadata.index;
    this.applied = s.metadata.index;
  }

  private apply(e: Entry): void {
    this.applied = e.index;
    if (e.type === "confChange") {
      this.applyConfChange(e.data as ConfChange);
      return;
    }
    const data = e.data as EntryData | undefined;
    if (!data?.actions) return;
    const err = this.o.events.apply(data.actions);
    this.settle(data.pid, err);
  }

  private applyConfChange(cc: ConfChange): void {
    const ctx = cc.context as ConfContext | undefined;
    if (cc.type === "addNode" || cc.type === "updateNode") {
      if (ctx?.info) this.memberMap.set(cc.nodeId, ctx.info);
      this.lastHeard.set(cc.nodeId, this.o.sim.now());
    } else if (cc.type === "removeNode") {
      this.memberMap.delete(cc.nodeId);
      this.heardAt.delete(cc.nodeId);
      this.removedIds.add(cc.nodeId);
      if (cc.nodeId === this.raftId) this.o.events.removed();
    }
    if (ctx?.pid) this.settle(ctx.pid, null);
  }

  private onSoftState(lead: number): void {
    const leading = lead === this.raftId && this.node.isLeader();
    if (leading && this.announceSelf) {
      // The bootstrap entry of a new cluster carries no address: record ours in the log, so
      // that members that restart from the log know where the first manager is.
      this.announceSelf = false;
      const self = this.memberMap.get(this.raftId)!;
      this.confChange({ type: "updateNode", nodeId: this.raftId }, self, () => {});
    }
    if (this.leading && !leading) this.failAll(new GrpcError("FailedPrecondition", LOST_LEADERSHIP));
    this.leading = leading;
    if (lead !== this.lead) {
      this.lead = lead;
      this.o.sim.trace.record("raft.leader", { machine: this.o.machine.name, lead });
    }
    this.o.events.leaderChange(leading, lead);
  }

  /** Every SnapshotInterval applied entries: snapshot the store, compact the log. */
  private maybeSnapshot(): void {
    if (this.applied - this.snapshotIndex < (this.o.snapshotInterval ?? SNAPSHOT_INTERVAL)) return;
    const data: SnapshotData = { store: this.o.snapshot(), members: this.members() };
    const s = this.node.createSnapshot(
      data,
      this.o.logEntriesForSlowFollowers ?? LOG_ENTRIES_FOR_SLOW_FOLLOWERS,
    );
    this.storage.saveSnapshot(s);
    this.storage.sync();
    this.snapshotIndex = s.metadata.index;
  }

  // ---------------------------------------------------------------- restart and recovery

  private identityPath(): string {
    return `${this.o.dataDir}member`;
  }

  private writeIdentity(): void {
    this.o.machine.disk.write(this.identityPath(), { raftId: this.raftId ?? 0 });
  }

  private readIdentity(): number {
    const m = this.o.machine.disk.read(this.identityPath()) as { raftId: number } | undefined;
    if (!m) throw new Error("raft: no member identity on disk");
    return m.raftId;
  }

  /** Loads the snapshot's membership; committed entries after it are re-applied by raft. */
  private restoreFrom(p: PersistentState): void {
    const data = p.snapshot?.data as SnapshotData | undefined;
    if (data) {
      this.o.restore(data.store);
      for (const m of data.members) this.memberMap.set(m.raftId, m);
      this.snapshotIndex = p.snapshot!.metadata.index;
      this.applied = this.snapshotIndex;
    }
    // Membership after the snapshot is known before anything is applied, so messages can go out.
    for (const e of p.entries) {
      if (e.index > p.hardState.commit || e.type !== "confChange") continue;
      const cc = e.data as ConfChange;
      const ctx = cc.context as ConfContext | undefined;
      if (cc.type === "removeNode") {
        this.memberMap.delete(cc.nodeId);
        this.removedIds.add(cc.nodeId);
      } else if (ctx?.info) this.memberMap.set(cc.nodeId, ctx.info);
    }
  }

  /**
   * --force-new-cluster: the committed state is kept, uncommitted entries are dropped, and the
   * cluster restarts with this member alone (SwarmKit force-appends removals of every other
   * member; rebuilding a one-member snapshot of the same state has the same effect).
   */
  private forceNewCluster(p: PersistentState): PersistentState {
    const self = this.readIdentity();
    const data = p.snapshot?.data as SnapshotData | undefined;
    if (data) this.o.restore(data.store);
    const members = new Map<number, RaftMemberInfo>();
    for (const m of data?.members ?? []) members.set(m.raftId, m);
    let index = p.snapshot?.metadata.index ?? 0;
    let term = p.snapshot?.metadata.term ?? 0;
    for (const e of p.entries) {
      if (e.index > p.hardState.commit) break;
      index = e.index;
      term = e.term;
      if (e.type === "confChange") {
        const cc = e.data as ConfChange;
        const ctx = cc.context as ConfContext | undefined;
        if (cc.type === "removeNode") members.delete(cc.nodeId);
        else if (ctx?.info) members.set(cc.nodeId, ctx.info);
      } else {
        const d = e.data as EntryData | undefined;
        if (d?.actions) this.o.events.apply(d.actions);
      }
    }
    const me = members.get(self);
    if (!me) throw new Error("raft: this node is not a member of its own cluster");
    const snapshot: Snapshot = {
      metadata: { index, term, confState: { voters: [self] } },
      data: { store: this.o.snapshot(), members: [me] } satisfies SnapshotData,
    };
    const fresh: PersistentState = {
      hardState: { term: p.hardState.term, vote: 0, commit: index },
      snapshot,
      entries: [],
    };
    this.storage.reset(fresh);
    this.storage.sync();
    return fresh;
  }
}

export const raftConsensusFactory: ConsensusFactory = (opts) => new RaftMember(opts);

export function hasRaftData(disk: ConsensusOptions["machine"]["disk"], dir: string): boolean {
  return new RaftStorage(disk, dir).exists();
}
