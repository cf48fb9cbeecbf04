// IPv4 subnets for networks. Docker picks bridge subnets from its default pools
// (172.17.0.0/16 through 172.31.0.0/16, then 192.168.0.0/20 steps). Every machine in the
// simulation shares one address space (the kernel routes by address), so the pools are
// shared by every engine in a simulation: on one machine the numbers are Docker's own
// (docker0 gets 172.17.0.0/16, the first user network 172.18.0.0/16); a second machine's
// docker0 gets the next free subnet instead of overlapping the first. A pool subnet that holds a
// machine's own address is skipped. When Docker's pools are used up (in reality each machine has
// its own; here ~30 engines share them), allocation goes on in 100.64.0.0/10 in /24 steps, so a
// lab can have hundreds of nodes.
import { formatIPv4, parseIPv4 } from "../api/address";
import type { World } from "../kernel/machine";

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

const allocated = new WeakMap<World, Subnet[]>();

function used(sim: World): Subnet[] {
  let list = allocated.get(sim);
  if (!list) allocated.set(sim, (list = []));
  return list;
}

/** Reserves `requested` (CIDR) or the next free default-pool subnet. */
export function allocateSubnet(sim: World, requested?: string): Subnet {
  const taken = used(sim);
  if (requested !== undefined) {
    const s = Subnet.parse(requested);
    if (taken.some((t) => t.overlaps(s))) {
      throw new Error("invalid pool request: Pool overlaps with other one on this address space");
    }
    taken.push(s);
    return s;
  }
  const machineAddresses = sim.machineNames().flatMap((n) => sim.machine(n).addresses);
  for (const s of defaultPools()) {
    if (!taken.some((t) => t.overlaps(s)) && !machineAddresses.some((a) => s.contains(a))) {
      taken.push(s);
      return s;
    }
  }
  throw new Error("all predefined address pools have been fully subnetted");
}

export function releaseSubnet(sim: World, subnet: Subnet): void {
  const taken = used(sim);
  const i = taken.findIndex((t) => t.base === subnet.base && t.prefix === subnet.prefix);
  if (i >= 0) taken.splice(i, 1);
}
