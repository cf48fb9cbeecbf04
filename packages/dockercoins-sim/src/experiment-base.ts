// What every DockerCoins experiment measures, however the application is deployed (compose on
// one machine, or a stack on a swarm): the hashing speed as the web page computes it, the
// hash counter and the coins in redis, and the latencies the workers' HTTP clients saw.
import type { Sim } from "@swarm-sim/swarmkit-sim";
import { DockerCoinsMetrics, type LatencySummary } from "./metrics";
import type { RedisProgram } from "./services/redis";
import type { WebuiPage } from "./services/webui-page";
import type { AttachedRun } from "./tools/run";

/** After a change of scale, how long before rates and latencies count (workers settle). */
export const DEFAULT_WARMUP_MS = 5000;

/** A measurement window: from `sinceMs`, or from the last change plus `warmupMs`. */
export interface WindowOptions {
  sinceMs?: number;
  warmupMs?: number;
}

export abstract class DockerCoinsRun {
  readonly metrics: DockerCoinsMetrics;
  /** The web page (a browser polling /json every second), unless started without it. */
  page: WebuiPage | undefined;
  /** Output of every command run so far (compose's progress, the stack's lines). */
  readonly output: string[] = [];
  /** Simulated ms of the last change of scale (or of the start). */
  lastChangeAt: number;

  constructor(
    readonly sim: Sim,
    metrics?: DockerCoinsMetrics,
  ) {
    this.metrics = metrics ?? new DockerCoinsMetrics();
    this.lastChangeAt = sim.now();
  }

  /** Changes the number of workers (the deployment's own way) and restarts the window. */
  abstract scaleWorkers(n: number): string[];

  /** The redis program holding the counter and the wallet. */
  protected abstract redis(): RedisProgram;

  /** `docker run --rm --network=host bretfisher/httping -c <count> localhost:<port>` on the first node. */
  abstract httping(
    service: "rng" | "hasher" | "webui",
    count?: number,
    extraArgs?: readonly string[],
  ): AttachedRun;

  /** `docker stats --no-stream` (on the first node, or the one named). */
  abstract stats(node?: string): string;

  /** One frame of `top` (on the first node, or the one named). */
  abstract top(node?: string): string;

  runFor(ms: number): void {
    this.sim.runFor(ms);
  }

  /** The window measurements use: from the last change plus warm-up (or `sinceMs`) to now. */
  protected from(opts: WindowOptions): number {
    return opts.sinceMs ?? this.lastChangeAt + (opts.warmupMs ?? DEFAULT_WARMUP_MS);
  }

  /**
   * Hashes per second as the web page computes it: the mean of its instantaneous speeds
   * between consecutive /json samples taken since the last change (after warm-up).
   */
  hashesPerSecond(opts: WindowOptions = {}): number {
    if (!this.page) throw new Error("the web page is not open (start with page: true)");
    return this.page.meanSpeed(this.from(opts));
  }

  /** The speed the page prints right now ("~N hashes/second"). */
  pageSpeed(): number {
    return this.page ? this.page.speed() : Number.NaN;
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
  latencies(service: "rng" | "hasher", opts: WindowOptions = {}): LatencySummary {
    return this.metrics[service].summary(this.from(opts));
  }
}

/** httping's target port on the machine for each published service. */
export const PUBLISHED_PORTS = { webui: 8000, rng: 8001, hasher: 8002 } as const;
