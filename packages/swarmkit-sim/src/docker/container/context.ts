// What the container commands (run, ps, stop, exec, ...) reach on the daemon the CLI talks to:
// its engine, the docker:dind containers it runs (on node1 of the lab, each a whole simulated
// machine), the images it has pulled. A host builds this for the node a command runs on; the
// handlers know nothing else of the host.
import type { RunResult } from "../../cli/io";
import type { Job } from "../../cli/job";
import type { RestartPolicy } from "../../engine/container";
import type { Engine } from "../../engine/engine";
import type { Sim } from "../../kernel/sim";
import type { ContainerView } from "./containers";

export interface DaemonContext {
  /** The simulated world: its clock, its random streams, its machines' names. */
  readonly sim: Sim;
  /** The daemon's engine (none: the CLI cannot connect to it). */
  readonly engine: Engine | undefined;
  /** The docker:dind containers this daemon runs; undefined where none can run (inside a dind node). */
  readonly dind: DindHost | undefined;
  /** Images this daemon has pulled for `docker run` (the pull messages show once). */
  readonly pulled: Set<string>;
  /** A name Docker would give a container started without --name, free on this daemon. */
  newContainerName(): string;
  /** What the host adds when a container is not found (the lab: node1 is not a container). */
  notFoundHint?: (ref: string) => string | undefined;
}

/** node1's docker:dind containers, and how to make one. */
export interface DindHost {
  /** In creation order. */
  readonly containers: readonly DindContainerView[];
  /** Is a machine of this name already in the world (a dind node needs a name of its own)? */
  machineExists(name: string): boolean;
  create(
    name: string,
    opts: { privileged: boolean; autoRemove: boolean; image: string; restartPolicy?: RestartPolicy },
  ): DindContainerView;
  /** Forgets a container (and its node's machine). */
  remove(c: DindContainerView): void;
}

/** A docker:dind container as the commands drive it (src/lab/dind.ts implements it). */
export interface DindContainerView extends ContainerView {
  readonly privileged: boolean;
  /** Lines of `docker logs`. */
  readonly logs: readonly string[];
  /** The machine that is this node (none for an unprivileged dind: dockerd never ran). */
  readonly machine: { readonly name: string } | undefined;
  /** Starts the container; returns what it printed while starting. */
  start(): string[];
  /** `docker stop`: SIGTERM, SIGKILL after timeoutMs; the job ends when it has exited. */
  stop(timeoutMs: number): Job<void>;
  /** SIGTERM or SIGINT without waiting (`docker kill -s TERM`, Ctrl-C forwarded): dockerd shuts down. */
  terminate(signal?: "SIGTERM" | "SIGINT"): void;
  /** SIGKILL. */
  kill(): void;
  pause(): void;
  unpause(): void;
  networks(): string[];
  addressOn(network: string): string | undefined;
  connect(network: string): void;
  disconnect(network: string): void;
}

/** What `docker exec` needs besides the containers: the node inside a docker:dind container. */
export interface ExecContext extends DaemonContext {
  /** The node a docker:dind container is, when it is one of the world's nodes. */
  nodeOf(c: DindContainerView): ExecNode | undefined;
}

/** A process started by `docker exec` in a node: its stdin, working directory and variables. */
export interface ExecOptions {
  stdin: string;
  stdinIsTerminal: boolean;
  workdir?: string;
  /** -e NAME=value */
  env: readonly string[];
}

export interface ExecNode {
  /** Runs a line in a new shell on the node (`docker exec NODE sh -c LINE`). */
  runLine(line: string, opts: ExecOptions): Job<RunResult>;
  /** Runs one command on the node (`docker exec NODE CMD ARGS...`). */
  runArgv(argv: readonly string[], opts: ExecOptions): Job<RunResult>;
  /** `docker exec -it NODE sh` at the terminal: the node's shell becomes the prompt. */
  enterShell(opts: Omit<ExecOptions, "stdin" | "stdinIsTerminal">): void;
}
