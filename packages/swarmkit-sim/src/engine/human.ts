// Durations and times as the Docker daemon and CLI print them (go-units HumanDuration, the
// container Status string, RFC 3339 timestamps for `docker logs -t`, the HTTP Date header).

// go-units HumanDuration has one copy, with the CLI's other formatters.
export { humanDuration } from "../cli/format/duration";

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** RFC 3339 with nanoseconds, as `docker logs --timestamps` prints: 2026-01-01T00:00:01.250000000Z. */
export function rfc3339Nano(epochMs: number): string {
  const d = new Date(epochMs); // formatting a simulated instant, not reading the clock
  const wholeMs = Math.floor(epochMs);
  const nanos = Math.round((epochMs - wholeMs) * 1e6) + (wholeMs % 1000) * 1e6;
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(nanos, 9)}Z`
  );
}

export const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
export const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** The HTTP Date header (RFC 7231 IMF-fixdate): Thu, 01 Jan 2026 00:00:00 GMT. */
export function httpDate(epochMs: number): string {
  const d = new Date(epochMs);
  return (
    `${WEEKDAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} GMT`
  );
}
