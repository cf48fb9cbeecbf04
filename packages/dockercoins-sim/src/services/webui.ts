// webui: Node.js with express and morgan('common'), one event loop (requests interleave while
// they wait for redis). `GET /` redirects to /index.html; `GET /json` asks redis for
// HLEN wallet and GET hashes and answers {"coins": ..., "hashes": ..., "now": seconds}, where
// hashes is the string redis returned (or null before the first report); static files come
// from /files (src/webui-files: the page, its scripts, its style).
import {
  type HeaderList,
  type HttpRequest,
  HttpResponse,
  type Incoming,
  type Program,
  type ProgramContext,
  type Signal,
  replyHttp,
  serveHttp,
} from "@swarm-sim/swarmkit-sim";
import { type CostModel, DEFAULT_COSTS } from "../config";
import { AccessRecord, morganCommonLine } from "./access-log";
import { RedisClient } from "./redis-client";
import { webuiFiles } from "../webui-files";

export interface WebuiOptions {
  costs?: Partial<CostModel>;
}

const HEADERS: HeaderList = [
  ["X-Powered-By", "Express"],
  ["Date", "<date>"],
  ["Connection", "keep-alive"],
  ["Keep-Alive", "timeout=5"],
];

/** The body of GET /json, as express's res.json writes it. */
export function jsonBody(coins: number, hashes: string | null, nowSeconds: number): string {
  return JSON.stringify({ coins, hashes, now: nowSeconds });
}

export class WebuiProgram implements Program {
  // Node installs no SIGTERM or SIGINT handler, and as PID 1 both are ignored.
  readonly handledSignals: readonly Signal[] = [];
  private ctx!: ProgramContext;
  private redis!: RedisClient;
  private readonly costs: CostModel;

  constructor(opts: WebuiOptions = {}) {
    this.costs = { ...DEFAULT_COSTS, ...opts.costs };
  }

  start(ctx: ProgramContext): void {
    this.ctx = ctx;
    this.redis = new RedisClient(ctx, "redis", 6379, this.costs.redisClientCpu);
    serveHttp(ctx, 80, { kind: "eventLoop" }, (req, inc) => this.handle(req, inc));
    ctx.log("WEBUI running on port 80");
  }

  private handle(req: HttpRequest, inc: Incoming): void {
    const ctx = this.ctx;
    ctx.chargeCpu(this.costs.webuiRequestCpu);
    const head = req.method === "HEAD";
    const path = req.path.split("?")[0];
    if (req.method !== "GET" && !head) {
      this.finish(req, inc, notFound(req.method, path));
      return;
    }
    if (path === "/") {
      this.finish(
        req,
        inc,
        new HttpResponse(
          302,
          "Found. Redirecting to /index.html",
          "text/plain; charset=utf-8",
          "1.1",
          [...HEADERS, ["Location", "/index.html"], ["Vary", "Accept"]],
          head,
        ),
      );
      return;
    }
    if (path === "/json") {
      this.json(req, inc);
      return;
    }
    // express.static on /files: the page, its scripts, its style.
    const file = webuiFiles().get(path.slice(1));
    if (file) {
      this.finish(req, inc, new HttpResponse(200, file.body, file.contentType, "1.1", HEADERS, head));
      return;
    }
    this.finish(req, inc, notFound(req.method, path));
  }

  private json(req: HttpRequest, inc: Incoming): void {
    const ctx = this.ctx;
    this.redis.command(["HLEN", "wallet"], (err, coins) => {
      if (err) {
        this.finish(req, inc, serverError());
        return;
      }
      this.redis.command(["GET", "hashes"], (err2, hashes) => {
        if (err2) {
          this.finish(req, inc, serverError());
          return;
        }
        const body = jsonBody(coins as number, hashes === null ? null : String(hashes), ctx.wallNow() / 1000);
        this.finish(req, inc, new HttpResponse(200, body, "application/json; charset=utf-8", "1.1", HEADERS));
      });
    });
  }

  private finish(req: HttpRequest, inc: Incoming, res: HttpResponse): void {
    replyHttp(inc, res);
    const bytes = typeof res.body === "string" ? Buffer.byteLength(res.body) : res.body.length;
    const rec = new AccessRecord(
      inc.clientAddress,
      req.method,
      req.path,
      req.version,
      res.status,
      bytes,
      0,
      true,
    );
    this.ctx.logLazy(morganCommonLine, rec, "stdout");
  }
}

function notFound(method: string, path: string): HttpResponse {
  const body = `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${method} ${path}</pre>\n</body>\n</html>\n`;
  return new HttpResponse(404, body, "text/html; charset=utf-8", "1.1", HEADERS);
}

function serverError(): HttpResponse {
  return new HttpResponse(500, "Internal Server Error", "text/plain; charset=utf-8", "1.1", HEADERS);
}
