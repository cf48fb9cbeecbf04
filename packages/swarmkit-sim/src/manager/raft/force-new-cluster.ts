// `docker swarm init --force-new-cluster`: the committed state is kept, uncommitted entries are
// dropped ("discarding N uncommitted WAL entries"), and the cluster restarts with this member
// alone. SwarmKit force-appends a removal of every other member; rebuilding a one-member
// snapshot of the same committed state has the same effect (SWARMKIT.md §3.7).
import type { ConfChange, NodeId, PersistentState, Snapshot } from "@swarm-sim/raft";
import type { RaftMemberInfo } from "../../api/raft";
import { type ConfContext, type EntryEnvelope, RecentRequests, type SnapshotEnvelope } from "./envelopes";
import type { RaftStateMachine } from "./options";

/**
 * The persistent state of a one-member cluster holding what `p` committed. `sm`, which must
 * start empty, is left holding that state too (it is replayed into it).
 */
export function forceNewCluster(p: PersistentState, self: NodeId, sm: RaftStateMachine): PersistentState {
  const env = p.snapshot?.data as SnapshotEnvelope | undefined;
  // (The state machine starts empty: it is filled from the snapshot, if any, and the log.)
  if (env) sm.restore(env.app);
  const members = new Map<NodeId, RaftMemberInfo>();
  for (const m of env?.members ?? []) members.set(m.raftId, m);
  const removed = new Set<NodeId>(env?.removed ?? []);
  const recent = new RecentRequests();
  recent.reset(env?.recentRids);
  let index = p.snapshot?.metadata.index ?? 0;
  let term = p.snapshot?.metadata.term ?? 0;
  for (const e of p.entries) {
    if (e.index > p.hardState.commit) break;
    index = e.index;
    term = e.term;
    if (e.type === "confChange") {
      const cc = e.data as ConfChange;
      const ctx = (cc.context ?? {}) as ConfContext;
      if (cc.type === "removeNode") {
        members.delete(cc.nodeId);
        removed.add(cc.nodeId);
      } else if (ctx.info) members.set(cc.nodeId, ctx.info);
      continue;
    }
    const d = e.data as EntryEnvelope | undefined;
    if (!d || recent.has(d.rid)) continue;
    recent.add(d.rid);
    sm.apply(d.payload, { index: e.index, term: e.term });
  }
  const me = members.get(self);
  if (!me) throw new Error("raft: this node is not a member of its own cluster");
  for (const id of members.keys()) if (id !== self) removed.add(id);
  const snapshot: Snapshot = {
    metadata: { index, term, confState: { voters: [self] } },
    data: {
      app: sm.snapshot(),
      members: [me],
      removed: [...removed].sort((a, b) => a - b),
      recentRids: recent.list(),
    } satisfies SnapshotEnvelope,
  };
  // The term and vote stay (SwarmKit keeps the hard state): forgetting the vote would let this
  // member vote twice in the term, which the invariant checker rightly calls out.
  return {
    hardState: { term: p.hardState.term, vote: p.hardState.vote, commit: index },
    snapshot,
    entries: [],
  };
}
