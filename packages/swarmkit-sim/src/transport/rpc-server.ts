// The server side of RPC over the kernel network: a manager's gRPC server. It verifies the
// client's certificate once per connection (mutual TLS with VerifyClientCertIfGiven: a client
// without a certificate may still call the insecure CA methods), then authorizes every call
// by the method's allowed roles, the cluster and the removed-node list (SwarmKit ca/auth.go).
import { CpuLane } from "../kernel/cpu";
import type { Machine } from "../kernel/machine";
import type { Message } from "../kernel/addresses";
import { GrpcError, toWire } from "./grpc-error";
import type { AuthLevel, CertChain, PeerIdentity } from "./identity";
import type { Wire } from "./wire";

export interface ServerCall {
  /** The caller's identity: the forwarded one for forwarded calls; null without a certificate. */
  readonly peer: PeerIdentity | null;
  /** The address the request came from (what the manager sees as the node's address). */
  readonly fromAddress: string;
  /** The connection, for server pushes (dispatcher sessions). */
  readonly conn: number;
  /** The proxied stream on `conn` (a session a follower forwards), 0 for a direct call. */
  readonly stream: number;
  /** State a handler keeps with the connection (absent for local and forwarded calls). */
  readonly slot?: ConnSlot | null;
  /** True when the caller's own connection brought the call (not a follower's, not local). */
  readonly direct: boolean;
  reply(body?: unknown): void;
  fail(err: GrpcError): void;
}

export type Handler = (req: any, call: ServerCall) => void;

/**
 * What a handler may keep with a connection (the dispatcher keeps the node's session there:
 * a heartbeat then needs no lookup by node ID). Dropped with the connection.
 */
export interface ConnSlot {
  data: unknown;
}

/** One call being served (a class, not closures: this is the hot path of every heartbeat). */
class Call implements ServerCall {
  private done = false;

  constructor(
    private readonly server: RpcServer | null,
    private readonly to: Message["from"] | null,
    private readonly id: number,
    readonly peer: PeerIdentity | null,
    readonly fromAddress: string,
    readonly conn: number,
    readonly stream: number,
    private readonly local: ((err: GrpcError | null, res?: unknown) => void) | null,
    readonly slot: ConnSlot | null,
  ) {}

  get direct(): boolean {
    // Only a call on the caller's own connection has that connection's slot.
    return this.slot !== null;
  }

  reply(body?: unknown): void {
    if (this.done) return;
    this.done = true;
    if (this.local) this.local(null, body);
    else if (this.id !== 0) this.server!.send(this.to!, { t: "res", id: this.id, b: body });
  }

  fail(err: GrpcError): void {
    if (this.done) return;
    this.done = true;
    if (this.local) this.local(err);
    else if (this.id !== 0) this.server!.send(this.to!, { t: "res", id: this.id, e: toWire(err) });
  }
}

export interface ServerSecurity {
  /** Verifies a presented chain at handshake: the identity, or the TLS error. */
  verifyClient(chain: CertChain): PeerIdentity | GrpcError | null;
  /** The server's own certificate, sent in the handshake for the client to verify. */
  serverChain(): CertChain;
  /** Per-call authorization (role, organization, removed nodes); null when allowed. */
  authorize(peer: PeerIdentity | null, level: AuthLevel): GrpcError | null;
  /** A forwarded call: the forwarder must be a manager, and the forwarded identity allowed. */
  authorizeForwarded(
    forwarder: PeerIdentity | null,
    peer: PeerIdentity | null,
    level: AuthLevel,
  ): GrpcError | null;
  /**
   * Bumped whenever an authorization could change (removed nodes, cluster ID): lets the server
   * cache a connection's authorization. Absent: no caching.
   */
  generation?(): number;
}

/**
 * What serving costs the server's machine (a manager's CPU model, manager/cost-model.ts): a
 * request waits for a core and is handled when its work is done, in order per connection.
 */
export interface ServerLoad {
  /**
   * Core-ms a request of `method` costs: a number, or for methods whose cost depends on the
   * request or the state, a function of the request (asked once per method, then kept).
   */
  requestMs(method: string): number | ((body: unknown) => number);
  /** Handled at once, its cost charged: work that must not queue (the Raft loop's messages). */
  priority(method: string): boolean;
  /** Core-ms of a connection's TLS handshake. */
  handshakeMs: number;
}

interface Conn extends ConnSlot {
  peer: PeerIdentity | null;
  /** The security generation the cached authorizations hold for. */
  authGen: number;
  /** The levels already allowed at authGen, as bits (see LEVEL_BIT): no Set per connection. */
  authOk: number;
  address: string;
  port: number;
  machine: string;
  /** The connection's requests take effect in order (a gRPC stream's, one at a time). */
  lane: CpuLane | undefined;
}

const LEVEL_BIT: Record<AuthLevel, number> = { insecure: 1, managers: 2, any: 4 };

interface Method {
  level: AuthLevel;
  handler: Handler;
  /** What the load model says a call costs (filled on the first call while a load is set). */
  cost: number | ((body: unknown) => number) | undefined;
  priority: boolean;
}

export class RpcServer {
  private readonly methods = new Map<string, Method>();
  private readonly conns = new Map<number, Conn>();
  private unlisten: (() => void) | null = null;
  private load: ServerLoad | null = null;
  /** The lane of calls made in this process (the local docker CLI's). */
  private readonly localLane = new CpuLane();

  constructor(
    readonly machine: Machine,
    readonly port: number,
    private readonly security: ServerSecurity,
  ) {}

  /** Makes requests cost the machine's CPU (null: they cost nothing, as without a model). */
  setLoad(load: ServerLoad | null): void {
    this.load = load;
    for (const m of this.methods.values()) m.cost = undefined;
  }

  handle(method: string, level: AuthLevel, handler: Handler): void {
    this.methods.set(method, { level, handler, cost: undefined, priority: false });
  }

  start(): void {
    this.unlisten = this.machine.listen(this.port, (msg) => this.onMessage(msg));
  }

  stop(): void {
    this.unlisten?.();
    this.unlisten = null;
    this.conns.clear();
  }

  get running(): boolean {
    return this.unlisten !== null;
  }

  /** Drops every connection (a certificate or trust change: clients must handshake again). */
  dropConnections(): void {
    this.conns.clear();
  }

  /**
   * Sends a message down a connection (the session stream), or down one stream a follower
   * proxies on it. False if the connection is gone.
   */
  push(conn: number, body: unknown, stream = 0): boolean {
    const c = this.conns.get(conn);
    if (!c) return false;
    const w: Wire = stream ? { t: "push", c: conn, b: body, s: stream } : { t: "push", c: conn, b: body };
    this.machine.send({ address: c.address, port: c.port }, w, this.port);
    return true;
  }

  hasConn(conn: number): boolean {
    return this.conns.has(conn);
  }

  /**
   * Runs a method in this process as if called by `peer` (a manager serving its own agent or a
   * request it would otherwise forward to itself). Authorization still applies.
   */
  invokeLocal(
    method: string,
    body: unknown,
    peer: PeerIdentity | null,
    fromAddress: string,
    cb: (err: GrpcError | null, res?: unknown) => void,
  ): void {
    const m = this.methods.get(method);
    if (!m) {
      cb(this.unimplemented(method));
      return;
    }
    const denied = this.security.authorize(peer, m.level);
    if (denied) {
      cb(denied);
      return;
    }
    this.serve(method, m, body, new Call(null, null, 0, peer, fromAddress, 0, 0, cb, null), this.localLane);
  }

  /**
   * Runs a method's handler, once the machine has done the request's work when there is a load
   * model (the hot path of every heartbeat: no closure unless the work must wait).
   */
  private serve(method: string, m: Method, body: unknown, call: ServerCall, lane: CpuLane | undefined): void {
    const load = this.load;
    if (load === null) {
      runHandler(m.handler, body, call);
      return;
    }
    if (m.cost === undefined) {
      m.cost = load.requestMs(method);
      m.priority = load.priority(method);
    }
    const ms = typeof m.cost === "number" ? m.cost : m.cost(body);
    const cpu = this.machine.cpu;
    if (m.priority) {
      cpu.charge(ms);
      runHandler(m.handler, body, call);
      return;
    }
    const wait = cpu.admit(ms, lane);
    if (wait <= 0) runHandler(m.handler, body, call);
    else cpu.defer(wait, () => runHandler(m.handler, body, call), lane);
  }

  private onMessage(msg: Message): void {
    const w = msg.payload as Wire;
    const from = msg.from;
    if (w.t === "hello") {
      if (this.load) this.machine.cpu.charge(this.load.handshakeMs);
      // A new connection replaces older ones from the same client endpoint.
      const verified = this.security.verifyClient(w.chain);
      if (verified instanceof GrpcError) {
        this.reply(from, { t: "ack", c: w.c, chain: null, e: toWire(verified) });
        return;
      }
      this.conns.set(w.c, {
        peer: verified,
        authGen: -1,
        authOk: 0,
        data: undefined,
        address: from.address,
        port: from.port,
        machine: from.machine,
        lane: this.load ? new CpuLane() : undefined,
      });
      this.reply(from, { t: "ack", c: w.c, chain: this.security.serverChain() });
      return;
    }
    if (w.t !== "req") return;
    const conn = this.conns.get(w.c);
    if (!conn) {
      this.reply(from, { t: "reset", id: w.id });
      return;
    }
    const m = this.methods.get(w.m);
    if (!m) {
      this.reply(from, { t: "res", id: w.id, e: toWire(this.unimplemented(w.m)) });
      return;
    }
    // A forwarded call carries the original caller's identity; the forwarder must be a manager.
    const peer = w.fwd ? w.fwd.peer : conn.peer;
    const denied = w.fwd
      ? this.security.authorizeForwarded(conn.peer, peer, m.level)
      : this.authorizeCached(conn, peer, m.level);
    if (denied) {
      if (w.id !== 0) this.reply(from, { t: "res", id: w.id, e: toWire(denied) });
      return;
    }
    // A forwarded stream keeps the follower's connection, for the pushes it relays.
    const call = w.fwd
      ? new Call(this, from, w.id, peer, w.fwd.addr, w.fwd.stream ? w.c : 0, w.fwd.stream ?? 0, null, null)
      : new Call(this, from, w.id, peer, from.address, w.c, 0, null, conn);
    this.serve(w.m, m, w.b, call, conn.lane);
  }

  /** grpc-go's answer to a method nobody registered: its service unknown, or only the method. */
  private unimplemented(method: string): GrpcError {
    const dot = method.lastIndexOf(".");
    const service = method.slice(0, dot);
    for (const m of this.methods.keys())
      if (m.startsWith(`${service}.`))
        return new GrpcError(
          "Unimplemented",
          `unknown method ${method.slice(dot + 1)} for service ${service}`,
        );
    return new GrpcError("Unimplemented", `unknown service ${service}`);
  }

  /**
   * The per-call check, remembered per connection until the security generation changes (a
   * node removed, a cluster change): the certificate of a connection does not change.
   */
  private authorizeCached(conn: Conn, peer: PeerIdentity | null, level: AuthLevel): GrpcError | null {
    const gen = this.security.generation ? this.security.generation() : -1;
    const bit = LEVEL_BIT[level];
    if (gen >= 0 && conn.authGen === gen && (conn.authOk & bit) !== 0) return null;
    const denied = this.security.authorize(peer, level);
    if (!denied && gen >= 0) {
      if (conn.authGen !== gen) {
        conn.authGen = gen;
        conn.authOk = 0;
      }
      conn.authOk |= bit;
    }
    return denied;
  }

  /**
   * @internal Sends a message from the server's port. The request's source endpoint is the
   * answer's destination as it is (it is never modified): no copy per answer.
   */
  send(to: Message["from"], w: Wire): void {
    this.machine.send(to, w, this.port);
  }

  private reply(to: Message["from"], w: Wire): void {
    this.machine.send(to, w, this.port);
  }
}

/** A handler that throws answers with the error (gRPC turns panics into errors too). */
function runHandler(h: Handler, body: unknown, call: ServerCall): void {
  try {
    h(body, call);
  } catch (e) {
    call.fail(
      e instanceof GrpcError ? e : new GrpcError("Unknown", e instanceof Error ? e.message : String(e)),
    );
  }
}
