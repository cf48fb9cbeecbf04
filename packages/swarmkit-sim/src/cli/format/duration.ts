// Durations as the Docker CLI prints them. Simulated time is in milliseconds.

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;

/**
 * go-units HumanDuration: "Less than a second", "1 second", "5 seconds", "About a minute",
 * "12 minutes", "About an hour", "5 hours", "3 days", "2 weeks", "3 months", "2 years".
 * Go truncates each unit toward zero, except hours which it rounds (d.Hours() + 0.5).
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / MS_PER_SECOND);
  if (seconds < 1) return "Less than a second";
  if (seconds === 1) return "1 second";
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / MS_PER_MINUTE);
  if (minutes === 1) return "About a minute";
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / MS_PER_HOUR + 0.5);
  if (hours === 1) return "About an hour";
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ms / MS_PER_HOUR) / 24 / 365)} years`;
}

/**
 * "<duration> ago". `docker ps` CREATED keeps HumanDuration's capitals ("About a minute ago");
 * task CURRENT STATE lower-cases it ("Running about a minute ago"), so pass { lower: true }.
 */
export function timeAgo(elapsedMs: number, options: { lower?: boolean } = {}): string {
  const d = humanDuration(elapsedMs);
  return `${options.lower ? d.toLowerCase() : d} ago`;
}

/** A task's CURRENT STATE column: "Running 8 seconds ago" (docker service ps / node ps). */
export function taskStateAgo(state: string, elapsedMs: number): string {
  return `${prettyState(state)} ${timeAgo(elapsedMs, { lower: true })}`;
}

function prettyState(s: string): string {
  return s.length === 0 ? s : s[0].toUpperCase() + s.slice(1).toLowerCase();
}

/**
 * Go's time.Duration.String for a duration given in milliseconds: "2160h0m0s", "5s", "1m30s",
 * "1.5s", "500ms", "1.5µs", "0s". The value is first rounded to whole nanoseconds, as a Go
 * Duration is an integer count of them.
 */
export function formatGoDuration(ms: number): string {
  let ns = BigInt(Math.round(ms * 1e6));
  if (ns === 0n) return "0s";
  const neg = ns < 0n;
  if (neg) ns = -ns;
  let out: string;
  if (ns < 1_000_000_000n) {
    // Sub-second values use the largest unit that keeps an integer part: ns, µs or ms.
    if (ns < 1000n) out = `${ns}ns`;
    else if (ns < 1_000_000n) out = `${fraction(ns, 1000n)}µs`;
    else out = `${fraction(ns, 1_000_000n)}ms`;
  } else {
    const hours = ns / 3_600_000_000_000n;
    const rest = ns % 3_600_000_000_000n;
    const minutes = rest / 60_000_000_000n;
    const secNs = rest % 60_000_000_000n;
    out = `${fraction(secNs, 1_000_000_000n)}s`;
    if (hours > 0n || minutes > 0n) out = `${minutes}m${out}`;
    if (hours > 0n) out = `${hours}h${out}`;
  }
  return neg ? `-${out}` : out;
}

/** value/unit printed with the shortest exact decimal fraction ("1.5", "2", "0.25"). */
function fraction(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const frac = value % unit;
  if (frac === 0n) return `${whole}`;
  const digits = unit.toString().length - 1;
  return `${whole}.${frac.toString().padStart(digits, "0").replace(/0+$/, "")}`;
}
