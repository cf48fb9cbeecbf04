// swarm-sim: the one package users install. It carries the `swarm-sim` bin and re-exports the
// API a test author needs: the kernel (Sim), a swarm built in one call (buildSwarm), fault
// schedules as data (faultScheduleArb, applyFaults, healAll), fast-check parameters that print
// and replay a failure (fcParams), the interactive lab (Lab), and the lecture's scenarios.
// Everything else stays reachable through the four namespaces below.
export {
  Sim,
  buildSwarm,
  Lab,
  fcParams,
  faultScheduleArb,
  applyFaults,
  healAll,
  type FaultAction,
} from "@swarm-sim/swarmkit-sim";
export {
  SCENARIOS,
  findScenario,
  clusterArb,
  clusterFaultsArb,
  startCluster,
  type Scenario,
  type ScenarioResult,
  type Cluster,
  type ClusterShape,
} from "@swarm-sim/scenarios";

/** Raft as a pure state machine (etcd raft's shape). */
export * as raft from "@swarm-sim/raft";
/** The simulated world and SwarmKit on it. */
export * as swarmkit from "@swarm-sim/swarmkit-sim";
/** The DockerCoins services. */
export * as dockercoins from "@swarm-sim/dockercoins-sim";
/** Scenarios, experiments and sweeps. */
export * as scenarios from "@swarm-sim/scenarios";
