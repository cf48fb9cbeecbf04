// The network caches where an address lives (the sender's last destination, and the machine
// behind a reply's Source record). These tests move addresses between machines and check that
// messages always reach the machine holding the address when they are sent.
import { describe, expect, it } from "vitest";
import { type Message, Sim } from "../src/kernel";

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
