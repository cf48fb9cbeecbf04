// An API for experiments: start DockerCoins under compose on a simulated machine, change the
// scale, run for a simulated duration, and read what the lecture reads — the hashing speed
// as the web page computes it, coins found, and the latency of rng and hasher as the
// workers' HTTP clients see it.
import {
  ComposeProject,
  dockerStatsNoStream,
  Engine,
  ImageRegistry,
  type Machine,
  runJob,
  Sim,
  topFrame,
} from "@swarm-sim/swarmkit-sim";
import { DOCKERCOINS_COMPOSE, dockercoinsComposeWithoutRngPort } from "./compose-file";
import type { CostModel, DockerCoinsTiming, RandomSource } from "./config";
import { DOCKERCOINS_BUILDS, registerDockerCoinsImages } from "./images";
import { DockerCoinsRun, PUBLISHED_PORTS } from "./experiment-base";
import type { RedisProgram } from "./services/redis";
import { WebuiPage } from "./services/webui-page";
import { HTTPING_IMAGE } from "./tools/httping";
import { type AttachedRun, runAttached } from "./tools/run";
import { SwarmDockerCoinsExperiment, type SwarmStartOptions } from "./swarm/experiment";

export interface StartOptions {
  seed?: number | string;
  /** Run inside an existing simulation (with `machine`, or a new machine named `machineName`). */
  sim?: Sim;
  machine?: Machine;
  machineName?: string;
  /** Workers at start (default 1). */
  workers?: number;
  /** rng containers (default 1). More than one needs rng's port unpublished; it is then. */
  rng?: number;
  timing?: Partial<DockerCoinsTiming>;
  costs?: Partial<CostModel>;
  randomSource?: RandomSource;
  /** The size of the machine the experiment makes (cores, bytes); default the kernel's. */
  cpus?: number;
  memoryBytes?: number;
  /** Open the web page (it polls /json every second). Default true. */
  page?: boolean;
}

export class DockerCoinsExperiment extends DockerCoinsRun {
  readonly engine: Engine;
  readonly project: ComposeProject;

  constructor(
    sim: Sim,
    readonly machine: Machine,
    opts: StartOptions,
  ) {
    super(sim);
    // On a lab node the engine exists already (with the lab's registry): the images are
    // registered there, with this experiment's options and metrics.
    this.engine = Engine.of(machine) ?? Engine.attach(machine, { images: new ImageRegistry() });
    registerDockerCoinsImages(this.engine.images, {
      timing: opts.timing,
      costs: opts.costs,
      randomSource: opts.randomSource,
      metrics: this.metrics,
    });
    const rng = opts.rng ?? 1;
    const file = rng > 1 ? dockercoinsComposeWithoutRngPort() : DOCKERCOINS_COMPOSE;
    this.project = new ComposeProject(this.engine, file, { builds: DOCKERCOINS_BUILDS });
    const up = runJob(sim, this.project.up({ detach: true, scale: { worker: opts.workers ?? 1, rng } }));
    this.output.push(...up.output);
    if (up.error) throw new Error(up.error);
    this.page = opts.page === false ? undefined : new WebuiPage(machine, this.engine).open();
    this.lastChangeAt = sim.now();
  }

  /** docker compose up -d --scale worker=n */
  scaleWorkers(n: number): string[] {
    return this.scale("worker", n);
  }

  /** docker compose up -d --scale rng=n (needs the compose file without rng's port). */
  scaleRng(n: number): string[] {
    return this.scale("rng", n);
  }

  private scale(service: string, n: number): string[] {
    const res = runJob(this.sim, this.project.scale(service, n));
    this.output.push(...res.output);
    if (res.error) throw new Error(res.error);
    this.lastChangeAt = this.sim.now();
    return res.output;
  }

  protected redis(): RedisProgram {
    const c = this.project.containers({ service: "redis" })[0];
    const p = c?.program as RedisProgram | undefined;
    if (!p) throw new Error("redis is not running");
    return p;
  }

  /** docker run --rm --network=host bretfisher/httping -c <count> localhost:<port> */
  httping(service: "rng" | "hasher" | "webui", count = 5, extraArgs: readonly string[] = []): AttachedRun {
    const port = PUBLISHED_PORTS[service];
    return runAttached(this.engine, {
      image: HTTPING_IMAGE,
      network: "host",
      autoRemove: true,
      command: [...extraArgs, "-c", String(count), `localhost:${port}`],
    });
  }

  /** docker stats --no-stream */
  stats(): string {
    return dockerStatsNoStream(this.engine);
  }

  /** top (one batch frame) */
  top(): string {
    return topFrame(this.engine);
  }
}

/**
 * Starts DockerCoins: under compose on one machine (the default: `docker compose up -d`), or
 * with `mode: "swarm"` as a stack on a swarm of `nodes` machines (rng global by default).
 */
export function startDockerCoins(opts?: StartOptions & { mode?: "compose" }): DockerCoinsExperiment;
export function startDockerCoins(opts: SwarmStartOptions): SwarmDockerCoinsExperiment;
export function startDockerCoins(
  opts: (StartOptions & { mode?: "compose" }) | SwarmStartOptions = {},
): DockerCoinsExperiment | SwarmDockerCoinsExperiment {
  const sim = opts.sim ?? new Sim({ seed: opts.seed ?? 1 });
  if (opts.mode === "swarm") return new SwarmDockerCoinsExperiment(sim, opts);
  const machine =
    opts.machine ??
    sim.addMachine(opts.machineName ?? "node1", { cores: opts.cpus, memoryBytes: opts.memoryBytes });
  return new DockerCoinsExperiment(sim, machine, opts);
}
