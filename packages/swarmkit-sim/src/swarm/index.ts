// The swarm control plane's public face: wiring a SwarmNode onto a machine, and forming a swarm
// for tests and benches.
//
// CONTRACT (for the lab and the services engineers):
//
//   attachSwarmNode(sim: Sim, machine: Machine, opts?: SwarmNodeOptions): SwarmNode
//     Gives a machine that runs a Docker engine its swarm component (dockerd's daemon/cluster).
//     Call it once per machine, right after creating the machine (before or after start()):
//     it registers machine.onBoot/onHalt hooks, so a restarted machine recovers its swarm state
//     from its disk (certificates, raft data), and a crashed one drops its processes. A machine
//     that never ran `docker swarm init|join` stays "inactive". Calling it twice for the same
//     machine returns the same SwarmNode. `swarmNodeOf(machine)` finds it later.
//
//   AttachOptions (Partial<SwarmNodeOptions>) {
//     leaderComponents?: () => LeaderComponent[]   // services engineer: started on the leader
//     executorFactory?: (ctx: { sim, machine, node }) => TaskExecutor  // fed by the agent
//     onLeft?: (ctx: { machine, nodeId }) => void  // services engineer: dockerd removes the
//                                                  // node's task containers after a leave
//     engineVersion?: string                        // shown in `docker node ls`, default "27.5.1"
//     consensusFactory?: ConsensusFactory           // default: the Raft host (manager/raft-factory)
//     tickMs?: number                               // raft tick, default 1000 (SwarmKit)
//   }
//   Advertise-address autodetection skips interfaces named lo, docker0, docker_gwbridge, br-*
//   and veth* (Docker's own bridges and container addresses), so node1's docker0 is ignored.
//
//   The docker CLI handlers of the control plane (`docker swarm|node|info|service|stack`) live in
//   src/docker/ (registerSwarmCommands, registerServiceCommands there): they wait for the cluster
//   as jobs that a host loop drives, never by running the simulation themselves.
//
//   buildSwarm(sim, { managers, workers, ... }): BuiltSwarm   (tests and benches)
//     Creates machines and forms a swarm by really running init and join.
//
// Everything else (SwarmNode methods: init/join/leave/..., the manager's store) is exported
// from here too; see the types below.
//
// For other command handlers (services engineer): a manager's replicated store is
// `swarm.manager?.store` (read it freely), writes go through `swarm.manager.proposer` (Raft;
// followers forward to the leader), and `swarm.controlError()` gives dockerd's error for a
// node that cannot serve the control API (not in a swarm, worker, locked, manager not ready).
// Control API calls that must reach the leader: `swarm.control(method, req, cb)` with the
// methods in api/methods.ts.
export { attachSwarmNode, swarmNodeOf, type AttachOptions } from "./attach";
export { buildSwarm, type BuiltSwarm, type BuildSwarmOptions } from "./build";
export {
  SwarmNode,
  type SwarmNodeOptions,
  type InitOptions,
  type JoinOptions,
  type LocalNodeState,
} from "../node/swarm-node";
export { Manager, type AuthorizationEvent, type ManagerBugs } from "../manager/manager";
export {
  type Consensus,
  type ConsensusFactory,
  type ConsensusOptions,
  raftConsensusFactory,
} from "../manager/index";
export { CONTROL } from "../api/methods";
export type { SwarmInfo } from "../node/info";
