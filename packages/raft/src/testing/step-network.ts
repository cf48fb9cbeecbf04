// A small step-driven network of RaftNodes for tests and benchmarks, in the spirit of etcd's
// unit-test network: messages wait in one FIFO queue until the test delivers them; links can
// be cut (one way or both), nodes isolated, messages dropped at random or by a filter; nodes
// crash (losing nothing persisted) and restart from what their host persisted. Each node's
// host is honest: it persists a Ready's state before sending its messages, and the invariant
// checker watches every Ready.
import { InvariantChecker } from "../check/invariants";
import type { RaftConfig } from "../config";
import { RaftNode } from "../node";
import { seededRandom } from "../random";
import type {
  Entry,
  HardState,
  Message,
  NodeId,
  PersistentState,
  ReadState,
  Ready,
  Snapshot,
} from "../types";
import { NONE } from "../types";

export type NodeConfig = Omit<RaftConfig, "id" | "random" | "peers" | "storage">;

export interface StepNetworkOptions {
  seed?: number;
  /** Settings for every node (defaults: SwarmKit's). */
  config?: NodeConfig;
  /** Watch every Ready with an InvariantChecker (default true). */
  check?: boolean;
  /** Take a snapshot every this many applied entries (default: never). */
  snapshotEvery?: number;
  /** Entries kept in memory behind a snapshot, for slow followers (default 0). */
  keepEntries?: number;
}

/** What one node's host has on stable storage. */
export interface StepDisk {
  hardState: HardState;
  snapshot?: Snapshot;
  entries: Entry[];
}

export class StepNetwork {
  readonly nodes = new Map<NodeId, RaftNode>();
  readonly disks = new Map<NodeId, StepDisk>();
  /** Each node's state machine: the data of every applied normal entry, in order. */
  readonly applied = new Map<NodeId, unknown[]>();
  /** ReadStates each node has received, in order. */
  readonly readStates = new Map<NodeId, ReadState[]>();
  readonly checker: InvariantChecker | undefined;
  /** Return false to drop a message. */
  filter: ((m: Message) => boolean) | undefined;
  /** Replaces a message on delivery (tests use it to strip entries from an append). */
  rewrite: ((m: Message) => Message) | undefined;
  /** Called with every Ready, after the checker (tests use it to look at Ready batches). */
  onReady: ((id: NodeId, rd: Ready) => void) | undefined;
  delivered = 0;
  dropped = 0;
  private queue: Message[] = [];
  private head = 0;
  private readonly cuts = new Set<string>();
  private readonly isolated = new Set<NodeId>();
  private readonly lossRates = new Map<string, number>();
  /** Chance that a delivered message is delivered again later. */
  duplicateRate = 0;
  private readonly rng: ReturnType<typeof seededRandom>;
  private readonly seed: number;
  private readonly sinceSnapshot = new Map<NodeId, number>();

  constructor(
    ids: readonly NodeId[],
    private readonly opts: StepNetworkOptions = {},
  ) {
    this.seed = opts.seed ?? 1;
    this.rng = seededRandom(this.seed * 7919 + 17);
    if (opts.check !== false) this.checker = new InvariantChecker({ seed: this.seed });
    for (const id of ids) this.create(id, [...ids]);
  }

  /** Adds a node that is not yet a member (it joins through a membership change). */
  addNode(id: NodeId): RaftNode {
    return this.create(id, []);
  }

  /** Adds a node booted from the given stable storage (tests build logs this way). */
  install(id: NodeId, storage: PersistentState): RaftNode {
    this.disks.set(id, {
      hardState: storage.hardState,
      snapshot: storage.snapshot,
      entries: storage.entries.slice(),
    });
    this.applied.set(id, []);
    this.readStates.set(id, []);
    this.sinceSnapshot.set(id, 0);
    return this.restart(id);
  }

  private create(id: NodeId, peers: NodeId[]): RaftNode {
    const node = new RaftNode({
      ...this.opts.config,
      id,
      random: seededRandom(this.seed * 1009 + id),
      peers,
    });
    this.nodes.set(id, node);
    this.disks.set(id, { hardState: { term: 0, vote: NONE, commit: 0 }, entries: [] });
    this.applied.set(id, []);
    this.readStates.set(id, []);
    this.sinceSnapshot.set(id, 0);
    this.process(id);
    return node;
  }

  node(id: NodeId): RaftNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`node ${id} is down or unknown`);
    return n;
  }

  /** Live node IDs. */
  ids(): NodeId[] {
    return [...this.nodes.keys()];
  }

  // ---- the host loop ---------------------------------------------------------------------

  /** Handles every Ready of one node: persist, send, apply, advance. */
  process(id: NodeId): void {
    const node = this.nodes.get(id);
    if (!node) return;
    while (node.hasReady()) {
      const rd = node.ready();
      this.checker?.onReady(id, rd);
      this.onReady?.(id, rd);
      this.persist(id, rd);
      for (const m of rd.messages) this.queue.push(m);
      const sm = this.applied.get(id)!;
      if (rd.snapshot) {
        sm.length = 0;
        for (const d of rd.snapshot.data as unknown[]) sm.push(d);
      }
      for (const e of rd.committedEntries) if (e.type === "normal" && e.data !== undefined) sm.push(e.data);
      if (rd.readStates.length > 0) this.readStates.get(id)!.push(...rd.readStates);
      node.advance();
      this.maybeSnapshot(id, rd.committedEntries.length);
    }
  }

  private persist(id: NodeId, rd: Ready): void {
    const disk = this.disks.get(id)!;
    if (rd.hardState) disk.hardState = rd.hardState;
    if (rd.snapshot) {
      disk.snapshot = rd.snapshot;
      disk.entries = disk.entries.filter((e) => e.index > rd.snapshot!.metadata.index);
    }
    if (rd.entries.length > 0) {
      const first = rd.entries[0].index;
      let keep = disk.entries.length;
      while (keep > 0 && disk.entries[keep - 1].index >= first) keep--;
      disk.entries.length = keep;
      for (const e of rd.entries) disk.entries.push(e);
    }
  }

  private maybeSnapshot(id: NodeId, applied: number): void {
    const every = this.opts.snapshotEvery;
    if (!every || applied === 0) return;
    const n = this.sinceSnapshot.get(id)! + applied;
    if (n < every) {
      this.sinceSnapshot.set(id, n);
      return;
    }
    this.sinceSnapshot.set(id, 0);
    this.snapshot(id);
  }

  /** Snapshots a node's state machine now and compacts its log (and its disk). */
  snapshot(id: NodeId): Snapshot {
    const node = this.node(id);
    const snap = node.createSnapshot(this.applied.get(id)!.slice(), this.opts.keepEntries ?? 0);
    const disk = this.disks.get(id)!;
    disk.snapshot = snap;
    disk.entries = disk.entries.filter((e) => e.index > snap.metadata.index);
    return snap;
  }

  processAll(): void {
    for (const id of this.nodes.keys()) this.process(id);
  }

  // ---- delivery --------------------------------------------------------------------------

  pending(): number {
    return this.queue.length - this.head;
  }

  /** Messages waiting for delivery (for tests to inspect). */
  inflight(): Message[] {
    return this.queue.slice(this.head);
  }

  /** Delivers (or drops) the oldest message. False when none is waiting. */
  deliverOne(): boolean {
    if (this.head >= this.queue.length) return false;
    let m = this.queue[this.head++];
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    const node = this.nodes.get(m.to);
    if (!node || this.blocked(m)) {
      this.dropped++;
      return true;
    }
    this.delivered++;
    if (this.rewrite) m = this.rewrite(m);
    if (this.duplicateRate > 0 && this.rng.next() < this.duplicateRate) this.queue.push(m);
    node.step(m);
    this.process(m.to);
    return true;
  }

  /** Delivers until nothing is in flight (or `max` messages were handled). */
  deliverAll(max = 1_000_000): number {
    let n = 0;
    while (n < max && this.deliverOne()) n++;
    if (n >= max) throw new Error(`StepNetwork: still busy after ${max} messages`);
    return n;
  }

  /** Puts the messages in flight in a random order. */
  shuffle(): void {
    const q = this.queue.slice(this.head);
    for (let i = q.length - 1; i > 0; i--) {
      const j = this.rng.int(i + 1);
      [q[i], q[j]] = [q[j], q[i]];
    }
    this.queue = q;
    this.head = 0;
  }

  /** Drops every message in flight. */
  dropAll(): void {
    this.dropped += this.pending();
    this.queue = [];
    this.head = 0;
  }

  stabilize(): void {
    this.processAll();
    this.deliverAll();
  }

  private blocked(m: Message): boolean {
    if (this.isolated.has(m.from) || this.isolated.has(m.to)) return true;
    if (this.cuts.has(`${m.from}>${m.to}`)) return true;
    if (this.filter && !this.filter(m)) return true;
    const p = this.lossRates.get(`${m.from}>${m.to}`);
    return p !== undefined && this.rng.next() < p;
  }

  // ---- faults ----------------------------------------------------------------------------

  /** Cuts a <-> b (both directions). */
  cut(a: NodeId, b: NodeId): void {
    this.cuts.add(`${a}>${b}`);
    this.cuts.add(`${b}>${a}`);
  }

  cutOneWay(from: NodeId, to: NodeId): void {
    this.cuts.add(`${from}>${to}`);
  }

  isolate(id: NodeId): void {
    this.isolated.add(id);
  }

  /** Loses a fraction of the messages from -> to. */
  lossy(from: NodeId, to: NodeId, p: number): void {
    this.lossRates.set(`${from}>${to}`, p);
  }

  heal(): void {
    this.cuts.clear();
    this.isolated.clear();
    this.lossRates.clear();
    this.filter = undefined;
    this.rewrite = undefined;
    this.duplicateRate = 0;
  }

  /** The node stops; what it persisted stays on its disk. */
  crash(id: NodeId): void {
    this.nodes.delete(id);
  }

  /** Boots the node again from its disk. */
  restart(id: NodeId): RaftNode {
    if (this.nodes.has(id)) throw new Error(`node ${id} is running`);
    const disk = this.disks.get(id)!;
    const storage = { hardState: disk.hardState, snapshot: disk.snapshot, entries: disk.entries.slice() };
    this.checker?.onRestart(id, storage);
    const node = new RaftNode({
      ...this.opts.config,
      id,
      random: seededRandom(this.seed * 1009 + id * 31),
      storage,
    });
    this.nodes.set(id, node);
    this.applied.set(id, disk.snapshot ? (disk.snapshot.data as unknown[]).slice() : []);
    this.process(id);
    return node;
  }

  // ---- driving ---------------------------------------------------------------------------

  tick(id: NodeId, n = 1): void {
    const node = this.node(id);
    for (let i = 0; i < n; i++) {
      node.tick();
      this.process(id);
    }
  }

  /** Ticks every live node n times, delivering everything after each round. */
  tickAll(n = 1): void {
    for (let i = 0; i < n; i++) {
      for (const id of [...this.nodes.keys()]) this.tick(id);
      this.deliverAll();
    }
  }

  /** Makes `id` campaign and delivers until quiet. */
  elect(id: NodeId): void {
    this.node(id).campaign();
    this.process(id);
    this.deliverAll();
  }

  propose(id: NodeId, data: unknown): boolean {
    const ok = this.node(id).propose(data);
    this.process(id);
    return ok;
  }

  /** The leader with the highest term among live nodes, or NONE. */
  leader(): NodeId {
    let best = NONE;
    let term = -1;
    for (const [id, n] of this.nodes) {
      const s = n.status();
      if (s.raftState === "leader" && s.term > term) {
        best = id;
        term = s.term;
      }
    }
    return best;
  }
}
