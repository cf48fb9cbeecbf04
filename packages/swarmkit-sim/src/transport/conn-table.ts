// A server's connections, by the kernel source they come from: the machine (which the kernel
// names truthfully on every message), then the address and port. Each source machine has its
// own bounded table of handshakes in progress and of established connections, so a flood from
// one machine evicts only that machine's oldest entries: it cannot push out anyone else's. A
// handshake in progress never replaces an established connection; only its verified Finished
// does, and only the one of its own endpoint.
import type { Endpoint, Message } from "../kernel/addresses";
import type { CpuLane } from "../kernel/cpu";
import type { PeerIdentity } from "./identity";
import type { Wire } from "./wire";

/** Established connections kept per source machine (the least recently used goes first). */
export const MAX_CONNS_PER_SOURCE = 64;
/** Handshakes in progress kept per source machine (the oldest goes first). */
export const MAX_HANDSHAKES_PER_SOURCE = 16;
/** Requests held per handshake while its Finished has not arrived (a reordered link). */
export const MAX_EARLY_REQUESTS = 64;
/**
 * How long (simulated ms) a handshake may wait for its Finished while requests come in behind
 * it. The network reorders by a few seconds at most (two latency draws of at most 2 s, fuzz
 * faults included); a Finished later than this was lost. Over TCP it would have been
 * retransmitted; here the requests that follow it would be held (and, past
 * MAX_EARLY_REQUESTS, dropped) for good, on a connection the client believes is open: so the
 * server forgets the handshake and answers "reset", and the client handshakes again.
 */
export const FINISHED_WAIT_MS = 10_000;

type Source = Message["from"];
type Request = Extract<Wire, { t: "req" }>;

/**
 * What a handler may keep with a connection (the dispatcher keeps the node's session there:
 * a heartbeat then needs no lookup by node ID). Dropped with the connection.
 */
export interface ConnSlot {
  data: unknown;
}

/** A connection whose handshake completed: open until replaced, evicted or dropped. */
export class ServerConn implements ConnSlot {
  // Fields in the order a request reads them (V8 lays an object out in field order; at 10^4
  // connections each cache line of one a request touches is a miss): found by number, the
  // binder and source endpoint checked, its use counted, then authorized and served.
  /** The connection's binder (the client's own copy: see RpcServer.onFinished). */
  readonly binder: string;
  /**
   * The kernel source endpoint, as plain values (not the kernel's Source object, which caches
   * the route to whoever last listened on it: a connection kept for a client that has gone
   * would keep that client alive).
   */
  readonly port: number;
  readonly machine: string;
  readonly address: string;
  /** When it last carried a request, in the table's own count of requests (for eviction). */
  lastUsed: number;
  readonly peer: PeerIdentity | null;
  /** The security generation the cached authorizations hold for. */
  authGen = -1;
  /** The levels already allowed at authGen, as bits (no Set per connection). */
  authOk = 0;
  /** The server's own number for it (what handlers keep for pushes). */
  readonly id: number;
  /**
   * With a CPU model (RpcServer.setLoad), the connection's requests take effect in order, as a
   * gRPC stream's do, one at a time; made on the first request that needs it.
   */
  lane: CpuLane | undefined = undefined;
  data: unknown = undefined;
  /** The client's number for it, echoed in pushes (never used to find it). */
  readonly clientConn: number;
  private _state: "open" | "closed" = "open";

  constructor(
    id: number,
    clientConn: number,
    machine: string,
    address: string,
    port: number,
    peer: PeerIdentity | null,
    binder: string,
    lastUsed: number,
  ) {
    this.id = id;
    this.clientConn = clientConn;
    this.machine = machine;
    this.address = address;
    this.port = port;
    this.peer = peer;
    this.binder = binder;
    this.lastUsed = lastUsed;
  }

  get state(): "open" | "closed" {
    return this._state;
  }

  /** open -> closed, once. */
  close(): void {
    if (this._state !== "open")
      throw new Error(`connection ${this.id}: invalid transition [closed -> closed]`);
    this._state = "closed";
  }
}

/** A handshake whose ServerHello went out and whose Finished has not come yet. */
export interface PendingHandshake {
  readonly from: Source;
  readonly clientConn: number;
  /**
   * The server's number for the connection it becomes (ConnTable.allocate), told to the client
   * in the ServerHello so that its requests let the server find the entry in one lookup.
   */
  readonly serverConn: number;
  readonly clientNonce: Uint8Array;
  readonly clientShare: Uint8Array;
  readonly serverShare: Uint8Array;
  /** TH_s, what the server signed. */
  readonly serverTh: Uint8Array;
  /** The ServerHello sent (sent again for a repeated ClientHello). */
  readonly reply: Wire;
  /** Requests that overtook the Finished (served once it verifies). */
  readonly early: Request[];
  /** When the ServerHello went out (simulated ms), for FINISHED_WAIT_MS. */
  readonly startedAt: number;
}

interface SourceEntry {
  conns: ServerConn[];
  handshakes: PendingHandshake[];
}

const sameEndpoint = (a: Endpoint, b: Endpoint) => a.port === b.port && a.address === b.address;
/** Whether `c` is the connection of exactly this kernel source endpoint. */
const isFrom = (c: ServerConn, s: Source) =>
  c.port === s.port && c.machine === s.machine && c.address === s.address;

export class ConnTable {
  private readonly bySource = new Map<string, SourceEntry>();
  private readonly byId = new Map<number, ServerConn>();
  private nextId = 1;
  /** Requests served so far: the clock of least-recent use. */
  private uses = 0;

  /** The established connection of this kernel source endpoint, if any. */
  established(from: Source): ServerConn | undefined {
    const e = this.bySource.get(from.machine);
    if (e === undefined) return undefined;
    const conns = e.conns;
    for (let i = 0; i < conns.length; i++) if (isFrom(conns[i], from)) return conns[i];
    return undefined;
  }

  /**
   * The established connection of this kernel source endpoint with this binder, found by the
   * server's number `n` that the request carries (the hot path: one lookup by number instead of
   * by machine, then endpoint). The number only finds the entry; the kernel source and the
   * binder decide, so a number guessed or copied from elsewhere finds nothing more than
   * established(from) would. Undefined: not found this way (the caller falls back to it).
   */
  bound(from: Source, n: unknown, binder: unknown): ServerConn | undefined {
    if (typeof n !== "number") return undefined;
    const c = this.byId.get(n);
    return c !== undefined && c.binder === binder && isFrom(c, from) ? c : undefined;
  }

  /** A number for a connection to come (its handshake's): established, it keeps it. */
  allocate(): number {
    return this.nextId++;
  }

  /** The handshake in progress from this source endpoint with the client's number `c`. */
  handshake(from: Source, c?: number): PendingHandshake | undefined {
    const e = this.bySource.get(from.machine);
    if (e === undefined) return undefined;
    for (const h of e.handshakes)
      if (sameEndpoint(h.from, from) && (c === undefined || h.clientConn === c)) return h;
    return undefined;
  }

  /** Records a handshake in progress (replacing one from the same endpoint; the source's oldest beyond the bound go). */
  beginHandshake(h: PendingHandshake): void {
    const e = this.entry(h.from.machine);
    e.handshakes = e.handshakes.filter((x) => !sameEndpoint(x.from, h.from));
    e.handshakes.push(h);
    if (e.handshakes.length > MAX_HANDSHAKES_PER_SOURCE) e.handshakes.shift();
  }

  /** Forgets a handshake (refused, or completed). */
  endHandshake(h: PendingHandshake): void {
    const e = this.bySource.get(h.from.machine);
    if (e === undefined) return;
    const i = e.handshakes.indexOf(h);
    if (i >= 0) e.handshakes.splice(i, 1);
    this.dropIfEmpty(h.from.machine, e);
  }

  /**
   * A verified handshake becomes the endpoint's connection (replacing the one it had); the
   * source's least recently used connection goes beyond the bound.
   */
  establish(h: PendingHandshake, peer: PeerIdentity | null, binder: string): ServerConn {
    const e = this.entry(h.from.machine);
    const i = e.handshakes.indexOf(h);
    if (i >= 0) e.handshakes.splice(i, 1);
    const f = h.from;
    const conn = new ServerConn(
      h.serverConn,
      h.clientConn,
      f.machine,
      f.address,
      f.port,
      peer,
      binder,
      ++this.uses,
    );
    const old = e.conns.findIndex((x) => isFrom(x, f));
    if (old >= 0) this.drop(e, old);
    e.conns.push(conn);
    this.byId.set(conn.id, conn);
    if (e.conns.length > MAX_CONNS_PER_SOURCE) {
      let lru = 0;
      for (let j = 1; j < e.conns.length; j++) if (e.conns[j].lastUsed < e.conns[lru].lastUsed) lru = j;
      this.drop(e, lru);
    }
    return conn;
  }

  /** A request on `conn`: it is the most recently used of its source's. */
  touch(conn: ServerConn): void {
    conn.lastUsed = ++this.uses;
  }

  /** A connection by the server's number (for pushes). */
  byNumber(id: number): ServerConn | undefined {
    return this.byId.get(id);
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  /** Established connections and handshakes held for one source machine (tests, the attacker's report). */
  sizeOf(machine: string): { conns: number; handshakes: number } {
    const e = this.bySource.get(machine);
    return { conns: e?.conns.length ?? 0, handshakes: e?.handshakes.length ?? 0 };
  }

  clear(): void {
    for (const c of this.byId.values()) c.close();
    this.bySource.clear();
    this.byId.clear();
  }

  private drop(e: SourceEntry, i: number): void {
    const c = e.conns[i];
    c.close();
    this.byId.delete(c.id);
    e.conns.splice(i, 1);
  }

  private entry(machine: string): SourceEntry {
    let e = this.bySource.get(machine);
    if (e === undefined) this.bySource.set(machine, (e = { conns: [], handshakes: [] }));
    return e;
  }

  private dropIfEmpty(machine: string, e: SourceEntry): void {
    if (e.conns.length === 0 && e.handshakes.length === 0) this.bySource.delete(machine);
  }
}

/**
 * The weakened table (SecurityBugs.connectionFromPayload): connections by the client's own
 * number, one table for every source, no bound, established at the hello, binders unchecked.
 * What the server did before connections were bound to their source; tests only.
 */
export class PayloadKeyedConns {
  private readonly byClientNumber = new Map<number, ServerConn>();
  private nextId = 1;

  find(c: number): ServerConn | undefined {
    return this.byClientNumber.get(c);
  }

  set(c: number, from: Source, peer: PeerIdentity | null): ServerConn {
    const old = this.byClientNumber.get(c);
    const conn = new ServerConn(
      old?.id ?? this.nextId++,
      c,
      from.machine,
      from.address,
      from.port,
      peer,
      "",
      0,
    );
    this.byClientNumber.set(c, conn);
    return conn;
  }

  byNumber(id: number): ServerConn | undefined {
    for (const c of this.byClientNumber.values()) if (c.id === id) return c;
    return undefined;
  }

  clear(): void {
    this.byClientNumber.clear();
  }
}
