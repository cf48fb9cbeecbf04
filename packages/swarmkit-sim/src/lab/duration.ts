// Durations the lab's time commands accept: `sleep 30` (seconds, as sh's sleep), `sleep 1.5`,
// `sleep 2m`, and compound forms such as `advance 1h30m` or `advance 500ms` (Go's syntax).
// A bare number is seconds; units are ms, s, m, h and d.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ms|s|m|h|d)?/y;

/** Milliseconds for one duration word, or undefined if it is not one. */
export function parseDuration(word: string): number | undefined {
  if (word === "") return undefined;
  let total = 0;
  let at = 0;
  let parts = 0;
  while (at < word.length) {
    PART.lastIndex = at;
    const m = PART.exec(word);
    if (!m) return undefined;
    const unit = m[2] ?? "s";
    // A unitless number may only stand alone: "1h30" is ambiguous, as Go says.
    if (m[2] === undefined && (parts > 0 || PART.lastIndex < word.length)) return undefined;
    total += Number(m[1]) * UNIT_MS[unit];
    at = PART.lastIndex;
    parts++;
  }
  return total;
}

/** How the lab prints a duration it advanced: "30s", "5m0s", "1h30m0s", "250ms". */
export function describeDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms * 1000) / 1000}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.round(((ms % 60_000) / 1000) * 1000) / 1000;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
