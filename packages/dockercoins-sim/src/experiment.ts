// An API for experiments: start DockerCoins under compose on a simulated machine, change the
// scale, run for a simulated duration, and read what the lecture reads — the hashing speed
// as the web page computes it, coins found, and the latency of rng and hasher as the
// workers' HTTP clients see it.
import { Engine, ImageRegistry, type Machine, Sim } from "@swarm-sim/swarmkit-sim";
import { ComposeProject } from "./compose/project";
import { DOCKERCOINS_COMPOSE, dockercoinsComposeWithoutRngPort } from "./compose/file";
import type { CostModel, DockerCoinsTiming, RandomSource } from "./config";
import { DOCKERCOINS_BUILDS, registerDockerCoinsImages } from "./images";
import { DockerCoinsMetrics, type LatencySummary } from "./metrics";
import type { RedisProgram } from "./services/redis";
import { WebuiPage } from "./services/webui-page";
import { dockerStatsNoStream } from "./tools/stats";
import { HTTPING_IMAGE } from "./tools/httping";
import { type AttachedRun, runAttached } from "./tools/run";
import { topFrame } from "./tools/top";

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
  cpus?: number;
  memoryBytes?: number;
  /** Open the web page (it polls /json every second). Default true. */
  page?: boolean;
}

/** After a change of scale, how long before rates and latencies count (workers settle). */
export const DEFAULT_WARMUP_MS = 5000;

export class DockerCoinsExperiment {
  readonly metrics = new DockerCoinsMetrics();
  readonly engine: Engine;
  readonly project: ComposeProject;
  readonly page: WebuiPage | undefined;
  /** Output of every compose command run so far. */
  readonly output: string[] = [];
  /** Simulated ms of the last change of scale (or of the start). */
  lastChangeAt: number;

  constructor(
    readonly sim: Sim,
    readonly machine: Machine,
    opts: StartOptions,
  ) {
    // On a lab node the engine exists already (with the lab's registry): the images are
    // registered there, with this experiment's options and metrics.
    this.engine =
      Engine.of(machine) ??
      Engine.attach(machine, { images: new ImageRegistry(), cpus: opts.cpus, memoryBytes: opts.memoryBytes });
    registerDockerCoinsImages(this.engine.images, {
      timing: opts.timing,
      costs: opts.costs,
      randomSource: opts.randomSource,
      metrics: this.metrics,
    });
    const rng = opts.rng ?? 1;
    const file = rng > 1 ? dockercoinsComposeWithoutRngPort() : DOCKERCOINS_COMPOSE;
    this.project = new ComposeProject(this.engine, file, { builds: DOCKERCOINS_BUILDS });
    const up = this.project.up({ detach: true, scale: { worker: opts.workers ?? 1, rng } });
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
    const res = this.project.scale(service, n);
    this.output.push(...res.output);
    if (res.error) throw new Error(res.error);
    this.lastChangeAt = this.sim.now();
    return res.output;
  }

  runFor(ms: number): void {
    this.sim.runFor(ms);
  }

  /** The window measurements use: from the last change plus warm-up (or `sinceMs`) to now. */
  private from(opts: { sinceMs?: number; warmupMs?: number }): number {
    return opts.sinceMs ?? this.lastChangeAt + (opts.warmupMs ?? DEFAULT_WARMUP_MS);
  }

  /**
   * Hashes per second as the web page computes it: the mean of its instantaneous speeds
   * between consecutive /json samples taken since the last change (after warm-up).
   */
  hashesPerSecond(opts: { sinceMs?: number; warmupMs?: number } = {}): number {
    if (!this.page) throw new Error("the web page is not open (start with page: true)");
    return this.page.meanSpeed(this.from(opts));
  }

  /** The speed the page prints right now ("~N hashes/second"). */
  pageSpeed(): number {
    return this.page ? this.page.speed() : Number.NaN;
  }

  private redis(): RedisProgram {
    const c = this.project.containers({ service: "redis" })[0];
    const p = c?.program as RedisProgram | undefined;
    if (!p) throw new Error("redis is not running");
    return p;
  }

  /** GET hashes: every loop the workers have reported. */
  hashes(): number {
    return Number(this.redis().store.getString("hashes") ?? 0);
  }

  /** HLEN wallet: the coins found. */
  coins(): number {
    return this.redis().store.hashSize("wallet");
  }

  /** The coins' hex digests (the wallet's fields). */
  wallet(): string[] {
    return this.redis().store.hashFields("wallet");
  }

  /** Latency seen by the workers' clients for rng or hasher calls since the last change (after warm-up). */
  latencies(service: "rng" | "hasher", opts: { sinceMs?: number; warmupMs?: number } = {}): LatencySummary {
    return this.metrics[service].summary(this.from(opts));
  }

  /** docker run --rm --network=host bretfisher/httping -c <count> localhost:<port> */
  httping(service: "rng" | "hasher" | "webui", count = 5, extraArgs: readonly string[] = []): AttachedRun {
    const port = service === "webui" ? 8000 : service === "rng" ? 8001 : 8002;
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

export function startDockerCoins(opts: StartOptions = {}): DockerCoinsExperiment {
  const sim = opts.sim ?? new Sim({ seed: opts.seed ?? 1 });
  const machine = opts.machine ?? sim.addMachine(opts.machineName ?? "node1");
  return new DockerCoinsExperiment(sim, machine, opts);
}
