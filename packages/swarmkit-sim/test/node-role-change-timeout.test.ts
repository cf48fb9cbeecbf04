// A manager taken out of raft while its node object still says manager (it was promoted again
// before a worker certificate was issued) must not stay a manager in name only: after
// roleChangeTimeout (16 s) it renews its certificate, and when that is still a manager's after
// another 16 s it joins raft again (SwarmKit node.go; SWARMKIT.md §2.4).
import { describe, expect, it } from "vitest";
import { Sim } from "../src/kernel/sim";
import { ROLE_CHANGE_TIMEOUT_MS } from "../src/node/swarm-node";
import { buildSwarm } from "../src/swarm/build";

describe("role change timeout", () => {
  it("a node removed from raft but still a manager rejoins raft", () => {
    const sim = new Sim({ seed: 9 });
    const s = buildSwarm(sim, { managers: 3, workers: 0 });
    sim.runFor(10_000);
    const leader = s.leader()!;
    const victim = s.managers.find((m) => m !== leader)!;
    const consensus = leader.manager!.consensus;
    const before = consensus.members().find((m) => m.nodeId === victim.nodeId)!;
    let removed: Error | null | undefined;
    consensus.removeMember(before.raftId, (err) => {
      removed = err;
    });
    sim.runFor(2000);
    expect(removed).toBeNull();
    expect(victim.manager).toBeNull();
    // Not yet: it waits for a worker certificate first.
    sim.runFor(ROLE_CHANGE_TIMEOUT_MS - 4000);
    expect(victim.manager).toBeNull();
    sim.runFor(2 * ROLE_CHANGE_TIMEOUT_MS);
    expect(victim.manager).not.toBeNull();
    const after = consensus.members().find((m) => m.nodeId === victim.nodeId);
    expect(after).toBeDefined();
    expect(after!.raftId).not.toBe(before.raftId);
    expect(consensus.isActive(after!.raftId)).toBe(true);
  });
});
