// The role manager's demotion path: a raft removal is waited for at most removalTimeout (5 s),
// and a pending reconciliation is retried every 5 s (SwarmKit role_manager.go), so a removal
// that hangs (no quorum to commit it) is asked again rather than blocking the node for the
// whole raft request timeout. The consensus here is a stand-in that records calls.
import { describe, expect, it } from "vitest";
import type { Consensus, RaftMemberInfo } from "../src/manager/consensus";
import { REMOVAL_TIMEOUT_MS, RoleManager } from "../src/manager/role-manager";
import { DirectProposer } from "../src/manager/store";
import { addNodes, harness, updateNode } from "./support/services-fixtures";

function consensusWith(members: RaftMemberInfo[], answer: "never" | "ok") {
  const removals: number[] = [];
  /** What the role manager asked, in order: "remove N" and "transfer". */
  const calls: string[] = [];
  const transfers: number[] = [];
  const c = {
    raftId: 1,
    members: () => members,
    canRemoveMember: () => true,
    removeMember(raftId: number, done: (err: Error | null) => void) {
      removals.push(raftId);
      calls.push(`remove ${raftId}`);
      if (answer === "ok") {
        members.splice(
          members.findIndex((m) => m.raftId === raftId),
          1,
        );
        done(null);
      }
    },
    transferLeadership() {
      calls.push("transfer");
      transfers.push(1);
    },
  } as unknown as Consensus;
  return { c, removals, calls, transfers };
}

describe("role manager", () => {
  it("a hanging raft removal is given up after removalTimeout and asked again", () => {
    const h = harness(1, []);
    const [id] = addNodes(h, 1, { role: "manager" });
    const { c, removals } = consensusWith([{ raftId: 7, nodeId: id, addr: "10.0.0.2:2377" }], "never");
    const rm = new RoleManager(h.ctx.machine, h.store, new DirectProposer(h.store), c);
    rm.start();
    updateNode(h, id, (n) => {
      n.spec.desiredRole = "worker";
    });
    h.sim.runFor(3 * REMOVAL_TIMEOUT_MS + 1000);
    expect(removals.length).toBeGreaterThanOrEqual(3);
    expect(h.store.get("node", id)!.role).toBe("manager");
  });

  it("a removal that completes makes the node a worker", () => {
    const h = harness(1, []);
    const [id] = addNodes(h, 1, { role: "manager" });
    const { c, removals } = consensusWith([{ raftId: 7, nodeId: id, addr: "10.0.0.2:2377" }], "ok");
    const rm = new RoleManager(h.ctx.machine, h.store, new DirectProposer(h.store), c);
    rm.start();
    updateNode(h, id, (n) => {
      n.spec.desiredRole = "worker";
    });
    h.sim.runFor(100);
    expect(removals).toEqual([7]);
    expect(h.store.get("node", id)!.role).toBe("worker");
  });

  it("the leader demoted with another manager removes that one before it hands leadership over", () => {
    // Handing over first could pick the other demoted manager, whose role manager would hand
    // leadership straight back (it did, every millisecond, for good).
    const h = harness(1, []);
    const [self, other] = addNodes(h, 2, { role: "manager" });
    const members = [
      { raftId: 1, nodeId: self, addr: "10.0.0.2:2377" },
      { raftId: 7, nodeId: other, addr: "10.0.0.3:2377" },
    ];
    const { c, calls } = consensusWith(members, "ok");
    // Both demoted before this leader's role manager starts (a new leader finds them pending).
    for (const id of [self, other])
      updateNode(h, id, (n) => {
        n.spec.desiredRole = "worker";
      });
    const rm = new RoleManager(h.ctx.machine, h.store, new DirectProposer(h.store), c);
    rm.start();
    h.sim.runFor(2 * REMOVAL_TIMEOUT_MS + 1000);
    expect(calls[0]).toBe("remove 7");
    expect(calls).toContain("transfer");
    expect(h.store.get("node", other)!.role).toBe("worker");
    rm.stop();
  });

  it("a demoted leader hands over only once the other demoted members are out of raft", () => {
    // Two managers demoted, this leader (raft ID 1) one of them: handing over before the other's
    // removal commits sends leadership back and forth between the two for good.
    for (const answer of ["never", "ok"] as const) {
      const h = harness(1, []);
      const [self, other] = addNodes(h, 2, { role: "manager" });
      const members = [
        { raftId: 1, nodeId: self, addr: "10.0.0.2:2377" },
        { raftId: 7, nodeId: other, addr: "10.0.0.3:2377" },
      ];
      const { c, removals, transfers } = consensusWith(members, answer);
      const rm = new RoleManager(h.ctx.machine, h.store, new DirectProposer(h.store), c);
      rm.start();
      for (const id of [other, self])
        updateNode(h, id, (n) => {
          n.spec.desiredRole = "worker";
        });
      h.sim.runFor(3 * REMOVAL_TIMEOUT_MS + 1000);
      expect(removals[0]).toBe(7);
      if (answer === "never") expect(transfers).toEqual([]);
      else expect(transfers.length).toBeGreaterThan(0);
    }
  });
});
