// Plain aligned text tables for the terminal: the Docker CLI's tabwriter with no minimum width
// and three spaces between columns, without the final newline.
import { tabwriter } from "@swarm-sim/swarmkit-sim";

export function table(header: string[], rows: (string | number)[][]): string {
  return tabwriter([header, ...rows.map((r) => r.map(String))], { minwidth: 0, padding: 3 }).slice(0, -1);
}
