// Networks on one engine: the default bridge (docker0), user-defined bridges (br-<id>), and
// the host and none networks; a bridge's addresses are its machine's own (private). A bridge has a subnet, a gateway address on the machine, and
// IP address management; a user-defined network also has the embedded DNS's records
// (container names, short IDs and aliases). The default bridge has no DNS, as in Docker:
// containers on it cannot find each other by name.
import { type Subnet, ipToInt } from "./subnets";

export type NetworkDriver = "bridge" | "host" | "null" | "overlay";

export interface NetworkEndpoint {
  containerId: string;
  containerName: string;
  address: string;
  /** Names the embedded DNS answers with this endpoint's address. */
  names: string[];
}

export class EngineNetwork {
  readonly endpoints = new Map<string, NetworkEndpoint>();
  /** Lower-cased DNS name -> addresses, in attach order. */
  private readonly records = new Map<string, string[]>();
  /** Host numbers handed out (index into the subnet). */
  private readonly leased = new Set<number>();
  /**
   * Every host number from 2 up to this one (excluded) is leased here: the search for the
   * lowest free address starts at it instead of at 2 each time (10^5 containers on one network
   * made that quadratic). Only a release below it moves it down.
   */
  private low = 2;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly driver: NetworkDriver,
    readonly subnet: Subnet | undefined,
    /** The interface on the machine: docker0 or br-<short id>; undefined for host/none/overlay. */
    readonly bridgeName: string | undefined,
    /** Whether the embedded DNS serves this network (user-defined networks). */
    readonly dns: boolean,
    readonly createdAt: number,
    readonly labels: Readonly<Record<string, string>> = {},
    readonly scope: "local" | "swarm" = "local",
    /**
     * The network's addresses (gateway, containers) are its machine's alone, as every engine's
     * bridges are; false for overlays (cluster-wide) and for bridges other machines sit on
     * (the lab's node1, whose docker:dind nodes are on its docker0).
     */
    readonly machinePrivate = false,
  ) {}

  get gateway(): string | undefined {
    return this.subnet?.host(1);
  }

  /**
   * Leases `requested` or the lowest free address (never the gateway); `inUse` says whether an
   * address is held already where this network's addresses live (the machine, or the world).
   */
  allocate(inUse: (address: string) => boolean, requested?: string): string {
    const s = this.subnet;
    if (!s) throw new Error(`network ${this.name} has no address space`);
    if (requested !== undefined) {
      if (!s.contains(requested)) {
        throw new Error(`no configured subnet or ip-range contain the IP address ${requested}`);
      }
      const n = ipToInt(requested) - s.base;
      if (this.leased.has(n) || n === 1 || inUse(requested)) {
        throw new Error("Address already in use");
      }
      this.lease(n);
      return requested;
    }
    for (let n = this.low; n < s.size - 1; n++) {
      if (this.leased.has(n)) continue;
      const a = s.host(n);
      if (inUse(a)) continue;
      this.lease(n);
      return a;
    }
    throw new Error(`no available IPv4 addresses on this network's address pools: ${this.name} (${this.id})`);
  }

  private lease(n: number): void {
    this.leased.add(n);
    while (this.leased.has(this.low)) this.low++;
  }

  release(address: string): void {
    if (!this.subnet?.contains(address)) return;
    const n = ipToInt(address) - this.subnet.base;
    this.leased.delete(n);
    if (n < this.low) this.low = Math.max(2, n);
  }

  attach(ep: NetworkEndpoint): void {
    this.endpoints.set(ep.containerId, ep);
    if (!this.dns) return;
    for (const n of ep.names) {
      const key = n.toLowerCase();
      const list = this.records.get(key);
      if (list) list.push(ep.address);
      else this.records.set(key, [ep.address]);
    }
  }

  detach(containerId: string): NetworkEndpoint | undefined {
    const ep = this.endpoints.get(containerId);
    if (!ep) return undefined;
    this.endpoints.delete(containerId);
    for (const n of ep.names) {
      const key = n.toLowerCase();
      const list = this.records.get(key);
      if (!list) continue;
      const i = list.indexOf(ep.address);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.records.delete(key);
    }
    return ep;
  }

  /** The embedded DNS's records for `name` on this network (not shuffled), or undefined. */
  lookup(name: string): readonly string[] | undefined {
    if (!this.dns) return undefined;
    return this.records.get(name) ?? this.records.get(name.toLowerCase());
  }
}
