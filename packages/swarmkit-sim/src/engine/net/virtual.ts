// Virtual addresses: addresses no machine owns, which the kernel of the node a connection
// starts on translates to a real endpoint, one connection at a time. This is how Docker's
// service VIPs work: IPVS in the node's network namespace picks one of the service's tasks
// for every new connection (round-robin) and rewrites the destination. A router installed on
// a machine sees each connection a process there opens to an address that no machine owns,
// and answers with the endpoint to use instead, or says that nobody serves it.
import type { Machine } from "../../kernel/machine";
import type { Endpoint } from "../../kernel/addresses";
import type { NetHost } from "./host";

/**
 * What a router decides for a connection to `to` opened by a process at `from`:
 * an endpoint to connect to instead; "refused" for a virtual address with no backend (IPVS
 * answers the SYN with ICMP port unreachable, which connect() reports as ECONNREFUSED); or
 * undefined when the address is not one of the router's.
 */
export type VirtualRoute = Endpoint | "refused" | undefined;

/**
 * With `probe`, the caller only asks whether the address is one of the router's (a ping to a
 * VIP, which the host answers itself): the router answers without choosing a backend or
 * changing its state, and any answer but undefined means yes.
 */
export type VirtualRouter = (to: Endpoint, from: NetHost, probe?: boolean) => VirtualRoute;

const routers = new WeakMap<Machine, VirtualRouter[]>();

/** Installs a router on a machine; returns a function that removes it. */
export function addVirtualRouter(machine: Machine, router: VirtualRouter): () => void {
  let list = routers.get(machine);
  if (!list) routers.set(machine, (list = []));
  list.push(router);
  return () => {
    const l = routers.get(machine);
    const i = l ? l.indexOf(router) : -1;
    if (l && i >= 0) l.splice(i, 1);
  };
}

/** The route for a connection from `from` to an address no machine owns (first router that knows it). */
export function routeVirtual(to: Endpoint, from: NetHost): VirtualRoute {
  const list = routers.get(from.machine);
  if (list === undefined) return undefined;
  for (let i = 0; i < list.length; i++) {
    const r = list[i](to, from);
    if (r !== undefined) return r;
  }
  return undefined;
}

/** Whether an address no machine owns is one of a router's for a process at `from`. */
export function holdsVirtual(address: string, from: NetHost): boolean {
  const list = routers.get(from.machine);
  return list?.some((r) => r({ address, port: 0 }, from, true) !== undefined) === true;
}
