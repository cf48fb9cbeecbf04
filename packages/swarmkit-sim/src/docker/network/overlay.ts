// `docker network create -d overlay|ls|rm|inspect` for the swarm's networks
// (cli/command/network/*.go). Only swarm-scoped (overlay) networks are handled here.
import type { Network } from "../../api/types";
import { printFormatted } from "../../cli/format/formatter";
import { renderInspect } from "../../cli/format/inspect-format";
import { naturalCompare } from "../../cli/format/natural-sort";
import type { ParsedCommand } from "../../cli/grammar/types";
import type { Job } from "../../cli/job";
import { rfc3339Nano } from "../../cli/format/template";
import { gatewayOf } from "../../manager/allocator/ipam";
import { serviceOnNetwork } from "../../manager/controlapi/services";
import type { MemoryStore } from "../../manager/store/memory-store";
import {
  type DockerIO,
  errorText,
  fail,
  flagBool,
  flagString,
  request,
  type SwarmCommandContext,
  type SwarmHandler as Handler,
  writeOutput,
} from "../io";
import { controlOf } from "../service/context";
import { createNetwork, removeNetwork, lookupNetwork } from "../service/control-client";
import { filterItems } from "../list-filters";
import { filterNetworks } from "./filters";
import { NETWORK_HEADER, type NetworkSummary, networkContext, networkListFormat } from "./format";

export const overlayNetworkCreate: Handler = function* (cmd, io, ctx) {
  const driver = flagString(cmd, "driver") || "bridge";
  if (driver !== "overlay") {
    io.err(
      `Error response from daemon: this handler only creates swarm-scoped (overlay) networks, not "${driver}"\n`,
    );
    return 1;
  }
  const c = yield* controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  const subnets = cmd.flags.subnet;
  const subnet = Array.isArray(subnets) && subnets.length ? (subnets as string[])[0] : undefined;
  const labels: Record<string, string> = {};
  for (const l of (cmd.flags.label as string[] | undefined) ?? []) {
    const eq = l.indexOf("=");
    labels[eq < 0 ? l : l.slice(0, eq)] = eq < 0 ? "" : l.slice(eq + 1);
  }
  const r = yield* request<Network>((done) =>
    createNetwork(c, { name: cmd.args[0], attachable: flagBool(cmd, "attachable"), labels, subnet }, done),
  );
  if (r.err) return fail(io, r.err);
  io.out(`${r.res!.id}\n`);
  return 0;
};

export const overlayNetworkLs: Handler = function* (cmd, io, ctx) {
  const c = yield* controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  const nets = c.store.networks().map((n) => swarmNetworkSummary(n, ctx.sim.epochMs));
  return printNetworks(cmd, io, nets, (n) => swarmNetworkInUse(c.store, n.id));
};

/** A swarm network as network ls shows it. */
export function swarmNetworkSummary(n: Network, epochMs: number): NetworkSummary {
  return {
    id: n.id,
    name: n.spec.name,
    driver: n.spec.driver ?? "overlay",
    scope: "swarm",
    internal: false,
    labels: n.spec.labels,
    created: epochMs + n.createdAt,
  };
}

/** Whether a service is attached to the swarm network (what `dangling` asks of it). */
export function swarmNetworkInUse(store: MemoryStore, networkId: string): boolean {
  return serviceOnNetwork(store, networkId) !== undefined;
}

/** network ls: the -f filters, then sorted by name, through the CLI's network formatter. */
export function printNetworks(
  cmd: ParsedCommand,
  io: DockerIO,
  nets: readonly NetworkSummary[],
  inUse: (n: NetworkSummary) => boolean,
): number {
  const shown = filterNetworks(nets, filterItems(cmd), inUse);
  if (shown instanceof Error) return fail(io, shown);
  const sorted = [...shown].sort((a, b) => naturalCompare(a.name, b.name));
  const format = networkListFormat(flagString(cmd, "format") || "table", flagBool(cmd, "quiet"));
  const trunc = !flagBool(cmd, "no-trunc");
  return printFormatted(
    io,
    format,
    NETWORK_HEADER,
    sorted.map((n) => networkContext(n, trunc)),
  );
}

export const overlayNetworkRm: Handler = function* (cmd, io, ctx) {
  const c = yield* controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  let code = 0;
  for (const ref of cmd.args) {
    const r = yield* request<Network>((done) => removeNetwork(c, ref, done));
    if (r.err) {
      if (!flagBool(cmd, "force")) code = fail(io, r.err);
    } else io.out(`${ref}\n`);
  }
  return code;
};

/** A swarm network in the Engine API's shape. */
export function swarmNetworkValue(n: Network, epochMs: number): Record<string, unknown> {
  return {
    Name: n.spec.name,
    Id: n.id,
    Created: rfc3339Nano(epochMs + n.createdAt),
    Scope: "swarm",
    Driver: "overlay",
    EnableIPv4: true,
    EnableIPv6: false,
    IPAM: {
      Driver: "default",
      Options: null,
      Config: [{ Subnet: n.spec.ipam.subnet, Gateway: gatewayOf(n.spec.ipam.subnet) }],
    },
    Internal: false,
    Attachable: n.spec.attachable,
    Ingress: n.spec.ingress,
    ConfigFrom: { Network: "" },
    ConfigOnly: false,
    Containers: null,
    Options: { "com.docker.network.driver.overlay.vxlanid_list": "" },
    Labels: n.spec.labels,
  };
}

/** One swarm network by name or ID, as inspect shows it, or the daemon's error. */
export function* swarmNetworkLookup(
  ctx: SwarmCommandContext,
  ref: string,
): Job<{ value?: unknown; error?: string }> {
  const notFound = { error: `Error response from daemon: network ${ref} not found` };
  const c = yield* controlOf(ctx);
  if (c instanceof Error) return notFound;
  try {
    return { value: swarmNetworkValue(lookupNetwork(c.store, ref), ctx.sim.epochMs) };
  } catch {
    return notFound;
  }
}

export const overlayNetworkInspect: Handler = function* (cmd, io, ctx) {
  const c = yield* controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  const out: unknown[] = [];
  const errors: string[] = [];
  for (const ref of cmd.args) {
    let n: Network;
    try {
      n = lookupNetwork(c.store, ref);
    } catch (e) {
      errors.push(errorText(e as Error));
      continue;
    }
    out.push(swarmNetworkValue(n, ctx.sim.epochMs));
  }
  // NetworkInspectWithRaw keeps the raw JSON, so a failed template is retried over maps.
  return writeOutput(io, renderInspect(out, errors, flagString(cmd, "format"), { rawFallback: true }));
};
