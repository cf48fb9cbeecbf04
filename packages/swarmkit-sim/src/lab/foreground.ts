// What a transcript does with a command that stays attached (`docker compose up`, `logs
// --follow`): the batch host (tests, `--script`, piped input, `Lab.run(line)`) runs one line at
// a time and must hand the prompt back, so it shows FOREGROUND_SHOW_MS of simulated time of
// the command's output (or the command's own `showMs`), then
//   - a command that holds an application (compose up) is parked on the shell: it keeps
//     running attached to it, its further output is not shown, and `^C` (or `interrupt`)
//     later delivers Ctrl-C to it (`^C^C`, `interrupt --force`: twice);
//   - a command that only watches (logs --follow) gets Ctrl-C at once.
// A live host (a terminal whose clock follows the wall clock) needs none of this: the command
// stays in the foreground until the user presses Ctrl-C.
import type { AttachedWait, Job, Wait } from "../cli/job";
import { INTERRUPTED_STATUS, Interrupt } from "../cli/job";
import type { Sink } from "../cli/io";
import type { RunningJob } from "./host-loop";
import type { Shell } from "./node";
import type { LabIO, LabShellCommand } from "./plugin";

/** Simulated time an attached command shows before the batch host hands the prompt back. */
export const FOREGROUND_SHOW_MS = 5000;

/** A sink whose destination can change: a parked job's output goes nowhere, then to `^C`. */
export class SwitchSink implements Sink {
  constructor(public target: Sink) {}

  get isTerminal(): boolean {
    return this.target.isTerminal === true;
  }

  write(stream: "stdout" | "stderr", text: string): void {
    this.target.write(stream, text);
  }
}

/** Output nobody sees (what scrolled by while a parked job ran unwatched). */
export const VOID_SINK: Sink = { write() {} };

/** A line whose job the batch host left attached to its shell. */
interface Parked {
  job: Job<number>;
  /** The attached wait it is stopped at. */
  wait: Wait;
  sink: SwitchSink;
}

/**
 * How a batch host ends an attached job's show time: returns the exit status to report for the
 * line (0 when it was parked: the prompt comes back as for a command sent to the background).
 */
export class Foregrounds {
  private readonly parked = new WeakMap<Shell, Parked>();

  /**
   * Drives `job` (a line run in `shell`, writing to `sink`) as a transcript does: every wait in
   * full, an attached command for FOREGROUND_SHOW_MS and then parked or interrupted. Returns
   * the line's exit status.
   */
  runInForeground(shell: Shell, job: RunningJob<number>, sink: SwitchSink): number {
    job.settle();
    while (job.isAttached) {
      const wait = job.waitingFor as AttachedWait;
      const showMs = wait.showMs ?? FOREGROUND_SHOW_MS;
      job.followUntil(job.attachedSince! + showMs);
      if (!job.isAttached) {
        job.settle();
        continue;
      }
      if (wait.holdsApplication) {
        const { job: gen, wait: at } = job.release();
        this.parked.set(shell, { job: gen, wait: at, sink });
        sink.write(
          "stderr",
          `[lab] ${wait.label} keeps running attached to this shell; the lab does not show its logs any further.\n` +
            "[lab] Type ^C (or interrupt) to stop it as Ctrl-C would; ^C^C to force. Other commands work meanwhile.\n",
        );
        sink.target = VOID_SINK;
        return 0;
      }
      job.interrupt();
      job.settle();
      sink.write(
        "stderr",
        `[lab] stopped following after ${showMs / 1000} s, as if you had pressed Ctrl-C (the lab cannot stay attached).\n`,
      );
    }
    const end = job.outcome;
    return end.kind === "returned" ? end.value : INTERRUPTED_STATUS;
  }

  /**
   * Ctrl-C (`times` presses at once) to what is parked on `shell`, as a job of the command that
   * delivers it: the parked line's further output is the command's, and it waits as the line does.
   */
  *interrupt(shell: Shell, io: LabIO, times: number): Job<number> {
    const p = this.parked.get(shell);
    this.parked.delete(shell);
    let step: IteratorResult<Wait, number> | undefined = p && { done: false, value: p.wait };
    // What scrolled by since the lab stopped showing the output is not replayed.
    while (p && step && !step.done && step.value.kind === "attached" && step.value.ready())
      step = p.job.next();
    if (!p || !step || step.done) {
      io.err("[lab] ^C: nothing runs in the foreground of this shell\n");
      return INTERRUPTED_STATUS;
    }
    p.sink.target = { write: (stream, text) => (stream === "stdout" ? io.out(text) : io.err(text)) };
    for (let i = 0; i < times && !step.done; i++) step = throwInto(p.job, new Interrupt());
    return yield* delegate(p.job, step);
  }

  /** The lab commands `^C`, `^C^C` and `interrupt [--force]`. */
  commands(): LabShellCommand[] {
    const run =
      (force: boolean) =>
      (argv: readonly string[], io: LabIO, shell: Shell): Job<number> =>
        this.interrupt(shell, io, force || argv.includes("--force") || argv.includes("-f") ? 2 : 1);
    return [
      {
        name: "^C",
        group: "shell",
        synopsis: "^C",
        description: "Ctrl-C: interrupt what runs in the foreground (an attached docker compose up)",
        run: run(false),
      },
      {
        name: "^C^C",
        group: "shell",
        synopsis: "^C^C",
        description: "Ctrl-C twice: compose kills the containers still stopping",
        run: run(true),
      },
      {
        name: "interrupt",
        group: "shell",
        synopsis: "interrupt [--force]",
        description: "Same as ^C (with --force: ^C^C)",
        run: run(false),
      },
    ];
  }
}

/** Throws `e` into a suspended job; an Interrupt it lets through ends it with status 130. */
function throwInto(job: Job<number>, e: Interrupt): IteratorResult<Wait, number> {
  try {
    return job.throw(e);
  } catch (x) {
    if (x instanceof Interrupt) return { done: true, value: INTERRUPTED_STATUS };
    throw x;
  }
}

/** Goes on with a suspended job from `step` as part of the current one (yield* from midway). */
function* delegate(job: Job<number>, step: IteratorResult<Wait, number>): Job<number> {
  while (!step.done) {
    try {
      yield step.value;
    } catch (e) {
      if (!(e instanceof Interrupt)) throw e;
      step = throwInto(job, e);
      continue;
    }
    step = job.next();
  }
  return step.value;
}
