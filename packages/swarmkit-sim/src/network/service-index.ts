// An index over a service directory for the per-connection paths (DNS answers and the VIP
// load balancer): which service a name means on a network, and which service a VIP belongs
// to. Services and networks change rarely while names are looked up for every connection,
// so the index is rebuilt only when the directory's generation changes (or on every lookup,
// for a directory that has none). Task addresses are not indexed: they are read from the
// directory at each lookup, so a task that stops is out of the answers at once.
import { parseIPv4 } from "../api/address";
import type { Service } from "../api/types";
import { parseCidr } from "../manager/allocator/ipam";
import { type ServiceDirectory, addressOn, servingTasks } from "./service-directory";

/** What a name means on one network. */
export interface NameRecord {
  readonly serviceId: string;
  readonly networkId: string;
  /** DNS round-robin (`endpoint_mode: dnsrr`): the name answers the tasks' addresses. */
  readonly dnsrr: boolean;
  /** The service's VIP on this network as a one-address DNS answer, in VIP mode. */
  readonly vipAnswer: readonly string[] | undefined;
}

/** A VIP: its service, its network and that network's subnet (base and mask, as integers). */
export interface VipRecord {
  readonly serviceId: string;
  readonly networkId: string;
  readonly base: number;
  readonly mask: number;
}

export class ServiceIndex {
  private gen = Number.NaN;
  /** networkId -> lower-cased name (service name or alias) -> record. */
  private readonly names = new Map<string, Map<string, NameRecord>>();
  private readonly vips = new Map<string, VipRecord>();
  /** A swarm network's name and ID -> its ID (engines name their copy after the swarm's). */
  private readonly networkIds = new Map<string, string>();

  constructor(readonly directory: ServiceDirectory) {}

  private refresh(): void {
    const g = this.directory.generation?.();
    if (g !== undefined && g === this.gen) return;
    this.gen = g ?? Number.NaN;
    this.names.clear();
    this.vips.clear();
    this.networkIds.clear();
    const subnets = new Map<string, { base: number; mask: number }>();
    for (const n of this.directory.networks()) {
      this.networkIds.set(n.spec.name, n.id);
      this.networkIds.set(n.id, n.id);
      const c = parseCidr(n.spec.ipam.subnet);
      if (c) subnets.set(n.id, { base: c.base, mask: (~0 << (32 - c.bits)) >>> 0 });
    }
    for (const s of this.directory.services()) this.add(s, subnets);
  }

  private add(s: Service, subnets: Map<string, { base: number; mask: number }>): void {
    const dnsrr = s.spec.endpoint.mode === "dnsrr";
    for (const v of s.endpoint?.virtualIPs ?? []) {
      const sub = subnets.get(v.networkId);
      if (sub) this.vips.set(v.addr.split("/")[0], { serviceId: s.id, networkId: v.networkId, ...sub });
    }
    for (const a of s.spec.task.networks) {
      let table = this.names.get(a.target);
      if (!table) this.names.set(a.target, (table = new Map()));
      const vip = dnsrr ? undefined : s.endpoint?.virtualIPs.find((v) => v.networkId === a.target);
      const rec: NameRecord = {
        serviceId: s.id,
        networkId: a.target,
        dnsrr,
        vipAnswer: vip ? Object.freeze([vip.addr.split("/")[0]]) : undefined,
      };
      for (const name of [s.spec.name, ...(a.aliases ?? [])]) {
        const key = name.toLowerCase();
        if (!table.has(key)) table.set(key, rec);
      }
    }
  }

  /** The swarm network an engine network stands for (by name or ID), if any. */
  networkId(nameOrId: string): string | undefined {
    this.refresh();
    return this.networkIds.get(nameOrId);
  }

  /** What `name` (lower-cased) means on a network, if it names a service there. */
  name(networkId: string, lowerName: string): NameRecord | undefined {
    this.refresh();
    return this.names.get(networkId)?.get(lowerName);
  }

  vip(address: string): VipRecord | undefined {
    this.refresh();
    return this.vips.get(address);
  }

  /** Addresses on `networkId` of the service's tasks that serve traffic now. */
  taskAddresses(serviceId: string, networkId: string): string[] {
    const out: string[] = [];
    for (const t of servingTasks(this.directory, serviceId)) {
      const a = addressOn(t, networkId);
      if (a) out.push(a);
    }
    return out;
  }
}

/** Is `address` inside the subnet of a VIP's network? */
export function inSubnet(address: string, v: { base: number; mask: number }): boolean {
  const a = parseIPv4(address);
  return a !== undefined && (a & v.mask) >>> 0 === v.base;
}

const indexes = new WeakMap<ServiceDirectory, ServiceIndex>();

/** The shared index of a directory (every engine of a swarm uses the same one). */
export function serviceIndex(d: ServiceDirectory): ServiceIndex {
  let idx = indexes.get(d);
  if (!idx) indexes.set(d, (idx = new ServiceIndex(d)));
  return idx;
}
