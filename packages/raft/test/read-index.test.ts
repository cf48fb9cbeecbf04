import { describe, expect, it } from "vitest";
import { StepNetwork } from "../src";
import { sent } from "./helpers";

describe("ReadIndex", () => {
  it("the leader answers with its commit index once a quorum acknowledges a heartbeat round", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.propose(1, "x");
    net.deliverAll();
    const leader = net.node(1);
    expect(leader.readIndex("r1")).toBe(true);
    const beats = sent(leader);
    expect(beats.map((m) => [m.type, m.context])).toEqual([
      ["MsgHeartbeat", "r1"],
      ["MsgHeartbeat", "r1"],
    ]);
    expect(net.readStates.get(1)).toEqual([]);
    // One acknowledgement plus the leader's own make a quorum of three.
    net.node(2).step(beats[0]);
    for (const m of sent(net.node(2))) leader.step(m);
    net.process(1);
    expect(net.readStates.get(1)).toEqual([{ index: leader.status().commit, requestCtx: "r1" }]);
  });

  it("a follower's request is forwarded; the answer comes back to the follower", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.propose(1, "x");
    net.deliverAll();
    expect(net.node(3).readIndex("f")).toBe(true);
    net.process(3);
    net.deliverAll();
    expect(net.readStates.get(3)).toEqual([{ index: net.node(1).status().commit, requestCtx: "f" }]);
    expect(net.readStates.get(1)).toEqual([]);
  });

  it("a follower with no leader drops the request", () => {
    const net = new StepNetwork([1, 2, 3]);
    expect(net.node(2).readIndex("nope")).toBe(false);
  });

  it("a new leader holds requests until it commits an entry of its own term", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.filter = (m) => m.type !== "MsgAppResp";
    net.elect(1);
    expect(net.node(1).status().raftState).toBe("leader");
    net.node(1).readIndex("early");
    net.process(1);
    net.deliverAll();
    expect(net.readStates.get(1)).toEqual([]);
    net.filter = undefined;
    net.tickAll(2);
    expect(net.readStates.get(1)).toEqual([{ index: net.node(1).status().commit, requestCtx: "early" }]);
  });

  it("a leader cut off from the quorum never answers: no stale reads from a deposed leader", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.propose(1, "x");
    net.deliverAll();
    net.isolate(1);
    net.node(1).readIndex("stale?");
    net.process(1);
    net.tickAll(5);
    expect(net.readStates.get(1)).toEqual([]);
  });

  it("a single voter answers at once", () => {
    const net = new StepNetwork([1]);
    net.elect(1);
    net.node(1).readIndex("solo");
    net.process(1);
    expect(net.readStates.get(1)).toEqual([{ index: net.node(1).status().commit, requestCtx: "solo" }]);
  });

  it("one quorum round answers every request queued before it, in order", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.filter = (m) => m.type !== "MsgHeartbeatResp";
    for (const ctx of ["a", "b", "c"]) {
      net.node(1).readIndex(ctx);
      net.process(1);
      net.deliverAll();
    }
    net.filter = undefined;
    net.tickAll(1);
    expect(net.readStates.get(1)!.map((r) => r.requestCtx)).toEqual(["a", "b", "c"]);
  });
});
