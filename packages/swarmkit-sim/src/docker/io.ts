// What the swarm command handlers need from the CLI facade, and how they wait: the handler
// starts an asynchronous operation and runs the simulation until it answers, so simulated
// time passes while the command waits, as it would for a person at the terminal.
import type { ParsedCommand } from "../../cli/grammar/types";
import type { Machine } from "../../kernel/machine";
import type { Sim } from "../../kernel/sim";
import { DaemonError } from "../../node/errors";
import type { SwarmNode } from "../../node/swarm-node";
import { GrpcError } from "../../transport/grpc-error";

/** The subset of the cli module's CommandIO the handlers use. */
export interface SwarmIO {
  out(text: string): void;
  err(text: string): void;
  stdin?: string;
  /** Whether stdin is a terminal (absent: not one, as when a test hands the handler its input). */
  stdinIsTerminal?: boolean;
}

export interface SwarmCommandContext {
  sim: Sim;
  machine: Machine;
  swarm: SwarmNode;
  /**
   * The containers and images of the node's engine as `docker info` counts them, where the
   * host knows more than the machine's Engine (the lab: node1's docker:dind containers).
   */
  engineCounts?: () => EngineCounts;
}

/** `docker info`'s Containers (Running, Paused, Stopped) and Images. */
export interface EngineCounts {
  running: number;
  paused: number;
  /** Every other state (created, exited, restarting, dead), as dockerd's state counter has it. */
  stopped: number;
  images: number;
}

export type SwarmHandler = (cmd: ParsedCommand, io: SwarmIO, ctx: SwarmCommandContext) => number;

/** The longest a command waits (a little more than dockerd's own 20 s timeouts). */
export const COMMAND_WAIT_MS = 60_000;

export type Outcome<T> = { err: Error | null; res?: T };

/** Starts `op` and runs the simulation until it calls back (or `limitMs` pass). */
export function waitFor<T>(
  sim: Sim,
  op: (done: (err: Error | null, res?: T) => void) => void,
  limitMs = COMMAND_WAIT_MS,
): Outcome<T> {
  let result: Outcome<T> | undefined;
  op((err, res) => {
    result ??= { err, res };
  });
  if (!result) sim.runUntil(() => result !== undefined, limitMs);
  return result ?? { err: new GrpcError("DeadlineExceeded", "context deadline exceeded") };
}

/** Prints an error as the docker CLI does and returns its exit code. */
export function fail(io: SwarmIO, err: Error): number {
  io.err(`${errorText(err)}\n`);
  return 1;
}

/** An error as the docker CLI words it: the daemon's with "Error response from daemon: ". */
export function errorText(err: Error): string {
  if (err instanceof DaemonError || err instanceof GrpcError)
    return `Error response from daemon: ${err.message}`;
  return err.message;
}

/** Writes what an inspect renderer produced; returns its exit code. */
export function writeOutput(io: SwarmIO, o: { stdout: string; stderr: string; exitCode: number }): number {
  if (o.stdout) io.out(o.stdout);
  if (o.stderr) io.err(o.stderr);
  return o.exitCode;
}

export function flagString(cmd: ParsedCommand, name: string): string {
  const v = cmd.flags[name];
  return typeof v === "string" ? v : v === undefined ? "" : String(v);
}

export function flagBool(cmd: ParsedCommand, name: string): boolean {
  const v = cmd.flags[name];
  return v === true || v === "true";
}

export function flagNumber(cmd: ParsedCommand, name: string): number | undefined {
  const v = cmd.flags[name];
  return typeof v === "number" ? v : typeof v === "string" && v !== "" ? Number(v) : undefined;
}
