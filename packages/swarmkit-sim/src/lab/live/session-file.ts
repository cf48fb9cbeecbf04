// The session file of a live lab: JSON lines, a header then one record per input, each stamped
// with the simulated time at which it reached the world (a line typed at a prompt, a control
// key, a terminal opened or closed, an HTTP request from the real host into node1's published
// ports), and an end record with the trace hash. The same seed and the same inputs at the same
// simulated times give the same trace: `swarm-sim replay SESSION` reruns it (replay.ts).
// Parsing validates every field: a hand-edited or truncated file gets a clear message naming
// its line, never a crash halfway through a replay.
//
// A session can go back in time (the studio's timeline): a `seek` record says that at simulated
// time t the session went back to `to`, keeping the first `kept` inputs of its history (all of
// them recorded at `to` or before) and dropping the `dropped` others; the records after it go on
// from `to`. (A count, not a time, says which inputs stay: an input applied at `to` itself may
// have come before or after the moment a page saw.) The file keeps every record as it was
// written (append only); linearHistory() gives the inputs the world has really seen, which is
// what a replay runs.

export const SESSION_KIND = "swarm-sim-session";
export const SESSION_VERSION = 1;

export interface SessionHeader {
  kind: typeof SESSION_KIND;
  version: typeof SESSION_VERSION;
  seed: number | string;
  /** Whether the lab had swarm services (`docker service|stack`). */
  services: boolean;
  /** The lab's plugins by name, in the order they were installed. */
  plugins: string[];
}

/** Control keys that reach the world or the terminal's state. */
export type SessionKey = "ctrl-c" | "ctrl-d" | "ctrl-s" | "ctrl-q" | "quit";
export const SESSION_KEYS: readonly SessionKey[] = ["ctrl-c", "ctrl-d", "ctrl-s", "ctrl-q", "quit"];

/** An HTTP request from the real host into one of node1's published ports. */
export interface SessionHttp {
  port: number;
  method: string;
  path: string;
  /** The Host header as the client sent it. */
  host: string;
  contentType?: string;
  /** The body, base64. */
  body?: string;
}

export type SessionEvent =
  | { t: number; type: "open"; term: number; tty: boolean }
  | { t: number; type: "close"; term: number }
  | { t: number; type: "line"; term: number; text: string }
  | { t: number; type: "key"; term: number; key: SessionKey }
  | ({ t: number; type: "http" } & SessionHttp)
  /** At `t` the session went back to `to`, keeping the first `kept` inputs, undoing the `dropped` others. */
  | { t: number; type: "seek"; to: number; kept: number; dropped: number }
  | { t: number; type: "end"; traceHash: string };

/** A record that is an input of the world (every record but seek and end). */
export type SessionInput = Exclude<SessionEvent, { type: "seek" } | { type: "end" }>;

/**
 * The history the world has seen: the records in order, each seek keeping only the inputs it
 * kept (so the result's times never go down). What a replay runs. Throws SessionFileError when
 * a seek keeps more inputs than there were, or one recorded after its target.
 */
export function linearHistory(events: readonly SessionEvent[]): SessionEvent[] {
  const out: SessionEvent[] = [];
  for (const e of events) {
    if (e.type !== "seek") {
      out.push(e);
      continue;
    }
    if (e.kept > out.length)
      throw new SessionFileError(`a seek at ${e.t} ms keeps ${e.kept} inputs of ${out.length}`);
    out.length = e.kept;
    if (e.kept > 0 && out[e.kept - 1].t > e.to)
      throw new SessionFileError(`a seek at ${e.t} ms keeps an input recorded after its target ${e.to} ms`);
  }
  return out;
}

export interface SessionFile {
  header: SessionHeader;
  events: SessionEvent[];
}

export class SessionFileError extends Error {}

/** Bounds a file must respect (a session typed by a person is far below them). */
const MAX_TEXT = 64 * 1024;
const MAX_PATH = 8 * 1024;
const MAX_BODY_BASE64 = 2 * 1024 * 1024;
const MAX_TERMINALS = 256;
const MAX_TIME_MS = 10 * 365 * 24 * 3_600_000;
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]);

export function headerLine(h: SessionHeader): string {
  return `${JSON.stringify(h)}\n`;
}

export function eventLine(e: SessionEvent): string {
  return `${JSON.stringify(e)}\n`;
}

/** Parses and validates a session file's text (throws SessionFileError naming the line). */
export function parseSessionFile(text: string): SessionFile {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) throw new SessionFileError("the file is empty");
  const header = parseHeader(parseJson(lines[0], 1));
  const events: SessionEvent[] = [];
  let last = 0;
  let ended = false;
  for (let i = 1; i < lines.length; i++) {
    const n = i + 1;
    if (ended) throw new SessionFileError(`line ${n}: a record after the end record`);
    const e = parseEvent(parseJson(lines[i], n), n);
    if (e.t < last)
      throw new SessionFileError(`line ${n}: time ${e.t} is before the previous record's ${last}`);
    // After a seek the session goes on from its target time.
    last = e.type === "seek" ? e.to : e.t;
    if (e.type === "end") ended = true;
    events.push(e);
  }
  return { header, events };
}

function parseJson(line: string, n: number): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new SessionFileError(`line ${n}: not JSON`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new SessionFileError(`line ${n}: not a JSON object`);
  return v as Record<string, unknown>;
}

function onlyKeys(o: Record<string, unknown>, keys: readonly string[], n: number): void {
  for (const k of Object.keys(o))
    if (!keys.includes(k)) throw new SessionFileError(`line ${n}: unknown field "${k}"`);
}

function parseHeader(o: Record<string, unknown>): SessionHeader {
  if (o.kind !== SESSION_KIND)
    throw new SessionFileError(`line 1: not a swarm-sim session (kind "${SESSION_KIND}")`);
  if (o.version !== SESSION_VERSION)
    throw new SessionFileError(
      `line 1: session version ${String(o.version)} (this swarm-sim reads ${SESSION_VERSION})`,
    );
  onlyKeys(o, ["kind", "version", "seed", "services", "plugins"], 1);
  const seed = o.seed;
  if (
    !(typeof seed === "string" && seed.length <= 256) &&
    !(typeof seed === "number" && Number.isSafeInteger(seed))
  )
    throw new SessionFileError("line 1: seed must be an integer or a short string");
  if (typeof o.services !== "boolean") throw new SessionFileError("line 1: services must be true or false");
  const plugins = o.plugins;
  if (
    !Array.isArray(plugins) ||
    plugins.length > 64 ||
    !plugins.every((p) => typeof p === "string" && p.length <= 128)
  )
    throw new SessionFileError("line 1: plugins must be a list of names");
  return {
    kind: SESSION_KIND,
    version: SESSION_VERSION,
    seed,
    services: o.services,
    plugins: plugins as string[],
  };
}

function time(o: Record<string, unknown>, n: number): number {
  const t = o.t;
  if (typeof t !== "number" || !Number.isFinite(t) || t < 0 || t > MAX_TIME_MS)
    throw new SessionFileError(`line ${n}: t must be a simulated time in ms (0 or more)`);
  return t;
}

function term(o: Record<string, unknown>, n: number): number {
  const id = o.term;
  if (typeof id !== "number" || !Number.isInteger(id) || id < 1 || id > MAX_TERMINALS)
    throw new SessionFileError(`line ${n}: term must be a terminal number (1-${MAX_TERMINALS})`);
  return id;
}

function str(o: Record<string, unknown>, key: string, max: number, n: number): string {
  const v = o[key];
  if (typeof v !== "string" || v.length > max)
    throw new SessionFileError(`line ${n}: ${key} must be a string of at most ${max} characters`);
  return v;
}

function parseEvent(o: Record<string, unknown>, n: number): SessionEvent {
  const t = time(o, n);
  switch (o.type) {
    case "open":
      onlyKeys(o, ["t", "type", "term", "tty"], n);
      if (typeof o.tty !== "boolean") throw new SessionFileError(`line ${n}: tty must be true or false`);
      return { t, type: "open", term: term(o, n), tty: o.tty };
    case "close":
      onlyKeys(o, ["t", "type", "term"], n);
      return { t, type: "close", term: term(o, n) };
    case "line": {
      onlyKeys(o, ["t", "type", "term", "text"], n);
      const text = str(o, "text", MAX_TEXT, n);
      if (text.includes("\n")) throw new SessionFileError(`line ${n}: a line's text holds no newline`);
      return { t, type: "line", term: term(o, n), text };
    }
    case "key": {
      onlyKeys(o, ["t", "type", "term", "key"], n);
      const key = o.key as SessionKey;
      if (!SESSION_KEYS.includes(key))
        throw new SessionFileError(`line ${n}: key must be one of ${SESSION_KEYS.join(", ")}`);
      return { t, type: "key", term: term(o, n), key };
    }
    case "http": {
      onlyKeys(o, ["t", "type", "port", "method", "path", "host", "contentType", "body"], n);
      const port = o.port;
      if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535)
        throw new SessionFileError(`line ${n}: port must be 1-65535`);
      const method = str(o, "method", 16, n);
      if (!METHODS.has(method)) throw new SessionFileError(`line ${n}: unknown HTTP method "${method}"`);
      const path = str(o, "path", MAX_PATH, n);
      if (!path.startsWith("/")) throw new SessionFileError(`line ${n}: path must start with /`);
      const e: SessionEvent = { t, type: "http", port, method, path, host: str(o, "host", 1024, n) };
      if (o.contentType !== undefined) e.contentType = str(o, "contentType", 1024, n);
      if (o.body !== undefined) {
        const body = str(o, "body", MAX_BODY_BASE64, n);
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body))
          throw new SessionFileError(`line ${n}: body must be base64`);
        e.body = body;
      }
      return e;
    }
    case "seek": {
      onlyKeys(o, ["t", "type", "to", "kept", "dropped"], n);
      const to = o.to;
      if (typeof to !== "number" || !Number.isFinite(to) || to < 0 || to > t)
        throw new SessionFileError(`line ${n}: to must be a simulated time in ms, at most the record's t`);
      const count = (key: "kept" | "dropped"): number => {
        const v = o[key];
        if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0)
          throw new SessionFileError(`line ${n}: ${key} must be a count (0 or more)`);
        return v;
      };
      return { t, type: "seek", to, kept: count("kept"), dropped: count("dropped") };
    }
    case "end":
      onlyKeys(o, ["t", "type", "traceHash"], n);
      if (typeof o.traceHash !== "string" || !/^[0-9a-f]{64}$/.test(o.traceHash))
        throw new SessionFileError(`line ${n}: traceHash must be 64 hex digits`);
      return { t, type: "end", traceHash: o.traceHash };
    default:
      throw new SessionFileError(`line ${n}: unknown record type ${JSON.stringify(o.type)}`);
  }
}
