// A simulated machine: its processes' timers, its listening ports, its disk, its local clock,
// and its size: cores (a queue of work in simulated time, cpu.ts) and memory. Crash kills every process (timers and listeners of this incarnation vanish) and
// drops unsynced disk writes; restart boots again from what was synced; pause freezes it
// without losing anything (timers and arriving messages wait until resume).
//
// The kernel's files import one way: event-queue, random, trace, disk, links, addresses, cpu <
// network < machine < sim. A machine reaches the rest of the simulation through World (the
// Sim is the one World), and sends through the network it finds there.
import type { AddressTable, Endpoint, Listener, Message } from "./addresses";
import { Cpu } from "./cpu";
import { Disk } from "./disk";
import { type QueuedEvent, Timer } from "./event-queue";
import { type NetHost, type Network, Source } from "./network";
import type { Random } from "./random";
import type { Trace } from "./trace";

/**
 * The simulation as a machine and the code on it see it (`machine.sim`): the clock, timers and
 * the event loop, seeded randomness, the trace, the network, the address table and the other
 * machines. The Sim is the one World (kernel/sim.ts implements it); only adding and removing
 * machines is left out. It is an interface so that this file need not import sim.ts, which
 * imports it.
 */
export interface World {
  readonly seed: string;
  readonly epochMs: number;
  readonly random: Random;
  readonly trace: Trace;
  readonly net: Network;
  readonly addresses: AddressTable<Machine>;
  /** The address table's generation (see AddressTable). */
  readonly addressGeneration: number;
  now(): number;
  /** Simulated wall-clock time (ms since the Unix epoch). */
  wallNow(): number;
  after(ms: number, fn: () => void, label?: string): Timer;
  afterWith<A>(ms: number, fn: (arg: A) => void, arg: A): Timer;
  at(time: number, fn: () => void, label?: string): Timer;
  /** @internal Queues a kernel event `ms` from now (see Sim.schedule). */
  schedule(e: QueuedEvent, ms: number): void;
  pending(): number;
  step(): boolean;
  runFor(ms: number): void;
  runUntil(pred: () => boolean, limitMs: number): boolean;
  machine(name: string): Machine;
  hasMachine(name: string): boolean;
  machineNames(): string[];
  machineAt(address: string): Machine | undefined;
  machineFor(to: Endpoint): Machine | undefined;
  endpointAt(address: string, port: number): Endpoint;
  assignAddress(machine: string, address: string, iface?: string): void;
  releaseAddress(address: string): void;
}

export type MachineState = "running" | "crashed" | "paused" | "stopped";

export interface Interface {
  name: string;
  address: string;
}

export interface MachineOptions {
  /** Shorthand for interfaces eth0, eth1, ... with these addresses. */
  addresses?: string[];
  interfaces?: Interface[];
  /** Start the machine at once (default true). */
  start?: boolean;
  /** Processor cores (default DEFAULT_CORES). */
  cores?: number;
  /** Memory in bytes (default DEFAULT_MEMORY_BYTES). */
  memoryBytes?: number;
}

/**
 * A machine's default size: what a docker:dind on a typical laptop's Docker VM reports (Docker
 * Desktop gives its VM half the host's processors and memory: 4 CPUs, and 8 GB that `docker info`
 * shows as "Total Memory: 7.755GiB"). Every view (docker info, docker node inspect, docker stats,
 * top) shows the machine's own figures.
 */
export const DEFAULT_CORES = 4;
export const DEFAULT_MEMORY_BYTES = 8_326_963_200;

type BootHook = (m: Machine) => void;
type HaltHook = (m: Machine, how: "crash" | "stop") => void;

/**
 * A timer of one incarnation of a machine: it does nothing if the machine halted since it was
 * set, and waits for resume if the machine is paused. One object per timer (no closure).
 */
class MachineTimer extends Timer {
  constructor(
    fn: (arg: any) => void,
    label: string | undefined,
    private readonly machine: Machine,
    private readonly incarnation: number,
    arg?: unknown,
  ) {
    super(fn, arg, label);
  }

  override run(): void {
    this.machine.runTimer(this.incarnation, this.fn, this.arg);
  }
}

export class Machine implements NetHost {
  readonly disk = new Disk();
  private size: { cores: number; memoryBytes: number };
  private cpuQueue: Cpu;
  /** The world's address table (held here too: a send reads it without going through `sim`). */
  private readonly addressTable: AddressTable<Machine>;
  private readonly ifaces: Interface[];
  /** The first interface's address, kept current by the methods that change `ifaces`. */
  private primary: string;
  state: MachineState = "stopped";
  /** Bumped on every halt: timers of older incarnations never run. */
  private incarnation = 0;
  private clockSkew = 0;
  /** Listeners on a port of every address. */
  private readonly listeners = new Map<number, Listener>();
  /** Listeners bound to one address (a container's): address -> port -> handler. */
  private bound: Map<string, Map<number, Listener>> | null = null;
  /** Bumped whenever a listener comes or goes: what was looked up before may be stale. */
  private listenGeneration = 0;
  /**
   * The port a message to a plain endpoint last came to, its listener, and the generation they
   * hold for: most machines receive on one port in a row (messages to a Source keep theirs in
   * its route).
   */
  private lastPort = -1;
  private lastPortGeneration = -1;
  private lastListener: Listener | undefined = undefined;
  /** Shared `from` records of the messages sent from each address, by port. */
  private readonly sources = new Map<string, Map<number, Source>>();
  /** The last of those used (most processes send from one port in a row). */
  private lastSource: Source | undefined = undefined;
  /** @internal The network's per-sender cache of destinations and links (see OutLinks). */
  linksOut: NetHost["linksOut"] = null;
  /** @internal */
  lastSentAddress = "";
  /** @internal */
  lastSentGeneration = -1;
  /** @internal */
  lastSentTo: NetHost["lastSentTo"] = undefined;
  /** @internal */
  lastSentLink: NetHost["lastSentLink"] = undefined;
  /**
   * Addresses only this machine routes: its engine's bridges and the containers on them (each
   * engine has its own docker0, 172.17.0.0/16 or the next free pool). Null while it has none.
   */
  privateAddrs: Set<string> | null = null;
  /**
   * Masquerading: for each port a private address sent from to another machine, that address
   * (the message left from the machine's own address; the answer comes back to the port).
   */
  private nat: Map<number, string> | null = null;
  /** Work that arrived while paused, run in order on resume. */
  private held: (() => void)[] = [];
  private readonly bootHooks: BootHook[] = [];
  private readonly haltHooks: HaltHook[] = [];

  constructor(
    readonly sim: World,
    readonly name: string,
    interfaces: Interface[],
    size: { cores?: number; memoryBytes?: number } = {},
  ) {
    this.addressTable = sim.addresses;
    this.ifaces = interfaces;
    this.primary = interfaces[0]?.address ?? "";
    this.size = { cores: size.cores ?? DEFAULT_CORES, memoryBytes: size.memoryBytes ?? DEFAULT_MEMORY_BYTES };
    this.cpuQueue = this.newCpu();
  }

  private newCpu(): Cpu {
    return new Cpu(
      this.size.cores,
      () => this.sim.now(),
      (ms, fn) => this.after(ms, fn),
    );
  }

  /** Processor cores. */
  get cores(): number {
    return this.size.cores;
  }

  /** Memory in bytes. */
  get memoryBytes(): number {
    return this.size.memoryBytes;
  }

  /** The cores as a queue of work: what the machine's processes compute takes simulated time. */
  get cpu(): Cpu {
    return this.cpuQueue;
  }

  /**
   * Gives the machine another size while it is down (a VM resized between a stop and a start):
   * it boots with the new cores and memory.
   */
  resize(size: { cores?: number; memoryBytes?: number }): void {
    if (this.isUp()) throw new Error(`machine ${this.name}: stop it before resizing it`);
    this.size = {
      cores: size.cores ?? this.size.cores,
      memoryBytes: size.memoryBytes ?? this.size.memoryBytes,
    };
    this.cpuQueue = this.newCpu();
    this.sim.trace.record("machine.resize", { machine: this.name, ...this.size });
  }

  /** The machine's interfaces, first one first (change them with the methods below). */
  get interfaces(): readonly Interface[] {
    return this.ifaces;
  }

  get addresses(): string[] {
    return this.ifaces.map((i) => i.address);
  }

  /** The first address: where this machine's messages come from by default. */
  get address(): string {
    return this.primary;
  }

  /** @internal Adds an interface (Sim.assignAddress keeps the address map in step). */
  addInterface(iface: Interface): void {
    this.ifaces.push(iface);
    this.primary = this.ifaces[0].address;
  }

  /** @internal Removes the interface holding `address` (Sim.releaseAddress). */
  removeInterface(address: string): void {
    this.sources.delete(address);
    const i = this.ifaces.findIndex((x) => x.address === address);
    if (i >= 0) this.ifaces.splice(i, 1);
    this.primary = this.ifaces[0]?.address ?? "";
  }

  /**
   * An address only this machine routes (an engine bridge's gateway or container): another
   * machine may hold the same one. Throws if this machine holds it already.
   */
  addPrivateAddress(iface: Interface): void {
    if (this.ifaces.some((x) => x.address === iface.address))
      throw new Error(`address ${iface.address} is already in use`);
    (this.privateAddrs ??= new Set()).add(iface.address);
    this.ifaces.push(iface);
    this.primary = this.ifaces[0].address;
    // Routes changed: whatever was looked up for this address before (here or elsewhere) is stale.
    this.addressTable.touch();
  }

  removePrivateAddress(address: string): void {
    if (!this.privateAddrs?.delete(address)) return;
    if (this.privateAddrs.size === 0) this.privateAddrs = null;
    this.removeInterface(address);
    if (this.nat !== null)
      for (const [port, a] of this.nat)
        if (a === address) {
          this.nat.delete(port);
          this.listenGeneration++;
        }
    this.addressTable.touch();
  }

  /** The machine a message sent from here to `to` reaches (this one for its private addresses). */
  machineFor(to: Endpoint): Machine | undefined {
    return this.privateAddrs?.has(to.address) ? this : this.sim.machineFor(to);
  }

  /** Whether `address` is one of this machine's private addresses. */
  isPrivate(address: string): boolean {
    return this.privateAddrs?.has(address) === true;
  }

  /** Orders the interfaces (the first one's address is where messages come from). */
  sortInterfaces(compare: (a: Interface, b: Interface) => number): void {
    this.ifaces.sort(compare);
    this.primary = this.ifaces[0]?.address ?? "";
  }

  isUp(): boolean {
    return this.state === "running" || this.state === "paused";
  }

  /** What the machine's own clock reads (simulated time plus its skew). */
  /**
   * This machine's clock: the simulation's plus its skew. A deadline taken on it and waited
   * for with after(deadline - localNow()) may look an ulp away when the timer fires (the sum is
   * rounded): compare against it with LOCAL_CLOCK_EPSILON_MS, or a timer re-armed for the
   * remaining 1e-12 ms fires at the same instant forever.
   */
  localNow(): number {
    return this.sim.now() + this.clockSkew;
  }

  setClockSkew(ms: number): void {
    this.clockSkew = ms;
    this.sim.trace.record("machine.clockSkew", { machine: this.name, skewMs: ms });
  }

  onBoot(fn: BootHook): void {
    this.bootHooks.push(fn);
  }

  onHalt(fn: HaltHook): void {
    this.haltHooks.push(fn);
  }

  /** A timer owned by the current incarnation: lost on crash/stop, held while paused. */
  after(ms: number, fn: () => void, label?: string): Timer {
    if (!(ms >= 0)) throw new Error(`Machine.after: delay must be >= 0, got ${ms}`);
    const t = new MachineTimer(fn, label, this, this.incarnation);
    this.sim.schedule(t, ms);
    return t;
  }

  /**
   * A timer calling `fn(arg)`: one shared function for every object of a kind (a heartbeat
   * timer per node) instead of a closure per object, which would be one more object (and cache
   * line) each firing touches.
   */
  afterWith<A>(ms: number, fn: (arg: A) => void, arg: A): Timer {
    if (!(ms >= 0)) throw new Error(`Machine.afterWith: delay must be >= 0, got ${ms}`);
    const t = new MachineTimer(fn, undefined, this, this.incarnation, arg);
    this.sim.schedule(t, ms);
    return t;
  }

  /** @internal Runs a timer set in incarnation `inc` (see MachineTimer). */
  runTimer(inc: number, fn: (arg: any) => void, arg?: unknown): void {
    if (inc !== this.incarnation) return;
    if (this.state === "paused") this.held.push(() => fn(arg));
    else fn(arg);
  }

  /**
   * Listens on a port of every address of the machine, or of one address only (a container's
   * address, which takes precedence over a listener on all addresses).
   */
  listen(port: number, handler: Listener, address?: string): () => void {
    this.listenGeneration++;
    if (address === undefined) {
      this.listeners.set(port, handler);
      return () => {
        if (this.listeners.get(port) !== handler) return;
        this.listeners.delete(port);
        this.listenGeneration++;
        this.forgetListener(port);
      };
    }
    const bound = this.bound ?? (this.bound = new Map());
    let ports = bound.get(address);
    if (!ports) bound.set(address, (ports = new Map()));
    ports.set(port, handler);
    return () => {
      const p = this.bound?.get(address);
      if (p?.get(port) !== handler) return;
      p.delete(port);
      this.listenGeneration++;
      this.forgetListener(port);
      if (p.size > 0) return;
      this.bound!.delete(address);
      // None left: a delivery then skips the lookup without touching a map.
      if (this.bound!.size === 0) this.bound = null;
    };
  }

  /**
   * A listener on `port` went: the Sources of this machine's `port` drop the listener their
   * route cached. The generation bump already makes it stale; dropping it lets the closed
   * process go (a node's join clients, closed once it joined, stayed alive through the Source
   * of the port they had sent from, kept for the machine's life).
   */
  private forgetListener(port: number): void {
    for (const byPort of this.sources.values()) {
      const source = byPort.get(port);
      if (source !== undefined) this.forgetRoute(source);
    }
  }

  private forgetRoute(source: Source): void {
    const route = source.route;
    if (route.listenHost !== this) return;
    route.listenHost = undefined;
    route.listenGeneration = -1;
    route.listener = undefined;
  }

  isListening(port: number, address?: string): boolean {
    return address === undefined ? this.listeners.has(port) : this.bound?.get(address)?.has(port) === true;
  }

  /**
   * The listener a message to `to` reaches on this machine: one bound to its address, else one
   * on its port of every address; undefined when nothing listens there ("Connection refused").
   */
  listenerFor(to: Endpoint): Listener | undefined {
    const gen = this.listenGeneration;
    const route = (to as Source).route;
    if (route !== undefined && route.listenHost === this && route.listenGeneration === gen)
      return route.listener;
    const port = to.port;
    let h = this.bound !== null ? this.bound.get(to.address)?.get(port) : undefined;
    // An answer to a masqueraded message: back to the private address it left from.
    if (h === undefined && this.nat !== null) {
      const a = this.nat.get(port);
      if (a !== undefined) h = this.bound?.get(a)?.get(port);
    }
    if (h === undefined) {
      if (port !== this.lastPort || this.lastPortGeneration !== gen) {
        this.lastPort = port;
        this.lastPortGeneration = gen;
        this.lastListener = this.listeners.get(port);
      }
      h = this.lastListener;
    }
    if (route !== undefined) {
      route.listenHost = this;
      route.listenGeneration = gen;
      route.listener = h;
    }
    return h;
  }

  send(to: Endpoint, payload: unknown, fromPort = 0, fromAddress?: string): void {
    if (this.state !== "running") return;
    let source = this.source(fromPort, fromAddress);
    if (this.privateAddrs !== null) source = this.masquerade(source, to);
    this.sim.net.send(this, source, to, payload);
  }

  /**
   * A message from a private address to another machine leaves from this machine's own address
   * (MASQUERADE), the port kept; its answer is handed back to the private address.
   */
  private masquerade(source: Source, to: Endpoint): Source {
    const priv = this.privateAddrs!;
    if (!priv.has(source.address) || priv.has(to.address) || this.addressTable.at(to.address) === this)
      return source;
    const nat = (this.nat ??= new Map());
    if (nat.get(source.port) !== source.address) {
      nat.set(source.port, source.address);
      this.listenGeneration++;
    }
    return this.source(source.port, this.primaryGlobal());
  }

  /** The machine's first address that is not private (its own address on the network). */
  private primaryGlobal(): string {
    if (this.privateAddrs === null || !this.privateAddrs.has(this.primary)) return this.primary;
    return this.ifaces.find((i) => !this.privateAddrs!.has(i.address))?.address ?? this.primary;
  }

  /**
   * Sends from the address and port of `from`, an endpoint on this machine: a process that
   * keeps the Source it sends from (sourceFor), or a server answering from the endpoint a
   * request came to, skips looking its Source up per message.
   */
  sendFrom(from: Endpoint, to: Endpoint, payload: unknown): void {
    if (this.state !== "running") return;
    const f = from as Source;
    let source =
      f.host === this && f.generation === this.addressTable.generation && f instanceof Source
        ? f
        : this.source(from.port, from.address);
    if (this.privateAddrs !== null) source = this.masquerade(source, to);
    this.sim.net.send(this, source, to, payload);
  }

  /** The Source of the messages this machine sends from `port` of `address` (its first). */
  sourceFor(port: number, address: string = this.primary): Source {
    return this.source(port, address);
  }

  /** The `from` of a message: a Source shared by every message from that address and port. */
  private source(port: number, address: string = this.primary): Source {
    const generation = this.addressTable.generation;
    let f = this.lastSource;
    if (f !== undefined && f.port === port && f.address === address && f.generation === generation) return f;
    let byPort = this.sources.get(address);
    if (byPort === undefined) this.sources.set(address, (byPort = new Map()));
    f = byPort.get(port);
    // A record made before addresses last changed hands is replaced: it would send replies
    // through the address lookup from then on.
    if (f === undefined || f.generation !== generation) {
      // Bound to this machine only if the address is really its own (not a borrowed one).
      const host = this.addressTable.at(address) === this || this.isPrivate(address) ? this : undefined;
      f = new Source(this.name, address, port, host, generation);
      byPort.set(port, f);
    }
    this.lastSource = f;
    return f;
  }

  /** Called by the network when a message arrives. */
  deliver(msg: Message): void {
    if (this.state === "paused") {
      this.held.push(() => this.dispatch(msg));
      return;
    }
    if (this.state === "running") this.dispatch(msg);
  }

  private dispatch(msg: Message): void {
    const h = this.listenerFor(msg.to);
    if (h === undefined) return;
    if (typeof h === "function") h(msg);
    else h.receive(msg);
  }

  start(): void {
    if (this.state === "running" || this.state === "paused") return;
    this.state = "running";
    this.sim.trace.record("machine.start", { machine: this.name });
    for (const hook of this.bootHooks) hook(this);
  }

  /** Power loss: processes die, unsynced writes are lost. */
  crash(): void {
    if (!this.isUp()) return;
    this.halt("crash");
    this.disk.crash();
  }

  /** A clean shutdown: processes die, the disk is synced first. */
  stop(): void {
    if (!this.isUp()) return;
    this.disk.fsync();
    this.halt("stop");
  }

  /** Stops cleanly if up, then boots. */
  restart(): void {
    this.stop();
    this.start();
  }

  pause(): void {
    if (this.state !== "running") return;
    this.state = "paused";
    this.sim.trace.record("machine.pause", { machine: this.name });
  }

  resume(): void {
    if (this.state !== "paused") return;
    this.state = "running";
    this.sim.trace.record("machine.resume", { machine: this.name });
    const held = this.held;
    this.held = [];
    for (const fn of held) {
      if (this.state !== "running") break;
      fn();
    }
  }

  /** @internal The machine is removed from the simulation: it holds no address any more. */
  dropInterfaces(): void {
    this.ifaces.length = 0;
    this.primary = "";
  }

  private halt(how: "crash" | "stop"): void {
    this.state = how === "crash" ? "crashed" : "stopped";
    this.incarnation++;
    this.nat = null;
    this.listeners.clear();
    this.bound = null;
    this.listenGeneration++;
    this.lastListener = undefined;
    // Every process is gone: none stays alive through a route its ports' Sources cached.
    for (const byPort of this.sources.values())
      for (const source of byPort.values()) this.forgetRoute(source);
    this.held = [];
    this.cpu.reset();
    this.sim.trace.record(`machine.${how}`, { machine: this.name });
    for (const hook of this.haltHooks) hook(this, how);
  }
}

/** The slack a comparison of a local deadline with localNow() allows (see Machine.localNow). */
export const LOCAL_CLOCK_EPSILON_MS = 1e-6;
