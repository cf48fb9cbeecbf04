// Seeded random streams. One root seed; `fork(name)` derives an independent stream from
// (seed, name), so adding randomness in one component never shifts another's draws.
import seedrandom from "seedrandom";

export class Random {
  private readonly gen: seedrandom.PRNG;

  constructor(readonly seed: string) {
    this.gen = seedrandom.alea(seed);
  }

  /** A new stream named under this one: "root/node3/raft". */
  fork(name: string): Random {
    return new Random(`${this.seed}/${name}`);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.gen();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.gen() * n);
  }

  /** A float in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.gen();
  }

  chance(p: number): boolean {
    return p > 0 && this.gen() < p;
  }

  /**
   * n random bytes (4 per draw of the generator's 32-bit output, low byte first). The draw is
   * alea's int32() written out, `(next() * 2^32) | 0`, to save a call per word; storing into a
   * Uint8Array keeps the low 8 bits, so no masking is needed.
   */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    const gen = this.gen;
    const whole = n - (n % 4);
    let i = 0;
    for (; i < whole; i += 4) {
      const v = (gen() * 0x100000000) | 0;
      out[i] = v;
      out[i + 1] = v >>> 8;
      out[i + 2] = v >>> 16;
      out[i + 3] = v >>> 24;
    }
    if (i < n) {
      const v = (gen() * 0x100000000) | 0;
      out[i] = v;
      if (i + 1 < n) out[i + 1] = v >>> 8;
      if (i + 2 < n) out[i + 2] = v >>> 16;
    }
    return out;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("Random.pick: empty list");
    return items[this.int(items.length)];
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** A normal draw (Box–Muller). */
  normal(mean: number, stddev: number): number {
    const u = 1 - this.gen(); // (0, 1]: log(0) would be -Infinity
    const v = this.gen();
    return mean + stddev * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** An exponential draw with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.gen());
  }
}
