// The server side of RPC over the kernel network: a manager's gRPC server. Each connection
// opens with a handshake in the shape of TLS 1.3 (handshake.ts): the server proves it holds
// its certificate's key, and a client that presents a certificate proves it holds that
// certificate's key (VerifyClientCertIfGiven: a client without one may still call the
// insecure CA methods). The connection is then the kernel source endpoint's that completed
// the handshake, with the connection's binder (conn-table.ts): a request is served only from
// that endpoint with that binder, never by a number it carries. Every call is authorized by
// the method's allowed roles, the cluster and the removed-node list (SwarmKit ca/auth.go),
// checked per call as SwarmKit does (cached per connection until the cluster changes). With a
// load model (setLoad: a manager's CPU), serving costs the machine's cores.
import { CpuLane } from "../kernel/cpu";
import type { Machine } from "../kernel/machine";
import type { Message } from "../kernel/addresses";
import { type SecurityBugs, securityBugs } from "./bugs";
import {
  type ConnSlot,
  ConnTable,
  FINISHED_WAIT_MS,
  MAX_EARLY_REQUESTS,
  PayloadKeyedConns,
  type ServerConn,
} from "./conn-table";

export type { ConnSlot } from "./conn-table";
import { GrpcError, toWire } from "./grpc-error";
import {
  CLIENT_SIGNATURE_ALERT,
  clientTranscript,
  connectionBinder,
  isBytes,
  NONCE_BYTES,
  SHARE_BYTES,
  serverTranscript,
  signServer,
  verifyClientSignature,
} from "./handshake";
import type { AuthLevel, CertChain, Credentials, PeerIdentity, VerifiedPeer } from "./identity";
import { freshHello } from "./nonces";
import { answer, type Forwarded, push, resetAnswer, type Wire } from "./wire";

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
    else if (this.id !== 0) this.server!.send(this.to!, answer(this.id, body, undefined));
  }

  fail(err: GrpcError): void {
    if (this.done) return;
    this.done = true;
    if (this.local) this.local(err);
    else if (this.id !== 0) this.server!.send(this.to!, answer(this.id, undefined, toWire(err)));
  }
}

export interface ServerSecurity {
  /**
   * Verifies a presented chain at handshake (against the trust roots, at the local time):
   * whom it names and its leaf's key, or the TLS error. Null: no chain was presented.
   */
  verifyClient(chain: CertChain): VerifiedPeer | GrpcError | null;
  /** The server's certificate and key, for its half of the handshake (null: none yet). */
  serverCredentials(): Credentials | null;
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

const LEVEL_BIT: Record<AuthLevel, number> = { insecure: 1, managers: 2, any: 4 };

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
  /** Core-ms of a connection's handshake. */
  handshakeMs: number;
}

interface Method {
  level: AuthLevel;
  /**
   * The level's bit in a connection's cached authorizations, looked up once here: a lookup by
   * level name per call was a keyed load with three names, which V8 keeps megamorphic.
   */
  levelBit: number;
  handler: Handler;
  /** What the load model says a call costs (filled on the first call while a load is set). */
  cost: number | ((body: unknown) => number) | undefined;
  priority: boolean;
}

type Request = Extract<Wire, { t: "req" }>;

/** The handshake failure a client sees when its CertificateVerify did not verify. */
const badClientSignature = (): GrpcError =>
  new GrpcError(
    "Unavailable",
    `connection error: desc = "transport: authentication handshake failed: remote error: tls: ${CLIENT_SIGNATURE_ALERT}"`,
  );

export class RpcServer {
  private readonly methods = new Map<string, Method>();
  private readonly conns = new ConnTable();
  /** Only with SecurityBugs.connectionFromPayload (tests): the weakened table. */
  private readonly payloadConns = new PayloadKeyedConns();
  private unlisten: (() => void) | null = null;
  /** The simulation's deliberate weakenings (tests), read once: set them before building. */
  private readonly bugs: SecurityBugs;
  private readonly weakBinding: boolean;
  private load: ServerLoad | null = null;
  /** The lane of calls made in this process (the local docker CLI's). */
  private readonly localLane = new CpuLane();

  constructor(
    readonly machine: Machine,
    readonly port: number,
    private readonly security: ServerSecurity,
  ) {
    this.bugs = securityBugs(machine.sim);
    this.weakBinding = this.bugs.connectionFromPayload === true;
  }

  handle(method: string, level: AuthLevel, handler: Handler): void {
    this.methods.set(method, {
      level,
      levelBit: LEVEL_BIT[level],
      handler,
      cost: undefined,
      priority: false,
    });
  }

  /** Makes requests cost the machine's CPU (null: they cost nothing, as without a model). */
  setLoad(load: ServerLoad | null): void {
    this.load = load;
    for (const m of this.methods.values()) m.cost = undefined;
  }

  start(): void {
    this.unlisten = this.machine.listen(this.port, (msg) => this.onMessage(msg));
  }

  stop(): void {
    this.unlisten?.();
    this.unlisten = null;
    this.conns.clear();
    this.payloadConns.clear();
  }

  get running(): boolean {
    return this.unlisten !== null;
  }

  /** Drops every connection (a certificate or trust change: clients must handshake again). */
  dropConnections(): void {
    this.conns.clear();
    this.payloadConns.clear();
  }

  /**
   * Sends a message down a connection (the session stream), or down one stream a follower
   * proxies on it. False if the connection is gone.
   */
  push(conn: number, body: unknown, stream = 0): boolean {
    const c = this.conns.byNumber(conn) ?? (this.weakBinding ? this.payloadConns.byNumber(conn) : undefined);
    if (!c) return false;
    this.machine.send({ address: c.address, port: c.port }, push(c.clientConn, body, stream), this.port);
    return true;
  }

  hasConn(conn: number): boolean {
    return this.conns.has(conn) || (this.weakBinding && this.payloadConns.byNumber(conn) !== undefined);
  }

  /** Connections and handshakes this server holds for one source machine. */
  connectionsFrom(machine: string): { conns: number; handshakes: number } {
    return this.conns.sizeOf(machine);
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
    this.run(method, m, body, new Call(null, null, 0, peer, fromAddress, 0, 0, cb, null), this.localLane);
  }

  /**
   * Runs a method's handler, once the machine has done the request's work when there is a load
   * model (the hot path of every heartbeat: no closure unless the work must wait).
   */
  private run(method: string, m: Method, body: unknown, call: ServerCall, lane: CpuLane | undefined): void {
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

  private laneOf(conn: ServerConn): CpuLane | undefined {
    if (this.load === null) return undefined;
    if (conn.lane === undefined) conn.lane = new CpuLane();
    return conn.lane;
  }

  private onMessage(msg: Message): void {
    // The tag is read here rather than in a helper shared with the client: this load site then
    // sees only what clients send (a shared one saw every kind and went megamorphic).
    const w = msg.payload as Wire | null;
    if (typeof w !== "object" || w === null) return;
    if (w.t === "req") this.onRequest(w, msg.from);
    else if (w.t === "hello") this.onHello(w, msg.from);
    else if (w.t === "fin") this.onFinished(w, msg.from);
  }

  /** ClientHello: answer with our nonce, key share, chain and CertificateVerify. */
  private onHello(w: Extract<Wire, { t: "hello" }>, from: Message["from"]): void {
    if (typeof w.c !== "number" || !isBytes(w.n, NONCE_BYTES) || !isBytes(w.k, SHARE_BYTES)) return;
    // A ClientHello sent again (its retry, or a duplicate on the link) gets the same answer.
    const again = this.conns.handshake(from, w.c);
    if (again && sameBytes(again.clientNonce, w.n) && sameBytes(again.clientShare, w.k)) {
      this.reply(from, again.reply);
      return;
    }
    if (this.load) this.machine.cpu.charge(this.load.handshakeMs);
    const creds = this.security.serverCredentials();
    const mine = freshHello(this.machine);
    if (!creds) {
      const e = toWire(
        new GrpcError(
          "Unavailable",
          'connection error: desc = "transport: authentication handshake failed: tls: no certificates configured"',
        ),
      );
      this.reply(from, {
        t: "shello",
        c: w.c,
        sc: 0,
        n: mine.nonce,
        k: mine.share,
        chain: null,
        sig: null,
        e,
      });
      return;
    }
    const serverTh = serverTranscript(w.n, w.k, mine.nonce, mine.share, creds.chain);
    const serverConn = this.conns.allocate();
    const reply: Wire = {
      t: "shello",
      c: w.c,
      sc: serverConn,
      n: mine.nonce,
      k: mine.share,
      chain: creds.chain,
      sig: signServer(creds.key, serverTh),
    };
    this.conns.beginHandshake({
      from,
      clientConn: w.c,
      serverConn,
      clientNonce: w.n,
      clientShare: w.k,
      serverShare: mine.share,
      serverTh,
      reply,
      early: [],
      startedAt: this.machine.sim.now(),
    });
    if (this.weakBinding) this.payloadConns.set(w.c, from, null);
    this.reply(from, reply);
  }

  /**
   * The client's Certificate, CertificateVerify and Finished: the chain must verify, the
   * signature must be the chain's key's over the transcript, and the binder must be the one
   * both shares give. Then the connection is this source endpoint's, and the requests that
   * came early are served.
   */
  private onFinished(w: Extract<Wire, { t: "fin" }>, from: Message["from"]): void {
    const h = this.conns.handshake(from, w.c);
    if (!h) return;
    const chain = typeof w.chain === "string" && w.chain !== "" ? w.chain : null;
    const clientTh = clientTranscript(h.serverTh, chain);
    let peer: PeerIdentity | null = null;
    let refusal: GrpcError | null = null;
    let verified: VerifiedPeer | GrpcError | null = null;
    try {
      verified = this.security.verifyClient(chain);
    } catch (e) {
      verified = new GrpcError(
        "Unavailable",
        `connection error: desc = "transport: authentication handshake failed: ${(e as Error).message}"`,
      );
    }
    if (verified instanceof GrpcError) refusal = verified;
    else if (verified) {
      if (!this.bugs.noProofOfPossession && !verifyClientSignature(verified.publicKey, clientTh, w.sig))
        refusal = badClientSignature();
      else peer = verified.peer;
    }
    const binder = connectionBinder(h.clientShare, h.serverShare, clientTh);
    if (!refusal && !this.weakBinding && w.k !== binder) refusal = badClientSignature();
    if (refusal) {
      this.conns.endHandshake(h);
      this.reply(from, { t: "alert", c: w.c, e: toWire(refusal) });
      return;
    }
    // The client's own copy of the binder (equal to ours, checked above) is what its requests
    // carry: keeping that very string makes each request's check a pointer comparison, with no
    // read of either string's bytes (two cache misses per request in a 10^4-node swarm).
    const conn = this.conns.establish(h, peer, this.weakBinding ? binder : (w.k as string));
    if (this.weakBinding) this.payloadConns.set(w.c, from, peer);
    for (const r of h.early) if (r.k === conn.binder) this.serve(r, conn, from);
  }

  private onRequest(w: Request, from: Message["from"]): void {
    if (typeof w.id !== "number" || typeof w.m !== "string") return;
    let conn: ServerConn | undefined;
    if (this.weakBinding) conn = this.payloadConns.find(w.c);
    else {
      // Found by the server's number, kept only if this source endpoint and binder are its own.
      conn = this.conns.bound(from, w.s, w.k);
      if (conn !== undefined) {
        this.serve(w, conn, from);
        return;
      }
      conn = this.conns.established(from);
      if (conn === undefined || conn.binder !== w.k) {
        // Not this endpoint's connection: a request that overtook its handshake's Finished
        // waits for it; one from a connection the server no longer has is answered "reset"
        // (the client handshakes again); one with another binder is dropped (a late request
        // of the endpoint's previous connection, which the client has resent on the new one).
        // A Finished that never came (lost) would hold the requests behind it for good: past
        // FINISHED_WAIT_MS the handshake is forgotten and the request answered "reset".
        const h = this.conns.handshake(from);
        if (h && this.machine.sim.now() - h.startedAt <= FINISHED_WAIT_MS) {
          if (h.early.length < MAX_EARLY_REQUESTS) h.early.push(w);
          return;
        }
        if (h) {
          this.conns.endHandshake(h);
          this.reply(from, resetAnswer(w.id));
          return;
        }
        if (conn !== undefined) return;
        conn = undefined;
      }
    }
    if (!conn) {
      this.reply(from, resetAnswer(w.id));
      return;
    }
    this.serve(w, conn, from);
  }

  private serve(w: Request, conn: ServerConn, from: Message["from"]): void {
    this.conns.touch(conn);
    const m = this.methods.get(w.m);
    if (!m) {
      this.reply(from, answer(w.id, undefined, toWire(this.unimplemented(w.m))));
      return;
    }
    // A forwarded call carries the original caller's identity; the forwarder must be a manager.
    const fwd = isForwarded(w.fwd) ? w.fwd : undefined;
    const peer = fwd ? fwd.peer : conn.peer;
    const denied = fwd
      ? this.security.authorizeForwarded(conn.peer, peer, m.level)
      : this.authorizeCached(conn, peer, m.level, m.levelBit);
    if (denied) {
      if (w.id !== 0) this.reply(from, answer(w.id, undefined, toWire(denied)));
      return;
    }
    // A forwarded stream keeps the follower's connection, for the pushes it relays.
    const call = fwd
      ? new Call(this, from, w.id, peer, fwd.addr, fwd.stream ? conn.id : 0, fwd.stream ?? 0, null, null)
      : new Call(this, from, w.id, peer, from.address, conn.id, 0, null, conn);
    this.run(w.m, m, w.b, call, this.laneOf(conn));
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
  private authorizeCached(
    conn: ServerConn,
    peer: PeerIdentity | null,
    level: AuthLevel,
    bit: number,
  ): GrpcError | null {
    const gen = this.security.generation ? this.security.generation() : -1;
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

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A forwarded identity as a follower writes it (anything else is treated as not forwarded). */
function isForwarded(f: unknown): f is Forwarded {
  return typeof f === "object" && f !== null && typeof (f as Forwarded).addr === "string";
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
