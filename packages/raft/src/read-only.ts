// ReadIndex requests waiting at the leader (Raft thesis §6.4): the leader records its commit
// index, then confirms it is still leader by a round of heartbeats carrying the request's
// context. Once a quorum acknowledges, every request queued up to that one is safe to serve
// at its recorded index.
import type { NodeId } from "./types";

export interface ReadIndexRequest {
  /** Commit index when the request arrived. */
  index: number;
  /** Who asked (the leader itself, or a follower that forwarded it). */
  from: NodeId;
  ctx: unknown;
  acks: Set<NodeId>;
}

export class ReadOnly {
  private readonly pending = new Map<unknown, ReadIndexRequest>();
  private queue: unknown[] = [];

  add(index: number, from: NodeId, ctx: unknown): void {
    if (this.pending.has(ctx)) return;
    this.pending.set(ctx, { index, from, ctx, acks: new Set() });
    this.queue.push(ctx);
  }

  /** Records that `id` acknowledged the heartbeat carrying ctx; returns the ack count. */
  recvAck(id: NodeId, ctx: unknown): number {
    const rs = this.pending.get(ctx);
    if (!rs) return 0;
    rs.acks.add(id);
    return rs.acks.size;
  }

  /** Releases ctx and every request queued before it, in order. */
  advance(ctx: unknown): ReadIndexRequest[] {
    const at = this.queue.indexOf(ctx);
    if (at < 0) return [];
    const done = this.queue.slice(0, at + 1);
    this.queue = this.queue.slice(at + 1);
    const out: ReadIndexRequest[] = [];
    for (const c of done) {
      const rs = this.pending.get(c);
      if (rs) out.push(rs);
      this.pending.delete(c);
    }
    return out;
  }

  /** The newest pending context, carried by heartbeats so they also confirm reads. */
  lastPendingCtx(): unknown {
    return this.queue.length > 0 ? this.queue[this.queue.length - 1] : undefined;
  }

  size(): number {
    return this.queue.length;
  }

  reset(): void {
    this.pending.clear();
    this.queue = [];
  }
}
