// The agent's task executor on the node's Docker engine (SwarmKit agent/exec + dockerd's
// daemon/cluster/executor/container). Each assigned task gets a controller that walks it
// through ACCEPTED -> PREPARING (create the container: a missing image REJECTS the task) ->
// READY -> STARTING (once desired state allows) -> RUNNING, and reports every step. A
// container that exits makes the task COMPLETE (exit 0) or FAILED ("task: non-zero exit (N)").
// When the desired state reaches SHUTDOWN, the container gets its stop signal and, after the
// stop grace period, SIGKILL; the task then reports SHUTDOWN. A finished task's container
// stays (exited) while the task is assigned; a task that leaves the assignment set (the task
// reaper deleted it) is stopped and its container removed. A task's overlay networks exist on the
// node's engine while its tasks need them: created when a task is prepared, removed (as dockerd's
// executor does after a shutdown or a removal) once no other container on the engine needs them.
import type { TaskStatusReport } from "../../api/dispatcher";
import { type Network, type PortConfig, type Task, TaskState } from "../../api/types";
import type { Container } from "../../engine/container";
import type { Engine } from "../../engine/engine";
import type { EngineNetwork } from "../../engine/network";
import type { PortBinding } from "../../engine/ports";
import { releaseSubnet } from "../../engine/subnets";
import type { TaskExecutor } from "../executor";
import { taskContainerName, taskLabels } from "./container-name";

/** Time the agent takes between task steps (SwarmKit's controller loop is not instant). */
export const STEP_MS = 10;
/** A pull of an image the registry does not have fails after this long. */
export const PULL_FAILURE_MS = 2000;

export interface SwarmNetworkView {
  /** The swarm's network objects, to create their per-node counterparts. */
  network(id: string): Network | undefined;
}

class Controller {
  /** The state last reported (tasks arrive ASSIGNED). */
  state: TaskState;
  container: Container | undefined;
  stopping = false;
  busy = false;
  pullFailed = false;
  done = false;
  /** The engine networks this task's container was given for swarm overlays (not ingress). */
  overlays: string[] = [];
  /** The last report sent (sent again when the agent opens a new session). */
  lastReport: TaskStatusReport | undefined;
  /** The task's host-mode ports (a task's spec does not change), bound on its node. */
  readonly hostPorts: PortBinding[];

  constructor(public task: Task) {
    this.state = task.status.state;
    this.hostPorts = hostModeBindings(task);
  }
}

export class EngineExecutor implements TaskExecutor {
  private readonly controllers = new Map<string, Controller>();
  private report: (r: TaskStatusReport) => void = () => {};
  private closed = false;

  constructor(
    private readonly engine: Engine,
    private readonly networks: SwarmNetworkView,
  ) {}

  onStatus(report: (r: TaskStatusReport) => void): void {
    this.report = report;
  }

  close(): void {
    this.closed = true;
    this.report = () => {};
  }

  reportAll(): void {
    if (this.closed) return;
    for (const c of this.controllers.values()) {
      // A task picked up again after a restart (adopt) may be further on than the store knows.
      if (c.lastReport?.state !== c.state && c.state > c.task.status.state)
        c.lastReport = {
          taskId: c.task.id,
          state: c.state,
          message: adoptedMessage(c.state),
          containerId: c.container?.id,
        };
      if (c.lastReport) this.report(c.lastReport);
    }
  }

  /** Containers of the tasks this executor runs (for tests and the lab). */
  containerOf(taskId: string): Container | undefined {
    return this.controllers.get(taskId)?.container;
  }

  assign(tasks: readonly Task[]): void {
    if (this.closed) return;
    const seen = new Set<string>();
    for (const t of tasks) {
      seen.add(t.id);
      let c = this.controllers.get(t.id);
      if (!c) {
        this.controllers.set(t.id, (c = new Controller(t)));
        if (t.status.state > TaskState.RUNNING) {
          // Finished before this executor knew it (the agent restarted): nothing to run; its
          // container, if the engine kept it, goes when the task does.
          c.done = true;
          c.container = this.engine.find(taskContainerName(t));
          continue;
        }
        this.adopt(c);
      }
      c.task = t;
      this.advance(c);
    }
    for (const [id, c] of this.controllers) {
      if (seen.has(id)) continue;
      this.controllers.delete(id);
      this.teardown(c, true);
    }
  }

  /**
   * A task the node already knew (the agent restarted): pick its container up again. One that
   * died meanwhile (a machine crash exits everything with 255) fails the task; one that was
   * never created is prepared afresh.
   */
  private adopt(c: Controller): void {
    if (c.state <= TaskState.ACCEPTED) return;
    const container = this.engine.find(taskContainerName(c.task));
    if (!container) {
      c.state = TaskState.ACCEPTED;
      return;
    }
    c.container = container;
    if (container.isRunning) {
      c.state = TaskState.RUNNING;
      this.engine.onceExited(container, () => this.exited(c, container));
    } else if (c.state >= TaskState.STARTING) {
      this.exited(c, container);
    } else c.state = TaskState.READY;
  }

  private send(
    c: Controller,
    state: TaskState,
    message: string,
    extra: Partial<TaskStatusReport> = {},
  ): void {
    if (state <= c.state) return;
    c.state = state;
    if (state > TaskState.RUNNING) c.done = true;
    const report: TaskStatusReport = {
      taskId: c.task.id,
      state,
      message,
      containerId: c.container?.id,
      ...extra,
    };
    if (c.hostPorts.length > 0) report.ports = this.portStatus(c);
    c.lastReport = report;
    this.report(c.lastReport);
  }

  /** One step forward, then schedule the next (SwarmKit controller's Do loop). */
  private advance(c: Controller): void {
    if (c.done || c.busy || this.closed) return;
    const t = c.task;
    if (t.desiredState >= TaskState.SHUTDOWN) {
      this.shutdown(c);
      return;
    }
    const next = this.nextStep(c);
    if (!next) return;
    c.busy = true;
    this.engine.machine.after(STEP_MS, () => {
      c.busy = false;
      if (c.done || this.closed || !this.controllers.has(t.id)) return;
      if (c.task.desiredState >= TaskState.SHUTDOWN) {
        this.shutdown(c);
        return;
      }
      next();
      this.advance(c);
    });
  }

  private nextStep(c: Controller): (() => void) | undefined {
    const desired = c.task.desiredState;
    switch (c.state) {
      case TaskState.ASSIGNED:
        return () => this.send(c, TaskState.ACCEPTED, "accepted");
      case TaskState.ACCEPTED:
        return () => this.send(c, TaskState.PREPARING, "preparing");
      case TaskState.PREPARING:
        if (!this.engine.images.has(c.task.spec.container.image) && !c.pullFailed) {
          // Pulling an image that does not exist takes a registry round trip before it fails.
          c.pullFailed = true;
          c.busy = true;
          this.engine.machine.after(PULL_FAILURE_MS, () => {
            c.busy = false;
            this.advance(c);
          });
          return undefined;
        }
        return () => this.prepare(c);
      case TaskState.READY:
        // A replacement waits here while its start is delayed (desired READY).
        return desired >= TaskState.RUNNING ? () => this.send(c, TaskState.STARTING, "starting") : undefined;
      case TaskState.STARTING:
        return () => this.start(c);
      default:
        return undefined;
    }
  }

  private ensureNetworks(t: Task): { network: string; ipv4Address: string; aliases: string[] }[] {
    const out: { network: string; ipv4Address: string; aliases: string[] }[] = [];
    for (const a of t.networks) {
      const n = this.networks.network(a.networkId);
      if (!n || a.addresses.length === 0) continue; // unknown network: nothing to attach to
      let local: EngineNetwork | undefined = this.engine.findNetwork(n.spec.name);
      if (!local) {
        local = this.engine.createNetwork(n.spec.name, {
          driver: "overlay",
          subnet: n.spec.ipam.subnet,
          labels: n.spec.labels,
          scope: "swarm",
        });
        // An overlay's subnet is the swarm's, shared by every node: the engine's machine-wide
        // pool (meant for local bridges) must not keep other nodes from creating it too.
        if (local.subnet) releaseSubnet(this.engine.machine, local.subnet);
      }
      const aliases = [t.serviceName, ...(t.spec.networks.find((x) => x.target === n.id)?.aliases ?? [])];
      out.push({
        network: local.name,
        ipv4Address: a.addresses[0].split("/")[0],
        aliases: n.spec.ingress ? [] : aliases,
      });
    }
    return out;
  }

  /**
   * SwarmKit's PortStatus for a task with host-mode ports: what its container publishes now
   * (none once it has stopped and released them).
   */
  private portStatus(c: Controller): PortConfig[] {
    const container = c.container;
    if (!container?.isRunning) return [];
    return this.engine.publishedPorts(container).map((b) => ({
      protocol: b.protocol,
      targetPort: b.containerPort,
      publishedPort: b.hostPort,
      publishMode: "host",
    }));
  }

  private prepare(c: Controller): void {
    const t = c.task;
    try {
      const nets = this.ensureNetworks(t);
      c.overlays = t.networks
        .map((a) => this.networks.network(a.networkId))
        .filter((n) => n !== undefined && !n.spec.ingress)
        .map((n) => n!.spec.name);
      const spec = t.spec.container;
      c.container = this.engine.create({
        image: spec.image,
        name: taskContainerName(t),
        command: spec.args,
        env: spec.env,
        hostname: spec.hostname,
        labels: taskLabels(t),
        network: nets[0]?.network ?? "bridge",
        networks: nets.map((n) => ({ network: n.network, aliases: n.aliases, ipv4Address: n.ipv4Address })),
        publish: c.hostPorts,
        stopTimeoutSec: spec.stopGracePeriodMs / 1000,
      });
    } catch (e) {
      this.send(c, TaskState.REJECTED, "preparing", { err: (e as Error).message });
      return;
    }
    this.send(c, TaskState.READY, "prepared");
  }

  private start(c: Controller): void {
    const container = c.container!;
    try {
      this.engine.start(container.id);
    } catch (e) {
      // moby's container controller wraps the daemon's refusal (controller.go Start).
      this.send(c, TaskState.FAILED, "starting", {
        err: `starting container failed: ${(e as Error).message}`,
      });
      return;
    }
    if (!container.isRunning) {
      this.exited(c, container);
      return;
    }
    this.send(c, TaskState.RUNNING, "started");
    this.engine.onceExited(container, () => this.exited(c, container));
  }

  private exited(c: Controller, container: Container): void {
    if (c.done || c.stopping) return;
    const code = container.exitCode;
    if (code === 0) this.send(c, TaskState.COMPLETE, "finished", { exitCode: 0 });
    else this.send(c, TaskState.FAILED, "started", { err: `task: non-zero exit (${code})`, exitCode: code });
  }

  private shutdown(c: Controller): void {
    if (c.done || c.stopping) return;
    c.stopping = true;
    const container = c.container;
    if (!container?.isRunning) {
      this.send(c, TaskState.SHUTDOWN, "shutdown");
      return;
    }
    const grace = c.task.spec.container.stopGracePeriodMs / 1000;
    this.engine.stop(container.id, { timeoutSec: grace }, () => {
      this.releaseNetworks(c);
      if (!this.closed) this.send(c, TaskState.SHUTDOWN, "shutdown", { exitCode: container.exitCode });
    });
  }

  /** A task that is no longer assigned: stop its container and remove it. */
  private teardown(c: Controller, remove: boolean): void {
    c.done = true;
    const container = c.container;
    if (!container || !remove) return;
    const rm = () => {
      try {
        this.engine.remove(container.id, { force: true });
      } catch {
        // already gone
      }
      this.releaseNetworks(c);
    };
    if (container.isRunning)
      this.engine.stop(container.id, { timeoutSec: c.task.spec.container.stopGracePeriodMs / 1000 }, rm);
    else rm();
  }

  /**
   * dockerd's executor tries to remove a task's networks after its shutdown and its removal;
   * libnetwork refuses while another container still has an endpoint there. Here a network
   * goes once no container on the engine that has not exited is attached to it (one created
   * for a task about to start counts), so a worker lists an overlay only while a task uses it.
   */
  private releaseNetworks(c: Controller): void {
    if (this.closed) return;
    for (const name of c.overlays) {
      const local = this.engine.findNetwork(name);
      if (local?.scope !== "swarm") continue;
      const needed = this.engine
        .containers({ all: true })
        .some((other) => other.state !== "exited" && other.config.networks.some((a) => a.network === name));
      if (!needed) this.engine.removeNetwork(local.id);
    }
    c.overlays = [];
  }
}

/** The message of a state a restarted agent found its task in (the step that leads there). */
function adoptedMessage(state: TaskState): string {
  if (state === TaskState.RUNNING) return "started";
  if (state === TaskState.READY) return "prepared";
  return "accepted";
}

/**
 * moby's containerConfig.portBindings: a task's host-mode ports, bound on every address of its
 * node (a published port of 0 takes a free one). Ingress ports go through the routing mesh.
 */
function hostModeBindings(t: Task): PortBinding[] {
  return (t.endpoint?.ports ?? [])
    .filter((p) => p.publishMode === "host")
    .map((p) => ({
      hostIp: "0.0.0.0",
      hostPort: p.publishedPort ?? 0,
      containerPort: p.targetPort,
      protocol: p.protocol,
    }));
}
