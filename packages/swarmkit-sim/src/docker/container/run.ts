// `docker run`: a docker:dind image becomes a node of the lab (a simulated machine with its own
// engine and swarm component) on the daemon that runs dind containers (node1); any other image
// runs on the daemon's engine. Errors as the CLI prints them (`docker: ...`, exit 125).
import type { ParsedCommand } from "../../cli/grammar/types";
import { type Job, until } from "../../cli/job";
import type { Container } from "../../engine/container";
import { EngineError } from "../../engine/errors";
import { normalizeImageName } from "../../engine/images";
import { type DockerIO, flagList, flagString } from "../io";
import { isRunning } from "./containers";
import type { DaemonContext } from "./context";
import { daemonContainers } from "./engine-containers";
import { isValidContainerName } from "./names";

/** How long `docker run` without -d stays attached to an engine container (simulated). */
const ATTACH_LIMIT_MS = 120_000;
/** How long it waits for an unprivileged dind to give up. */
const DIND_EXIT_WAIT_MS = 5_000;

/** docker:dind, docker:27-dind, docker:dind-rootless... */
export function isDindImage(image: string): boolean {
  const name = normalizeImageName(image).replace(/^docker\.io\/(library\/)?/, "");
  return /^docker:(.*-)?dind(-rootless)?$/.test(name);
}

/** The CLI's `docker run` error: "docker: <msg>." and the help hint, exit status 125. */
function runError(io: DockerIO, msg: string): number {
  io.err(`docker: ${msg.replace(/\.$/, "")}.\nSee 'docker run --help'.\n`);
  return 125;
}

/** What "pulling" an image prints the first time a daemon uses it. */
function pullOnce(ctx: DaemonContext, image: string, io: DockerIO): void {
  const full = normalizeImageName(image);
  if (ctx.pulled.has(full)) return;
  ctx.pulled.add(full);
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
  if (isDindImage(image)) return yield* runDind(cmd, io, ctx, image, givenName, detach);
  return yield* runOnEngine(cmd, io, ctx, image, givenName, detach);
}

function* runDind(
  cmd: ParsedCommand,
  io: DockerIO,
  ctx: DaemonContext,
  image: string,
  givenName: string | undefined,
  detach: boolean,
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
  pullOnce(ctx, image, io);
  const name = givenName ?? ctx.newContainerName();
  const c = dind.create(name, {
    privileged: cmd.flags.privileged === true,
    autoRemove: cmd.flags.rm === true,
    image: normalizeImageName(image).replace(/:latest$/, ""),
  });
  const lines = c.start();
  if (detach) {
    io.out(`${c.id}\n`);
    return 0;
  }
  io.err(lines.map((l) => `${l}\n`).join(""));
  if (!c.privileged) {
    // Attached: the CLI waits for the container to exit and returns its status.
    yield* until(() => !isRunning(c), DIND_EXIT_WAIT_MS);
    return c.exitCode();
  }
  io.err(
    `[lab] ${c.name} keeps running in the background: the lab cannot stay attached to it ` +
      "(as if you had detached with Ctrl-P Ctrl-Q). Next time, use docker run -d.\n",
  );
  return 0;
}

function* runOnEngine(
  cmd: ParsedCommand,
  io: DockerIO,
  ctx: DaemonContext,
  image: string,
  givenName: string | undefined,
  detach: boolean,
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
    io.err(`Unable to find image '${full}' locally\n`);
    return runError(
      io,
      `Error response from daemon: pull access denied for ${repo}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`,
    );
  }
  pullOnce(ctx, image, io);
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
  // Attached: follow the container until it exits (or the lab gives up waiting).
  yield* until(() => !c.isRunning, ATTACH_LIMIT_MS);
  for (const l of c.log.lines({})) (l.stream === "stderr" ? io.err : io.out)(`${l.text}\n`);
  if (c.isRunning) {
    io.err(
      `[lab] ${c.name} keeps running in the background: the lab cannot stay attached to it. ` +
        "Use docker logs to see its output, and docker run -d next time.\n",
    );
    return 0;
  }
  return c.exitCode;
}
