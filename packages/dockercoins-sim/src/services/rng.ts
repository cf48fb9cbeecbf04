// rng: Flask's development server started as `flask run --without-threads`, so it handles one
// request at a time; every request, even `GET /` or httping's `HEAD /`, waits behind the ones
// already queued. `GET /<n>` sleeps 0.1 s and returns n bytes. The bytes come from the
// container's seeded stream (reproducible) unless the crypto source is chosen.
import { randomBytes } from "node:crypto";
import {
  type HeaderList,
  type HttpRequest,
  HttpResponse,
  type Incoming,
  type Program,
  type ProgramContext,
  type Random,
  type Signal,
  replyHttp,
  serveHttp,
} from "@swarm-sim/swarmkit-sim";
import {
  type CostModel,
  DEFAULT_COSTS,
  DEFAULT_TIMING,
  type DockerCoinsTiming,
  FOOTPRINTS,
  type RandomSource,
  drawCpu,
} from "../config";
import { AccessRecords, werkzeugLine } from "./access-log";

export interface RngOptions {
  timing?: Partial<DockerCoinsTiming>;
  costs?: Partial<CostModel>;
  randomSource?: RandomSource;
}

// Imported names the per-request path uses, bound once. Under tsx (CommonJS output) every use
// of an imported name is a chain of re-export getters (package index, engine index, module),
// which costs more per request than the work itself.
const ResponseClass = HttpResponse;
const reply = replyHttp;
const cpuFor = drawCpu;
const accessLine = werkzeugLine;

/** Werkzeug answers with HTTP/1.0 when it runs without threads, and closes the connection. */
const HEADERS: HeaderList = [
  ["Server", "Werkzeug/3.1.3 Python/3.13.1"],
  ["Date", "<date>"],
];
const HEADERS_CLOSE: HeaderList = [...HEADERS, ["Connection", "close"]];

const NOT_FOUND_HTML =
  "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n";
const NOT_ALLOWED_HTML =
  "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n";

export class RngProgram implements Program {
  // Python installs a SIGINT handler (KeyboardInterrupt), which Werkzeug's serve_forever
  // catches to shut down cleanly. Nothing handles SIGTERM: as PID 1 it is ignored.
  readonly handledSignals: readonly Signal[] = ["SIGINT"];
  private ctx!: ProgramContext;
  private readonly timing: DockerCoinsTiming;
  private readonly costs: CostModel;
  private readonly source: RandomSource;
  private index!: string;
  /** Draws processing times (its own stream, so the bytes do not depend on the cost model). */
  private cpu!: Random;
  private readonly records = new AccessRecords();

  constructor(opts: RngOptions = {}) {
    this.timing = { ...DEFAULT_TIMING, ...opts.timing };
    this.costs = { ...DEFAULT_COSTS, ...opts.costs };
    this.source = opts.randomSource ?? "seeded";
  }

  start(ctx: ProgramContext): void {
    this.ctx = ctx;
    this.cpu = ctx.random.fork("cpu");
    this.index = `RNG running on ${ctx.hostname}\n`;
    ctx.log(" * Serving Flask app 'rng'", "stdout");
    ctx.log(" * Debug mode: off", "stdout");
    ctx.log(
      "WARNING: This is a development server. Do not use it in a production deployment. Use a production WSGI server instead.",
      "stderr",
    );
    ctx.log(" * Running on all addresses (::)", "stderr");
    ctx.log(" * Running on http://[::1]:80", "stderr");
    ctx.log(` * Running on http://[::ffff:${ctx.address}]:80`, "stderr");
    ctx.log("Press CTRL+C to quit", "stderr");
    serveHttp(ctx, 80, { kind: "single" }, (req, inc) => this.handle(req, inc));
  }

  onSignal(sig: Signal): void {
    if (sig === "SIGINT") this.ctx.exit(0);
  }

  private handle(req: HttpRequest, inc: Incoming): void {
    const ctx = this.ctx;
    const cpu = cpuFor(this.costs.rngRequestCpu, this.cpu);
    ctx.chargeCpu(cpu);
    const head = req.method === "HEAD";
    let res: HttpResponse | undefined;
    let n = 0;
    if (req.method !== "GET" && !head) {
      res = new HttpResponse(405, NOT_ALLOWED_HTML, "text/html; charset=utf-8", "1.0", HEADERS_CLOSE);
    } else if (req.path === "/") {
      res = new HttpResponse(200, this.index, "text/html; charset=utf-8", "1.0", HEADERS_CLOSE, head);
    } else {
      n = parseCount(req.path);
      if (n < 0)
        res = new HttpResponse(404, NOT_FOUND_HTML, "text/html; charset=utf-8", "1.0", HEADERS_CLOSE, head);
    }
    // The server has no threads: the sleep and the processing hold the only slot, so later
    // requests queue behind them.
    const wait = (res ? 0 : this.timing.rngDelayMs) + cpu * 1000;
    if (res) {
      const r = res;
      if (wait > 0) ctx.after(wait, () => this.finish(req, inc, r));
      else this.finish(req, inc, r);
    } else if (wait > 0) ctx.after(wait, () => this.sendBytes(req, inc, n, head));
    else this.sendBytes(req, inc, n, head);
  }

  private sendBytes(req: HttpRequest, inc: Incoming, n: number, head: boolean): void {
    const bytes = this.source === "crypto" ? new Uint8Array(randomBytes(n)) : this.ctx.random.bytes(n);
    this.finish(
      req,
      inc,
      new ResponseClass(200, bytes, "application/octet-stream", "1.0", HEADERS_CLOSE, head),
    );
  }

  private finish(req: HttpRequest, inc: Incoming, res: HttpResponse): void {
    reply(inc, res);
    const rec = this.records.get(inc.clientAddress, req.method, req.path, req.version, res.status, 0, true);
    this.ctx.logLazy(accessLine, rec, "stderr");
  }
}

/** The last path parsed and its count: the worker asks for "/32" every time. */
let lastPath = "";
let lastCount = -1;

/** "/32" -> 32 (Flask's <int:how_many_bytes> converter: digits only); -1 if it does not match. */
function parseCount(path: string): number {
  if (path === lastPath) return lastCount;
  const n = parseCountUncached(path);
  lastPath = path;
  lastCount = n;
  return n;
}

function parseCountUncached(path: string): number {
  const s = path.slice(1);
  if (s.length === 0 || s.length > 9) return -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
  }
  return Number(s);
}

export const RNG_FOOTPRINT = FOOTPRINTS.rng;
