// The docker container commands of a lab node: run, ps, stop, start, restart, kill, pause,
// unpause, rm and logs, over node1's docker:dind nodes and every node's engine containers,
// with the Docker CLI's output and the daemon's error messages.
import type { FlagValue, ParsedCommand } from "../cli/grammar/types";
import type { Container } from "../engine/container";
import { EngineError } from "../engine/errors";
import { normalizeImageName } from "../engine/images";
import { parseSignal } from "../engine/signals";
import { type LabContainer, findContainer, isRunning } from "./containers";
import type { DindContainer } from "./dind";
import type { Lab } from "./lab";
import { isValidContainerName } from "./names";
import { engineOf, nodeContainers } from "./node-containers";
import type { Shell } from "./node";
import type { LabIO } from "./plugin";
import { printFormatted } from "../cli/format/formatter";
import { CONTAINER_HEADER, containerContext, containerFormat } from "./ps-format";

export type ContainerHandler = (cmd: ParsedCommand, io: LabIO, shell: Shell) => number;

/** How long `docker run` without -d stays attached to an engine container (simulated). */
const ATTACH_LIMIT_MS = 120_000;
const DEFAULT_STOP_TIMEOUT_SEC = 10;

/** docker:dind, docker:27-dind, docker:dind-rootless... */
export function isDindImage(image: string): boolean {
  const name = normalizeImageName(image).replace(/^docker\.io\/(library\/)?/, "");
  return /^docker:(.*-)?dind(-rootless)?$/.test(name);
}

function str(v: FlagValue | undefined): string {
  return typeof v === "string" ? v : v === undefined ? "" : String(v);
}

function strList(v: FlagValue | undefined): string[] {
  return Array.isArray(v) ? (v as unknown[]).map((x) => (typeof x === "string" ? x : JSON.stringify(x))) : [];
}

/** The CLI's `docker run` error: "docker: <msg>." and the help hint, exit status 125. */
function runError(io: LabIO, msg: string): number {
  io.err(`docker: ${msg.replace(/\.$/, "")}.\nSee 'docker run --help'.\n`);
  return 125;
}

/** What "pulling" an image prints the first time a node uses it. */
function pullOnce(lab: Lab, shell: Shell, image: string, io: LabIO): void {
  const pulled = lab.pulledImages(shell.node);
  const full = normalizeImageName(image);
  if (pulled.has(full)) return;
  pulled.add(full);
  const colon = full.lastIndexOf(":");
  const repo = full.slice(0, colon);
  const tag = full.slice(colon + 1);
  const digest = Buffer.from(lab.sim.random.fork(`lab/digest/${full}`).bytes(32)).toString("hex");
  io.err(
    `Unable to find image '${full}' locally\n` +
      `${tag}: Pulling from ${repo.includes("/") ? repo : `library/${repo}`}\n` +
      `Digest: sha256:${digest}\n` +
      `Status: Downloaded newer image for ${full}\n`,
  );
}

/** Is a container name taken on this node (by a dind node or an engine container)? */
function nameTaken(lab: Lab, shell: Shell, name: string): LabContainer | undefined {
  return nodeContainers(shell.node, lab.containers).find((c) => c.name === name);
}

export function dockerRun(lab: Lab): ContainerHandler {
  return (cmd, io, shell) => {
    const image = cmd.args[0];
    const detach = cmd.flags.detach === true;
    // The CLI's first check, before anything reaches the daemon (run.go, streams.In.CheckTty):
    // piped input cannot feed a pseudo-TTY.
    if (!detach && cmd.flags.interactive === true && cmd.flags.tty === true && !io.stdinIsTerminal) {
      io.err("the input device is not a TTY\n");
      return 1;
    }
    const givenName = cmd.changed.has("name") ? str(cmd.flags.name).replace(/^\//, "") : undefined;
    if (givenName !== undefined) {
      if (!isValidContainerName(givenName)) {
        return runError(
          io,
          `Error response from daemon: Invalid container name (${givenName}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
        );
      }
      const other = nameTaken(lab, shell, givenName);
      if (other) {
        return runError(
          io,
          `Error response from daemon: Conflict. The container name "/${givenName}" is already in use by container "${other.id}". You have to remove (or rename) that container to be able to reuse that name`,
        );
      }
    }
    if (isDindImage(image)) return runDind(lab, cmd, io, shell, image, givenName, detach);
    return runOnEngine(lab, cmd, io, shell, image, givenName, detach);
  };
}

function runDind(
  lab: Lab,
  cmd: ParsedCommand,
  io: LabIO,
  shell: Shell,
  image: string,
  givenName: string | undefined,
  detach: boolean,
): number {
  if (shell.node.kind !== "host") {
    return runError(
      io,
      "Error response from daemon: [lab] docker:dind inside a docker:dind node is not simulated; create the nodes from node1",
    );
  }
  if (givenName !== undefined && lab.sim.hasMachine(givenName)) {
    return runError(
      io,
      `Error response from daemon: [lab] a machine named ${givenName} already exists in the lab`,
    );
  }
  pullOnce(lab, shell, image, io);
  const name = givenName ?? lab.newContainerName(shell.node);
  const c = lab.createDind(name, {
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
    lab.sim.runUntil(() => !isRunning(c), 5_000);
    return c.exitCode();
  }
  io.err(
    `[lab] ${c.name} keeps running in the background: the lab cannot stay attached to it ` +
      "(as if you had detached with Ctrl-P Ctrl-Q). Next time, use docker run -d.\n",
  );
  return 0;
}

function runOnEngine(
  lab: Lab,
  cmd: ParsedCommand,
  io: LabIO,
  shell: Shell,
  image: string,
  givenName: string | undefined,
  detach: boolean,
): number {
  const engine = engineOf(shell.node);
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
  pullOnce(lab, shell, image, io);
  const networks = cmd.flags.network;
  const network =
    Array.isArray(networks) && networks.length > 0 ? (networks[0] as { target: string }).target : undefined;
  let c: Container;
  try {
    c = engine.run({
      image: full,
      name: givenName,
      command: cmd.args.length > 1 ? cmd.args.slice(1) : undefined,
      entrypoint: cmd.changed.has("entrypoint") ? [str(cmd.flags.entrypoint)] : undefined,
      env: strList(cmd.flags.env),
      hostname: cmd.changed.has("hostname") ? str(cmd.flags.hostname) : undefined,
      network,
      publish: strList(cmd.flags.publish),
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
  let printed = 0;
  const flush = () => {
    const lines = c.log.lines({});
    for (const l of lines.slice(printed)) (l.stream === "stderr" ? io.err : io.out)(`${l.text}\n`);
    printed = lines.length;
  };
  lab.sim.runUntil(() => !c.isRunning, ATTACH_LIMIT_MS);
  flush();
  if (c.isRunning) {
    io.err(
      `[lab] ${c.name} keeps running in the background: the lab cannot stay attached to it. ` +
        "Use docker logs to see its output, and docker run -d next time.\n",
    );
    return 0;
  }
  return c.exitCode;
}

export function dockerPs(lab: Lab): ContainerHandler {
  return (cmd, io, shell) => {
    let list = nodeContainers(shell.node, lab.containers);
    const all =
      cmd.flags.all === true ||
      cmd.flags.latest === true ||
      (cmd.changed.has("last") && Number(cmd.flags.last) >= 0);
    if (!all) list = list.filter(isRunning);
    if (cmd.flags.latest === true) list = list.slice(0, 1);
    else if (cmd.changed.has("last") && Number(cmd.flags.last) >= 0)
      list = list.slice(0, Number(cmd.flags.last));
    for (const f of strList(cmd.flags.filter)) {
      const eq = f.indexOf("=");
      const key = f.slice(0, eq).toLowerCase();
      const value = f.slice(eq + 1);
      if (key === "name") list = list.filter((c) => c.name.includes(value));
      else if (key === "status") list = list.filter((c) => c.state() === value);
      else if (key === "id") list = list.filter((c) => c.id.startsWith(value));
      else if (key === "ancestor")
        list = list.filter((c) => c.image === value || c.image.startsWith(`${value}:`));
      else {
        io.err(`Error response from daemon: invalid filter '${key}'\n`);
        return 1;
      }
    }
    const format = containerFormat(str(cmd.flags.format), cmd.flags.quiet === true, cmd.flags.size === true);
    const trunc = cmd.flags["no-trunc"] !== true;
    const now = lab.sim.now();
    return printFormatted(
      io,
      format,
      CONTAINER_HEADER,
      list.map((c) => containerContext(c, now, trunc, lab.sim.epochMs)),
    );
  };
}

/** A container a command acts on: one of node1's dind nodes, or an engine container. */
export type Target = { kind: "dind"; c: DindContainer } | { kind: "engine"; c: Container };

export function resolveTarget(lab: Lab, shell: Shell, ref: string): Target | string {
  if (shell.node.kind === "host") {
    const d = findContainer(lab.containers, ref);
    if (d === "ambiguous") return `multiple IDs found with provided prefix: ${ref}`;
    if (d) return { kind: "dind", c: d };
  }
  const engine = engineOf(shell.node);
  try {
    const c = engine?.find(ref);
    if (c) return { kind: "engine", c };
  } catch (e) {
    return (e as Error).message;
  }
  return `No such container: ${ref}`;
}

/**
 * Runs `op` on each container argument, printing each argument as typed on success and the
 * daemon's error otherwise, as the CLI does; exit status 1 if any failed.
 */
function forEachTarget(
  lab: Lab,
  cmd: ParsedCommand,
  io: LabIO,
  shell: Shell,
  op: (t: Target, ref: string) => string | undefined,
): number {
  let status = 0;
  for (const ref of cmd.args) {
    const t = resolveTarget(lab, shell, ref);
    let error = typeof t === "string" ? t : undefined;
    if (typeof t !== "string") {
      try {
        error = op(t, ref);
      } catch (e) {
        error = (e as Error).message;
      }
    }
    if (error === undefined) io.out(`${ref}\n`);
    else {
      io.err(`Error response from daemon: ${error}\n`);
      status = 1;
    }
  }
  return status;
}

function stopTimeoutSec(cmd: ParsedCommand): number | undefined {
  if (cmd.changed.has("timeout")) return Number(cmd.flags.timeout);
  if (cmd.changed.has("time")) return Number(cmd.flags.time);
  return undefined;
}

function waitEngine(lab: Lab, c: Container, timeoutSec: number | undefined): void {
  lab.sim.runUntil(() => !c.isRunning, ((timeoutSec ?? DEFAULT_STOP_TIMEOUT_SEC) + 5) * 1000);
}

export function dockerStop(lab: Lab): ContainerHandler {
  return (cmd, io, shell) => {
    const t = stopTimeoutSec(cmd);
    return forEachTarget(lab, cmd, io, shell, (target, ref) => {
      if (target.kind === "dind") {
        target.c.stop((t ?? DEFAULT_STOP_TIMEOUT_SEC) * 1000);
        return undefined;
      }
      const engine = engineOf(shell.node)!;
      engine.stop(ref, { timeoutSec: t });
      waitEngine(lab, target.c, t);
      return undefined;
    });
  };
}

export function dockerStart(lab: Lab): ContainerHandler {
  return (cmd, io, shell) =>
    forEachTarget(lab, cmd, io, shell, (target, ref) => {
      if (target.kind === "dind") {
        if (target.c.state() === "paused") return "cannot start a paused container, try unpause instead";
        target.c.start();
        return undefined;
      }
      engineOf(shell.node)!.start(ref);
      return undefined;
    });
}

export function dockerRestart(lab: Lab): ContainerHandler {
  return (cmd, io, shell) => {
    const t = stopTimeoutSec(cmd);
    return forEachTarget(lab, cmd, io, shell, (target, ref) => {
      if (target.kind === "dind") {
        target.c.stop((t ?? DEFAULT_STOP_TIMEOUT_SEC) * 1000);
        target.c.start();
        return undefined;
      }
      const engine = engineOf(shell.node)!;
      let done = false;
      engine.restart(ref, { timeoutSec: t }, () => {
        done = true;
      });
      lab.sim.runUntil(() => done, ((t ?? DEFAULT_STOP_TIMEOUT_SEC) + 5) * 1000);
      return undefined;
    });
  };
}

export function dockerKill(lab: Lab): ContainerHandler {
  return (cmd, io, shell) => {
    const sigText = cmd.changed.has("signal") ? str(cmd.flags.signal) : "KILL";
    let signal: ReturnType<typeof parseSignal>;
    try {
      signal = parseSignal(sigText);
    } catch {
      io.err(`invalid signal: ${sigText}\n`);
      return 1;
    }
    return forEachTarget(lab, cmd, io, shell, (target, ref) => {
      if (target.kind === "dind") {
        const c = target.c;
        if (!isRunning(c)) return `cannot kill container: ${ref}: container ${c.id} is not running`;
        if (signal === "SIGKILL") c.kill();
        else if (signal === "SIGTERM" || signal === "SIGINT") c.terminate();
        // dockerd reloads its configuration on SIGHUP and ignores the others here.
        return undefined;
      }
      engineOf(shell.node)!.kill(ref, signal);
      return undefined;
    });
  };
}

export function dockerPause(lab: Lab): ContainerHandler {
  return (cmd, io, shell) =>
    forEachTarget(lab, cmd, io, shell, (target, ref) => {
      if (target.kind === "engine") {
        engineOf(shell.node)!.pause(ref);
        return undefined;
      }
      const c = target.c;
      if (c.state() === "paused") return `Container ${c.id} is already paused`;
      if (!isRunning(c)) return `container ${c.id} is not running`;
      c.pause();
      return undefined;
    });
}

export function dockerUnpause(lab: Lab): ContainerHandler {
  return (cmd, io, shell) =>
    forEachTarget(lab, cmd, io, shell, (target, ref) => {
      if (target.kind === "engine") {
        engineOf(shell.node)!.unpause(ref);
        return undefined;
      }
      const c = target.c;
      if (c.state() !== "paused") return `Container ${c.id} is not paused`;
      c.unpause();
      return undefined;
    });
}

export function dockerRm(lab: Lab): ContainerHandler {
  return (cmd, io, shell) =>
    forEachTarget(lab, cmd, io, shell, (target, ref) => {
      if (target.kind === "engine") {
        engineOf(shell.node)!.remove(ref, { force: cmd.flags.force === true });
        return undefined;
      }
      const c = target.c;
      if (isRunning(c)) {
        if (cmd.flags.force !== true) {
          return `cannot remove container "/${c.name}": container is running: stop the container before removing or force remove`;
        }
        c.kill();
      }
      lab.removeContainer(c);
      return undefined;
    });
}

export function dockerLogs(lab: Lab): ContainerHandler {
  return (cmd, io, shell) => {
    const ref = cmd.args[0];
    const t = resolveTarget(lab, shell, ref);
    if (typeof t === "string") {
      io.err(`Error response from daemon: ${t}\n`);
      return 1;
    }
    const tailText = str(cmd.flags.tail);
    const tail = tailText === "" || tailText === "all" ? undefined : Number(tailText);
    if (t.kind === "dind") {
      const all = t.c.logs;
      const lines =
        tail === undefined || Number.isNaN(tail) || tail < 0 ? all : tail === 0 ? [] : all.slice(-tail);
      io.err(lines.map((l) => `${l}\n`).join(""));
    } else {
      const lines = engineOf(shell.node)!.logs(ref, {
        tail: tail === undefined || Number.isNaN(tail) || tail < 0 ? "all" : tail,
      });
      for (const l of lines) (l.stream === "stderr" ? io.err : io.out)(`${l.text}\n`);
    }
    if (cmd.flags.follow === true) {
      io.err("[lab] --follow: these are the logs so far; the lab cannot stay attached.\n");
    }
    return 0;
  };
}
