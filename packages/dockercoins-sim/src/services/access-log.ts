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

/**
 * The records a server has logged, so that the same client making the same request with the
 * same answer reuses one record. A busy server logs thousands of identical requests a minute
 * and keeps the newest 100,000 lines: sharing their records keeps that ring from holding (and
 * the garbage collector from copying) an object per line. Rack's per-request duration is not
 * part of the record: it travels beside it (see rackRender).
 */
export class AccessRecords {
  private readonly byClient = new Map<string, AccessRecord[]>();
  /** The record returned last: a server mostly answers the same client the same way. */
  private last: AccessRecord | undefined = undefined;

  get(
    client: string,
    method: string,
    path: string,
    version: string,
    status: number,
    bytes: number,
    v4mapped: boolean,
  ): AccessRecord {
    const last = this.last;
    if (
      last !== undefined &&
      last.client === client &&
      last.path === path &&
      last.method === method &&
      last.status === status &&
      last.bytes === bytes &&
      last.version === version &&
      last.v4mapped === v4mapped
    )
      return last;
    const r = this.find(client, method, path, version, status, bytes, v4mapped);
    this.last = r;
    return r;
  }

  private find(
    client: string,
    method: string,
    path: string,
    version: string,
    status: number,
    bytes: number,
    v4mapped: boolean,
  ): AccessRecord {
    let list = this.byClient.get(client);
    if (list === undefined) this.byClient.set(client, (list = []));
    for (let i = 0; i < list.length; i++) {
      const r = list[i];
      if (
        r.path === path &&
        r.method === method &&
        r.status === status &&
        r.bytes === bytes &&
        r.version === version &&
        r.v4mapped === v4mapped
      )
        return r;
    }
    const r = new AccessRecord(client, method, path, version, status, bytes, 0, v4mapped);
    // Paths can vary without end (rng's /<n>): remember a bounded number per client.
    if (list.length < MAX_RECORDS_PER_CLIENT) list.push(r);
    return r;
  }
}

const MAX_RECORDS_PER_CLIENT = 32;

/** Rack durations travel as whole ten-thousandths of a second (what it prints), a small integer. */
export function rackTicks(seconds: number): number {
  return Math.round(seconds * 10_000);
}

const rackRenders = new WeakMap<AccessRecord, (epochMs: number, ticks: number) => string>();

/** A renderer for Rack lines of `r` whose argument is the duration in ticks (see rackTicks). */
export function rackRender(r: AccessRecord): (epochMs: number, ticks: number) => string {
  let f = rackRenders.get(r);
  if (f === undefined) {
    f = (epochMs, ticks) => rackLineFor(epochMs, r, ticks / 10_000);
    rackRenders.set(r, f);
  }
  return f;
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
  return rackLineFor(epochMs, r, r.seconds);
}

function rackLineFor(epochMs: number, r: AccessRecord, seconds: number): string {
  return `${r.clientText} - - [${clfDate(epochMs)}] "${r.requestLine}" ${r.status} ${r.bytes > 0 ? r.bytes : "-"} ${seconds.toFixed(4)}`;
}

/** morgan('common'): ::ffff:172.18.0.1 - - [01/Jan/2026:00:00:01 +0000] "GET /json HTTP/1.1" 200 52 */
export function morganCommonLine(epochMs: number, r: AccessRecord): string {
  return `${r.clientText} - - [${clfDate(epochMs)}] "${r.requestLine}" ${r.status} ${r.bytes > 0 ? r.bytes : "-"}`;
}
