// When each node's heartbeat grace runs out (SwarmKit manager/dispatcher/heartbeat): the
// dispatcher gives every session an expiry, moves it on each heartbeat, and hears here when
// one passes without a heartbeat. At 10^4 nodes a timer per node, re-armed on every beat,
// would be the event queue's busiest traffic; so expiries are filed in buckets of one second
// of the machine's clock, one timer per bucket, and a heartbeat only moves `expiresAt` (the
// bucket's check files the session again under its new bucket). A session within one bucket
// of expiring gets its own exact timer, so the node goes DOWN at its grace's very end.
import type { Random } from "../../kernel/random";
import type { Timer } from "../../kernel/event-queue";
import { LOCAL_CLOCK_EPSILON_MS, type Machine } from "../../kernel/machine";

/** SwarmKit defaults (dispatcher.go): heartbeat jitter and the grace multiplier. */
export const HEARTBEAT_EPSILON_MS = 500;
export const GRACE_MULTIPLIER = 3;

/** Width of an expiry bucket (ms of the machine's clock). */
const EXPIRY_BUCKET_MS = 1000;

/** What the heartbeat tracker keeps of a session. */
export interface Beating {
  /** False once the session stopped being its node's (replaced, dropped, expired): no expiry. */
  current: boolean;
  /** When the node is declared DOWN unless a heartbeat comes first (machine clock). */
  expiresAt: number;
  /** The exact expiry timer, armed only once the expiry is within one bucket. */
  timer: Timer | null;
}

/** A heartbeat period with SwarmKit's jitter: uniform in [period - 0.5 s, period + 0.5 s). */
export function jitteredPeriod(periodMs: number, random: Random): number {
  return periodMs - HEARTBEAT_EPSILON_MS + random.next() * 2 * HEARTBEAT_EPSILON_MS;
}

export class HeartbeatExpiry<S extends Beating> {
  private readonly buckets = new Map<number, { sessions: S[]; timer: Timer }>();

  constructor(
    private readonly machine: Machine,
    /** A current session's grace ran out (the tracker forgets it). */
    private readonly expired: (s: S) => void,
  ) {}

  /** Starts watching a session's expiry (call once per session, when it is made). */
  track(s: S): void {
    const key = Math.floor(s.expiresAt / EXPIRY_BUCKET_MS);
    let b = this.buckets.get(key);
    if (!b) {
      const wait = Math.max(0, key * EXPIRY_BUCKET_MS - this.machine.localNow());
      b = { sessions: [], timer: this.machine.after(wait, () => this.checkBucket(key)) };
      this.buckets.set(key, b);
    }
    b.sessions.push(s);
  }

  /** A heartbeat: the session lives `graceMs` more (nothing is re-filed until its bucket comes). */
  beat(s: S, graceMs: number): void {
    s.expiresAt = this.machine.localNow() + graceMs;
  }

  /** Stops watching every session (the dispatcher stops; the sessions' own timers are theirs). */
  clear(): void {
    for (const b of this.buckets.values()) b.timer.cancel();
    this.buckets.clear();
  }

  private checkBucket(key: number): void {
    const b = this.buckets.get(key);
    if (!b) return;
    this.buckets.delete(key);
    const now = this.machine.localNow();
    for (const s of b.sessions) {
      if (!s.current || s.timer) continue;
      // Within one bucket of expiring: an exact timer, so DOWN comes at the grace's very end.
      if (s.expiresAt - now < EXPIRY_BUCKET_MS) this.arm(s);
      else this.track(s);
    }
  }

  /** The exact expiry timer of a session near its end (re-armed if a heartbeat came meanwhile). */
  private arm(s: S): void {
    const wait = Math.max(0, s.expiresAt - this.machine.localNow());
    s.timer = this.machine.after(wait, () => {
      if (!s.current) return;
      s.timer = null;
      const left = s.expiresAt - this.machine.localNow();
      if (left > LOCAL_CLOCK_EPSILON_MS) {
        // A heartbeat saved it: back to the buckets (or exact again if still close).
        if (left < EXPIRY_BUCKET_MS) this.arm(s);
        else this.track(s);
        return;
      }
      this.expired(s);
    });
  }
}
