// The network caches where an address lives (the sender's last destination, and the machine
// behind a reply's Source record). These tests move addresses between machines and check that
// messages always reach the machine holding the address when they are sent.
import { describe, expect, it } from "vitest";
import { type Message, Sim } from "../src/kernel";
import type { Source } from "../src/kernel/network";

function received(sim: Sim, name: string, port = 7): unknown[] {
  const got: unknown[] = [];
  sim.machine(name).listen(port, (m) => got.push(m.payload));
  return got;
}

describe("address caches", () => {
  it("a released address given to another machine gets the next message, not the old owner", () => {
    const sim = new Sim({ seed: 1 });
    const a = sim.addMachine("a");
    sim.addMachine("b");
    sim.addMachine("c");
    sim.assignAddress("b", "172.20.0.9");
    const atB = received(sim, "b");
    const atC = received(sim, "c");
    a.send({ address: "172.20.0.9", port: 7 }, 1);
    sim.runFor(10);
    sim.releaseAddress("172.20.0.9");
    sim.assignAddress("c", "172.20.0.9");
    a.send({ address: "172.20.0.9", port: 7 }, 2);
    sim.runFor(10);
    expect(atB).toEqual([1]);
    expect(atC).toEqual([2]);
  });

  it("a message to an address nobody holds any more is dropped", () => {
    const sim = new Sim({ seed: 1 });
    const a = sim.addMachine("a");
    sim.addMachine("b");
    sim.assignAddress("b", "172.20.0.9");
    const atB = received(sim, "b");
    a.send({ address: "172.20.0.9", port: 7 }, 1);
    sim.runFor(10);
    sim.releaseAddress("172.20.0.9");
    a.send({ address: "172.20.0.9", port: 7 }, 2);
    sim.runFor(10);
    expect(atB).toEqual([1]);
    expect(sim.net.stats.dropped).toBe(1);
  });

  it("a reply to a removed machine's Source goes to whoever holds its address now", () => {
    const sim = new Sim({ seed: 1 });
    const server = sim.addMachine("server");
    const old = sim.addMachine("old", { addresses: ["10.9.0.5"] });
    let source: Message["from"] | undefined;
    server.listen(7, (m) => {
      source = m.from;
    });
    old.send({ address: server.address, port: 7 }, "hello", 40000);
    sim.runFor(10);
    expect(source?.address).toBe("10.9.0.5");
    sim.removeMachine("old");
    sim.addMachine("new", { addresses: ["10.9.0.5"] });
    const atNew = received(sim, "new", 40000);
    server.send(source!, "answer", 7);
    sim.runFor(10);
    expect(atNew).toEqual(["answer"]);
  });

  it("a reply to a message sent from a borrowed address goes to the address's owner", () => {
    const sim = new Sim({ seed: 1 });
    const server = sim.addMachine("server");
    const sender = sim.addMachine("sender");
    sim.addMachine("owner", { addresses: ["10.9.0.7"] });
    const atOwner = received(sim, "owner", 5000);
    const atSender = received(sim, "sender", 5000);
    server.listen(7, (m) => server.send(m.from, "answer", 7));
    sender.send({ address: server.address, port: 7 }, "q", 5000, "10.9.0.7");
    sim.runFor(10);
    expect(atOwner).toEqual(["answer"]);
    expect(atSender).toEqual([]);
  });

  it("replies reach a container address of a machine, through the same Source each time", () => {
    const sim = new Sim({ seed: 1 });
    const server = sim.addMachine("server");
    const node = sim.addMachine("node");
    sim.assignAddress("node", "172.18.0.2");
    const got = received(sim, "node", 6000);
    const froms = new Set<unknown>();
    server.listen(7, (m) => {
      froms.add(m.from);
      server.send(m.from, m.payload, 7);
    });
    for (let i = 0; i < 3; i++) node.send({ address: server.address, port: 7 }, i, 6000, "172.18.0.2");
    sim.runFor(10);
    expect(got).toEqual([0, 1, 2]);
    expect(froms.size).toBe(1);
  });

  it("a Source record lists only machine, address and port", () => {
    const sim = new Sim({ seed: 1 });
    const a = sim.addMachine("a");
    const b = sim.addMachine("b");
    let from: Message["from"] | undefined;
    b.listen(7, (m) => {
      from = m.from;
    });
    a.send({ address: b.address, port: 7 }, 0, 1234);
    sim.runFor(10);
    expect(JSON.parse(JSON.stringify(from))).toEqual({ machine: "a", address: a.address, port: 1234 });
    expect(Object.isFrozen(from)).toBe(true);
  });

  it("reordering a machine's interfaces changes the address its messages come from", () => {
    const sim = new Sim({ seed: 1 });
    const a = sim.addMachine("a", { addresses: ["10.1.0.1", "10.2.0.1"] });
    const b = sim.addMachine("b");
    const froms: string[] = [];
    b.listen(7, (m) => froms.push(m.from.address));
    a.send({ address: b.address, port: 7 }, 1);
    a.sortInterfaces((x, y) => (x.address < y.address ? 1 : -1));
    a.send({ address: b.address, port: 7 }, 2);
    sim.runFor(10);
    expect(a.address).toBe("10.2.0.1");
    expect(froms).toEqual(["10.1.0.1", "10.2.0.1"]);
  });
});

describe("endpoints that remember their way (Sim.endpointAt, Machine.listenerFor, sendFrom)", () => {
  it("an endpoint made before its address moved still reaches the address's new holder", () => {
    const sim = new Sim({ seed: 1 });
    const a = sim.addMachine("a");
    sim.addMachine("b");
    sim.addMachine("c");
    sim.assignAddress("b", "172.20.0.9");
    const to = sim.endpointAt("172.20.0.9", 7);
    expect(sim.machineFor(to)?.name).toBe("b");
    const atB = received(sim, "b");
    const atC = received(sim, "c");
    a.send(to, 1);
    sim.runFor(10);
    sim.releaseAddress("172.20.0.9");
    sim.assignAddress("c", "172.20.0.9");
    expect(sim.machineFor(to)?.name).toBe("c");
    a.send(to, 2);
    sim.runFor(10);
    expect(atB).toEqual([1]);
    expect(atC).toEqual([2]);
  });

  it("an endpoint at an address nobody holds is a plain one, and nothing is found for it", () => {
    const sim = new Sim({ seed: 1 });
    const to = sim.endpointAt("10.99.0.1", 80);
    expect(to).toEqual({ address: "10.99.0.1", port: 80 });
    expect(sim.machineFor(to)).toBeUndefined();
  });

  it("the listener found for an endpoint follows listen, unlisten, bound listeners and a crash", () => {
    const sim = new Sim({ seed: 1 });
    const m = sim.addMachine("m");
    const to = sim.endpointAt(m.address, 80);
    expect(m.listenerFor(to)).toBeUndefined();
    const any = () => {};
    const stopAny = m.listen(80, any);
    expect(m.listenerFor(to)).toBe(any);
    const bound = () => {};
    const stopBound = m.listen(80, bound, m.address);
    expect(m.listenerFor(to)).toBe(bound);
    expect(m.listenerFor({ address: m.address, port: 80 })).toBe(bound);
    stopBound();
    expect(m.listenerFor(to)).toBe(any);
    stopAny();
    expect(m.listenerFor(to)).toBeUndefined();
    expect(m.listenerFor({ address: m.address, port: 80 })).toBeUndefined();
    m.listen(80, any);
    expect(m.listenerFor(to)).toBe(any);
    m.crash();
    expect(m.listenerFor(to)).toBeUndefined();
  });

  it("a plain endpoint's listener is looked up again after the listeners change", () => {
    const sim = new Sim({ seed: 1 });
    const m = sim.addMachine("m");
    const first = () => {};
    const second = () => {};
    m.listen(5, first);
    expect(m.listenerFor({ address: m.address, port: 5 })).toBe(first);
    m.listen(5, second);
    expect(m.listenerFor({ address: m.address, port: 5 })).toBe(second);
  });

  it("sendFrom sends from the endpoint's address and port, and from a fresh Source when it is not this machine's", () => {
    const sim = new Sim({ seed: 1 });
    const a = sim.addMachine("a");
    const b = sim.addMachine("b");
    sim.assignAddress("a", "172.20.0.4");
    const froms: Message["from"][] = [];
    b.listen(9, (msg) => froms.push(msg.from));
    a.sendFrom(sim.endpointAt("172.20.0.4", 81), { address: b.address, port: 9 }, 1);
    // An endpoint of another machine's address: sent from that address and port, as send() does.
    a.sendFrom(sim.endpointAt(b.address, 82), { address: b.address, port: 9 }, 2);
    a.sendFrom(a.sourceFor(83), { address: b.address, port: 9 }, 3);
    sim.runFor(10);
    expect(froms.map((f) => ({ ...f }))).toEqual([
      { machine: "a", address: "172.20.0.4", port: 81 },
      { machine: "a", address: b.address, port: 82 },
      { machine: "a", address: a.address, port: 83 },
    ]);
  });
});

describe("routes cached on Source records", () => {
  // An answer to a Source caches the listener it reached there. A closed client's listener
  // must not stay in that cache: the Source of its port lives as long as the machine, and the
  // listener's closure holds the whole client (a node's join clients stayed alive so).
  function answered(sim: Sim, handler: () => void, port = 40_000) {
    const a = sim.addMachine("a");
    const b = sim.addMachine("b");
    b.listen(7, (m: Message) => b.send(m.from, "answer", 7));
    const stop = a.listen(port, handler);
    a.send({ address: b.address, port: 7 }, "ask", port);
    sim.runFor(10);
    const route = (a.sourceFor(port) as Source).route;
    return { a, stop, route };
  }

  it("a port's listener, once gone, is dropped from its Source's route", () => {
    const handler = () => {};
    const { stop, route } = answered(new Sim({ seed: 1 }), handler);
    expect(route.listener).toBe(handler);
    stop();
    expect(route.listener).toBeUndefined();
  });

  it("a crash drops every listener the machine's Sources cached", () => {
    const handler = () => {};
    const { a, route } = answered(new Sim({ seed: 1 }), handler);
    expect(route.listener).toBe(handler);
    a.crash();
    expect(route.listener).toBeUndefined();
  });
});
