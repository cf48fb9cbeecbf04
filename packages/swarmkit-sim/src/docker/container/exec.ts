// `docker exec`: `docker exec -it node2 sh` opens an interactive shell on the node (the prompt
// stack grows until `exit` or Ctrl-D); `docker exec node3 CMD...` runs one command there;
// `docker exec node2 sh -c "docker info | grep Swarm"` runs a line. The docker:dind image has
// BusyBox sh but no bash, as the real one. With -i the command reads the CLI's stdin
// (`echo $KEY | docker exec -i node2 docker swarm unlock`); without it, nothing; with -t its
// stdin is a terminal, which the CLI allows only when its own stdin is one.
import type { ParsedCommand } from "../../cli/grammar/types";
import type { RunResult } from "../../cli/io";
import type { Job } from "../../cli/job";
import { type DockerIO, flagList } from "../io";
import { isRunning } from "./containers";
import type { ExecContext, ExecOptions } from "./context";
import { resolveTarget } from "./target";

const SHELLS = new Set(["sh", "/bin/sh", "ash", "/bin/ash", "busybox"]);

function ociNotFound(io: DockerIO, prog: string): number {
  io.err(
    `OCI runtime exec failed: exec failed: unable to start container process: exec: "${prog}": executable file not found in $PATH: unknown\n`,
  );
  return 126;
}

export function* dockerExec(cmd: ParsedCommand, io: DockerIO, ctx: ExecContext): Job<number> {
  const [ref, ...argv] = cmd.args;
  const target = resolveTarget(ctx, ref);
  if (typeof target === "string") {
    io.err(`Error response from daemon: ${target}\n`);
    return 1;
  }
  const interactive = cmd.flags.interactive === true;
  const tty = cmd.flags.tty === true;
  const detach = cmd.flags.detach === true;
  // The CLI checks this after finding the container and before creating the exec (exec.go,
  // streams.In.CheckTty): piping into a pseudo-TTY cannot work.
  if (!detach && interactive && tty && !io.stdinIsTerminal) {
    io.err("the input device is not a TTY\n");
    return 1;
  }
  const c = target.c;
  const running = target.kind === "dind" ? isRunning(target.c) : target.c.isRunning;
  const paused = target.kind === "dind" ? target.c.state() === "paused" : target.c.state === "paused";
  if (!running) {
    io.err(`Error response from daemon: container ${c.id} is not running\n`);
    return 1;
  }
  if (paused) {
    io.err(`Error response from daemon: Container ${ref} is paused, unpause the container before exec\n`);
    return 1;
  }
  const node = target.kind === "dind" ? ctx.nodeOf(target.c) : undefined;
  if (!node) {
    io.err(
      "[lab] docker exec into application containers is not simulated; exec into the docker:dind nodes.\n",
    );
    return 1;
  }
  const workdir = cmd.changed.has("workdir") ? String(cmd.flags.workdir) : undefined;
  // The process's stdin: the CLI's own with -i (a detached exec attaches nothing), and a
  // terminal with -t (the pseudo-TTY; what was typed at the CLI's terminal goes through).
  const opts: ExecOptions = {
    stdin: interactive && !detach ? (io.stdin ?? "") : "",
    stdinIsTerminal: tty,
    workdir,
    env: flagList(cmd, "env"),
  };
  const prog = argv[0];
  if (prog === "bash" || prog === "/bin/bash") return ociNotFound(io, prog);
  if (SHELLS.has(prog)) {
    const rest = prog === "busybox" ? argv.slice(2) : argv.slice(1);
    if (rest[0] === "-c") {
      if (rest.length < 2) {
        io.err("sh: -c requires an argument\n");
        return 2;
      }
      const r = yield* node.runLine(rest[1], opts);
      return detach ? 0 : replay(io, r, tty);
    }
    if (rest.length > 0) {
      io.err(`sh: can't open '${rest[0]}': No such file or directory\n`);
      return 2;
    }
    // A shell with stdin kept open (-i) on the lab's terminal is interactive: it becomes the
    // lab's prompt. On piped stdin it runs what it reads as a script (the commands inside get
    // no input of their own). Without -i it reads end-of-file at once and exits.
    if (interactive && !detach) {
      if (!io.stdinIsTerminal) {
        const r = yield* node.runLine(io.stdin ?? "", opts);
        return replay(io, r, tty);
      }
      node.enterShell({ workdir, env: opts.env });
    }
    return 0;
  }
  const r = yield* node.runArgv(argv, opts);
  if (detach) return 0;
  // What sh calls "not found" is, for exec, a program missing from the image.
  if (r.exitCode === 127 && r.stderr.startsWith(`sh: ${prog}: not found`)) return ociNotFound(io, prog);
  return replay(io, r, tty);
}

/**
 * Writes what a command inside the node wrote, both streams in the order they were written;
 * returns its status. With a pseudo-TTY (-t) there is one stream: the terminal's, which the CLI
 * copies to its stdout (so `docker exec -t node2 CMD 2>/dev/null` still shows CMD's errors, as
 * with Docker).
 */
function replay(io: DockerIO, r: RunResult, tty: boolean): number {
  for (const c of r.output) (c.stream === "stdout" || tty ? io.out : io.err).call(io, c.text);
  return r.exitCode;
}
