// Small statistics helpers for experiment tables.

/** The q-quantile (0..1) of the values, nearest-rank; null for no values. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export function round(x: number | null, digits = 1): number | null {
  return x === null ? null : Number(x.toFixed(digits));
}
