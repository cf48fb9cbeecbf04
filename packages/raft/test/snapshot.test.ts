import { describe, expect, it } from "vitest";
import { type Message, RaftNode, seededRandom, StepNetwork } from "../src";
import { drain, msg, storageWithLog } from "./helpers";

describe("snapshots and log compaction", () => {
  it("createSnapshot records the applied index and voters and compacts, keeping some entries", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    for (let i = 0; i < 10; i++) net.propose(1, i);
    net.deliverAll();
    const n = net.node(1);
    const applied = n.status().applied;
    const snap = n.createSnapshot("state", 3);
    expect(snap.metadata).toEqual({ index: applied, term: 2, confState: { voters: [1, 2, 3] } });
    expect(n.status().firstIndex).toBe(applied - 3 + 1);
    expect(n.entry(applied - 3)).toBeUndefined();
    expect(n.entry(applied - 2)).toBeDefined();
  });

  it("a follower that fell behind the compacted log receives the snapshot, then the rest", () => {
    const net = new StepNetwork([1, 2, 3], { snapshotEvery: 5 });
    net.elect(1);
    net.crash(3);
    for (let i = 0; i < 12; i++) {
      net.propose(1, i);
      net.deliverAll();
    }
    const snaps: Message[] = [];
    net.onReady = (_, rd) => snaps.push(...rd.messages.filter((m) => m.type === "MsgSnap"));
    net.restart(3);
    net.tickAll(3);
    expect(snaps.map((m) => m.to)).toEqual([3]);
    expect(net.node(1).status().progress!.get(3)!.state).toBe("replicate");
    net.propose(1, "after");
    net.deliverAll();
    expect(net.applied.get(3)).toEqual([...Array(12).keys(), "after"]);
  });

  it("a follower installs a snapshot: the Ready hands it out, and applied moves to its index", () => {
    const n = new RaftNode({ id: 2, random: seededRandom(2), storage: storageWithLog([1], [1, 2, 3], 1) });
    drain(n);
    const snapshot = { metadata: { index: 20, term: 3, confState: { voters: [1, 2, 3] } }, data: "S" };
    n.step(msg({ type: "MsgSnap", from: 1, to: 2, term: 3, snapshot }));
    const rd = n.ready();
    expect(rd.snapshot).toBe(snapshot);
    expect(rd.committedEntries).toEqual([]);
    expect(rd.hardState).toMatchObject({ term: 3, commit: 20 });
    expect(rd.messages[0]).toMatchObject({ type: "MsgAppResp", index: 20 });
    n.advance();
    expect(n.status()).toMatchObject({ applied: 20, commit: 20, firstIndex: 21 });
  });

  it("a snapshot the follower's log already covers is not installed; it only commits", () => {
    const n = new RaftNode({
      id: 2,
      random: seededRandom(2),
      storage: storageWithLog([1, 1, 1, 1], [1, 2, 3], 1),
    });
    drain(n);
    const snapshot = { metadata: { index: 3, term: 1, confState: { voters: [1, 2, 3] } }, data: "S" };
    n.step(msg({ type: "MsgSnap", from: 1, to: 2, term: 1, snapshot }));
    const rd = n.ready();
    expect(rd.snapshot).toBeUndefined();
    expect(rd.hardState?.commit).toBe(3);
    expect(rd.messages[0]).toMatchObject({ type: "MsgAppResp", index: 3 });
  });

  it("a lost snapshot is sent again after an election timeout", () => {
    const net = new StepNetwork([1, 2, 3], { snapshotEvery: 3 });
    net.elect(1);
    net.crash(3);
    for (let i = 0; i < 6; i++) {
      net.propose(1, i);
      net.deliverAll();
    }
    let sentSnaps = 0;
    net.onReady = (_, rd) => {
      sentSnaps += rd.messages.filter((m) => m.type === "MsgSnap").length;
    };
    net.restart(3);
    net.filter = (m) => m.type !== "MsgSnap";
    net.tickAll(3);
    expect(sentSnaps).toBe(1);
    expect(net.node(1).status().progress!.get(3)!.state).toBe("snapshot");
    net.filter = undefined;
    net.tickAll(12);
    expect(sentSnaps).toBe(2);
    expect(net.applied.get(3)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("the host may report the snapshot's fate; a failure makes the leader probe and resend", () => {
    const net = new StepNetwork([1, 2, 3], { snapshotEvery: 3 });
    net.elect(1);
    net.crash(3);
    for (let i = 0; i < 6; i++) {
      net.propose(1, i);
      net.deliverAll();
    }
    net.restart(3);
    net.filter = (m) => m.type !== "MsgSnap";
    net.tickAll(2);
    const leader = net.node(1);
    leader.reportSnapshot(3, false);
    expect(leader.status().progress!.get(3)!.state).toBe("probe");
    net.filter = undefined;
    net.tickAll(3);
    expect(net.applied.get(3)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("a node restarts from its snapshot plus the entries after it", () => {
    const net = new StepNetwork([1, 2, 3], { snapshotEvery: 4 });
    net.elect(1);
    for (let i = 0; i < 10; i++) {
      net.propose(1, i);
      net.deliverAll();
    }
    net.crash(2);
    expect(net.disks.get(2)!.snapshot).toBeDefined();
    net.restart(2);
    expect(net.applied.get(2)).toEqual([...Array(10).keys()]);
    const before = net.node(2).status();
    expect(before.firstIndex).toBeGreaterThan(1);
    net.tickAll(2);
    expect(net.node(2).status().commit).toBe(net.node(1).status().commit);
  });
});
