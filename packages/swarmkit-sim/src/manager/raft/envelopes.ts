// What the host puts in the log and in snapshots around the application's data: request IDs
// (so a proposer can be told its entry was applied, and duplicates dropped), membership
// addresses, and the state machine's snapshot.
import type { NodeId } from "@swarm-sim/raft";
import type { RaftMemberInfo } from "../../api/raft";

/** What a proposal's entry carries: the payload and the request ID its proposer waits on. */
export interface EntryEnvelope {
  rid: string;
  payload: unknown;
}

/** What a membership change carries (SwarmKit puts the RaftMember in the ConfChange's context). */
export interface ConfContext {
  rid?: string;
  info?: RaftMemberInfo;
}

/** What a snapshot carries: the state machine's state, the members, and recent request IDs. */
export interface SnapshotEnvelope {
  app: unknown;
  members: RaftMemberInfo[];
  removed: NodeId[];
  recentRids: string[];
}

/**
 * How many recent request IDs every member remembers to drop duplicates. A forwarded proposal
 * can reach the leader twice (a duplicating network, or a retry) and be appended twice; the
 * second copy must not be applied again. The set is part of the replicated state (every member
 * applies the same entries in the same order, and it travels in snapshots), so every member
 * drops the same copies.
 */
export const DEDUP_WINDOW = 10_000;

/** The most recent request IDs applied, oldest first (a Set keeps insertion order). */
export class RecentRequests {
  private readonly ids = new Set<string>();

  has(rid: string): boolean {
    return this.ids.has(rid);
  }

  add(rid: string): void {
    this.ids.add(rid);
    if (this.ids.size > DEDUP_WINDOW) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }

  reset(rids: readonly string[] = []): void {
    this.ids.clear();
    for (const r of rids) this.ids.add(r);
  }

  list(): string[] {
    return [...this.ids];
  }
}
