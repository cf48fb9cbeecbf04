// The lab's latency and loss settings, turned into the kernel's per-link configuration. A
// setting applies to every link (no node), to every link of one node (as netem on that node's
// interface would: its delay adds to the other end's), or to the link between two nodes (which
// then overrides the rest). Settings survive new machines: links are recomputed for every pair.
import { DEFAULT_LINK, type Latency, type LinkConfig } from "../kernel/links";
import type { Sim } from "../kernel/sim";

export interface LatencySetting {
  ms: number;
  jitterMs: number;
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

export class LinkFaults {
  private globalLatency: LatencySetting | undefined;
  private globalLoss: number | undefined;
  private readonly nodeLatency = new Map<string, LatencySetting>();
  private readonly nodeLoss = new Map<string, number>();
  private readonly pairLatency = new Map<string, LatencySetting>();
  private readonly pairLoss = new Map<string, number>();

  constructor(private readonly sim: Sim) {}

  setLatency(setting: LatencySetting, a?: string, b?: string): void {
    if (a === undefined) this.globalLatency = setting;
    else if (b === undefined) this.nodeLatency.set(a, setting);
    else this.pairLatency.set(pairKey(a, b), setting);
    this.apply();
  }

  setLoss(loss: number, a?: string, b?: string): void {
    if (a === undefined) this.globalLoss = loss;
    else if (b === undefined) this.nodeLoss.set(a, loss);
    else this.pairLoss.set(pairKey(a, b), loss);
    this.apply();
  }

  /** Back to the kernel's default link everywhere. */
  clear(): void {
    this.globalLatency = undefined;
    this.globalLoss = undefined;
    this.nodeLatency.clear();
    this.nodeLoss.clear();
    this.pairLatency.clear();
    this.pairLoss.clear();
    this.apply();
  }

  isEmpty(): boolean {
    return (
      this.globalLatency === undefined &&
      this.globalLoss === undefined &&
      this.nodeLatency.size + this.nodeLoss.size + this.pairLatency.size + this.pairLoss.size === 0
    );
  }

  /** The settings in words, for `netem` with no arguments. */
  describe(): string[] {
    const lat = (s: LatencySetting) => `${s.ms}ms${s.jitterMs > 0 ? ` ±${s.jitterMs}ms` : ""}`;
    const pct = (p: number) => `${Math.round(p * 10000) / 100}%`;
    const out: string[] = [];
    if (this.globalLatency) out.push(`latency ${lat(this.globalLatency)} on every link`);
    if (this.globalLoss !== undefined) out.push(`loss ${pct(this.globalLoss)} on every link`);
    for (const [n, s] of this.nodeLatency) out.push(`latency ${lat(s)} on every link of ${n}`);
    for (const [n, p] of this.nodeLoss) out.push(`loss ${pct(p)} on every link of ${n}`);
    for (const [k, s] of this.pairLatency) out.push(`latency ${lat(s)} between ${k.replace("|", " and ")}`);
    for (const [k, p] of this.pairLoss) out.push(`loss ${pct(p)} between ${k.replace("|", " and ")}`);
    return out;
  }

  /** Pushes the effective configuration of every pair of machines into the kernel. */
  apply(): void {
    const names = this.sim.machineNames();
    this.sim.net.setDefaultLink(this.config(undefined, undefined));
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) {
        this.sim.net.setLink(names[i], names[j], this.config(names[i], names[j]));
      }
    }
  }

  private config(a: string | undefined, b: string | undefined): LinkConfig {
    const key = a !== undefined && b !== undefined ? pairKey(a, b) : undefined;
    let latency: Latency = DEFAULT_LINK.latency;
    const pair = key ? this.pairLatency.get(key) : undefined;
    if (pair) latency = toLatency(pair);
    else {
      const base = this.globalLatency;
      const na = a !== undefined ? this.nodeLatency.get(a) : undefined;
      const nb = b !== undefined ? this.nodeLatency.get(b) : undefined;
      if (base || na || nb) {
        const parts = [base, na, nb].filter((x): x is LatencySetting => x !== undefined);
        latency = toLatency({
          ms: parts.reduce((s, x) => s + x.ms, 0),
          // Independent jitters add in variance.
          jitterMs: Math.sqrt(parts.reduce((s, x) => s + x.jitterMs * x.jitterMs, 0)),
        });
      }
    }
    let loss: number | undefined = key ? this.pairLoss.get(key) : undefined;
    if (loss === undefined) {
      const parts = [
        this.globalLoss,
        a !== undefined ? this.nodeLoss.get(a) : undefined,
        b !== undefined ? this.nodeLoss.get(b) : undefined,
      ].filter((x): x is number => x !== undefined);
      if (parts.length > 0) loss = 1 - parts.reduce((keep, p) => keep * (1 - p), 1);
    }
    return loss === undefined || loss === 0 ? { latency } : { latency, loss };
  }
}

function toLatency(s: LatencySetting): Latency {
  if (s.jitterMs <= 0) return { kind: "fixed", ms: s.ms };
  return { kind: "normal", mean: s.ms, stddev: s.jitterMs, floor: Math.min(0.1, s.ms) };
}
