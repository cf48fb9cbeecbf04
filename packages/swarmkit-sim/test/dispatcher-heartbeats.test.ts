// The heartbeat grace on its own (src/manager/dispatcher/heartbeats.ts): one timer per
// one-second bucket, an exact timer near the end, a beat that moves the expiry, and nothing for
// a session that stopped being current.
import { describe, expect, it } from "vitest";
import type { Timer } from "../src/kernel/event-queue";
import { Sim } from "../src/kernel/sim";
import { type Beating, HeartbeatExpiry, jitteredPeriod } from "../src/manager/dispatcher/heartbeats";

interface S extends Beating {
  name: string;
}

function setup() {
  const sim = new Sim({ seed: 1 });
  const m = sim.addMachine("manager");
  const expired: { name: string; at: number }[] = [];
  const hb = new HeartbeatExpiry<S>(m, (s) => {
    s.current = false;
    expired.push({ name: s.name, at: sim.now() });
  });
  const session = (name: string, expiresAt: number): S => {
    const s: S = { name, current: true, expiresAt, timer: null as Timer | null };
    hb.track(s);
    return s;
  };
  return { sim, hb, expired, session };
}

describe("heartbeat expiry", () => {
  it("expires a silent session at the exact end of its grace, not at a bucket's edge", () => {
    const { sim, expired, session } = setup();
    session("a", 15_250);
    sim.runFor(60_000);
    expect(expired).toEqual([{ name: "a", at: 15_250 }]);
  });

  it("a beat moves the expiry; a session that keeps beating never expires", () => {
    const { sim, hb, expired, session } = setup();
    const a = session("a", 15_000);
    session("b", 15_000);
    for (let i = 0; i < 12; i++) {
      sim.runFor(5_000);
      hb.beat(a, 15_000);
    }
    expect(expired).toEqual([{ name: "b", at: 15_000 }]);
    expect(a.expiresAt).toBe(sim.now() + 15_000);
    sim.runFor(20_000);
    expect(expired.map((e) => e.name)).toEqual(["b", "a"]);
    expect(expired[1].at).toBe(75_000);
  });

  it("a session no longer current, or a cleared tracker, expires nothing", () => {
    const { sim, hb, expired, session } = setup();
    const a = session("a", 3_000);
    session("b", 9_000);
    a.current = false;
    sim.runFor(5_000);
    hb.clear();
    sim.runFor(20_000);
    expect(expired).toEqual([]);
  });

  it("the jittered period is uniform within half a second of the period", () => {
    const rand = new Sim({ seed: 2 }).random.fork("hb");
    for (let i = 0; i < 1000; i++) {
      const p = jitteredPeriod(5000, rand);
      expect(p).toBeGreaterThanOrEqual(4500);
      expect(p).toBeLessThan(5500);
    }
  });
});
