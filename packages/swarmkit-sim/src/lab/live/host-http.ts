// HTTP from the real host into the simulation: a request a real browser or curl sent to one of
// node1's published ports (real-ports.ts) goes on as simulated HTTP from node1's own host
// network to that port on node1's address, so it meets what the simulated node1 has there:
// compose's docker-proxy, or the routing mesh. The answer comes back when the simulation
// produces it (the live loop runs the clock meanwhile). A replay sends the same requests at
// the same simulated times and drops the answers.
import type { NetError } from "../../engine/net/errors";
import { ExchangeClient } from "../../engine/net/exchange";
import { HttpRequest, type HttpResponse, requestBytes } from "../../engine/http/message";
import type { LabNode } from "../node";
import { engineOf } from "../world";
import type { SessionHttp } from "./session-file";

/** How long the simulated client waits for an answer (simulated ms), as a browser gives up. */
export const HOST_HTTP_TIMEOUT_MS = 60_000;

export type HostHttpCallback = (err: NetError | undefined, res: HttpResponse | undefined) => void;

export class HostHttp {
  /** Made at the first request (the same moment in a session and in its replay). */
  private client: ExchangeClient | undefined;

  constructor(private readonly node1: LabNode) {}

  send(req: SessionHttp, done: HostHttpCallback): void {
    const engine = engineOf(this.node1);
    if (!engine) {
      done(undefined, undefined);
      return;
    }
    this.client ??= new ExchangeClient(engine.hostNet());
    const body = req.body === undefined ? undefined : new Uint8Array(Buffer.from(req.body, "base64"));
    const http = new HttpRequest(req.method, req.path, body, req.contentType, req.host);
    const to = { address: this.node1.machine.address, port: req.port };
    this.client.call<HttpResponse>(
      to,
      http,
      requestBytes(http),
      (err, res) => done(err, res),
      HOST_HTTP_TIMEOUT_MS,
    );
  }
}
