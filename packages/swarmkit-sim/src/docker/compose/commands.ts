// `docker compose up|ps|port|logs|stop|start|restart|down|scale` (and `docker-compose ...`) on
// the project of the directory the command runs in (projects.ts). `up` without -d stays
// attached, as on a terminal: it shows the aggregated logs as they come until Ctrl-C, which
// stops the application (compose's graceful stop; a second Ctrl-C kills). `logs --follow` stays
// attached until Ctrl-C too. What a host does with an attached command when it cannot stay (a
// transcript) is the host's policy, not these handlers'.
import type { ParsedCommand } from "../../cli/grammar/types";
import { attached, INTERRUPTED_STATUS, Interrupt, type Job } from "../../cli/job";
import type { Engine } from "../../engine/engine";
import type { DockerIO } from "../io";
import type { LogFollow } from "./logs";
import { type ComposeProject, ComposeCommandError } from "./project";
import type { ComposeProjects, ComposeWorkdir } from "./projects";

/** What the compose commands reach: the daemon's engine, where they run, what builds produce. */
export interface ComposeContext extends ComposeWorkdir {
  readonly engine: Engine | undefined;
  /** Build context (`build: rng`) -> the image building it produces. */
  readonly builds: ReadonlyMap<string, string>;
  /** The projects known so far (one per engine and name). */
  readonly projects: ComposeProjects;
}

export type ComposeHandler = (cmd: ParsedCommand, io: DockerIO, ctx: ComposeContext) => Job<number>;

const NO_PROJECT = "no configuration file provided: not found\n";

function lines(io: DockerIO, text: readonly string[]): void {
  if (text.length > 0) io.out(`${text.join("\n")}\n`);
}

/** `--scale worker=10` (repeatable): {worker: 10}; a bad value throws compose's message. */
export function parseScaleFlags(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) {
    const eq = v.indexOf("=");
    const n = Number(v.slice(eq + 1));
    if (eq <= 0 || !/^\d+$/.test(v.slice(eq + 1)))
      throw new Error(`invalid --scale option ${JSON.stringify(v)}. Should be SERVICE=NUM`);
    out[v.slice(0, eq)] = n;
  }
  return out;
}

function stringList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === "string" && v !== "") return [v];
  return [];
}

function timeout(cmd: ParsedCommand): number | undefined {
  return cmd.changed.has("timeout") ? Number(cmd.flags.timeout) : undefined;
}

function services(cmd: ParsedCommand): string[] | undefined {
  return cmd.args.length > 0 ? cmd.args : undefined;
}

/** compose-go's check when it loads the project for named services: each one must be in it. */
function checkServices(p: ComposeProject, names: readonly string[] | undefined): void {
  for (const s of names ?? []) if (!p.serviceNames.includes(s)) throw new Error(`no such service: ${s}`);
}

/** A handler on the command's project; compose's errors (no file, a bad file) as it prints them. */
function withProject(
  fn: (p: ComposeProject, cmd: ParsedCommand, io: DockerIO) => Job<number> | number,
): ComposeHandler {
  return function* (cmd, io, ctx) {
    try {
      const p = ctx.projects.find(ctx, ctx.engine, cmd.globals, io.env ?? {}, ctx.builds);
      if (!p) {
        io.err(NO_PROJECT);
        return 1;
      }
      const r = fn(p, cmd, io);
      return typeof r === "number" ? r : yield* r;
    } catch (e) {
      if (e instanceof Interrupt) throw e;
      if (e instanceof ComposeCommandError) lines(io, e.output);
      io.err(`${(e as Error).message}\n`);
      return 1;
    }
  };
}

/** Shows a log stream as it comes, until the stream ends (down) or Ctrl-C. */
function* follow(io: DockerIO, stream: LogFollow, label: string, holdsApplication: boolean): Job<void> {
  for (;;) {
    lines(io, stream.read());
    if (stream.isClosed) return;
    yield* attached(() => stream.hasUnread || stream.isClosed, label, holdsApplication);
  }
}

export const composeUp = withProject(function* (p, cmd, io) {
  try {
    const res = yield* p.up({
      detach: cmd.flags.detach === true,
      scale: parseScaleFlags(stringList(cmd.flags.scale)),
      timeoutSec: timeout(cmd),
      services: services(cmd),
      colour: io.stdoutIsTerminal === true && cmd.flags["no-color"] !== true,
    });
    lines(io, res.output.slice(0, res.error ? -1 : undefined));
    if (res.error) {
      io.err(`${res.error}\n`);
      return 1;
    }
    if (res.attached) yield* follow(io, res.attached, "docker compose up", true);
    return 0;
  } catch (e) {
    if (!(e instanceof Interrupt)) throw e;
    // Ctrl-C: compose stops the application (a second Ctrl-C, while it stops, kills).
    // On a terminal compose shows the stop as it goes; otherwise its output comes at the end.
    lines(io, yield* p.interrupt(io.stdoutIsTerminal ? (line) => io.out(`${line}\n`) : undefined));
    return INTERRUPTED_STATUS;
  }
});

/** `--filter KEY=VAL`: compose knows only status=... */
function psStatusFilter(filter: string): string[] {
  if (filter === "") return [];
  const eq = filter.indexOf("=");
  if (eq < 0) throw new Error("arguments to --filter should be in form KEY=VAL");
  const key = filter.slice(0, eq);
  if (key === "status") return [filter.slice(eq + 1)];
  if (key === "source") throw new Error("not implemented");
  throw new Error(`unknown filter ${key}`);
}

export const composePs = withProject((p, cmd, io) => {
  io.out(
    p.ps({
      all: cmd.flags.all === true,
      services: services(cmd),
      quiet: cmd.flags.quiet === true,
      servicesOnly: cmd.flags.services === true,
      status: [...stringList(cmd.flags.status), ...psStatusFilter(String(cmd.flags.filter ?? ""))],
      format: String(cmd.flags.format ?? ""),
      noTrunc: cmd.flags["no-trunc"] === true,
    }),
  );
  return 0;
});

/** `docker compose port SERVICE PRIVATE_PORT`: the host address of a service's published port. */
export const composePort = withProject((p, cmd, io) => {
  const [service, port] = cmd.args;
  const proto = String(cmd.flags.protocol ?? "tcp");
  const index = cmd.changed.has("index") ? Number(cmd.flags.index) : 1;
  if (!p.serviceNames.includes(service)) {
    io.err(`no such service: ${service}\n`);
    return 1;
  }
  const c = p.containers({ service }).find((x) => p.numberOf(x) === index);
  if (!c) {
    io.err(`service "${service}" is not running container #${index}\n`);
    return 1;
  }
  const b = p.engine.publishedPorts(c).find((x) => x.containerPort === Number(port) && x.protocol === proto);
  if (!b) {
    io.err(`no port ${port}/${proto} for container ${c.name}: \n`);
    return 1;
  }
  io.out(`${b.hostIp}:${b.hostPort}\n`);
  return 0;
});

export const composeLogs = withProject(function* (p, cmd, io) {
  checkServices(p, services(cmd));
  const tailText = String(cmd.flags.tail ?? "all");
  const tail = tailText === "all" ? "all" : Number(tailText);
  const res = p.logs({
    services: services(cmd),
    tail: Number.isNaN(tail) ? "all" : tail,
    follow: cmd.flags.follow === true,
    timestamps: cmd.flags.timestamps === true,
    noLogPrefix: cmd.flags["no-log-prefix"] === true,
    colour: io.stdoutIsTerminal === true && cmd.flags["no-color"] !== true,
  });
  lines(io, res.lines);
  if (!res.follow) return 0;
  try {
    yield* follow(io, res.follow, "docker compose logs --follow", false);
  } catch (e) {
    if (!(e instanceof Interrupt)) throw e;
  } finally {
    res.follow.close();
  }
  return 0;
});

export const composeStop = withProject(function* (p, cmd, io) {
  checkServices(p, services(cmd));
  lines(io, yield* p.stop({ timeoutSec: timeout(cmd), services: services(cmd) }));
  return 0;
});

export const composeStart = withProject(function* (p, cmd, io) {
  lines(io, yield* p.start({ services: services(cmd) }));
  return 0;
});

export const composeRestart = withProject(function* (p, cmd, io) {
  lines(io, yield* p.restart({ timeoutSec: timeout(cmd), services: services(cmd) }));
  return 0;
});

export const composeDown = withProject(function* (p, cmd, io) {
  lines(io, yield* p.down({ timeoutSec: timeout(cmd) }));
  return 0;
});

/** scale.go: the named services only, at their new scale (an unknown name is an error). */
export const composeScale = withProject(function* (p, cmd, io) {
  const scale = parseScaleFlags(cmd.args);
  checkServices(p, Object.keys(scale));
  const res = yield* p.up({ detach: true, scale, services: Object.keys(scale) });
  lines(io, res.output.slice(0, res.error ? -1 : undefined));
  if (res.error) io.err(`${res.error}\n`);
  return res.error ? 1 : 0;
});
