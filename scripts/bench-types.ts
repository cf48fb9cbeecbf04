// What every benchmark returns: one row per measurement. Benchmarks are ratios against a
// baseline measured in the same process, because the machines are shared and noisy.
export interface BenchRow {
  /** What was measured, e.g. "kernel events/s". */
  name: string;
  value: number;
  unit: string;
  /** The same-process baseline, when the row is a ratio against one. */
  baseline?: { name: string; value: number; unit: string };
  /** value / baseline.value (or as the row defines it). */
  ratio?: number;
  /** The target, in words, e.g. "ratio >= 0.5". */
  target?: string;
  /** Whether the target was met. */
  ok?: boolean;
}

export type Bench = () => Promise<BenchRow[]> | BenchRow[];
