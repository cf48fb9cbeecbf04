import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bodyLength } from "../../src/engine/http/message";
import { fcParams } from "../../src";

// bodyLength counts short ASCII strings itself (a fast path for hex digests and small JSON);
// it must agree with Buffer.byteLength on every string, ASCII or not, short or long.
describe("bodyLength", () => {
  it("is the UTF-8 byte length of any string", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: "binary", maxLength: 200 }),
          fc.string({ unit: "grapheme", maxLength: 200 }),
        ),
        (s) => {
          expect(bodyLength(s)).toBe(Buffer.byteLength(s, "utf8"));
        },
      ),
      fcParams(500),
    );
  });

  it("counts edge cases: empty, the ASCII limit, lone surrogates, bytes and no body", () => {
    for (const s of [
      "",
      "\u007f",
      "\u0080",
      "x".repeat(128),
      `${"x".repeat(127)}é`,
      `${"x".repeat(128)}é`,
      "\ud800",
      "😀",
    ])
      expect(bodyLength(s)).toBe(Buffer.byteLength(s, "utf8"));
    expect(bodyLength(new Uint8Array(7))).toBe(7);
    expect(bodyLength(undefined)).toBe(0);
  });
});
