// What the docker command handlers share: the output streams they write to, the node the
// command talks to (its dockerd: machine, swarm component, engine), how they wait for the
// cluster, and the CLI's error wording. A handler never runs the simulation: one that waits
// is a generator (a job, src/cli/job.ts) that yields what it waits for, and the host loop
// (src/lab/host-loop.ts) advances the clock and resumes it.
import type { ParsedCommand } from "../cli/grammar/types";
import { call, type Job, type Outcome } from "../cli/job";
import type { Machine } from "../kernel/machine";
import type { Sim } from "../kernel/sim";
import { DaemonError } from "../node/errors";
import type { SwarmNode } from "../node/swarm-node";
import { GrpcError } from "../transport/grpc-error";
import type { ImageCatalog } from "./image-catalog";

/** The subset of the CLI's CommandIO the handlers use. */
export interface DockerIO {
  out(text: string): void;
  err(text: string): void;
  stdin?: string;
  /** Whether stdin is a terminal (absent: not one, as when a test hands the handler its input). */
  stdinIsTerminal?: boolean;
  /**
   * Whether stdout is a terminal (a live lab's; absent: not one, as in a transcript or a pipe):
   * compose colours its log prefixes, `docker stats` and `top` redraw until Ctrl-C.
   */
  stdoutIsTerminal?: boolean;
  /** The shell's variables and the command's NAME=value prefixes (compose files substitute them). */
  env?: Readonly<Record<string, string>>;
}

/** What the swarm, node, info, service, stack and overlay network commands reach. */
export interface SwarmCommandContext {
  sim: Sim;
  machine: Machine;
  swarm: SwarmNode;
  /**
   * The containers and images of the node's engine as `docker info` counts them, where the
   * host knows more than the machine's Engine (the lab: node1's docker:dind containers).
   */
  engineCounts?: () => EngineCounts;
  /**
   * Reads a file the command names (`docker stack deploy -c FILE`), relative to where the
   * command runs; throws the CLI's message ("open FILE: no such file or directory"). Without
   * one the command finds no files: the host's file system is read only through a reader the
   * host hands in.
   */
  readFile?: (path: string) => string;
  /**
   * The registry dockerd asks for an image's digest when a service is created or its image
   * changed (the lab's: the images it simulates). Without one nothing is looked up.
   */
  registry?: ImageCatalog;
}

/** `docker info`'s Containers (Running, Paused, Stopped) and Images. */
export interface EngineCounts {
  running: number;
  paused: number;
  /** Every other state (created, exited, restarting, dead), as dockerd's state counter has it. */
  stopped: number;
  images: number;
}

/** A handler of the control plane's commands. */
export type SwarmHandler = (cmd: ParsedCommand, io: DockerIO, ctx: SwarmCommandContext) => Job<number>;

/** The longest a command waits (a little more than dockerd's own 20 s timeouts). */
export const COMMAND_WAIT_MS = 60_000;

export type { Outcome };

/**
 * Starts an asynchronous operation of the daemon and waits until it answers, at most
 * `limitMs`; past that the answer is gRPC's DeadlineExceeded, as the CLI would get.
 */
export function* request<T>(
  op: (done: (err: Error | null, res?: T) => void) => void,
  limitMs = COMMAND_WAIT_MS,
): Job<Outcome<T>> {
  const r = yield* call<T>(op, limitMs);
  return r ?? { err: new GrpcError("DeadlineExceeded", "context deadline exceeded") };
}

/** Prints an error as the docker CLI does and returns its exit code. */
export function fail(io: DockerIO, err: Error): number {
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
export function writeOutput(io: DockerIO, o: { stdout: string; stderr: string; exitCode: number }): number {
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

export function flagList(cmd: ParsedCommand, name: string): string[] {
  const v = cmd.flags[name];
  return Array.isArray(v) ? (v as unknown[]).map((x) => (typeof x === "string" ? x : JSON.stringify(x))) : [];
}
