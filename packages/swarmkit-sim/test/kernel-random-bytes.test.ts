import fc from "fast-check";
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { fcParams } from "../src";
import { Random } from "../src/kernel/random";

// Random.bytes is on the hot path (rng's answers) and was rewritten for speed; the bytes a
// seed gives must not change, or every recorded run (coins, trace hashes) would. The
// reference is the format as documented: one alea int32 per 4 bytes, low byte first.
function referenceBytes(gen: seedrandom.PRNG, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = gen.int32() >>> 0;
    for (let k = 0; k < 4 && i + k < n; k++) out[i + k] = (v >>> (8 * k)) & 0xff;
    i += 3;
  }
  return out;
}

describe("Random.bytes", () => {
  it("gives the documented bytes for any seed and any mix of lengths and other draws", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 70 }), fc.constant(-1)), { maxLength: 40 }),
        (seed, steps) => {
          const r = new Random(seed);
          const ref = seedrandom.alea(seed);
          for (const n of steps) {
            // -1: a next() in between, so the stream position moves by whole draws too.
            if (n < 0) expect(r.next()).toBe(ref());
            else expect(r.bytes(n)).toEqual(referenceBytes(ref, n));
          }
        },
      ),
      fcParams(200),
    );
  });

  it("keeps a known seed's bytes", () => {
    const r = new Random("42");
    // Recorded from the original implementation.
    expect(Buffer.from(r.bytes(32)).toString("hex")).toBe(
      "cf3653af9aebdb8bc1cd78d8d344f7323d245190707eaaf6f8d8810bfaf440a4",
    );
    expect(r.bytes(0).length).toBe(0);
    expect(r.bytes(5).length).toBe(5);
  });
});
