// `docker stop|start|restart|kill|pause|unpause|rm` on a daemon's containers: node1's docker:dind
// nodes (stop is dockerd's clean shutdown, kill a crash) and its engine's containers. The CLI
// waits for a stop (SIGTERM, SIGKILL after the timeout) before it prints the name.
import type { ParsedCommand } from "../../cli/grammar/types";
import { type Job, until } from "../../cli/job";
import { parseSignal } from "../../engine/signals";
import { type DockerIO, flagString } from "../io";
import { isRunning } from "./containers";
import type { DaemonContext } from "./context";
import { forEachTarget } from "./target";

const DEFAULT_STOP_TIMEOUT_SEC = 10;
/** How much longer than the stop timeout the CLI waits for a container to go. */
const STOP_SLACK_SEC = 5;

function stopTimeoutSec(cmd: ParsedCommand): number | undefined {
  if (cmd.changed.has("timeout")) return Number(cmd.flags.timeout);
  if (cmd.changed.has("time")) return Number(cmd.flags.time);
  return undefined;
}

function stopWaitMs(timeoutSec: number | undefined): number {
  return ((timeoutSec ?? DEFAULT_STOP_TIMEOUT_SEC) + STOP_SLACK_SEC) * 1000;
}

export function dockerStop(cmd: ParsedCommand, io: DockerIO, ctx: DaemonContext): Job<number> {
  const t = stopTimeoutSec(cmd);
  return forEachTarget(ctx, cmd, io, function* (target, ref) {
    if (target.kind === "dind") {
      yield* target.c.stop((t ?? DEFAULT_STOP_TIMEOUT_SEC) * 1000);
      return undefined;
    }
    ctx.engine!.stop(ref, { timeoutSec: t });
    const c = target.c;
    yield* until(() => !c.isRunning, stopWaitMs(t));
    return undefined;
  });
}

export function dockerStart(cmd: ParsedCommand, io: DockerIO, ctx: DaemonContext): Job<number> {
  return forEachTarget(
    ctx,
    cmd,
    io,
    (target, ref) => {
      if (target.kind === "dind") {
        if (target.c.state() === "paused") return "cannot start a paused container, try unpause instead";
        target.c.start();
        return undefined;
      }
      ctx.engine!.start(ref);
      return undefined;
    },
    // start.go startContainersWithoutAttachments: the failed ones, named after their errors.
    (failed) => `Error: failed to start containers: ${failed.join(", ")}\n`,
  );
}

export function dockerRestart(cmd: ParsedCommand, io: DockerIO, ctx: DaemonContext): Job<number> {
  const t = stopTimeoutSec(cmd);
  return forEachTarget(ctx, cmd, io, function* (target, ref) {
    if (target.kind === "dind") {
      yield* target.c.stop((t ?? DEFAULT_STOP_TIMEOUT_SEC) * 1000);
      target.c.start();
      return undefined;
    }
    let restarted = false;
    ctx.engine!.restart(ref, { timeoutSec: t }, () => {
      restarted = true;
    });
    yield* until(() => restarted, stopWaitMs(t));
    return undefined;
  });
}

export function dockerKill(cmd: ParsedCommand, io: DockerIO, ctx: DaemonContext): Job<number> | number {
  const sigText = cmd.changed.has("signal") ? flagString(cmd, "signal") : "KILL";
  let signal: ReturnType<typeof parseSignal>;
  try {
    signal = parseSignal(sigText);
  } catch {
    io.err(`invalid signal: ${sigText}\n`);
    return 1;
  }
  return forEachTarget(ctx, cmd, io, (target, ref) => {
    if (target.kind === "dind") {
      const c = target.c;
      if (!isRunning(c)) return `cannot kill container: ${ref}: container ${c.id} is not running`;
      if (signal === "SIGKILL") c.kill();
      else if (signal === "SIGTERM" || signal === "SIGINT") c.terminate(signal);
      // dockerd reloads its configuration on SIGHUP and ignores the others here.
      return undefined;
    }
    ctx.engine!.kill(ref, signal);
    return undefined;
  });
}

export function dockerPause(cmd: ParsedCommand, io: DockerIO, ctx: DaemonContext): Job<number> {
  return forEachTarget(ctx, cmd, io, (target, ref) => {
    if (target.kind === "engine") {
      ctx.engine!.pause(ref);
      return undefined;
    }
    const c = target.c;
    if (c.state() === "paused") return `Container ${c.id} is already paused`;
    if (!isRunning(c)) return `container ${c.id} is not running`;
    c.pause();
    return undefined;
  });
}

export function dockerUnpause(cmd: ParsedCommand, io: DockerIO, ctx: DaemonContext): Job<number> {
  return forEachTarget(ctx, cmd, io, (target, ref) => {
    if (target.kind === "engine") {
      ctx.engine!.unpause(ref);
      return undefined;
    }
    const c = target.c;
    if (c.state() !== "paused") return `Container ${c.id} is not paused`;
    c.unpause();
    return undefined;
  });
}

export function dockerRm(cmd: ParsedCommand, io: DockerIO, ctx: DaemonContext): Job<number> {
  return forEachTarget(ctx, cmd, io, (target, ref) => {
    if (target.kind === "engine") {
      ctx.engine!.remove(ref, { force: cmd.flags.force === true });
      return undefined;
    }
    const c = target.c;
    if (isRunning(c)) {
      if (cmd.flags.force !== true) {
        return `cannot remove container "/${c.name}": container is running: stop the container before removing or force remove`;
      }
      c.kill();
    }
    ctx.dind!.remove(c);
    return undefined;
  });
}
