// Measurements taken outside the application's own code, the way an experimenter would:
// the latency each worker's HTTP client saw for its rng and hasher calls. Samples are kept
// as two growing number arrays (time, latency) so recording costs no object per request.

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export class LatencyRecorder {
  private times = new Float64Array(1024);
  private values = new Float64Array(1024);
  private n = 0;

  record(atMs: number, latencyMs: number): void {
    if (this.n === this.times.length) {
      const t = new Float64Array(this.n * 2);
      t.set(this.times);
      this.times = t;
      const v = new Float64Array(this.n * 2);
      v.set(this.values);
      this.values = v;
    }
    this.times[this.n] = atMs;
    this.values[this.n] = latencyMs;
    this.n++;
  }

  get count(): number {
    return this.n;
  }

  /** Latencies recorded in [fromMs, toMs), in recording order. */
  window(fromMs = 0, toMs = Number.POSITIVE_INFINITY): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.n; i++) {
      const t = this.times[i];
      if (t >= fromMs && t < toMs) out.push(this.values[i]);
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
