// The errors a caller of the raft host sees, with SwarmKit's messages (SK
// manager/state/raft/raft.go) where SwarmKit has one.
export const ErrLostLeadership = "raft: failed to process the request: node lost leader status";
export const ErrStopped = "raft: failed to process the request: node is stopped";
export const ErrNoClusterLeader = "raft: no elected cluster leader";
export const ErrCannotRemoveMember =
  "raft: member cannot be removed, because removing it may result in loss of quorum";
export const ErrConfChangeRefused = "raft: propose configuration change refused";
export const ErrIDRemoved = "raft: can't add node to cluster, node was removed during cluster lifetime";
export const ErrIDNotFound = "raft: member not found in cluster list";
export const ErrMemberRemoved = "raft: member was removed from the cluster";
/** etcd raft's ErrProposalDropped (the leader refused it, e.g. during a leadership transfer). */
export const ErrProposalDropped = "raft proposal dropped";
/** A request that outlived its deadline (SwarmKit's context, 5 s + 2 x ElectionTick x tick). */
export const ErrTimeout = "context deadline exceeded";

/** An error from the raft host; `message` is one of the constants above. */
export class RaftHostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RaftHostError";
  }
}
