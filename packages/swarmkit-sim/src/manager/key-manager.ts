// The key manager (SwarmKit manager/keymanager), run on the leader: the cluster's network
// bootstrap key ring, created on first run and rotated every 12 hours of simulated time.
import {
  initialKeyRing,
  KEY_ROTATION_INTERVAL_MS,
  type NetworkKeyRing,
  rotateKeyRing,
} from "../ca/keymanager";
import type { Timer } from "../kernel/event-queue";
import type { Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import type { Proposer } from "./store/actions";
import type { MemoryStore } from "./store/memory-store";

/** What the cluster object stores: the ring and when it was last rotated (simulated ms). */
export interface StoredKeyRing {
  ring: NetworkKeyRing;
  rotatedAt: number;
  rotations: number;
}

export class KeyManager {
  private timer: Timer | null = null;
  private running = false;

  constructor(
    private readonly machine: Machine,
    private readonly store: MemoryStore,
    private readonly proposer: Proposer,
    private readonly random: Random,
  ) {}

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
    this.timer = null;
  }

  private schedule(ms: number): void {
    this.timer = this.machine.after(ms, () => this.run());
  }

  private run(): void {
    const c = this.store.cluster();
    if (!c) {
      this.schedule(1000);
      return;
    }
    const now = this.machine.sim.now();
    const stored = c.networkBootstrapKeys as StoredKeyRing | undefined | null;
    if (stored?.ring && now - stored.rotatedAt < KEY_ROTATION_INTERVAL_MS) {
      this.schedule(stored.rotatedAt + KEY_ROTATION_INTERVAL_MS - now);
      return;
    }
    const next: StoredKeyRing = stored?.ring
      ? { ring: rotateKeyRing(stored.ring, this.random), rotatedAt: now, rotations: stored.rotations + 1 }
      : { ring: initialKeyRing(this.random), rotatedAt: now, rotations: 0 };
    this.proposer.propose(
      // A write to the cluster object stamps its UpdatedAt, as every store update does.
      [{ op: "update", type: "cluster", object: { ...c, networkBootstrapKeys: next, updatedAt: now } }],
      (err) => {
        if (!this.running) return;
        this.schedule(err ? 1000 : KEY_ROTATION_INTERVAL_MS);
      },
    );
  }
}
