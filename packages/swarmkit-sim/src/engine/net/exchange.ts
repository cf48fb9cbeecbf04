// Request/response over the kernel's network: the transport under HTTP and the Redis
// protocol. A client sends a request message to address:port from its own ephemeral port; a
// server answers to that port. A connection is one exchange (as HTTP/1.0 and
// `requests` without a session use them). What a TCP client would see is modelled at the
// moment of sending: nobody listening is "Connection refused" after one round trip; an
// address nobody owns is "No route to host" after ARP gives up; a machine that is down or
// cut off never answers (the client's timeout, or TCP's connect timeout, ends the wait).
import type { Timer } from "../../kernel/event-queue";
import type { Endpoint, Message } from "../../kernel/addresses";
import type { Latency } from "../../kernel/links";
import type { Source } from "../../kernel/network";
import { NetError, type NetErrorCode } from "./errors";
import { type NetHost, pickEphemeralPort } from "./host";
import { routeVirtual } from "./virtual";

/**
 * A request on the wire. It also carries the calling client's bookkeeping (its callback, when
 * it was sent, its timer): one object per call instead of two, and the reply finds its call
 * without a table lookup. The server reads only id, body and bytes.
 */
export class WireRequest {
  /** The client's timer for this call (timeout, or the error it will report), if any. */
  timer: Timer | undefined = undefined;
  /** Answered, failed or abandoned: later replies and timers are ignored. */
  settled = false;
  constructor(
    readonly id: number,
    readonly body: unknown,
    readonly bytes: number,
    readonly cb: ReplyHandler<any> = noReply,
    readonly sentAt = 0,
    /** The host or address the client asked for, for error messages. */
    readonly target = "",
  ) {}
}

export class WireReply {
  constructor(
    /** The request answered (its id, for whoever reads the trace). */
    readonly request: WireRequest,
    readonly body: unknown,
    readonly bytes: number,
    readonly error: NetErrorCode | undefined,
  ) {}

  get id(): number {
    return this.request.id;
  }
}

function noReply(): void {}

/** Called once per call: the error (if any), the reply body, and the latency the client saw. */
export type ReplyHandler<T> = (err: NetError | undefined, body: T | undefined, latencyMs: number) => void;

/** ARP gives up on an address nobody answers for after about 3 s. */
export const HOST_UNREACHABLE_MS = 3000;
/** A round trip that never leaves the machine (loopback, or the node's own kernel answering). */
const LOCAL_RTT_MS = 0.04;
/** Linux gives up a connect() with no answer after about 127 s (tcp_syn_retries = 6). */
export const CONNECT_TIMEOUT_MS = 127_000;

function meanLatency(l: Latency): number {
  switch (l.kind) {
    case "fixed":
      return l.ms;
    case "uniform":
      return (l.min + l.max) / 2;
    case "normal":
      return Math.max(l.floor, l.mean);
  }
}

export class ExchangeClient {
  private nextId = 1;
  private port = 0;
  private unlisten: (() => void)[] = [];
  /** Where the calls leave from (the source address, the client's port), once bound. */
  private from: Source | undefined = undefined;
  private closed = false;
  private calls = 0;
  private readonly onMessage = (msg: Message): void => this.receive(msg);

  constructor(readonly host: NetHost) {}

  /** Calls in flight. */
  get inFlight(): number {
    return this.calls;
  }

  call<T>(target: Endpoint, body: unknown, bytes: number, cb: ReplyHandler<T>, timeoutMs = 0): void {
    if (this.closed) return;
    let to = target;
    const host = this.host;
    const m = host.machine;
    const sim = m.sim;
    if (this.port === 0) this.bind();
    const req = new WireRequest(this.nextId++, body, bytes, cb, sim.now(), to.address);
    this.calls++;
    let dest = m.machineFor(to);
    if (dest === undefined) {
      // Not a machine's address: perhaps a virtual one (a service VIP) this node translates.
      const routed = routeVirtual(to, host);
      if (routed === "refused") {
        this.failAfter(req, LOCAL_RTT_MS, "ECONNREFUSED");
        return;
      }
      if (routed !== undefined) {
        to = routed;
        dest = m.machineFor(to);
      }
      if (dest === undefined) {
        this.failAfter(req, HOST_UNREACHABLE_MS, "EHOSTUNREACH");
        return;
      }
    }
    const reachable = dest.isUp() && sim.net.canReach(m.name, dest.name);
    if (reachable && dest.state === "running" && dest.listenerFor(to) === undefined) {
      // The peer's kernel answers the SYN with a RST: one round trip.
      const rtt = dest === m ? LOCAL_RTT_MS : 2 * meanLatency(sim.net.link(m.name, dest.name).latency);
      this.failAfter(req, rtt, "ECONNREFUSED");
      return;
    }
    if (host.meter) host.meter.txBytes += bytes;
    let from = this.from!;
    if (from.generation !== sim.addressGeneration)
      from = this.from = m.sourceFor(this.port, host.sourceAddress);
    m.sendFrom(from, to, req);
    if (timeoutMs > 0) this.failAfter(req, timeoutMs, "ETIMEDOUT");
    else if (!reachable) this.failAfter(req, CONNECT_TIMEOUT_MS, "ETIMEDOUT");
  }

  /**
   * Stops the client: calls in flight are forgotten (their process is gone). Their timers
   * still fire, and do nothing.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const u of this.unlisten) u();
    this.calls = 0;
  }

  private bind(): void {
    const host = this.host;
    this.port = pickEphemeralPort(host);
    const m = host.machine;
    this.from = m.sourceFor(this.port, host.sourceAddress);
    if (host.bindAddresses === undefined)
      this.unlisten.push(m.listen(this.port, this.onMessage, host.sourceAddress));
    else for (const a of host.bindAddresses) this.unlisten.push(m.listen(this.port, this.onMessage, a));
  }

  private receive(msg: Message): void {
    const gate = this.host.gate;
    if (gate !== undefined && !gate.runnable) {
      if (gate.alive) gate.hold(() => this.receive(msg));
      return;
    }
    const r = msg.payload;
    if (!(r instanceof WireReply)) return;
    const req = r.request;
    if (req.settled || this.closed) return;
    req.settled = true;
    this.calls--;
    if (req.timer !== undefined) req.timer.cancel();
    const meter = this.host.meter;
    if (meter) meter.rxBytes += r.bytes;
    const latency = this.host.machine.sim.now() - req.sentAt;
    if (r.error !== undefined) req.cb(new NetError(r.error, req.target), undefined, latency);
    else req.cb(undefined, r.body, latency);
  }

  private failAfter(req: WireRequest, ms: number, code: NetErrorCode): void {
    req.timer = this.host.machine.after(ms, () => this.fail(req, code));
  }

  private fail(req: WireRequest, code: NetErrorCode): void {
    if (req.settled || this.closed) return;
    req.settled = true;
    this.calls--;
    req.cb(new NetError(code, req.target), undefined, this.host.machine.sim.now() - req.sentAt);
  }
}

export type Concurrency =
  /** One request at a time, the rest wait in order (a server without threads). */
  | { kind: "single" }
  /** Up to `size` requests at a time (a thread pool), the rest wait in order. */
  | { kind: "pool"; size: number }
  /** No limit: requests interleave while they wait (an event loop). */
  | { kind: "eventLoop" };

/** One request as a server sees it. Reply exactly once; later replies are ignored. */
export class Incoming {
  done = false;
  startedAt = -1;
  /** Neighbours in the server's list of requests in service (a list: no hashing per request). */
  prevActive: Incoming | undefined = undefined;
  nextActive: Incoming | undefined = undefined;
  constructor(
    readonly server: ExchangeServer,
    readonly msg: Message,
    readonly request: WireRequest,
    readonly arrivedAt: number,
  ) {}

  get id(): number {
    return this.request.id;
  }

  get body(): unknown {
    return this.request.body;
  }

  /** Wire size of the request. */
  get bytes(): number {
    return this.request.bytes;
  }

  /** The client's address, as the server's access log shows it. */
  get clientAddress(): string {
    return this.msg.from.address;
  }

  reply(body: unknown, bytes: number): void {
    this.server.respond(this, body, bytes, undefined);
  }

  /** Drops the connection (the client sees "Connection reset by peer"). */
  reset(): void {
    this.server.respond(this, undefined, 0, "ECONNRESET");
  }
}

export class ExchangeServer {
  private queue: Incoming[] = [];
  private head = 0;
  /** Requests in service: a doubly linked list through the Incomings, and its length. */
  private activeHead: Incoming | undefined = undefined;
  private activeCount = 0;
  private readonly limit: number;
  private readonly unlisten: (() => void)[] = [];
  private closed = false;
  /** Requests answered. */
  served = 0;
  /** The most requests ever in service at once (tests check the concurrency model with it). */
  maxInService = 0;

  constructor(
    readonly host: NetHost,
    readonly port: number,
    readonly concurrency: Concurrency,
    private readonly handler: (inc: Incoming) => void,
  ) {
    this.limit =
      concurrency.kind === "single"
        ? 1
        : concurrency.kind === "pool"
          ? concurrency.size
          : Number.POSITIVE_INFINITY;
    const onMessage = (msg: Message) => this.receive(msg);
    const m = host.machine;
    if (host.bindAddresses === undefined) this.unlisten.push(m.listen(port, onMessage));
    else for (const a of host.bindAddresses) this.unlisten.push(m.listen(port, onMessage, a));
  }

  /** Requests being handled now. */
  get inService(): number {
    return this.activeCount;
  }

  /** Requests waiting for a free slot. */
  get queued(): number {
    return this.queue.length - this.head;
  }

  private receive(msg: Message): void {
    if (this.closed) return;
    const gate = this.host.gate;
    if (gate !== undefined && !gate.runnable) {
      if (gate.alive) gate.hold(() => this.receive(msg));
      return;
    }
    const req = msg.payload;
    if (!(req instanceof WireRequest)) return;
    const meter = this.host.meter;
    if (meter) meter.rxBytes += req.bytes;
    const now = this.host.machine.sim.now();
    const inc = new Incoming(this, msg, req, now);
    if (this.activeCount < this.limit) this.begin(inc, now);
    else this.queue.push(inc);
  }

  private begin(inc: Incoming, now: number): void {
    const first = this.activeHead;
    inc.nextActive = first;
    if (first !== undefined) first.prevActive = inc;
    this.activeHead = inc;
    if (++this.activeCount > this.maxInService) this.maxInService = this.activeCount;
    inc.startedAt = now;
    this.handler(inc);
  }

  private unlink(inc: Incoming): void {
    const prev = inc.prevActive;
    const next = inc.nextActive;
    if (prev !== undefined) prev.nextActive = next;
    else if (this.activeHead === inc) this.activeHead = next;
    else return; // not in service (still queued)
    if (next !== undefined) next.prevActive = prev;
    inc.prevActive = inc.nextActive = undefined;
    this.activeCount--;
  }

  respond(inc: Incoming, body: unknown, bytes: number, error: NetErrorCode | undefined): void {
    if (inc.done) return;
    inc.done = true;
    this.unlink(inc);
    const host = this.host;
    if (host.meter) host.meter.txBytes += bytes;
    // From the endpoint the request came to (the address it was sent to, this port).
    host.machine.sendFrom(inc.msg.to, inc.msg.from, new WireReply(inc.request, body, bytes, error));
    if (error === undefined) this.served++;
    if (!this.closed) this.next();
  }

  private next(): void {
    while (this.head < this.queue.length && this.activeCount < this.limit) {
      const inc = this.queue[this.head];
      this.queue[this.head++] = undefined as unknown as Incoming;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      this.begin(inc, this.host.machine.sim.now());
    }
  }

  /** Stops listening; every request in service or waiting gets a reset. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const u of this.unlisten) u();
    const pending: Incoming[] = [];
    for (let i = this.activeHead; i !== undefined; i = i.nextActive) pending.push(i);
    pending.push(...this.queue.slice(this.head));
    this.queue = [];
    this.head = 0;
    for (const inc of pending) this.respond(inc, undefined, 0, "ECONNRESET");
  }
}
