// Handlers for the lab's docker CLI: `docker compose up|ps|logs|stop|down|scale` on a compose
// project, `docker stats --no-stream`, and the shell's `top`. They follow the CLI's handler
// contract (a parsed command and its output streams; synchronous; the exit status returned)
// through the small structural types below, so this package needs nothing from the CLI's
// internals. They are not registered anywhere: the lab wires them (e.g. in its DockerCoins
// plugin) with a function that finds the project of the node the command runs on.
// Commands that wait (stop timeouts) run the simulation while they wait.
import type { Engine } from "@swarm-sim/swarmkit-sim";
import type { LogFollow } from "./compose/logs";
import type { ComposeProject } from "./compose/project";
import { dockerStatsNoStream } from "./tools/stats";
import { topFrame } from "./tools/top";

/** The parts of the CLI's ParsedCommand the handlers read. */
export interface HandlerCommand {
  /** Every flag by long name, defaults filled in. */
  readonly flags: Readonly<Record<string, unknown>>;
  /** Long names of the flags the user gave. */
  readonly changed: ReadonlySet<string>;
  readonly args: readonly string[];
  /** Flags given before the command (compose's -f, -p), when the CLI passes them. */
  readonly globals?: Readonly<Record<string, unknown>>;
}

/** The parts of the CLI's CommandIO the handlers use. */
export interface HandlerIO {
  out(text: string): void;
  err(text: string): void;
}

export type DockerCoinsHandler = (cmd: HandlerCommand, io: HandlerIO) => number;

export interface ComposeHandlerOptions {
  /**
   * The project the command acts on (the compose file in the shell's folder, or the one `-f`
   * names), if any; it may throw compose's message for a file it cannot load.
   */
  project(io: HandlerIO, cmd: HandlerCommand): ComposeProject | undefined;
  /**
   * Called with the live log stream of `up` (attached) and `logs --follow`, for the lab's
   * terminal to print as the simulation runs (and, for `up`, to end with Ctrl-C).
   */
  onFollow?(follow: LogFollow, io: HandlerIO, kind: "up" | "logs", project: ComposeProject): void;
}

const NO_PROJECT = "no configuration file provided: not found\n";

function lines(io: HandlerIO, text: readonly string[]): void {
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

function timeout(cmd: HandlerCommand): number | undefined {
  return cmd.changed.has("timeout") ? Number(cmd.flags.timeout) : undefined;
}

/** Handlers by command path ("compose up", ...). */
export function composeHandlers(opts: ComposeHandlerOptions): Record<string, DockerCoinsHandler> {
  const withProject =
    (fn: (p: ComposeProject, cmd: HandlerCommand, io: HandlerIO) => number): DockerCoinsHandler =>
    (cmd, io) => {
      try {
        const p = opts.project(io, cmd);
        if (!p) {
          io.err(NO_PROJECT);
          return 1;
        }
        return fn(p, cmd, io);
      } catch (e) {
        io.err(`${(e as Error).message}\n`);
        return 1;
      }
    };
  const services = (cmd: HandlerCommand) => (cmd.args.length > 0 ? cmd.args : undefined);
  return {
    "compose up": withProject((p, cmd, io) => {
      const res = p.up({
        detach: cmd.flags.detach === true,
        scale: parseScaleFlags(stringList(cmd.flags.scale)),
        timeoutSec: timeout(cmd),
        services: services(cmd),
      });
      lines(io, res.output.slice(0, res.error ? -1 : undefined));
      if (res.error) {
        io.err(`${res.error}\n`);
        return 1;
      }
      if (res.attached) opts.onFollow?.(res.attached, io, "up", p);
      return 0;
    }),
    "compose ps": withProject((p, cmd, io) => {
      io.out(p.ps({ all: cmd.flags.all === true, services: services(cmd) }));
      return 0;
    }),
    "compose logs": withProject((p, cmd, io) => {
      const tailText = String(cmd.flags.tail ?? "all");
      const tail = tailText === "all" ? "all" : Number(tailText);
      const res = p.logs({
        services: services(cmd),
        tail: Number.isNaN(tail) ? "all" : tail,
        follow: cmd.flags.follow === true,
        timestamps: cmd.flags.timestamps === true,
        noLogPrefix: cmd.flags["no-log-prefix"] === true,
      });
      lines(io, res.lines);
      if (res.follow) opts.onFollow?.(res.follow, io, "logs", p);
      return 0;
    }),
    "compose stop": withProject((p, cmd, io) => {
      lines(io, p.stop({ timeoutSec: timeout(cmd), services: services(cmd) }));
      return 0;
    }),
    "compose down": withProject((p, cmd, io) => {
      lines(io, p.down({ timeoutSec: timeout(cmd) }));
      return 0;
    }),
    "compose scale": withProject((p, cmd, io) => {
      const res = p.up({ detach: true, scale: parseScaleFlags(cmd.args) });
      lines(io, res.output.slice(0, res.error ? -1 : undefined));
      if (res.error) io.err(`${res.error}\n`);
      return res.error ? 1 : 0;
    }),
  };
}

/** `docker stats --no-stream` on the node's engine (the streaming form needs a terminal). */
export function statsHandler(engine: (io: HandlerIO) => Engine): DockerCoinsHandler {
  return (_cmd, io) => {
    io.out(dockerStatsNoStream(engine(io)));
    return 0;
  };
}

/** The shell's `top` (one frame, as `top -b -n 1` prints it). */
export function topCommand(
  engine: (io: HandlerIO) => Engine,
): (argv: readonly string[], io: HandlerIO) => number {
  return (_argv, io) => {
    io.out(topFrame(engine(io)));
    return 0;
  };
}
