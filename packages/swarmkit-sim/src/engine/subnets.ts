// IPv4 subnets for an engine's networks. Docker picks bridge subnets from its default pools
// (172.17.0.0/16 through 172.31.0.0/16, then 192.168.0.0/20 steps), each engine from its own:
// docker0 gets the first subnet that does not overlap a route of its machine (an address it
// holds, or a network it is attached to from outside: a docker:dind container on node1's
// bridge 172.17.0.0/16 gets 172.18.0.0/16 for its own docker0, as libnetwork's overlap check
// does), and every user-defined bridge the next. Bridges are private to their engine
// (kernel/machine.ts), so engines' subnets may coincide. Past Docker's pools, allocation goes on
// in 100.64.0.0/10 in /24 steps.
import { formatIPv4, parseIPv4 } from "../api/address";
import type { Machine } from "../kernel/machine";

export function ipToInt(ip: string): number {
  const v = parseIPv4(ip);
  if (v === undefined) throw new Error(`invalid IPv4 address: ${ip}`);
  return v;
}

export const intToIp = formatIPv4;

export class Subnet {
  readonly size: number;
  constructor(
    /** Network address as an unsigned 32-bit integer. */
    readonly base: number,
    readonly prefix: number,
  ) {
    this.size = 2 ** (32 - prefix);
  }

  static parse(cidr: string): Subnet {
    const [ip, bits] = cidr.split("/");
    const prefix = Number(bits);
    if (!Number.isInteger(prefix) || prefix < 8 || prefix > 30) throw new Error(`invalid subnet: ${cidr}`);
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return new Subnet((ipToInt(ip) & mask) >>> 0, prefix);
  }

  toString(): string {
    return `${intToIp(this.base)}/${this.prefix}`;
  }

  /** The n-th address in the subnet (1 is the gateway). */
  host(n: number): string {
    return intToIp((this.base + n) >>> 0);
  }

  contains(ip: string): boolean {
    const n = ipToInt(ip);
    return n >= this.base && n < this.base + this.size;
  }

  overlaps(o: Subnet): boolean {
    return this.base < o.base + o.size && o.base < this.base + this.size;
  }
}

function* defaultPools(): Generator<Subnet> {
  for (let b = 17; b <= 31; b++) yield new Subnet(ipToInt(`172.${b}.0.0`), 16);
  for (let c = 0; c < 256; c += 16) yield new Subnet(ipToInt(`192.168.${c}.0`), 20);
  const overflow = ipToInt("100.64.0.0");
  for (let i = 0; i < 1 << 14; i++) yield new Subnet((overflow + i * 256) >>> 0, 24);
}

const allocated = new WeakMap<Machine, Subnet[]>();

function used(m: Machine): Subnet[] {
  let list = allocated.get(m);
  if (!list) allocated.set(m, (list = []));
  return list;
}

/**
 * Reserves `requested` (CIDR) or the next free default-pool subnet on machine `m`, skipping
 * those that overlap the machine's routes: its own addresses and `reserved` (networks it sits on).
 */
export function allocateSubnet(m: Machine, requested?: string, reserved: readonly Subnet[] = []): Subnet {
  const taken = used(m);
  if (requested !== undefined) {
    const s = Subnet.parse(requested);
    if (taken.some((t) => t.overlaps(s))) {
      throw new Error("invalid pool request: Pool overlaps with other one on this address space");
    }
    taken.push(s);
    return s;
  }
  const own = m.addresses;
  for (const s of defaultPools()) {
    if (taken.some((t) => t.overlaps(s)) || reserved.some((r) => r.overlaps(s))) continue;
    if (own.some((a) => s.contains(a))) continue;
    taken.push(s);
    return s;
  }
  throw new Error("all predefined address pools have been fully subnetted");
}

export function releaseSubnet(m: Machine, subnet: Subnet): void {
  const taken = used(m);
  const i = taken.findIndex((t) => t.base === subnet.base && t.prefix === subnet.prefix);
  if (i >= 0) taken.splice(i, 1);
}
