// DockerCoins on a swarm, for experiments: a stack deployed with the real `docker stack
// deploy` handler on a swarm formed by the control plane, rng global (one task per node
// behind its VIP) or replicated, workers scaled with `docker service scale`, and the same
// measurements as under compose (the web page polls port 8000 on node1 through the routing
// mesh; the workers report the latencies their clients see).
import {
  type Container,
  dockerStatsNoStream,
  type Engine,
  type ParsedCommand,
  parseCommandVector,
  runJob,
  type Sim,
  serviceCommandHandlers,
  TaskState,
  topFrame,
} from "@swarm-sim/swarmkit-sim";
import { DEFAULT_TIMING } from "../config";
import { DockerCoinsRun, PUBLISHED_PORTS } from "../experiment-base";
import type { DockerCoinsImageOptions } from "../images";
import type { RedisProgram } from "../services/redis";
import { WebuiPage } from "../services/webui-page";
import { HTTPING_IMAGE } from "../tools/httping";
import { type AttachedRun, runAttached } from "../tools/run";
import { type DockerCoinsCluster, type SwarmClusterOptions, buildDockerCoinsCluster } from "./cluster";
import { type RngMode, dockercoinsStackYaml } from "./stack-file";

export const STACK_NAME = "dockercoins";
/** How long a deploy or a scale may take to converge (tasks running) before it is an error. */
const CONVERGE_LIMIT_MS = 120_000;
/** After the workers' restart delay, time for their first loop to get going. */
const STARTUP_SLACK_MS = 1000;

export interface SwarmStartOptions extends Omit<SwarmClusterOptions, "images"> {
  mode: "swarm";
  seed?: number | string;
  /** Run inside an existing simulation (the nodes are added to it). */
  sim?: Sim;
  workers?: number;
  /** Default "global". */
  rngMode?: RngMode;
  timing?: DockerCoinsImageOptions["timing"];
  costs?: DockerCoinsImageOptions["costs"];
  randomSource?: DockerCoinsImageOptions["randomSource"];
  /** Open the web page on node1 (it polls /json every second). Default true. */
  page?: boolean;
}

type Io = { out(t: string): void; err(t: string): void; stdin?: string };
type SwarmHandler = (typeof serviceCommandHandlers)[number][1];

export class SwarmDockerCoinsExperiment extends DockerCoinsRun {
  readonly cluster: DockerCoinsCluster;
  private readonly handlers = new Map<string, SwarmHandler>();

  constructor(sim: Sim, opts: SwarmStartOptions) {
    super(sim);
    this.cluster = buildDockerCoinsCluster(sim, {
      nodes: opts.nodes,
      managers: opts.managers,
      cpus: opts.cpus,
      memoryBytes: opts.memoryBytes,
      images: {
        timing: opts.timing,
        costs: opts.costs,
        randomSource: opts.randomSource,
        metrics: this.metrics,
      },
    });
    for (const [path, h] of serviceCommandHandlers) this.handlers.set(path.join(" "), h);
    const yaml = dockercoinsStackYaml({ workers: opts.workers ?? 1, rngMode: opts.rngMode ?? "global" });
    this.docker(["stack", "deploy", "-c", "-", STACK_NAME], yaml);
    this.converge();
    const node1 = this.cluster.machines[0];
    this.page = opts.page === false ? undefined : new WebuiPage(node1, this.engine()).open();
    // The stack's services start in no particular order: a worker that starts before redis
    // (or rng, hasher) has a running task gets "Connection refused" from the VIP and, as
    // worker.py does, waits 10 s before it starts over. The experiment starts after that.
    if (this.metrics.workerErrors > 0)
      sim.runFor({ ...DEFAULT_TIMING, ...opts.timing }.workerRestartDelayMs + STARTUP_SLACK_MS);
    this.lastChangeAt = sim.now();
  }

  /** Runs `docker ARGS...` on the manager; throws with its error output when it fails. */
  docker(args: readonly string[], stdin = ""): string[] {
    const parsed = parseCommandVector(["docker", ...args]);
    if (parsed.kind !== "command") throw new Error(parsed.stderr || parsed.stdout);
    const cmd: ParsedCommand = parsed.command;
    const handler = this.handlers.get(cmd.path.join(" "));
    if (!handler) throw new Error(`no handler for docker ${cmd.path.join(" ")}`);
    let out = "";
    let err = "";
    const io: Io = { out: (t) => (out += t), err: (t) => (err += t), stdin };
    const node = this.cluster.manager();
    // This experiment is the host: it drives the handler's job on the simulation's clock.
    const code = runJob(this.sim, handler(cmd, io, { sim: this.sim, machine: node.machine, swarm: node }));
    const lines = out.split("\n").filter((l) => l !== "");
    this.output.push(...lines);
    if (code !== 0) throw new Error(err.trim() || `docker ${args.join(" ")} failed (${code})`);
    return lines;
  }

  /** Runs the simulation until every service of the stack runs as many tasks as it wants. */
  private converge(): void {
    const done = () => {
      const store = this.cluster.manager().manager?.store;
      if (!store) return false;
      const nodes = store.nodes().filter((n) => n.status.state === "ready").length;
      const services = store.services().filter((s) => s.spec.name.startsWith(`${STACK_NAME}_`));
      if (services.length === 0) return false;
      return services.every((s) => {
        // DockerCoins' stack has replicated and global services only.
        const want = s.spec.mode.kind === "replicated" ? s.spec.mode.replicas : nodes;
        const running = store
          .tasksByService(s.id)
          .filter((t) => t.status.state === TaskState.RUNNING && t.desiredState <= TaskState.RUNNING).length;
        return running === want;
      });
    };
    if (!this.sim.runUntil(done, CONVERGE_LIMIT_MS)) throw new Error("the stack did not converge in time");
  }

  /** docker service scale dockercoins_worker=n */
  scaleWorkers(n: number): string[] {
    return this.scale("worker", n);
  }

  /** docker service scale dockercoins_rng=n (rng replicated only: a global service has no scale). */
  scaleRng(n: number): string[] {
    return this.scale("rng", n);
  }

  private scale(service: string, n: number): string[] {
    const out = this.docker(["service", "scale", "--detach", `${STACK_NAME}_${service}=${n}`]);
    this.converge();
    this.lastChangeAt = this.sim.now();
    return out;
  }

  /** A node's engine (node1 by default). */
  engine(node = "node1"): Engine {
    const e = this.cluster.engines.get(node);
    if (!e) throw new Error(`no such node: ${node}`);
    return e;
  }

  /** The running task containers of a service of the stack, on every node. */
  containers(service: string): Container[] {
    const name = `${STACK_NAME}_${service}`;
    const out: Container[] = [];
    for (const e of this.cluster.engines.values())
      for (const c of e.containers())
        if (c.config.labels["com.docker.swarm.service.name"] === name) out.push(c);
    return out;
  }

  protected redis(): RedisProgram {
    const p = this.containers("redis")[0]?.program as RedisProgram | undefined;
    if (!p) throw new Error("redis is not running");
    return p;
  }

  /** httping from node1's host network to the published port (the routing mesh picks a task). */
  httping(service: "rng" | "hasher" | "webui", count = 5, extraArgs: readonly string[] = []): AttachedRun {
    return runAttached(this.engine(), {
      image: HTTPING_IMAGE,
      network: "host",
      autoRemove: true,
      command: [...extraArgs, "-c", String(count), `localhost:${PUBLISHED_PORTS[service]}`],
    });
  }

  stats(node = "node1"): string {
    return dockerStatsNoStream(this.engine(node));
  }

  top(node = "node1"): string {
    return topFrame(this.engine(node));
  }
}
