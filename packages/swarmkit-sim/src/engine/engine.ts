// The Docker engine on one machine: containers (create, start, stop with SIGTERM then SIGKILL
// after the stop timeout, kill, pause, remove), their logs and per-container resource meters
// and `docker stats`. Networking (networks, endpoints and their kernel addresses, the embedded
// DNS, published ports) is networking.ts's; the engine connects a container as it starts.
// Programs come from the image registry; the engine knows no application. Everything runs on
// the kernel's clock: a stop that waits 10 s is a timer.
import type { Machine, World } from "../kernel/machine";
import type { Random } from "../kernel/random";
import {
  Container,
  type ContainerConfig,
  type ContainerNetworkAttachment,
  type RestartPolicy,
} from "./container";
import { ContainerContext, programErrorText } from "./context";
import type { DnsResolver, Resolver } from "./dns";
import { EngineError, noSuchContainer, noSuchNetwork } from "./errors";
import { newId, shortId } from "./ids";
import { type ImageRegistry, normalizeImageName } from "./images";
import type { LogLine, LogStream } from "./logs";
import { HostCpu, ResourceMeter } from "./meter";
import { randomContainerName } from "./names";
import type { NetHost } from "./net/host";
import { type VirtualRouter, addVirtualRouter } from "./net/virtual";
import type { EngineNetwork } from "./network";
import { type BridgeOptions, EngineNetworking } from "./networking";
import { type PortBinding, parsePortSpec } from "./ports";
import { type Signal, exitCodeForSignal, signalNumber } from "./signals";

export interface EngineOptions extends BridgeOptions {
  images: ImageRegistry;
  /** Stop timeout when neither the container nor the call sets one (10 s on Linux). */
  defaultStopTimeoutSec?: number;
  /** Engine version, as `docker version` and `docker node ls` show it. */
  version?: string;
  /** Background CPU of the OS and the daemons (fraction of one CPU). */
  hostIdleCpu?: number;
  /** Memory the OS and the daemons use (bytes), for `top`. */
  hostMemoryBytes?: number;
}

export interface CreateOptions {
  image: string;
  name?: string;
  /** Overrides the image's CMD. */
  command?: readonly string[];
  /** Overrides the image's ENTRYPOINT. */
  entrypoint?: readonly string[];
  env?: Readonly<Record<string, string>> | readonly string[];
  hostname?: string;
  labels?: Readonly<Record<string, string>>;
  /** "bridge" (default), "host", "none", or a user-defined network's name. */
  network?: string;
  /** Further networks (or, with aliases and addresses, the first one in detail). */
  networks?: readonly ContainerNetworkAttachment[];
  publish?: readonly (string | PortBinding)[];
  stopSignal?: Signal;
  stopTimeoutSec?: number;
  init?: boolean;
  /** --rm */
  autoRemove?: boolean;
  /** --restart (default "no"). */
  restartPolicy?: RestartPolicy;
}

export type EngineEventType =
  | "create"
  | "start"
  | "kill"
  | "die"
  | "stop"
  | "pause"
  | "unpause"
  | "destroy"
  | "network-create"
  | "network-destroy";

export interface EngineEvent {
  type: EngineEventType;
  /** Simulated ms. */
  time: number;
  container?: Container;
  network?: EngineNetwork;
  exitCode?: number;
  signal?: Signal;
}

export interface StatsEntry {
  id: string;
  name: string;
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  memoryPercent: number;
  netRxBytes: number;
  netTxBytes: number;
  blockReadBytes: number;
  blockWriteBytes: number;
  pids: number;
}

export const DEFAULT_ENGINE_VERSION = "27.5.1";

const engines = new WeakMap<Machine, Engine>();

export class Engine {
  readonly sim: World;
  readonly images: ImageRegistry;

  readonly defaultStopTimeoutSec: number;
  readonly version: string;
  readonly hostMemoryBytes: number;
  readonly hostCpu: HostCpu;
  readonly dns: DnsResolver;
  /** Networks, endpoints, DNS and published ports (networking.ts). */
  private readonly networking: EngineNetworking;
  private readonly containersById = new Map<string, Container>();
  private readonly containersByName = new Map<string, Container>();
  /** Images this engine holds: each one a container was created from (pulled on first use). */
  private readonly held = new Set<string>();
  private readonly contexts = new Map<Container, ContainerContext>();
  /** Event listeners, with the order they registered in (shared with exitWaiters). */
  private readonly listeners = new Map<(e: EngineEvent) => void, number>();
  /**
   * onceExited's callbacks, by container: a "die" runs only its container's (a listener per
   * waiter made every event cost as many calls as containers were running: 10^5 tasks on a
   * node made each start and stop a pass over 10^5 listeners).
   */
  private readonly exitWaiters = new Map<Container, { seq: number; fn: (c: Container) => void }[]>();
  private listenerSeq = 0;
  private readonly ids: Random;
  /** Host PIDs handed to container processes (each start takes two: the shim and the program). */
  private nextPid = 2104;

  /** The engine of `machine`, creating it on first call. */
  static attach(machine: Machine, opts: EngineOptions): Engine {
    const existing = engines.get(machine);
    if (existing) return existing;
    const e = new Engine(machine, opts);
    engines.set(machine, e);
    return e;
  }

  static of(machine: Machine): Engine | undefined {
    return engines.get(machine);
  }

  private constructor(
    readonly machine: Machine,
    opts: EngineOptions,
  ) {
    this.sim = machine.sim;
    this.images = opts.images;

    this.defaultStopTimeoutSec = opts.defaultStopTimeoutSec ?? 10;
    this.version = opts.version ?? DEFAULT_ENGINE_VERSION;
    this.hostMemoryBytes = opts.hostMemoryBytes ?? 420 * 1024 * 1024;
    this.hostCpu = new HostCpu(
      () => this.sim.now(),
      () => this.cpus,
    );
    this.hostCpu.idleCpu = opts.hostIdleCpu ?? 0.004;
    this.ids = this.sim.random.fork(`engine/${machine.name}`);
    this.networking = new EngineNetworking(
      machine,
      this.ids,
      {
        containers: () => this.containersById.values(),
        networkEvent: (type, network) => this.emit({ type, network }),
      },
      { sharedBridges: opts.sharedBridges, reservedSubnets: opts.reservedSubnets },
    );
    this.dns = this.networking.dns;
    machine.onHalt((_m, how) => this.onMachineHalt(how));
    machine.onBoot(() => this.restore());
  }

  /** The machine's cores (CPU % in `docker stats` and `top`), as `docker info` shows them. */
  get cpus(): number {
    return this.machine.cores;
  }

  /** The machine's memory (the LIMIT in `docker stats`, `top`'s total). */
  get memoryBytes(): number {
    return this.machine.memoryBytes;
  }

  /** The machine's wall clock (ms since the Unix epoch), as the daemon timestamps logs. */
  wallNow(): number {
    return this.sim.epochMs + this.machine.localNow();
  }

  on(listener: (e: EngineEvent) => void): () => void {
    this.listeners.set(listener, ++this.listenerSeq);
    return () => this.listeners.delete(listener);
  }

  private emit(e: Omit<EngineEvent, "time">): void {
    const waiters = e.type === "die" && e.container ? this.exitWaiters.get(e.container) : undefined;
    if (this.listeners.size === 0 && waiters === undefined) return;
    const ev = { ...e, time: this.sim.now() } as EngineEvent;
    if (waiters === undefined) {
      for (const l of [...this.listeners.keys()]) l(ev);
      return;
    }
    this.exitWaiters.delete(e.container!);
    // The container's exit waiters and the listeners, in the order they registered.
    const calls: { seq: number; run: () => void }[] = [...this.listeners].map(([l, seq]) => ({
      seq,
      run: () => l(ev),
    }));
    for (const w of waiters) calls.push({ seq: w.seq, run: () => w.fn(e.container!) });
    calls.sort((a, b) => a.seq - b.seq);
    for (const c of calls) c.run();
  }

  private record(type: string, c: Container, extra: Record<string, unknown> = {}): void {
    this.sim.trace.record(type, { machine: this.machine.name, container: c.name, ...extra });
  }

  // ---------------------------------------------------------------- containers

  containers(opts: { all?: boolean } = {}): Container[] {
    const list = [...this.containersById.values()].filter((c) => opts.all || c.isRunning);
    // docker ps lists the newest first.
    return list.reverse();
  }

  /** Finds a container by name, full ID or unique ID prefix; undefined if none. */
  find(ref: string): Container | undefined {
    const name = ref.startsWith("/") ? ref.slice(1) : ref;
    const byName = this.containersByName.get(name);
    if (byName) return byName;
    const byId = this.containersById.get(ref);
    if (byId) return byId;
    if (ref.length === 0) return undefined;
    let found: Container | undefined;
    for (const c of this.containersById.values()) {
      if (c.id.startsWith(ref)) {
        if (found) throw new EngineError(`multiple IDs found with provided prefix: ${ref}`, 400);
        found = c;
      }
    }
    return found;
  }

  /** Like find, but throws Docker's "No such container". */
  container(ref: string): Container {
    const c = this.find(ref);
    if (!c) throw noSuchContainer(ref);
    return c;
  }

  /** The images the engine holds (`docker info`'s Images); they stay when containers go. */
  localImages(): string[] {
    return [...this.held].sort();
  }

  create(opts: CreateOptions): Container {
    const spec = this.images.get(opts.image);
    if (!spec) throw new EngineError(`No such image: ${normalizeImageName(opts.image)}`, 404);
    this.held.add(normalizeImageName(opts.image));
    let name = opts.name;
    if (name !== undefined) {
      if (!/^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) {
        throw new EngineError(
          `Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
          400,
        );
      }
      name = name.replace(/^\//, "");
      const other = this.containersByName.get(name);
      if (other) {
        throw new EngineError(
          `Conflict. The container name "/${name}" is already in use by container "${other.id}". You have to remove (or rename) that container to be able to reuse that name.`,
          409,
        );
      }
    } else {
      name = randomContainerName(this.ids, (n) => this.containersByName.has(n));
    }
    const mode = opts.network ?? "bridge";
    const networkMode: ContainerConfig["networkMode"] =
      mode === "host" || mode === "none" || mode === "bridge" ? mode : "user";
    const attachments: ContainerNetworkAttachment[] = [];
    if (networkMode === "bridge" || networkMode === "user") {
      const first = opts.networks?.find((n) => n.network === mode);
      attachments.push(first ?? { network: mode });
      for (const n of opts.networks ?? []) if (n !== first) attachments.push(n);
      for (const a of attachments) if (!this.findNetwork(a.network)) throw noSuchNetwork(a.network);
    }
    const publish =
      networkMode === "host" || networkMode === "none"
        ? []
        : (opts.publish ?? []).map((p) => (typeof p === "string" ? parsePortSpec(p) : p));
    const id = newId(this.ids);
    const env: Record<string, string> = { ...(spec.env ?? {}) };
    if (Array.isArray(opts.env)) {
      for (const kv of opts.env as readonly string[]) {
        const i = kv.indexOf("=");
        if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
      }
    } else Object.assign(env, opts.env ?? {});
    const entrypoint = opts.entrypoint ?? spec.entrypoint ?? [];
    // An entrypoint given on the command line resets the image's CMD, as Docker does.
    const command = opts.command ?? (opts.entrypoint ? [] : spec.command);
    const config: ContainerConfig = {
      name,
      image: normalizeImageName(opts.image),
      spec,
      args: [...entrypoint, ...command],
      env,
      hostname: opts.hostname ?? (networkMode === "host" ? this.machine.name : shortId(id)),
      labels: { ...(opts.labels ?? {}) },
      networkMode,
      networks: attachments,
      publish,
      stopSignal: opts.stopSignal ?? spec.stopSignal ?? "SIGTERM",
      stopTimeoutSec: opts.stopTimeoutSec,
      init: opts.init ?? false,
      autoRemove: opts.autoRemove ?? false,
      restartPolicy: opts.restartPolicy ?? { name: "no", maximumRetryCount: 0 },
    };
    const random = this.sim.random.fork(`${this.machine.name}/${name}`);
    const meter = new ResourceMeter(() => this.sim.now(), this.hostCpu);
    const c = new Container(id, config, this.sim.now(), random, meter);
    this.containersById.set(id, c);
    this.containersByName.set(name, c);
    this.record("container.create", c, { image: config.image });
    this.emit({ type: "create", container: c });
    return c;
  }

  /** docker run: create, then start; a container that cannot start is removed under --rm. */
  run(opts: CreateOptions): Container {
    const c = this.create(opts);
    try {
      this.start(c.id);
    } catch (e) {
      if (c.config.autoRemove) this.forget(c);
      throw e;
    }
    return c;
  }

  /** docker start: the user's start, which also re-arms the restart policy. */
  start(ref: string): Container {
    const c = this.container(ref);
    // A restarting container counts as running for dockerd: its start is a no-op.
    if (c.state === "running" || c.state === "restarting") return c;
    if (c.state === "paused") {
      throw new EngineError("cannot start a paused container, try unpause instead", 409);
    }
    if (this.machine.state !== "running") throw new EngineError("the daemon is not running", 503);
    const missing = missingExecutable(c);
    if (missing) {
      // runc cannot exec the command: the container stays created, with 127 as its exit code.
      c.exitCode = 127;
      throw new EngineError(
        `failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: ${missing}: unknown`,
        400,
      );
    }
    c.restartManager.reset();
    c.manuallyStopped = false;
    return this.launch(c);
  }

  /** Starts the container's process (the user's start, or its restart policy's). */
  private launch(c: Container): Container {
    this.networking.connect(c);
    try {
      this.networking.publish(c);
    } catch (e) {
      this.networking.disconnect(c);
      throw e;
    }
    c.run++;
    c.state = "running";
    c.exitCode = 0;
    c.startedAt = this.sim.now();
    c.finishedAt = -1;
    c.stoppedByUser = false;
    c.hostPid = this.nextPid + 1;
    this.nextPid += 2 + this.ids.int(40);
    c.meter.reset();
    const fp = c.config.spec.footprint;
    c.meter.memoryBytes = fp?.memoryBytes ?? 4 * 1024 * 1024;
    c.meter.pids = fp?.pids ?? 1;
    c.meter.idleCpu = fp?.idleCpu ?? 0;
    const ctx = new ContainerContext(
      {
        machine: this.machine,
        wallNow: () => this.wallNow(),
        resolveAll: (n, o) => this.dns.lookup(n, o),
        resolveOne: (n, o) => this.dns.resolve(n, o),
        exit: (cc, code) => this.exitContainer(cc, code),
      },
      c,
    );
    this.contexts.set(c, ctx);
    const program = c.config.spec.create({ command: c.config.args, env: c.config.env });
    c.program = program;
    this.record("container.start", c);
    this.emit({ type: "start", container: c });
    try {
      program.start(ctx);
    } catch (e) {
      ctx.log(programErrorText(e), "stderr");
      this.exitContainer(c, 1);
    }
    return c;
  }

  /**
   * docker stop: the stop signal now, SIGKILL after the timeout (`timeoutSec`, else the
   * container's, else the engine's 10 s; negative waits forever). `done` runs when the
   * container has exited (at once if it was not running).
   */
  stop(ref: string, opts: { timeoutSec?: number } = {}, done?: (c: Container) => void): Container {
    const c = this.container(ref);
    if (c.state === "restarting") {
      // Stopping a container between two runs only calls its restart off.
      c.stoppedByUser = true;
      c.manuallyStopped = true;
      this.callOffRestart(c);
    }
    if (!c.isRunning) {
      done?.(c);
      return c;
    }
    c.stoppedByUser = true;
    c.manuallyStopped = true;
    c.restartManager.cancel();
    if (done) this.onceExited(c, done);
    const timeout = opts.timeoutSec ?? c.config.stopTimeoutSec ?? this.defaultStopTimeoutSec;
    if (c.state === "running") this.deliver(c, c.config.stopSignal);
    if (!c.isRunning) return c;
    if (timeout === 0) {
      this.kill(c.id, "SIGKILL");
    } else if (timeout > 0 && !c.killTimer) {
      const run = c.run;
      c.killTimer = this.machine.after(timeout * 1000, () => {
        c.killTimer = undefined;
        if (c.run === run && c.isRunning) this.kill(c.id, "SIGKILL");
      });
    }
    return c;
  }

  /** docker kill [--signal]. */
  kill(ref: string, signal: Signal = "SIGKILL"): Container {
    const c = this.container(ref);
    const final = signal === "SIGKILL" || signal === c.config.stopSignal;
    if (c.state === "restarting") {
      // No process to signal: a kill or the stop signal calls the restart off.
      c.manuallyStopped = true;
      if (final) this.callOffRestart(c);
      return c;
    }
    if (!c.isRunning)
      throw new EngineError(`cannot kill container: ${ref}: container ${c.id} is not running`, 409);
    if (c.state === "paused" && signal !== "SIGKILL") {
      throw new EngineError(
        `cannot kill container: ${ref}: Container ${c.id} is paused. Unpause the container before stopping or killing`,
        409,
      );
    }
    c.manuallyStopped = true;
    if (final) c.restartManager.cancel();
    this.emit({ type: "kill", container: c, signal });
    this.deliver(c, signal);
    return c;
  }

  private deliver(c: Container, sig: Signal): void {
    if (sig === "SIGKILL") {
      this.exitContainer(c, exitCodeForSignal("SIGKILL"));
      return;
    }
    const program = c.program;
    if (program?.handledSignals?.includes(sig)) {
      const ctx = this.contexts.get(c);
      try {
        program.onSignal?.(sig);
      } catch (e) {
        ctx?.log(programErrorText(e), "stderr");
        this.exitContainer(c, 1);
      }
      return;
    }
    // No handler: PID 1 ignores it; under --init the program dies of it (tini exits 128+n).
    if (c.config.init && signalNumber(sig) > 0) this.exitContainer(c, exitCodeForSignal(sig));
  }

  pause(ref: string): Container {
    const c = this.container(ref);
    if (c.state === "paused") throw new EngineError(`Container ${c.id} is already paused`, 409);
    if (c.state === "restarting")
      throw new EngineError(`Container ${c.id} is restarting, wait until the container is running`, 409);
    if (c.state !== "running") throw new EngineError(`Container ${c.id} is not running`, 409);
    c.state = "paused";
    this.record("container.pause", c);
    this.emit({ type: "pause", container: c });
    return c;
  }

  unpause(ref: string): Container {
    const c = this.container(ref);
    if (c.state !== "paused") throw new EngineError(`Container ${c.id} is not paused`, 409);
    c.state = "running";
    this.record("container.unpause", c);
    this.emit({ type: "unpause", container: c });
    this.contexts.get(c)?.release();
    return c;
  }

  /** docker restart: stop (with its timeout), then start. */
  restart(ref: string, opts: { timeoutSec?: number } = {}, done?: (c: Container) => void): Container {
    const c = this.container(ref);
    this.stop(c.id, opts, () => {
      if (!c.removed) this.start(c.id);
      done?.(c);
    });
    return c;
  }

  /** docker rm [-f]. */
  remove(ref: string, opts: { force?: boolean } = {}): void {
    const c = this.container(ref);
    if (c.state === "restarting") {
      if (!opts.force) {
        throw new EngineError(
          `cannot remove container "/${c.name}": container is restarting: stop the container before removing or force remove`,
          409,
        );
      }
      this.callOffRestart(c);
    }
    if (c.isRunning) {
      if (!opts.force) {
        throw new EngineError(
          `cannot remove container "/${c.name}": container is running: stop the container before removing or force remove`,
          409,
        );
      }
      this.exitContainer(c, exitCodeForSignal("SIGKILL"));
    }
    if (!c.removed) this.forget(c);
  }

  private forget(c: Container): void {
    if (c.removed) return;
    c.removed = true;
    this.containersById.delete(c.id);
    if (this.containersByName.get(c.name) === c) this.containersByName.delete(c.name);
    this.contexts.delete(c);
    this.record("container.destroy", c);
    this.emit({ type: "destroy", container: c });
  }

  /** Calls `fn` once `c` has exited (now, if it is not running). */
  onceExited(c: Container, fn: (c: Container) => void): void {
    if (!c.isRunning) {
      fn(c);
      return;
    }
    let list = this.exitWaiters.get(c);
    if (!list) this.exitWaiters.set(c, (list = []));
    list.push({ seq: ++this.listenerSeq, fn });
  }

  /** The main process has exited with `code`: tear the container's run down. */
  private exitContainer(c: Container, code: number): void {
    if (!c.isRunning) return;
    c.run++;
    c.state = "exited";
    c.exitCode = code;
    c.finishedAt = this.sim.now();
    c.hostPid = 0;
    if (c.killTimer) {
      c.killTimer.cancel();
      c.killTimer = undefined;
    }
    const ctx = this.contexts.get(c);
    ctx?.closeAll();
    const program = c.program;
    c.program = undefined;
    try {
      program?.onExit?.(code);
    } catch {
      // The process is gone; nothing it throws on the way out matters.
    }
    this.networking.unpublish(c);
    this.networking.disconnect(c);
    this.record("container.die", c, { exitCode: code });
    this.emit({ type: "die", container: c, exitCode: code });
    if (c.stoppedByUser) this.emit({ type: "stop", container: c });
    if (c.config.autoRemove) {
      this.forget(c);
      return;
    }
    const delayMs = c.restartManager.afterExit(code, c.manuallyStopped, c.finishedAt - c.startedAt);
    if (delayMs !== undefined) this.restartLater(c, delayMs);
  }

  /** The restart policy starts the container again after `delayMs`; meanwhile it is "restarting". */
  private restartLater(c: Container, delayMs: number): void {
    c.state = "restarting";
    this.record("container.restarting", c, { delayMs });
    c.restartTimer = this.machine.after(delayMs, () => {
      c.restartTimer = undefined;
      if (c.state !== "restarting") return;
      c.state = "exited";
      try {
        this.launch(c);
      } catch {
        // dockerd logs why the restart failed; the container stays exited.
      }
    });
  }

  /** A pending restart called off: the container stays exited. */
  private callOffRestart(c: Container): void {
    c.restartManager.cancel();
    c.restartTimer?.cancel();
    c.restartTimer = undefined;
    if (c.state === "restarting") c.state = "exited";
  }

  private onMachineHalt(how: "crash" | "stop"): void {
    for (const c of [...this.containersById.values()]) {
      // dockerd going away restarts nothing: its exits are final until it boots again.
      this.callOffRestart(c);
      if (!c.isRunning) continue;
      // Power loss leaves the daemon's record "running"; on the next boot it marks the
      // container exited (255). A clean shutdown stops containers: handlers exit 0, the
      // others are killed.
      const handles = c.program?.handledSignals?.includes(c.config.stopSignal) ?? false;
      this.exitContainer(c, how === "crash" ? 255 : handles ? 0 : exitCodeForSignal("SIGKILL"));
    }
    this.networking.halted();
  }

  /**
   * dockerd starting again keeps its containers (stopped ones stay listed) and starts those
   * whose restart policy says so (daemon.restore, restartmanager.ShouldRestart): always;
   * unless-stopped unless the user stopped it; on-failure after a non-zero exit, within its
   * retry count.
   */
  private restore(): void {
    for (const c of [...this.containersById.values()]) {
      if (c.isRunning || c.removed) continue;
      if (!c.restartManager.restartsWhenDaemonStarts(c.exitCode, c.manuallyStopped)) continue;
      try {
        this.start(c.id);
      } catch {
        // dockerd logs the failure in its own log and goes on with the others.
      }
    }
  }

  logs(
    ref: string,
    opts: { tail?: number | "all"; sinceMs?: number; untilMs?: number; streams?: readonly LogStream[] } = {},
  ): LogLine[] {
    return this.container(ref).log.lines(opts);
  }

  // ---------------------------------------------------------------- networks (networking.ts)

  createNetwork(
    name: string,
    opts: {
      driver?: "bridge" | "overlay";
      subnet?: string;
      labels?: Record<string, string>;
      scope?: "local" | "swarm";
    } = {},
  ): EngineNetwork {
    return this.networking.createNetwork(name, opts);
  }

  findNetwork(ref: string): EngineNetwork | undefined {
    return this.networking.findNetwork(ref);
  }

  network(ref: string): EngineNetwork {
    return this.networking.network(ref);
  }

  networks(): EngineNetwork[] {
    return this.networking.networks();
  }

  removeNetwork(ref: string): void {
    this.networking.removeNetwork(ref);
  }

  /** Whether a running container of this engine is attached to the network. */
  networkHasEndpoints(ref: string): boolean {
    const n = this.networking.findNetwork(ref);
    return n !== undefined && this.networking.hasEndpoints(n);
  }

  /** Adds a resolver consulted before the embedded DNS (the swarm's service names, later). */
  addResolver(resolver: Resolver): () => void {
    return this.dns.add(resolver);
  }

  /**
   * Adds a router for virtual addresses (the swarm's service VIPs): connections that
   * processes of this machine open to an address no machine owns are translated by it.
   */
  addVirtualRouter(router: VirtualRouter): () => void {
    return addVirtualRouter(this.machine, router);
  }

  /** Resolves `name` as a process on the machine itself would (no container networks). */
  resolveFromHost(name: string): string | undefined {
    return this.networking.resolveFromHost(name);
  }

  /** Resolves `name` as container `ref` would. */
  resolveFrom(ref: string, name: string): string[] {
    const c = this.container(ref);
    const ctx = this.contexts.get(c);
    return ctx ? ctx.lookup(name) : [];
  }

  /** The network position of a process on the host network of this machine. */
  hostNet(): NetHost {
    return this.networking.hostNet();
  }

  /** The host ports a container publishes now (with ephemeral ones resolved). */
  publishedPorts(c: Container): PortBinding[] {
    return this.networking.publishedPorts(c);
  }

  /**
   * The ports the API's container list shows (`docker ps`, compose's ps): what the container
   * publishes, plus its image's exposed ports that it does not. None once it has stopped (the
   * daemon released its network, and the port list with it), and no exposed ones on the host
   * network, where a container has no port map of its own.
   */
  listedPorts(c: Container): PortBinding[] {
    if (!c.isRunning) return [];
    const published = this.publishedPorts(c);
    if (c.config.networkMode === "host") return published;
    const exposed = (c.config.spec.exposedPorts ?? [])
      .filter((p) => !published.some((b) => b.containerPort === p))
      .map((p): PortBinding => ({ hostIp: "", hostPort: 0, containerPort: p, protocol: "tcp" }));
    return [...published, ...exposed];
  }

  // ---------------------------------------------------------------- resources

  /** `docker stats --no-stream` figures for the running containers (newest first). */
  stats(): StatsEntry[] {
    return this.containers().map((c) => {
      const m = c.meter;
      return {
        id: c.id,
        name: c.name,
        cpuPercent: m.cpuPercent(),
        memoryBytes: m.memoryBytes,
        memoryLimitBytes: this.memoryBytes,
        memoryPercent: (m.memoryBytes / this.memoryBytes) * 100,
        netRxBytes: c.config.networkMode === "host" ? 0 : m.rxBytes,
        netTxBytes: c.config.networkMode === "host" ? 0 : m.txBytes,
        blockReadBytes: m.blockRead,
        blockWriteBytes: m.blockWrite,
        pids: m.pids,
      };
    });
  }

  /** Background CPU of every running container (fraction of one CPU). */
  containersIdleCpu(): number {
    let s = 0;
    for (const c of this.containers()) s += c.meter.idleCpu;
    return s;
  }
}

/** runc's complaint when the container's program is not in its image, or undefined. */
function missingExecutable(c: Container): string | undefined {
  const prog = c.config.args[0];
  if (prog === undefined) return undefined;
  const name = prog.slice(prog.lastIndexOf("/") + 1);
  const known = c.config.spec.executables;
  if (known === undefined || known.has(name)) return undefined;
  return prog.includes("/")
    ? `exec: "${prog}": stat ${prog}: no such file or directory`
    : `exec: "${prog}": executable file not found in $PATH`;
}
