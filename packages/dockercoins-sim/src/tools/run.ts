// `docker run` in the foreground, as a person at the terminal sees it: the container's output
// as it is written, until it exits. `attachedRun` is the job (it waits for the container);
// `runAttached` drives it at once on the engine's clock, for experiments and tests.
import { type CreateOptions, type Engine, type Job, runJob, until } from "@swarm-sim/swarmkit-sim";

export interface AttachedRun {
  /** stdout and stderr lines, in the order written. */
  lines: string[];
  exitCode: number;
  /** False if the container was still running when `limitMs` ran out. */
  exited: boolean;
}

export function* attachedRun(engine: Engine, opts: CreateOptions, limitMs = 600_000): Job<AttachedRun> {
  const c = engine.create(opts);
  const lines: string[] = [];
  const stop = c.log.follow((l) => lines.push(l.text));
  try {
    engine.start(c.id);
  } catch (e) {
    stop();
    if (c.config.autoRemove) engine.remove(c.id, { force: true });
    throw e;
  }
  yield* until(() => !c.isRunning, limitMs);
  stop();
  return { lines, exitCode: c.exitCode, exited: !c.isRunning };
}

export function runAttached(engine: Engine, opts: CreateOptions, limitMs = 600_000): AttachedRun {
  return runJob(engine.sim, attachedRun(engine, opts, limitMs));
}
