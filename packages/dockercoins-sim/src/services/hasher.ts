// hasher: Sinatra 3 served by thin in threaded mode: requests run on EventMachine's pool of
// 20 threads, so up to 20 are handled at once. `POST /` sleeps 0.1 s and returns the
// lowercase hex SHA-256 of the posted bytes, computed for real with node:crypto.
import { hash } from "node:crypto";
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
  drawCpu,
} from "../config";
import { type AccessRecord, AccessRecords, rackRender, rackTicks } from "./access-log";

export interface HasherOptions {
  timing?: Partial<DockerCoinsTiming>;
  costs?: Partial<CostModel>;
}

// Imported names the per-request path uses, bound once. Under tsx (CommonJS output) every use
// of an imported name is a chain of re-export getters (package index, engine index, module),
// which costs more per request than the work itself.
const ResponseClass = HttpResponse;
const reply = replyHttp;
const cpuFor = drawCpu;
const rackRenderer = rackRender;
const ticks = rackTicks;

/** EventMachine's default thread pool size. */
export const THIN_POOL_SIZE = 20;

const HEADERS: HeaderList = [
  ["X-Xss-Protection", "1; mode=block"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "SAMEORIGIN"],
  ["Connection", "close"],
  ["Server", "thin"],
];

/**
 * SHA-256 of `data` as lowercase hex (Digest::SHA2.new.update(body).to_s). The one-shot
 * crypto.hash hashes the bytes in place with no Hash object per call: about three times
 * cheaper than createHash().update().digest() for a 32-byte body.
 */
export function sha256Hex(data: Uint8Array | string): string {
  return hash("sha256", data, "hex");
}

function stamp(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export class HasherProgram implements Program {
  // Sinatra and thin trap INT, TERM and QUIT and stop the server at once.
  readonly handledSignals: readonly Signal[] = ["SIGTERM", "SIGINT", "SIGQUIT"];
  private ctx!: ProgramContext;
  private readonly timing: DockerCoinsTiming;
  private readonly costs: CostModel;
  private index!: string;
  private poolStarted = false;
  private cpu!: Random;
  private readonly records = new AccessRecords();
  /** The last record logged and its renderer (rackRender looks it up in a WeakMap). */
  private lastRecord: AccessRecord | undefined = undefined;
  private lastRender: ((epochMs: number, ticks: number) => string) | undefined = undefined;

  constructor(opts: HasherOptions = {}) {
    this.timing = { ...DEFAULT_TIMING, ...opts.timing };
    this.costs = { ...DEFAULT_COSTS, ...opts.costs };
  }

  start(ctx: ProgramContext): void {
    this.ctx = ctx;
    this.cpu = ctx.random.fork("cpu");
    this.index = `HASHER running on ${ctx.hostname}\n`;
    const now = stamp(ctx.wallNow());
    ctx.log("== Sinatra (v3.2.0) has taken the stage on 80 for development with backup from Thin", "stderr");
    ctx.log(`${now} Thin web server (v1.8.2 codename Ruby Razor)`, "stderr");
    ctx.log(`${now} Maximum connections set to 1024`, "stderr");
    ctx.log(`${now} Listening on 0.0.0.0:80, CTRL+C to stop`, "stderr");
    serveHttp(ctx, 80, { kind: "pool", size: THIN_POOL_SIZE }, (req, inc) => this.handle(req, inc));
  }

  onSignal(_sig: Signal): void {
    const ctx = this.ctx;
    ctx.log(`${stamp(ctx.wallNow())} Stopping ...`, "stderr");
    ctx.log("== Sinatra has ended his set (crowd applauds)", "stderr");
    ctx.exit(0);
  }

  private handle(req: HttpRequest, inc: Incoming): void {
    const ctx = this.ctx;
    const cpu = cpuFor(this.costs.hasherRequestCpu, this.cpu);
    ctx.chargeCpu(cpu);
    if (!this.poolStarted) {
      // EventMachine spawns its whole pool on the first deferred request.
      this.poolStarted = true;
      ctx.setPids(FOOTPRINTS.hasher.pids + THIN_POOL_SIZE);
    }
    // A pool thread is busy for the sleep plus the processing.
    if (req.method === "POST" && req.path === "/") {
      const wait = this.timing.hasherDelayMs + cpu * 1000;
      if (wait > 0) ctx.after(wait, () => this.sendHash(req, inc));
      else this.sendHash(req, inc);
      return;
    }
    const head = req.method === "HEAD";
    const res =
      (req.method === "GET" || head) && req.path === "/"
        ? new HttpResponse(200, this.index, "text/html;charset=utf-8", "1.1", HEADERS, head)
        : new HttpResponse(404, "<h1>Not Found</h1>", "text/html;charset=utf-8", "1.1", HEADERS, head);
    if (cpu > 0) ctx.after(cpu * 1000, () => this.finish(req, inc, res));
    else this.finish(req, inc, res);
  }

  private sendHash(req: HttpRequest, inc: Incoming): void {
    const body = req.body ?? "";
    this.finish(
      req,
      inc,
      new ResponseClass(200, sha256Hex(body), "text/plain;charset=utf-8", "1.1", HEADERS),
    );
  }

  private finish(req: HttpRequest, inc: Incoming, res: HttpResponse): void {
    reply(inc, res);
    const bytes = res.headOnly ? 0 : res.body.length;
    const rec = this.records.get(
      inc.clientAddress,
      req.method,
      req.path,
      req.version,
      res.status,
      bytes,
      false,
    );
    let render = this.lastRender;
    if (rec !== this.lastRecord || render === undefined) {
      render = rackRenderer(rec);
      this.lastRecord = rec;
      this.lastRender = render;
    }
    this.ctx.logLazy(render, ticks((this.ctx.now() - inc.startedAt) / 1000), "stderr");
  }
}
