// @swarm-sim/raft: Raft as a pure, deterministic state machine in the shape of etcd's raft
// library (tick / step / propose / ready / advance), with the checkers hosts attach to it.
export {
  NONE,
  EMPTY_HARD_STATE,
  type NodeId,
  type Entry,
  type EntryType,
  type ConfChange,
  type ConfChangeType,
  type ConfState,
  type HardState,
  type SoftState,
  type StateType,
  type Snapshot,
  type SnapshotMetadata,
  type ReadState,
  type Message,
  type MessageType,
  type Ready,
  type PersistentState,
} from "./types";
export {
  SWARMKIT_DEFAULTS,
  type RaftConfig,
  type Peer,
  type RaftBugs,
  type RandomSource,
} from "./config";
export { RaftNode, type Status, type ProgressStatus } from "./node";
export type { ProgressState } from "./progress";
export type { MembershipState } from "./self-membership";
export { isLocalMessage, isResponseMessage } from "./message";
export { seededRandom } from "./random";
export { quorumSize } from "./quorum";
export * from "./check/index";
export {
  StepNetwork,
  type StepNetworkOptions,
  type StepDisk,
  type NodeConfig,
} from "./testing/step-network";
