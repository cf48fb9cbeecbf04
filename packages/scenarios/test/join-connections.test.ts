// "Under the hood: docker swarm join": managers in raft and behind their own agents, workers on
// the leader or a follower, every session in the leader's dispatcher.
import { describe, expect, it } from "vitest";
import { holdsAndReplays } from "./support/holds";
import { failedChecks } from "../src/scenarios/checks";
import {
  joinConnections,
  joinConnectionsChecks,
  runJoinConnections,
} from "../src/scenarios/join-connections";

describe("join-connections", () => {
  it("holds, and replays to the same trace", () => {
    const r = holdsAndReplays(joinConnections);
    expect((r.measured.connectedTo as Record<string, string>).node4).not.toBe(r.measured.leader);
  });

  it("holds for other seeds (the restarted workers draw other managers)", () => {
    for (const seed of [2, 3]) expect(joinConnections.run(seed).verdict).toBe("holds");
  });

  it("fails a run whose workers all stay on the leader", () => {
    const r = runJoinConnections(1, "leader");
    // node5-node7 still draw their manager on restart; pin them to the leader as well.
    const onLeader = Object.fromEntries(Object.keys(r.connectedTo).map((n) => [n, r.leader]));
    const broken = { ...r, connectedTo: { ...onLeader, node1: "node1", node2: "node2", node3: "node3" } };
    expect(failedChecks(joinConnectionsChecks(broken))).toEqual(["someWorkerOnAFollower"]);
    const nowhere = { ...r, connectedTo: { ...r.connectedTo, node6: "" } };
    expect(failedChecks(joinConnectionsChecks(nowhere))).toContain("workersConnectToManagers");
  });

  it("fails a run with a session missing from the leader's dispatcher or a node not Ready", () => {
    const r = runJoinConnections(1);
    expect(failedChecks(joinConnectionsChecks({ ...r, leaderSessions: 7 }))).toEqual([
      "everySessionInTheLeadersDispatcher",
    ]);
    expect(failedChecks(joinConnectionsChecks({ ...r, status: { ...r.status, node4: "Down" } }))).toEqual([
      "everyNodeReady",
    ]);
  });
});
