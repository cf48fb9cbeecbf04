// The errors a caller of the raft host sees: gRPC errors with SwarmKit's messages
// (manager/state/raft/raft.go, membership/cluster.go). SwarmKit returns most of them as plain
// Go errors; the codes here are the ones the managers answered with before the two raft hosts
// became one (FailedPrecondition where the caller should go to the leader or wait, Unavailable
// where the member is gone, DeadlineExceeded for a context that ran out).
import { GrpcError } from "../../transport/grpc-error";

export const ErrLostLeadership = "raft: failed to process the request: node lost leader status";
export const ErrStopped = "raft: failed to process the request: node is stopped";
export const ErrNoClusterLeader = "raft: no elected cluster leader";
export const ErrCannotRemoveMember =
  "raft: member cannot be removed, because removing it may result in loss of quorum";
export const ErrConfChangeRefused = "raft: propose configuration change refused";
export const ErrIDRemoved = "membership: node was removed during cluster lifetime";
export const ErrIDNotFound = "membership: member not found in cluster list";
export const ErrMemberRemoved = "raft: member was removed from the cluster";
/** etcd raft's ErrProposalDropped (the leader refused it, e.g. during a leadership transfer). */
export const ErrProposalDropped = "raft proposal dropped";
/** A request that outlived its deadline (SwarmKit's context, 5 s + 2 x ElectionTick x tick). */
export const ErrTimeout = "context deadline exceeded";
/** transport.LongestActive found no active peer (wrapped as TransferLeadership wraps it). */
export const ErrNoTransferee = "failed to get longest-active member: failed to find longest active peer";

const CODES: Record<string, GrpcError["code"]> = {
  [ErrLostLeadership]: "FailedPrecondition",
  [ErrStopped]: "Unavailable",
  [ErrNoClusterLeader]: "Unavailable",
  [ErrCannotRemoveMember]: "FailedPrecondition",
  [ErrConfChangeRefused]: "FailedPrecondition",
  [ErrIDRemoved]: "FailedPrecondition",
  [ErrIDNotFound]: "NotFound",
  [ErrMemberRemoved]: "NotFound",
  [ErrProposalDropped]: "Unavailable",
  [ErrTimeout]: "DeadlineExceeded",
  [ErrNoTransferee]: "FailedPrecondition",
};

/** The gRPC error for one of the messages above. */
export function raftError(message: string): GrpcError {
  return new GrpcError(CODES[message] ?? "Unknown", message);
}
