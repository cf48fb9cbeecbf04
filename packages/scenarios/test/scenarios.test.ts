import { describe, expect, it } from "vitest";
import { SCENARIOS, findScenario } from "../src/registry";
import { LabSession, parseNodeLs } from "../src/scenarios/lab-steps";
import { biggerManagerNeeded, largeJobIsSlow } from "../src/scenarios/scale";

describe("the scenario registry", () => {
  it("names are unique and every scenario quotes a claim and a section", () => {
    const names = SCENARIOS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const s of SCENARIOS) {
      expect(s.claim.length).toBeGreaterThan(10);
      expect(s.section.length).toBeGreaterThan(3);
    }
    expect(findScenario("quorum-2n1")).toBeDefined();
  });
});

describe("Swarm scenarios", () => {
  it("the lecture's Swarm claims hold and replay from the seed", () => {
    for (const name of ["swarm-not-active", "swarm-init", "swarm-worker-join", "swarm-token-rotation"]) {
      const s = findScenario(name)!;
      const r = s.run(s.defaultSeed);
      expect(r.verdict, `${name}: ${r.summary}`).toBe("holds");
      expect(s.run(s.defaultSeed).traceHash).toBe(r.traceHash);
    }
  });

  it("a worker that was never refused makes the worker-join check fail (the parser reads what Docker prints)", () => {
    const rows = parseNodeLs(
      "ID                            HOSTNAME   STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION\n" +
        "abc *                         node1      Ready     Active         Leader           27.5.1\n" +
        "def                           node2      Down      Active                          27.5.1\n",
    );
    expect(rows).toEqual([
      {
        id: "abc",
        self: true,
        hostname: "node1",
        status: "Ready",
        availability: "Active",
        managerStatus: "Leader",
      },
      {
        id: "def",
        self: false,
        hostname: "node2",
        status: "Down",
        availability: "Active",
        managerStatus: "",
      },
    ]);
  });

  it("a lab step that fails is reported as a broken scenario, not a verdict", () => {
    const s = new LabSession({ seed: 1 });
    expect(() => s.must("docker node promote nodeX")).toThrow(/scenario step failed/);
  });
});

describe("What's the upper limit? (verdicts in seconds)", () => {
  it("large-scheduling holds for a slow large job only, and fails a fast one or an incomplete one", () => {
    expect(largeJobIsSlow({ simMs: 400 }, { simMs: 21_000, assigned: 70_000 })).toBe(true);
    expect(largeJobIsSlow({ simMs: 400 }, { simMs: 600, assigned: 70_000 })).toBe(false);
    expect(largeJobIsSlow({ simMs: 400 }, { simMs: 21_000, assigned: 69_000 })).toBe(false);
  });

  it("bigger-manager holds when only the small manager misses heartbeats", () => {
    expect(biggerManagerNeeded({ missed: true }, { missed: false })).toBe(true);
    expect(biggerManagerNeeded({ missed: false }, { missed: false })).toBe(false);
    expect(biggerManagerNeeded({ missed: true }, { missed: true })).toBe(false);
  });
});
