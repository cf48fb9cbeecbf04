// No exception escapes the event loop of a user-facing simulation: with eventErrors "contain"
// (what the lab uses) an event that throws is kept and traced, and the simulation goes on; by
// default (tests) it ends the run, so a bug cannot hide. A program that throws crashes as a
// process does: its message (no stack trace) on stderr, exit status 1.
import { describe, expect, it } from "vitest";
import { Sim } from "../src/kernel/sim";
import { Lab } from "../src/lab/index";
import { world } from "./engine/fixtures";

function throwingWorld(eventErrors?: "throw" | "contain") {
  const sim = new Sim({ seed: 1, eventErrors });
  const m = sim.addMachine("m");
  let ticks = 0;
  const tick = () => {
    ticks++;
    m.after(100, tick);
  };
  m.after(100, tick);
  m.after(250, () => {
    throw new TypeError("Cannot read properties of undefined (reading 'x')");
  });
  return { sim, ticks: () => ticks };
}

describe("exceptions in events", () => {
  it("are contained and traced, and the simulation goes on (eventErrors: contain)", () => {
    const w = throwingWorld("contain");
    const before = w.sim.trace.hash();
    w.sim.runFor(1000);
    expect(w.ticks()).toBe(10);
    expect(w.sim.containedErrors).toEqual([
      { at: 250, message: "Cannot read properties of undefined (reading 'x')" },
    ]);
    expect(w.sim.trace.hash()).not.toBe(before);
  });

  it("end the run by default, so a test sees its bug", () => {
    const w = throwingWorld();
    expect(() => w.sim.runFor(1000)).toThrow(TypeError);
    expect(w.sim.containedErrors).toEqual([]);
  });

  it("the lab contains them: its line goes on and the lab stays usable", () => {
    const lab = new Lab({ seed: 3 });
    lab.sim.machine("node1").after(10, () => {
      throw new Error("boom");
    });
    const r = lab.run("sleep 1");
    expect(r.exitCode).toBe(0);
    expect(lab.sim.containedErrors.map((e) => e.message)).toEqual(["boom"]);
    expect(lab.run("docker swarm init").exitCode).toBe(0);
  });

  it("a program that throws exits 1 with its message on stderr, not a stack trace", () => {
    const { sim, engine, images } = world();
    images.register({
      name: "crasher",
      command: ["crash"],
      create: () => ({
        start(ctx) {
          ctx.after(100, () => {
            throw new RangeError("Invalid array length");
          });
        },
      }),
    });
    const c = engine.run({ image: "crasher" });
    sim.runFor(500);
    expect(c.state).toBe("exited");
    expect(c.exitCode).toBe(1);
    const logs = engine.logs(c.id).map((l) => l.text);
    expect(logs).toEqual(["Error: Invalid array length"]);
  });
});
