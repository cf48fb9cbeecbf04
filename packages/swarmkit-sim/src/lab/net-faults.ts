// The network faults a lab user set, kept so that `faults` can list them and `heal` can undo
// them without undoing `docker network disconnect` (a node taken off every network stays cut
// off until `docker network connect`, as in Docker).
import type { Sim } from "../kernel/sim";
import type { LinkFaults } from "./link-faults";

export interface FaultView {
  /** Machines that are on no network (docker network disconnect). */
  disconnected(): string[];
}

export class NetFaults {
  private groups: string[][] | undefined;
  private readonly cuts: [string, string][] = [];

  constructor(
    private readonly sim: Sim,
    private readonly links: LinkFaults,
    private readonly view: FaultView,
  ) {}

  partition(groups: string[][]): void {
    this.groups = groups.map((g) => [...g]);
    this.sim.net.partition(groups);
    this.sim.trace.record("lab.partition", { groups });
  }

  cut(from: string, to: string): void {
    if (!this.cuts.some(([f, t]) => f === from && t === to)) this.cuts.push([from, to]);
    this.sim.net.cut(from, to);
    this.sim.trace.record("lab.cut", { from, to });
  }

  heal(): void {
    this.groups = undefined;
    this.cuts.length = 0;
    this.sim.net.heal();
    this.links.clear();
    for (const name of this.view.disconnected()) this.sim.net.isolate(name);
    this.sim.trace.record("lab.heal", {});
  }

  describe(): string[] {
    const out: string[] = [];
    if (this.groups) out.push(`partition: ${this.groups.map((g) => g.join(" ")).join(" | ")}`);
    for (const [f, t] of this.cuts) out.push(`block: ${f} -> ${t}`);
    out.push(...this.links.describe());
    for (const n of this.view.disconnected())
      out.push(`disconnected: ${n} (docker network connect bridge ${n})`);
    for (const name of this.sim.machineNames()) {
      const m = this.sim.machine(name);
      if (m.state === "paused") out.push(`paused: ${name}`);
      else if (!m.isUp()) out.push(`${m.state}: ${name}`);
    }
    return out;
  }
}
