// Who is in the raft cluster as this member knows it (SwarmKit's membership.Cluster): each
// member's node ID and address, kept from the membership changes in the log (their context
// carries the member) and from snapshots; the members removed so far (a removed raft ID is never
// reused, and its messages are refused); and, for a sender not in the table yet (added while we
// were down), the address it says it advertises, so that it can be answered.
import type { NodeId } from "@swarm-sim/raft";
import type { RaftMemberInfo } from "../../api/raft";

export class MemberTable {
  private readonly byId = new Map<NodeId, RaftMemberInfo>();
  private readonly removed = new Set<NodeId>();
  private readonly heardAt = new Map<NodeId, string>();

  get(raftId: NodeId): RaftMemberInfo | undefined {
    return this.byId.get(raftId);
  }

  has(raftId: NodeId): boolean {
    return this.byId.has(raftId);
  }

  /** Every member, in the order they joined. */
  list(): RaftMemberInfo[] {
    return [...this.byId.values()];
  }

  size(): number {
    return this.byId.size;
  }

  set(info: RaftMemberInfo): void {
    this.byId.set(info.raftId, info);
    this.heardAt.delete(info.raftId);
  }

  remove(raftId: NodeId): void {
    this.byId.delete(raftId);
    this.heardAt.delete(raftId);
    this.removed.add(raftId);
  }

  isRemoved(raftId: NodeId): boolean {
    return this.removed.has(raftId);
  }

  removedIds(): NodeId[] {
    return [...this.removed].sort((a, b) => a - b);
  }

  /** A sender we have no entry for says it listens at `addr`. */
  heardFrom(raftId: NodeId, addr: string): void {
    if (!this.byId.has(raftId) && addr) this.heardAt.set(raftId, addr);
  }

  /** Where to send to `raftId`: its member address, or where it said it listens. */
  addressOf(raftId: NodeId): string | undefined {
    return this.byId.get(raftId)?.addr ?? this.heardAt.get(raftId);
  }

  /** Replaces the table with a snapshot's. */
  reset(members: readonly RaftMemberInfo[], removed: readonly NodeId[]): void {
    this.byId.clear();
    this.heardAt.clear();
    for (const m of members) this.byId.set(m.raftId, m);
    for (const id of removed) this.removed.add(id);
  }
}
