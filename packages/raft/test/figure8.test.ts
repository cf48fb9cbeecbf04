// Figure 8 of the Raft paper: an entry from an earlier term that sits on a majority is not
// yet committed, because a server with a newer-term entry at that index can still be elected
// and overwrite it. The leader may count replicas only for entries of its own term.
import { describe, expect, it } from "vitest";
import { InvariantViolation, type Message, StepNetwork } from "../src";

/** Plays (a) to (c) of Figure 8, returning the network and the index of the contested entry. */
function figure8(bugs: { commitPreviousTermByCount?: boolean } = {}) {
  // No CheckQuorum (Figure 8 is about the core algorithm) and one entry per append, so
  // that the old-term entry can travel without the new-term one behind it.
  const net = new StepNetwork([1, 2, 3, 4, 5], { config: { checkQuorum: false, maxEntriesPerMsg: 1, bugs } });
  const only = (keep: (m: Message) => boolean) => {
    net.filter = keep;
  };
  net.elect(1); // term 2; everyone has the bootstrap entries and S1's empty entry (6)
  const term2 = net.node(1).status().term;
  expect(term2).toBe(2);

  // (a) S1 replicates entry 7 (term 2) to S2 only.
  only((m) => m.from !== 1 || m.to === 2);
  net.propose(1, "from S1, term 2");
  net.deliverAll();
  const contested = net.node(1).status().lastIndex;
  expect(contested).toBe(7);
  expect(net.node(2).entry(7)?.term).toBe(2);

  // (b) S1 crashes; S5 is elected in term 3 with S3 and S4, takes an entry at 7, and crashes
  // before sending it anywhere.
  net.crash(1);
  net.dropAll();
  only((m) => !(m.from === 5 && m.type === "MsgApp"));
  net.elect(5);
  expect(net.node(5).status()).toMatchObject({ raftState: "leader", term: 3 });
  expect(net.node(5).entry(7)?.term).toBe(3);
  net.crash(5);
  net.dropAll();

  // (c) S1 restarts and is elected in term 4; it replicates entry 7 (term 2) to S3 but its
  // own term-4 entry reaches nobody. Entry 7 is now on a majority: S1, S2, S3.
  net.restart(1);
  // S1's own term-4 entry reaches nobody: appends lose it on the way (an append whose only
  // entry it is arrives empty). S4 hears nothing at all.
  only((m) => m.from !== 1 || m.to !== 4);
  net.rewrite = (m) =>
    m.from === 1 && m.type === "MsgApp" ? { ...m, entries: m.entries.filter((e) => e.term !== 4) } : m;
  net.elect(1);
  if (net.node(1).status().raftState !== "leader") net.elect(1); // its first try lost to term 3
  expect(net.node(1).status()).toMatchObject({ raftState: "leader", term: 4 });
  net.tickAll(2);
  expect(net.node(4).entry(7)).toBeUndefined();
  for (const id of [1, 2, 3]) expect(net.node(id).entry(7)?.term).toBe(2);
  for (const id of [2, 3]) expect(net.node(id).entry(8)).toBeUndefined();
  net.rewrite = undefined;
  return { net, contested };
}

describe("Figure 8", () => {
  it("(c) the old-term entry on a majority is not committed; (d) S5 may then overwrite it safely", () => {
    const { net, contested } = figure8();
    expect(net.node(1).status().commit).toBe(contested - 1);

    // (d) S1 crashes; S5 restarts and wins term 5 with S2, S3, S4: its entry 7 (term 3)
    // replaces the uncommitted term-2 entry everywhere. No invariant breaks.
    net.crash(1);
    net.dropAll();
    net.filter = undefined;
    net.restart(5);
    net.elect(5);
    if (net.node(5).status().raftState !== "leader") net.elect(5);
    expect(net.node(5).status()).toMatchObject({ raftState: "leader", term: 5 });
    net.tickAll(2);
    for (const id of [2, 3, 4, 5]) expect(net.node(id).entry(7)?.term).toBe(3);
    expect(net.node(5).status().commit).toBeGreaterThanOrEqual(contested);
  });

  it("(e) once a current-term entry is on a majority, both commit and S5 can no longer win", () => {
    const { net, contested } = figure8();
    net.filter = (m) => m.to !== 4;
    net.tickAll(3);
    expect(net.node(1).status().commit).toBe(contested + 1);
    net.crash(1);
    net.restart(5);
    net.filter = undefined;
    net.elect(5);
    net.elect(5);
    expect(net.node(5).status().raftState).not.toBe("leader");
  });

  it("with the Figure 8 rule switched off, the invariant checker catches the lost commit", () => {
    const { net, contested } = figure8({ commitPreviousTermByCount: true });
    // The broken leader counted replicas of the term-2 entry and committed it.
    expect(net.node(1).status().commit).toBe(contested);
    net.crash(1);
    net.dropAll();
    net.filter = undefined;
    net.restart(5);
    let caught: unknown;
    try {
      net.elect(5);
      net.elect(5);
      net.tickAll(2);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvariantViolation);
    const v = caught as InvariantViolation;
    expect(v.invariant).toBe("Leader Completeness");
    expect(v.message).toContain("lacks committed entry 7");
    expect(v.message).toContain("seed: 1");
    expect(v.tail.length).toBeGreaterThan(5);
  });
});
