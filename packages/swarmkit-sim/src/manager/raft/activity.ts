// When this member last heard from each peer, as SwarmKit's transport keeps it: a peer is
// "active" if heard from within a window (SwarmKit: the send watchdog), `docker node ls` shows
// the others as Unreachable, removals are refused when the active ones would not make a
// quorum, and a leadership transfer goes to the peer active for longest. It also notes when a
// peer last answered one of our messages (following a member's new address needs it).
import type { NodeId } from "@swarm-sim/raft";

export class PeerActivity {
  private readonly lastHeard = new Map<NodeId, number>();
  /** Since when each peer has been active without a break. */
  private readonly activeSince = new Map<NodeId, number>();
  private readonly lastAnswer = new Map<NodeId, number>();

  constructor(
    private readonly selfId: NodeId,
    private readonly now: () => number,
    /** A peer counts as active if heard from within this many ms. */
    private readonly windowMs: number,
  ) {}

  heard(id: NodeId): void {
    const now = this.now();
    if (!this.isActive(id)) this.activeSince.set(id, now);
    this.lastHeard.set(id, now);
  }

  /** `id` answered one of our messages (so it gets what we send it). */
  answered(id: NodeId): void {
    this.lastAnswer.set(id, this.now());
  }

  /** Has `id` answered anything since `t`? */
  answeredSince(id: NodeId, t: number): boolean {
    return (this.lastAnswer.get(id) ?? Number.NEGATIVE_INFINITY) > t;
  }

  isActive(id: NodeId): boolean {
    if (id === this.selfId) return true;
    const t = this.lastHeard.get(id);
    return t !== undefined && this.now() - t <= this.windowMs;
  }

  /** Of `ids`, the peer active without a break for longest (SwarmKit's LongestActive). */
  longestActive(ids: readonly NodeId[]): NodeId | undefined {
    let best: NodeId | undefined;
    let since = Number.POSITIVE_INFINITY;
    for (const id of ids) {
      if (id === this.selfId || !this.isActive(id)) continue;
      const s = this.activeSince.get(id) ?? Number.POSITIVE_INFINITY;
      if (best === undefined || s < since) {
        since = s;
        best = id;
      }
    }
    return best;
  }

  forget(id: NodeId): void {
    this.lastHeard.delete(id);
    this.activeSince.delete(id);
    this.lastAnswer.delete(id);
  }
}
