// The fault schedule, carried out: each fault goes on at its time and off `forMs` later
// (healed, resumed, restarted, its clock set right), so any subset of a schedule is a valid
// schedule (what shrinking needs). Overlapping network faults are kept as a set: ending one
// heals the network and puts the others back.
import { DEFAULT_LINK, type LinkConfig, type Sim } from "@swarm-sim/swarmkit-sim";
import type { Coverage } from "./coverage";
import type { FuzzFault } from "./case";

type NetworkFault = Extract<FuzzFault, { kind: "partition" | "cut" | "isolate" }>;
type LinkFault = Extract<FuzzFault, { kind: "link" }>;

export class FaultRunner {
  private readonly network = new Set<NetworkFault>();
  private readonly links: LinkFault[] = [];
  /** Machines this runner crashed or paused, which it must bring back. */
  private readonly crashed = new Set<string>();
  private readonly paused = new Set<string>();
  private readonly skewed = new Set<string>();
  private healed = false;

  constructor(
    private readonly sim: Sim,
    private readonly machines: readonly string[],
    private readonly coverage: Coverage,
    private readonly isManager: (machine: string) => boolean,
  ) {}

  /** Schedules every fault relative to now. */
  schedule(faults: readonly FuzzFault[]): void {
    for (const f of faults) {
      this.sim.after(f.at, () => {
        if (this.healed) return;
        if (this.on(f)) this.sim.after(f.forMs, () => !this.healed && this.off(f));
      });
    }
  }

  networkFaulty(): boolean {
    return this.network.size > 0;
  }

  /** Ends every fault now (the heal before the liveness phase); later ons and offs are dropped. */
  healAll(): void {
    this.healed = true;
    this.network.clear();
    this.sim.net.heal();
    this.links.length = 0;
    this.sim.net.setDefaultLink(DEFAULT_LINK);
    for (const m of this.skewed) this.sim.machine(m).setClockSkew(0);
    for (const m of this.paused) if (this.sim.machine(m).state === "paused") this.sim.machine(m).resume();
    for (const m of this.crashed) if (!this.sim.machine(m).isUp()) this.sim.machine(m).start();
    this.skewed.clear();
    this.paused.clear();
    this.crashed.clear();
  }

  private name(i: number): string {
    return this.machines[i % this.machines.length];
  }

  /** Puts a fault on; false when it does not apply now (its machine is already down...). */
  private on(f: FuzzFault): boolean {
    this.sim.trace.record("fuzz.fault", { ...f });
    switch (f.kind) {
      case "crash": {
        const m = this.sim.machine(this.name(f.machine));
        if (!m.isUp() || this.paused.has(m.name)) return false;
        m.crash();
        this.crashed.add(m.name);
        if (this.isManager(m.name)) this.coverage.hit("managerCrashed");
        return true;
      }
      case "pause": {
        const m = this.sim.machine(this.name(f.machine));
        if (m.state !== "running") return false;
        m.pause();
        this.paused.add(m.name);
        return true;
      }
      case "partition":
      case "cut":
      case "isolate":
        this.network.add(f);
        this.applyNetwork();
        return true;
      case "link":
        this.links.push(f);
        this.applyLinks();
        this.coverage.hit("linkDegraded");
        return true;
      case "clockSkew": {
        const m = this.sim.machine(this.name(f.machine));
        m.setClockSkew(f.skewMs);
        this.skewed.add(m.name);
        this.coverage.hit("clockSkewed");
        return true;
      }
    }
  }

  private off(f: FuzzFault): void {
    switch (f.kind) {
      case "crash": {
        const m = this.sim.machine(this.name(f.machine));
        if (this.crashed.delete(m.name) && !m.isUp()) m.start();
        return;
      }
      case "pause": {
        const m = this.sim.machine(this.name(f.machine));
        if (this.paused.delete(m.name) && m.state === "paused") m.resume();
        return;
      }
      case "partition":
      case "cut":
      case "isolate":
        this.network.delete(f);
        this.applyNetwork();
        return;
      case "link":
        this.links.splice(this.links.indexOf(f), 1);
        this.applyLinks();
        return;
      case "clockSkew": {
        const m = this.sim.machine(this.name(f.machine));
        m.setClockSkew(0);
        this.skewed.delete(m.name);
        return;
      }
    }
  }

  private applyNetwork(): void {
    this.sim.net.heal();
    for (const f of this.network) {
      if (f.kind === "isolate") this.sim.net.isolate(this.name(f.machine));
      else if (f.kind === "cut") {
        const from = this.name(f.from);
        const to = this.name(f.to);
        if (from !== to) this.sim.net.cut(from, to);
      } else
        this.sim.net.partition(
          [0, 1].map((side) => this.machines.filter((_, i) => (f.sides[i] ?? 0) === side)),
        );
    }
  }

  private applyLinks(): void {
    const f = this.links[this.links.length - 1];
    if (!f) {
      this.sim.net.setDefaultLink(DEFAULT_LINK);
      return;
    }
    const cfg: LinkConfig = {
      latency:
        f.latencyMs > 0 ? { kind: "uniform", min: f.latencyMs / 4, max: f.latencyMs } : DEFAULT_LINK.latency,
      loss: f.loss,
      duplicate: f.duplicate,
      reorder: f.reorder,
    };
    this.sim.net.setDefaultLink(cfg);
  }
}
