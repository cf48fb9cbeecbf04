// The swarm fuzzer: the failing cases it found, kept as replay files (each failed before its
// fix; see the commits that name them), the draws as data (a seed is a case, and fast-check
// shrinks it), replay files validated on load, and a short fuzz run in slices.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { COVERAGE_MIN_SEEDS, fuzzSweep } from "../src/cli/fuzz";
import { main } from "../src/cli/main";
import { drawCase, fuzzCaseArb } from "../src/fuzz/case";
import { COVERAGE_COUNTERS, missedCoverage, sumCoverage } from "../src/fuzz/coverage";
import { FuzzReplayError, parseFuzzReplay } from "../src/fuzz/replay-file";
import { runFuzzCase } from "../src/fuzz/run";
import { runFuzzSeed } from "../src/fuzz/seed";
import { shrinkSeed } from "../src/fuzz/shrink";
import { removalTried, type WorkloadRecord } from "../src/fuzz/workload";

const REGRESSIONS = join(import.meta.dirname, "fuzz-regressions");

describe("fuzz: the cases it found", () => {
  for (const file of readdirSync(REGRESSIONS).filter((f) => f.endsWith(".json")))
    it(`${file.replace(".json", "")} holds now`, () => {
      const replay = parseFuzzReplay(JSON.parse(readFileSync(join(REGRESSIONS, file), "utf8")));
      const r = runFuzzCase(replay.case);
      expect(r.violations).toEqual([]);
    });
});

describe("fuzz: the lost-write check resolves references as dockerd does", () => {
  it("a service rm whose reference is a prefix of a service's ID may have removed it", () => {
    const record: WorkloadRecord = {
      history: [],
      createdServices: new Map([
        ["s3", "s08plbxpohkjvktvb1zhze9q9"],
        ["s4", "k2vsd9x0c1wq7h1m3n5p8r2tz"],
      ]),
      removeTried: new Set(["s0"]),
    };
    expect(removalTried(record, "s3")).toBe(true);
    expect(removalTried(record, "s4")).toBe(false);
    record.removeTried.add("s4");
    expect(removalTried(record, "s4")).toBe(true);
  });
});

describe("fuzz: cases as data", () => {
  it("a seed is a case: the first value fast-check draws under that seed, so a failing seed shrinks", () => {
    for (const seed of [1, 2, 77]) {
      let first: unknown;
      fc.check(
        fc.property(fuzzCaseArb, (c) => {
          first ??= c;
          return true;
        }),
        { seed, numRuns: 1 },
      );
      expect(first).toEqual(drawCase(seed));
    }
  });

  it("shrinks a failing seed to a smaller case that still fails", () => {
    // Seed 1 with every replicated task created twice fails the replica bound.
    const before = drawCase(1);
    const s = shrinkSeed(1, { bugs: { duplicateTasks: true }, timeLimitMs: 4_000 })!;
    expect(s).not.toBeNull();
    expect(s.violations.join("\n")).toMatch(/replica bound/);
    // fast-check took smaller failing cases (the cluster is drawn first and shrinks first; the
    // workload and schedule, drawn for it, shrink after): the one it ends on is not the seed's.
    expect(s.case).not.toEqual(before);
    expect(s.steps).toBeGreaterThan(0);
  });

  it("the same seed gives the same run (trace hash)", () => {
    expect(runFuzzSeed(5).traceHash).toBe(runFuzzSeed(5).traceHash);
  });

  it("replay files are validated on load, naming the bad field", () => {
    const good = JSON.parse(readFileSync(join(REGRESSIONS, "delayed-start-lost.json"), "utf8"));
    expect(parseFuzzReplay(good).case.cluster.managers).toBe(6);
    const bad = (f: (x: any) => void) => {
      const x = structuredClone(good);
      f(x);
      return () => parseFuzzReplay(x);
    };
    expect(bad((x) => (x.kind = "other"))).toThrow(FuzzReplayError);
    expect(bad((x) => (x.case.cluster.managers = 9))).toThrow(
      /case.cluster.managers: expected a whole number from 1 to 7/,
    );
    expect(bad((x) => (x.case.ops[0].kind = "drop-table"))).toThrow(
      /case.ops\[0\].kind: unknown op "drop-table"/,
    );
    expect(bad((x) => (x.case.faults = [{ at: 1, forMs: 2, kind: "meteor" }]))).toThrow(
      /case.faults\[0\].kind/,
    );
    expect(bad((x) => delete x.case.ops[0].at)).toThrow(/case.ops\[0\].at/);
  });

  it("swarm-sim fuzz --seed runs one seed; replay runs a saved case; bad flags are usage errors", async () => {
    expect(await main(["fuzz", "--seed", "3", "--save", mkdtempSync(join(tmpdir(), "fz-"))])).toBe(0);
    expect(await main(["replay", join(REGRESSIONS, "delayed-start-lost.json")])).toBe(0);
    expect(await main(["fuzz", "--seed", "3", "--seeds", "4"])).toBe(2);
    expect(await main(["fuzz", "--seeds", "x"])).toBe(2);
  });
});

describe("fuzz: as a sweep", () => {
  it("shards merge into the whole run's report (swarm-sim merge)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fz-"));
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    const out = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      for (const k of [1, 2])
        expect(
          await main([
            "fuzz",
            "--seeds",
            "2",
            "--threads",
            "1",
            "--shard",
            `${k}/2`,
            "--out",
            join(dir, `${k}.jsonl`),
          ]),
        ).toBe(0);
      out.mockClear();
      expect(await main(["merge", join(dir, "1.jsonl"), join(dir, "2.jsonl"), "--json"])).toBe(0);
      const merged = JSON.parse(String(out.mock.calls[0][0]));
      expect(merged).toMatchObject({ seeds: 2, from: 1, violations: 0 });
    } finally {
      quiet.mockRestore();
      out.mockRestore();
    }
  });

  it("a run fails on a violation, and on a counter it should hit staying at 0 (from 200 seeds)", () => {
    const ok = { seed: 1, ok: true, violations: [], coverage: {}, cluster: "", simSeconds: 1, traceHash: "" };
    const params = (n: number) => ({ from: 1, seeds: n });
    const many = (n: number, r = ok) => Array.from({ length: n }, (_, i) => ({ ...r, seed: i + 1 }));
    // Nothing hit: fails from COVERAGE_MIN_SEEDS seeds on, not below.
    expect(fuzzSweep.exitCode!(params(COVERAGE_MIN_SEEDS), many(COVERAGE_MIN_SEEDS))).toBe(1);
    expect(fuzzSweep.exitCode!(params(10), many(10))).toBe(0);
    const bad = { ...ok, ok: false, violations: ["x"] };
    expect(fuzzSweep.exitCode!(params(1), [bad])).toBe(1);
  });
});

describe("fuzz: a short run (CI runs 200 seeds with 'swarm-sim fuzz' in .ci/run)", () => {
  const results: ReturnType<typeof runFuzzSeed>[] = [];
  for (const slice of [0, 1, 2, 3])
    it(`seeds ${slice * 6 + 1} to ${slice * 6 + 6} hold`, () => {
      for (let seed = slice * 6 + 1; seed <= slice * 6 + 6; seed++) {
        const r = runFuzzSeed(seed);
        results.push(r);
        expect(r.violations, `seed ${seed}`).toEqual([]);
      }
    });
  it("their coverage counters are counted and printed with the run", () => {
    const total = sumCoverage(results.map((r) => r.coverage));
    expect(Object.keys(total)).toEqual([...COVERAGE_COUNTERS]);
    expect(total.taskAssigned).toBeGreaterThan(0);
    expect(total.writeAcknowledged).toBeGreaterThan(0);
    // A campaign that hits nothing fails: every expected counter is missed by an empty one.
    expect(missedCoverage(sumCoverage([])).length).toBeGreaterThan(5);
  });
});
