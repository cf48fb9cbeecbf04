import { describe, expect, it } from "vitest";
import { Inflights } from "../src/inflights";
import { Progress } from "../src/progress";

describe("Inflights", () => {
  it("is a bounded window freed by acknowledgement, wrapping around its ring", () => {
    const f = new Inflights(3);
    f.add(1);
    f.add(2);
    f.add(3);
    expect(f.full()).toBe(true);
    expect(() => f.add(4)).toThrow("full");
    f.freeLE(2);
    expect(f.count).toBe(1);
    f.add(4);
    f.add(5);
    f.freeFirstOne();
    expect(f.count).toBe(2);
    f.freeLE(5);
    expect(f.count).toBe(0);
  });
});

describe("Progress", () => {
  it("probe: one message at a time; an acknowledgement moves match and next", () => {
    const p = new Progress(5, 4);
    expect(p.isPaused()).toBe(false);
    p.probeSent = true;
    expect(p.isPaused()).toBe(true);
    expect(p.maybeUpdate(4)).toBe(true);
    expect([p.match, p.next, p.isPaused()]).toEqual([4, 5, false]);
    expect(p.maybeUpdate(3)).toBe(false);
  });

  it("rejections: stale ones are ignored; in probe the hint skips ahead", () => {
    const p = new Progress(10, 4);
    expect(p.maybeDecrTo(5, 2)).toBe(false); // not an answer to our last probe (next-1 = 9)
    expect(p.maybeDecrTo(9, 3)).toBe(true);
    expect(p.next).toBe(4);
    p.match = 2;
    p.becomeReplicate();
    expect(p.maybeDecrTo(2, 0)).toBe(false); // below match: stale
    p.next = 8;
    expect(p.maybeDecrTo(7, 0)).toBe(true);
    expect(p.next).toBe(3);
  });

  it("replicate pauses when the window is full; snapshot always pauses; leaving snapshot probes past it", () => {
    const p = new Progress(1, 2);
    p.becomeReplicate();
    p.inflights.add(1);
    p.inflights.add(2);
    expect(p.isPaused()).toBe(true);
    p.becomeSnapshot(50);
    expect(p.isPaused()).toBe(true);
    p.becomeProbe();
    expect([p.state, p.next]).toEqual(["probe", 51]);
  });
});
