// `docker run` in the foreground, as a person at the terminal sees it: the container's output
// as it is written, until it exits. It runs the simulation while it waits, so call it
// between events (from a test, a CLI handler or an experiment), never from inside one.
import type { CreateOptions, Engine } from "@swarm-sim/swarmkit-sim";

export interface AttachedRun {
  /** stdout and stderr lines, in the order written. */
  lines: string[];
  exitCode: number;
  /** False if the container was still running when `limitMs` ran out. */
  exited: boolean;
}

export function runAttached(engine: Engine, opts: CreateOptions, limitMs = 600_000): AttachedRun {
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
  const exited = engine.sim.runUntil(() => !c.isRunning, limitMs);
  stop();
  return { lines, exitCode: c.exitCode, exited };
}
