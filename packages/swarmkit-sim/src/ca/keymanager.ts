// The network bootstrap key ring (SK manager/keymanager/keymanager.go), as pure functions over
// plain data. The leader keeps three AES-128-GCM keys per subsystem in the cluster object and
// rotates every 12 hours: the key with the lowest Lamport time goes, a fresh one comes. Agents
// receive the ring through their dispatcher session. The Lamport clock starts at a random
// 0-65535 and ticks once per key made.
import type { RandomSource } from "./random";

export const SUBSYSTEM_GOSSIP = "networking:gossip";
export const SUBSYSTEM_IPSEC = "networking:ipsec";
export type KeySubsystem = typeof SUBSYSTEM_GOSSIP | typeof SUBSYSTEM_IPSEC;
/** Both subsystems, in the order keys are made (Go iterates a map here; we fix an order). */
export const SUBSYSTEMS: readonly KeySubsystem[] = Object.freeze([SUBSYSTEM_GOSSIP, SUBSYSTEM_IPSEC]);

export const NETWORK_KEY_BYTES = 16;
export const KEYRING_SIZE = 3;
export const KEY_ROTATION_INTERVAL_MS = 12 * 3_600_000;

export interface NetworkKey {
  readonly subsystem: KeySubsystem;
  readonly algorithm: "AES_128_GCM";
  readonly key: Uint8Array;
  readonly lamportTime: number;
}

export interface NetworkKeyRing {
  /** Cluster.EncryptionKeyLamportClock: the Lamport time of the newest key. */
  readonly lamportClock: number;
  /** Cluster.NetworkBootstrapKeys. */
  readonly keys: readonly NetworkKey[];
}

function allocate(subsystem: KeySubsystem, lamportTime: number, rand: RandomSource): NetworkKey {
  return {
    subsystem,
    algorithm: "AES_128_GCM",
    key: Uint8Array.from(rand.bytes(NETWORK_KEY_BYTES)),
    lamportTime,
  };
}

/** The first ring: a random Lamport start, then three keys per subsystem. */
export function initialKeyRing(rand: RandomSource): NetworkKeyRing {
  const skew = rand.bytes(2);
  let clock = (skew[0] << 8) | skew[1];
  const keys: NetworkKey[] = [];
  for (const subsystem of SUBSYSTEMS) {
    for (let i = 0; i < KEYRING_SIZE; i++) keys.push(allocate(subsystem, ++clock, rand));
  }
  return { lamportClock: clock, keys };
}

/** One rotation: per subsystem, drop the lowest-Lamport key if the ring is full, add a new key. */
export function rotateKeyRing(ring: NetworkKeyRing, rand: RandomSource): NetworkKeyRing {
  if (ring.keys.length === 0) throw new Error("no key in the cluster config");
  let clock = ring.lamportClock;
  const keys: NetworkKey[] = [];
  for (const subsystem of SUBSYSTEMS) {
    const mine = ring.keys.filter((k) => k.subsystem === subsystem);
    if (mine.length === 0) continue;
    if (mine.length === KEYRING_SIZE) {
      let oldest = 0;
      for (let i = 1; i < mine.length; i++) if (mine[i].lamportTime < mine[oldest].lamportTime) oldest = i;
      mine.splice(oldest, 1);
    }
    mine.push(allocate(subsystem, ++clock, rand));
    keys.push(...mine);
  }
  return { lamportClock: clock, keys };
}
