import fc from "fast-check";
import { fcParams } from "@swarm-sim/swarmkit-sim";
import { describe, expect, it } from "vitest";
import { LatencyRecorder } from "../src/metrics";

// The recorder stores samples in chunks (growing the first, then adding fixed-size ones);
// what it gives back must be exactly what was recorded, in order, across chunk boundaries.
function filled(n: number): LatencyRecorder {
  const r = new LatencyRecorder();
  for (let i = 0; i < n; i++) r.record(i, i * 0.5);
  return r;
}

describe("LatencyRecorder", () => {
  it("gives back every sample in order across chunk boundaries", () => {
    for (const n of [0, 1, 1023, 1024, 1025, 65_535, 65_536, 65_537, 200_001]) {
      const r = filled(n);
      expect(r.count).toBe(n);
      const w = r.window();
      expect(w.length).toBe(n);
      for (let i = 0; i < n; i++) if (w[i] !== i * 0.5) expect(w[i]).toBe(i * 0.5);
    }
  });

  it("windows select [from, to) like a filter over the samples", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ noNaN: true })), {
          maxLength: 3000,
        }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (samples, a, b) => {
          const r = new LatencyRecorder();
          for (const [t, v] of samples) r.record(t, v);
          const expected = samples.filter(([t]) => t >= a && t < b).map(([, v]) => v);
          expect(r.window(a, b)).toEqual(expected);
        },
      ),
      fcParams(100),
    );
  });
});
