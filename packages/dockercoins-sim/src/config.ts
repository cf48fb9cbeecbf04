// The numbers that shape DockerCoins: the sleeps in the original code, redis's service time,
// and a per-request CPU cost model. The sleeps are what the lecture's arithmetic rests on
// (0.1 s in the worker, in rng and in hasher). The CPU costs are rough figures for
// CPython/Flask, Ruby/thin, Node/express and Redis handling one small request; they feed the
// resource meters (`docker stats`, `top`) and, since the machine is nearly idle, they are also
// the handler's processing time: a request is answered after its sleep plus its CPU time, so
// a single-threaded server's capacity is 1 / (sleep + CPU), as on a real machine. Each
// request's CPU time is drawn uniformly in [0.5, 1.5) x the mean from the container's seeded
// stream.

export interface DockerCoinsTiming {
  /** worker.py: time.sleep(0.1) at the start of work_once. */
  workerSleepMs: number;
  /** rng.py: time.sleep(0.1) before reading the bytes. */
  rngDelayMs: number;
  /** hasher.rb: sleep 0.1 before hashing. */
  hasherDelayMs: number;
  /** worker.py: once a second it reports its loops (work_loop's interval=1). */
  workerReportIntervalMs: number;
  /** worker.py: after an exception it waits 10 s and restarts its loop. */
  workerRestartDelayMs: number;
  /** Redis answers a small command in microseconds. */
  redisServiceMs: number;
}

export const DEFAULT_TIMING: DockerCoinsTiming = {
  workerSleepMs: 100,
  rngDelayMs: 100,
  hasherDelayMs: 100,
  workerReportIntervalMs: 1000,
  workerRestartDelayMs: 10_000,
  redisServiceMs: 0.02,
};

/** Every delay of the application set to zero (the benchmark's hashing path). */
export const ZERO_DELAYS: Partial<DockerCoinsTiming> = {
  workerSleepMs: 0,
  rngDelayMs: 0,
  hasherDelayMs: 0,
  redisServiceMs: 0,
};

/** CPU-seconds charged per unit of work. */
export interface CostModel {
  /** rng: Flask dev server parses, routes, reads urandom, logs. */
  rngRequestCpu: number;
  /** hasher: thin + Sinatra, SHA-256 of 32 bytes, Rack log line. */
  hasherRequestCpu: number;
  /** worker: one loop (two `requests` calls: each builds a session, a connection, parses). */
  workerLoopCpu: number;
  /** worker/webui: one redis command on the client side. */
  redisClientCpu: number;
  /** redis: one command. */
  redisCommandCpu: number;
  /** webui: one express request with morgan. */
  webuiRequestCpu: number;
}

export const DEFAULT_COSTS: CostModel = {
  rngRequestCpu: 0.0009,
  hasherRequestCpu: 0.0007,
  workerLoopCpu: 0.0024,
  redisClientCpu: 0.00015,
  redisCommandCpu: 0.000015,
  webuiRequestCpu: 0.0006,
};

const MiB = 1024 * 1024;

/** No processing time at all (with ZERO_DELAYS: the benchmark's hashing path). */
export const ZERO_COSTS: CostModel = {
  rngRequestCpu: 0,
  hasherRequestCpu: 0,
  workerLoopCpu: 0,
  redisClientCpu: 0,
  redisCommandCpu: 0,
  webuiRequestCpu: 0,
};

/** CPU-seconds for one request whose mean cost is `mean`: uniform in [0.5, 1.5) x mean. */
export function drawCpu(mean: number, random: { next(): number }): number {
  return mean === 0 ? 0 : mean * (0.5 + random.next());
}

/** Resident memory and threads of an idle instance (what `docker stats` shows at rest). */
export const FOOTPRINTS = {
  rng: { memoryBytes: 23.4 * MiB, pids: 1, idleCpu: 0 },
  // thin: the main thread and EventMachine's reactor; the 20 pool threads start on first use.
  hasher: { memoryBytes: 27.9 * MiB, pids: 2, idleCpu: 0.0002 },
  worker: { memoryBytes: 18.6 * MiB, pids: 1, idleCpu: 0 },
  webui: { memoryBytes: 47.2 * MiB, pids: 7, idleCpu: 0.0003 },
  // redis: main thread plus its background I/O threads; serverCron runs 10 times a second.
  redis: { memoryBytes: 3.6 * MiB, pids: 5, idleCpu: 0.0015 },
} as const;

/** Where rng gets its bytes: the container's seeded stream (reproducible) or the OS. */
export type RandomSource = "seeded" | "crypto";
