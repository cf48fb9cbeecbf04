// @swarm-sim/scenarios: the lecture's claims as scenarios, experiments, and the swarm-sim CLI.
export { type Scenario, type ScenarioResult, type Verdict, result } from "./scenario";
export { SCENARIOS, findScenario } from "./registry";
export { runSweep, defaultThreads, type SweepOptions } from "./sweep/pool";
export type { SweepTask } from "./sweep/tasks";
export { clusterArb, clusterFaultsArb, startCluster, type Cluster, type ClusterShape } from "./cluster";
export {
  runQuorumCell,
  quorumCells,
  quorumRows,
  reproduces2NPlus1,
  type QuorumCell,
  type QuorumRow,
} from "./experiments/quorum";
export {
  runManagersCell,
  managersCells,
  type ManagersCell,
  type ManagersCellResult,
} from "./experiments/managers";
export { faultScheduleArb, applyFaults, healAll, fcParams, type FaultAction } from "@swarm-sim/swarmkit-sim";
