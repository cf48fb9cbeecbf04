// Where a machine's handshakes draw their nonces and key shares: one seeded stream per machine
// (the kernel's, forked by name), so runs replay and no machine's draws shift another's.
import type { Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import { NONCE_BYTES, SHARE_BYTES } from "./handshake";

const streams = new WeakMap<Machine, Random>();

/** A fresh nonce and key share for one side of one handshake. */
export function freshHello(machine: Machine): { nonce: Uint8Array; share: Uint8Array } {
  let r = streams.get(machine);
  if (!r) streams.set(machine, (r = machine.sim.random.fork(`tls/${machine.name}`)));
  const b = r.bytes(NONCE_BYTES + SHARE_BYTES);
  return { nonce: b.subarray(0, NONCE_BYTES), share: b.subarray(NONCE_BYTES) };
}
