// @swarm-sim/scenarios: the lecture's claims as scenarios, experiments, and the swarm-sim CLI.
export { type Scenario, type ScenarioResult, type Verdict, result } from "./scenario";
export { SCENARIOS, findScenario } from "./registry";
export { runSweep, defaultThreads, type SweepOptions } from "./sweep/pool";
export type { SweepTask } from "./sweep/tasks";
