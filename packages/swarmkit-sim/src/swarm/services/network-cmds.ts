// `docker network create -d overlay|ls|rm|inspect` for the swarm's networks
// (cli/command/network/*.go). Only swarm-scoped (overlay) networks are handled here.
import type { Network } from "../../api/types";
import { naturalCompare } from "../../cli/format/natural-sort";
import { tabwriter } from "../../cli/format/tabwriter";
import { gatewayOf } from "../../manager/allocator/ipam";
import { fail, flagBool, flagString, waitFor } from "../commands/io";
import { createNetwork, removeNetwork, resolveNetwork } from "./control";
import { controlOf } from "./context";
import type { Handler } from "./service-cmds";

export const networkCreate: Handler = (cmd, io, ctx) => {
  const driver = flagString(cmd, "driver") || "bridge";
  if (driver !== "overlay") {
    io.err(
      `Error response from daemon: this handler only creates swarm-scoped (overlay) networks, not "${driver}"\n`,
    );
    return 1;
  }
  const c = controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  const subnets = cmd.flags.subnet;
  const subnet = Array.isArray(subnets) && subnets.length ? (subnets as string[])[0] : undefined;
  const labels: Record<string, string> = {};
  for (const l of (cmd.flags.label as string[] | undefined) ?? []) {
    const eq = l.indexOf("=");
    labels[eq < 0 ? l : l.slice(0, eq)] = eq < 0 ? "" : l.slice(eq + 1);
  }
  const r = waitFor<Network>(ctx.sim, (done) =>
    createNetwork(c, { name: cmd.args[0], attachable: flagBool(cmd, "attachable"), labels, subnet }, done),
  );
  if (r.err) return fail(io, r.err);
  io.out(`${r.res!.id}\n`);
  return 0;
};

export const networkLs: Handler = (cmd, io, ctx) => {
  const c = controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  const nets = c.store.networks().sort((a, b) => naturalCompare(a.spec.name, b.spec.name));
  if (flagBool(cmd, "quiet")) {
    for (const n of nets) io.out(`${flagBool(cmd, "no-trunc") ? n.id : n.id.slice(0, 12)}\n`);
    return 0;
  }
  const rows = [["NETWORK ID", "NAME", "DRIVER", "SCOPE"]];
  for (const n of nets)
    rows.push([flagBool(cmd, "no-trunc") ? n.id : n.id.slice(0, 12), n.spec.name, n.spec.driver, "swarm"]);
  io.out(tabwriter(rows));
  return 0;
};

export const networkRm: Handler = (cmd, io, ctx) => {
  const c = controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  let code = 0;
  for (const ref of cmd.args) {
    const r = waitFor<Network>(ctx.sim, (done) => removeNetwork(c, ref, done));
    if (r.err) {
      if (!flagBool(cmd, "force")) code = fail(io, r.err);
    } else io.out(`${ref}\n`);
  }
  return code;
};

export const networkInspect: Handler = (cmd, io, ctx) => {
  const c = controlOf(ctx);
  if (c instanceof Error) return fail(io, c);
  const out: unknown[] = [];
  for (const ref of cmd.args) {
    let n: Network;
    try {
      n = resolveNetwork(c.store, ref);
    } catch {
      io.out(`${JSON.stringify(out, null, 4)}\n`);
      io.err(`Error response from daemon: network ${ref} not found\n`);
      return 1;
    }
    out.push({
      Name: n.spec.name,
      Id: n.id,
      Created: new Date(ctx.sim.epochMs + n.createdAt).toISOString(),
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
    });
  }
  io.out(`${JSON.stringify(out, null, 4)}\n`);
  return 0;
};
