// The raft glue: a RaftNode (packages/raft) run as a process on a simulated machine.
export { RaftHost } from "./raft-host";
export type { RaftHostOptions, RaftStateMachine, ProposeOptions } from "./options";
export { RaftDiskStorage, DEFAULT_RAFT_DIR, resolveWal } from "./disk-storage";
export { RaftTransport, DEFAULT_RAFT_PORT, type RaftPeer } from "./transport";
export { PendingRequests, type Done, type PendingRequest } from "./pending";
export {
  RaftHostError,
  ErrLostLeadership,
  ErrStopped,
  ErrNoClusterLeader,
  ErrCannotRemoveMember,
  ErrConfChangeRefused,
  ErrIDRemoved,
  ErrIDNotFound,
  ErrMemberRemoved,
  ErrProposalDropped,
  ErrTimeout,
} from "./errors";
