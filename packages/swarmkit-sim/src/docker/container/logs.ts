// `docker logs [--tail N]` of a container: a docker:dind node's startup log (dockerd writes to
// stderr), or an engine container's output.
import type { ParsedCommand } from "../../cli/grammar/types";
import { type DockerIO, flagString } from "../io";
import type { DaemonContext } from "./context";
import { resolveTarget } from "./target";

export function dockerLogs(cmd: ParsedCommand, io: DockerIO, ctx: DaemonContext): number {
  const ref = cmd.args[0];
  const t = resolveTarget(ctx, ref);
  if (typeof t === "string") {
    io.err(`Error response from daemon: ${t}\n`);
    return 1;
  }
  const tailText = flagString(cmd, "tail");
  const tail = tailText === "" || tailText === "all" ? undefined : Number(tailText);
  if (t.kind === "dind") {
    const all = t.c.logs;
    const lines =
      tail === undefined || Number.isNaN(tail) || tail < 0 ? all : tail === 0 ? [] : all.slice(-tail);
    io.err(lines.map((l) => `${l}\n`).join(""));
  } else {
    const lines = ctx.engine!.logs(ref, {
      tail: tail === undefined || Number.isNaN(tail) || tail < 0 ? "all" : tail,
    });
    for (const l of lines) (l.stream === "stderr" ? io.err : io.out)(`${l.text}\n`);
  }
  if (cmd.flags.follow === true) {
    io.err("[lab] --follow: these are the logs so far; the lab cannot stay attached.\n");
  }
  return 0;
}
