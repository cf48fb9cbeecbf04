import { describe, expect, it } from "vitest";
import { StepNetwork } from "../src";
import { sent } from "./helpers";

describe("leadership transfer", () => {
  it("to an up-to-date follower: TimeoutNow at once, and it wins the next term", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    const term = net.node(1).status().term;
    net.node(1).transferLeadership(2);
    const msgs = sent(net.node(1));
    expect(msgs.map((m) => [m.type, m.to])).toEqual([["MsgTimeoutNow", 2]]);
    for (const m of msgs) net.node(2).step(m);
    net.process(2);
    net.deliverAll();
    expect(net.leader()).toBe(2);
    expect(net.node(2).status().term).toBe(term + 1);
    expect(net.node(1).status().raftState).toBe("follower");
  });

  it("to a lagging follower: the leader first brings it up to date", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.isolate(3);
    for (let i = 0; i < 5; i++) net.propose(1, i);
    net.deliverAll();
    net.heal();
    const order: string[] = [];
    net.onReady = (_, rd) => {
      for (const m of rd.messages) if (m.to === 3 && m.from === 1) order.push(m.type);
    };
    net.node(1).transferLeadership(3);
    net.process(1);
    net.deliverAll();
    expect(order[0]).toBe("MsgApp");
    expect(order).toContain("MsgTimeoutNow");
    expect(net.leader()).toBe(3);
    expect(net.applied.get(3)).toEqual([0, 1, 2, 3, 4]);
  });

  it("proposals are refused while a transfer is in progress", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.isolate(3);
    net.node(1).transferLeadership(3);
    expect(net.node(1).status().leadTransferee).toBe(3);
    expect(net.node(1).propose("x")).toBe(false);
  });

  it("a transfer that cannot finish is abandoned after an election timeout", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.isolate(3);
    net.node(1).transferLeadership(3);
    net.tickAll(10);
    expect(net.node(1).status()).toMatchObject({ raftState: "leader", leadTransferee: 0 });
    expect(net.propose(1, "x")).toBe(true);
  });

  it("a transfer to itself or to a non-member is ignored", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.node(1).transferLeadership(1);
    net.node(1).transferLeadership(9);
    expect(net.node(1).status().leadTransferee).toBe(0);
  });

  it("a follower forwards a transfer request to the leader", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.node(2).transferLeadership(3);
    net.process(2);
    net.deliverAll();
    expect(net.leader()).toBe(3);
  });

  it("the transferee campaigns even inside the others' leader lease (CheckQuorum)", () => {
    const net = new StepNetwork([1, 2, 3], { config: { preVote: true } });
    net.elect(1);
    net.node(1).transferLeadership(2);
    net.process(1);
    net.deliverAll();
    expect(net.leader()).toBe(2);
  });
});
