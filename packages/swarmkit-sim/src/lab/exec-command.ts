// `docker exec`: `docker exec -it node2 sh` opens an interactive shell on the node (the prompt
// stack grows until `exit` or Ctrl-D); `docker exec node3 CMD...` runs one command there;
// `docker exec node2 sh -c "docker info | grep Swarm"` runs a line. The docker:dind image has
// BusyBox sh but no bash, as the real one.
import type { ParsedCommand } from "../cli/grammar/types";
import type { RunResult } from "./types";
import { isRunning } from "./containers";
import { resolveTarget } from "./container-commands";
import type { Lab } from "./lab";
import { newShell, type Shell } from "./node";
import type { LabIO } from "./plugin";

const SHELLS = new Set(["sh", "/bin/sh", "ash", "/bin/ash", "busybox"]);

function ociNotFound(io: LabIO, prog: string): number {
  io.err(
    `OCI runtime exec failed: exec failed: unable to start container process: exec: "${prog}": executable file not found in $PATH: unknown\n`,
  );
  return 126;
}

export function dockerExec(lab: Lab): (cmd: ParsedCommand, io: LabIO, shell: Shell) => number {
  return (cmd, io, shell) => {
    const [ref, ...argv] = cmd.args;
    const target = resolveTarget(lab, shell, ref);
    if (typeof target === "string") {
      io.err(`Error response from daemon: ${target}\n`);
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
    if (target.kind === "engine" || !target.c.machine || !lab.hasNode(target.c.machine.name)) {
      io.err(
        "[lab] docker exec into application containers is not simulated; exec into the docker:dind nodes.\n",
      );
      return 1;
    }
    const node = lab.node(target.c.machine.name);
    const interactive = cmd.flags.interactive === true;
    const detach = cmd.flags.detach === true;
    const workdir = cmd.changed.has("workdir") ? String(cmd.flags.workdir) : undefined;
    const env = Array.isArray(cmd.flags.env) ? (cmd.flags.env as string[]) : [];

    const transient = (): Shell => {
      const sh = newShell(node, false);
      if (workdir) sh.cwd = node.files.resolve("/", workdir);
      for (const kv of env) {
        const i = kv.indexOf("=");
        if (i > 0) sh.vars.set(kv.slice(0, i), kv.slice(i + 1));
      }
      return sh;
    };
    const runLine = (line: string): number => {
      const r = lab.runIn(transient(), line);
      if (detach) return 0;
      replay(io, r);
      return r.exitCode;
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
        return runLine(rest[1]);
      }
      if (rest.length > 0) {
        io.err(`sh: can't open '${rest[0]}': No such file or directory\n`);
        return 2;
      }
      // A shell with stdin kept open (-i) is interactive: it becomes the lab's prompt. Without
      // -i it reads end-of-file at once and exits.
      if (interactive && !detach) {
        lab.enterShell(node, transient());
      }
      return 0;
    }
    const r = lab.execIn(transient(), argv);
    if (detach) return 0;
    // What sh calls "not found" is, for exec, a program missing from the image.
    if (r.exitCode === 127 && r.stderr.startsWith(`sh: ${prog}: not found`)) return ociNotFound(io, prog);
    replay(io, r);
    return r.exitCode;
  };
}

/** Writes what a command inside the node wrote, both streams in the order they were written. */
function replay(io: LabIO, r: RunResult): void {
  if (r.output) {
    for (const c of r.output) (c.stream === "stdout" ? io.out : io.err).call(io, c.text);
    return;
  }
  io.out(r.stdout);
  io.err(r.stderr);
}
