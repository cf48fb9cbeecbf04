// dockerd's restart policies while it runs: a container that exits on its own is started again
// after 100 ms, 200 ms, 400 ms ... (at most a minute, back to 100 ms after a run of 10 s), as
// its policy says; the user's stop or kill calls that off until the user starts it again.
import { describe, expect, it } from "vitest";
import type { Container, Program, ProgramContext, RestartPolicy } from "../../src/index";
import { world } from "./fixtures";

/** Exits with `code` `runMs` after it starts. */
class Crasher implements Program {
  constructor(
    private readonly runMs: number,
    private readonly code: number,
  ) {}
  start(ctx: ProgramContext): void {
    ctx.after(this.runMs, () => ctx.exit(this.code));
  }
}

function crashing(policy: RestartPolicy, runMs = 1000, code = 1) {
  const w = world();
  w.images.register({ name: "crasher", command: ["crash"], create: () => new Crasher(runMs, code) });
  const c = w.engine.run({ image: "crasher", name: "c", restartPolicy: policy });
  return { ...w, c };
}

/** The simulated times at which `c` starts, over `ms`. */
function startsOver(w: ReturnType<typeof crashing>, ms: number): number[] {
  const starts: number[] = [];
  w.engine.on((e) => {
    if (e.type === "start" && e.container === w.c) starts.push(w.sim.now());
  });
  w.sim.runFor(ms);
  return starts;
}

const always: RestartPolicy = { name: "always", maximumRetryCount: 0 };

describe("engine: restart policies while dockerd runs", () => {
  it("always: restarted after 100 ms, then twice as long each time, Restarting in between", () => {
    const w = crashing(always);
    w.sim.runFor(1000);
    expect(w.c.state).toBe("restarting");
    expect(w.c.status(w.sim.now() + 50)).toBe("Restarting (1) Less than a second ago");
    expect(w.c.isRunning).toBe(false);
    // Runs of 1 s each: exits at 1000, 2100, 3300, 4700 -> starts at 1100, 2300, 3700, 5500.
    expect(startsOver(w, 5000)).toEqual([1100, 2300, 3700, 5500]);
    expect(w.c.restartManager.count).toBe(4);
  });

  it("the delay goes back to 100 ms after a run of 10 s or more, and never passes a minute", () => {
    const long = crashing(always, 10_000);
    // exits at 10000 (+100), 20100 (+100: that run lasted 10 s as well)
    expect(startsOver(long, 21_000)).toEqual([10_100, 20_200]);
    const quick = crashing(always, 1);
    quick.sim.runFor(10 * 60_000);
    const gaps: number[] = [];
    let last = quick.sim.now();
    quick.engine.on((e) => {
      if (e.type === "start") {
        gaps.push(quick.sim.now() - last);
        last = quick.sim.now();
      }
    });
    quick.sim.runFor(5 * 60_000);
    expect(Math.max(...gaps)).toBe(60_001);
  });

  it("on-failure:2 restarts a failing container twice, and never one that exits 0", () => {
    const failing = crashing({ name: "on-failure", maximumRetryCount: 2 });
    expect(startsOver(failing, 60_000)).toEqual([1100, 2300]);
    expect(failing.c.state).toBe("exited");
    const clean = crashing({ name: "on-failure", maximumRetryCount: 0 }, 1000, 0);
    expect(startsOver(clean, 10_000)).toEqual([]);
    expect(clean.c.state).toBe("exited");
  });

  it("no policy: an exit is final", () => {
    const w = crashing({ name: "no", maximumRetryCount: 0 });
    expect(startsOver(w, 10_000)).toEqual([]);
    expect(w.c.state).toBe("exited");
  });

  it("docker stop calls the restart off, also between two runs; docker start arms it again from zero", () => {
    const running = crashing(always, 5000);
    running.sim.runFor(1000);
    running.engine.stop("c", { timeoutSec: 0 });
    expect(startsOver(running, 20_000)).toEqual([]);
    expect(running.c.state).toBe("exited");

    const between = crashing(always);
    between.sim.runFor(1050);
    expect(between.c.state).toBe("restarting");
    between.engine.stop("c");
    expect(between.c.state).toBe("exited");
    expect(startsOver(between, 20_000)).toEqual([]);
    between.engine.start("c");
    expect(between.c.restartManager.count).toBe(0);
    expect(startsOver(between, 2000)).toEqual([22_150]); // exits at 22 050, back after 100 ms
  });

  it("docker kill: SIGKILL calls it off; another signal the program dies of leaves always on, unless-stopped off", () => {
    const killed = crashing(always, 5000);
    killed.sim.runFor(1000);
    killed.engine.kill("c", "SIGKILL");
    expect(startsOver(killed, 20_000)).toEqual([]);

    const dies = (policy: RestartPolicy): Container => {
      const w = world();
      w.images.register({ name: "crasher", command: ["crash"], create: () => new Crasher(60_000, 1) });
      const c = w.engine.run({ image: "crasher", name: "c", init: true, restartPolicy: policy });
      w.sim.runFor(1000);
      w.engine.kill("c", "SIGUSR1"); // tini passes it on; the program dies of it
      w.sim.runFor(1000);
      return c;
    };
    expect(dies(always).state).toBe("running");
    expect(dies({ name: "unless-stopped", maximumRetryCount: 0 }).state).toBe("exited");
  });

  it("docker rm refuses a restarting container with Docker's words, and -f removes it for good", () => {
    const w = crashing(always);
    w.sim.runFor(1050);
    expect(() => w.engine.remove("c")).toThrow(
      'cannot remove container "/c": container is restarting: stop the container before removing or force remove',
    );
    expect(() => w.engine.pause("c")).toThrow(
      `Container ${w.c.id} is restarting, wait until the container is running`,
    );
    w.engine.remove("c", { force: true });
    expect(startsOver(w, 10_000)).toEqual([]);
    expect(w.engine.find("c")).toBeUndefined();
  });

  it("dockerd going down restarts nothing until it boots again", () => {
    const w = crashing(always);
    w.sim.runFor(1050);
    const m = w.sim.machine("node1");
    m.crash();
    expect(w.c.state).toBe("exited");
    w.sim.runFor(10_000);
    expect(w.c.state).toBe("exited");
  });
});
