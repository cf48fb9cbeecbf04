import { describe, expect, it } from "vitest";
import { EventQueue } from "../src/kernel/event-queue";
import { Sim } from "../src/kernel";

describe("event queue", () => {
  it("orders by time, then by insertion sequence", () => {
    const q = new EventQueue();
    const out: string[] = [];
    q.push(5, () => out.push("a5"));
    q.push(1, () => out.push("b1"));
    q.push(5, () => out.push("c5"));
    q.push(3, () => out.push("d3"));
    q.push(1, () => out.push("e1"));
    for (let t = q.pop(); t; t = q.pop()) t.run();
    expect(out).toEqual(["b1", "e1", "d3", "a5", "c5"]);
  });

  it("skips cancelled timers and counts only live ones", () => {
    const q = new EventQueue();
    const out: number[] = [];
    const a = q.push(1, () => out.push(1));
    q.push(2, () => out.push(2));
    expect(q.live).toBe(2);
    a.cancel();
    a.cancel();
    expect(q.live).toBe(1);
    for (let t = q.pop(); t; t = q.pop()) t.run();
    expect(out).toEqual([2]);
    expect(q.live).toBe(0);
  });

  it("keeps heap order over many random pushes", () => {
    const q = new EventQueue();
    const times: number[] = [];
    let x = 12345;
    for (let i = 0; i < 2000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const t = x % 100;
      times.push(t);
      q.push(t, () => {});
    }
    const popped: number[] = [];
    for (let t = q.pop(); t; t = q.pop()) popped.push(t.at);
    expect(popped).toEqual(times.slice().sort((a, b) => a - b));
  });
});

describe("simulated clock", () => {
  it("ties run in insertion order", () => {
    const sim = new Sim({ seed: 1 });
    const out: number[] = [];
    for (let i = 0; i < 10; i++) sim.after(100, () => out.push(i));
    sim.runFor(100);
    expect(out).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("runFor runs events up to the end and leaves the clock there", () => {
    const sim = new Sim({ seed: 1 });
    const seen: number[] = [];
    sim.after(10, () => seen.push(sim.now()));
    sim.after(30, () => seen.push(sim.now()));
    sim.after(31, () => seen.push(sim.now()));
    sim.runFor(30);
    expect(seen).toEqual([10, 30]);
    expect(sim.now()).toBe(30);
    sim.runFor(5);
    expect(seen).toEqual([10, 30, 31]);
    expect(sim.now()).toBe(35);
  });

  it("events scheduled by events run in the same runFor", () => {
    const sim = new Sim({ seed: 1 });
    let ticks = 0;
    const tick = () => {
      ticks++;
      sim.after(1000, tick);
    };
    sim.after(1000, tick);
    sim.runFor(10_000);
    expect(ticks).toBe(10);
  });

  it("cancelled timers do not fire", () => {
    const sim = new Sim({ seed: 1 });
    let fired = false;
    const t = sim.after(5, () => {
      fired = true;
    });
    t.cancel();
    sim.runFor(10);
    expect(fired).toBe(false);
    expect(sim.pending()).toBe(0);
  });

  it("runUntil stops as soon as the predicate holds, or at the limit", () => {
    const sim = new Sim({ seed: 1 });
    let n = 0;
    const tick = () => {
      n++;
      sim.after(100, tick);
    };
    sim.after(100, tick);
    expect(sim.runUntil(() => n === 3, 10_000)).toBe(true);
    expect(sim.now()).toBe(300);
    expect(sim.runUntil(() => n === 1000, 1000)).toBe(false);
    expect(sim.now()).toBe(1300);
  });

  it("rejects negative delays and times in the past", () => {
    const sim = new Sim({ seed: 1 });
    sim.runFor(10);
    expect(() => sim.after(-1, () => {})).toThrow(/>= 0/);
    expect(() => sim.at(5, () => {})).toThrow(/past/);
  });
});

describe("random streams", () => {
  it("same seed and name give the same draws", () => {
    const a = new Sim({ seed: 7 }).random.fork("x");
    const b = new Sim({ seed: 7 }).random.fork("x");
    expect([a.next(), a.int(100), Buffer.from(a.bytes(9)).toString("hex")]).toEqual([
      b.next(),
      b.int(100),
      Buffer.from(b.bytes(9)).toString("hex"),
    ]);
  });

  it("different seeds differ", () => {
    const a = new Sim({ seed: 7 }).random.fork("x");
    const b = new Sim({ seed: 8 }).random.fork("x");
    expect(a.bytes(16)).not.toEqual(b.bytes(16));
  });

  it("forks are independent: drawing from one does not shift another", () => {
    const s1 = new Sim({ seed: 3 });
    const s2 = new Sim({ seed: 3 });
    const busy = s1.random.fork("noisy");
    for (let i = 0; i < 1000; i++) busy.next();
    expect(s1.random.fork("quiet").next()).toBe(s2.random.fork("quiet").next());
  });

  it("ranges, picks, shuffles and normals stay in bounds", () => {
    const r = new Sim({ seed: 9 }).random.fork("r");
    for (let i = 0; i < 1000; i++) {
      const v = r.range(2, 3);
      expect(v).toBeGreaterThanOrEqual(2);
      expect(v).toBeLessThan(3);
      expect(r.int(5)).toBeLessThan(5);
    }
    expect(r.shuffle([1, 2, 3, 4]).sort()).toEqual([1, 2, 3, 4]);
    const xs = Array.from({ length: 4000 }, () => r.normal(10, 2));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeGreaterThan(9.8);
    expect(mean).toBeLessThan(10.2);
    expect(() => r.pick([])).toThrow(/empty/);
  });
});

describe("cancelling a timer that already fired", () => {
  it("is a no-op and keeps the pending count right", () => {
    const sim = new Sim({ seed: 1 });
    const t = sim.after(1, () => {});
    sim.after(5, () => {});
    sim.runFor(2);
    expect(sim.pending()).toBe(1);
    t.cancel();
    expect(sim.pending()).toBe(1);
    expect(t.cancelled).toBe(false);
  });
});

describe("bad durations", () => {
  it("runFor and runUntil refuse a negative or NaN duration instead of running forever", () => {
    const sim = new Sim({ seed: 1 });
    sim.after(1, () => {});
    expect(() => sim.runFor(Number.NaN)).toThrow("Sim.runFor: duration must be >= 0, got NaN");
    expect(() => sim.runFor(-1)).toThrow("Sim.runFor: duration must be >= 0, got -1");
    expect(() => sim.runUntil(() => false, Number.NaN)).toThrow("Sim.runUntil: limit must be >= 0, got NaN");
    expect(sim.now()).toBe(0);
  });
});
