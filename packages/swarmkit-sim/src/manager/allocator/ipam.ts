// Address management for overlay networks (the default IPAM driver's behaviour): every network
// has an IPv4 subnet; .0 is the network, .1 the gateway, the last the broadcast address;
// addresses are handed out in order (serially, wrapping around, so a released address is not
// reused at once). Subnets come
// from the default address pool 10.0.0.0/8 in /24 blocks (SwarmKit's defaults): ingress gets
// the first, each new overlay network the next free one.
import { formatIPv4, parseIPv4 } from "../../api/address";

export const DEFAULT_POOL_BASE = "10.0.0.0";
export const DEFAULT_SUBNET_BITS = 24;

export function parseCidr(cidr: string): { base: number; bits: number } | undefined {
  const [addr, bitsText] = cidr.split("/");
  const base = parseIPv4(addr);
  const bits = Number(bitsText);
  if (base === undefined || !Number.isInteger(bits) || bits < 8 || bits > 30) return undefined;
  const mask = (~0 << (32 - bits)) >>> 0;
  return { base: (base & mask) >>> 0, bits };
}

/** The gateway of a subnet: its first host address. */
export function gatewayOf(subnet: string): string {
  const c = parseCidr(subnet);
  return c ? formatIPv4(c.base + 1) : "";
}

/**
 * The first /24 of 10.0.0.0/8 that no existing network uses and that holds none of the
 * simulated machines' own addresses (overlay addresses live in the same simulated address
 * space as the machines, so they must not collide).
 */
export function nextFreeSubnet(used: readonly string[], machineAddresses: readonly string[] = []): string {
  const taken = new Set(used.map((s) => parseCidr(s)?.base));
  for (const a of machineAddresses) {
    const v = parseIPv4(a);
    if (v !== undefined) taken.add((v & ~(2 ** (32 - DEFAULT_SUBNET_BITS) - 1)) >>> 0);
  }
  const base = parseIPv4(DEFAULT_POOL_BASE)!;
  const size = 2 ** (32 - DEFAULT_SUBNET_BITS);
  for (let i = 0; i < 2 ** (DEFAULT_SUBNET_BITS - 8); i++) {
    const b = base + i * size;
    if (!taken.has(b)) return `${formatIPv4(b)}/${DEFAULT_SUBNET_BITS}`;
  }
  throw new Error(
    "could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network",
  );
}

/** One network's address pool. Addresses are kept as "a.b.c.d/bits" (SwarmKit's form). */
export class AddressPool {
  private readonly used = new Set<number>();
  private readonly first: number;
  private readonly last: number;
  private cursor: number;

  constructor(readonly subnet: string) {
    const c = parseCidr(subnet);
    if (!c) throw new Error(`invalid subnet ${subnet}`);
    this.bits = c.bits;
    this.first = c.base + 2; // .1 is the gateway
    this.last = c.base + 2 ** (32 - c.bits) - 2;
    this.cursor = this.first;
  }

  readonly bits: number;

  /** Takes the next free address; undefined when the pool is exhausted. */
  allocate(): string | undefined {
    const span = this.last - this.first + 1;
    for (let i = 0; i < span; i++) {
      const v = this.first + ((this.cursor - this.first + i) % span);
      if (this.used.has(v)) continue;
      this.used.add(v);
      this.cursor = v + 1 > this.last ? this.first : v + 1;
      return `${formatIPv4(v)}/${this.bits}`;
    }
    return undefined;
  }

  /** Marks an address (from the store) as taken. */
  claim(addr: string): void {
    const v = parseIPv4(addr.split("/")[0]);
    if (v !== undefined) this.used.add(v);
  }

  release(addr: string): void {
    const v = parseIPv4(addr.split("/")[0]);
    if (v !== undefined) this.used.delete(v);
  }

  inUse(): number {
    return this.used.size;
  }
}
