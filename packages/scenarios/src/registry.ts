// Every scenario, in the lecture's order. `swarm-sim list` prints them; the walkthrough runs them.
import type { Scenario } from "./scenario";
import { DOCKERCOINS_SCENARIOS, rngScaleOut } from "./scenarios/dockercoins";
import { MANAGERS_SCENARIOS } from "./scenarios/managers";
import { SCALE_SCENARIOS } from "./scenarios/scale";
import { SWARM_LAB_SCENARIOS } from "./scenarios/swarm-lab";

export const SCENARIOS: Scenario[] = [
  ...DOCKERCOINS_SCENARIOS,
  ...SWARM_LAB_SCENARIOS,
  ...MANAGERS_SCENARIOS,
  ...SCALE_SCENARIOS,
  rngScaleOut,
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
