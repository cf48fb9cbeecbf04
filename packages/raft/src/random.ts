// A small seeded generator (mulberry32) for hosts without their own random streams: this
// package's tests, the step-driven network and the benchmarks. The simulator passes its
// kernel's seeded streams instead.
import type { RandomSource } from "./config";

export function seededRandom(seed: number): RandomSource & { int(n: number): number } {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n) };
}
