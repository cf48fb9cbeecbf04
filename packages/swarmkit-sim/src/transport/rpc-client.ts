// The client side of RPC over the kernel network: one connection to one server address. The
// first call opens the connection with a handshake in the shape of TLS 1.3 (handshake.ts): the
// server's chain is checked against the pinned root and its signature over the transcript
// against the chain's key, then this node presents its certificate and signs the transcript
// with its key (mutual TLS with proof of possession); later calls reuse the connection, each
// with its binder. Answers are taken only from the machine and port that completed the
// handshake. `reconnect()` starts a new connection, which verifies again (after a certificate
// renewal). Every call has a deadline.
import type { Timer } from "../kernel/event-queue";
import { LOCAL_CLOCK_EPSILON_MS, type Machine } from "../kernel/machine";
import type { Endpoint, Message, Receiver } from "../kernel/addresses";
import { securityBugs } from "./bugs";
import { GrpcError, deadlineExceeded, fromWire } from "./grpc-error";
import {
  clientTranscript,
  connectionBinder,
  isBytes,
  NONCE_BYTES,
  SERVER_SIGNATURE_ERROR,
  SHARE_BYTES,
  serverTranscript,
  signClient,
  verifyServerSignature,
} from "./handshake";
import type { CertChain, Credentials, VerifiedPeer } from "./identity";
import { freshHello } from "./nonces";
import { PendingCalls } from "./pending-calls";
import { ephemeralPort, newConnId } from "./ports";
import { type DeadlineFifo, type Expiring, deadlinesFor } from "./deadlines";
import type { Forwarded, Wire } from "./wire";

export type Callback = (err: GrpcError | null, res?: any) => void;

/** An answer handler shared by many callers, given the caller's context (see RpcClient.callWith). */
export type ContextCallback<C> = (ctx: C, err: GrpcError | null, res?: any) => void;

/** A plain Callback called through the context form: the callback is its own context. */
const invokeCallback: ContextCallback<Callback> = (cb, err, res) => cb(err, res);

export interface ClientSecurity {
  /** The certificate to present and its key (null: none, for a node that has no certificate yet). */
  credentials(): Credentials | null;
  /**
   * Checks the server's chain against the pinned root: the verified peer (whose key must have
   * signed the transcript), or the TLS error. Absent: no check at all (the bootstrap
   * connection that fetches the root CA, InsecureSkipVerify).
   */
  verifyServer?(chain: CertChain): VerifiedPeer | GrpcError;
}

/** The handshake failure for a server whose answer cannot be used (garbage, a bad signature). */
function handshakeFailure(detail: string): GrpcError {
  return new GrpcError(
    "Unavailable",
    `connection error: desc = "transport: authentication handshake failed: ${detail}"`,
  );
}

/** A client connection's states: none, hello sent (awaiting the server's), established. */
type ClientState = "idle" | "connecting" | "ready";

/** One call waiting for its answer (a class: this is allocated on every heartbeat). */
class Pending implements Expiring {
  sent = false;
  /** The deadline FIFO holding it, and its slot there. */
  fifo: DeadlineFifo | null = null;
  slot = 0;

  constructor(
    readonly client: RpcClient,
    readonly id: number,
    readonly method: string,
    readonly body: unknown,
    readonly fwd: Forwarded | undefined,
    /** What the answer goes to: `answer(ctx, err, res)`. */
    readonly answer: ContextCallback<any>,
    readonly ctx: unknown,
    /** Local-clock time at which the call fails with DeadlineExceeded. */
    readonly deadline: number,
    readonly expiresAt: number,
  ) {}

  expire(): void {
    this.client.deadlinePassed(this);
  }

  /** Answered, failed or expired: out of the deadline FIFO at once. */
  settle(): void {
    this.fifo?.release(this, this.slot);
  }

  /** The call's outcome to its caller. */
  done(err: GrpcError | null, res?: unknown): void {
    this.answer(this.ctx, err, res);
  }
}

const MAX_QUEUED_CASTS = 256;

/** How often the handshake is resent while unanswered (a TCP SYN retry, roughly). */
const HELLO_RETRY_MS = 1000;

export class RpcClient implements Receiver {
  // The fields every call and answer reads come first, in the order they are read: V8 lays an
  // object out in field order, and at 10^4 clients each cache line of a client a heartbeat
  // touches is a miss (the fields for handshakes, casts and sweeps go last).
  readonly machine: Machine;
  readonly target: Endpoint;
  closed = false;
  private state: ClientState = "idle";
  private nextId = 1;
  private readonly pending = new PendingCalls<Pending>();
  private fifoTimeout = -1;
  private fifo: DeadlineFifo | null = null;
  private conn = 0;
  /** The server's number for the connection (from its ServerHello; it finds the entry there). */
  private serverConn = 0;
  /** The established connection's binder. */
  private binder = "";
  private readonly port: number;
  /** The machine that completed the handshake: answers are taken only from it. */
  private serverMachine = "";
  /** Server pushes on the current connection; `stream` is set on a follower's proxied streams. */
  onPush: ((body: any, stream: number) => void) | null = null;
  /** This handshake's nonce and key share (while connecting). */
  private hello: { nonce: Uint8Array; share: Uint8Array } | null = null;
  private unlisten: (() => void) | null;
  private helloTimer: Timer | null = null;
  /** A handshake started by a cast is retried once, then left for the next cast. */
  private castOnly = false;
  private queued: { method: string; body: unknown }[] = [];
  private sweepTimer: Timer | null = null;
  private sweepAt = 0;
  private readonly security: ClientSecurity;

  constructor(machine: Machine, target: Endpoint, security: ClientSecurity) {
    this.machine = machine;
    this.target = target;
    this.security = security;
    this.port = ephemeralPort(machine.sim);
    // The client is its own listener (Receiver): no closure per client.
    this.unlisten = machine.listen(this.port, this);
  }

  get connected(): boolean {
    return this.state === "ready";
  }

  call(method: string, body: unknown, timeoutMs: number, cb: Callback, fwd?: Forwarded): void {
    this.callWith(method, body, timeoutMs, invokeCallback, cb, fwd);
  }

  /**
   * A call whose answer goes to `answer(ctx, err, res)`: a caller that calls again and again
   * (an agent's heartbeat) passes one shared function and itself instead of a closure of its
   * own, which would be one more object (and cache line) each answer touches.
   */
  callWith<C>(
    method: string,
    body: unknown,
    timeoutMs: number,
    answer: ContextCallback<C>,
    ctx: C,
    fwd?: Forwarded,
  ): void {
    if (this.closed) {
      answer(ctx, new GrpcError("Canceled", "grpc: the client connection is closing"));
      return;
    }
    const id = this.nextId++;
    const deadline = this.machine.localNow() + timeoutMs;
    const p = new Pending(
      this,
      id,
      method,
      body,
      fwd,
      answer,
      ctx,
      deadline,
      this.machine.sim.now() + timeoutMs,
    );
    this.pending.add(p);
    const fifo = this.fifoFor(timeoutMs);
    p.fifo = fifo;
    p.slot = fifo.add(p);
    if (this.state === "ready") this.send(id, p);
    else this.connect();
  }

  /**
   * Sends a one-way message (no answer, no deadline): raft's messages, which Raft itself
   * retransmits. Before the connection is up it is dropped, and the handshake started.
   */
  cast(method: string, body: unknown): void {
    if (this.closed) return;
    if (this.state !== "ready") {
      // Held until the handshake completes, as a socket buffers what is written while it
      // connects (bounded: the oldest go first; raft retransmits anyway).
      this.queued.push({ method, body });
      if (this.queued.length > MAX_QUEUED_CASTS) this.queued.shift();
      this.connect();
      return;
    }
    this.machine.send(
      this.target,
      {
        t: "req",
        c: this.conn,
        s: this.serverConn,
        k: this.binder,
        id: 0,
        m: method,
        b: body,
      } satisfies Wire,
      this.port,
    );
  }

  /** Starts a new connection: the next handshake presents the current certificate again. */
  reconnect(): void {
    this.state = "idle";
    this.conn = 0;
    this.binder = "";
    this.serverConn = 0;
    for (const p of this.pending.list()) p.sent = false;
    if (this.pending.size > 0) this.connect();
  }

  close(): void {
    this.closed = true;
    this.unlisten?.();
    this.unlisten = null;
    this.helloTimer?.cancel();
    this.sweepTimer?.cancel();
    if (this.pending.size === 0) return;
    const err = new GrpcError("Canceled", "grpc: the client connection is closing");
    for (const p of this.pending.list()) this.finish(p.id, err);
  }

  private connect(): void {
    if (this.state === "connecting") return;
    this.state = "connecting";
    this.castOnly = this.pending.size === 0;
    this.conn = newConnId(this.machine.sim);
    this.hello = freshHello(this.machine);
    this.sendHello();
  }

  private sendHello(): void {
    this.helloTimer?.cancel();
    if (this.state !== "connecting" || this.closed) return;
    const h = this.hello!;
    this.machine.send(
      this.target,
      { t: "hello", c: this.conn, n: h.nonce, k: h.share } satisfies Wire,
      this.port,
    );
    this.helloTimer = this.machine.after(HELLO_RETRY_MS, () => {
      if (this.state === "connecting" && (this.pending.size > 0 || this.castOnly)) {
        this.castOnly = false;
        this.sendHello();
      } else if (this.state === "connecting") {
        this.state = "idle";
        this.queued = [];
      }
    });
  }

  /** @internal A message to the client's port (it listens as a Receiver). */
  receive(msg: Message): void {
    // The tag is read here rather than in a helper shared with the server: this load site then
    // sees only what servers send (a shared one saw every kind and went megamorphic).
    const w = msg.payload as Wire | null;
    if (typeof w !== "object" || w === null) return;
    if (w.t === "shello") {
      this.onServerHello(w, msg.from);
      return;
    }
    // Everything else must come from the server that completed our handshake.
    if (msg.from.machine !== this.serverMachine || msg.from.port !== this.target.port) return;
    switch (w.t) {
      case "alert": {
        // The server refused our certificate or signature: the calls on the connection fail.
        if (w.c !== this.conn) return;
        this.failHandshake(fromWire(w.e));
        return;
      }
      case "res": {
        const p = this.pending.get(w.id);
        if (!p) return;
        this.pending.delete(w.id);
        p.settle();
        if (w.e) p.done(fromWire(w.e));
        else p.done(null, w.b);
        return;
      }
      case "reset": {
        const p = this.pending.get(w.id);
        if (!p) {
          // A one-way message met a server that forgot us: handshake again for the next ones.
          if (w.id === 0 && this.state === "ready") {
            this.state = "idle";
            this.connect();
          }
          return;
        }
        p.sent = false;
        if (this.state === "ready") this.state = "idle";
        this.connect();
        return;
      }
      case "push":
        if (w.c === this.conn) this.onPush?.(w.b, w.s ?? 0);
        return;
    }
  }

  /**
   * ServerHello: the server's chain must verify against our root and its signature over the
   * transcript must be the chain's key's (unless this is the bootstrap connection, which
   * checks nothing). Then our certificate and signature, and the binder, go in the Finished,
   * and the calls waiting for the connection follow it at once (1-RTT, as TLS 1.3).
   */
  private onServerHello(w: Extract<Wire, { t: "shello" }>, from: Message["from"]): void {
    if (w.c !== this.conn || this.state !== "connecting" || this.hello === null) return;
    if (from.port !== this.target.port) return;
    const h = this.hello;
    if (w.e) {
      this.helloTimer?.cancel();
      this.failHandshake(fromWire(w.e));
      return;
    }
    if (!isBytes(w.n, NONCE_BYTES) || !isBytes(w.k, SHARE_BYTES)) return;
    const serverChain = typeof w.chain === "string" ? w.chain : null;
    const serverTh = serverTranscript(h.nonce, h.share, w.n, w.k, serverChain);
    if (this.security.verifyServer) {
      let v: VerifiedPeer | GrpcError;
      try {
        v = this.security.verifyServer(serverChain);
      } catch (e) {
        v = handshakeFailure((e as Error).message);
      }
      if (v instanceof GrpcError) {
        this.helloTimer?.cancel();
        this.failHandshake(v);
        return;
      }
      if (
        !securityBugs(this.machine.sim).noProofOfPossession &&
        !verifyServerSignature(v.publicKey, serverTh, w.sig)
      ) {
        this.helloTimer?.cancel();
        this.failHandshake(handshakeFailure(SERVER_SIGNATURE_ERROR));
        return;
      }
    }
    this.helloTimer?.cancel();
    const creds = this.security.credentials();
    const clientChain = creds ? creds.chain : null;
    const clientTh = clientTranscript(serverTh, clientChain);
    const sig = creds ? signClient(creds.key, clientTh) : null;
    this.binder = connectionBinder(h.share, w.k, clientTh);
    this.serverConn = typeof w.sc === "number" ? w.sc : 0;
    this.serverMachine = from.machine;
    this.hello = null;
    this.machine.send(
      this.target,
      { t: "fin", c: this.conn, chain: clientChain, sig, k: this.binder } satisfies Wire,
      this.port,
    );
    this.state = "ready";
    const queued = this.queued;
    this.queued = [];
    for (const q of queued) this.cast(q.method, q.body);
    for (const p of this.pending.list()) if (!p.sent) this.send(p.id, p);
  }

  /** A failed handshake fails the calls waiting on it; the next call tries again. */
  private failHandshake(err: GrpcError): void {
    this.state = "idle";
    this.hello = null;
    this.binder = "";
    this.serverConn = 0;
    this.queued = [];
    for (const p of this.pending.list()) this.finish(p.id, err);
  }

  private send(id: number, p: Pending): void {
    p.sent = true;
    // Built whole in one shape or the other (adding `fwd` afterwards changes the object's shape).
    const w: Wire = p.fwd
      ? { t: "req", c: this.conn, s: this.serverConn, k: this.binder, id, m: p.method, b: p.body, fwd: p.fwd }
      : { t: "req", c: this.conn, s: this.serverConn, k: this.binder, id, m: p.method, b: p.body };
    this.machine.send(this.target, w, this.port);
  }

  /** The deadline FIFO of `timeoutMs` (the last one used is kept: nearly always the same). */
  private fifoFor(timeoutMs: number): DeadlineFifo {
    if (timeoutMs !== this.fifoTimeout || !this.fifo) {
      this.fifo = deadlinesFor(this.machine.sim, timeoutMs);
      this.fifoTimeout = timeoutMs;
    }
    return this.fifo;
  }

  /**
   * @internal A call's deadline passed in simulated time (the shared FIFO). It fails as the
   * machine's own timer would: not at all if the machine crashed or stopped since (its
   * listener is gone), after resume if it is paused, and later if its clock was set back.
   */
  deadlinePassed(p: Pending): void {
    if (this.closed || !this.machine.isListening(this.port)) return;
    if (this.machine.state === "paused" || p.deadline > this.machine.localNow()) {
      this.armSweep(p.deadline);
      return;
    }
    this.finish(p.id, deadlineExceeded());
  }

  /**
   * A per-client timer for the earliest deadline: only for the rare calls the shared FIFO
   * cannot expire itself (a paused machine, a clock set back).
   */
  private armSweep(deadline: number): void {
    if (this.sweepTimer && !this.sweepTimer.cancelled && this.sweepAt <= deadline) return;
    this.sweepTimer?.cancel();
    this.sweepAt = deadline;
    this.sweepTimer = this.machine.after(Math.max(0, deadline - this.machine.localNow()), this.sweep);
  }

  private readonly sweep = (): void => {
    this.sweepTimer = null;
    const now = this.machine.localNow() + LOCAL_CLOCK_EPSILON_MS;
    let next = Number.POSITIVE_INFINITY;
    for (const p of this.pending.list()) {
      if (p.deadline <= now) {
        this.pending.delete(p.id);
        p.settle();
        p.done(deadlineExceeded());
      } else if (p.deadline < next) next = p.deadline;
    }
    if (next !== Number.POSITIVE_INFINITY) this.armSweep(next);
  };

  private finish(id: number, err: GrpcError): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.settle();
    p.done(err);
  }
}
