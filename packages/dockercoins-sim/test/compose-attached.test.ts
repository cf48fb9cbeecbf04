// `docker compose up` attached, driven as a live lab will drive it: the line is a job, the
// clock runs in slices, the aggregated logs come out as they are written, the command stays
// attached as long as the user lets it (not the transcript's five seconds), and Ctrl-C stops
// the application as compose does (a second Ctrl-C kills).
import { BufferSink, INTERRUPTED_STATUS, Lab, RunningJob } from "@swarm-sim/swarmkit-sim";
import { describe, expect, it } from "vitest";
import { dockercoinsPlugin } from "../src/lab-plugin";

function attachedUp(seed: string) {
  const lab = new Lab({ seed, plugins: [dockercoinsPlugin()] });
  lab.run("git clone https://github.com/jpetazzo/container.training");
  lab.run("cd container.training/dockercoins");
  const sink = new BufferSink();
  const job = new RunningJob(lab.sim, lab.cli.lineJob("docker compose up", lab.currentShell(), sink));
  return { lab, job, out: () => sink.text("stdout") };
}

describe("docker compose up, attached, in a live lab", () => {
  it("streams the logs as they come, stays attached, and stops on Ctrl-C", () => {
    const { lab, job, out } = attachedUp("live");
    job.advance(500);
    expect(out()).toMatch(
      /^\[\+\] Running 6\/6\n[\s\S]*Attaching to rng-1, hasher-1, webui-1, redis-1, worker-1\n/,
    );
    const afterStart = out().length;
    job.advance(3000);
    expect(out().length).toBeGreaterThan(afterStart);
    expect(out()).toMatch(/\nworker-1\s+\| INFO:__main__:\d+ units of work done, updating hash counter\n/);
    // A minute later it is still in the foreground: only Ctrl-C ends it.
    job.advance(60_000);
    expect(job.isAttached).toBe(true);
    const t0 = lab.sim.now();
    job.interrupt();
    job.advance(20_000);
    expect(job.outcome).toEqual({ kind: "returned", value: INTERRUPTED_STATUS });
    const stop = out().slice(out().indexOf("Gracefully stopping"));
    expect(stop.split("\n").slice(0, 2)).toEqual([
      "Gracefully stopping... (press Ctrl+C again to force)",
      "[+] Stopping 5/5",
    ]);
    expect(stop).toContain("rng-1 exited with code 137\n");
    // rng, webui and the worker ignore SIGTERM: killed after the 10 s stop timeout.
    expect(lab.sim.now() - t0).toBeLessThan(20_000);
    expect(lab.run("docker compose ps -a").stdout).toMatch(/dockercoins-rng-1 .*Exited \(137\)/);
  });

  it("a second Ctrl-C while it stops kills what is left", () => {
    const { job, out } = attachedUp("live-twice");
    job.advance(3000);
    job.interrupt();
    job.advance(2000);
    job.interrupt();
    expect(job.isDone).toBe(true);
    expect(out()).toMatch(
      /Gracefully stopping\.\.\. \(press Ctrl\+C again to force\)\n\[\+\] Killing 3\/3\n/,
    );
  });
});
