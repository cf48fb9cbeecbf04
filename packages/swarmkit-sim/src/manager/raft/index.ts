// The one Raft host: a RaftNode (@swarm-sim/raft) run as a process on a simulated machine, with
// its log on the machine's disk, its messages over a pluggable transport, and the cluster's
// membership. Managers run it (manager/raft-factory.ts); the raft tests run it too.
export { RaftHost, type HostState } from "./raft-host";
export type {
  RaftHostOptions,
  RaftHostBugs,
  RaftStart,
  RaftStateMachine,
  RaftWireTap,
  ProposeOptions,
} from "./options";
export type { Done } from "./requests";
export { RaftStorage, RaftDataLockedError, DEFAULT_RAFT_DIR, resolveWal, type RaftIdentity } from "./storage";
export { raftCipher, type RaftCipher } from "./cipher";
export type { RaftTransport, RaftDeliver, MessageSource } from "./transport";
export { KernelRaftTransport, DEFAULT_RAFT_PORT } from "./kernel-transport";
export { RpcRaftTransport } from "./rpc-transport";
export {
  raftError,
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
  ErrNoTransferee,
} from "./errors";
