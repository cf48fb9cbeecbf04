// Request/response over the kernel's network: the transport under HTTP and the Redis
// protocol. A client sends a request message to address:port from its own ephemeral port; a
// server answers to that port. A connection is one exchange (as HTTP/1.0 and
// `requests` without a session use them). What a TCP client would see is modelled at the
// moment of sending: nobody listening is "Connection refused" after one round trip; an
// address nobody owns is "No route to host" after ARP gives up; a machine that is down or
// cut off never answers (the client's timeout, or TCP's connect timeout, ends the wait).
import type { Timer } from "../../kernel/event-queue";
import type { Endpoint, Latency, Message } from "../../kernel/network";
import { NetError, type NetErrorCode } from "./errors";
import { type NetHost, pickEphemeralPort } from "./host";
import { routeVirtual } from "./virtual";

export class WireRequest {
  constructor(
    readonly id: number,
    readonly body: unknown,
    readonly bytes: number,
  ) {}
}

export class WireReply {
  constructor(
    readonly id: number,
    readonly body: unknown,
    readonly bytes: number,
    readonly error: NetErrorCode | undefined,
  ) {}
}

/** Called once per call: the error (if any), the reply body, and the latency the client saw. */
export type ReplyHandler<T> = (err: NetError | undefined, body: T | undefined, latencyMs: number) => void;

/** ARP gives up on an address nobody answers for after about 3 s. */
export const HOST_UNREACHABLE_MS = 3000;
/** A round trip that never leaves the machine (loopback, or the node's own kernel answering). */
const LOCAL_RTT_MS = 0.04;
/** Linux gives up a connect() with no answer after about 127 s (tcp_syn_retries = 6). */
export const CONNECT_TIMEOUT_MS = 127_000;

class Pending {
  timer: Timer | undefined = undefined;
  constructor(
    readonly cb: ReplyHandler<any>,
    readonly sentAt: number,
    readonly target: string,
  ) {}
}

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
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private port = 0;
  private unlisten: (() => void)[] = [];
  private closed = false;
  private readonly onMessage = (msg: Message): void => this.receive(msg);

  constructor(readonly host: NetHost) {}

  /** Calls in flight. */
  get inFlight(): number {
    return this.pending.size;
  }

  call<T>(target: Endpoint, body: unknown, bytes: number, cb: ReplyHandler<T>, timeoutMs = 0): void {
    if (this.closed) return;
    let to = target;
    const host = this.host;
    const m = host.machine;
    const sim = m.sim;
    if (this.port === 0) this.bind();
    const id = this.nextId++;
    const p = new Pending(cb, sim.now(), to.address);
    this.pending.set(id, p);
    let dest = sim.machineAt(to.address);
    if (dest === undefined) {
      // Not a machine's address: perhaps a virtual one (a service VIP) this node translates.
      const routed = routeVirtual(to, host);
      if (routed === "refused") {
        p.timer = m.after(LOCAL_RTT_MS, () => this.fail(id, "ECONNREFUSED"));
        return;
      }
      if (routed !== undefined) {
        to = routed;
        dest = sim.machineAt(to.address);
      }
      if (dest === undefined) {
        p.timer = m.after(HOST_UNREACHABLE_MS, () => this.fail(id, "EHOSTUNREACH"));
        return;
      }
    }
    const reachable = dest.isUp() && sim.net.canReach(m.name, dest.name);
    if (
      reachable &&
      dest.state === "running" &&
      !dest.isListening(to.port, to.address) &&
      !dest.isListening(to.port)
    ) {
      // The peer's kernel answers the SYN with a RST: one round trip.
      const rtt = dest === m ? LOCAL_RTT_MS : 2 * meanLatency(sim.net.link(m.name, dest.name).latency);
      p.timer = m.after(rtt, () => this.fail(id, "ECONNREFUSED"));
      return;
    }
    if (host.meter) host.meter.txBytes += bytes;
    m.send(to, new WireRequest(id, body, bytes), this.port, host.sourceAddress);
    if (timeoutMs > 0) p.timer = m.after(timeoutMs, () => this.fail(id, "ETIMEDOUT"));
    else if (!reachable) p.timer = m.after(CONNECT_TIMEOUT_MS, () => this.fail(id, "ETIMEDOUT"));
  }

  /** Stops the client: calls in flight are forgotten (their process is gone). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const u of this.unlisten) u();
    for (const p of this.pending.values()) p.timer?.cancel();
    this.pending.clear();
  }

  private bind(): void {
    const host = this.host;
    this.port = pickEphemeralPort(host);
    const m = host.machine;
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
    const p = this.pending.get(r.id);
    if (p === undefined) return;
    this.pending.delete(r.id);
    if (p.timer !== undefined) p.timer.cancel();
    const meter = this.host.meter;
    if (meter) meter.rxBytes += r.bytes;
    const latency = this.host.machine.sim.now() - p.sentAt;
    if (r.error !== undefined) p.cb(new NetError(r.error, p.target), undefined, latency);
    else p.cb(undefined, r.body, latency);
  }

  private fail(id: number, code: NetErrorCode): void {
    const p = this.pending.get(id);
    if (p === undefined || this.closed) return;
    this.pending.delete(id);
    p.cb(new NetError(code, p.target), undefined, this.host.machine.sim.now() - p.sentAt);
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
  constructor(
    readonly server: ExchangeServer,
    readonly msg: Message,
    readonly id: number,
    readonly body: unknown,
    /** Wire size of the request. */
    readonly bytes: number,
    readonly arrivedAt: number,
  ) {}

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
  private readonly active = new Set<Incoming>();
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
    return this.active.size;
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
    const inc = new Incoming(this, msg, req.id, req.body, req.bytes, this.host.machine.sim.now());
    if (this.active.size < this.limit) this.begin(inc);
    else this.queue.push(inc);
  }

  private begin(inc: Incoming): void {
    this.active.add(inc);
    if (this.active.size > this.maxInService) this.maxInService = this.active.size;
    inc.startedAt = this.host.machine.sim.now();
    this.handler(inc);
  }

  respond(inc: Incoming, body: unknown, bytes: number, error: NetErrorCode | undefined): void {
    if (inc.done) return;
    inc.done = true;
    this.active.delete(inc);
    const host = this.host;
    if (host.meter) host.meter.txBytes += bytes;
    host.machine.send(inc.msg.from, new WireReply(inc.id, body, bytes, error), this.port, inc.msg.to.address);
    if (error === undefined) this.served++;
    if (!this.closed) this.next();
  }

  private next(): void {
    while (this.head < this.queue.length && this.active.size < this.limit) {
      const inc = this.queue[this.head];
      this.queue[this.head++] = undefined as unknown as Incoming;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      this.begin(inc);
    }
  }

  /** Stops listening; every request in service or waiting gets a reset. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const u of this.unlisten) u();
    const pending = [...this.active, ...this.queue.slice(this.head)];
    this.queue = [];
    this.head = 0;
    for (const inc of pending) this.respond(inc, undefined, 0, "ECONNRESET");
  }
}
