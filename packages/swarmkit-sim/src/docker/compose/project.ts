// `docker compose` for one project on one engine: up [-d] [--scale s=n], ps [-a] [-q]
// [--services] [--status s] [--format f], logs [--tail N] [--follow], stop, start, restart,
// down, and Ctrl-C on an attached `up` (SIGTERM to every container, SIGKILL after the stop
// timeout for those that ignore it; a second Ctrl-C kills at once). What waits (the Docker
// API's steps, a stop of up to 10 s) is a job (src/cli/job.ts): the host loop lets the
// simulated time pass, as a person at the terminal would wait. Outputs are returned as text
// lines in compose v2's formats.
import { parseGoDuration } from "../../cli/grammar/go-values";
import { forMs, Interrupt, type Job, until } from "../../cli/job";
import type { Container } from "../../engine/container";
import type { Engine } from "../../engine/engine";
import { EngineError } from "../../engine/errors";
import { parseSignal } from "../../engine/signals";
import type { ComposeFile, ComposeService } from "./file";
import { TABLE_FORMAT, writeFormatted } from "../../cli/format/formatter";
import {
  COMPOSE_PS_HEADER,
  composePsContext,
  type ProgressTask,
  progressFrame,
  psRow,
  psTable,
} from "./format";
import { buildKey } from "./load";
import { LogFollow, logsSnapshot } from "./logs";

export const LABEL_PROJECT = "com.docker.compose.project";
export const LABEL_SERVICE = "com.docker.compose.service";
export const LABEL_NUMBER = "com.docker.compose.container-number";
export const LABEL_ONEOFF = "com.docker.compose.oneoff";

/** Simulated time the Docker API takes for compose's steps (what its timers then show). */
const NETWORK_CREATE_MS = 100;
const CONTAINER_CREATE_MS = 80;
const CONTAINER_START_MS = 320;
const CONTAINER_REMOVE_MS = 60;
const NETWORK_REMOVE_MS = 150;
/** Unread lines an attached `up` keeps (a terminal's scrollback, not the whole run). */
const ATTACHED_KEEP_LINES = 1000;

/** A command that failed part way: what it printed, and the daemon's error compose prints last. */
export class ComposeCommandError extends Error {
  constructor(
    readonly output: readonly string[],
    message: string,
  ) {
    super(message);
  }
}

export interface ComposeProjectOptions {
  /** Project name (default: the file's name, else "default"). */
  name?: string;
  /** Build context -> an image registered in the engine (what building it produces). */
  builds?: Readonly<Record<string, string>>;
}

export interface UpOptions {
  /** -d */
  detach?: boolean;
  /** --scale SERVICE=NUM (repeatable). */
  scale?: Readonly<Record<string, number>>;
  /** -t/--timeout: seconds for stopping containers (scale-down, Ctrl-C). */
  timeoutSec?: number;
  /** Only these services. */
  services?: readonly string[];
  /** Colour the attached logs' prefixes (stdout is a terminal). */
  colour?: boolean;
}

export interface PsOptions {
  /** -a */
  all?: boolean;
  /** Only these services (each must exist). */
  services?: readonly string[];
  /** -q: the containers' full IDs. */
  quiet?: boolean;
  /** --services: the services' names. */
  servicesOnly?: boolean;
  /** --status (and --filter status=...): only containers in these states. */
  status?: readonly string[];
  /** --format: "table" (the default), "json", or a Go template ("table TEMPLATE" for a table). */
  format?: string;
  /** --no-trunc */
  noTrunc?: boolean;
}

export interface UpResult {
  /** What compose printed. */
  output: string[];
  /** For an attached `up`: the aggregated logs, read as the simulation runs. */
  attached?: LogFollow;
  /** Set when compose failed (it printed the error last and exited 1). */
  error?: string;
}

export interface LogsOptions {
  services?: readonly string[];
  /** --tail N ("all" by default). */
  tail?: number | "all";
  /** -f/--follow */
  follow?: boolean;
  /** -t/--timestamps */
  timestamps?: boolean;
  /** --no-log-prefix */
  noLogPrefix?: boolean;
  /** Colour the prefixes (stdout is a terminal, and no --no-color). */
  colour?: boolean;
}

export interface LogsResult {
  lines: string[];
  follow?: LogFollow;
}

export class ComposeProject {
  readonly name: string;
  private readonly builds: Readonly<Record<string, string>>;
  private attachment: LogFollow | undefined;
  private upTimeoutSec: number | undefined;

  constructor(
    readonly engine: Engine,
    readonly file: ComposeFile,
    opts: ComposeProjectOptions = {},
  ) {
    this.name = opts.name ?? file.name ?? "default";
    this.builds = opts.builds ?? {};
  }

  /** The aggregated logs of an attached `up` still running (what Ctrl-C interrupts). */
  get attached(): LogFollow | undefined {
    return this.attachment;
  }

  get networkName(): string {
    return `${this.name}_default`;
  }

  get serviceNames(): string[] {
    return Object.keys(this.file.services);
  }

  private service(name: string): ComposeService {
    const s = this.file.services[name];
    if (!s) throw new Error(`no such service: ${name}`);
    return s;
  }

  /** The service a container belongs to, if it is one of this project's. */
  serviceOf(c: Container): string | undefined {
    return c.config.labels[LABEL_PROJECT] === this.name ? c.config.labels[LABEL_SERVICE] : undefined;
  }

  numberOf(c: Container): number {
    return Number(c.config.labels[LABEL_NUMBER] ?? "0");
  }

  /** The name compose prints for a container: without the project ("rng-1"). */
  shortName(c: Container): string {
    const svc = this.serviceOf(c) ?? c.name;
    const def = `${this.name}-${svc}-${this.numberOf(c)}`;
    return c.name === def ? `${svc}-${this.numberOf(c)}` : c.name;
  }

  /** The project's containers (running, or all), in service order then by number. */
  containers(opts: { service?: string; all?: boolean } = {}): Container[] {
    const order = this.serviceNames;
    return this.engine
      .containers({ all: opts.all })
      .filter((c) => {
        const s = this.serviceOf(c);
        return s !== undefined && (opts.service === undefined || s === opts.service);
      })
      .sort(
        (a, b) =>
          order.indexOf(this.serviceOf(a)!) - order.indexOf(this.serviceOf(b)!) ||
          this.numberOf(a) - this.numberOf(b),
      );
  }

  /** The image a service runs: its `image`, or `<project>-<service>` for a build. */
  imageOf(service: string): string {
    const s = this.service(service);
    if (s.image) return s.image;
    return `${this.name}-${service}`;
  }

  private ensureImage(service: string): void {
    const s = this.service(service);
    const image = this.imageOf(service);
    if (this.engine.images.has(image)) return;
    const built = s.build ? this.builds[buildKey(s.build)] : undefined;
    if (built === undefined)
      throw new EngineError(
        `pull access denied for ${image}, repository does not exist or may require 'docker login'`,
        404,
      );
    this.engine.images.tag(built, image);
  }

  private stopTimeoutOf(service: string): number | undefined {
    const g = this.service(service).stop_grace_period;
    if (g === undefined) return undefined;
    const d = parseGoDuration(g);
    if (!d.ok) throw new Error(d.error);
    return d.value / 1000;
  }

  // ------------------------------------------------------------------ up

  *up(opts: UpOptions = {}): Job<UpResult> {
    const engine = this.engine;
    const sim = engine.sim;
    const services = opts.services ?? this.serviceNames;
    this.upTimeoutSec = opts.timeoutSec;
    const tasks: ProgressTask[] = [];
    for (const s of services) this.ensureImage(s);

    if (!engine.findNetwork(this.networkName)) {
      const t0 = sim.now();
      engine.createNetwork(this.networkName, {
        labels: { "com.docker.compose.network": "default", [LABEL_PROJECT]: this.name },
      });
      yield* forMs(NETWORK_CREATE_MS);
      tasks.push({
        kind: "Network",
        name: this.networkName,
        status: "Created",
        seconds: (sim.now() - t0) / 1000,
      });
    }

    const desired = new Map<string, number>();
    for (const s of services) desired.set(s, opts.scale?.[s] ?? this.service(s).scale ?? 1);

    // Scale down: the highest numbers go, stopped then removed, all at once.
    const extras: Container[] = [];
    for (const s of services) {
      const list = this.containers({ service: s, all: true });
      const keep = desired.get(s)!;
      const sorted = [...list].sort((a, b) => this.numberOf(b) - this.numberOf(a));
      extras.push(...sorted.slice(0, Math.max(0, list.length - keep)));
    }
    if (extras.length > 0) tasks.push(...(yield* this.stopAndRemove(extras, opts.timeoutSec)));

    // Start what exists but is stopped, create what is missing.
    const toStart: Container[] = [];
    const created = new Set<Container>();
    const t0 = sim.now();
    for (const s of services) {
      const list = this.containers({ service: s, all: true });
      for (const c of list) {
        if (c.isRunning) tasks.push({ kind: "Container", name: c.name, status: "Running", seconds: 0 });
        else toStart.push(c);
      }
      let next = Math.max(0, ...list.map((c) => this.numberOf(c))) + 1;
      for (let k = list.length; k < desired.get(s)!; k++) {
        const c = this.createContainer(s, next++);
        created.add(c);
        toStart.push(c);
      }
    }
    if (created.size > 0) yield* forMs(CONTAINER_CREATE_MS);

    let attached: LogFollow | undefined;
    if (!opts.detach) {
      this.attachment?.close();
      attached = new LogFollow(engine, this.containers({ all: true }), {
        select: (c) => (this.serviceOf(c) ? this.shortName(c) : undefined),
        exits: true,
        keep: ATTACHED_KEEP_LINES,
        colour: opts.colour,
      });
      this.attachment = attached;
    }

    let error: string | undefined;
    const startedAt = new Map<Container, boolean>();
    for (const c of toStart) {
      try {
        engine.start(c.id);
        startedAt.set(c, true);
      } catch (e) {
        error = `Error response from daemon: ${(e as Error).message}`;
        tasks.push({
          kind: "Container",
          name: c.name,
          status: "Error",
          seconds: (sim.now() - t0) / 1000,
          failed: true,
        });
        break;
      }
    }
    if (startedAt.size > 0) yield* forMs(CONTAINER_START_MS);
    for (const c of toStart) {
      if (!startedAt.get(c)) continue;
      // Attached, compose shows creation only: the containers' own logs follow.
      const status = opts.detach ? "Started" : created.has(c) ? "Created" : "Started";
      tasks.push({ kind: "Container", name: c.name, status, seconds: (sim.now() - t0) / 1000 });
    }

    const output = progressFrame("Running", tasks);
    if (error) {
      output.push(error);
      return { output, error };
    }
    if (attached) {
      const names = this.containers().map((c) => this.shortName(c));
      output.push(`Attaching to ${names.join(", ")}`);
    }
    return { output, attached };
  }

  /** `up -d --scale service=n` for one service. */
  scale(service: string, n: number, opts: { timeoutSec?: number } = {}): Job<UpResult> {
    return this.up({ detach: true, scale: { [service]: n }, timeoutSec: opts.timeoutSec });
  }

  private createContainer(service: string, n: number): Container {
    const s = this.service(service);
    const name = s.container_name ?? `${this.name}-${service}-${n}`;
    return this.engine.create({
      image: this.imageOf(service),
      name,
      command: s.command,
      entrypoint: s.entrypoint,
      env: s.environment,
      network: this.networkName,
      networks: [{ network: this.networkName, aliases: [service] }],
      publish: s.ports,
      stopSignal: s.stop_signal ? parseSignal(s.stop_signal) : undefined,
      stopTimeoutSec: this.stopTimeoutOf(service),
      init: s.init,
      labels: {
        [LABEL_PROJECT]: this.name,
        [LABEL_SERVICE]: service,
        [LABEL_NUMBER]: String(n),
        [LABEL_ONEOFF]: "False",
      },
    });
  }

  /**
   * Stops the containers in parallel (stop signal, SIGKILL after the timeout), waits until
   * they have exited, and reports each one's time.
   */
  private *stopAll(
    list: readonly Container[],
    timeoutSec: number | undefined,
    status: string,
    /** Output to show while waiting (an attached up's logs): shown whenever `ready()` holds. */
    show?: { ready: () => boolean; flush: () => void },
  ): Job<ProgressTask[]> {
    const engine = this.engine;
    const sim = engine.sim;
    const t0 = sim.now();
    const exitedAt = new Map<Container, number>();
    for (const c of list) {
      engine.stop(c.id, { timeoutSec }, () => exitedAt.set(c, sim.now()));
    }
    const longest = Math.max(
      0,
      ...list.map((c) => timeoutSec ?? c.config.stopTimeoutSec ?? engine.defaultStopTimeoutSec),
    );
    const allExited = () => list.every((c) => !c.isRunning);
    const deadline = sim.now() + (longest < 0 ? 3_600_000 : longest * 1000 + 1000);
    if (!show) yield* until(allExited, deadline - sim.now());
    else
      while (!allExited() && sim.now() < deadline) {
        yield* until(() => allExited() || show.ready(), deadline - sim.now());
        show.flush();
      }
    return list.map((c) => ({
      kind: "Container" as const,
      name: c.name,
      status,
      seconds: ((exitedAt.get(c) ?? sim.now()) - t0) / 1000,
    }));
  }

  private *stopAndRemove(list: readonly Container[], timeoutSec: number | undefined): Job<ProgressTask[]> {
    const tasks = yield* this.stopAll(list, timeoutSec, "Removed");
    yield* forMs(CONTAINER_REMOVE_MS);
    for (const c of list) if (!c.removed) this.engine.remove(c.id, { force: true });
    for (const t of tasks) t.seconds += CONTAINER_REMOVE_MS / 1000;
    return tasks;
  }

  // ------------------------------------------------------------------ Ctrl-C

  /**
   * Ctrl-C in an attached `up`: every container is stopped gracefully (stop signal, SIGKILL
   * after the stop timeout) and the job waits for them; a second Ctrl-C while they stop (an
   * Interrupt thrown into the job) kills what is still running. Returns what compose prints
   * (its first line through `onStopping`, when given, as soon as the stop begins).
   */
  *interrupt(emit?: (line: string) => void): Job<string[]> {
    const out: string[] = [];
    // On a terminal (`emit`) everything shows as it comes: the first line at once, the
    // containers' last log lines while they stop, then the final frame.
    const say = (lines: readonly string[]) => {
      if (emit) for (const l of lines) emit(l);
      else out.push(...lines);
    };
    say(["Gracefully stopping... (press Ctrl+C again to force)"]);
    const logs = this.attachment;
    const flush = emit && logs ? () => say(logs.read()) : undefined;
    try {
      say(
        progressFrame(
          "Stopping",
          yield* this.stopAll(
            this.containers(),
            this.upTimeoutSec,
            "Stopped",
            flush && logs ? { ready: () => logs.hasUnread, flush } : undefined,
          ),
        ),
      );
    } catch (e) {
      if (!(e instanceof Interrupt)) throw e;
      say(this.kill());
    }
    if (this.attachment && this.containers().length === 0) {
      say(this.attachment.read());
      this.attachment.close();
      this.attachment = undefined;
    }
    return out;
  }

  /** The impatient second Ctrl-C: SIGKILL to what still runs, at once. */
  private kill(): string[] {
    const running = this.containers();
    const t0 = this.engine.sim.now();
    for (const c of running) this.engine.kill(c.id, "SIGKILL");
    return progressFrame(
      "Killing",
      running.map((c) => ({
        kind: "Container" as const,
        name: c.name,
        status: "Killed",
        seconds: (this.engine.sim.now() - t0) / 1000,
      })),
    );
  }

  // ------------------------------------------------------------------ ps, logs, stop, down

  /**
   * `ps`: the services' containers by name (the stopped ones too with `all` or a status
   * filter), as IDs (`quiet`), service names (`servicesOnly`), the default table, or a format.
   */
  ps(opts: PsOptions = {}): string {
    const status = opts.status ?? [];
    const list = this.containersOf(opts.services, { all: opts.all || status.length > 0 })
      .filter((c) => status.length === 0 || status.includes(c.state))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (opts.quiet) return list.map((c) => `${c.id}\n`).join("");
    if (opts.servicesOnly) return `${[...new Set(list.map((c) => this.serviceOf(c)!))].join("\n")}\n`;
    const format = opts.format ?? "";
    if (format === "" || format === TABLE_FORMAT)
      return psTable(
        list.map((c) => psRow(this.engine, c, this.imageOf(this.serviceOf(c)!), this.serviceOf(c)!)),
      );
    const rows = list.map((c) =>
      composePsContext(this.engine, c, {
        project: this.name,
        service: this.serviceOf(c)!,
        image: this.imageOf(this.serviceOf(c)!),
        trunc: !opts.noTrunc,
      }),
    );
    return writeFormatted(format, COMPOSE_PS_HEADER, rows);
  }

  logs(opts: LogsOptions = {}): LogsResult {
    const wanted = (c: Container) => {
      const s = this.serviceOf(c);
      return s !== undefined && (!opts.services || opts.services.includes(s));
    };
    const list = this.containers({ all: true }).filter(wanted);
    const prefix = !opts.noLogPrefix;
    if (!opts.follow) {
      return {
        lines: logsSnapshot(list, (c) => this.shortName(c), {
          tail: opts.tail,
          timestamps: opts.timestamps,
          prefix,
          colour: opts.colour,
        }),
      };
    }
    const follow = new LogFollow(this.engine, list, {
      select: (c) => (wanted(c) ? this.shortName(c) : undefined),
      tail: opts.tail ?? "all",
      timestamps: opts.timestamps,
      prefix,
      exits: true,
      colour: opts.colour,
    });
    return { lines: follow.read(), follow };
  }

  *stop(opts: { timeoutSec?: number; services?: readonly string[] } = {}): Job<string[]> {
    const list = this.containers().filter(
      (c) => !opts.services || opts.services.includes(this.serviceOf(c)!),
    );
    return progressFrame("Stopping", yield* this.stopAll(list, opts.timeoutSec, "Stopped"));
  }

  /** `start [SERVICE...]`: starts the services' stopped containers; running ones are left alone. */
  *start(opts: { services?: readonly string[] } = {}): Job<string[]> {
    const sim = this.engine.sim;
    const t0 = sim.now();
    const list = this.containersOf(opts.services, { all: true }).filter((c) => !c.isRunning);
    const { tasks, error } = yield* this.startAll(list, new Map(), t0);
    return this.withError(progressFrame("Running", tasks), error);
  }

  /**
   * `restart [SERVICE...]`: every container of the services, running or not, is stopped (its
   * stop signal, SIGKILL after the timeout) and started again, all at once, as the Docker API's
   * container restart does; each one's time is its own stop and start.
   */
  *restart(opts: { timeoutSec?: number; services?: readonly string[] } = {}): Job<string[]> {
    const sim = this.engine.sim;
    const t0 = sim.now();
    const list = this.containersOf(opts.services, { all: true });
    const stopped = yield* this.stopAll(
      list.filter((c) => c.isRunning),
      opts.timeoutSec,
      "Stopped",
    );
    const stopSeconds = new Map(stopped.map((t) => [t.name, t.seconds]));
    const { tasks, error } = yield* this.startAll(list, stopSeconds, t0);
    return this.withError(progressFrame("Restarting", tasks), error);
  }

  /**
   * Starts the containers at once and reports each one "Started" (its time: `before`, what it
   * took until then, plus the start), or the first start the daemon refuses, whose error
   * compose prints last.
   */
  private *startAll(
    list: readonly Container[],
    before: ReadonlyMap<string, number>,
    t0: number,
  ): Job<{ tasks: ProgressTask[]; error?: string }> {
    const sim = this.engine.sim;
    const started: Container[] = [];
    let failed: Container | undefined;
    let error: string | undefined;
    for (const c of list) {
      try {
        this.engine.start(c.id);
        started.push(c);
      } catch (e) {
        failed = c;
        error = `Error response from daemon: ${(e as Error).message}`;
        break;
      }
    }
    if (started.length > 0) yield* forMs(CONTAINER_START_MS);
    const tasks: ProgressTask[] = started.map((c) => ({
      kind: "Container",
      name: c.name,
      status: "Started",
      seconds: (before.get(c.name) ?? 0) + CONTAINER_START_MS / 1000,
    }));
    if (failed)
      tasks.push({
        kind: "Container",
        name: failed.name,
        status: "Error",
        seconds: (sim.now() - t0) / 1000,
        failed: true,
      });
    return { tasks, error };
  }

  private withError(frame: string[], error: string | undefined): string[] {
    if (error) throw new ComposeCommandError(frame, error);
    return frame;
  }

  /** The containers of the named services (all services when none are named). */
  private containersOf(services: readonly string[] | undefined, opts: { all?: boolean } = {}): Container[] {
    for (const s of services ?? [])
      if (!this.serviceNames.includes(s)) throw new Error(`no such service: ${s}`);
    return this.containers(opts).filter((c) => !services || services.includes(this.serviceOf(c)!));
  }

  *down(opts: { timeoutSec?: number } = {}): Job<string[]> {
    const engine = this.engine;
    const sim = engine.sim;
    const list = this.containers({ all: true });
    const tasks = list.length > 0 ? yield* this.stopAndRemove(list, opts.timeoutSec) : [];
    const net = engine.findNetwork(this.networkName);
    if (net) {
      const t0 = sim.now();
      yield* forMs(NETWORK_REMOVE_MS);
      engine.removeNetwork(net.id);
      tasks.push({
        kind: "Network",
        name: this.networkName,
        status: "Removed",
        seconds: (sim.now() - t0) / 1000,
      });
    }
    this.attachment?.close();
    this.attachment = undefined;
    return progressFrame("Running", tasks);
  }
}
