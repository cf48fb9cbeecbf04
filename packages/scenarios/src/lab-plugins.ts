// The plugins every lab of the CLI has.
import type { LabPlugin } from "@swarm-sim/swarmkit-sim";

export function labPlugins(): LabPlugin[] {
  return [];
}
