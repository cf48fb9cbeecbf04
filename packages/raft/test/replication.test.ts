import { describe, expect, it } from "vitest";
import { RaftNode, seededRandom, StepNetwork } from "../src";
import { drain, entries, logTerms, msg, newNode, sent, storageWithLog } from "./helpers";

describe("log replication", () => {
  it("a proposal is appended, replicated, committed on a majority and applied everywhere", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.isolate(3);
    net.propose(1, "a");
    net.deliverAll();
    // The leader broadcasts its new commit index at once, so node 2 applies too.
    expect(net.applied.get(1)).toEqual(["a"]);
    expect(net.applied.get(2)).toEqual(["a"]);
    expect(net.applied.get(3)).toEqual([]);
    net.heal();
    net.tickAll(2);
    expect(net.applied.get(3)).toEqual(["a"]);
  });

  it("a follower forwards proposals to the leader; with no leader the proposal is dropped", () => {
    const net = new StepNetwork([1, 2, 3]);
    expect(net.propose(2, "lost")).toBe(false);
    net.elect(1);
    expect(net.propose(2, "b")).toBe(true);
    const fwd = net.inflight();
    expect(fwd.map((m) => [m.type, m.from, m.to, m.term])).toEqual([["MsgProp", 2, 1, 0]]);
    net.deliverAll();
    net.tickAll(1);
    for (const id of [1, 2, 3]) expect(net.applied.get(id)).toEqual(["b"]);
  });

  it("a candidate drops proposals", () => {
    const n = newNode(1, [1, 2, 3]);
    n.campaign();
    expect(n.propose("x")).toBe(false);
  });

  it("a follower accepts an append whose previous entry matches, and answers with its last new index", () => {
    const n = new RaftNode({ id: 2, random: seededRandom(2), storage: storageWithLog([1, 1], [1, 2, 3], 1) });
    drain(n);
    const ents = entries([1, 1, 2]).slice(2);
    n.step(msg({ type: "MsgApp", from: 1, to: 2, term: 2, index: 2, logTerm: 1, entries: ents, commit: 3 }));
    const [resp] = sent(n);
    expect(resp).toMatchObject({ type: "MsgAppResp", index: 3, reject: false });
    expect(n.status().commit).toBe(3);
  });

  it("a follower answers an append older than its commit index with its commit index", () => {
    const n = new RaftNode({
      id: 2,
      random: seededRandom(2),
      storage: storageWithLog([1, 1, 1], [1, 2, 3], 1, 3),
    });
    drain(n);
    n.step(msg({ type: "MsgApp", from: 1, to: 2, term: 1, index: 1, logTerm: 1 }));
    expect(sent(n)[0]).toMatchObject({ index: 3, reject: false });
  });

  it("a follower rejects a mismatching append with a hint that skips a whole term", () => {
    // follower log terms: 1 1 1 4 4 4 4; leader tries prev (10, 6)
    const n = new RaftNode({
      id: 2,
      random: seededRandom(2),
      storage: storageWithLog([1, 1, 1, 4, 4, 4, 4], [1, 2, 3], 4),
    });
    drain(n);
    n.step(msg({ type: "MsgApp", from: 1, to: 2, term: 8, index: 10, logTerm: 6 }));
    const [resp] = sent(n);
    // last index whose term <= 6 is 7 (term 4)
    expect(resp).toMatchObject({ reject: true, index: 10, rejectHint: 7, logTerm: 4 });
    n.step(msg({ type: "MsgApp", from: 1, to: 2, term: 8, index: 6, logTerm: 3 }));
    // entries of term 4 cannot match a prev of term 3: back to index 3 (term 1)
    expect(sent(n)[0]).toMatchObject({ reject: true, rejectHint: 3, logTerm: 1 });
  });

  it("a conflicting suffix is truncated and replaced", () => {
    const n = new RaftNode({
      id: 2,
      random: seededRandom(2),
      storage: storageWithLog([1, 2, 2, 2], [1, 2, 3], 2),
    });
    drain(n);
    const ents = [
      { term: 3, index: 3, type: "normal" as const, data: "x" },
      { term: 3, index: 4, type: "normal" as const, data: "y" },
    ];
    n.step(msg({ type: "MsgApp", from: 1, to: 2, term: 3, index: 2, logTerm: 2, entries: ents }));
    const [rd] = drain(n);
    expect(rd.entries.map((e) => e.index)).toEqual([3, 4]);
    expect(logTerms(n)).toEqual([1, 2, 3, 3]);
  });
});

describe("Figure 7: a new leader brings every follower's log into line", () => {
  // The leader's log (term 8 once elected) and the six follower logs of the Raft paper.
  const leaderLog = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
  const followers: Record<string, number[]> = {
    a: [1, 1, 1, 4, 4, 5, 5, 6, 6],
    b: [1, 1, 1, 4],
    c: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6],
    d: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7],
    e: [1, 1, 1, 4, 4, 4, 4],
    f: [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
  };

  it("all six logs end up equal to the leader's, with few probes thanks to fast back-off", () => {
    const ids = [1, 2, 3, 4, 5, 6, 7];
    const net = new StepNetwork([]);
    net.install(1, storageWithLog(leaderLog, ids, 7));
    Object.values(followers).forEach((terms, i) => {
      net.install(i + 2, storageWithLog(terms, ids, 7));
    });
    let rejections = 0;
    net.onReady = (_, rd) => {
      rejections += rd.messages.filter((m) => m.type === "MsgAppResp" && m.reject).length;
    };
    net.elect(1);
    expect(net.leader()).toBe(1);
    expect(net.node(1).status().term).toBe(8);
    net.tickAll(2);
    const want = [...leaderLog, 8];
    for (const id of ids) expect(logTerms(net.node(id))).toEqual(want);
    for (const id of ids) expect(net.node(id).status().commit).toBe(11);
    // One probe per differing term at most, not one per entry.
    expect(rejections).toBeLessThanOrEqual(12);
  });
});

describe("flow control", () => {
  it("in replicate state at most maxInflightMsgs appends are outstanding per follower", () => {
    const net = new StepNetwork([1, 2, 3], { config: { maxInflightMsgs: 3 } });
    net.elect(1);
    net.cutOneWay(2, 1); // node 2's acknowledgements are lost
    for (let i = 0; i < 10; i++) net.propose(1, i);
    const toTwo = net.inflight().filter((m) => m.type === "MsgApp" && m.to === 2);
    expect(toTwo).toHaveLength(3);
    expect(net.node(1).status().progress!.get(2)).toMatchObject({ state: "replicate", inflight: 3 });
    net.deliverAll();
    // node 3 acknowledges everything, so the commit still moves
    expect(net.node(1).status().commit).toBe(net.node(1).status().lastIndex);
  });

  it("a heartbeat response frees a slot, and lost appends are recovered by probing", () => {
    const net = new StepNetwork([1, 2, 3], { config: { maxInflightMsgs: 2 } });
    net.elect(1);
    net.filter = (m) => !(m.type === "MsgApp" && m.to === 2);
    for (let i = 0; i < 6; i++) net.propose(1, i);
    net.deliverAll();
    net.heal();
    net.tickAll(3);
    expect(net.applied.get(2)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("in probe state only one append is outstanding", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.crash(3);
    for (let i = 0; i < 4; i++) net.propose(1, i);
    net.deliverAll();
    net.restart(3);
    net.tickAll(1);
    // node 3 answered the heartbeat; the leader probes it once it is found behind
    expect(net.applied.get(3)).toEqual([0, 1, 2, 3]);
  });

  it("appends carry at most maxEntriesPerMsg entries", () => {
    const net = new StepNetwork([1, 2], { config: { maxEntriesPerMsg: 2 } });
    net.elect(1);
    let biggest = 0;
    net.onReady = (_, rd) => {
      for (const m of rd.messages) biggest = Math.max(biggest, m.entries.length);
    };
    net.crash(2);
    for (let i = 0; i < 7; i++) net.propose(1, i);
    net.dropAll();
    net.restart(2);
    net.tickAll(3);
    expect(net.applied.get(2)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(biggest).toBe(2);
  });

  it("a peer the host reports unreachable is probed instead of streamed to", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.propose(1, "x");
    net.deliverAll();
    const leader = net.node(1);
    expect(leader.status().progress!.get(2)!.state).toBe("replicate");
    leader.reportUnreachable(2);
    expect(leader.status().progress!.get(2)!.state).toBe("probe");
    net.propose(1, "y"); // the next acknowledged append brings it back to streaming
    net.deliverAll();
    expect(leader.status().progress!.get(2)!.state).toBe("replicate");
    expect(net.applied.get(2)).toEqual(["x", "y"]);
  });

  it("duplicated and reordered acknowledgements change nothing", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.duplicateRate = 0.5;
    for (let i = 0; i < 20; i++) {
      net.propose(1, i);
      net.shuffle();
      net.deliverAll();
    }
    net.heal();
    net.tickAll(2);
    for (const id of [1, 2, 3]) expect(net.applied.get(id)).toEqual([...Array(20).keys()]);
  });
});
