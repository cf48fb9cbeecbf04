// Every scenario, in the lecture's order. `swarm-sim list` prints them; the walkthrough runs them.
import type { Scenario } from "./scenario";

export const SCENARIOS: Scenario[] = [];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
