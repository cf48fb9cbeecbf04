// An HTTP server for programs: the exchange server with HTTP bodies, and the reply helper
// that counts wire bytes. The concurrency model is the server software's: a single
// request queue, a thread pool, or an event loop.
import type { Concurrency, ExchangeServer, Incoming } from "../net/exchange";
import { type HttpRequest, type HttpResponse, responseBytes } from "./message";

// Bound once: under tsx (CommonJS output) each use of an imported function is a getter call.
const wireSize = responseBytes;

export type HttpHandler = (req: HttpRequest, inc: Incoming) => void;

/** Sends `res` as the answer to `inc`. */
export function replyHttp(inc: Incoming, res: HttpResponse): void {
  inc.reply(res, wireSize(res));
}

/** What a program needs to open a server (the container's context provides it). */
export interface ServerHost {
  serve(port: number, concurrency: Concurrency, handler: (inc: Incoming) => void): ExchangeServer;
}

export function serveHttp(
  host: ServerHost,
  port: number,
  concurrency: Concurrency,
  handler: HttpHandler,
): ExchangeServer {
  return host.serve(port, concurrency, (inc) => handler(inc.body as HttpRequest, inc));
}
