// httping (the bretfisher/httping image) as a program: HEAD requests (GET with -G) to a URL,
// one per interval, each printed as httping prints it, then its statistics. With
// `--network host` it runs on the machine's own stack, so `localhost:8001` goes through the
// published port to rng's single request queue. Output lines follow httping 2.x:
//   PING localhost:8001 (/):
//   connected to 127.0.0.1:8001 (151 bytes), seq=0 time=  0.93 ms
//   --- http://localhost:8001/ ping statistics ---
//   5 connects, 5 ok, 0.00% failed, time 5004ms
//   round-trip min/avg/max = 0.6/1.0/1.5 ms
import {
  HttpRequest,
  type HttpResponse,
  type NetError,
  type Program,
  type ProgramContext,
  STATUS_TEXT,
  responseHeadBytes,
  splitHostPort,
} from "@swarm-sim/swarmkit-sim";

export const HTTPING_IMAGE = "bretfisher/httping";

export interface HttpingArgs {
  count: number;
  intervalSec: number;
  timeoutSec: number;
  get: boolean;
  showStatus: boolean;
  host: string;
  port: number;
  path: string;
  url: string;
}

/** Parses httping's options (the subset the lecture and common use need). */
export function parseHttpingArgs(argv: readonly string[]): HttpingArgs {
  const a: Partial<HttpingArgs> & {
    count: number;
    intervalSec: number;
    timeoutSec: number;
    get: boolean;
    showStatus: boolean;
  } = { count: -1, intervalSec: 1, timeoutSec: 30, get: false, showStatus: false };
  let target: string | undefined;
  let hostOpt: string | undefined;
  let portOpt: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`option requires an argument -- '${x.replace(/^-+/, "")}'`);
      return v;
    };
    if (x === "-c" || x === "--count") a.count = Number.parseInt(val(), 10);
    else if (x === "-i" || x === "--interval") a.intervalSec = Number(val());
    else if (x === "-t" || x === "--timeout") a.timeoutSec = Number(val());
    else if (x === "-G" || x === "--get-request") a.get = true;
    else if (x === "-s" || x === "--show-statuscodes") a.showStatus = true;
    else if (x === "-g" || x === "--url") target = val();
    else if (x === "-h" || x === "--hostname") hostOpt = val();
    else if (x === "-p" || x === "--port") portOpt = Number(val());
    else if (x.startsWith("-")) throw new Error(`invalid option -- '${x.replace(/^-+/, "")}'`);
    else target = x;
  }
  if (target === undefined && hostOpt !== undefined) target = `${hostOpt}${portOpt ? `:${portOpt}` : ""}`;
  if (target === undefined) throw new Error("No URL/host to ping given");
  // Completed as httping does: http:// in front, a slash when no path is given.
  let url = target;
  if (!/^https?:\/\//i.test(url)) url = url.includes("/") ? `http://${url}` : `http://${url}/`;
  else if (!url.slice(8).includes("/")) url += "/";
  const rest = url.replace(/^https?:\/\//i, "");
  const slash = rest.indexOf("/");
  const hostPort = rest.slice(0, slash);
  const path = rest.slice(slash);
  const split = splitHostPort(hostPort);
  const host = split ? split.host : hostPort;
  const port = split ? Number(split.port) : (portOpt ?? 80);
  return { ...a, host, port, path, url } as HttpingArgs;
}

function fmtTime(ms: number): string {
  return ms.toFixed(2).padStart(6);
}

export class HttpingProgram implements Program {
  private ctx!: ProgramContext;
  private args!: HttpingArgs;
  private seq = 0;
  private ok = 0;
  private err = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = 0;
  private sum = 0;
  private startedAt = 0;
  private address = "";
  private shownAddress = "";

  constructor(private readonly argv: readonly string[]) {}

  start(ctx: ProgramContext): void {
    this.ctx = ctx;
    try {
      this.args = parseHttpingArgs(this.argv);
    } catch (e) {
      ctx.log((e as Error).message, "stderr");
      ctx.exit(1);
      return;
    }
    const a = this.args;
    const address = ctx.resolve(a.host);
    if (address === undefined) {
      ctx.log(`No valid IPv4 or IPv6 address found for ${a.host}`);
      ctx.exit(127);
      return;
    }
    this.address = address;
    this.shownAddress = a.host === "localhost" ? "127.0.0.1" : address;
    ctx.log(`PING ${a.host}:${a.port} (${a.path}):`);
    this.startedAt = ctx.now();
    this.ping();
  }

  private ping(): void {
    const a = this.args;
    const ctx = this.ctx;
    const req = new HttpRequest(
      a.get ? "GET" : "HEAD",
      a.path,
      undefined,
      undefined,
      a.port === 80 ? a.host : `${a.host}:${a.port}`,
      "1.0",
      [["User-Agent", "HTTPing v2.9"]],
    );
    const seq = this.seq++;
    ctx.exchange.call<HttpResponse>(
      { address: this.address, port: a.port },
      req,
      120,
      (err, res, latency) => this.answered(seq, err, res, latency),
      a.timeoutSec * 1000,
    );
  }

  private answered(
    seq: number,
    err: NetError | undefined,
    res: HttpResponse | undefined,
    latency: number,
  ): void {
    const a = this.args;
    const ctx = this.ctx;
    if (err || !res) {
      this.err++;
      ctx.log(
        err?.code === "ECONNREFUSED"
          ? `could not connect (${err.message})`
          : err?.code === "ETIMEDOUT"
            ? "timeout while receiving reply-headers from host"
            : "connection prematurely closed by peer",
      );
    } else {
      this.ok++;
      this.min = Math.min(this.min, latency);
      this.max = Math.max(this.max, latency);
      this.sum += latency;
      const status = a.showStatus ? `${res.status} ${STATUS_TEXT[res.status] ?? ""}` : "";
      ctx.log(
        `connected to ${this.shownAddress}:${a.port} (${responseHeadBytes(res, ctx.wallNow())} bytes), seq=${seq} time=${fmtTime(latency)} ms ${status}`,
      );
    }
    // httping sleeps its interval after every ping, the last one included.
    ctx.after(a.intervalSec * 1000, () => {
      if (a.count < 0 || this.seq < a.count) this.ping();
      else this.finish();
    });
  }

  private finish(): void {
    const a = this.args;
    const ctx = this.ctx;
    const n = this.seq;
    ctx.log(`--- ${a.url} ping statistics ---`);
    ctx.log(
      `${n} connects, ${this.ok} ok, ${((this.err / Math.max(1, a.count < 0 ? n : a.count)) * 100).toFixed(2)}% failed, time ${Math.round(ctx.now() - this.startedAt)}ms`,
    );
    if (this.ok > 0) {
      ctx.log(
        `round-trip min/avg/max = ${this.min.toFixed(1)}/${(this.sum / this.ok).toFixed(1)}/${this.max.toFixed(1)} ms`,
      );
    }
    ctx.exit(this.ok > 0 ? 0 : 127);
  }
}

/** Statistics parsed back from httping's output (for tests and experiments). */
export function parseHttpingOutput(lines: readonly string[]): {
  times: number[];
  min: number;
  avg: number;
  max: number;
} {
  const times = lines
    .map((l) => /time=\s*([\d.]+) ms/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
  const rt = lines
    .map((l) => /round-trip min\/avg\/max = ([\d.]+)\/([\d.]+)\/([\d.]+) ms/.exec(l))
    .find((m) => m);
  return {
    times,
    min: rt ? Number(rt[1]) : Number.NaN,
    avg: rt ? Number(rt[2]) : Number.NaN,
    max: rt ? Number(rt[3]) : Number.NaN,
  };
}
