// The ProgramContext a container's program gets. Its timers belong to the container's
// current run (they die when it exits and wait while it is paused); its servers and clients
// are closed when it exits; its log lines carry the machine's clock.
import type { Timer } from "../kernel/event-queue";
import type { Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import type { Container } from "./container";
import type { ResolveOrigin } from "./dns";
import { HttpClient, isIPv4Literal } from "./http/client";
import type { LogRender, LogStream } from "./logs";
import { type Concurrency, ExchangeClient, ExchangeServer, type Incoming } from "./net/exchange";
import type { Gate, NetHost } from "./net/host";
import type { ProgramContext } from "./program";

/** What the context needs from the engine. */
export interface ContextServices {
  readonly machine: Machine;
  wallNow(): number;
  resolveAll(name: string, origin: ResolveOrigin): string[];
  resolveOne(name: string, origin: ResolveOrigin): string | undefined;
  exit(c: Container, code: number): void;
}

export class ContainerContext implements ProgramContext, Gate {
  readonly net: NetHost;
  readonly exchange: ExchangeClient;
  readonly http: HttpClient;
  readonly origin: ResolveOrigin;
  private readonly closables: { close(): void }[] = [];
  private held: (() => void)[] = [];
  private readonly run: number;
  private readonly machine: Machine;

  constructor(
    private readonly services: ContextServices,
    private readonly c: Container,
  ) {
    this.run = c.run;
    this.machine = services.machine;
    const host = c.config.networkMode === "host";
    this.net = {
      machine: this.machine,
      sourceAddress: host ? this.machine.address : c.address,
      bindAddresses: host ? undefined : c.endpoints.map((e) => e.address),
      meter: c.meter,
      gate: this,
    };
    this.origin = { containerId: c.id, networks: c.endpoints.map((e) => e.network) };
    this.exchange = this.newClient();
    this.http = new HttpClient(this.exchange, (name) => this.resolve(name));
  }

  get containerId(): string {
    return this.c.id;
  }
  get containerName(): string {
    return this.c.name;
  }
  get hostname(): string {
    return this.c.config.hostname;
  }
  get image(): string {
    return this.c.image;
  }
  get args(): readonly string[] {
    return this.c.config.args;
  }
  get env(): Readonly<Record<string, string>> {
    return this.c.config.env;
  }
  get random(): Random {
    return this.c.random;
  }
  get address(): string {
    return this.net.sourceAddress;
  }

  // Gate
  get runnable(): boolean {
    return this.c.run === this.run && this.c.state === "running";
  }
  get alive(): boolean {
    return this.c.run === this.run && (this.c.state === "running" || this.c.state === "paused");
  }
  hold(fn: () => void): void {
    this.held.push(fn);
  }

  /** Runs what waited while the container was paused. */
  release(): void {
    const held = this.held;
    this.held = [];
    for (const fn of held) {
      if (!this.runnable) break;
      this.guarded(fn);
    }
  }

  now(): number {
    return this.machine.sim.now();
  }

  wallNow(): number {
    return this.services.wallNow();
  }

  after(ms: number, fn: () => void): Timer {
    const c = this.c;
    const run = this.run;
    return this.machine.after(ms, () => {
      if (c.run !== run) return;
      if (c.state === "paused") this.held.push(fn);
      else this.guarded(fn);
    });
  }

  /**
   * Runs program code: an exception is the program crashing, as an uncaught error ends a
   * process (its message on stderr, exit status 1, so a swarm task fails), not an error out of
   * the simulation's event loop.
   */
  guarded(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log(programErrorText(e), "stderr");
      this.exit(1);
    }
  }

  log(line: string, stream: LogStream = "stdout"): void {
    if (this.alive) this.c.log.write(this.services.wallNow(), stream, line);
  }

  logLazy<A>(render: LogRender<A>, arg: A, stream: LogStream = "stdout"): void {
    if (this.alive) this.c.log.writeLazy(this.services.wallNow(), stream, render, arg);
  }

  lookup(name: string): string[] {
    if (isIPv4Literal(name)) return [name];
    if (name === "localhost") return [this.address];
    return this.services.resolveAll(name, this.origin);
  }

  resolve(name: string): string | undefined {
    if (isIPv4Literal(name)) return name;
    if (name === "localhost") return this.address;
    return this.services.resolveOne(name, this.origin);
  }

  serve(port: number, concurrency: Concurrency, handler: (inc: Incoming) => void): ExchangeServer {
    const s = new ExchangeServer(this.net, port, concurrency, (inc) => this.guarded(() => handler(inc)));
    this.closables.push(s);
    return s;
  }

  newClient(): ExchangeClient {
    const client = new ExchangeClient(this.net);
    this.closables.push(client);
    return client;
  }

  chargeCpu(seconds: number): void {
    this.c.meter.chargeCpu(seconds);
  }

  setMemory(bytes: number): void {
    this.c.meter.memoryBytes = bytes;
  }

  setPids(n: number): void {
    this.c.meter.pids = n;
  }

  exit(code: number): void {
    if (this.alive) this.services.exit(this.c, code);
  }

  /** Called by the engine when the container stops: servers reset their clients, clients go. */
  closeAll(): void {
    this.held = [];
    for (const x of this.closables) x.close();
    this.closables.length = 0;
  }
}

/** How a program's crash reads in its log: the error's first line (no stack trace). */
export function programErrorText(e: unknown): string {
  return e instanceof Error ? `Error: ${e.message}` : `Error: ${String(e)}`;
}
