import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  calculateRandomExpiry,
  FORCED_RENEWAL_DELAY_MS,
  RENEW_BACKOFF,
  renewalBackoff,
  renewalDelay,
} from "../src/ca";
import { fcParams } from "../src/testing/fc-params";
import { HOUR, seeded, smallCluster } from "./ca-helpers";

const MINUTE = 60_000;

describe("calculateRandomExpiry", () => {
  it("picks a whole minute between 50 % and 80 % of the validity", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.integer({ min: 0, max: 10_000 * HOUR }),
        fc.string(),
        (notBefore, length, seed) => {
          const t = calculateRandomExpiry(notBefore, notBefore + length, seeded(seed));
          const minutes = length / MINUTE;
          const lo = Math.trunc(minutes * 0.5);
          const hi = Math.trunc(minutes * 0.8);
          expect(Number.isInteger((t - notBefore) / MINUTE)).toBe(true);
          expect(t).toBeGreaterThanOrEqual(notBefore + lo * MINUTE);
          if (hi - lo >= 1) expect(t).toBeLessThan(notBefore + hi * MINUTE);
          else expect(t).toBe(notBefore + lo * MINUTE);
        },
      ),
      fcParams(300),
    );
  });

  it("for a default node certificate renews between 45 and 72 days after NotBefore", () => {
    const { worker } = smallCluster("renew");
    const rand = seeded("r");
    for (let i = 0; i < 50; i++) {
      const t =
        calculateRandomExpiry(worker.info.notBefore, worker.info.notAfter, rand) - worker.info.notBefore;
      expect(t).toBeGreaterThanOrEqual(0.5 * 2161 * HOUR - MINUTE);
      expect(t).toBeLessThan(0.8 * 2161 * HOUR);
    }
  });

  it("the renewer never waits a negative time", () => {
    expect(renewalDelay(0, 100 * MINUTE, 1000 * MINUTE, seeded("d"))).toBe(0);
    const d = renewalDelay(0, 100 * MINUTE, 10 * MINUTE, seeded("d"));
    expect(d).toBeGreaterThanOrEqual(40 * MINUTE);
    expect(d).toBeLessThan(70 * MINUTE);
  });
});

describe("renewal backoff", () => {
  it("has SwarmKit's parameters", () => {
    expect(RENEW_BACKOFF).toEqual({ baseMs: 5_000, factorMs: 5_000, maxMs: HOUR });
    expect(FORCED_RENEWAL_DELAY_MS).toBe(500);
  });

  it("is zero before any failure, then uniform under base + factor·2^(n−1), capped at 1 h", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 80 }), fc.string(), (failures, seed) => {
        const d = renewalBackoff(failures, seeded(seed));
        if (failures === 0) {
          expect(d).toBe(0);
          return;
        }
        const bound = Math.min(5_000 + 5_000 * 2 ** (failures - 1), HOUR);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(bound);
      }),
      fcParams(300),
    );
    const rand = seeded("spread");
    const draws = Array.from({ length: 2000 }, () => renewalBackoff(20, rand));
    expect(Math.max(...draws)).toBeGreaterThan(0.95 * HOUR);
    expect(Math.min(...draws)).toBeLessThan(0.05 * HOUR);
  });
});
