// Which exchange servers listen where, per machine: a client asks before it sends, to tell
// "Connection refused" (nobody listens) from a message worth sending. The kernel can answer
// too, but only by building an "address:port" key per question; this table answers the
// common case (a server of ours listens there) with two lookups and no allocation, and the
// kernel is asked only when it has no entry. A machine that halts loses its listeners, and
// its entries with them.
import type { Machine } from "../../kernel/machine";

interface Table {
  /** Servers bound to every address of the machine, by port. */
  any: Map<number, number>;
  /** Servers bound to one address: address -> port -> count. */
  bound: Map<string, Map<number, number>>;
}

const tables = new WeakMap<Machine, Table>();

function tableOf(m: Machine): Table {
  let t = tables.get(m);
  if (t === undefined) {
    const fresh: Table = { any: new Map(), bound: new Map() };
    tables.set(m, fresh);
    m.onHalt(() => {
      fresh.any.clear();
      fresh.bound.clear();
    });
    t = fresh;
  }
  return t;
}

function bump(map: Map<number, number>, port: number, by: number): void {
  const n = (map.get(port) ?? 0) + by;
  if (n > 0) map.set(port, n);
  else map.delete(port);
}

/** Records a server on `port` of `address` (every address when undefined); returns its removal. */
export function registerServer(m: Machine, port: number, address: string | undefined): () => void {
  const t = tableOf(m);
  let ports: Map<number, number> | undefined;
  if (address === undefined) ports = t.any;
  else {
    ports = t.bound.get(address);
    if (ports === undefined) t.bound.set(address, (ports = new Map()));
  }
  const target = ports;
  bump(target, port, 1);
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    bump(target, port, -1);
  };
}

/** True when one of our servers listens on address:port of the machine (false: ask the kernel). */
export function serverListening(m: Machine, address: string, port: number): boolean {
  const t = tables.get(m);
  if (t === undefined) return false;
  return t.any.has(port) || t.bound.get(address)?.has(port) === true;
}
