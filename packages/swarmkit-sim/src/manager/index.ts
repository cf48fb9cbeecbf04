// The manager as a node runs it (SwarmKit's manager package as node.go uses it): the Manager,
// the Raft join of a manager without raft data, and what plugs into them.
export {
  type AuthorizationEvent,
  type AuthorizationObserver,
  Manager,
  type ManagerBugs,
  type ManagerOptions,
  type ManagerState,
  type NodeTLS,
} from "./manager";
export { RaftJoin, type RaftJoinOptions, type RaftJoinResponse } from "./raft-join";
export type { LeaderComponent, LeaderContext } from "./component";
export {
  type ConsensusFactory,
  type ConsensusOptions,
  type ConsensusStart,
  raftConsensusFactory,
} from "./raft-factory";
export type { Consensus } from "./consensus";
export {
  type CostModel,
  type MemoryModel,
  DEFAULT_COSTS,
  DEFAULT_MEMORY,
  managerMemoryBytes,
} from "./cost-model";
