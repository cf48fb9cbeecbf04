// Small programs for the engine's tests: a sleeper with a chosen signal disposition, an HTTP
// echo server with a chosen concurrency model and service time, and a client that records
// what it gets back.
import {
  type Concurrency,
  Engine,
  HttpResponse,
  ImageRegistry,
  type Program,
  type ProgramContext,
  type Signal,
  Sim,
  replyHttp,
  serveHttp,
} from "../../src/index";

export interface SleeperOptions {
  handles?: readonly Signal[];
  /** ms the program takes to exit after a handled signal. */
  exitDelayMs?: number;
  exitCode?: number;
}

export class Sleeper implements Program {
  readonly handledSignals: readonly Signal[];
  ctx!: ProgramContext;
  ticks = 0;
  received: Signal[] = [];
  constructor(private readonly opts: SleeperOptions = {}) {
    this.handledSignals = opts.handles ?? [];
  }
  start(ctx: ProgramContext): void {
    this.ctx = ctx;
    ctx.log("sleeper started");
    const tick = () => {
      this.ticks++;
      ctx.after(100, tick);
    };
    ctx.after(100, tick);
  }
  onSignal(sig: Signal): void {
    this.received.push(sig);
    this.ctx.log(`got ${sig}`);
    const delay = this.opts.exitDelayMs ?? 0;
    if (delay > 0) this.ctx.after(delay, () => this.ctx.exit(this.opts.exitCode ?? 0));
    else this.ctx.exit(this.opts.exitCode ?? 0);
  }
}

/** Answers every request with "<hostname> <path>" after `serviceMs`. */
export class EchoServer implements Program {
  ctx!: ProgramContext;
  constructor(
    private readonly concurrency: Concurrency = { kind: "eventLoop" },
    private readonly serviceMs = 10,
  ) {}
  start(ctx: ProgramContext): void {
    this.ctx = ctx;
    serveHttp(ctx, 80, this.concurrency, (req, inc) => {
      const res = new HttpResponse(200, `${ctx.hostname} ${req.path}`, "text/plain");
      if (this.serviceMs > 0) ctx.after(this.serviceMs, () => replyHttp(inc, res));
      else replyHttp(inc, res);
    });
  }
}

export interface TestWorld {
  sim: Sim;
  engine: Engine;
  images: ImageRegistry;
  /** Programs created, by image name, in order. */
  programs: Map<string, Program[]>;
}

export function world(seed: number | string = 1, machine = "node1"): TestWorld {
  const sim = new Sim({ seed });
  const m = sim.addMachine(machine);
  const images = new ImageRegistry();
  const programs = new Map<string, Program[]>();
  const track = <P extends Program>(name: string, p: P): P => {
    const list = programs.get(name) ?? [];
    list.push(p);
    programs.set(name, list);
    return p;
  };
  images.register({
    name: "sleeper",
    command: ["sleep", "infinity"],
    create: () => track("sleeper", new Sleeper()),
  });
  images.register({
    name: "graceful",
    command: ["graceful"],
    create: () => track("graceful", new Sleeper({ handles: ["SIGTERM", "SIGINT"], exitDelayMs: 50 })),
  });
  images.register({
    name: "echo",
    command: ["echo-server"],
    exposedPorts: [80],
    create: () => track("echo", new EchoServer()),
  });
  images.register({
    name: "echo-single",
    command: ["echo-server", "--single"],
    create: () => track("echo-single", new EchoServer({ kind: "single" }, 100)),
  });
  const engine = Engine.attach(m, { images });
  return { sim, engine, images, programs };
}
