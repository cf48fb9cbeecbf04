// Object identifiers (SK identity/randomid.go) and raft member IDs (SK manager/state/raft).
import { bigIntFromBytes } from "./base36";
import type { RandomSource } from "./random";

const ID_ENTROPY_BYTES = 17;
const ID_LENGTH = 25;

/**
 * identity.NewID: 17 random bytes with the top bit forced on, printed in base 36, characters
 * [1, 26). Forcing the top bit makes the number always 27 base-36 digits long, so the slice is
 * always 25 characters of [0-9a-z] with about 129 bits of entropy. Node, service, task,
 * network, secret, config and cluster IDs all look like this.
 */
export function newId(rand: RandomSource): string {
  const bytes = rand.bytes(ID_ENTROPY_BYTES);
  const p = new Uint8Array(bytes); // a copy: the caller's buffer is not ours to change
  p[0] |= 0x80;
  return bigIntFromBytes(p)
    .toString(36)
    .slice(1, ID_LENGTH + 1);
}

/** True for a string shaped like a NewID result. */
export function isId(s: string): boolean {
  return /^[0-9a-z]{25}$/.test(s);
}

const TWO_32 = 2 ** 32;
const MAX_RAFT_ID = Number.MAX_SAFE_INTEGER; // 2^53 - 1

/**
 * A raft member ID. SwarmKit draws `uint64(rand.Int63()) + 1`, a number in [1, 2^63]. We keep
 * IDs inside [1, 2^53 - 1] so they stay exact JavaScript numbers (usable as Map keys and in
 * arithmetic without BigInt). 53 random bits still make collisions negligible for any cluster
 * size, and a caller that must never reuse an ID checks its own removed set anyway.
 */
export function newRaftId(rand: RandomSource): number {
  const b = rand.bytes(7);
  const hi = ((b[0] & 0x1f) << 16) | (b[1] << 8) | b[2]; // 21 bits
  const lo = ((b[3] << 24) | (b[4] << 16) | (b[5] << 8) | b[6]) >>> 0; // 32 bits
  const v = hi * TWO_32 + lo; // [0, 2^53 - 1]
  return (v % MAX_RAFT_ID) + 1; // [1, 2^53 - 1]
}

/** How SwarmKit logs a raft ID: lowercase hex without prefix (`%x`). */
export function formatRaftId(id: number): string {
  return id.toString(16);
}

/** The inverse of formatRaftId; throws on text that is not a raft ID we could have made. */
export function parseRaftId(hex: string): number {
  if (!/^[0-9a-f]{1,14}$/.test(hex)) throw new Error(`invalid raft ID: ${hex}`);
  const v = Number.parseInt(hex, 16);
  if (v < 1 || v > MAX_RAFT_ID) throw new Error(`invalid raft ID: ${hex}`);
  return v;
}
