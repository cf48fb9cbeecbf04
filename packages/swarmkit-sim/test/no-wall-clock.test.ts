import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { findWallClockUses, scanPackages } from "../src/lint/wall-clock";

describe("determinism rule: no wall clock or global randomness in simulation code", () => {
  it("no package's src uses Date.now, Math.random, performance.now or timers", () => {
    const violations = scanPackages(resolve(import.meta.dirname, "../../.."));
    expect(violations.map((v) => `${v.file}:${v.line}: ${v.text}`)).toEqual([]);
  });

  it("the check catches each forbidden call and honours the wall-clock comment", () => {
    const src = [
      "const t = Date.now();",
      "const r = Math.random();",
      "const p = performance.now();",
      "setTimeout(() => {}, 5);",
      "setInterval(f, 1);",
      "setImmediate(f);",
      "const ok = sim.now(); // Date.now in a comment is fine",
      "const w = Date.now(); // wall-clock: progress bar",
    ].join("\n");
    expect(findWallClockUses("x.ts", src).map((v) => v.line)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
