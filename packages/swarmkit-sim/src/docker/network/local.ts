// `docker network disconnect|connect NETWORK nodeX` on node1: a docker:dind node leaves a
// network (it loses that address; off every network it is cut off from everyone) or joins one
// (an address, and for a second network a second interface: the real way to give a node
// several addresses). Both print nothing on success, as Docker. Also `docker network create|ls|rm`
// for the engine's local networks, handing swarm-scoped (overlay) ones to the control plane.
import type { ParsedCommand } from "../cli/grammar/types";
import { printNetworks, swarmNetworkSummary } from "../swarm/services/network-cmds";
import type { NetworkSummary } from "../swarm/services/network-format";
import { overlayNetworkHandlers } from "../swarm/services/register";
import { resolveTarget } from "./container-commands";
import { type Lab, swarmOf } from "./lab";
import { engineOf } from "./node-containers";
import type { Shell } from "./node";
import type { LabIO } from "./plugin";

type Handler = (cmd: ParsedCommand, io: LabIO, shell: Shell) => number;

function fail(io: LabIO, msg: string): number {
  io.err(`Error response from daemon: ${msg}\n`);
  return 1;
}

function resolve(lab: Lab, cmd: ParsedCommand, io: LabIO, shell: Shell) {
  const [netRef, ref] = cmd.args;
  const network = engineOf(shell.node)?.findNetwork(netRef);
  if (!network) return fail(io, `network ${netRef} not found`);
  const target = resolveTarget(lab, shell, ref);
  if (typeof target === "string") return fail(io, target);
  if (target.kind === "engine") {
    io.err(
      "[lab] connecting application containers to networks is not simulated; use it on the docker:dind nodes.\n",
    );
    return 1;
  }
  if (!network.subnet)
    return fail(io, `container cannot be disconnected from host network or connected to host network`);
  return { network: network.name, c: target.c };
}

export function networkDisconnect(lab: Lab): Handler {
  return (cmd, io, shell) => {
    const r = resolve(lab, cmd, io, shell);
    if (typeof r === "number") return r;
    if (!r.c.networks().includes(r.network)) {
      return fail(io, `container ${r.c.id} is not connected to network ${r.network}`);
    }
    r.c.disconnect(r.network);
    return 0;
  };
}

export function networkConnect(lab: Lab): Handler {
  return (cmd, io, shell) => {
    const r = resolve(lab, cmd, io, shell);
    if (typeof r === "number") return r;
    if (r.c.networks().includes(r.network)) {
      return fail(io, `endpoint with name ${r.c.name} already exists in network ${r.network}`);
    }
    r.c.connect(r.network);
    return 0;
  };
}

/** The control plane's handler for a swarm-scoped `docker network` command, if it has one. */
function overlayHandler(path: string): OverlayHandler | undefined {
  return overlayNetworkHandlers.find(([p]) => p.join(" ") === path)?.[1];
}

type OverlayHandler = (typeof overlayNetworkHandlers)[number][1];

/** Is the node an active manager (so swarm-scoped networks exist for it)? */
function managerOf(shell: Shell) {
  const swarm = swarmOf(shell.node);
  return swarm && swarm.controlError() === null ? swarm : undefined;
}

/**
 * `docker network create`: a local bridge network on the node's engine (then
 * `docker network connect NET nodeX` gives a node a second interface), or with -d overlay a
 * swarm network through the control plane.
 */
export function networkCreate(lab: Lab): Handler {
  return (cmd, io, shell) => {
    const driver = String(cmd.flags.driver || "bridge");
    if (driver === "overlay") {
      const h = overlayHandler("network create");
      if (!h) return fail(io, "[lab] overlay networks are not available");
      return h(cmd, io, lab.swarmContext(shell));
    }
    if (driver !== "bridge") return fail(io, `plugin "${driver}" not found`);
    const engine = engineOf(shell.node);
    if (!engine) return fail(io, "the daemon is not running");
    const subnets = Array.isArray(cmd.flags.subnet) ? (cmd.flags.subnet as string[]) : [];
    try {
      const n = engine.createNetwork(cmd.args[0], { subnet: subnets[0] });
      io.out(`${n.id}\n`);
      return 0;
    } catch (e) {
      return fail(io, (e as Error).message);
    }
  };
}

/** `docker network ls`: the engine's networks, and on a manager the swarm's, by name. */
export function networkLs(lab: Lab): Handler {
  return (cmd, io, shell) => {
    const rows: NetworkSummary[] = [];
    for (const n of engineOf(shell.node)?.networks() ?? []) {
      rows.push({
        id: n.id,
        name: n.name,
        driver: n.driver,
        scope: n.scope,
        internal: false,
        labels: n.labels,
        created: lab.sim.epochMs + n.createdAt,
      });
    }
    const manager = managerOf(shell)?.manager;
    for (const n of manager?.store.networks() ?? []) {
      if (rows.some((r) => r.name === n.spec.name)) continue;
      rows.push(swarmNetworkSummary(n, lab.sim.epochMs));
    }
    return printNetworks(cmd, io, rows);
  };
}

/** `docker network rm`: local networks on the engine, swarm ones through the control plane. */
export function networkRm(lab: Lab): Handler {
  return (cmd, io, shell) => {
    const engine = engineOf(shell.node);
    let status = 0;
    for (const ref of cmd.args) {
      const local = engine?.findNetwork(ref);
      if (engine && local) {
        // The engine does not see the docker:dind nodes attached to its networks: check them here.
        const users =
          shell.node.kind === "host" ? lab.containers.filter((c) => c.networks().includes(local.name)) : [];
        if (users.some((c) => c.addressOn(local.name) !== undefined)) {
          status = fail(
            io,
            `error while removing network: network ${local.name} id ${local.id} has active endpoints`,
          );
          continue;
        }
        try {
          engine.removeNetwork(ref);
          for (const c of users) c.disconnect(local.name);
          io.out(`${ref}\n`);
        } catch (e) {
          status = fail(io, (e as Error).message);
        }
        continue;
      }
      const h = overlayHandler("network rm");
      if (h && managerOf(shell)) {
        const one = { ...cmd, args: [ref] };
        if (h(one, io, lab.swarmContext(shell)) !== 0) status = 1;
        continue;
      }
      if (cmd.flags.force !== true) status = fail(io, `network ${ref} not found`);
    }
    return status;
  };
}
