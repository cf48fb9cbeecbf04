// `docker logs [--tail N] [-f]` of a container: a docker:dind node's startup log (dockerd writes
// to stderr), or an engine container's output. With --follow the command stays attached: new
// lines show as they come until the container stops or Ctrl-C ends the CLI (status 130).
import type { ParsedCommand } from "../../cli/grammar/types";
import { attached, type Job } from "../../cli/job";
import type { LogLine } from "../../engine/logs";
import { type DockerIO, flagString } from "../io";
import { isRunning } from "./containers";
import type { DaemonContext } from "./context";
import { resolveTarget } from "./target";

const LABEL = "docker logs --follow";

export function dockerLogs(cmd: ParsedCommand, io: DockerIO, ctx: DaemonContext): number | Job<number> {
  const ref = cmd.args[0];
  const t = resolveTarget(ctx, ref);
  if (typeof t === "string") {
    io.err(`Error response from daemon: ${t}\n`);
    return 1;
  }
  const tailText = flagString(cmd, "tail");
  const tail = tailText === "" || tailText === "all" ? undefined : Number(tailText);
  const follow = cmd.flags.follow === true;
  if (t.kind === "dind") {
    const c = t.c;
    const all = c.logs;
    const lines =
      tail === undefined || Number.isNaN(tail) || tail < 0 ? all : tail === 0 ? [] : all.slice(-tail);
    io.err(lines.map((l) => `${l}\n`).join(""));
    if (!follow) return 0;
    return (function* (): Job<number> {
      let shown = all.length;
      for (;;) {
        if (!isRunning(c)) return 0;
        yield* attached(() => c.logs.length > shown || !isRunning(c), LABEL, false);
        io.err(
          c.logs
            .slice(shown)
            .map((l) => `${l}\n`)
            .join(""),
        );
        shown = c.logs.length;
      }
    })();
  }
  const engine = ctx.engine!;
  const lines = engine.logs(ref, {
    tail: tail === undefined || Number.isNaN(tail) || tail < 0 ? "all" : tail,
  });
  const write = (l: LogLine) => (l.stream === "stderr" ? io.err : io.out)(`${l.text}\n`);
  for (const l of lines) write(l);
  const container = engine.find(ref);
  if (!follow || !container) return 0;
  return (function* (): Job<number> {
    const pending: LogLine[] = [];
    const stop = container.log.follow((l) => pending.push(l));
    try {
      for (;;) {
        for (const l of pending.splice(0)) write(l);
        if (!container.isRunning) return 0;
        yield* attached(() => pending.length > 0 || !container.isRunning, LABEL, false);
      }
    } finally {
      stop();
    }
  })();
}
