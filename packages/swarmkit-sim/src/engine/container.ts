// A container's record: configuration, state, exit code, times, log, meter, endpoints. The
// engine drives its lifecycle; this class only holds what `docker inspect` and `docker ps`
// would show and computes Docker's Status text.
import type { Timer } from "../kernel/event-queue";
import type { Random } from "../kernel/random";
import { humanDuration } from "./human";
import { displayImageName } from "./images";
import { ContainerLog } from "./logs";
import type { ResourceMeter } from "./meter";
import { RestartManager, type RestartPolicy } from "./restart-manager";
import type { EngineNetwork } from "./network";
import type { PortBinding, PortProxy } from "./ports";
import type { ImageSpec, Program } from "./program";
import type { Signal } from "./signals";

/** "restarting": exited, and dockerd starts it again when its restart policy's delay is over. */
export type ContainerState = "created" | "running" | "paused" | "restarting" | "exited";

export interface ContainerNetworkAttachment {
  /** Network name or ID. */
  network: string;
  /** Extra DNS names on this network (compose adds the service name). */
  aliases?: readonly string[];
  ipv4Address?: string;
}

export type { RestartPolicy } from "./restart-manager";

export interface ContainerConfig {
  name: string;
  /** The image reference as given (normalized with a tag). */
  image: string;
  spec: ImageSpec;
  /** Entrypoint + command. */
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  hostname: string;
  labels: Readonly<Record<string, string>>;
  /** "host" and "none" share the machine's stack or have none; otherwise networks below. */
  networkMode: "bridge" | "host" | "none" | "user";
  networks: readonly ContainerNetworkAttachment[];
  publish: readonly PortBinding[];
  stopSignal: Signal;
  /** Seconds; undefined means the engine default (10 s on Linux). Negative waits forever. */
  stopTimeoutSec: number | undefined;
  /** --init: tini is PID 1 and the program gets default signal actions. */
  init: boolean;
  /** --rm: removed as soon as it exits. */
  autoRemove: boolean;
  restartPolicy: RestartPolicy;
}

export interface ActiveEndpoint {
  network: EngineNetwork;
  address: string;
}

export class Container {
  state: ContainerState = "created";
  exitCode = 0;
  /** Simulated ms. */
  startedAt = -1;
  finishedAt = -1;
  /** Incremented on every start and exit: timers of an older run never fire. */
  run = 0;
  readonly log = new ContainerLog();
  program: Program | undefined;
  endpoints: ActiveEndpoint[] = [];
  proxies: PortProxy[] = [];
  /** The pending SIGKILL of a `docker stop`. */
  killTimer: Timer | undefined;
  /** Set by `docker stop`, cleared by start: the exit is reported as a "stop" event. */
  stoppedByUser = false;
  /** Set by `docker stop` and `docker kill`, cleared by start: dockerd's HasBeenManuallyStopped. */
  manuallyStopped = false;
  removed = false;
  /** Whether and when dockerd starts it again after an exit (--restart). */
  readonly restartManager: RestartManager;
  /** While "restarting": the policy's pending start. */
  restartTimer: Timer | undefined;
  /** The main process's PID on the machine (`docker top`, `top`); 0 when not running. */
  hostPid = 0;

  constructor(
    readonly id: string,
    readonly config: ContainerConfig,
    readonly createdAt: number,
    readonly random: Random,
    readonly meter: ResourceMeter,
  ) {
    this.restartManager = new RestartManager(config.restartPolicy);
  }

  get name(): string {
    return this.config.name;
  }

  get shortId(): string {
    return this.id.slice(0, 12);
  }

  get image(): string {
    return displayImageName(this.config.image);
  }

  /** The command as `docker ps` shows it (arguments joined by spaces). */
  get command(): string {
    return this.config.args.join(" ");
  }

  get isRunning(): boolean {
    return this.state === "running" || this.state === "paused";
  }

  /** The first address (what `hostname -i` prints), or "" off-network. */
  get address(): string {
    return this.endpoints[0]?.address ?? "";
  }

  /** Docker's Status column: "Up 5 minutes", "Up 3 seconds (Paused)", "Exited (137) 2 seconds ago", "Created". */
  status(now: number): string {
    switch (this.state) {
      case "created":
        return "Created";
      case "running":
        return `Up ${humanDuration(now - this.startedAt)}`;
      case "paused":
        return `Up ${humanDuration(now - this.startedAt)} (Paused)`;
      case "restarting":
        return `Restarting (${this.exitCode}) ${humanDuration(now - this.finishedAt)} ago`;
      case "exited":
        return `Exited (${this.exitCode}) ${humanDuration(now - this.finishedAt)} ago`;
    }
  }
}
