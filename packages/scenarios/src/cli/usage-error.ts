// Bad flags or values: a clear message and exit code 2 (the CLI's contract).
import { parseSleepDuration } from "@swarm-sim/swarmkit-sim";

export class UsageError extends Error {
  readonly exitCode = 2;
}

export function parseIntList(flag: string, value: string, min = 1): number[] {
  const parts = value.split(",").map((s) => s.trim());
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d+$/.test(p))
      throw new UsageError(
        `invalid value "${value}" for --${flag}: expected a comma-separated list of whole numbers`,
      );
    const n = Number(p);
    if (n < min)
      throw new UsageError(`invalid value "${value}" for --${flag}: every number must be at least ${min}`);
    out.push(n);
  }
  return out;
}

export function parseIntFlag(flag: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value))
    throw new UsageError(`invalid value "${value}" for --${flag}: expected a whole number`);
  const n = Number(value);
  // Beyond 2^53 a JavaScript number is no longer the whole number typed (1e+23 for 10^23).
  if (!Number.isSafeInteger(n))
    throw new UsageError(
      `invalid value "${value}" for --${flag}: must be at most ${Number.MAX_SAFE_INTEGER}`,
    );
  if (n < min) throw new UsageError(`invalid value "${value}" for --${flag}: must be at least ${min}`);
  return n;
}

/** "60s", "5m", "1h", "90" (seconds) -> milliseconds, as the lab's `sleep` reads a duration. */
export function parseDurationFlag(flag: string, value: string | undefined, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const ms = parseSleepDuration(value.trim());
  if (ms === undefined)
    throw new UsageError(`invalid value "${value}" for --${flag}: expected a duration like 60s, 5m or 1h`);
  if (ms <= 0) throw new UsageError(`invalid value "${value}" for --${flag}: must be positive`);
  return ms;
}
