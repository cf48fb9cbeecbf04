import { describe, expect, it } from "vitest";
import { exitCodeForSignal } from "../../src/engine/signals";
import { Engine, EngineError, ImageRegistry, Sim, parseSignal } from "../../src/index";
import { type Sleeper, world } from "./fixtures";

describe("engine: containers", () => {
  it("gives 64-hex IDs, 12-character hostnames, and Docker-style default names", () => {
    const { engine } = world();
    const c = engine.run({ image: "sleeper" });
    expect(c.id).toMatch(/^[0-9a-f]{64}$/);
    expect(c.shortId).toBe(c.id.slice(0, 12));
    expect(c.config.hostname).toBe(c.shortId);
    expect(c.name).toMatch(/^[a-z]+_[a-z]+\d?$/);
    expect(c.state).toBe("running");
    expect(engine.find(c.id.slice(0, 6))).toBe(c);
    expect(engine.find(`/${c.name}`)).toBe(c);
  });

  it("refuses a second container with the same name, with Docker's message", () => {
    const { engine } = world();
    const a = engine.create({ image: "sleeper", name: "web" });
    expect(() => engine.create({ image: "sleeper", name: "web" })).toThrow(
      `Conflict. The container name "/web" is already in use by container "${a.id}". You have to remove (or rename) that container to be able to reuse that name.`,
    );
  });

  it("reports a missing image and a missing container", () => {
    const { engine } = world();
    expect(() => engine.create({ image: "nope" })).toThrow("No such image: nope:latest");
    expect(() => engine.start("ghost")).toThrow("No such container: ghost");
  });

  it("stop: a program that handles SIGTERM exits at once with its own code", () => {
    const { sim, engine } = world();
    const c = engine.run({ image: "graceful", name: "g" });
    sim.runFor(1000);
    let doneAt = -1;
    engine.stop("g", {}, () => {
      doneAt = sim.now();
    });
    sim.runFor(20_000);
    expect(c.state).toBe("exited");
    expect(c.exitCode).toBe(0);
    expect(doneAt).toBeCloseTo(1050, 6); // its own 50 ms shutdown
  });

  it("stop: a program that ignores SIGTERM (PID 1) is killed after the 10 s timeout: 137", () => {
    const { sim, engine } = world();
    const c = engine.run({ image: "sleeper", name: "s" });
    sim.runFor(1000);
    engine.stop("s");
    sim.runFor(9999);
    expect(c.state).toBe("running");
    sim.runFor(1);
    expect(c.state).toBe("exited");
    expect(c.exitCode).toBe(137);
    expect(c.finishedAt).toBe(11_000);
  });

  it("stop: the call's timeout overrides the container's, which overrides the engine's", () => {
    const { sim, engine } = world();
    const a = engine.run({ image: "sleeper", stopTimeoutSec: 3 });
    const b = engine.run({ image: "sleeper", stopTimeoutSec: 3 });
    engine.stop(a.id);
    engine.stop(b.id, { timeoutSec: 1 });
    sim.runFor(1000);
    expect(b.state).toBe("exited");
    expect(a.state).toBe("running");
    sim.runFor(2000);
    expect(a.state).toBe("exited");
  });

  it("stop with a negative timeout waits forever; -t 0 kills at once", () => {
    const { sim, engine } = world();
    const a = engine.run({ image: "sleeper" });
    const b = engine.run({ image: "sleeper" });
    engine.stop(a.id, { timeoutSec: -1 });
    engine.stop(b.id, { timeoutSec: 0 });
    expect(b.exitCode).toBe(137);
    sim.runFor(3_600_000);
    expect(a.state).toBe("running");
  });

  it("under --init an unhandled SIGTERM terminates the program: 143", () => {
    const { sim, engine } = world();
    const c = engine.run({ image: "sleeper", init: true });
    engine.stop(c.id);
    expect(c.state).toBe("exited");
    expect(c.exitCode).toBe(143);
    expect(exitCodeForSignal("SIGTERM")).toBe(143);
    expect(sim.now()).toBe(0);
  });

  it("kill delivers the signal; SIGKILL is 137; an unhandled SIGINT is ignored by PID 1", () => {
    const { engine, programs } = world();
    const g = engine.run({ image: "graceful" });
    const s = engine.run({ image: "sleeper" });
    engine.kill(s.id, parseSignal("INT"));
    expect(s.state).toBe("running");
    engine.kill(s.id, parseSignal("9"));
    expect(s.exitCode).toBe(137);
    engine.kill(g.id, "SIGINT");
    expect((programs.get("graceful")![0] as Sleeper).received).toEqual(["SIGINT"]);
    expect(() => engine.kill(s.id)).toThrow(/is not running/);
  });

  it("timers die with the container: nothing of the program runs after exit", () => {
    const { sim, engine, programs } = world();
    const c = engine.run({ image: "sleeper" });
    sim.runFor(1000);
    const p = programs.get("sleeper")![0] as Sleeper;
    expect(p.ticks).toBe(10);
    engine.kill(c.id);
    sim.runFor(5000);
    expect(p.ticks).toBe(10);
  });

  it("pause holds the program's timers; unpause runs them; a paused container cannot be signalled", () => {
    const { sim, engine, programs } = world();
    const c = engine.run({ image: "sleeper" });
    sim.runFor(1000);
    const p = programs.get("sleeper")![0] as Sleeper;
    engine.pause(c.id);
    sim.runFor(5000);
    expect(p.ticks).toBe(10);
    expect(c.status(sim.now())).toBe("Up 6 seconds (Paused)");
    expect(() => engine.kill(c.id, "SIGTERM")).toThrow(/is paused/);
    engine.unpause(c.id);
    expect(p.ticks).toBe(11); // the held tick runs at once, then the rhythm resumes
    sim.runFor(1000);
    expect(p.ticks).toBe(21);
  });

  it("remove refuses a running container unless forced; --rm removes on exit", () => {
    const { engine } = world();
    const c = engine.run({ image: "sleeper", name: "x" });
    expect(() => engine.remove("x")).toThrow(
      'cannot remove container "/x": container is running: stop the container before removing or force remove',
    );
    engine.remove("x", { force: true });
    expect(engine.find("x")).toBeUndefined();
    expect(c.exitCode).toBe(137);
    const r = engine.run({ image: "sleeper", autoRemove: true, name: "r" });
    engine.kill(r.id);
    expect(engine.find("r")).toBeUndefined();
  });

  it("Status texts follow Docker: Created, Up ..., Exited (code) ... ago", () => {
    const { sim, engine } = world();
    const c = engine.create({ image: "sleeper" });
    expect(c.status(sim.now())).toBe("Created");
    engine.start(c.id);
    sim.runFor(500);
    expect(c.status(sim.now())).toBe("Up Less than a second");
    sim.runFor(90_000);
    expect(c.status(sim.now())).toBe("Up About a minute");
    engine.kill(c.id);
    sim.runFor(3 * 3_600_000);
    expect(c.status(sim.now())).toBe("Exited (137) 3 hours ago");
  });

  it("a crash of the machine leaves containers exited (255) and frees their addresses", () => {
    const { sim, engine } = world();
    engine.createNetwork("app");
    const c = engine.run({ image: "sleeper", network: "app" });
    const addr = c.address;
    // A bridge's addresses are the machine's own.
    expect(sim.machine("node1").isPrivate(addr)).toBe(true);
    sim.machine("node1").crash();
    expect(c.state).toBe("exited");
    expect(c.exitCode).toBe(255);
    expect(sim.machine("node1").isPrivate(addr)).toBe(false);
    sim.machine("node1").start();
    engine.start(c.id);
    expect(c.state).toBe("running");
  });

  it("logs keep stream and timestamp; --tail and --since select", () => {
    const { sim, engine } = world();
    const c = engine.run({ image: "graceful" });
    sim.runFor(2000);
    engine.stop(c.id);
    const lines = engine.logs(c.id);
    expect(lines.map((l) => l.text)).toEqual(["sleeper started", "got SIGTERM"]);
    expect(lines[1].epochMs).toBe(sim.epochMs + 2000);
    expect(engine.logs(c.id, { tail: 1 }).map((l) => l.text)).toEqual(["got SIGTERM"]);
    expect(engine.logs(c.id, { sinceMs: sim.epochMs + 1 }).length).toBe(1);
  });

  it("the same seed gives the same IDs, names and trace", () => {
    const run = () => {
      const { sim, engine } = world(42);
      engine.createNetwork("n");
      const a = engine.run({ image: "sleeper", network: "n" });
      const b = engine.run({ image: "graceful", network: "n" });
      sim.runFor(3000);
      engine.stop(a.id);
      engine.stop(b.id);
      sim.runFor(20_000);
      return [a.id, a.name, b.id, b.name, a.address, sim.trace.hash()];
    };
    expect(run()).toEqual(run());
  });

  it("one engine per machine", () => {
    const sim = new Sim({ seed: 1 });
    const m = sim.addMachine("m");
    const images = new ImageRegistry();
    expect(Engine.attach(m, { images })).toBe(Engine.attach(m, { images }));
    expect(Engine.of(m)).toBeDefined();
    expect(new EngineError("x", 404).statusCode).toBe(404);
  });
});
