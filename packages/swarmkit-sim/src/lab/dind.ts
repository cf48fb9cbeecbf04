// A docker:dind container on node1, which in the lab is a whole simulated machine: its own
// Docker engine and swarm node, and one address on node1's bridge. The container's life is
// the machine's: start boots it, stop is dockerd's clean shutdown on SIGTERM (it exits 0), kill
// is a crash (SIGKILL, exit 137), pause freezes it. Without --privileged dockerd cannot start
// and the container exits with status 1, as the real image does.
import { forMs, type Job, until } from "../cli/job";
import type { DindContainerView } from "../docker/container/context";
import type { DaemonContainerState } from "../docker/container/containers";
import type { RestartPolicy } from "../engine/container";
import { policyRestarts } from "../engine/restart-manager";
import type { Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import type { Sim } from "../kernel/sim";
import { BRIDGE_NAME } from "./bridge";
import { dindShutdownLog, dindSignalLog, dindStartupLog, dindUnprivilegedLog } from "./dind-log";

/**
 * The lab's machines' size: node1 is a 2-core, 4 GiB VM, and the docker:dind nodes run on its
 * kernel, so their `docker info`, `top` and `docker stats` show the same figures.
 */
export const LAB_MACHINE_SIZE = { cores: 2, memoryBytes: 4 * 1024 ** 3 } as const;

export const DIND_IMAGE = "docker:dind";
export const DIND_COMMAND = "dockerd-entrypoint.sh";
export const DIND_PORTS = "2375-2376/tcp";
/** How long dockerd takes to shut down cleanly after SIGTERM. */
export const DOCKERD_SHUTDOWN_MS = 1200;
/** How long an unprivileged dind lives before dockerd gives up. */
const UNPRIVILEGED_LIFETIME_MS = 300;

/** Node1's IP address management, by network name. */
export interface Ipam {
  allocate(network: string): string;
  release(network: string, address: string): void;
}

interface Attachment {
  iface: string;
  /** Leased while the container runs. */
  address?: string;
}

function ifaceRank(name: string): number {
  const m = /^eth(\d+)$/.exec(name);
  return m ? Number(m[1]) : 1000;
}

export interface DindOptions {
  ipam: Ipam;
  sim: Sim;
  id: string;
  name: string;
  image: string;
  privileged: boolean;
  autoRemove: boolean;
  restartPolicy: RestartPolicy;
  engineVersion: string;
  rng: Random;
  /** Called once, when the container's machine is created (before it first boots). */
  onMachine: (machine: Machine, container: DindContainer) => void;
  /** Called when an --rm container exits. */
  onAutoRemove: (container: DindContainer) => void;
}

export class DindContainer implements DindContainerView {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly command = DIND_COMMAND;
  readonly createdAt: number;
  readonly privileged: boolean;
  readonly autoRemove: boolean;
  /** The machine that is this node; none for an unprivileged dind (dockerd never runs). */
  machine: Machine | undefined;
  /** Networks of node1 the container is attached to, with its interface and address there. */
  private readonly attachments = new Map<string, Attachment>([[BRIDGE_NAME, { iface: "eth0" }]]);
  /** Lines of `docker logs`. */
  readonly logs: string[] = [];
  private started = 0;
  private finished = 0;
  private code = 0;
  private everStarted = false;
  private unprivilegedExited = false;
  /** Set by stop/kill so the halt hook records the right exit code. */
  private pendingExit: number | undefined;
  /** `docker stop` (not dockerd's own shutdown): unless-stopped then stays down. */
  private stoppedByUser = false;
  private readonly sim: Sim;

  constructor(private readonly opts: DindOptions) {
    this.sim = opts.sim;
    this.id = opts.id;
    this.name = opts.name;
    this.image = opts.image;
    this.privileged = opts.privileged;
    this.autoRemove = opts.autoRemove;
    this.createdAt = opts.sim.now();
  }

  ports(): string {
    return this.state() === "running" || this.state() === "paused" ? DIND_PORTS : "";
  }

  state(): DaemonContainerState {
    if (!this.everStarted) return "created";
    if (!this.machine) return this.unprivilegedExited ? "exited" : "running";
    switch (this.machine.state) {
      case "running":
        return "running";
      case "paused":
        return "paused";
      default:
        return "exited";
    }
  }

  exitCode(): number {
    return this.code;
  }

  startedAt(): number {
    return this.started;
  }

  finishedAt(): number {
    return this.finished;
  }

  /** Starts (or restarts) the container; returns the log lines it printed while starting. */
  start(): string[] {
    const st = this.state();
    if (st === "running" || st === "paused") return [];
    this.everStarted = true;
    this.stoppedByUser = false;
    this.started = this.sim.now();
    if (!this.privileged) {
      this.unprivilegedExited = false;
      const lines = dindUnprivilegedLog(this.sim.wallNow(), this.opts.rng);
      this.logs.push(...lines);
      // dockerd gives up at once; the container is gone a moment later.
      this.sim.after(UNPRIVILEGED_LIFETIME_MS, () => this.exitUnprivileged(), `dind:${this.name}:exit`);
      return lines;
    }
    if (!this.machine) {
      const m = this.sim.addMachine(this.name, { ...LAB_MACHINE_SIZE, interfaces: [], start: false });
      this.machine = m;
      // The address hooks come first, so that whatever boots after them (the engine, the
      // swarm node) finds the machine's address in place.
      m.onBoot(() => this.onBoot());
      m.onHalt((_m, how) => this.onHalt(how));
      this.opts.onMachine(m, this);
    }
    const lines = dindStartupLog(this.sim.wallNow(), this.opts.rng, this.opts.engineVersion);
    this.logs.push(...lines);
    this.machine.start();
    return lines;
  }

  private exitUnprivileged(): void {
    if (this.unprivilegedExited) return;
    this.unprivilegedExited = true;
    this.code = 1;
    this.finished = this.sim.now();
    if (this.autoRemove) this.opts.onAutoRemove(this);
  }

  /**
   * `docker stop`: SIGTERM, and SIGKILL if the container has not exited after `timeoutMs`.
   * dockerd handles SIGTERM and shuts down cleanly, unless the container is paused (a frozen
   * process cannot act on the signal, so the kill comes after the timeout). The job ends when
   * the container has exited, as the CLI waits.
   */
  *stop(timeoutMs: number): Job<void> {
    const m = this.machine;
    if (!m) {
      if (this.state() === "running") this.exitUnprivileged();
      return;
    }
    if (!m.isUp()) return;
    this.stoppedByUser = true;
    const stopped = () => !m.isUp();
    if (m.state === "running" && timeoutMs >= DOCKERD_SHUTDOWN_MS) {
      this.shutDown(m, "SIGTERM");
      yield* until(stopped, DOCKERD_SHUTDOWN_MS);
      if (stopped()) return;
    } else if (timeoutMs > 0) {
      yield* forMs(timeoutMs);
      if (stopped()) return;
    }
    this.kill();
  }

  /** `docker kill -s TERM` (or INT, Ctrl-C): dockerd shuts down cleanly, without the CLI waiting for it. */
  terminate(signal: "SIGTERM" | "SIGINT" = "SIGTERM"): void {
    const m = this.machine;
    if (!m) {
      this.exitUnprivileged();
      return;
    }
    this.shutDown(m, signal);
  }

  /**
   * dockerd's clean shutdown on a signal: it says so (once the process runs: not while
   * paused), stops what it runs, logs its last lines and exits 0. The machine's own timers: they
   * die with this incarnation and wait while it is paused.
   */
  private shutDown(m: Machine, signal: "SIGTERM" | "SIGINT"): void {
    m.after(0, () => this.logs.push(...dindSignalLog(this.sim.wallNow(), this.opts.rng, signal)));
    m.after(DOCKERD_SHUTDOWN_MS, () => {
      this.logs.push(...dindShutdownLog(this.sim.wallNow(), this.opts.rng));
      this.pendingExit = 0;
      m.stop();
    });
  }

  /**
   * Whether node1's dockerd, starting again, starts this container (restartmanager): always;
   * unless-stopped unless `docker stop` stopped it; on-failure after a non-zero exit.
   */
  restartsWithDaemon(): boolean {
    if (this.state() !== "exited") return false;
    return policyRestarts(this.opts.restartPolicy, this.code, this.stoppedByUser, 0);
  }

  /** `docker kill` (SIGKILL): the machine crashes; exit status 137. */
  kill(): void {
    const m = this.machine;
    if (!m) {
      this.exitUnprivileged();
      this.code = 137;
      return;
    }
    // SIGKILL reaches even a frozen process.
    this.pendingExit = 137;
    m.crash();
  }

  pause(): void {
    this.machine?.pause();
  }

  unpause(): void {
    this.machine?.resume();
  }

  /** Leaves a network: the node loses that address; with no network left, every link. */
  disconnect(network: string): void {
    const att = this.attachments.get(network);
    if (!att) return;
    this.releaseAttachment(network, att);
    this.attachments.delete(network);
    if (this.machine && this.attachments.size === 0) this.sim.net.isolate(this.machine.name);
  }

  /** Joins a network (node1's bridge again, or a user-defined one: one more interface). */
  connect(network: string): void {
    if (this.attachments.has(network)) return;
    const used = new Set([...this.attachments.values()].map((a) => a.iface));
    let n = 0;
    while (used.has(`eth${n}`)) n++;
    const wasIsolated = this.attachments.size === 0;
    this.attachments.set(network, { iface: `eth${n}` });
    const m = this.machine;
    if (!m) return;
    if (wasIsolated) this.sim.net.reconnect(m.name);
    if (m.isUp()) this.assignAddresses();
  }

  /** Networks the container is attached to, in attach order. */
  networks(): string[] {
    return [...this.attachments.keys()];
  }

  /** The address on a network while the container runs. */
  addressOn(network: string): string | undefined {
    return this.attachments.get(network)?.address;
  }

  /** True while the node is on no network (so a global heal must not reconnect it). */
  isDisconnected(): boolean {
    return this.attachments.size === 0;
  }

  /** Leases an address on every attached network that has none, on the machine's interfaces. */
  private assignAddresses(): void {
    const m = this.machine!;
    for (const [network, att] of this.attachments) {
      if (att.address) continue;
      att.address = this.opts.ipam.allocate(network);
      this.sim.assignAddress(m.name, att.address, att.iface);
    }
    // eth0 first: the first interface's address is where the node's messages come from.
    m.sortInterfaces((a, b) => ifaceRank(a.name) - ifaceRank(b.name));
  }

  private releaseAttachment(network: string, att: Attachment): void {
    if (!att.address) return;
    this.sim.releaseAddress(att.address);
    this.opts.ipam.release(network, att.address);
    att.address = undefined;
  }

  private onBoot(): void {
    this.started = this.sim.now();
    this.assignAddresses();
  }

  private onHalt(how: "crash" | "stop"): void {
    this.code = this.pendingExit ?? (how === "crash" ? 137 : 0);
    this.pendingExit = undefined;
    this.finished = this.sim.now();
    // Docker releases a stopped container's addresses; it may get others on start.
    for (const [network, att] of this.attachments) this.releaseAttachment(network, att);
    if (this.autoRemove) this.opts.onAutoRemove(this);
  }
}
