// `docker swarm init|join|join-token|leave|update|ca|unlock|unlock-key`, printing what the
// Docker CLI prints (cli/command/swarm/*.go; SWARMKIT.md §1.4, §2.6, §6.3).
import type { Cluster, Node, NodeAvailability } from "../../api/types";
import { parseTcpAddr } from "../../cli/grammar/docker-opts";
import { notSupported } from "../../cli/grammar/messages";
import type { ParsedCommand } from "../../cli/grammar/types";
import { isAutodetectError } from "../../node/addresses";
import { DaemonError } from "../../node/errors";
import { CONTROL } from "../../api/methods";
import type { ClusterUpdate } from "../../manager/controlapi/cluster";
import type { Job } from "../../cli/job";
import {
  type DockerIO,
  fail,
  flagBool,
  flagNumber,
  flagString,
  request,
  type SwarmCommandContext,
  type SwarmHandler as Handler,
} from "../io";
import { followRootRotation } from "./ca-rotation";

function availabilityFlag(cmd: ParsedCommand, io: DockerIO): NodeAvailability | null | undefined {
  if (!cmd.changed.has("availability")) return undefined;
  const a = flagString(cmd, "availability").toLowerCase();
  if (a === "active" || a === "pause" || a === "drain") return a;
  io.err(
    `invalid availability "${flagString(cmd, "availability")}", only active, pause and drain are supported\n`,
  );
  return null;
}

export const swarmInit: Handler = function* (cmd, io, ctx) {
  const availability = availabilityFlag(cmd, io);
  if (availability === null) return 1;
  const r = yield* request<string>((done) =>
    ctx.swarm.init(
      {
        advertiseAddr: cmd.changed.has("advertise-addr") ? flagString(cmd, "advertise-addr") : undefined,
        listenAddr: cmd.changed.has("listen-addr") ? flagString(cmd, "listen-addr") : undefined,
        forceNewCluster: flagBool(cmd, "force-new-cluster"),
        autolock: flagBool(cmd, "autolock"),
        certExpiryMs: cmd.changed.has("cert-expiry") ? flagNumber(cmd, "cert-expiry") : undefined,
        heartbeatPeriodMs: cmd.changed.has("dispatcher-heartbeat")
          ? flagNumber(cmd, "dispatcher-heartbeat")
          : undefined,
        taskHistoryLimit: cmd.changed.has("task-history-limit")
          ? flagNumber(cmd, "task-history-limit")
          : undefined,
        availability,
      },
      done,
    ),
  );
  if (r.err) {
    if (isAutodetectError(r.err.message))
      return fail(io, new DaemonError(`${r.err.message} - specify one with --advertise-addr`));
    return fail(io, r.err);
  }
  io.out(`Swarm initialized: current node (${r.res}) is now a manager.\n\n`);
  const code = yield* printJoinCommand(io, ctx, true, false);
  if (code !== 0) return code;
  io.out(
    "To add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions.\n",
  );
  if (flagBool(cmd, "autolock")) {
    const k = yield* request<{ unlockKey: string }>((done) =>
      ctx.swarm.control(CONTROL.getUnlockKey, {}, done),
    );
    if (k.err) return fail(io, new Error(`could not fetch unlock key: ${k.err.message}`));
    printUnlockCommand(io, k.res!.unlockKey);
  }
  return 0;
};

/** printJoinCommand: the join line with this manager's address (its ManagerStatus.Addr). */
function* printJoinCommand(
  io: DockerIO,
  ctx: SwarmCommandContext,
  worker: boolean,
  manager: boolean,
): Job<number> {
  const n = yield* request<{ node: Node }>((done) =>
    ctx.swarm.control(CONTROL.getNode, { ref: ctx.swarm.nodeId }, done),
  );
  if (n.err) return fail(io, n.err);
  const c = yield* request<{ cluster: Cluster }>((done) => ctx.swarm.control(CONTROL.getCluster, {}, done));
  if (c.err) return fail(io, c.err);
  const addr = n.res!.node.managerStatus?.addr;
  if (!addr) return 0;
  const tokens = c.res!.cluster.rootCA.joinTokens;
  if (worker)
    io.out(
      `To add a worker to this swarm, run the following command:\n\n    docker swarm join --token ${tokens.worker} ${addr}\n\n`,
    );
  if (manager)
    io.out(
      `To add a manager to this swarm, run the following command:\n\n    docker swarm join --token ${tokens.manager} ${addr}\n\n`,
    );
  return 0;
}

function printUnlockCommand(io: DockerIO, key: string): void {
  if (!key) return;
  io.out(
    "To unlock a swarm manager after it restarts, run the `docker swarm unlock`\ncommand and provide the following key:\n\n" +
      `    ${key}\n\n` +
      "Remember to store this key in a password manager, since without it you\nwill not be able to restart the manager.\n",
  );
}

export const swarmJoin: Handler = function* (cmd, io, ctx) {
  const availability = availabilityFlag(cmd, io);
  if (availability === null) return 1;
  const r = yield* request<string>((done) =>
    ctx.swarm.join(
      {
        token: flagString(cmd, "token"),
        remoteAddr: withDefaultPort(cmd.args[0]),
        advertiseAddr: cmd.changed.has("advertise-addr") ? flagString(cmd, "advertise-addr") : undefined,
        listenAddr: cmd.changed.has("listen-addr") ? flagString(cmd, "listen-addr") : undefined,
        availability,
      },
      done,
    ),
  );
  if (r.err) return fail(io, r.err);
  io.out(
    ctx.swarm.role === "manager"
      ? "This node joined a swarm as a manager.\n"
      : "This node joined a swarm as a worker.\n",
  );
  return 0;
};

/**
 * The manager's address as dockerd's validateAddr makes it: opts.ParseTCPAddr with the default
 * 0.0.0.0:2377 (so a missing port is 2377), or the address unchanged when that fails.
 */
function withDefaultPort(addr: string): string {
  const parsed = parseTcpAddr(addr, "0.0.0.0:2377");
  return parsed.startsWith("error:") ? addr : parsed;
}

export const swarmJoinToken: Handler = function* (cmd, io, ctx) {
  const role = cmd.args[0];
  const worker = role === "worker";
  const manager = role === "manager";
  if (!worker && !manager) {
    io.err(`unknown role ${role}\n`);
    return 1;
  }
  if (flagBool(cmd, "rotate")) {
    const u: ClusterUpdate = worker ? { rotateWorkerToken: true } : { rotateManagerToken: true };
    const r = yield* request((done) => ctx.swarm.control(CONTROL.updateCluster, u, done));
    if (r.err) return fail(io, r.err);
    if (!flagBool(cmd, "quiet")) io.out(`Successfully rotated ${role} join token.\n\n`);
  }
  if (flagBool(cmd, "quiet")) {
    const c = yield* request<{ cluster: Cluster }>((done) => ctx.swarm.control(CONTROL.getCluster, {}, done));
    if (c.err) return fail(io, c.err);
    io.out(
      `${worker ? c.res!.cluster.rootCA.joinTokens.worker : c.res!.cluster.rootCA.joinTokens.manager}\n`,
    );
    return 0;
  }
  const check = ctx.swarm.controlError();
  if (check) return fail(io, check);
  return yield* printJoinCommand(io, ctx, worker, manager);
};

export const swarmLeave: Handler = function* (cmd, io, ctx) {
  const r = yield* request((done) => ctx.swarm.leave(flagBool(cmd, "force"), done));
  if (r.err) return fail(io, r.err);
  io.out("Node left the swarm.\n");
  return 0;
};

export const swarmUpdate: Handler = function* (cmd, io, ctx) {
  const u: ClusterUpdate = {};
  if (cmd.changed.has("cert-expiry")) u.certExpiryMs = flagNumber(cmd, "cert-expiry");
  if (cmd.changed.has("dispatcher-heartbeat")) u.heartbeatPeriodMs = flagNumber(cmd, "dispatcher-heartbeat");
  if (cmd.changed.has("task-history-limit")) u.taskHistoryLimit = flagNumber(cmd, "task-history-limit");
  if (cmd.changed.has("autolock")) u.autolock = flagBool(cmd, "autolock");
  const before = yield* request<{ cluster: Cluster }>((done) =>
    ctx.swarm.control(CONTROL.getCluster, {}, done),
  );
  if (before.err) return fail(io, before.err);
  const r = yield* request((done) => ctx.swarm.control(CONTROL.updateCluster, u, done));
  if (r.err) return fail(io, r.err);
  io.out("Swarm updated.\n");
  if (u.autolock && !before.res!.cluster.spec.encryptionConfig.autoLockManagers) {
    const k = yield* request<{ unlockKey: string }>((done) =>
      ctx.swarm.control(CONTROL.getUnlockKey, {}, done),
    );
    if (k.err) return fail(io, new Error(`could not fetch unlock key: ${k.err.message}`));
    printUnlockCommand(io, k.res!.unlockKey);
  }
  return 0;
};

export const swarmUnlockKey: Handler = function* (cmd, io, ctx) {
  const quiet = flagBool(cmd, "quiet");
  if (flagBool(cmd, "rotate")) {
    const c = yield* request<{ cluster: Cluster }>((done) => ctx.swarm.control(CONTROL.getCluster, {}, done));
    if (c.err) return fail(io, c.err);
    if (!c.res!.cluster.spec.encryptionConfig.autoLockManagers) {
      io.err("cannot rotate because autolock is not turned on\n");
      return 1;
    }
    const r = yield* request((done) =>
      ctx.swarm.control(CONTROL.updateCluster, { rotateUnlockKey: true }, done),
    );
    if (r.err) return fail(io, r.err);
    if (!quiet) io.out("Successfully rotated manager unlock key.\n");
  }
  const k = yield* request<{ unlockKey: string }>((done) =>
    ctx.swarm.control(CONTROL.getUnlockKey, {}, done),
  );
  if (k.err) return fail(io, new Error(`could not fetch unlock key: ${k.err.message}`));
  if (!k.res!.unlockKey) {
    io.err("no unlock key is set\n");
    return 1;
  }
  if (quiet) io.out(`${k.res!.unlockKey}\n`);
  else printUnlockCommand(io, k.res!.unlockKey);
  return 0;
};

export const swarmUnlock: Handler = function* (_cmd, io, ctx) {
  const state = ctx.swarm.state;
  if (state === "inactive") {
    io.err("error: this node is not part of a swarm\n");
    return 1;
  }
  if (state !== "locked") {
    io.err("error: swarm is not locked\n");
    return 1;
  }
  const r = yield* request((done) => ctx.swarm.unlock(readKey(io, "Enter unlock key: "), done));
  if (r.err) return fail(io, r.err);
  return 0;
};

/**
 * The CLI's readKey (unlock.go): on a terminal it prompts, reads a password (not echoed) and
 * ends the line; otherwise it reads one line of stdin, trimmed, and prints no prompt. What the
 * lab's terminal holds typed ahead is `stdin` (at its prompt, nothing: a bare Enter).
 */
function readKey(io: DockerIO, prompt: string): string {
  const stdin = io.stdin ?? "";
  const eol = stdin.indexOf("\n");
  const line = eol < 0 ? stdin : stdin.slice(0, eol);
  if (!io.stdinIsTerminal) return line.trim();
  io.out(`${prompt}\n`);
  return line;
}

/** Flags that change the CA and so need --rotate (ca.go). */
const CA_CHANGE_FLAGS = ["ca-cert", "ca-key", "cert-expiry", "external-ca"];
/** Those that name the new root: not modelled (the CA always generates it). */
const ROOT_SOURCE_FLAGS = CA_CHANGE_FLAGS.filter((f) => f !== "cert-expiry");

export const swarmCa: Handler = function* (cmd, io, ctx) {
  const getCluster = () =>
    request<{ cluster: Cluster }>((done) => ctx.swarm.control(CONTROL.getCluster, {}, done));
  const before = yield* getCluster();
  if (before.err) return fail(io, before.err);
  if (!flagBool(cmd, "rotate")) {
    for (const f of CA_CHANGE_FLAGS) {
      if (!cmd.changed.has(f)) continue;
      io.err(`\`--${f}\` flag requires the \`--rotate\` flag to update the CA\n`);
      return 1;
    }
    return displayTrustRoot(io, before.res!.cluster);
  }
  // The new root is always one the CA generates: a root given as files, or an external CA, is
  // not modelled (refused, rather than rotated to a root the user did not ask for).
  for (const f of ROOT_SOURCE_FLAGS) {
    if (!cmd.changed.has(f)) continue;
    io.err(`${notSupported(`${cmd.commandPath} --rotate --${f}`).message}\n`);
    return 1;
  }
  const rotate: ClusterUpdate = { forceRotateCA: true };
  if (cmd.changed.has("cert-expiry")) rotate.certExpiryMs = flagNumber(cmd, "cert-expiry");
  const r = yield* request((done) => ctx.swarm.control(CONTROL.updateCluster, rotate, done));
  if (r.err) return fail(io, r.err);
  if (flagBool(cmd, "detach")) return 0;
  // -q discards the progress, waits all the same, and then prints nothing (not even the root).
  const quiet = flagBool(cmd, "quiet");
  const outcome = yield* followRootRotation(io, ctx, quiet);
  if (outcome === "failed") return 1;
  if (quiet || outcome === "interrupted") return 0;
  const after = yield* getCluster();
  if (after.err) return fail(io, after.err);
  return displayTrustRoot(io, after.res!.cluster);
};

/** displayTrustRoot: the cluster's trust root PEM, trimmed, on its own. */
function displayTrustRoot(io: DockerIO, cluster: Cluster): number {
  if (!cluster.rootCA.caCertPem) {
    io.err("No CA information available\n");
    return 1;
  }
  io.out(`${cluster.rootCA.caCertPem.trim()}\n`);
  return 0;
}
