import { describe, expect, it } from "vitest";
import { StepNetwork } from "../src";

describe("single-server membership changes", () => {
  it("adding a voter: it takes effect when applied, and the newcomer learns the whole membership from the log", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.propose(1, "before");
    net.deliverAll();
    net.addNode(4);
    expect(net.node(1).proposeConfChange({ type: "addNode", nodeId: 4, context: "10.0.0.5:2377" })).toBe(
      true,
    );
    net.process(1);
    expect(net.node(1).status().voters).toEqual([1, 2, 3]); // not yet applied
    net.deliverAll();
    expect(net.node(1).status().voters).toEqual([1, 2, 3, 4]);
    net.tickAll(3);
    expect(net.node(4).status().voters).toEqual([1, 2, 3, 4]);
    expect(net.applied.get(4)).toEqual(["before"]);
    // Now a quorum is 3 of 4: with two nodes down nothing commits.
    net.crash(3);
    net.crash(4);
    const commit = net.node(1).status().commit;
    net.propose(1, "stuck");
    net.tickAll(2);
    expect(net.node(1).status().commit).toBe(commit);
  });

  it("one change at a time: a second change is refused until the first is applied", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.addNode(4);
    net.addNode(5);
    expect(net.node(1).proposeConfChange({ type: "addNode", nodeId: 4 })).toBe(true);
    expect(net.node(1).proposeConfChange({ type: "addNode", nodeId: 5 })).toBe(false);
    net.stabilize();
    expect(net.node(1).proposeConfChange({ type: "addNode", nodeId: 5 })).toBe(true);
    net.stabilize();
    net.tickAll(3);
    expect(net.node(5).status().voters).toEqual([1, 2, 3, 4, 5]);
  });

  it("a new leader accepts no change until its first entry is applied", () => {
    // (No CheckQuorum, so node 3 votes at once instead of honouring node 1's lease.)
    const net = new StepNetwork([1, 2, 3], { config: { checkQuorum: false } });
    net.elect(1);
    net.crash(1);
    net.node(2).campaign();
    net.process(2);
    // The votes arrive, node 2 leads, but its empty entry is not yet acknowledged.
    net.filter = (m) => m.type !== "MsgAppResp";
    net.deliverAll();
    expect(net.node(2).status().raftState).toBe("leader");
    expect(net.node(2).proposeConfChange({ type: "removeNode", nodeId: 1 })).toBe(false);
    net.filter = undefined;
    net.tickAll(1);
    expect(net.node(2).proposeConfChange({ type: "removeNode", nodeId: 1 })).toBe(true);
  });

  it("removing a follower shrinks the quorum", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.node(1).proposeConfChange({ type: "removeNode", nodeId: 3 });
    net.stabilize();
    expect(net.node(1).status().voters).toEqual([1, 2]);
    net.crash(3);
    net.propose(1, "two of two");
    net.deliverAll();
    expect(net.applied.get(2)).toEqual(["two of two"]);
  });

  it("a leader that removes itself steps down and never campaigns; the others elect a new leader", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.node(1).proposeConfChange({ type: "removeNode", nodeId: 1 });
    net.stabilize();
    expect(net.node(1).status()).toMatchObject({ raftState: "follower", voters: [2, 3] });
    net.tickAll(40);
    const leader = net.leader();
    expect([2, 3]).toContain(leader);
    expect(net.node(1).status().raftState).toBe("follower");
    net.propose(leader, "after");
    net.deliverAll();
    expect(net.applied.get(2)).toEqual(["after"]);
  });

  it("the last voter cannot be removed", () => {
    const net = new StepNetwork([1]);
    net.elect(1);
    expect(net.node(1).proposeConfChange({ type: "removeNode", nodeId: 1 })).toBe(false);
  });

  it("a node joining after compaction gets the membership from the snapshot", () => {
    const net = new StepNetwork([1, 2, 3], { snapshotEvery: 3 });
    net.elect(1);
    for (let i = 0; i < 8; i++) {
      net.propose(1, i);
      net.deliverAll();
    }
    net.addNode(4);
    net.node(1).proposeConfChange({ type: "addNode", nodeId: 4 });
    net.stabilize();
    net.tickAll(3);
    expect(net.node(4).status().voters).toEqual([1, 2, 3, 4]);
    expect(net.applied.get(4)).toEqual([...Array(8).keys()]);
  });

  it("a follower forwards a membership change to the leader", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.addNode(4);
    expect(net.node(2).proposeConfChange({ type: "addNode", nodeId: 4 })).toBe(true);
    net.stabilize();
    expect(net.node(1).status().voters).toEqual([1, 2, 3, 4]);
  });
});

describe("a leader that removes itself", () => {
  /**
   * Two voters; leader 1 proposes its own removal and then one more entry. Node 2 acknowledges
   * the removal (not the entry after it), node 1 commits and applies the removal, and the
   * message that would tell node 2 of the commit is lost. Node 2 still counts voters {1, 2}
   * and needs node 1's vote, which node 1 must refuse (its log is longer).
   */
  function loseTheCommit(net: StepNetwork): void {
    net.elect(1);
    net.propose(1, "before");
    net.deliverAll();
    expect(net.node(1).proposeConfChange({ type: "removeNode", nodeId: 1 })).toBe(true);
    net.process(1);
    net.deliverOne(); // node 2 appends the removal; its acknowledgement is on its way
    expect(net.propose(1, "after")).toBe(true);
    net.deliverOne(); // the acknowledgement: node 1 commits and applies its removal
    expect(net.node(1).status().voters).toEqual([2]);
    net.dropAll(); // node 1's appends, the new commit index with them, are lost
  }

  it("after losing the message that tells the last other voter of the commit, that voter still gets elected", () => {
    const net = new StepNetwork([1, 2]);
    loseTheCommit(net);
    expect(net.node(2).status().commit).toBeLessThan(net.node(1).status().commit);
    expect(net.node(2).status().voters).toEqual([1, 2]);
    net.heal();
    net.tickAll(300);
    expect(net.leader()).toBe(2);
    expect(net.node(2).status().voters).toEqual([2]);
    expect(net.node(1).status()).toMatchObject({ raftState: "follower", membership: "removed" });
    net.propose(2, "later");
    net.deliverAll();
    // ("after" never committed: node 1 handed over once node 2 had committed the removal.)
    expect(net.applied.get(2)).toEqual(["before", "later"]);
  });

  it("the same case with the leader stepping down at once (bugs.skipRemovalHandover) never elects a leader", () => {
    const net = new StepNetwork([1, 2], { config: { bugs: { skipRemovalHandover: true } } });
    loseTheCommit(net);
    net.heal();
    net.tickAll(300);
    expect(net.leader()).toBe(0);
    expect(net.node(2).status().voters).toEqual([1, 2]);
  });

  it("while handing over it leads on, refusing proposals, reads and transfers", () => {
    const net = new StepNetwork([1, 2]);
    loseTheCommit(net);
    expect(net.node(1).status()).toMatchObject({ raftState: "leader", membership: "handingOver" });
    expect(net.propose(1, "refused")).toBe(false);
    expect(net.node(1).readIndex("r")).toBe(false);
    net.node(1).transferLeadership(2);
    expect(net.node(1).status().leadTransferee).toBe(0);
  });

  it("crashed before it handed over, it hands over again when it restarts", () => {
    const net = new StepNetwork([1, 2]);
    loseTheCommit(net);
    net.crash(1);
    net.tickAll(30);
    expect(net.leader()).toBe(0); // node 2 alone cannot win: it counts node 1
    net.restart(1);
    expect(net.node(1).status().membership).toBe("handingOver");
    net.tickAll(100);
    expect(net.leader()).toBe(2);
    expect(net.node(2).status().voters).toEqual([2]);
    expect(net.node(1).status().membership).toBe("removed");
  });

  it("of three voters, it hands over once both others committed its removal", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.cut(1, 3);
    net.node(1).proposeConfChange({ type: "removeNode", nodeId: 1 });
    net.stabilize();
    // Node 2 knows; node 3 does not yet: a quorum of {2, 3} is both.
    expect(net.node(1).status()).toMatchObject({
      raftState: "leader",
      membership: "handingOver",
      voters: [2, 3],
    });
    net.heal();
    net.tickAll(3);
    expect(net.node(1).status()).toMatchObject({ raftState: "follower", membership: "removed" });
    net.tickAll(40);
    expect([2, 3]).toContain(net.leader());
  });
});
