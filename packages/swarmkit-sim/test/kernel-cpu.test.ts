// A machine's cores as a queue of work in simulated time (kernel/cpu.ts): operations start on
// the core that frees up first, take effect when their work is done, in order within a lane;
// work done within the quantum runs at once; charged work delays what queues after it; a crash
// loses queued work, a pause holds it.
import { describe, expect, it } from "vitest";
import { CpuLane, QUANTUM_MS, utilization } from "../src/kernel/cpu";
import { Sim } from "../src/kernel/sim";

function machine(cores: number) {
  const sim = new Sim({ seed: "cpu" });
  const m = sim.addMachine("m", { cores, memoryBytes: 2 ** 30 });
  const seen: [string, number][] = [];
  const op = (name: string) => () => seen.push([name, sim.now()]);
  return { sim, m, seen, op };
}

describe("a machine's CPU", () => {
  it("has the size it was made with, and the kernel's default otherwise (4 cores, 7.755 GiB)", () => {
    const sim = new Sim({ seed: 1 });
    expect(sim.addMachine("a", { cores: 2, memoryBytes: 1 }).cores).toBe(2);
    const b = sim.addMachine("b");
    expect([b.cores, b.memoryBytes]).toEqual([4, 8_326_963_200]);
  });

  it("is resized only while down (a VM resized between a stop and a start)", () => {
    const { m } = machine(1);
    expect(() => m.resize({ cores: 8 })).toThrow(/stop it before resizing it/);
    m.stop();
    m.resize({ cores: 8, memoryBytes: 32 * 2 ** 30 });
    m.start();
    expect([m.cores, m.memoryBytes, m.cpu.cores]).toEqual([8, 32 * 2 ** 30, 8]);
  });

  it("runs work one after another on one core, and in parallel on two", () => {
    const one = machine(1);
    for (const n of ["a", "b", "c"]) one.m.cpu.run(10, one.op(n));
    one.sim.runFor(100);
    expect(one.seen).toEqual([
      ["a", 10],
      ["b", 20],
      ["c", 30],
    ]);
    const two = machine(2);
    for (const n of ["a", "b", "c"]) two.m.cpu.run(10, two.op(n));
    two.sim.runFor(100);
    expect(two.seen).toEqual([
      ["a", 10],
      ["b", 10],
      ["c", 20],
    ]);
  });

  it("runs work that is done within the quantum at once: an idle machine adds no events", () => {
    const { sim, m, seen, op } = machine(1);
    const before = sim.pending();
    m.cpu.run(QUANTUM_MS / 2, op("quick"));
    expect(seen).toEqual([["quick", 0]]);
    expect(sim.pending()).toBe(before);
  });

  it("keeps a lane's order: a quick operation waits behind its lane's slow one, not another lane's", () => {
    const { sim, m, seen, op } = machine(2);
    const lane = new CpuLane();
    m.cpu.run(50, op("slow"), lane);
    m.cpu.run(0.1, op("same lane"), lane);
    m.cpu.run(0.1, op("other lane"), new CpuLane());
    sim.runFor(100);
    expect(seen).toEqual([
      ["other lane", 0],
      ["slow", 50],
      ["same lane", 50],
    ]);
  });

  it("charged work is not delayed, but what queues after it waits", () => {
    const { sim, m, seen, op } = machine(1);
    m.cpu.charge(30);
    expect(m.cpu.backlogMs()).toBe(30);
    m.cpu.run(5, op("after"));
    sim.runFor(100);
    expect(seen).toEqual([["after", 35]]);
  });

  it("loses queued work when the machine crashes, holds it while paused", () => {
    const crashed = machine(1);
    crashed.m.cpu.run(20, crashed.op("lost"));
    crashed.sim.runFor(5);
    crashed.m.crash();
    expect(crashed.m.cpu.backlogMs()).toBe(0);
    crashed.sim.runFor(100);
    expect(crashed.seen).toEqual([]);
    const paused = machine(1);
    paused.m.cpu.run(20, paused.op("held"));
    paused.m.pause();
    paused.sim.runFor(50);
    expect(paused.seen).toEqual([]);
    paused.m.resume();
    expect(paused.seen).toEqual([["held", 50]]);
  });

  it("counts the work done, for utilization over a window", () => {
    const { sim, m } = machine(2);
    const d0 = m.cpu.doneMs();
    m.cpu.run(40, () => {});
    m.cpu.run(40, () => {});
    m.cpu.run(40, () => {});
    sim.runFor(50);
    // 120 core-ms submitted; by t=50 two cores did 40 each and the third op 10 of its 40.
    expect(m.cpu.doneMs() - d0).toBe(90);
    expect(utilization(2, d0, m.cpu.doneMs(), 50)).toBeCloseTo(0.9);
  });
});
