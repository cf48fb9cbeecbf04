// The network fabric between machines: per-link latency distributions, loss, duplication and
// reordering; symmetric partitions and one-way cuts; heal. Links are FIFO by default (as a
// TCP stream is): a message never overtakes an earlier one on the same directed link unless
// the link's `reorder` chance lets it.
import type { Random } from "./random";

export type Latency =
  | { kind: "fixed"; ms: number }
  | { kind: "uniform"; min: number; max: number }
  | { kind: "normal"; mean: number; stddev: number; floor: number };

export interface LinkConfig {
  latency: Latency;
  /** Chance that a message is dropped. */
  loss?: number;
  /** Chance that a message is delivered twice. */
  duplicate?: number;
  /** Chance that a message ignores FIFO order (gets an extra random delay). */
  reorder?: number;
}

export interface Endpoint {
  address: string;
  port: number;
}

export interface Message {
  from: { machine: string; address: string; port: number };
  to: Endpoint;
  payload: unknown;
}

/** What the network needs from the world: scheduling and machine delivery. */
export interface Fabric {
  now(): number;
  schedule(delayMs: number, fn: () => void): void;
  machineOf(address: string): string | undefined;
  deliver(machine: string, msg: Message): void;
  record(type: string, fields: Record<string, unknown>): void;
  verbose(): boolean;
}

export const DEFAULT_LINK: LinkConfig = { latency: { kind: "normal", mean: 0.25, stddev: 0.05, floor: 0.1 } };

export function sampleLatency(l: Latency, rng: Random): number {
  switch (l.kind) {
    case "fixed":
      return l.ms;
    case "uniform":
      return rng.range(l.min, l.max);
    case "normal":
      return Math.max(l.floor, rng.normal(l.mean, l.stddev));
  }
}

export class Network {
  private defaultLink: LinkConfig = DEFAULT_LINK;
  private readonly links = new Map<string, LinkConfig>();
  /** Directed pairs "from>to" that are cut. */
  private readonly cuts = new Set<string>();
  /** machine -> partition group index; machines absent from the map are in group -1 (everyone). */
  private groups = new Map<string, number>();
  private readonly isolated = new Set<string>();
  /** Last delivery time per directed link, for FIFO. */
  private readonly lastArrival = new Map<string, number>();
  private extraLoss = 0;
  /** Messages sent / dropped / delivered, for tests and reports. */
  readonly stats = { sent: 0, dropped: 0, delivered: 0 };

  constructor(
    private readonly fabric: Fabric,
    private readonly rng: Random,
  ) {}

  setDefaultLink(cfg: LinkConfig): void {
    this.defaultLink = cfg;
  }

  /** Configures the link a<->b (or only a->b when oneWay). */
  setLink(a: string, b: string, cfg: LinkConfig, oneWay = false): void {
    this.links.set(`${a}>${b}`, cfg);
    if (!oneWay) this.links.set(`${b}>${a}`, cfg);
  }

  link(from: string, to: string): LinkConfig {
    return this.links.get(`${from}>${to}`) ?? this.defaultLink;
  }

  /** Splits the named machines into groups that cannot talk to each other. */
  partition(groups: string[][]): void {
    this.groups = new Map();
    groups.forEach((g, i) => {
      for (const m of g) this.groups.set(m, i);
    });
    this.fabric.record("net.partition", { groups });
  }

  /** One-way: messages from -> to are dropped; to -> from still pass. */
  cut(from: string, to: string): void {
    this.cuts.add(`${from}>${to}`);
    this.fabric.record("net.cut", { from, to });
  }

  /** Restores one direction (or both with `both`). */
  uncut(from: string, to: string, both = false): void {
    this.cuts.delete(`${from}>${to}`);
    if (both) this.cuts.delete(`${to}>${from}`);
    this.fabric.record("net.uncut", { from, to, both });
  }

  isolate(machine: string): void {
    this.isolated.add(machine);
    this.fabric.record("net.isolate", { machine });
  }

  reconnect(machine: string): void {
    this.isolated.delete(machine);
    this.fabric.record("net.reconnect", { machine });
  }

  heal(): void {
    this.cuts.clear();
    this.groups = new Map();
    this.isolated.clear();
    this.extraLoss = 0;
    this.fabric.record("net.heal", {});
  }

  /** Adds `loss` to every link for `durationMs`. */
  lossBurst(loss: number, durationMs: number): void {
    this.extraLoss = loss;
    this.fabric.record("net.lossBurst", { loss, durationMs });
    this.fabric.schedule(durationMs, () => {
      this.extraLoss = 0;
      this.fabric.record("net.lossBurstEnd", {});
    });
  }

  canReach(from: string, to: string): boolean {
    if (from === to) return true;
    if (this.isolated.has(from) || this.isolated.has(to)) return false;
    if (this.cuts.has(`${from}>${to}`)) return false;
    const gf = this.groups.get(from);
    const gt = this.groups.get(to);
    return gf === undefined || gt === undefined || gf === gt;
  }

  /** Sends a message from a machine; delivery is an event after the link's latency. */
  send(fromMachine: string, msg: Message): void {
    this.stats.sent++;
    const toMachine = this.fabric.machineOf(msg.to.address);
    if (toMachine === undefined) {
      this.stats.dropped++;
      return;
    }
    const cfg = toMachine === fromMachine ? LOOPBACK : this.link(fromMachine, toMachine);
    const loss = (cfg.loss ?? 0) + (toMachine === fromMachine ? 0 : this.extraLoss);
    if (loss > 0 && this.rng.chance(loss)) {
      this.stats.dropped++;
      if (this.fabric.verbose()) this.fabric.record("net.loss", { from: fromMachine, to: toMachine });
      return;
    }
    this.schedule(fromMachine, toMachine, msg, cfg);
    if (cfg.duplicate && this.rng.chance(cfg.duplicate)) this.schedule(fromMachine, toMachine, msg, cfg);
  }

  private schedule(from: string, to: string, msg: Message, cfg: LinkConfig): void {
    const key = `${from}>${to}`;
    const now = this.fabric.now();
    let arrival = now + sampleLatency(cfg.latency, this.rng);
    if (cfg.reorder && this.rng.chance(cfg.reorder)) {
      arrival += sampleLatency(cfg.latency, this.rng) * 2;
    } else {
      const last = this.lastArrival.get(key) ?? 0;
      if (arrival < last) arrival = last;
      this.lastArrival.set(key, arrival);
    }
    this.fabric.schedule(arrival - now, () => {
      // Partitions are checked on arrival: a message in flight when the cut starts is lost.
      if (!this.canReach(from, to)) {
        this.stats.dropped++;
        if (this.fabric.verbose()) this.fabric.record("net.blocked", { from, to });
        return;
      }
      this.stats.delivered++;
      if (this.fabric.verbose()) this.fabric.record("net.deliver", { from, to, port: msg.to.port });
      this.fabric.deliver(to, msg);
    });
  }
}

const LOOPBACK: LinkConfig = { latency: { kind: "fixed", ms: 0.02 } };
