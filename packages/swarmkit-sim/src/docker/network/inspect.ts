// `docker network inspect` on an engine's own networks (bridge, host, none, user-defined and
// compose's), in the Engine API's shape: IPAM, options, labels and the endpoints attached
// (the engine's containers and, on node1's networks, the docker:dind nodes). Swarm-scoped
// networks the engine does not hold go on to the control plane (overlay.ts).
import { createHash } from "node:crypto";
import { renderInspect } from "../../cli/format/inspect-format";
import { rfc3339Nano } from "../../cli/format/template";
import type { ParsedCommand } from "../../cli/grammar/types";
import type { Job } from "../../cli/job";
import type { EngineNetwork } from "../../engine/network";
import { flagString, writeOutput } from "../io";
import type { DockerIO } from "../io";
import type { NetworkContext } from "./local";
import { swarmNetworkLookup } from "./overlay";

const DEFAULT_BRIDGE_OPTIONS = {
  "com.docker.network.bridge.default_bridge": "true",
  "com.docker.network.bridge.enable_icc": "true",
  "com.docker.network.bridge.enable_ip_masquerade": "true",
  "com.docker.network.bridge.host_binding_ipv4": "0.0.0.0",
  "com.docker.network.bridge.name": "docker0",
  "com.docker.network.driver.mtu": "1500",
};

/** Docker's MAC for an IPv4 endpoint on a bridge: 02:42 then the address's four bytes. */
function macOf(address: string): string {
  return ["02", "42", ...address.split(".").map((b) => Number(b).toString(16).padStart(2, "0"))].join(":");
}

function endpointId(networkId: string, containerId: string): string {
  return createHash("sha256").update(`${networkId}/${containerId}`).digest("hex");
}

export function engineNetworkValue(n: EngineNetwork, ctx: NetworkContext): Record<string, unknown> {
  const prefix = n.subnet ? `/${n.subnet.prefix}` : "";
  const containers: Record<string, unknown> = {};
  const attach = (id: string, name: string, address: string) => {
    containers[id] = {
      Name: name,
      EndpointID: endpointId(n.id, id),
      MacAddress: macOf(address),
      IPv4Address: `${address}${prefix}`,
      IPv6Address: "",
    };
  };
  for (const ep of n.endpoints.values()) attach(ep.containerId, ep.containerName, ep.address);
  for (const c of ctx.dind?.containers ?? []) {
    const address = c.addressOn(n.name);
    if (address !== undefined) attach(c.id, c.name, address);
  }
  return {
    Name: n.name,
    Id: n.id,
    Created: rfc3339Nano(ctx.sim.epochMs + n.createdAt),
    Scope: n.scope,
    Driver: n.driver,
    EnableIPv4: true,
    EnableIPv6: false,
    IPAM: {
      Driver: "default",
      Options: null,
      Config: n.subnet ? [{ Subnet: n.subnet.toString(), Gateway: n.gateway }] : [],
    },
    Internal: false,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: "" },
    ConfigOnly: false,
    Containers: containers,
    Options: n.name === "bridge" ? DEFAULT_BRIDGE_OPTIONS : {},
    Labels: { ...n.labels },
  };
}

/** `docker network inspect NETWORK...`: the engine's networks; swarm ones from the swarm's store. */
export function* networkInspect(cmd: ParsedCommand, io: DockerIO, ctx: NetworkContext): Job<number> {
  const out: unknown[] = [];
  const errors: string[] = [];
  for (const ref of cmd.args) {
    const n = ctx.engine?.findNetwork(ref);
    if (n && n.scope === "local") {
      out.push(engineNetworkValue(n, ctx));
      continue;
    }
    const r = yield* swarmNetworkLookup(ctx.swarm, ref);
    if (r.value !== undefined) out.push(r.value);
    else errors.push(r.error ?? `Error response from daemon: network ${ref} not found`);
  }
  return writeOutput(io, renderInspect(out, errors, flagString(cmd, "format"), { rawFallback: true }));
}
