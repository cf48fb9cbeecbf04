// The event queue against a plain reference (a list sorted by time, then insertion order):
// random inserts near and far, some before the clock, cancels, and popUntil with random
// horizons must give exactly the reference's sequence of events.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue, type QueuedEvent, Timer } from "../src/kernel/event-queue";
import { fcParams } from "../src/testing/fc-params";

type Op =
  | { kind: "insert"; delay: number }
  /** At any time, even before the clock (as a queue used on its own may be). */
  | { kind: "insertAt"; at: number }
  | { kind: "cancel"; pick: number }
  | { kind: "popUntil"; ahead: number };

const delayArb = fc.oneof(
  fc.constantFrom(0, 0.02, 0.25, 1, 999.5),
  fc.double({ min: 0, max: 3, noNaN: true }),
  fc.double({ min: 0, max: 20_000, noNaN: true }),
  fc.integer({ min: 0, max: 200_000 }),
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: delayArb.map((delay) => ({ kind: "insert" as const, delay })) },
  { weight: 1, arbitrary: fc.nat().map((pick) => ({ kind: "cancel" as const, pick })) },
  { weight: 1, arbitrary: delayArb.map((at) => ({ kind: "insertAt" as const, at })) },
  {
    weight: 3,
    arbitrary: fc
      .oneof(fc.constantFrom(0, Number.POSITIVE_INFINITY), delayArb)
      .map((ahead) => ({ kind: "popUntil" as const, ahead })),
  },
);

/** Runs the ops on the queue and on the reference, with a clock as the Sim keeps one. */
function check(ops: Op[]): void {
  const q = new EventQueue();
  const ref: { at: number; seq: number; t: Timer }[] = [];
  const all: Timer[] = [];
  let clock = 0;
  let seq = 0;
  for (const op of ops) {
    if (op.kind === "insert" || op.kind === "insertAt") {
      const at = op.kind === "insert" ? clock + op.delay : op.at;
      const t = new Timer(() => {});
      q.insert(t, at);
      ref.push({ at, seq: seq++, t });
      all.push(t);
    } else if (op.kind === "cancel") {
      if (all.length > 0) all[op.pick % all.length].cancel();
    } else {
      const end = clock + op.ahead;
      ref.sort((a, b) => a.at - b.at || a.seq - b.seq);
      for (;;) {
        while (ref.length > 0 && ref[0].t.cancelled) ref.shift();
        const want = ref.length > 0 && ref[0].at <= end ? ref.shift()!.t : undefined;
        const got: QueuedEvent | undefined = q.popUntil(end);
        expect(got).toBe(want);
        if (!got) break;
        clock = got.at;
      }
      if (end !== Number.POSITIVE_INFINITY) clock = end;
    }
    expect(q.live).toBe(ref.filter((r) => !r.t.cancelled && !r.t.fired).length);
  }
}

describe("event queue against a sorted reference", () => {
  it("pops the same events in the same order", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => check(ops)),
      fcParams(300),
    );
  });

  it("handles an event earlier than everything popped so far (a queue used on its own)", () => {
    const q = new EventQueue();
    const out: number[] = [];
    q.push(20_000, () => out.push(20_000));
    q.push(20_005, () => out.push(20_005));
    q.push(50_000, () => out.push(50_000));
    q.pop()!.run();
    q.push(3, () => out.push(3));
    q.push(40_000, () => out.push(40_000));
    for (let e = q.pop(); e; e = q.pop()) e.run();
    expect(out).toEqual([20_000, 3, 20_005, 40_000, 50_000]);
  });

  it("orders events queued after going back in time", () => {
    const q = new EventQueue();
    const out: number[] = [];
    q.push(1000, () => out.push(1000));
    q.pop()!.run();
    q.push(9100, () => out.push(9100));
    q.push(500, () => out.push(500));
    q.push(5000, () => out.push(5000));
    for (let e = q.pop(); e; e = q.pop()) e.run();
    expect(out).toEqual([1000, 500, 5000, 9100]);
  });

  it("brings an event from beyond the ring's span back in order while the ring is in use", () => {
    // The ring covers ~16 s: 20 s is beyond it at first, and must still run before an event
    // at 25 s that is queued into the ring later (the ring never empties in between).
    const q = new EventQueue();
    const out: number[] = [];
    q.push(20_000, () => out.push(20_000));
    q.push(10_000, () => out.push(10_000));
    q.pop()!.run();
    q.push(25_000, () => out.push(25_000));
    for (let t = 10_000; t < 25_000; t += 1_000) q.push(t + 500, () => out.push(t + 500));
    for (let e = q.pop(); e; e = q.pop()) e.run();
    const fillers = Array.from({ length: 15 }, (_, i) => 10_500 + i * 1_000);
    expect(out).toEqual([10_000, ...fillers.slice(0, 10), 20_000, ...fillers.slice(10), 25_000]);
  });

  it("runs events scheduled at Infinity last", () => {
    const q = new EventQueue();
    const out: number[] = [];
    q.push(Number.POSITIVE_INFINITY, () => out.push(2));
    q.push(10, () => out.push(1));
    for (let e = q.pop(); e; e = q.pop()) e.run();
    expect(out).toEqual([1, 2]);
  });
});
