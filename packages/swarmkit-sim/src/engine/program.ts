// What runs in a container. The engine knows no application: an image names a program
// factory, and the program gets a context that is all it may touch (its container's timers,
// logger, random stream, hostname, DNS, network clients and servers, resource meter). The
// same program runs under compose on one machine or in a swarm task: it only needs a context.
import type { Timer } from "../kernel/event-queue";
import type { Random } from "../kernel/random";
import type { HttpClient } from "./http/client";
import type { LogRender, LogStream } from "./logs";
import type { Concurrency, ExchangeClient, ExchangeServer, Incoming } from "./net/exchange";
import type { NetHost } from "./net/host";
import type { Signal } from "./signals";

export interface ProgramContext {
  readonly containerId: string;
  /** The container's name (without the leading slash). */
  readonly containerName: string;
  /** `hostname` inside the container: the short container ID unless --hostname was given. */
  readonly hostname: string;
  readonly image: string;
  /** The command the container runs (entrypoint + cmd), as `docker ps` shows it. */
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** The container's seeded stream: `<machine>/<container>`. */
  readonly random: Random;
  /** The container's network position (for clients and servers it opens itself). */
  readonly net: NetHost;
  /** The container's first IP address (the machine's, on the host network). */
  readonly address: string;
  /** A client for this container's outgoing exchanges; HTTP goes through it. */
  readonly exchange: ExchangeClient;
  readonly http: HttpClient;

  /** Simulated ms since the simulation started. */
  now(): number;
  /** The machine's wall clock (ms since the Unix epoch), as `time.time()*1000` reads it. */
  wallNow(): number;
  /** A timer that dies with the container (and waits while it is paused). */
  after(ms: number, fn: () => void): Timer;
  log(line: string, stream?: LogStream): void;
  /** Logs a line rendered only when read (for per-request access logs). */
  logLazy<A>(render: LogRender<A>, arg: A, stream?: LogStream): void;
  /** DNS: every address for `name`, in the order the resolver answers. */
  lookup(name: string): string[];
  /** DNS: the first answer (what a client connects to), or undefined. */
  resolve(name: string): string | undefined;
  /** Listens on `port` of the container's addresses; closed when the container stops. */
  serve(port: number, concurrency: Concurrency, handler: (inc: Incoming) => void): ExchangeServer;
  /** A further client (its own ephemeral port), closed with the container. */
  newClient(): ExchangeClient;
  /** Charges CPU-seconds to the container (the program's cost model). */
  chargeCpu(seconds: number): void;
  /** Sets the container's resident memory (bytes). */
  setMemory(bytes: number): void;
  /** Sets the number of processes/threads (docker stats PIDS). */
  setPids(n: number): void;
  /** The main process exits with `code`: the container stops. */
  exit(code: number): void;
}

export interface Program {
  start(ctx: ProgramContext): void;
  /**
   * Signals the program installs a handler for. Any other signal (SIGKILL aside) is ignored,
   * because the program is PID 1 — unless the container runs with --init, in which case the
   * default action (terminate) applies.
   */
  readonly handledSignals?: readonly Signal[];
  /** Called for a handled signal; the program exits (ctx.exit) when it is done. */
  onSignal?(sig: Signal): void;
  /** Called once when the container stops, whatever the reason. No timer runs after it. */
  onExit?(code: number): void;
}

export interface ProgramSpec {
  command: readonly string[];
  env: Readonly<Record<string, string>>;
}

export type ProgramFactory = (spec: ProgramSpec) => Program;

/** Resource figures of an idle instance of the program. */
export interface ProgramFootprint {
  /** Resident memory at start (bytes). */
  memoryBytes: number;
  /** Processes and threads at start. */
  pids?: number;
  /** Background CPU share (fraction of one CPU). */
  idleCpu?: number;
}

export interface ImageSpec {
  /** Repository[:tag]; ":latest" is implied when no tag is given. */
  name: string;
  /** ENTRYPOINT. */
  entrypoint?: readonly string[];
  /** CMD. */
  command: readonly string[];
  env?: Readonly<Record<string, string>>;
  /** STOPSIGNAL (default SIGTERM). */
  stopSignal?: Signal;
  exposedPorts?: readonly number[];
  footprint?: ProgramFootprint;
  /** Image size in bytes (for `docker images`), optional. */
  sizeBytes?: number;
  /**
   * The programs on the image's PATH, when the simulator knows them: a container whose command
   * starts with another (`bash` in alpine) cannot start, as runc finds no such executable.
   * Absent: every command runs.
   */
  executables?: ReadonlySet<string>;
  create: ProgramFactory;
}
