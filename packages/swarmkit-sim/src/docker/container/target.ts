// Finding the container a command names, and running an operation on each one named, with the
// CLI's output: each argument echoed on success, the daemon's error otherwise.
import type { ParsedCommand } from "../../cli/grammar/types";
import { Interrupt, isJob, type Job } from "../../cli/job";
import type { Container } from "../../engine/container";
import type { DockerIO } from "../io";
import { findContainer } from "./containers";
import type { DaemonContext, DindContainerView } from "./context";

/** A container a command acts on: one of node1's dind nodes, or an engine container. */
export type Target = { kind: "dind"; c: DindContainerView } | { kind: "engine"; c: Container };

/** The container `ref` names (ID, name or unique ID prefix), or the daemon's error. */
export function resolveTarget(ctx: DaemonContext, ref: string): Target | string {
  if (ctx.dind) {
    const d = findContainer(ctx.dind.containers, ref);
    if (d === "ambiguous") return `multiple IDs found with provided prefix: ${ref}`;
    if (d) return { kind: "dind", c: d };
  }
  try {
    const c = ctx.engine?.find(ref);
    if (c) return { kind: "engine", c };
  } catch (e) {
    return (e as Error).message;
  }
  return `No such container: ${ref}`;
}

/** The message of what an operation threw; Ctrl-C is not an error of the operation. */
export function errorMessage(e: unknown): string {
  if (e instanceof Interrupt) throw e;
  return (e as Error).message;
}

/**
 * Runs `op` on each container argument, printing each argument as typed on success and the
 * daemon's error otherwise, as the CLI does; exit status 1 if any failed.
 */
export function* forEachTarget(
  ctx: DaemonContext,
  cmd: ParsedCommand,
  io: DockerIO,
  op: (t: Target, ref: string) => string | undefined | Job<string | undefined>,
  /** What the command adds after the errors, given the arguments that failed (start's summary). */
  summary?: (failed: readonly string[]) => string,
): Job<number> {
  const failed: string[] = [];
  for (const ref of cmd.args) {
    const t = resolveTarget(ctx, ref);
    let error = typeof t === "string" ? t : undefined;
    if (typeof t !== "string") {
      try {
        const r = op(t, ref);
        error = isJob(r) ? yield* r : r;
      } catch (e) {
        error = errorMessage(e);
      }
    }
    if (error === undefined) io.out(`${ref}\n`);
    else {
      io.err(`Error response from daemon: ${error}\n`);
      if (typeof t === "string") {
        const hint = ctx.notFoundHint?.(ref);
        if (hint) io.err(hint);
      }
      failed.push(ref);
    }
  }
  if (failed.length > 0 && summary) io.err(summary(failed));
  return failed.length > 0 ? 1 : 0;
}
