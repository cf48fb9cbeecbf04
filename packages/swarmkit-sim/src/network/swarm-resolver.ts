// The embedded DNS's swarm records (libnetwork service discovery), plugged into each engine's
// resolver chain. From a container on an overlay network: `<service>` (and each network alias
// of it, such as a stack's short service name) answers the service's virtual IP on that
// network, and the node's IPVS balances each connection to it over the running tasks (see
// vip-router.ts); in dnsrr endpoint mode it answers the running tasks' addresses instead.
// `tasks.<service>` always answers the running tasks' addresses on that network.
import type { Resolver } from "../engine/dns";
import type { ServiceDirectory } from "./service-directory";
import { serviceIndex } from "./service-index";

export function swarmResolver(d: ServiceDirectory): Resolver {
  const index = serviceIndex(d);
  return (name, origin) => {
    if (origin.networks.length === 0) return undefined;
    const lower = name.toLowerCase();
    const wantTasks = lower.startsWith("tasks.");
    const target = wantTasks ? lower.slice("tasks.".length) : lower;
    // The container's networks, in the order it joined them, as swarm network IDs.
    for (const n of origin.networks) {
      const networkId = index.networkId(n.name);
      if (networkId === undefined) continue;
      const rec = index.name(networkId, target);
      if (rec === undefined) continue;
      if (!wantTasks && rec.vipAnswer !== undefined) return rec.vipAnswer;
      return index.taskAddresses(rec.serviceId, networkId);
    }
    return undefined;
  };
}
