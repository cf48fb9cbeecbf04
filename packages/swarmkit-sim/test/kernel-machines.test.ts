import { describe, expect, it } from "vitest";
import { Sim } from "../src/kernel";

function pair(seed = 1) {
  const sim = new Sim({ seed });
  sim.net.setDefaultLink({ latency: { kind: "fixed", ms: 1 } });
  const a = sim.addMachine("a");
  const b = sim.addMachine("b");
  const got: { at: string; payload: unknown }[] = [];
  for (const m of [a, b]) m.listen(9, (msg) => got.push({ at: m.name, payload: msg.payload }));
  return { sim, a, b, got };
}

describe("network", () => {
  it("delivers after the link latency", () => {
    const { sim, a, b, got } = pair();
    a.send({ address: b.address, port: 9 }, "hi");
    sim.runFor(0.5);
    expect(got).toEqual([]);
    sim.runFor(0.5);
    expect(got).toEqual([{ at: "b", payload: "hi" }]);
  });

  it("partitions block delivery both ways and heal restores it", () => {
    const { sim, a, b, got } = pair();
    sim.net.partition([["a"], ["b"]]);
    a.send({ address: b.address, port: 9 }, 1);
    b.send({ address: a.address, port: 9 }, 2);
    sim.runFor(10);
    expect(got).toEqual([]);
    sim.net.heal();
    a.send({ address: b.address, port: 9 }, 3);
    b.send({ address: a.address, port: 9 }, 4);
    sim.runFor(10);
    expect(got.map((g) => g.payload).sort()).toEqual([3, 4]);
  });

  it("a message in flight when a partition starts is lost", () => {
    const { sim, a, b, got } = pair();
    a.send({ address: b.address, port: 9 }, 1);
    sim.runFor(0.5);
    sim.net.isolate("b");
    sim.runFor(10);
    expect(got).toEqual([]);
  });

  it("one-way cuts are one-way", () => {
    const { sim, a, b, got } = pair();
    sim.net.cut("a", "b");
    a.send({ address: b.address, port: 9 }, "a->b");
    b.send({ address: a.address, port: 9 }, "b->a");
    sim.runFor(10);
    expect(got).toEqual([{ at: "a", payload: "b->a" }]);
    expect(sim.net.canReach("a", "b")).toBe(false);
    expect(sim.net.canReach("b", "a")).toBe(true);
  });

  it("links are FIFO unless reordering is configured", () => {
    const { sim, a, b, got } = pair();
    sim.net.setLink("a", "b", { latency: { kind: "uniform", min: 1, max: 50 } });
    for (let i = 0; i < 200; i++) a.send({ address: b.address, port: 9 }, i);
    sim.runFor(100);
    expect(got.map((g) => g.payload)).toEqual(Array.from({ length: 200 }, (_, i) => i));

    got.length = 0;
    sim.net.setLink("a", "b", { latency: { kind: "uniform", min: 1, max: 50 }, reorder: 0.5 });
    for (let i = 0; i < 200; i++) a.send({ address: b.address, port: 9 }, i);
    sim.runFor(500);
    const order = got.map((g) => g.payload as number);
    expect(order.slice().sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(order).not.toEqual(order.slice().sort((x, y) => x - y));
  });

  it("loss drops about the configured share; duplication delivers twice", () => {
    const { sim, a, b, got } = pair();
    sim.net.setLink("a", "b", { latency: { kind: "fixed", ms: 1 }, loss: 0.3 });
    for (let i = 0; i < 2000; i++) a.send({ address: b.address, port: 9 }, i);
    sim.runFor(10);
    expect(got.length).toBeGreaterThan(1250);
    expect(got.length).toBeLessThan(1550);
    got.length = 0;
    sim.net.setLink("a", "b", { latency: { kind: "fixed", ms: 1 }, duplicate: 1 });
    a.send({ address: b.address, port: 9 }, "x");
    sim.runFor(10);
    expect(got.map((g) => g.payload)).toEqual(["x", "x"]);
  });

  it("a loss burst ends by itself", () => {
    const { sim, a, b, got } = pair();
    sim.net.lossBurst(1, 100);
    a.send({ address: b.address, port: 9 }, "lost");
    sim.runFor(200);
    a.send({ address: b.address, port: 9 }, "kept");
    sim.runFor(10);
    expect(got.map((g) => g.payload)).toEqual(["kept"]);
  });

  it("normal latency respects its floor", () => {
    const { sim, a, b, got } = pair();
    sim.net.setLink("a", "b", { latency: { kind: "normal", mean: 1, stddev: 5, floor: 0.5 } });
    const sent = sim.now();
    let first = Number.POSITIVE_INFINITY;
    b.listen(9, () => {
      first = Math.min(first, sim.now() - sent);
      got.push({ at: "b", payload: 0 });
    });
    for (let i = 0; i < 300; i++) a.send({ address: b.address, port: 9 }, i);
    sim.runFor(100);
    expect(first).toBeGreaterThanOrEqual(0.5);
  });
});

describe("machines and disks", () => {
  it("crash loses exactly the unsynced writes", () => {
    const sim = new Sim({ seed: 1 });
    const m = sim.addMachine("m");
    m.disk.write("a", 1);
    m.disk.append("log", "e1");
    m.disk.fsync();
    m.disk.write("a", 2);
    m.disk.write("b", 3);
    m.disk.append("log", "e2");
    m.disk.remove("a");
    expect(m.disk.read("a")).toBeUndefined();
    expect(m.disk.unsyncedCount()).toBe(4);
    m.crash();
    expect(m.disk.read("a")).toBe(1);
    expect(m.disk.read("b")).toBeUndefined();
    expect(m.disk.readLog("log")).toEqual(["e1"]);
    m.start();
    m.disk.append("log", "e3");
    m.disk.fsync();
    m.crash();
    expect(m.disk.readLog("log")).toEqual(["e1", "e3"]);
  });

  it("a clean stop syncs the disk", () => {
    const sim = new Sim({ seed: 1 });
    const m = sim.addMachine("m");
    m.disk.write("k", "v");
    m.stop();
    expect(m.disk.read("k")).toBe("v");
    m.start();
    m.crash();
    expect(m.disk.read("k")).toBe("v");
  });

  it("crash kills the machine's timers and listeners; restart boots again", () => {
    const sim = new Sim({ seed: 1 });
    const m = sim.addMachine("m", { start: false });
    let boots = 0;
    let ticks = 0;
    const halts: string[] = [];
    m.onBoot(() => {
      boots++;
      const tick = () => {
        ticks++;
        m.after(10, tick);
      };
      m.after(10, tick);
    });
    m.onHalt((_m, how) => halts.push(how));
    m.start();
    sim.runFor(100);
    expect(ticks).toBe(10);
    m.crash();
    sim.runFor(100);
    expect(ticks).toBe(10);
    expect(m.state).toBe("crashed");
    m.start();
    sim.runFor(50);
    expect(boots).toBe(2);
    expect(ticks).toBe(15);
    m.restart();
    expect(halts).toEqual(["crash", "stop"]);
    expect(boots).toBe(3);
  });

  it("pause holds timers and messages until resume", () => {
    const sim = new Sim({ seed: 1 });
    sim.net.setDefaultLink({ latency: { kind: "fixed", ms: 1 } });
    const a = sim.addMachine("a");
    const b = sim.addMachine("b");
    const seen: string[] = [];
    b.listen(1, (msg) => seen.push(`msg:${msg.payload}@${sim.now()}`));
    b.after(5, () => seen.push(`timer@${sim.now()}`));
    b.pause();
    a.send({ address: b.address, port: 1 }, "x");
    sim.runFor(20);
    expect(seen).toEqual([]);
    b.send({ address: a.address, port: 1 }, "from paused");
    b.resume();
    // Held work runs in the order it arrived: the message (t=1) before the timer (t=5).
    expect(seen).toEqual(["msg:x@20", "timer@20"]);
  });

  it("afterWith calls its shared function with the argument, held while paused, gone after a crash", () => {
    const sim = new Sim({ seed: 1 });
    const m = sim.addMachine("m");
    const seen: string[] = [];
    const note = (who: { name: string }) => seen.push(`${who.name}@${sim.now()}`);
    m.afterWith(5, note, { name: "x" });
    m.afterWith(6, note, { name: "y" });
    sim.runFor(5);
    expect(seen).toEqual(["x@5"]);
    m.pause();
    sim.runFor(10);
    expect(seen).toEqual(["x@5"]);
    m.resume();
    expect(seen).toEqual(["x@5", "y@15"]);
    m.afterWith(1, note, { name: "z" });
    m.crash();
    sim.runFor(10);
    expect(seen).toEqual(["x@5", "y@15"]);
    expect(() => m.afterWith(-1, note, { name: "w" })).toThrow(/delay must be >= 0/);
  });

  it("an object can listen (a Receiver), held while paused like a function", () => {
    const { sim, a, b } = pair();
    const got: unknown[] = [];
    const receiver = { receive: (msg: { payload: unknown }) => got.push(msg.payload) };
    const unlisten = b.listen(7, receiver);
    a.send({ address: b.address, port: 7 }, 1);
    sim.runFor(5);
    b.pause();
    a.send({ address: b.address, port: 7 }, 2);
    sim.runFor(5);
    expect(got).toEqual([1]);
    b.resume();
    expect(got).toEqual([1, 2]);
    unlisten();
    a.send({ address: b.address, port: 7 }, 3);
    sim.runFor(5);
    expect(got).toEqual([1, 2]);
    expect(b.isListening(7)).toBe(false);
  });

  it("a crashed machine neither sends nor receives", () => {
    const sim = new Sim({ seed: 1 });
    const a = sim.addMachine("a");
    const b = sim.addMachine("b");
    const seen: unknown[] = [];
    a.listen(1, (msg) => seen.push(msg.payload));
    b.listen(1, (msg) => seen.push(msg.payload));
    b.crash();
    a.send({ address: b.address, port: 1 }, "to crashed");
    b.send({ address: a.address, port: 1 }, "from crashed");
    sim.runFor(10);
    expect(seen).toEqual([]);
  });

  it("local clocks can be skewed", () => {
    const sim = new Sim({ seed: 1 });
    const m = sim.addMachine("m");
    sim.runFor(1000);
    m.setClockSkew(-500);
    expect(m.localNow()).toBe(500);
    expect(sim.now()).toBe(1000);
  });

  it("addresses are unique and machines have interfaces", () => {
    const sim = new Sim({ seed: 1 });
    const a = sim.addMachine("a", {
      interfaces: [
        { name: "eth0", address: "10.1.0.2" },
        { name: "eth1", address: "192.168.1.5" },
      ],
    });
    expect(a.addresses).toEqual(["10.1.0.2", "192.168.1.5"]);
    expect(() => sim.addMachine("b", { addresses: ["10.1.0.2"] })).toThrow(/in use/);
    expect(() => sim.addMachine("a")).toThrow(/already exists/);
    expect(sim.machineAt("192.168.1.5")?.name).toBe("a");
  });
});

describe("extra addresses", () => {
  it("an assigned address reaches its machine and can have its own listener", () => {
    const sim = new Sim({ seed: 1 });
    const a = sim.addMachine("a");
    const b = sim.addMachine("b");
    sim.assignAddress("b", "172.18.0.5");
    const seen: string[] = [];
    b.listen(80, () => seen.push("all"));
    b.listen(80, () => seen.push("container"), "172.18.0.5");
    a.send({ address: "172.18.0.5", port: 80 }, 1);
    a.send({ address: b.address, port: 80 }, 2);
    sim.runFor(10);
    expect(seen).toEqual(["container", "all"]);
    expect(() => sim.assignAddress("a", "172.18.0.5")).toThrow(/in use/);
    sim.releaseAddress("172.18.0.5");
    a.send({ address: "172.18.0.5", port: 80 }, 3);
    sim.runFor(10);
    expect(seen).toEqual(["container", "all"]);
    expect(b.addresses).toEqual([b.address]);
  });

  it("a machine's private address shadows a global one for it alone, and caches see the change", () => {
    const sim = new Sim({ seed: 1 });
    const a = sim.addMachine("a");
    const b = sim.addMachine("b");
    const c = sim.addMachine("c");
    sim.assignAddress("b", "172.18.0.9");
    const got: string[] = [];
    for (const m of [a, b]) m.listen(7, () => got.push(m.name), "172.18.0.9");
    a.send({ address: "172.18.0.9", port: 7 }, 1);
    sim.runFor(10);
    a.addPrivateAddress({ name: "docker0", address: "172.18.0.9" });
    a.send({ address: "172.18.0.9", port: 7 }, 2);
    c.send({ address: "172.18.0.9", port: 7 }, 3);
    sim.runFor(10);
    expect(got).toEqual(["b", "a", "b"]);
    a.removePrivateAddress("172.18.0.9");
    expect(a.isPrivate("172.18.0.9")).toBe(false);
  });

  it("a private address sending to another machine is masqueraded, and the answer comes back to it", () => {
    const sim = new Sim({ seed: 1 });
    const a = sim.addMachine("a");
    const b = sim.addMachine("b");
    a.addPrivateAddress({ name: "veth1", address: "172.17.0.2" });
    const seen: string[] = [];
    b.listen(80, (m) => {
      seen.push(m.from.address);
      b.send(m.from, "pong", 80);
    });
    a.listen(40000, (m) => seen.push(`answer ${m.payload}`), "172.17.0.2");
    a.send({ address: b.address, port: 80 }, "ping", 40000, "172.17.0.2");
    sim.runFor(10);
    expect(seen).toEqual([a.address, "answer pong"]);
  });
});
