// worker: the loop of worker.py. Every pass first checks whether a second has gone by since
// its last report; if so it logs and runs `INCRBY hashes <loops>` (the deadline starts at 0,
// so the first pass reports 0). Then one unit of work: sleep 0.1 s, GET http://rng/32, POST
// the bytes to http://hasher/, and if the hex digest starts with "0" it is a coin:
// HSET wallet <hex> <bytes>. Any exception is logged; the loop restarts 10 s later. Each
// HTTP call resolves the name again (requests opens a new connection per call), so several
// rng containers behind one name share the load as the DNS shuffles its answers.
import {
  type HttpCallback,
  HttpRequest,
  type HttpResponse,
  type HttpTarget,
  type NetError,
  type Program,
  type ProgramContext,
  type Random,
  type Signal,
} from "@swarm-sim/swarmkit-sim";
import { type CostModel, DEFAULT_COSTS, DEFAULT_TIMING, type DockerCoinsTiming, drawCpu } from "../config";
import type { DockerCoinsMetrics } from "../metrics";
import { redisError, requestsError, workerTraceback } from "./python-errors";
import { type RedisCallback, RedisClient, type RedisClientError } from "./redis-client";
import type { RedisReply } from "./redis-store";

export interface WorkerOptions {
  timing?: Partial<DockerCoinsTiming>;
  costs?: Partial<CostModel>;
  /** Where the experiment collects the latencies the worker's client sees. */
  metrics?: DockerCoinsMetrics;
}

const RNG: HttpTarget = { host: "rng", port: 80 };
const HASHER: HttpTarget = { host: "hasher", port: 80 };
// Imported names the per-request path uses, bound once. Under tsx (CommonJS output) every use
// of an imported name is a chain of re-export getters (package index, engine index, module),
// which costs more per request than the work itself.
const RequestClass = HttpRequest;
const cpuFor = drawCpu;

const GET_32 = new HttpRequest("GET", "/32", undefined, undefined, "rng");

/** The coin's log line, rendered only when someone reads the logs. */
function coinLine(_epochMs: number, hex: string): string {
  return `INFO:__main__:Coin found: ${hex.slice(0, 8)}...`;
}

type Step = "sleep" | "get_random_bytes" | "hash_bytes" | "incrby" | "hset";

export class WorkerProgram implements Program {
  // CPython's default SIGINT handler raises KeyboardInterrupt, which the worker's bare
  // `except:` catches like any other error. SIGTERM has no handler: as PID 1 it is ignored.
  readonly handledSignals: readonly Signal[] = ["SIGINT"];
  private ctx!: ProgramContext;
  private redis!: RedisClient;
  private readonly timing: DockerCoinsTiming;
  private readonly costs: CostModel;
  private readonly metrics: DockerCoinsMetrics | undefined;
  private deadline = 0;
  private loopsDone = 0;
  /** Bumped when the loop is abandoned (an exception): late callbacks of the old loop stop. */
  private generation = 0;
  private bytes: Uint8Array = new Uint8Array(0);
  private cpu!: Random;

  constructor(opts: WorkerOptions = {}) {
    this.timing = { ...DEFAULT_TIMING, ...opts.timing };
    this.costs = { ...DEFAULT_COSTS, ...opts.costs };
    this.metrics = opts.metrics;
  }

  start(ctx: ProgramContext): void {
    this.ctx = ctx;
    this.cpu = ctx.random.fork("cpu");
    this.redis = new RedisClient(ctx, "redis", 6379, this.costs.redisClientCpu);
    this.loop(this.generation);
  }

  onSignal(sig: Signal): void {
    if (sig === "SIGINT") this.fail("sleep", "KeyboardInterrupt");
  }

  private loop(gen: number): void {
    if (gen !== this.generation) return;
    const ctx = this.ctx;
    if (ctx.wallNow() / 1000 > this.deadline) {
      ctx.log(`INFO:__main__:${this.loopsDone} units of work done, updating hash counter`, "stderr");
      this.redis.command(["INCRBY", "hashes", String(this.loopsDone)], (err) => {
        if (gen !== this.generation) return;
        if (err) {
          this.fail("incrby", redisError(err));
          return;
        }
        this.loopsDone = 0;
        this.deadline = ctx.wallNow() / 1000 + this.timing.workerReportIntervalMs / 1000;
        this.workOnce(gen);
      });
      return;
    }
    this.workOnce(gen);
  }

  private workOnce(gen: number): void {
    const ctx = this.ctx;
    const cpu = cpuFor(this.costs.workerLoopCpu, this.cpu);
    ctx.chargeCpu(cpu);
    // The loop's own Python work (building requests, parsing answers) adds to its sleep.
    const wait = this.timing.workerSleepMs + cpu * 1000;
    if (wait > 0) {
      this.bindCallbacks(gen);
      ctx.after(wait, this.onSlept);
    } else this.getRandomBytes(gen);
  }

  /** The HTTP callbacks of the current loop, made once per loop generation (not per request). */
  private onBytes: HttpCallback = () => {};
  private onHash: HttpCallback = () => {};
  private onSlept: () => void = () => {};
  private onStored: RedisCallback = () => {};
  private boundGeneration = -1;

  private bindCallbacks(gen: number): void {
    if (this.boundGeneration === gen) return;
    this.boundGeneration = gen;
    this.onBytes = (err, res, latency) => this.gotRandomBytes(gen, err, res, latency);
    this.onHash = (err, res, latency) => this.gotHash(gen, err, res, latency);
    this.onSlept = () => this.getRandomBytes(gen);
    this.onStored = (err, reply) => this.stored(gen, err, reply);
  }

  private getRandomBytes(gen: number): void {
    if (gen !== this.generation) return;
    this.bindCallbacks(gen);
    this.ctx.http.request(RNG, GET_32, this.onBytes);
  }

  private gotRandomBytes(
    gen: number,
    err: NetError | undefined,
    res: HttpResponse | undefined,
    latency: number,
  ): void {
    if (gen !== this.generation) return;
    if (err) {
      this.fail("get_random_bytes", requestsError(err, "rng", 80, "/32", this.objectAddress()));
      return;
    }
    this.metrics?.rng.record(this.ctx.now(), latency);
    // requests does not raise on an error status: r.content is whatever came back.
    this.bytes = res!.bytes;
    const post = new RequestClass("POST", "/", this.bytes, "application/octet-stream", "hasher");
    this.ctx.http.request(HASHER, post, this.onHash);
  }

  private gotHash(
    gen: number,
    err: NetError | undefined,
    res: HttpResponse | undefined,
    latency: number,
  ): void {
    if (gen !== this.generation) return;
    if (err) {
      this.fail("hash_bytes", requestsError(err, "hasher", 80, "/", this.objectAddress()));
      return;
    }
    this.metrics?.hasher.record(this.ctx.now(), latency);
    const hex = res!.text;
    if (hex.charCodeAt(0) !== 48 /* "0" */) {
      this.done(gen);
      return;
    }
    this.ctx.logLazy(coinLine, hex, "stderr");
    this.redis.command(["HSET", "wallet", hex, this.bytes], this.onStored);
  }

  private stored(gen: number, err: RedisClientError | undefined, reply: RedisReply): void {
    if (gen !== this.generation) return;
    if (err) {
      this.fail("hset", redisError(err));
      return;
    }
    if (reply === 0) this.ctx.log("INFO:__main__:We already had that coin", "stderr");
    this.done(gen);
  }

  private done(gen: number): void {
    this.loopsDone++;
    if (this.metrics) this.metrics.loops++;
    this.loop(gen);
  }

  /** The bare `except:` in worker.py: log, wait 10 s, run work_loop() afresh. */
  private fail(step: Step, last: string): void {
    const ctx = this.ctx;
    this.generation++;
    const gen = this.generation;
    if (this.metrics) this.metrics.workerErrors++;
    ctx.log("ERROR:__main__:In work loop:", "stderr");
    for (const line of workerTraceback(step, last)) ctx.log(line, "stderr");
    ctx.log("ERROR:__main__:Waiting 10s and restarting.", "stderr");
    ctx.after(this.timing.workerRestartDelayMs, () => {
      if (gen !== this.generation) return;
      this.deadline = 0;
      this.loopsDone = 0;
      this.loop(gen);
    });
  }

  private objectAddress(): string {
    let s = "0x7f";
    for (let i = 0; i < 10; i++) s += "0123456789abcdef"[this.ctx.random.int(16)];
    return s;
  }
}
