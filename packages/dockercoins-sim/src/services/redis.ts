// redis: the official image. One thread executes commands in arrival order, each in a few
// microseconds. It handles SIGTERM (and SIGINT) by shutting down at its next cron tick,
// saving its RDB snapshot first, and snapshots in the background by its default save policy
// (3600 s/1 change, 300 s/100 changes, 60 s/10000 changes).
import type { Incoming, Program, ProgramContext, Signal } from "@swarm-sim/swarmkit-sim";
import { MONTHS } from "@swarm-sim/swarmkit-sim";
import { type CostModel, DEFAULT_COSTS, DEFAULT_TIMING, type DockerCoinsTiming, FOOTPRINTS } from "../config";
import { type RedisReply, RedisStore, type RedisValue } from "./redis-store";

export const REDIS_PORT = 6379;
export const REDIS_VERSION = "7.4.2";

export interface RedisOptions {
  timing?: Partial<DockerCoinsTiming>;
  costs?: Partial<CostModel>;
}

/** Default `save` policy: seconds, changes. */
const SAVE_POLICY: readonly (readonly [number, number])[] = [
  [3600, 1],
  [300, 100],
  [60, 10_000],
];

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/** Redis's log timestamp: 01 Jan 2026 00:00:00.123 */
export function redisTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** Bytes a reply takes in RESP (roughly). */
function replyBytes(r: RedisReply): number {
  if (r === null || typeof r === "number") return 8;
  if (typeof r === "string") return r.length + 5;
  if (r instanceof Uint8Array) return r.length + 7;
  if (Array.isArray(r)) return r.reduce<number>((s, x) => s + replyBytes(x), 4);
  return r.message.length + 3;
}

export class RedisProgram implements Program {
  readonly handledSignals: readonly Signal[] = ["SIGTERM", "SIGINT"];
  readonly store = new RedisStore();
  private ctx!: ProgramContext;
  private readonly timing: DockerCoinsTiming;
  private readonly costs: CostModel;
  private lastSave = 0;
  private startedAt = 0;
  private shuttingDown = false;
  private childPid = 20;

  constructor(opts: RedisOptions = {}) {
    this.timing = { ...DEFAULT_TIMING, ...opts.timing };
    this.costs = { ...DEFAULT_COSTS, ...opts.costs };
  }

  start(ctx: ProgramContext): void {
    this.ctx = ctx;
    this.startedAt = ctx.now();
    this.lastSave = ctx.now();
    this.log("1:C", "*", "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo");
    this.log(
      "1:C",
      "*",
      `Redis version=${REDIS_VERSION}, bits=64, commit=00000000, modified=0, pid=1, just started`,
    );
    this.log(
      "1:C",
      "#",
      "Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf",
    );
    this.log("1:M", "*", "monotonic clock: POSIX clock_gettime");
    this.log("1:M", "*", `Running mode=standalone, port=${REDIS_PORT}.`);
    this.log("1:M", "*", "Server initialized");
    this.log("1:M", "*", "Ready to accept connections tcp");
    ctx.serve(REDIS_PORT, { kind: "single" }, (inc) => this.handle(inc));
    ctx.after(1000, () => this.cron());
  }

  private log(who: string, level: string, msg: string): void {
    this.ctx.log(`${who} ${redisTime(this.ctx.wallNow())} ${level} ${msg}`);
  }

  private handle(inc: Incoming): void {
    const ctx = this.ctx;
    ctx.chargeCpu(this.costs.redisCommandCpu);
    const service = this.timing.redisServiceMs;
    if (service > 0) ctx.after(service, () => this.execute(inc));
    else this.execute(inc);
  }

  private execute(inc: Incoming): void {
    const reply = this.store.execute(inc.body as RedisValue[]);
    inc.reply(reply, replyBytes(reply));
    this.ctx.setMemory(FOOTPRINTS.redis.memoryBytes + this.store.dataBytes);
  }

  /** Once a second: the snapshot policy (Redis checks it in serverCron). */
  private cron(): void {
    const ctx = this.ctx;
    const elapsed = (ctx.now() - this.lastSave) / 1000;
    const dirty = this.store.dirty;
    const rule = SAVE_POLICY.find(([secs, changes]) => dirty >= changes && elapsed >= secs);
    if (rule) {
      const pid = this.childPid++;
      this.log("1:M", "*", `${rule[1]} changes in ${rule[0]} seconds. Saving...`);
      this.log("1:M", "*", `Background saving started by pid ${pid}`);
      this.log(`${pid}:C`, "*", "DB saved on disk");
      this.log(`${pid}:C`, "*", "Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB");
      this.store.dirty = 0;
      this.lastSave = ctx.now();
      ctx.after(100, () => this.log("1:M", "*", "Background saving terminated with success"));
    }
    ctx.after(1000, () => this.cron());
  }

  onSignal(sig: Signal): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    const ctx = this.ctx;
    ctx.log(`1:signal-handler (${Math.floor(ctx.wallNow() / 1000)}) Received ${sig} scheduling shutdown...`);
    // The shutdown runs in serverCron, which ticks every 100 ms.
    const sinceStart = ctx.now() - this.startedAt;
    ctx.after(100 - (sinceStart % 100), () => {
      this.log("1:M", "*", "User requested shutdown...");
      this.log("1:M", "*", "Saving the final RDB snapshot before exiting.");
      this.log("1:M", "*", "DB saved on disk");
      this.log("1:M", "#", "Redis is now ready to exit, bye bye...");
      ctx.exit(0);
    });
  }
}
