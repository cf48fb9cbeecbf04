import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fcParams } from "../src";

describe("fcParams", () => {
  it("a failing property prints how to replay it and saves a replay file", () => {
    const dir = mkdtempSync(join(tmpdir(), "swarm-sim-failures-"));
    process.env.SWARM_SIM_FAILURES = dir;
    try {
      expect(() =>
        fc.assert(
          fc.property(fc.integer(), (n) => n < 1000),
          fcParams(200, { seed: 7 }),
        ),
      ).toThrow(/Replay: FC_SEED=7 FC_PATH=\S+/);
      const files = readdirSync(dir);
      expect(files.length).toBe(1);
      const saved = JSON.parse(readFileSync(join(dir, files[0]), "utf8"));
      expect(saved).toMatchObject({
        kind: "fast-check",
        seed: 7,
        testName: expect.stringContaining("replay"),
      });
      expect(saved.testFile).toMatch(/fc-params\.test\.ts$/);
      // The saved seed and path reproduce the shrunk counterexample.
      const again = fc.check(
        fc.property(fc.integer(), (n) => n < 1000),
        { seed: saved.seed, path: saved.path, numRuns: 1 },
      );
      expect(again.failed).toBe(true);
      expect(again.counterexample).toEqual([1000]);
    } finally {
      delete process.env.SWARM_SIM_FAILURES;
    }
  });

  it("FUZZ multiplies the runs and FC_SEED/FC_PATH pin the replay", () => {
    process.env.FUZZ = "1";
    process.env.FC_SEED = "5";
    process.env.FC_PATH = "1:2";
    try {
      const p = fcParams(10);
      expect(p.numRuns).toBe(200);
      expect(p.seed).toBe(5);
      expect(p.path).toBe("1:2");
    } finally {
      delete process.env.FUZZ;
      delete process.env.FC_SEED;
      delete process.env.FC_PATH;
    }
  });
});
