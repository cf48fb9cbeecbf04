// The unlock key (KEK) in its human-readable form (SWARMKIT.md §2.6), from the CA module.
import { formatUnlockKey, generateUnlockKey as newKek, parseUnlockKey as parseKek } from "../ca/autolock";
import type { RandomSource } from "../ca/random";

export function generateUnlockKey(rand: RandomSource): string {
  return formatUnlockKey(newKek(rand));
}

/** The 32 key bytes, or throws `invalid key string`. */
export function parseUnlockKey(s: string): Uint8Array {
  return parseKek(s);
}
