// Every invariant of the checker, fed a broken run, must fire; a correct run must not.
import { describe, expect, it } from "vitest";
import { type Entry, InvariantChecker, InvariantViolation, type Ready, StepNetwork } from "../src";

function rd(p: Partial<Ready>): Ready {
  return { entries: [], committedEntries: [], messages: [], readStates: [], mustSync: false, ...p };
}

function e(index: number, term: number, data: unknown = `d${index}@${term}`): Entry {
  return { index, term, type: "normal", data };
}

function violation(f: () => void): InvariantViolation {
  try {
    f();
  } catch (err) {
    if (err instanceof InvariantViolation) return err;
    throw err;
  }
  throw new Error("expected an invariant violation");
}

describe("InvariantChecker", () => {
  it("Election Safety: two leaders in one term", () => {
    const c = new InvariantChecker({ seed: 77 });
    c.onReady(
      1,
      rd({ hardState: { term: 3, vote: 1, commit: 0 }, softState: { lead: 1, raftState: "leader" } }),
    );
    const v = violation(() =>
      c.onReady(
        2,
        rd({ hardState: { term: 3, vote: 2, commit: 0 }, softState: { lead: 2, raftState: "leader" } }),
      ),
    );
    expect(v.invariant).toBe("Election Safety");
    expect(v.message).toContain("term 3 has two leaders: n1 and n2");
    expect(v.message).toContain("seed: 77");
    expect(v.tail.some((l) => l.includes("n1 leader"))).toBe(true);
  });

  it("Election Safety: a node votes twice in one term, or forgets its vote across a restart", () => {
    const c = new InvariantChecker();
    c.onReady(1, rd({ hardState: { term: 2, vote: 2, commit: 0 } }));
    expect(
      violation(() => c.onReady(1, rd({ hardState: { term: 2, vote: 3, commit: 0 } }))).details,
    ).toContain("voted twice in term 2");
    const d = new InvariantChecker();
    d.onReady(1, rd({ hardState: { term: 5, vote: 2, commit: 0 } }));
    expect(
      violation(() => d.onRestart(1, { hardState: { term: 4, vote: 0, commit: 0 }, entries: [] })).invariant,
    ).toBe("Election Safety");
  });

  it("Leader Append-Only: a leader overwrites its own entries", () => {
    const c = new InvariantChecker();
    c.onReady(
      1,
      rd({ hardState: { term: 2, vote: 1, commit: 0 }, softState: { lead: 1, raftState: "leader" } }),
    );
    c.onReady(1, rd({ entries: [e(1, 2), e(2, 2)] }));
    const v = violation(() => c.onReady(1, rd({ entries: [e(2, 2, "other")] })));
    expect(v.invariant).toBe("Leader Append-Only");
    // A follower may have its uncommitted suffix replaced.
    const ok = new InvariantChecker();
    ok.onReady(2, rd({ hardState: { term: 2, vote: 1, commit: 0 }, entries: [e(1, 1), e(2, 1)] }));
    ok.onReady(2, rd({ hardState: { term: 3, vote: 0, commit: 0 }, entries: [e(2, 3)] }));
  });

  it("Log Matching: the same index and term after different histories, or with different data", () => {
    const c = new InvariantChecker();
    c.onReady(1, rd({ entries: [e(1, 1), e(2, 2)] }));
    const v = violation(() => c.onReady(2, rd({ entries: [e(1, 2), e(2, 2)] })));
    expect(v.invariant).toBe("Log Matching");
    const d = new InvariantChecker();
    d.onReady(1, rd({ entries: [e(1, 1, "a")] }));
    expect(violation(() => d.onReady(2, rd({ entries: [e(1, 1, "b")] }))).invariant).toBe("Log Matching");
  });

  it("Leader Completeness: a new leader lacks an entry committed in an earlier term", () => {
    const c = new InvariantChecker();
    c.onReady(1, rd({ hardState: { term: 1, vote: 1, commit: 0 }, entries: [e(1, 1), e(2, 1)] }));
    c.onReady(1, rd({ hardState: { term: 1, vote: 1, commit: 2 } }));
    c.onReady(2, rd({ hardState: { term: 1, vote: 1, commit: 0 }, entries: [e(1, 1)] }));
    const v = violation(() =>
      c.onReady(
        2,
        rd({ hardState: { term: 2, vote: 2, commit: 0 }, softState: { lead: 2, raftState: "leader" } }),
      ),
    );
    expect(v.invariant).toBe("Leader Completeness");
    expect(v.details).toContain("lacks committed entry 2");
  });

  it("State Machine Safety: two nodes commit or apply different entries at one index", () => {
    const c = new InvariantChecker();
    c.onReady(
      1,
      rd({ hardState: { term: 1, vote: 0, commit: 1 }, entries: [e(1, 1)], committedEntries: [e(1, 1)] }),
    );
    // Node 2 has a different entry 1 (this also breaks Log Matching for the data, so use a new term)
    const v = violation(() =>
      c.onReady(
        2,
        rd({ hardState: { term: 2, vote: 0, commit: 1 }, entries: [e(1, 2)], committedEntries: [e(1, 2)] }),
      ),
    );
    expect(v.invariant).toBe("State Machine Safety");
  });

  it("State Machine Safety: applying out of order or beyond the commit index", () => {
    const c = new InvariantChecker();
    c.onReady(1, rd({ hardState: { term: 1, vote: 0, commit: 1 }, entries: [e(1, 1), e(2, 1)] }));
    expect(violation(() => c.onReady(1, rd({ committedEntries: [e(2, 1)] }))).details).toContain(
      "not in order",
    );
    const d = new InvariantChecker();
    d.onReady(1, rd({ hardState: { term: 1, vote: 0, commit: 1 }, entries: [e(1, 1), e(2, 1)] }));
    expect(violation(() => d.onReady(1, rd({ committedEntries: [e(1, 1), e(2, 1)] }))).details).toContain(
      "beyond commit",
    );
  });

  it("a Ready with a snapshot and the entries after it: the snapshot is installed first", () => {
    // A host that steps several messages before it takes the Ready (a snapshot from the leader,
    // then its next append) gets both in one Ready, and persists the snapshot first.
    const c = new InvariantChecker();
    c.onReady(2, rd({ hardState: { term: 2, vote: 1, commit: 0 }, entries: [e(1, 1), e(2, 1)] }));
    c.onReady(
      2,
      rd({
        hardState: { term: 2, vote: 1, commit: 12 },
        snapshot: { metadata: { index: 10, term: 2, confState: { voters: [1, 2] } }, data: null },
        entries: [e(11, 2), e(12, 2)],
      }),
    );
    expect(c.committedIndex()).toBe(12);
  });

  it("includes the host's trace tail in the report", () => {
    const c = new InvariantChecker({ seed: "s", traceTail: () => [{ t: 5, type: "machine.crash" }] });
    c.onReady(
      1,
      rd({ hardState: { term: 1, vote: 1, commit: 0 }, softState: { lead: 1, raftState: "leader" } }),
    );
    const v = violation(() =>
      c.onReady(
        2,
        rd({ hardState: { term: 1, vote: 2, commit: 0 }, softState: { lead: 2, raftState: "leader" } }),
      ),
    );
    expect(v.message).toContain('"machine.crash"');
  });

  it("stays silent over a correct run with elections, crashes, snapshots and membership changes", () => {
    const net = new StepNetwork([1, 2, 3, 4, 5], { seed: 9, snapshotEvery: 7 });
    net.elect(1);
    for (let round = 0; round < 30; round++) {
      const leader = net.leader();
      if (leader) for (let i = 0; i < 3; i++) net.propose(leader, `${round}.${i}`);
      if (round % 7 === 3) net.crash(((round >> 1) % 5) + 1);
      if (round % 7 === 5) for (const id of [1, 2, 3, 4, 5]) if (!net.nodes.has(id)) net.restart(id);
      if (round === 12) net.isolate(leader);
      if (round === 20) net.heal();
      net.tickAll(3);
    }
    expect(net.checker!.committedIndex()).toBeGreaterThan(50);
  });
});
