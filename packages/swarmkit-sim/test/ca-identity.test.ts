import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatRaftId, isId, newId, newRaftId, parseRaftId } from "../src/ca";
import { fcParams } from "../src/testing/fc-params";
import { bytesSource, seeded } from "./ca-helpers";

/** Independent base-36 reading, digit by digit. */
function fromBase36(s: string): bigint {
  let v = 0n;
  for (const ch of s) v = v * 36n + BigInt(Number.parseInt(ch, 36));
  return v;
}

describe("identity.NewID", () => {
  it("is always 25 characters of [0-9a-z] and is the middle of the 27-digit base-36 number", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 17, maxLength: 17 }), (bytes) => {
        const id = newId(bytesSource(bytes));
        expect(id).toMatch(/^[0-9a-z]{25}$/);
        expect(isId(id)).toBe(true);
        // The number with the top bit forced: 2^135 <= n < 2^136, always 27 base-36 digits.
        let n = 0n;
        for (const b of bytes) n = (n << 8n) | BigInt(b);
        n |= 1n << 135n;
        expect(n.toString(36)).toHaveLength(27);
        // Characters [1, 26) are the number without its first and last digit.
        expect(fromBase36(id)).toBe((n / 36n) % 36n ** 25n);
      }),
      fcParams(300),
    );
  });

  it("does not change the caller's buffer and differs between draws", () => {
    const rand = seeded(1);
    const ids = new Set(Array.from({ length: 1000 }, () => newId(rand)));
    expect(ids.size).toBe(1000);
    const bytes = new Uint8Array(17);
    newId({ ...bytesSource(bytes), bytes: () => bytes });
    expect(bytes[0]).toBe(0);
  });

  it("replays from the seed", () => {
    const a = seeded("s");
    const b = seeded("s");
    expect(Array.from({ length: 5 }, () => newId(a))).toEqual(Array.from({ length: 5 }, () => newId(b)));
  });
});

describe("raft member IDs", () => {
  it("are non-zero safe integers and round-trip through their hex form", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 7, maxLength: 7 }), (bytes) => {
        const id = newRaftId(bytesSource(bytes));
        expect(Number.isSafeInteger(id)).toBe(true);
        expect(id).toBeGreaterThanOrEqual(1);
        expect(formatRaftId(id)).toMatch(/^[0-9a-f]+$/);
        expect(parseRaftId(formatRaftId(id))).toBe(id);
      }),
      fcParams(300),
    );
  });

  it("cover the extremes: all-zero bytes give 1, all-ones stay within 2^53 - 1", () => {
    expect(newRaftId(bytesSource(new Uint8Array(7)))).toBe(1);
    expect(newRaftId(bytesSource(new Uint8Array(7).fill(0xff)))).toBe(1);
    expect(newRaftId(bytesSource(Uint8Array.of(0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe)))).toBe(
      Number.MAX_SAFE_INTEGER,
    );
  });

  it("formats as SwarmKit logs them (%x) and rejects what is not one", () => {
    expect(formatRaftId(0x2e4f1a)).toBe("2e4f1a");
    for (const bad of ["", "0", "xyz", "-1", "20000000000000", "0x12"])
      expect(() => parseRaftId(bad)).toThrow();
  });
});
