// Ctrl-C on `docker compose up`: SIGTERM to every container; the ones whose program handles it
// (redis, hasher's thin) exit at once, the others (rng's Flask, the Python worker, Node's webui:
// PID 1 with no handler) are killed after the 10-second stop timeout.
import { RunningJob } from "@swarm-sim/swarmkit-sim";
import { describe, expect, it } from "vitest";
import { composeLab } from "./compose-helpers";

describe("stopping DockerCoins", () => {
  it("Ctrl-C: redis and hasher exit at once (0); rng, worker and webui are killed after 10 s (137)", () => {
    const { sim, project, run } = composeLab(1);
    const up = run(project.up());
    expect(up.output.at(-1)).toBe("Attaching to rng-1, hasher-1, webui-1, redis-1, worker-1");
    sim.runFor(5000);
    const t0 = sim.now();
    const out = run(project.interrupt());
    expect(out[0]).toBe("Gracefully stopping... (press Ctrl+C again to force)");
    expect(out[1]).toBe("[+] Stopping 5/5");
    const exit = Object.fromEntries(
      project.containers({ all: true }).map((c) => [project.serviceOf(c)!, [c.exitCode, c.finishedAt - t0]]),
    );
    // redis shuts down at its next cron tick (every 100 ms); thin stops inside its handler.
    expect(exit.redis[0]).toBe(0);
    expect(exit.redis[1]).toBeLessThanOrEqual(100);
    expect(exit.hasher).toEqual([0, 0]);
    expect(exit.rng).toEqual([137, 10_000]);
    expect(exit.worker).toEqual([137, 10_000]);
    expect(exit.webui).toEqual([137, 10_000]);
    expect(out).toContain("hasher-1 exited with code 0");
    expect(out).toContain("redis-1 exited with code 0");
    expect(out).toContain("worker-1 exited with code 137");
    // The exits are reported in the order they happened.
    expect(out.indexOf("hasher-1 exited with code 0")).toBeLessThan(
      out.indexOf("rng-1 exited with code 137"),
    );
    expect(out.find((l) => l.includes("dockercoins-worker-1"))).toMatch(/Stopped\s+10\.0s$/);
  });

  it("a second Ctrl-C kills what is still running", () => {
    const { sim, project, run } = composeLab(2);
    run(project.up());
    sim.runFor(3000);
    const t0 = sim.now();
    // The first Ctrl-C: the stop is under way, and the job waits for it ...
    const stopping = new RunningJob(sim, project.interrupt());
    stopping.advance(1000);
    expect(stopping.jobState).toBe("waiting");
    // ... when the second comes (an Interrupt thrown into the job at its wait).
    stopping.interrupt();
    const end = stopping.outcome;
    if (end.kind !== "returned") throw new Error("the stop should end on its own");
    const out = end.value;
    expect(out[0]).toBe("Gracefully stopping... (press Ctrl+C again to force)");
    expect(out[1]).toBe("[+] Killing 3/3");
    for (const c of project.containers({ all: true })) {
      const s = project.serviceOf(c)!;
      if (s === "redis" || s === "hasher") expect(c.finishedAt - t0).toBeLessThanOrEqual(100);
      else expect([c.exitCode, c.finishedAt - t0]).toEqual([137, 1000]);
    }
  });

  it("`up -t 2` and a service's stop_grace_period shorten the wait", () => {
    const { sim, project, run } = composeLab(3);
    run(project.up({ timeoutSec: 2 }));
    sim.runFor(1000);
    const t0 = sim.now();
    run(project.interrupt());
    const worker = project.containers({ all: true, service: "worker" })[0];
    expect(worker.finishedAt - t0).toBe(2000);

    const lab2 = composeLab(3, {
      name: "dockercoins",
      services: { worker: { build: "worker", stop_grace_period: "1s" } },
    });
    lab2.run(lab2.project.up({ detach: true }));
    const t1 = lab2.sim.now();
    lab2.run(lab2.project.stop());
    expect(lab2.project.containers({ all: true })[0].finishedAt - t1).toBe(1000);
  });

  it("down stops (10 s for the ones ignoring SIGTERM), removes the containers and the network", () => {
    const { sim, engine, project, run } = composeLab(4);
    run(project.up({ detach: true }));
    sim.runFor(2000);
    const t0 = sim.now();
    const out = run(project.down());
    expect(sim.now() - t0).toBeGreaterThanOrEqual(10_000);
    expect(out[0]).toBe("[+] Running 6/6");
    expect(out.at(-1)).toMatch(/^ ✔ Network dockercoins_default\s+Removed\s+0\.\ds$/);
    expect(engine.containers({ all: true })).toEqual([]);
    expect(engine.findNetwork("dockercoins_default")).toBeUndefined();
    // The addresses went back: the machine holds no container address any more (a bridge's
    // addresses are the machine's own: the kernel's global table never had them).
    expect(engine.machine.isPrivate("172.18.0.2")).toBe(false);
    expect(engine.machine.addresses.filter((a) => a.startsWith("172.18."))).toEqual([]);
  });
});
