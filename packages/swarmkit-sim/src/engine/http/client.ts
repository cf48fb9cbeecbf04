// An HTTP client for programs: resolves the host name through the container's DNS for every
// request (as a client that opens a new connection per request does), then makes one
// exchange. Latency is measured by the client, from sending to the last byte of the answer.
import type { Endpoint } from "../../kernel/addresses";
import type { ExchangeClient } from "../net/exchange";
import { NetError } from "../net/errors";
import { type HttpBody, HttpRequest, type HttpResponse, requestBytes } from "./message";

export type HttpCallback = (
  err: NetError | undefined,
  res: HttpResponse | undefined,
  latencyMs: number,
) => void;

/** Resolves a host name to one address (the first of the DNS answer), or undefined. */
export type HostResolver = (host: string) => string | undefined;

// Bound once: under tsx (CommonJS output) each use of an imported function is a getter call.
const wireSize = requestBytes;

/** The embedded DNS answers from inside the engine: a lookup costs well under a millisecond. */
const DNS_FAILURE_MS = 0.05;

export interface HttpTarget {
  host: string;
  port: number;
}

export class HttpClient {
  /**
   * The two endpoints used last: a client mostly alternates between a couple of servers, and
   * the kernel only reads a message's destination, so one object serves every request (and
   * remembers the way to its machine and listener: Sim.endpointAt).
   */
  private recent: Endpoint | undefined = undefined;
  private older: Endpoint | undefined = undefined;

  constructor(
    readonly exchange: ExchangeClient,
    private readonly resolve: HostResolver,
  ) {}

  request(target: HttpTarget, req: HttpRequest, cb: HttpCallback, timeoutMs = 0): void {
    const address = this.resolve(target.host);
    if (address === undefined) {
      const m = this.exchange.host.machine;
      const t0 = m.sim.now();
      m.after(DNS_FAILURE_MS, () => cb(new NetError("ENOTFOUND", target.host), undefined, m.sim.now() - t0));
      return;
    }
    this.exchange.call<HttpResponse>(this.endpoint(address, target.port), req, wireSize(req), cb, timeoutMs);
  }

  private endpoint(address: string, port: number): Endpoint {
    const sim = this.exchange.host.machine.sim;
    // Made again once addresses have changed hands (an old record still works, the slow way).
    if (this.generation !== sim.addressGeneration) {
      this.generation = sim.addressGeneration;
      this.recent = this.older = undefined;
    }
    const a = this.recent;
    if (a !== undefined && a.address === address && a.port === port) return a;
    const b = this.older;
    if (b !== undefined && b.address === address && b.port === port) {
      this.older = a;
      this.recent = b;
      return b;
    }
    const e = sim.endpointAt(address, port);
    this.older = a;
    this.recent = e;
    return e;
  }

  /** The Sim's address generation the two endpoints were made at. */
  private generation = -1;

  get(target: HttpTarget, path: string, cb: HttpCallback, timeoutMs = 0): void {
    this.request(
      target,
      new HttpRequest("GET", path, undefined, undefined, hostHeader(target)),
      cb,
      timeoutMs,
    );
  }

  head(target: HttpTarget, path: string, cb: HttpCallback, timeoutMs = 0): void {
    this.request(
      target,
      new HttpRequest("HEAD", path, undefined, undefined, hostHeader(target)),
      cb,
      timeoutMs,
    );
  }

  post(
    target: HttpTarget,
    path: string,
    body: HttpBody,
    contentType: string,
    cb: HttpCallback,
    timeoutMs = 0,
  ): void {
    this.request(target, new HttpRequest("POST", path, body, contentType, hostHeader(target)), cb, timeoutMs);
  }
}

export function hostHeader(t: HttpTarget): string {
  return t.port === 80 ? t.host : `${t.host}:${t.port}`;
}

/** True for dotted IPv4 literals (they need no DNS). */
export function isIPv4Literal(host: string): boolean {
  // Names are looked up for every request: most start with a letter, which settles it.
  const c = host.charCodeAt(0);
  if (!(c >= 48 && c <= 57)) return false;
  return /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
