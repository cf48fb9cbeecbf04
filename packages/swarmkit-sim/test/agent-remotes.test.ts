// The agent's weighted choice of a manager (SwarmKit remotes): observations smoothed halfway
// and rounded up, failures pushing a manager's weight below zero so it is almost never drawn,
// a dispatcher's list replacing the set, and draws in proportion to the weights.
import { describe, expect, it } from "vitest";
import { OBSERVATION_WEIGHT, Remotes } from "../src/agent/remotes";
import { Random } from "../src/kernel/random";

describe("Remotes", () => {
  it("smooths each observation halfway into the weight, rounded up and clipped to ±256", () => {
    const r = new Remotes(new Random("w"), ["a:1"]);
    expect(r.weight("a:1")).toBe(5); // ceil(0.5 * 10 + 0.5 * 0)
    r.observe("a:1", OBSERVATION_WEIGHT);
    expect(r.weight("a:1")).toBe(8); // ceil(5 + 2.5)
    r.observe("a:1", -OBSERVATION_WEIGHT);
    expect(r.weight("a:1")).toBe(-1); // ceil(-5 + 4)
    r.observe("a:1", 10_000);
    expect(r.weight("a:1")).toBe(128); // ceil(0.5 * 256 - 0.5)
    r.observeIfExists("b:1", 10);
    expect(r.weight("b:1")).toBeUndefined();
  });

  it("draws in proportion to the weights, and almost never a manager that failed", () => {
    const r = new Remotes(new Random("draws"), ["a:1", "b:1", "c:1"]);
    for (let i = 0; i < 3; i++) r.observe("c:1", -OBSERVATION_WEIGHT);
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const a = r.select();
      counts.set(a, (counts.get(a) ?? 0) + 1);
    }
    // a and b weigh 5 each, c below zero (drawn only through the 0.001 bias: p ≈ 1e-4).
    expect(counts.get("c:1") ?? 0).toBeLessThan(5);
    expect(counts.get("a:1")!).toBeGreaterThan(1300);
    expect(counts.get("b:1")!).toBeGreaterThan(1300);
  });

  it("takes a dispatcher's list as the whole set, and is empty-handed without one", () => {
    const r = new Remotes(new Random("list"), ["join:2377"]);
    r.replace(["m1:2377", "m2:2377"]);
    expect(r.list()).toEqual(["m1:2377", "m2:2377"]);
    expect(["m1:2377", "m2:2377"]).toContain(r.select());
    expect(new Remotes(new Random("none")).select()).toBe("");
  });

  it("draws the same managers from the same seed", () => {
    const draw = (seed: string) => {
      const r = new Remotes(new Random(seed), ["a:1", "b:1", "c:1", "d:1"]);
      return Array.from({ length: 20 }, () => r.select()).join(",");
    };
    expect(draw("s1")).toBe(draw("s1"));
    expect(draw("s1")).not.toBe(draw("s2"));
  });
});
