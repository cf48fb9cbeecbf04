// Raft messages over the kernel network: each member listens on one port (SwarmKit's 2377)
// and peers are addressed by raft ID through an address book that membership changes keep up
// to date (and a member we hear from without knowing its address is answered where it wrote
// from). The transport also keeps SwarmKit's notion of an "active" peer (heard from lately)
// and refuses messages from members that were removed from the cluster.
import type { Message, NodeId } from "@swarm-sim/raft";
import type { Machine } from "../../kernel/machine";
import type { Message as NetMessage } from "../../kernel/addresses";

export const DEFAULT_RAFT_PORT = 2377;

/** A member's raft ID and where it listens. */
export interface RaftPeer {
  id: NodeId;
  address: string;
  port?: number;
}

export class RaftTransport {
  private readonly book = new Map<NodeId, RaftPeer>();
  private readonly removed = new Set<NodeId>();
  /** When we last heard from each peer, and since when it has been continuously active. */
  private readonly lastHeard = new Map<NodeId, number>();
  private readonly activeSince = new Map<NodeId, number>();
  sent = 0;
  received = 0;

  constructor(
    private readonly machine: Machine,
    private readonly selfId: NodeId,
    readonly port: number,
    /** A peer counts as active if heard from within this window. */
    private readonly activeWindowMs: number,
  ) {}

  /** Starts listening; `deliver` gets each raft message addressed to us. Returns unlisten. */
  listen(deliver: (m: Message) => void): () => void {
    return this.machine.listen(this.port, (nm: NetMessage) => {
      const m = nm.payload as Message;
      if (m === null || typeof m !== "object" || m.to !== this.selfId) return;
      if (this.removed.has(m.from)) return; // SwarmKit answers such a peer ErrMemberRemoved
      // A member we have no address for (added while we were down) can be answered where it
      // wrote from; SwarmKit asks another member instead (ResolveAddress).
      if (!this.book.has(m.from) && m.from !== this.selfId)
        this.book.set(m.from, {
          id: m.from,
          address: nm.from.address,
          port: nm.from.port || DEFAULT_RAFT_PORT,
        });
      this.received++;
      this.heard(m.from);
      deliver(m);
    });
  }

  send(m: Message): void {
    const peer = this.book.get(m.to);
    if (!peer) return;
    this.sent++;
    this.machine.send({ address: peer.address, port: peer.port ?? DEFAULT_RAFT_PORT }, m, this.port);
  }

  setPeer(p: RaftPeer): void {
    this.book.set(p.id, { ...p });
    if (p.id !== this.selfId && !this.lastHeard.has(p.id)) this.heard(p.id);
  }

  removePeer(id: NodeId): void {
    this.book.delete(id);
    this.removed.add(id);
    this.lastHeard.delete(id);
    this.activeSince.delete(id);
  }

  peer(id: NodeId): RaftPeer | undefined {
    return this.book.get(id);
  }

  peers(): RaftPeer[] {
    return [...this.book.values()].sort((a, b) => a.id - b.id);
  }

  isRemoved(id: NodeId): boolean {
    return this.removed.has(id);
  }

  removedIds(): NodeId[] {
    return [...this.removed].sort((a, b) => a - b);
  }

  /** SwarmKit's peer.active: we heard from it within the window (ourselves always). */
  isActive(id: NodeId): boolean {
    if (id === this.selfId) return true;
    const t = this.lastHeard.get(id);
    return t !== undefined && this.machine.sim.now() - t <= this.activeWindowMs;
  }

  /** The peer that has been continuously active the longest (SwarmKit's LongestActive). */
  longestActive(): NodeId | undefined {
    let best: NodeId | undefined;
    let since = Number.POSITIVE_INFINITY;
    for (const p of this.peers()) {
      if (p.id === this.selfId || !this.isActive(p.id)) continue;
      const s = this.activeSince.get(p.id) ?? Number.POSITIVE_INFINITY;
      if (s < since) {
        since = s;
        best = p.id;
      }
    }
    return best;
  }

  private heard(id: NodeId): void {
    const now = this.machine.sim.now();
    if (!this.isActive(id)) this.activeSince.set(id, now);
    this.lastHeard.set(id, now);
  }
}
