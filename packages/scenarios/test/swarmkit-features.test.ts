// "SwarmKit features" and "SwarmKit concepts": Raft reconfiguration under writes, least
// privilege, autolock, and the reconciliation loop. Each scenario holds at its default seed,
// replays to the same trace hash, and its checks fail on a run in which the step did not happen.
import { describe, expect, it } from "vitest";
import { autolock, autolockChecks, runAutolock } from "../src/scenarios/autolock";
import { allHold, failedChecks } from "../src/scenarios/checks";
import { leastPrivilege, leastPrivilegeChecks, runLeastPrivilege } from "../src/scenarios/least-privilege";
import {
  raftReconfiguration,
  raftReconfigurationChecks,
  runRaftReconfiguration,
} from "../src/scenarios/raft-reconfiguration";
import {
  nodeFailure,
  nodeFailureChecks,
  nodeTasks,
  nodeTasksChecks,
  runNodeFailure,
  runNodeTasks,
} from "../src/scenarios/reconciliation";
import { holdsAndReplays } from "./support/holds";

describe("raft-reconfiguration", () => {
  it("every write commits while the membership goes 3 → 4 → 5 → 4 → 3, one leader throughout", () => {
    const r = holdsAndReplays(raftReconfiguration);
    expect(r.measured.committed).toBe(r.measured.writes);
    expect((r.measured.memberships as string[][]).at(-1)).toEqual(["node2", "node4", "node5"]);
  });

  it("fails a run in which no role changed, and one in which writes were lost", () => {
    const still = runRaftReconfiguration(1, []);
    expect(failedChecks(raftReconfigurationChecks(still))).toContain("membershipChanged");
    const r = runRaftReconfiguration(1);
    const lossy = { ...r, committed: r.writes - 1, failures: ["raft: failed to process the request"] };
    expect(failedChecks(raftReconfigurationChecks(lossy))).toEqual(["everyWriteCommitted"]);
    const twoLeaders = { ...r, singleLeaderSamples: r.samples - 1 };
    expect(allHold(raftReconfigurationChecks(twoLeaders))).toBe(false);
  });
});

describe("least-privilege", () => {
  it("a worker's certificate is denied the manager-only methods, and refused once the node is removed", () => {
    const r = holdsAndReplays(leastPrivilege);
    expect(r.measured.afterRemoval).toContain("was removed from swarm");
  });

  it("fails when the certificate is a manager's and the node was not removed", () => {
    const checks = leastPrivilegeChecks(runLeastPrivilege(1, { promoteFirst: true, remove: false }));
    expect(failedChecks(checks)).toEqual(
      expect.arrayContaining(["managerOnlyMethodsDenied", "noClusterStoreOnWorker", "removedNodeRefused"]),
    );
  });

  it("fails when the handshake takes a certificate without its key and connections are found by number", () => {
    const r = runLeastPrivilege(1, { bugs: { noProofOfPossession: true, connectionFromPayload: true } });
    expect(failedChecks(leastPrivilegeChecks(r))).toEqual(
      expect.arrayContaining([
        "replayedManagerCertificateRefused",
        "guessedConnectionsUnanswered",
        "floodLeavesLeaderLeading",
      ]),
    );
  });
});

describe("swarm-autolock", () => {
  it("a restarted --autolock manager is locked until unlocked with its key", () => {
    const r = holdsAndReplays(autolock);
    expect(r.measured.swarmAfterRestart).toBe("locked");
  });

  it("fails a swarm made without --autolock: nothing is sealed, nothing locks", () => {
    const checks = autolockChecks(runAutolock(1, { autolock: false }));
    expect(failedChecks(checks)).toEqual(
      expect.arrayContaining(["sealedOnDisk", "lockedAfterRestart", "managerCommandsRefused"]),
    );
  });
});

describe("reconciliation", () => {
  it("a crashed worker's tasks come back elsewhere after the heartbeat grace and the restart delay", () => {
    const r = holdsAndReplays(nodeFailure);
    const down = r.measured.downAfterMs as number;
    expect((r.measured.restoredAfterMs as number) - down).toBeGreaterThanOrEqual(5000);
  });

  it("fails when no worker crashed", () => {
    const checks = nodeFailureChecks(runNodeFailure(1, { crash: false }));
    expect(failedChecks(checks)).toEqual(
      expect.arrayContaining(["markedDownAfterHeartbeatGrace", "onlyTheMissingTasksReplaced"]),
    );
  });

  it("nodes start and stop containers as their tasks say", () => {
    const r = holdsAndReplays(nodeTasks);
    expect(r.measured.scaledDown).toBeDefined();
  });

  it("fails when the cut-off node never comes back (its stale containers are not stopped)", () => {
    const checks = nodeTasksChecks(runNodeTasks(1, { reconnect: false }));
    expect(failedChecks(checks)).toContain("reconnectedNodeStopsStaleContainers");
  });
});
