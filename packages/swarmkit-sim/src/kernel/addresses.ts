// The kernel's address table: which machine holds each global address (a machine's private
// ones, its engine's bridges, are its own: kernel/machine.ts), and a generation that moves
// on whenever an address changes hands (a machine or an address added or removed), so that
// whoever caches "address -> machine" (a sender's last destination, a Source, an HTTP client)
// knows when to look again. The Sim owns it; machines and the network read it. Also the shape
// of what travels between addresses: endpoints and messages.

export interface Endpoint {
  address: string;
  port: number;
}

export interface Message {
  from: { machine: string; address: string; port: number };
  to: Endpoint;
  payload: unknown;
}

/**
 * What a machine runs for a message that reaches one of its ports: a function, or an object
 * that receives them. An object that listens (an RPC client: one per connection, 10^4 in a
 * large swarm) is its own listener, with no closure of its own, which would be one more object
 * (and cache line) each message touches.
 */
export type Listener = ((msg: Message) => void) | Receiver;

/** A listener that is an object: `receive` gets each message. */
export interface Receiver {
  receive(msg: Message): void;
}

export class AddressTable<Holder> {
  private readonly holders = new Map<string, Holder>();
  /** Bumped whenever an address changes hands: what was looked up before may be stale. */
  generation = 0;

  /** The holder of `address` now (undefined: nobody). */
  at(address: string): Holder | undefined {
    return this.holders.get(address);
  }

  has(address: string): boolean {
    return this.holders.has(address);
  }

  /** Gives a free address to `holder` (throws if it is taken). */
  add(address: string, holder: Holder): void {
    if (this.holders.has(address)) throw new Error(`address ${address} is already in use`);
    this.holders.set(address, holder);
    this.generation++;
  }

  /** Something changed how addresses route without a global one changing hands (a machine's private address). */
  touch(): void {
    this.generation++;
  }

  /** Frees an address; returns who held it. */
  remove(address: string): Holder | undefined {
    const holder = this.holders.get(address);
    if (holder === undefined) return undefined;
    this.holders.delete(address);
    this.generation++;
    return holder;
  }
}
