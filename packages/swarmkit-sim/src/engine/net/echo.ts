// ICMP echo (ping): no port and no listener, the peer's kernel answers. A reply comes back
// from the host's own addresses (loopback, its containers' addresses on its machine), from a
// service VIP on one of its networks (libnetwork adds a VIP as a secondary address of the
// container's interface precisely so that it answers pings: moby#33770), and from a running
// machine that both directions reach, unless the link loses the packet.
import { sampleLatency } from "../../kernel/links";
import type { Random } from "../../kernel/random";
import type { NetHost } from "./host";
import { holdsVirtual } from "./virtual";

/** A round trip that never leaves the machine: 40 to 60 µs. */
function localRoundTrip(rng: Random): number {
  return 0.04 + rng.next() * 0.02;
}

/** The round trip of one echo request in ms, or undefined when no reply comes. */
export function echoRoundTrip(host: NetHost, address: string, rng: Random): number | undefined {
  const from = host.machine;
  if (from.state !== "running") return undefined;
  const to = address.startsWith("127.") ? from : from.machineFor({ address, port: 0 });
  if (to === undefined) return holdsVirtual(address, host) ? localRoundTrip(rng) : undefined;
  if (to.state !== "running") return undefined;
  if (to === from) return localRoundTrip(rng);
  const net = from.sim.net;
  if (!net.canReach(from.name, to.name) || !net.canReach(to.name, from.name)) return undefined;
  const there = net.link(from.name, to.name);
  const back = net.link(to.name, from.name);
  if (rng.next() < (there.loss ?? 0)) return undefined;
  return sampleLatency(there.latency, rng) + sampleLatency(back.latency, rng) + 0.02;
}
