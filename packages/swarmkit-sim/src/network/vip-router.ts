// Service VIPs on a node (IPVS in Docker's per-network load balancer): a connection that a
// container opens to the VIP of a service on one of its overlay networks goes to one of the
// service's running tasks, chosen round-robin (Docker programs IPVS with the "rr" scheduler),
// on whichever node the task runs. Only containers attached to the VIP's network have it:
// from elsewhere the address leads nowhere. A VIP whose service has no running task refuses
// the connection (IPVS answers with ICMP port unreachable). A ping to a VIP is answered by the
// container itself, which holds the VIP as a secondary address (see engine/net/echo.ts).
import type { Engine } from "../engine/engine";
import type { VirtualRouter } from "../engine/net/virtual";
import type { ServiceDirectory } from "./service-directory";
import { inSubnet, serviceIndex } from "./service-index";

export function vipRouter(d: ServiceDirectory): VirtualRouter {
  const index = serviceIndex(d);
  /** The round-robin position of each VIP on this node. */
  const next = new Map<string, number>();
  return (to, from, probe) => {
    const v = index.vip(to.address);
    if (v === undefined) return undefined;
    const own = from.bindAddresses;
    if (own === undefined || !own.some((a) => inSubnet(a, v))) return undefined;
    // A ping: the container's own interface holds the VIP (it answers, whatever the tasks).
    if (probe) return to;
    const backends = index.taskAddresses(v.serviceId, v.networkId);
    if (backends.length === 0) return "refused";
    const i = next.get(to.address) ?? 0;
    next.set(to.address, i + 1);
    return { address: backends[i % backends.length], port: to.port };
  };
}

/** Installs the VIP load balancer on an engine's machine; returns the function that removes it. */
export function attachVipRouter(engine: Engine, d: ServiceDirectory): () => void {
  return engine.addVirtualRouter(vipRouter(d));
}
