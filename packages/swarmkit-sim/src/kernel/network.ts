// The network fabric between machines: per-link latency distributions, loss, duplication and
// reordering; symmetric partitions and one-way cuts; heal. Links are FIFO by default (as a
// TCP stream is): a message never overtakes an earlier one on the same directed link unless
// the link's `reorder` chance lets it. It carries messages between NetHosts (kernel/machine.ts's
// Machine is the one kind) and finds them in the world's address table; an address private to
// the sender (its engine's bridge) is delivered on the sender itself.
import type { AddressTable, Endpoint, Listener, Message } from "./addresses";
import { QueuedEvent, type Timer } from "./event-queue";
import { DEFAULT_LINK, type LinkConfig, type LinkState, sampleLatency } from "./links";
import type { Random } from "./random";
import type { Trace } from "./trace";

/** A machine as the network sees it: where messages arrive, and its cache of outgoing links. */
export interface NetHost extends OutLinks {
  readonly name: string;
  /** Addresses only this host routes (a machine's engine bridges): a send to one stays here. */
  readonly privateAddrs: ReadonlySet<string> | null;
  /** A message reaches the machine. */
  deliver(msg: Message): void;
}

/** What the network needs of the simulation: its clock and queue, its trace, its address table. */
export interface NetworkWorld {
  readonly trace: Trace;
  readonly addresses: AddressTable<NetHost>;
  now(): number;
  after(ms: number, fn: () => void): Timer;
  schedule(e: QueuedEvent, ms: number): void;
}

/**
 * An endpoint on a known machine. Every message a machine sends from one of its addresses and
 * one port carries such a record as its `from`, shared by all of them (frozen: receivers may
 * keep it, e.g. to reply to, but never change it); `Sim.endpointAt` makes one to send to. It
 * also knows, unlisted, the machine that held the address when it was made (undefined if the
 * address was borrowed) and the address table's generation then: while no address has changed
 * hands since, a message sent to it needs no address lookup. Its route remembers the rest of
 * the way (see Route).
 */
export class Source {
  /** @internal */
  declare readonly host: NetHost | undefined;
  /** @internal */
  declare readonly generation: number;
  /** @internal */
  declare readonly route: Route;

  constructor(
    readonly machine: string,
    readonly address: string,
    readonly port: number,
    host: NetHost | undefined,
    generation: number,
  ) {
    Object.defineProperty(this, "host", { value: host, enumerable: false });
    Object.defineProperty(this, "generation", { value: generation, enumerable: false });
    const route: Route = {
      from: undefined,
      link: undefined,
      listenHost: undefined,
      listenGeneration: -1,
      listener: undefined,
    };
    Object.defineProperty(this, "route", { value: route, enumerable: false });
    Object.freeze(this);
  }
}

/**
 * What the last message to a Source found on its way: the machine that sent it and its link to
 * the Source's machine, and the listener it reached there (valid while that machine's
 * listeners have not changed). A server answering 10^4 clients in turn, or a container calling
 * two services in turn, would otherwise look both up in maps per message; the endpoint record
 * is at hand anyway.
 */
export interface Route {
  from: NetHost | undefined;
  link: LinkState | undefined;
  listenHost: NetHost | undefined;
  /** The listener generation of `listenHost` when `listener` was looked up. */
  listenGeneration: number;
  listener: Listener | undefined;
}

/**
 * A machine's outgoing links, and the destination it sent to last: most senders talk to one
 * peer in a row, so the address lookup and the link lookup are skipped then. The Machine holds
 * these fields itself (a send touches the machine anyway; a separate record is one more cache
 * miss per message when 10^4 machines take turns); the network keeps them.
 */
export interface OutLinks {
  /** Link states by destination machine (made on first use). */
  linksOut: Map<NetHost, LinkState> | null;
  /** The address last sent to, the machine holding it then, and the address generation. */
  lastSentAddress: string;
  lastSentGeneration: number;
  lastSentTo: NetHost | undefined;
  /** The link to `lastSentTo` (undefined when that is the sender itself: loopback). */
  lastSentLink: LinkState | undefined;
}

/**
 * One message in flight. It is the event that delivers it and the message the receiver gets:
 * one object per message.
 */
class Delivery extends QueuedEvent implements Message {
  constructor(
    readonly net: Network,
    readonly src: NetHost,
    readonly dst: NetHost,
    readonly from: Message["from"],
    readonly to: Endpoint,
    readonly payload: unknown,
  ) {
    super();
  }

  override run(): void {
    this.net.arrive(this);
  }
}

export class Network {
  private defaultLink: LinkConfig = DEFAULT_LINK;
  private readonly links = new Map<string, LinkConfig>();
  /** Bumped whenever a link configuration changes, so cached link states re-resolve. */
  private generation = 0;
  /** Directed pairs "from>to" that are cut. */
  private readonly cuts = new Set<string>();
  /** machine -> partition group index; machines absent from the map are in group -1 (everyone). */
  private groups = new Map<string, number>();
  private readonly isolated = new Set<string>();
  /** True when any partition, cut or isolation is in force (the fast path skips the checks). */
  private faulty = false;
  private extraLoss = 0;
  /** Messages sent / dropped / delivered, for tests and reports. */
  readonly stats = { sent: 0, dropped: 0, delivered: 0 };

  /** The world's address table (read on every send). */
  private readonly addresses: AddressTable<NetHost>;

  constructor(
    private readonly sim: NetworkWorld,
    private readonly rng: Random,
  ) {
    this.addresses = sim.addresses;
  }

  setDefaultLink(cfg: LinkConfig): void {
    this.defaultLink = cfg;
    this.generation++;
  }

  /** Configures the link a<->b (or only a->b when oneWay). */
  setLink(a: string, b: string, cfg: LinkConfig, oneWay = false): void {
    this.links.set(`${a}>${b}`, cfg);
    if (!oneWay) this.links.set(`${b}>${a}`, cfg);
    this.generation++;
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
    this.updateFaulty();
    this.sim.trace.record("net.partition", { groups });
  }

  /** One-way: messages from -> to are dropped; to -> from still pass. */
  cut(from: string, to: string): void {
    this.cuts.add(`${from}>${to}`);
    this.updateFaulty();
    this.sim.trace.record("net.cut", { from, to });
  }

  /** Restores one direction (or both with `both`). */
  uncut(from: string, to: string, both = false): void {
    this.cuts.delete(`${from}>${to}`);
    if (both) this.cuts.delete(`${to}>${from}`);
    this.updateFaulty();
    this.sim.trace.record("net.uncut", { from, to, both });
  }

  isolate(machine: string): void {
    this.isolated.add(machine);
    this.updateFaulty();
    this.sim.trace.record("net.isolate", { machine });
  }

  reconnect(machine: string): void {
    this.isolated.delete(machine);
    this.updateFaulty();
    this.sim.trace.record("net.reconnect", { machine });
  }

  heal(): void {
    this.cuts.clear();
    this.groups = new Map();
    this.isolated.clear();
    this.extraLoss = 0;
    this.updateFaulty();
    this.sim.trace.record("net.heal", {});
  }

  private updateFaulty(): void {
    this.faulty = this.cuts.size > 0 || this.groups.size > 0 || this.isolated.size > 0;
  }

  /** Adds `loss` to every link for `durationMs`. */
  lossBurst(loss: number, durationMs: number): void {
    this.extraLoss = loss;
    this.sim.trace.record("net.lossBurst", { loss, durationMs });
    this.sim.after(durationMs, () => {
      this.extraLoss = 0;
      this.sim.trace.record("net.lossBurstEnd", {});
    });
  }

  canReach(from: string, to: string): boolean {
    if (from === to || !this.faulty) return true;
    if (this.isolated.has(from) || this.isolated.has(to)) return false;
    if (this.cuts.has(`${from}>${to}`)) return false;
    const gf = this.groups.get(from);
    const gt = this.groups.get(to);
    return gf === undefined || gt === undefined || gf === gt;
  }

  /** Sends a message from a machine; delivery is an event after the link's latency. */
  send(from: NetHost, source: Message["from"], to: Endpoint, payload: unknown): void {
    this.stats.sent++;
    const out: OutLinks = from;
    const addresses = this.addresses;
    let dst: NetHost | undefined;
    let state: LinkState | undefined;
    const src = to as Source;
    if (from.privateAddrs?.has(to.address)) {
      // One of the sender's private addresses (its engine's bridge): it never leaves the host.
      dst = from;
    } else if (out.lastSentAddress === to.address && out.lastSentGeneration === addresses.generation) {
      dst = out.lastSentTo;
      state = out.lastSentLink;
    } else if (src.host !== undefined && src.generation === addresses.generation) {
      // A Source record made since the last change of addresses: its machine, and the link
      // the last message to it took if this machine sent that one too.
      dst = src.host;
      const route = src.route;
      if (route.from !== from) {
        route.from = from;
        route.link = dst === from ? undefined : this.linkState(out, from, dst);
      }
      state = route.link;
    } else {
      dst = addresses.at(to.address);
      if (dst === undefined) {
        this.stats.dropped++;
        return;
      }
      out.lastSentAddress = to.address;
      out.lastSentGeneration = addresses.generation;
      out.lastSentTo = dst;
      out.lastSentLink = state = dst === from ? undefined : this.linkState(out, from, dst);
    }
    if (state !== undefined && state.generation !== this.generation) {
      state.cfg = this.link(from.name, dst!.name);
      state.generation = this.generation;
    }
    const cfg = state ? state.cfg : LOOPBACK;
    const loss = (cfg.loss ?? 0) + (state ? this.extraLoss : 0);
    if (loss > 0 && this.rng.chance(loss)) {
      this.stats.dropped++;
      if (this.sim.trace.verbose) this.sim.trace.record("net.loss", { from: from.name, to: dst!.name });
      return;
    }
    this.schedule(new Delivery(this, from, dst!, source, to, payload), cfg, state);
    if (cfg.duplicate && this.rng.chance(cfg.duplicate))
      this.schedule(new Delivery(this, from, dst!, source, to, payload), cfg, state);
  }

  private linkState(out: OutLinks, from: NetHost, to: NetHost): LinkState {
    const links = out.linksOut ?? (out.linksOut = new Map());
    let st = links.get(to);
    if (!st) {
      st = { cfg: this.link(from.name, to.name), generation: this.generation, lastArrival: 0 };
      links.set(to, st);
    }
    return st;
  }

  private schedule(d: Delivery, cfg: LinkConfig, state: LinkState | undefined): void {
    const now = this.sim.now();
    let arrival = now + sampleLatency(cfg.latency, this.rng);
    if (cfg.reorder && this.rng.chance(cfg.reorder)) {
      arrival += sampleLatency(cfg.latency, this.rng) * 2;
    } else if (state) {
      if (arrival < state.lastArrival) arrival = state.lastArrival;
      state.lastArrival = arrival;
    }
    this.sim.schedule(d, arrival - now);
  }

  /** A message reaches its machine (called by the delivery event). */
  arrive(d: Delivery): void {
    // Partitions are checked on arrival: a message in flight when the cut starts is lost.
    if (this.faulty && !this.canReach(d.src.name, d.dst.name)) {
      this.stats.dropped++;
      if (this.sim.trace.verbose) this.sim.trace.record("net.blocked", { from: d.src.name, to: d.dst.name });
      return;
    }
    this.stats.delivered++;
    if (this.sim.trace.verbose)
      this.sim.trace.record("net.deliver", { from: d.src.name, to: d.dst.name, port: d.to.port });
    d.dst.deliver(d);
  }
}

const LOOPBACK: LinkConfig = { latency: { kind: "fixed", ms: 0.02 } };
