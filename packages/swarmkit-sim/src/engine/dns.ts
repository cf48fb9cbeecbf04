// Name resolution for containers. Pluggable resolvers go first (the swarm's service names
// and VIPs plug in here later), then the embedded DNS of each user-defined network the
// container is on, in the order it joined them, then the host's names (the lab's machines).
// With several addresses for one name, Docker's embedded DNS shuffles its answer (libnetwork
// `shuffleAddr`) and clients connect to the first address: "DNS round-robin".
import type { Random } from "../kernel/random";
import type { EngineNetwork } from "./network";

/** Who is asking: the networks the asking container is attached to (none for the host). */
export interface ResolveOrigin {
  readonly containerId: string | undefined;
  readonly networks: readonly EngineNetwork[];
}

/** Returns the addresses for `name`, or undefined to let the next resolver answer. */
export type Resolver = (name: string, origin: ResolveOrigin) => readonly string[] | undefined;

export class DnsResolver {
  private readonly resolvers: Resolver[] = [];

  constructor(
    private readonly random: Random,
    private readonly hostNames: (name: string) => string | undefined,
  ) {}

  /** Adds a resolver consulted before the embedded DNS; returns a function that removes it. */
  add(resolver: Resolver): () => void {
    this.resolvers.push(resolver);
    return () => {
      const i = this.resolvers.indexOf(resolver);
      if (i >= 0) this.resolvers.splice(i, 1);
    };
  }

  /** Every address for `name`, unshuffled (the records as stored). */
  records(name: string, origin: ResolveOrigin): readonly string[] {
    for (const r of this.resolvers) {
      const a = r(name, origin);
      if (a !== undefined) return a;
    }
    for (const n of origin.networks) {
      const a = n.lookup(name);
      if (a !== undefined && a.length > 0) return a;
    }
    const h = this.hostNames(name);
    return h === undefined ? [] : [h];
  }

  /** The answer as Docker gives it: every address, shuffled when there are several. */
  lookup(name: string, origin: ResolveOrigin): string[] {
    const a = this.records(name, origin);
    return a.length > 1 ? this.random.shuffle(a) : a.slice();
  }

  /** The address a client connects to: the first of the (shuffled) answer. */
  resolve(name: string, origin: ResolveOrigin): string | undefined {
    const a = this.records(name, origin);
    if (a.length <= 1) return a[0];
    return a[this.random.int(a.length)];
  }
}
