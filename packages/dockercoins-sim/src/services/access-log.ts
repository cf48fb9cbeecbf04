// Access-log lines as each server writes them. They are stored lazily (formatted only when
// someone reads the logs), so each format is a plain function of (time, record).
import { MONTHS } from "@swarm-sim/swarmkit-sim";

/**
 * What an access-log line needs, kept until the line is read. It holds strings the request
 * already had (no string is built per request).
 */
export class AccessRecord {
  constructor(
    readonly client: string,
    readonly method: string,
    readonly path: string,
    readonly version: string,
    readonly status: number,
    readonly bytes: number,
    /** Seconds the request took (Rack prints it). */
    readonly seconds: number,
    /** The server listens on a dual-stack socket: IPv4 clients show as ::ffff:a.b.c.d. */
    readonly v4mapped: boolean,
  ) {}

  get requestLine(): string {
    return `${this.method} ${this.path} HTTP/${this.version}`;
  }

  get clientText(): string {
    return this.v4mapped ? `::ffff:${this.client}` : this.client;
  }
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/** Werkzeug's dev server: 172.18.0.6 - - [01/Jan/2026 00:00:01] "GET /32 HTTP/1.1" 200 - */
export function werkzeugLine(epochMs: number, r: AccessRecord): string {
  const d = new Date(epochMs);
  const when = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${r.clientText} - - [${when}] "${r.requestLine}" ${r.status} -`;
}

/** Apache common-log date: 01/Jan/2026:00:00:01 +0000 */
export function clfDate(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** Rack::CommonLogger (Sinatra in development): ... "POST / HTTP/1.1" 200 64 0.1004 */
export function rackLine(epochMs: number, r: AccessRecord): string {
  return `${r.clientText} - - [${clfDate(epochMs)}] "${r.requestLine}" ${r.status} ${r.bytes > 0 ? r.bytes : "-"} ${r.seconds.toFixed(4)}`;
}

/** morgan('common'): ::ffff:172.18.0.1 - - [01/Jan/2026:00:00:01 +0000] "GET /json HTTP/1.1" 200 52 */
export function morganCommonLine(epochMs: number, r: AccessRecord): string {
  return `${r.clientText} - - [${clfDate(epochMs)}] "${r.requestLine}" ${r.status} ${r.bytes > 0 ? r.bytes : "-"}`;
}
