// @swarm-sim/swarmkit-sim: the simulated world (kernel) and SwarmKit on it.
export * from "./kernel/index";
export { fcParams } from "./testing/fc-params";
export * from "./engine/index";
// Services (issue 5): orchestrators, scheduler, allocator, the engine executor, overlay DNS and
// the routing mesh, and the docker service/stack/network command handlers.
export {
  serviceComponents,
  Allocator,
  Scheduler,
  ReplicatedOrchestrator,
  GlobalOrchestrator,
  TaskReaper,
} from "./manager/orchestrator";
export {
  defaultServiceSpec,
  defaultTaskSpec,
  DEFAULT_UPDATE_CONFIG,
} from "./manager/orchestrator/service-defaults";
export { EngineExecutor } from "./agent/exec/engine-executor";
export {
  servicesAttachOptions,
  attachServiceNetworking,
  managersDirectory,
  storeDirectory,
  swarmResolver,
  RoutingMesh,
  type ServiceDirectory,
} from "./network/wiring";
export {
  registerServiceCommands,
  serviceCommandHandlers,
  overlayNetworkHandlers,
} from "./swarm/services/register";
export { setStackFileReader } from "./swarm/services/stack-cmds";
// The control plane (issue 4): swarm nodes, managers on Raft, the dispatcher, the agent, RPC
// with mutual TLS, and the docker swarm/node/info command handlers.
export {
  attachSwarmNode,
  swarmNodeOf,
  type AttachOptions,
  registerSwarmCommands,
  swarmCommandHandlers,
  type CommandRegistry,
  buildSwarm,
  type BuiltSwarm,
  type BuildSwarmOptions,
  type SwarmCommandContext,
  type SwarmIO,
  renderSwarmSection,
  SwarmNode,
  type SwarmNodeOptions,
  type InitOptions,
  type JoinOptions,
  type LocalNodeState,
  Manager,
  CONTROL,
  type SwarmInfo,
} from "./swarm/index";
export { GrpcError, RpcClient, RpcServer, type PeerIdentity } from "./transport/index";
// The interactive lab (issue 4): node1 and docker:dind nodes, faults as a lab user makes them,
// scripts and the REPL.
export * from "./lab/index";
// The docker CLI facade (parser, dispatcher, filters, formatters).
export * as cli from "./cli/index";
export {
  DockerCli,
  DOCKER_TABLE,
  tabwriter,
  bytesSize,
  humanSize,
  humanSizeWithPrecision,
  humanDuration,
  formatGoDuration,
  parseGoDuration,
  parseSleepDuration,
} from "./cli/index";
// The CA, identity and keys.
export * as ca from "./ca/index";
// Cluster objects and the replicated store.
export * as api from "./api/types";
export { TaskState, taskStateName } from "./api/types";
export {
  MemoryStore,
  WriteTx,
  DirectProposer,
  StoreError,
  type StoreAction,
  type StoreEvent,
  type Proposer,
} from "./manager/store/index";
export type { LeaderComponent, LeaderContext } from "./manager/component";
export type { TaskExecutor, TaskStatusReport } from "./agent/executor";
// The docker CLI's parser and handler types, and the compose loader, for DockerCoins' commands.
export {
  parseCommandVector,
  type CommandIO,
  type ParsedCommand,
  type ParseOutcome,
  type Handler as DockerCliHandler,
} from "./cli/index";
export { loadComposeDocument, interpolate as interpolateComposeVariables } from "./swarm/services/compose";
export { vipRouter, attachVipRouter, ServiceIndex, serviceIndex } from "./network/wiring";
// The Raft host: a RaftNode on a simulated machine (ticks, disk storage with fsync before send,
// transport, proposals and ReadIndex with callbacks, membership, leadership transfer).
export * as raftHost from "./manager/raft/index";
