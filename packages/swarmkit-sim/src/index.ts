// @swarm-sim/swarmkit-sim: the simulated world (kernel) and SwarmKit on it. This is the
// package's public face: what test authors, the lab and the other packages use. Everything
// else is reached by path from inside the package only (src/lint/layers.ts holds other
// packages to this face).
export * from "./kernel/index";
export { fcParams } from "./testing/fc-params";
export * from "./engine/index";
// Services: the leader components that run services (orchestrators, scheduler, allocator,
// as one list), service defaults, the attach options that give nodes the engine executor,
// overlay DNS and VIPs.
export { serviceComponents } from "./manager/orchestrator";
// The orchestration invariants as checkers over a store (the property tests and the fuzzer).
export * as serviceCheckers from "./manager/orchestrator/checkers";
// "Why this node": the scheduler's decision log and its explanations, as plain data.
export { DecisionLog } from "./manager/scheduler/decisions";
export {
  explainTask,
  resolveTask,
  type TaskExplanation,
  type CandidateVerdict,
  type FilterVerdict,
} from "./manager/scheduler/explain";
export { defaultServiceSpec } from "./manager/orchestrator/service-defaults";
export {
  servicesAttachOptions,
  attachServiceNetworking,
  managersDirectory,
  type ServiceDirectory,
} from "./network/wiring";
// The control plane (issue 4): swarm nodes, managers on Raft, the dispatcher, the agent, RPC
// with mutual TLS.
export {
  attachSwarmNode,
  swarmNodeOf,
  type AttachOptions,
  buildSwarm,
  type BuiltSwarm,
  type BuildSwarmOptions,
  SwarmNode,
  type SwarmNodeOptions,
  type InitOptions,
  type JoinOptions,
  type LocalNodeState,
  Manager,
  type AuthorizationEvent,
  type ManagerBugs,
  CONTROL,
  raftConsensusFactory,
  type Consensus,
  type ConsensusFactory,
  type ConsensusOptions,
  type SwarmInfo,
} from "./swarm/index";
export { GrpcError, RpcClient } from "./transport/index";
export { credentialsOf } from "./transport/tls";
// Security that tests can weaken, and an attacker's toolbox (src/attack/).
export { type SecurityBugs, setSecurityBugs } from "./transport/bugs";
export {
  type FakeManager,
  type FakeManagerOptions,
  Rogue,
  type RogueAnswer,
  type StolenIdentity,
  stealIdentity,
} from "./attack/rogue";
// The docker command handlers, grouped as Docker groups its commands (src/docker/README.md).
export * from "./docker/index";
// The interactive lab (issue 4): node1 and docker:dind nodes, faults as a lab user makes them,
// scripts and the REPL; the host loop, the one owner of time.
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
// "host:port" as Go's net package splits and joins it.
export { joinHostPort, splitHostPort } from "./api/address";
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
export type { TaskExecutor } from "./agent/executor";
export type { TaskStatusReport } from "./api/dispatcher";
// The docker CLI's parser and handler types, and the compose loader, for DockerCoins' commands.
export {
  parseCommandVector,
  type CommandIO,
  type ParsedCommand,
  type ParseOutcome,
  type Handler as DockerCliHandler,
  type HandlerResult,
  type Job,
  type Wait,
  Interrupt,
  INTERRUPTED_STATUS,
  until,
  forMs,
  attached,
  call,
  BufferSink,
  captured,
  type Sink,
} from "./cli/index";
export { loadComposeDocument, interpolate as interpolateComposeVariables } from "./docker/stack/compose-file";
// The Raft host: a RaftNode on a simulated machine (ticks, disk storage with fsync before send,
// transport, proposals and ReadIndex with callbacks, membership, leadership transfer).
export * as raftHost from "./manager/raft/index";
