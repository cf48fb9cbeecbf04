import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  initialKeyRing,
  KEY_ROTATION_INTERVAL_MS,
  KEYRING_SIZE,
  type NetworkKeyRing,
  rotateKeyRing,
  SUBSYSTEM_GOSSIP,
  SUBSYSTEM_IPSEC,
} from "../src/ca";
import { fcParams } from "../src/testing/fc-params";
import { bytesSource, seeded } from "./ca-helpers";

const lamports = (ring: NetworkKeyRing, subsystem: string) =>
  ring.keys.filter((k) => k.subsystem === subsystem).map((k) => k.lamportTime);

describe("network key ring", () => {
  it("starts with three 16-byte AES-128-GCM keys per subsystem after a random Lamport start", () => {
    const ring = initialKeyRing(bytesSource(Uint8Array.of(0x12, 0x34)));
    expect(ring.keys).toHaveLength(6);
    for (const k of ring.keys) {
      expect(k.algorithm).toBe("AES_128_GCM");
      expect(k.key).toHaveLength(16);
    }
    expect(lamports(ring, SUBSYSTEM_GOSSIP)).toEqual([0x1235, 0x1236, 0x1237]);
    expect(lamports(ring, SUBSYSTEM_IPSEC)).toEqual([0x1238, 0x1239, 0x123a]);
    expect(ring.lamportClock).toBe(0x123a);
  });

  it("draws the Lamport start from 0..65535", () => {
    expect(initialKeyRing(bytesSource(Uint8Array.of(0xff, 0xff))).keys[0].lamportTime).toBe(65536);
    expect(initialKeyRing(bytesSource(Uint8Array.of(0, 0))).keys[0].lamportTime).toBe(1);
  });

  it("rotation drops each subsystem's lowest-Lamport key and adds a new one", () => {
    const rand = seeded("keys");
    const ring = initialKeyRing(rand);
    const next = rotateKeyRing(ring, rand);
    const start = ring.keys[0].lamportTime - 1;
    expect(lamports(next, SUBSYSTEM_GOSSIP)).toEqual([start + 2, start + 3, start + 7]);
    expect(lamports(next, SUBSYSTEM_IPSEC)).toEqual([start + 5, start + 6, start + 8]);
    expect(next.lamportClock).toBe(start + 8);
    // The kept keys are the same keys; the input ring is untouched.
    expect(next.keys[0]).toBe(ring.keys[1]);
    expect(ring.keys).toHaveLength(6);
    expect(lamports(ring, SUBSYSTEM_GOSSIP)).toEqual([start + 1, start + 2, start + 3]);
  });

  it("after any number of rotations holds the newest three keys of each subsystem, all distinct", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.string(), (rotations, seed) => {
        const rand = seeded(seed);
        let ring = initialKeyRing(rand);
        const made = new Map<string, number[]>([
          [SUBSYSTEM_GOSSIP, lamports(ring, SUBSYSTEM_GOSSIP)],
          [SUBSYSTEM_IPSEC, lamports(ring, SUBSYSTEM_IPSEC)],
        ]);
        for (let i = 0; i < rotations; i++) {
          ring = rotateKeyRing(ring, rand);
          for (const s of [SUBSYSTEM_GOSSIP, SUBSYSTEM_IPSEC])
            made.get(s)!.push(Math.max(...lamports(ring, s)));
        }
        for (const s of [SUBSYSTEM_GOSSIP, SUBSYSTEM_IPSEC]) {
          expect(lamports(ring, s)).toEqual(made.get(s)!.slice(-KEYRING_SIZE));
        }
        expect(ring.lamportClock).toBe(Math.max(...ring.keys.map((k) => k.lamportTime)));
        expect(new Set(ring.keys.map((k) => Buffer.from(k.key).toString("hex"))).size).toBe(6);
      }),
      fcParams(50),
    );
  });

  it("rotates every 12 hours, and refuses an empty ring", () => {
    expect(KEY_ROTATION_INTERVAL_MS).toBe(12 * 3_600_000);
    expect(() => rotateKeyRing({ lamportClock: 0, keys: [] }, seeded("x"))).toThrow(
      "no key in the cluster config",
    );
  });
});
