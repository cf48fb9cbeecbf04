// `docker network disconnect|connect NETWORK nodeX` on node1: a docker:dind node leaves a
// network (it loses that address; off every network it is cut off from everyone) or joins one
// (an address, and for a second network a second interface: the real way to give a node
// several addresses). Both print nothing on success, as Docker. Also `docker network create|ls|rm`
// for the engine's local networks, handing swarm-scoped (overlay) ones to the control plane
// (overlay.ts).
import type { ParsedCommand } from "../../cli/grammar/types";
import type { Job } from "../../cli/job";
import type { DaemonContext, DindContainerView } from "../container/context";
import { resolveTarget } from "../container/target";
import type { DockerIO, SwarmCommandContext } from "../io";
import type { NetworkSummary } from "./format";
import {
  overlayNetworkCreate,
  overlayNetworkRm,
  printNetworks,
  swarmNetworkInUse,
  swarmNetworkSummary,
} from "./overlay";

/** What the network commands reach: the daemon's containers and engine, and its swarm node. */
export interface NetworkContext extends DaemonContext {
  /** The control plane's view from this node (swarm-scoped networks). */
  readonly swarm: SwarmCommandContext;
}

function fail(io: DockerIO, msg: string): number {
  io.err(`Error response from daemon: ${msg}\n`);
  return 1;
}

function resolve(
  cmd: ParsedCommand,
  io: DockerIO,
  ctx: NetworkContext,
): number | { network: string; c: DindContainerView } {
  const [netRef, ref] = cmd.args;
  const network = ctx.engine?.findNetwork(netRef);
  if (!network) return fail(io, `network ${netRef} not found`);
  const target = resolveTarget(ctx, ref);
  if (typeof target === "string") return fail(io, target);
  if (target.kind === "engine") {
    io.err(
      "[lab] connecting application containers to networks is not simulated; use it on the docker:dind nodes.\n",
    );
    return 1;
  }
  if (!network.subnet)
    return fail(io, "container cannot be disconnected from host network or connected to host network");
  return { network: network.name, c: target.c };
}

export function networkDisconnect(cmd: ParsedCommand, io: DockerIO, ctx: NetworkContext): number {
  const r = resolve(cmd, io, ctx);
  if (typeof r === "number") return r;
  if (!r.c.networks().includes(r.network)) {
    return fail(io, `container ${r.c.id} is not connected to network ${r.network}`);
  }
  r.c.disconnect(r.network);
  return 0;
}

export function networkConnect(cmd: ParsedCommand, io: DockerIO, ctx: NetworkContext): number {
  const r = resolve(cmd, io, ctx);
  if (typeof r === "number") return r;
  if (r.c.networks().includes(r.network)) {
    return fail(io, `endpoint with name ${r.c.name} already exists in network ${r.network}`);
  }
  r.c.connect(r.network);
  return 0;
}

/** Is the node an active manager (so swarm-scoped networks exist for it)? */
function isManager(ctx: NetworkContext): boolean {
  return ctx.swarm.swarm.controlError() === null;
}

/**
 * `docker network create`: a local bridge network on the node's engine (then
 * `docker network connect NET nodeX` gives a node a second interface), or with -d overlay a
 * swarm network through the control plane.
 */
export function* networkCreate(cmd: ParsedCommand, io: DockerIO, ctx: NetworkContext): Job<number> {
  const driver = String(cmd.flags.driver || "bridge");
  if (driver === "overlay") return yield* overlayNetworkCreate(cmd, io, ctx.swarm);
  if (driver !== "bridge") return fail(io, `plugin "${driver}" not found`);
  const engine = ctx.engine;
  if (!engine) return fail(io, "the daemon is not running");
  const subnets = Array.isArray(cmd.flags.subnet) ? (cmd.flags.subnet as string[]) : [];
  try {
    const n = engine.createNetwork(cmd.args[0], { subnet: subnets[0] });
    io.out(`${n.id}\n`);
    return 0;
  } catch (e) {
    return fail(io, (e as Error).message);
  }
}

/** `docker network ls`: the engine's networks, and on a manager the swarm's, by name. */
export function networkLs(cmd: ParsedCommand, io: DockerIO, ctx: NetworkContext): number {
  const rows: NetworkSummary[] = [];
  for (const n of ctx.engine?.networks() ?? []) {
    rows.push({
      id: n.id,
      name: n.name,
      driver: n.driver,
      scope: n.scope,
      internal: false,
      labels: n.labels,
      created: ctx.sim.epochMs + n.createdAt,
    });
  }
  const manager = isManager(ctx) ? ctx.swarm.swarm.manager : undefined;
  for (const n of manager?.store.networks() ?? []) {
    // The engine's copy of a swarm network is the same network; a local one of the same name
    // (compose's, say) is another, and Docker lists both.
    if (rows.some((r) => r.name === n.spec.name && r.scope === "swarm")) continue;
    rows.push(swarmNetworkSummary(n, ctx.sim.epochMs));
  }
  // In use (for `dangling`): containers on it, docker:dind nodes included, or swarm services.
  const inUse = (n: NetworkSummary) =>
    (n.scope === "swarm" && manager != null && swarmNetworkInUse(manager.store, n.id)) ||
    (ctx.engine?.networkHasEndpoints(n.id) ?? false) ||
    (ctx.dind?.containers ?? []).some((c) => c.addressOn(n.name) !== undefined);
  return printNetworks(cmd, io, rows, inUse);
}

/** `docker network rm`: local networks on the engine, swarm ones through the control plane. */
export function* networkRm(cmd: ParsedCommand, io: DockerIO, ctx: NetworkContext): Job<number> {
  const engine = ctx.engine;
  let status = 0;
  for (const ref of cmd.args) {
    const local = engine?.findNetwork(ref);
    if (engine && local) {
      // The engine does not see the docker:dind nodes attached to its networks: check them here.
      const users = (ctx.dind?.containers ?? []).filter((c) => c.networks().includes(local.name));
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
    if (isManager(ctx)) {
      const one = { ...cmd, args: [ref] };
      if ((yield* overlayNetworkRm(one, io, ctx.swarm)) !== 0) status = 1;
      continue;
    }
    if (cmd.flags.force !== true) status = fail(io, `network ${ref} not found`);
  }
  return status;
}
