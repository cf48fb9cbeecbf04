// Measurements taken outside the application's own code, the way an experimenter would:
// the latency each worker's HTTP client saw for its rng and hasher calls. Samples are kept
// in fixed-size typed-array chunks of (time, latency): recording costs no object per request,
// and a long run never copies what it has already recorded.

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Samples per chunk (two Float64Arrays of this length: 1 MiB per chunk). */
const CHUNK = 65_536;

export class LatencyRecorder {
  /** Full chunks, then the one being filled (the last). */
  private readonly timeChunks: Float64Array[] = [];
  private readonly valueChunks: Float64Array[] = [];
  private times = new Float64Array(0);
  private values = new Float64Array(0);
  /** Samples in the chunk being filled. */
  private fill = 0;
  private n = 0;

  record(atMs: number, latencyMs: number): void {
    let i = this.fill;
    if (i === this.times.length) {
      // Small runs stay small: the first chunk starts at 1024 samples and doubles up to CHUNK.
      const first = this.timeChunks.length === 1 && this.times.length < CHUNK;
      const len = first ? this.times.length * 2 : this.timeChunks.length === 0 ? 1024 : CHUNK;
      const t = new Float64Array(len);
      const v = new Float64Array(len);
      if (first) {
        t.set(this.times);
        v.set(this.values);
        this.timeChunks[0] = t;
        this.valueChunks[0] = v;
      } else {
        this.timeChunks.push(t);
        this.valueChunks.push(v);
        i = 0;
      }
      this.times = t;
      this.values = v;
    }
    this.times[i] = atMs;
    this.values[i] = latencyMs;
    this.fill = i + 1;
    this.n++;
  }

  get count(): number {
    return this.n;
  }

  /** Latencies recorded in [fromMs, toMs), in recording order. */
  window(fromMs = 0, toMs = Number.POSITIVE_INFINITY): number[] {
    const out: number[] = [];
    const last = this.timeChunks.length - 1;
    for (let c = 0; c <= last; c++) {
      const times = this.timeChunks[c];
      const values = this.valueChunks[c];
      const len = c === last ? this.fill : times.length;
      for (let i = 0; i < len; i++) {
        const t = times[i];
        if (t >= fromMs && t < toMs) out.push(values[i]);
      }
    }
    return out;
  }

  summary(fromMs = 0, toMs = Number.POSITIVE_INFINITY): LatencySummary {
    return summarize(this.window(fromMs, toMs));
  }
}

/** Nearest-rank percentiles. */
export function summarize(values: readonly number[]): LatencySummary {
  const n = values.length;
  if (n === 0)
    return { count: 0, mean: Number.NaN, p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, max: Number.NaN };
  const sorted = Float64Array.from(values).sort();
  const rank = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))];
  let sum = 0;
  for (const v of sorted) sum += v;
  return { count: n, mean: sum / n, p50: rank(50), p90: rank(90), p99: rank(99), max: sorted[n - 1] };
}

/** What the application's programs report to an experiment. */
export class DockerCoinsMetrics {
  readonly rng = new LatencyRecorder();
  readonly hasher = new LatencyRecorder();
  /** Loops finished by every worker (counted as the worker counts them). */
  loops = 0;
  /** Errors the workers caught (and slept 10 s over). */
  workerErrors = 0;
}
