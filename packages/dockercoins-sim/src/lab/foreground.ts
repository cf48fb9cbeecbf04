// What runs in the foreground of a lab shell. The lab runs one line at a time and cannot stay
// attached to a command that never ends, so `docker compose up` (attached) shows its startup
// and the first seconds of the aggregated logs, then says how to stop it; the application
// keeps running attached to that shell. `^C` (or `interrupt`) then does what Ctrl-C does:
// compose stops every container (SIGTERM, SIGKILL after the stop timeout), with the timings
// the stop really takes in simulated time. `^C^C` (or `interrupt --force`) is the impatient
// double Ctrl-C: what is still running is killed at once. `docker compose logs --follow`
// shows the tail and a few seconds of new lines, then stops following.
import type { LabIO, LabShellCommand, Shell } from "@swarm-sim/swarmkit-sim";
import type { HandlerIO } from "../cli-handlers";
import type { LogFollow } from "../compose/logs";
import type { ComposeProject } from "../compose/project";

/** Simulated time an attached command shows before the lab hands the prompt back. */
export const FOREGROUND_SHOW_MS = 5000;

export class Foregrounds {
  private readonly attached = new WeakMap<Shell, ComposeProject>();

  /** The follow callback of the compose handlers: show a few seconds, then hand back. */
  onFollow(
    shell: Shell,
    follow: LogFollow,
    io: HandlerIO,
    kind: "up" | "logs",
    project: ComposeProject,
  ): void {
    const sim = project.engine.sim;
    sim.runFor(FOREGROUND_SHOW_MS);
    const lines = follow.read();
    if (lines.length > 0) io.out(`${lines.join("\n")}\n`);
    if (kind === "logs") {
      follow.close();
      io.err(
        `[lab] stopped following after ${FOREGROUND_SHOW_MS / 1000} s, as if you had pressed Ctrl-C (the lab cannot stay attached).\n`,
      );
      return;
    }
    this.attached.set(shell, project);
    io.err(
      "[lab] docker compose up keeps running attached to this shell; the lab does not show its logs any further.\n" +
        "[lab] Type ^C (or interrupt) to stop it as Ctrl-C would; ^C^C to force. Other commands work meanwhile.\n",
    );
  }

  /** The project attached to a shell's foreground, if its `up` is still attached. */
  foreground(shell: Shell): ComposeProject | undefined {
    const p = this.attached.get(shell);
    if (p?.attached) return p;
    this.attached.delete(shell);
    return undefined;
  }

  /** Ctrl-C (once, or twice at once with `force`) in a shell. */
  interrupt(shell: Shell, io: LabIO, force: boolean): number {
    const p = this.foreground(shell);
    if (!p) {
      io.err("[lab] ^C: nothing runs in the foreground of this shell\n");
      return 130;
    }
    // What scrolled by since the lab stopped showing the logs is not replayed.
    p.attached?.discard();
    const out = force ? [...p.interrupt({ wait: false }), ...p.interrupt()] : p.interrupt();
    if (out.length > 0) io.out(`${out.join("\n")}\n`);
    this.attached.delete(shell);
    // compose up ends with status 130 when interrupted.
    return 130;
  }

  /** The lab commands `^C`, `^C^C` and `interrupt [--force]`. */
  commands(): LabShellCommand[] {
    const run =
      (force: boolean) =>
      (argv: readonly string[], io: LabIO, shell: Shell): number =>
        this.interrupt(shell, io, force || argv.includes("--force") || argv.includes("-f"));
    return [
      {
        name: "^C",
        synopsis: "^C",
        description: "Ctrl-C: interrupt what runs in the foreground (an attached docker compose up)",
        run: run(false),
      },
      {
        name: "^C^C",
        synopsis: "^C^C",
        description: "Ctrl-C twice: compose kills the containers still stopping",
        run: run(true),
      },
      {
        name: "interrupt",
        synopsis: "interrupt [--force]",
        description: "Same as ^C (with --force: ^C^C)",
        run: run(false),
      },
    ];
  }
}
