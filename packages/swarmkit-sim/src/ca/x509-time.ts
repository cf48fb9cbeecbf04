// Simulated time against certificate time. The simulator counts milliseconds from 0; a
// certificate holds wall-clock instants at one-second resolution. A fixed origin (`epochMs`,
// the Unix-epoch milliseconds that simulated time 0 stands for) connects the two. Every CA
// function that reads or writes certificate times takes it, defaulting to the kernel's
// default origin, so the conversion is the same everywhere.

/** 2026-01-01T00:00:00Z, the kernel's default origin of simulated time. */
export const DEFAULT_EPOCH_MS = Date.UTC(2026, 0, 1);

/** Unix ms of simulated time `simMs`. */
export function wallMs(simMs: number, epochMs: number): number {
  return epochMs + simMs;
}

/** Simulated ms of a Unix-ms instant. */
export function simMs(unixMs: number, epochMs: number): number {
  return unixMs - epochMs;
}

/**
 * cfssl computes NotBefore from `time.Now().Round(time.Minute)`: to the nearest minute, halfway
 * rounding up, as Go's Time.Round does.
 */
export function roundToMinute(unixMs: number): number {
  return Math.floor((unixMs + 30_000) / 60_000) * 60_000;
}

/** Go's time.RFC3339 for a UTC instant, whole seconds: "2026-01-01T00:00:00Z". */
export function formatRfc3339(unixMs: number): string {
  return `${new Date(Math.floor(unixMs / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}
