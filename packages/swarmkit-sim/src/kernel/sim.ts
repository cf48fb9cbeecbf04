// The simulation: one clock, one event queue, seeded random streams, the network, the
// machines and the trace. Nothing here reads the wall clock.
import { AddressTable, type Endpoint } from "./addresses";
import { EventQueue, type QueuedEvent, Timer } from "./event-queue";
import { type Interface, Machine, type MachineOptions, type World } from "./machine";
import { Network, Source } from "./network";
import { Random } from "./random";
import { Trace } from "./trace";

export interface SimOptions {
  seed: number | string;
  /** Wall-clock origin of simulated time (ms since the Unix epoch), for certificates and `date`. */
  epochMs?: number;
  /**
   * What an exception thrown by an event (a machine's timer, a message's listener) does:
   * "throw" (the default: it ends the run, as tests want a bug to) or "contain" (it is kept in
   * `containedErrors` and the trace, and the simulation goes on with the next event: a host
   * facing a user, the lab, never lets one out).
   */
  eventErrors?: "throw" | "contain";
}

/** An exception an event threw under `eventErrors: "contain"`. */
export interface ContainedError {
  /** Simulated ms. */
  at: number;
  message: string;
}

/** Contained errors kept (the oldest go first). */
const MAX_CONTAINED = 100;

/** 2026-01-01T00:00:00Z: simulated time 0 reads as this instant. */
export const DEFAULT_EPOCH_MS = Date.UTC(2026, 0, 1);

export class Sim implements World {
  readonly seed: string;
  readonly epochMs: number;
  readonly random: Random;
  readonly trace: Trace;
  readonly net: Network;
  private readonly queue = new EventQueue();
  private clock = 0;
  private readonly machines = new Map<string, Machine>();
  /** Which machine holds each address (machines and the network read it too). */
  readonly addresses = new AddressTable<Machine>();
  private nextAutoAddress = 2;
  /** Events run so far. */
  eventsRun = 0;
  /** Exceptions events threw, with `eventErrors: "contain"` (empty in a healthy run). */
  readonly containedErrors: ContainedError[] = [];
  private readonly contain: boolean;

  constructor(opts: SimOptions) {
    this.contain = opts.eventErrors === "contain";
    this.seed = String(opts.seed);
    this.epochMs = opts.epochMs ?? DEFAULT_EPOCH_MS;
    this.random = new Random(this.seed);
    this.trace = new Trace(() => this.clock);
    this.net = new Network(this, this.random.fork("kernel/net"));
  }

  now(): number {
    return this.clock;
  }

  /**
   * Bumped whenever an address changes hands (a machine or an address added or removed), so
   * caches of address -> machine know when to look again.
   */
  get addressGeneration(): number {
    return this.addresses.generation;
  }

  /** Simulated wall-clock time (ms since the Unix epoch). */
  wallNow(): number {
    return this.epochMs + this.clock;
  }

  after(ms: number, fn: () => void, label?: string): Timer {
    if (!(ms >= 0)) throw new Error(`Sim.after: delay must be >= 0, got ${ms}`);
    const t = new Timer(fn, undefined, label);
    this.queue.insert(t, this.clock + ms);
    return t;
  }

  /** Like `after`, calling `fn(arg)`: a hot path can pass a record instead of making a closure. */
  afterWith<A>(ms: number, fn: (arg: A) => void, arg: A): Timer {
    const t = new Timer(fn, arg);
    this.queue.insert(t, this.clock + ms);
    return t;
  }

  at(time: number, fn: () => void, label?: string): Timer {
    if (time < this.clock) throw new Error(`Sim.at: time ${time} is in the past (now ${this.clock})`);
    const t = new Timer(fn, undefined, label);
    this.queue.insert(t, time);
    return t;
  }

  /**
   * @internal Queues a kernel event (a machine's timer, a message in flight) `ms` from now: the
   * event object runs itself, so no closure or wrapper is made for it.
   */
  schedule(e: QueuedEvent, ms: number): void {
    this.queue.insert(e, this.clock + ms);
  }

  pending(): number {
    return this.queue.live;
  }

  /** Runs the next event. False when nothing is queued. */
  step(): boolean {
    const e = this.queue.pop();
    if (!e) return false;
    this.clock = e.at;
    this.eventsRun++;
    if (this.contain) this.runContained(e);
    else e.run();
    return true;
  }

  /** Runs every event up to now+ms, then leaves the clock at now+ms. */
  runFor(ms: number): void {
    if (!(ms >= 0)) throw new Error(`Sim.runFor: duration must be >= 0, got ${ms}`);
    const end = this.clock + ms;
    const queue = this.queue;
    for (let e = queue.popUntil(end); e; e = queue.popUntil(end)) {
      this.clock = e.at;
      this.eventsRun++;
      if (this.contain) this.runContained(e);
      else e.run();
    }
    this.clock = end;
  }

  /**
   * Runs an event, keeping what it throws (the guard sits here, at the one place every event
   * passes, rather than at each component's boundary: no component can forget it, and a
   * component's own state machine asserts still stop a test run, whose Sim throws).
   */
  private runContained(e: QueuedEvent): void {
    try {
      e.run();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (this.containedErrors.length >= MAX_CONTAINED) this.containedErrors.shift();
      this.containedErrors.push({ at: this.clock, message });
      this.trace.record("kernel.contained", { message });
    }
  }

  /**
   * Runs events until `pred` holds (checked before the first event and after each one) or
   * `limitMs` of simulated time has passed. Returns whether `pred` came true.
   */
  runUntil(pred: () => boolean, limitMs: number): boolean {
    if (!(limitMs >= 0)) throw new Error(`Sim.runUntil: limit must be >= 0, got ${limitMs}`);
    const end = this.clock + limitMs;
    if (pred()) return true;
    const queue = this.queue;
    for (let e = queue.popUntil(end); e; e = queue.popUntil(end)) {
      this.clock = e.at;
      this.eventsRun++;
      if (this.contain) this.runContained(e);
      else e.run();
      if (pred()) return true;
    }
    this.clock = end;
    return pred();
  }

  addMachine(name: string, opts: MachineOptions = {}): Machine {
    if (this.machines.has(name)) throw new Error(`machine ${name} already exists`);
    const interfaces: Interface[] =
      opts.interfaces ??
      (opts.addresses ?? [this.autoAddress()]).map((address, i) => ({ name: `eth${i}`, address }));
    for (const i of interfaces) {
      if (this.addresses.has(i.address)) throw new Error(`address ${i.address} is already in use`);
    }
    const m = new Machine(this, name, interfaces, { cores: opts.cores, memoryBytes: opts.memoryBytes });
    this.machines.set(name, m);
    for (const i of interfaces) this.addresses.add(i.address, m);
    this.trace.record("machine.add", { machine: name, addresses: m.addresses });
    if (opts.start !== false) m.start();
    return m;
  }

  /**
   * Gives a machine one more address (for example a container's address on a network), on a
   * new interface. Messages to it reach the machine; listeners may bind to it alone.
   */
  assignAddress(machine: string, address: string, iface = `veth${address}`): void {
    const m = this.machine(machine);
    this.addresses.add(address, m);
    m.addInterface({ name: iface, address });
  }

  releaseAddress(address: string): void {
    this.addresses.remove(address)?.removeInterface(address);
  }

  /** Removes a machine entirely (its addresses become free). */
  removeMachine(name: string): void {
    const m = this.machines.get(name);
    if (!m) return;
    m.crash();
    this.machines.delete(name);
    for (const a of m.addresses) this.addresses.remove(a);
    m.dropInterfaces();
    this.trace.record("machine.remove", { machine: name });
  }

  machine(name: string): Machine {
    const m = this.machines.get(name);
    if (!m) throw new Error(`no such machine: ${name}`);
    return m;
  }

  hasMachine(name: string): boolean {
    return this.machines.has(name);
  }

  machineAt(address: string): Machine | undefined {
    return this.addresses.at(address);
  }

  /**
   * An endpoint to send to: a Source record of the machine holding `address` now (messages to
   * it skip the address lookup while no address changes hands, and remember their link and
   * listener), or a plain endpoint when no machine holds the address.
   */
  endpointAt(address: string, port: number): Endpoint {
    const m = this.addresses.at(address);
    return m === undefined
      ? { address, port }
      : new Source(m.name, address, port, m, this.addresses.generation);
  }

  /** The machine a message to `to` would reach now (undefined: nobody holds its address). */
  machineFor(to: Endpoint): Machine | undefined {
    const s = to as Source;
    // Every host the network knows is one of this Sim's machines.
    if (s.host !== undefined && s.generation === this.addresses.generation) return s.host as Machine;
    return this.addresses.at(to.address);
  }

  machineNames(): string[] {
    return [...this.machines.keys()];
  }

  private autoAddress(): string {
    for (;;) {
      const n = this.nextAutoAddress++;
      const addr = `10.0.${n >> 8}.${n & 255}`;
      if ((n & 255) !== 0 && (n & 255) !== 255 && !this.addresses.has(addr)) return addr;
    }
  }
}
