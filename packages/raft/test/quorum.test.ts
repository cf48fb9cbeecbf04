import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quorumSize } from "../src";
import { fcParams } from "./fc-params";

describe("quorumSize", () => {
  it("is the majority: 1 of 1, 2 of 2 or 3, 3 of 4 or 5, 4 of 7", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(quorumSize)).toEqual([1, 2, 2, 3, 3, 4, 4]);
  });

  it("any two quorums overlap, and no smaller number has that property (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (n) => {
        expect(2 * quorumSize(n)).toBeGreaterThan(n);
        expect(2 * (quorumSize(n) - 1)).toBeLessThanOrEqual(n);
      }),
      fcParams(200, "quorum.test.ts"),
    );
  });
});
