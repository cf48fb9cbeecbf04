// The only randomness the CA uses, passed in by the caller (the kernel's `Random` satisfies it).
// Keys, serial numbers, IDs, token secrets and nonces all come from here, so a run replays
// byte for byte from its seed.
export interface RandomSource {
  /** n uniformly random bytes. */
  bytes(n: number): Uint8Array;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
}
