// `docker run`: a docker:dind image becomes a node of the lab (a simulated machine with its own
// engine and swarm component) on the daemon that runs dind containers (node1); any other image
// runs on the daemon's engine. Errors as the CLI prints them (`docker: ...`, exit 125).
//
// Without -d the CLI stays attached: the container's output streams until it exits, and the
// CLI exits with its status. Ctrl-C is forwarded to the container as SIGINT (--sig-proxy,
// the default): what the container does with it decides (dockerd in docker:dind shuts down
// cleanly and exits 0; a program without a handler, as PID 1, ignores it), and the CLI stays
// attached until the container exits. With --sig-proxy=false Ctrl-C ends the CLI (status 130)
// and the container keeps running.
import type { ParsedCommand } from "../../cli/grammar/types";
import { attached, Interrupt, type Job } from "../../cli/job";
import type { Container, RestartPolicy } from "../../engine/container";
import { EngineError } from "../../engine/errors";
import { normalizeImageName } from "../../engine/images";
import type { LogLine } from "../../engine/logs";
import { type DockerIO, flagList, flagString } from "../io";
import { isRunning } from "./containers";
import type { DaemonContext } from "./context";
import { daemonContainers } from "./engine-containers";
import { isValidContainerName } from "./names";
import { notSimulatedNote } from "../image-catalog";

/**
 * How long a transcript follows `docker run` attached to an engine container before handing the
 * prompt back: a program one runs attached usually ends by itself (httping -c 5). dockerd in a
 * docker:dind never does: a transcript follows it for its default show time.
 */
const TRANSCRIPT_FOLLOW_MS = 120_000;

const LABEL = "docker run";

/** A container the CLI is attached to, as the attach loop sees it. */
interface Attachment {
  /** Writes the output that came since the last call. */
  flush(): void;
  hasOutput(): boolean;
  running(): boolean;
  exitCode(): number;
  /** Ctrl-C, forwarded. */
  sigint(): void;
  showMs?: number;
}

/** Streams the container's output until it exits (see the header for Ctrl-C); its exit status. */
function* stayAttached(cmd: ParsedCommand, a: Attachment): Job<number> {
  const sigProxy = cmd.flags["sig-proxy"] !== false;
  for (;;) {
    a.flush();
    if (!a.running()) return a.exitCode();
    try {
      yield* attached(() => a.hasOutput() || !a.running(), LABEL, sigProxy, { showMs: a.showMs });
    } catch (e) {
      if (!(e instanceof Interrupt) || !sigProxy) throw e;
      a.sigint();
    }
  }
}

/** docker:dind, docker:27-dind, docker:dind-rootless... */
export function isDindImage(image: string): boolean {
  const name = normalizeImageName(image).replace(/^docker\.io\/(library\/)?/, "");
  return /^docker:(.*-)?dind(-rootless)?$/.test(name);
}

/** The CLI's `docker run` error: "docker: <msg>." and the help hint, exit status 125. */
function runError(io: DockerIO, msg: string): number {
  io.err(`docker: ${msg.replace(/\.$/, "")}.\nSee 'docker run --help'.\n`);
  return runErrorStatus(msg);
}

/**
 * The CLI's exit status for a run that failed (run.go runStartContainerErr): 127 when the
 * command's program was not found, 126 when it could not be executed, 125 otherwise.
 */
function runErrorStatus(msg: string): number {
  if (/executable file not found|no such file or directory/.test(msg)) return 127;
  if (/permission denied|is a directory/.test(msg)) return 126;
  return 125;
}

/**
 * --restart as the CLI parses it (opts.ParseRestartPolicy) and the daemon checks it
 * (ValidateRestartPolicy): the policy, or the error text `docker run` prints.
 */
export function parseRestartPolicy(text: string): RestartPolicy | string {
  if (text === "" || text === "no") return { name: "no", maximumRetryCount: 0 };
  const colon = text.indexOf(":");
  const name = colon < 0 ? text : text.slice(0, colon);
  const count = colon < 0 ? "" : text.slice(colon + 1);
  if (colon === 0) return "invalid restart policy format: no policy provided before colon";
  if (count !== "" && !/^[+-]?\d+$/.test(count))
    return "invalid restart policy format: maximum retry count must be an integer";
  const max = count === "" ? 0 : Number(count);
  if (name === "always" || name === "unless-stopped" || name === "no") {
    if (max !== 0)
      return "Error response from daemon: invalid restart policy: maximum retry count can only be used with 'on-failure'";
    return { name, maximumRetryCount: 0 };
  }
  if (name === "on-failure") {
    if (max < 0)
      return "Error response from daemon: invalid restart policy: maximum retry count cannot be negative";
    return { name, maximumRetryCount: max };
  }
  return `Error response from daemon: invalid restart policy: unknown policy '${name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`;
}

/** What "pulling" an image prints the first time a daemon uses it (nothing with -q). */
function pullOnce(ctx: DaemonContext, image: string, io: DockerIO, quiet: boolean): void {
  const full = normalizeImageName(image);
  if (ctx.pulled.has(full)) return;
  ctx.pulled.add(full);
  if (quiet) return;
  const colon = full.lastIndexOf(":");
  const repo = full.slice(0, colon);
  const tag = full.slice(colon + 1);
  const digest = Buffer.from(ctx.sim.random.fork(`lab/digest/${full}`).bytes(32)).toString("hex");
  io.err(
    `Unable to find image '${full}' locally\n` +
      `${tag}: Pulling from ${repo.includes("/") ? repo : `library/${repo}`}\n` +
      `Digest: sha256:${digest}\n` +
      `Status: Downloaded newer image for ${full}\n`,
  );
}

export function* dockerRun(cmd: ParsedCommand, io: DockerIO, ctx: DaemonContext): Job<number> {
  const image = cmd.args[0];
  const detach = cmd.flags.detach === true;
  // The CLI's first check, before anything reaches the daemon (run.go, streams.In.CheckTty):
  // piped input cannot feed a pseudo-TTY.
  if (!detach && cmd.flags.interactive === true && cmd.flags.tty === true && !io.stdinIsTerminal) {
    io.err("the input device is not a TTY\n");
    return 1;
  }
  // The CLI parses --restart and refuses it beside --rm (opts.parse) before the daemon sees a name.
  const restartPolicy = parseRestartPolicy(flagString(cmd, "restart"));
  if (typeof restartPolicy === "string") return runError(io, restartPolicy);
  if (cmd.flags.rm === true && restartPolicy.name !== "no")
    return runError(io, "Conflicting options: --restart and --rm");
  const givenName = cmd.changed.has("name") ? flagString(cmd, "name").replace(/^\//, "") : undefined;
  if (givenName !== undefined) {
    if (!isValidContainerName(givenName)) {
      return runError(
        io,
        `Error response from daemon: Invalid container name (${givenName}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
      );
    }
    const other = daemonContainers(ctx.engine, ctx.dind?.containers ?? []).find((c) => c.name === givenName);
    if (other) {
      return runError(
        io,
        `Error response from daemon: Conflict. The container name "/${givenName}" is already in use by container "${other.id}". You have to remove (or rename) that container to be able to reuse that name`,
      );
    }
  }
  if (isDindImage(image)) return yield* runDind(cmd, io, ctx, image, givenName, detach, restartPolicy);
  return yield* runOnEngine(cmd, io, ctx, image, givenName, detach, restartPolicy);
}

function* runDind(
  cmd: ParsedCommand,
  io: DockerIO,
  ctx: DaemonContext,
  image: string,
  givenName: string | undefined,
  detach: boolean,
  restartPolicy: RestartPolicy,
): Job<number> {
  const dind = ctx.dind;
  if (!dind) {
    return runError(
      io,
      "Error response from daemon: [lab] docker:dind inside a docker:dind node is not simulated; create the nodes from node1",
    );
  }
  if (givenName !== undefined && dind.machineExists(givenName)) {
    return runError(
      io,
      `Error response from daemon: [lab] a machine named ${givenName} already exists in the lab`,
    );
  }
  pullOnce(ctx, image, io, cmd.flags.quiet === true);
  const name = givenName ?? ctx.newContainerName();
  const c = dind.create(name, {
    privileged: cmd.flags.privileged === true,
    autoRemove: cmd.flags.rm === true,
    image: normalizeImageName(image).replace(/:latest$/, ""),
    restartPolicy,
  });
  const shownBefore = c.logs.length;
  c.start();
  if (detach) {
    io.out(`${c.id}\n`);
    return 0;
  }
  // dockerd writes its log to stderr.
  let shown = shownBefore;
  return yield* stayAttached(cmd, {
    flush: () => {
      io.err(
        c.logs
          .slice(shown)
          .map((l) => `${l}\n`)
          .join(""),
      );
      shown = c.logs.length;
    },
    hasOutput: () => c.logs.length > shown,
    running: () => isRunning(c),
    exitCode: () => c.exitCode(),
    sigint: () => c.terminate("SIGINT"),
  });
}

function* runOnEngine(
  cmd: ParsedCommand,
  io: DockerIO,
  ctx: DaemonContext,
  image: string,
  givenName: string | undefined,
  detach: boolean,
  restartPolicy: RestartPolicy,
): Job<number> {
  const engine = ctx.engine;
  if (!engine)
    return runError(
      io,
      "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
    );
  const full = normalizeImageName(image);
  if (!engine.images.has(full)) {
    const repo = full.slice(0, full.lastIndexOf(":"));
    if (cmd.flags.quiet !== true) io.err(`Unable to find image '${full}' locally\n`);
    const code = runError(
      io,
      `Error response from daemon: pull access denied for ${repo}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`,
    );
    io.err(notSimulatedNote(full, engine.images));
    return code;
  }
  pullOnce(ctx, image, io, cmd.flags.quiet === true);
  const networks = cmd.flags.network;
  const network =
    Array.isArray(networks) && networks.length > 0 ? (networks[0] as { target: string }).target : undefined;
  let c: Container;
  try {
    c = engine.run({
      image: full,
      name: givenName,
      command: cmd.args.length > 1 ? cmd.args.slice(1) : undefined,
      entrypoint: cmd.changed.has("entrypoint") ? [flagString(cmd, "entrypoint")] : undefined,
      env: flagList(cmd, "env"),
      hostname: cmd.changed.has("hostname") ? flagString(cmd, "hostname") : undefined,
      network,
      publish: flagList(cmd, "publish"),
      init: cmd.flags.init === true,
      autoRemove: cmd.flags.rm === true,
      restartPolicy,
      stopTimeoutSec: cmd.changed.has("stop-timeout") ? Number(cmd.flags["stop-timeout"]) : undefined,
    });
  } catch (e) {
    const msg = e instanceof EngineError ? `Error response from daemon: ${e.message}` : (e as Error).message;
    return runError(io, msg);
  }
  if (detach) {
    io.out(`${c.id}\n`);
    return 0;
  }
  const container = c;
  const pending: LogLine[] = [...container.log.lines({})];
  const stopFollowing = container.log.follow((l) => pending.push(l));
  try {
    return yield* stayAttached(cmd, {
      flush: () => {
        for (const l of pending.splice(0)) (l.stream === "stderr" ? io.err : io.out)(`${l.text}\n`);
      },
      hasOutput: () => pending.length > 0,
      running: () => container.isRunning,
      exitCode: () => container.exitCode,
      sigint: () => {
        // A paused container cannot take the signal (the daemon refuses); the CLI waits on.
        if (container.state === "running") engine.kill(container.id, "SIGINT");
      },
      showMs: TRANSCRIPT_FOLLOW_MS,
    });
  } finally {
    stopFollowing();
  }
}
