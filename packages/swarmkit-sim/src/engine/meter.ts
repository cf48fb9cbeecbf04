// Per-container resource accounting. Programs charge CPU-seconds per unit of work through
// their cost model; nothing here delays anything (CPU contention is not modelled, which is
// fine while the machine stays nearly idle, as DockerCoins leaves it). CPU is kept in
// one-second buckets so `docker stats` can report the last full second, as the daemon's
// two-sample CPU % does, without a timer per container.

export class ResourceMeter {
  /** Total CPU-seconds used since the container started. */
  cpuSeconds = 0;
  /** Resident memory (bytes): the program's baseline plus what it reports on top. */
  memoryBytes = 0;
  /** Bytes received and sent on the container's network interfaces. */
  rxBytes = 0;
  txBytes = 0;
  blockRead = 0;
  blockWrite = 0;
  pids = 1;
  /** A steady background CPU share (fraction of one CPU): timers, GC, a server's cron. */
  idleCpu = 0;
  private bucket = -1;
  private bucketCpu = 0;
  private prevCpu = 0;

  constructor(
    private readonly now: () => number,
    private readonly host?: HostCpu,
  ) {}

  /** Charges `seconds` of CPU at the current simulated time. */
  chargeCpu(seconds: number): void {
    if (seconds === 0) return;
    this.cpuSeconds += seconds;
    const b = Math.floor(this.now() / 1000);
    if (b !== this.bucket) {
      this.prevCpu = b === this.bucket + 1 ? this.bucketCpu : 0;
      this.bucket = b;
      this.bucketCpu = 0;
    }
    this.bucketCpu += seconds;
    this.host?.charge(seconds);
  }

  /**
   * CPU % over the last complete second, 100% being one full CPU (Docker's convention), plus
   * the steady background share.
   */
  cpuPercent(): number {
    const b = Math.floor(this.now() / 1000);
    let last = 0;
    if (b === this.bucket) last = this.prevCpu;
    else if (b === this.bucket + 1) last = this.bucketCpu;
    return (last + this.idleCpu) * 100;
  }

  reset(): void {
    this.cpuSeconds = 0;
    this.rxBytes = 0;
    this.txBytes = 0;
    this.blockRead = 0;
    this.blockWrite = 0;
    this.bucket = -1;
    this.bucketCpu = 0;
    this.prevCpu = 0;
  }
}

const LOAD_TICK_MS = 5000;
const LOAD_BUCKETS = 180; // 15 minutes of 5-second ticks

/**
 * The machine's CPU use, kept in 5-second buckets over the last 15 minutes, for `top`'s CPU
 * line and load averages. Load averages follow Linux's method (an exponentially damped
 * average of the number of busy tasks, updated every 5 s), computed when asked.
 */
export class HostCpu {
  private readonly buckets = new Float64Array(LOAD_BUCKETS);
  private lastTick = -1;
  /** Steady background CPU (fraction of one CPU) of everything else on the machine. */
  idleCpu = 0;

  constructor(
    private readonly now: () => number,
    /** The machine's cores (read each time: a machine may be resized while down). */
    private readonly cores: () => number,
  ) {}

  get cpus(): number {
    return this.cores();
  }

  charge(seconds: number): void {
    const tick = Math.floor(this.now() / LOAD_TICK_MS);
    this.advance(tick);
    this.buckets[tick % LOAD_BUCKETS] += seconds;
  }

  private advance(tick: number): void {
    if (tick === this.lastTick) return;
    const from = Math.max(this.lastTick + 1, tick - LOAD_BUCKETS + 1);
    for (let t = from; t <= tick; t++) this.buckets[t % LOAD_BUCKETS] = 0;
    this.lastTick = tick;
  }

  /** Busy fraction of the whole machine (0..1) over the last complete 5-second tick. */
  utilization(extraCpu = 0): number {
    const tick = Math.floor(this.now() / LOAD_TICK_MS);
    this.advance(tick);
    const prev = this.buckets[(tick - 1 + LOAD_BUCKETS) % LOAD_BUCKETS];
    return Math.min(1, (prev / (LOAD_TICK_MS / 1000) + this.idleCpu + extraCpu) / this.cpus);
  }

  /** 1, 5 and 15-minute load averages. */
  loadAverages(extraCpu = 0): [number, number, number] {
    const tick = Math.floor(this.now() / LOAD_TICK_MS);
    this.advance(tick);
    const out: [number, number, number] = [0, 0, 0];
    const windows = [60, 300, 900];
    const elapsedTicks = Math.min(LOAD_BUCKETS - 1, tick);
    windows.forEach((w, i) => {
      const decay = Math.exp(-LOAD_TICK_MS / 1000 / w);
      let load = 0;
      for (let t = tick - elapsedTicks; t < tick; t++) {
        const busy = this.buckets[(t + LOAD_BUCKETS) % LOAD_BUCKETS] / (LOAD_TICK_MS / 1000);
        load = load * decay + (busy + this.idleCpu + extraCpu) * (1 - decay);
      }
      out[i] = load;
    });
    return out;
  }
}
