// "Adding more manager nodes", "Controlling the Swarm from other nodes" and "How many managers
// do we need?": the manual repair with --force-new-cluster, the `*` in docker node ls, and
// why an even number of managers adds nothing.
import { describe, expect, it } from "vitest";
import { holdsAndReplays } from "./support/holds";
import { fakeCell } from "./support/quorum-cells";
import { quorumRows } from "../src/experiments/quorum";
import { failedChecks } from "../src/scenarios/checks";
import {
  forceNewCluster,
  forceNewClusterChecks,
  runForceNewCluster,
} from "../src/scenarios/force-new-cluster";
import { evenIsNoBetter, evenManagers } from "../src/scenarios/managers";
import { lectureTasks } from "../src/scenarios/swarm-lab";

describe("swarm-force-new-cluster", () => {
  it("the survivor of three managers leads the same cluster again after --force-new-cluster", () => {
    holdsAndReplays(forceNewCluster);
  });

  it("fails when nobody repairs the swarm", () => {
    const checks = forceNewClusterChecks(runForceNewCluster(1, { repair: false }));
    expect(failedChecks(checks)).toEqual(
      expect.arrayContaining(["forceNewClusterSucceeds", "oneManagerLeads", "writableAgain"]),
    );
    expect(checks.quorumLost).toBe(true);
  });
});

describe("swarm-tasks", () => {
  it("the * marks the manager the command ran on", () => {
    const r = holdsAndReplays(lectureTasks);
    expect((r.measured.checks as Record<string, boolean>).starMarksTheNodeTalkedTo).toBe(true);
  });
});

describe("managers-even", () => {
  it("4 managers tolerate 1 failure, as 3 do, and not 2", () => {
    holdsAndReplays(evenManagers);
  });

  it("fails a table in which 4 managers survive 2 failures, or 3 do not survive 1", () => {
    const rule = [fakeCell(3, 1, true), fakeCell(3, 2, false), fakeCell(4, 1, true), fakeCell(4, 2, false)];
    expect(evenIsNoBetter(quorumRows(rule))).toBe(true);
    expect(evenIsNoBetter(quorumRows([...rule.slice(0, 3), fakeCell(4, 2, true)]))).toBe(false);
    expect(evenIsNoBetter(quorumRows([fakeCell(3, 1, false), ...rule.slice(1)]))).toBe(false);
  });
});
