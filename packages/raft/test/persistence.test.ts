// The persistence contract: what a message depends on is handed out for persistence in the
// same Ready as the message (or earlier), so a host that persists before sending never sends
// a promise it could forget in a crash.
import { describe, expect, it } from "vitest";
import { RaftNode, seededRandom, StepNetwork } from "../src";
import { drain, msg, newNode, storageWithLog } from "./helpers";

describe("the persistence contract", () => {
  it("a vote goes out in the same Ready as the hard state that records it", () => {
    const n = newNode(1, [1, 2, 3]);
    n.step(msg({ type: "MsgVote", from: 2, to: 1, term: 4 }));
    const rd = n.ready();
    expect(rd.hardState).toEqual({ term: 4, vote: 2, commit: 0 });
    expect(rd.mustSync).toBe(true);
    expect(rd.messages).toMatchObject([{ type: "MsgVoteResp", to: 2, reject: false }]);
  });

  it("an acknowledgement goes out in the same Ready as the entries it acknowledges", () => {
    const n = new RaftNode({ id: 2, random: seededRandom(2), storage: storageWithLog([1], [1, 2, 3], 1) });
    drain(n);
    const ents = [{ term: 1, index: 2, type: "normal" as const, data: "x" }];
    n.step(msg({ type: "MsgApp", from: 1, to: 2, term: 1, index: 1, logTerm: 1, entries: ents }));
    const rd = n.ready();
    expect(rd.entries).toEqual(ents);
    expect(rd.mustSync).toBe(true);
    expect(rd.messages).toMatchObject([{ type: "MsgAppResp", index: 2 }]);
  });

  it("a Ready that only moves the commit index need not sync", () => {
    const n = new RaftNode({ id: 2, random: seededRandom(2), storage: storageWithLog([1, 1], [1, 2, 3], 1) });
    drain(n);
    n.step(msg({ type: "MsgHeartbeat", from: 1, to: 2, term: 1, commit: 2 }));
    const rd = n.ready();
    expect(rd.hardState).toEqual({ term: 1, vote: 0, commit: 2 });
    expect(rd.mustSync).toBe(false);
    expect(rd.committedEntries.map((e) => e.index)).toEqual([1, 2]);
  });

  it("ready() twice without advance() is a host bug", () => {
    const n = newNode(1, [1, 2, 3]);
    n.campaign();
    n.ready();
    expect(() => n.ready()).toThrow("raft: ready() called again before advance()");
  });

  it("entries handed out are not handed out again after advance", () => {
    const net = new StepNetwork([1]);
    net.elect(1);
    const n = net.node(1);
    n.propose("a");
    const rd = n.ready();
    expect(rd.entries.map((e) => e.data)).toEqual(["a"]);
    n.advance();
    expect(n.hasReady()).toBe(false);
  });

  it("a restarted node remembers its term, vote, log and commit, and cannot vote twice in a term", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.propose(1, "x");
    net.deliverAll();
    const before = net.node(2).status();
    net.crash(2);
    net.restart(2);
    const after = net.node(2).status();
    expect(after).toMatchObject({
      term: before.term,
      vote: before.vote,
      commit: before.commit,
      lastIndex: before.lastIndex,
    });
    expect(net.applied.get(2)).toEqual(["x"]);
    // Node 2 voted for node 1 in this term; another candidate of the same term is refused.
    const n = net.node(2);
    n.step(msg({ type: "MsgVote", from: 3, to: 2, term: before.term, index: 99, logTerm: 99 }));
    expect(n.ready().messages).toMatchObject([{ type: "MsgVoteResp", reject: true }]);
  });

  it("a restarted cluster re-elects and keeps every committed entry", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    for (let i = 0; i < 5; i++) net.propose(1, i);
    net.deliverAll();
    for (const id of [1, 2, 3]) net.crash(id);
    for (const id of [1, 2, 3]) net.restart(id);
    net.tickAll(40);
    const leader = net.leader();
    expect(leader).not.toBe(0);
    net.propose(leader, 5);
    net.deliverAll();
    for (const id of [1, 2, 3]) expect(net.applied.get(id)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
