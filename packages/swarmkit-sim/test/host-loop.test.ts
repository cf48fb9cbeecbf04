// The one owner of time (src/lab/host-loop.ts) and the jobs it drives: a handler that waits is
// resumed when what it waits for has come (not before, not at its limit); the same line gives
// the same output, clock and trace whether a transcript settles it at once or a live host runs
// it in slices; Ctrl-C reaches a running job at its wait; a pipeline, &&, a for loop and $(...)
// hold while a stage waits.
import { describe, expect, it } from "vitest";
import { DockerCli } from "../src/cli/dispatch";
import { BufferSink, captured } from "../src/cli/io";
import { attached, call, forMs, INTERRUPTED_STATUS, Interrupt, type Job } from "../src/cli/job";
import { Sim } from "../src/kernel/sim";
import { Lab } from "../src/lab/index";
import { RunningJob, runJob } from "../src/lab/host-loop";

/** A CLI whose handlers wait on the simulation: `docker info` answers 2.5 s after it asks. */
function waitingCli(sim: Sim) {
  const cli = new DockerCli<null>();
  cli.register(["info"], function* (_cmd, io) {
    const answer = yield* call<string>((done) => sim.after(2500, () => done(null, " Swarm: active")), 60_000);
    io.out(`${answer?.res ?? "timed out"}\n`);
    return 0;
  });
  // `docker node ls` never gets an answer: it gives up after its 10 s limit.
  cli.register(["node", "ls"], function* (_cmd, io) {
    const answer = yield* call<string>(() => {}, 10_000);
    io.err(answer ? "answered?\n" : "Error response from daemon: context deadline exceeded\n");
    return 1;
  });
  // `docker service logs --follow X`: a line every second until Ctrl-C; then it takes 1 s to stop,
  // unless a second Ctrl-C comes first.
  cli.register(["service", "logs"], function* (_cmd, io) {
    let ticks = 0;
    let shown = 0;
    const tick = () => {
      ticks++;
      sim.after(1000, tick);
    };
    sim.after(1000, tick);
    try {
      for (;;) {
        while (shown < ticks) io.out(`tick ${++shown}\n`);
        yield* attached(() => ticks > shown, "docker service logs --follow", false);
      }
    } catch (e) {
      if (!(e instanceof Interrupt)) throw e;
      io.out("stopping\n");
      try {
        yield* forMs(1000);
      } catch (again) {
        if (!(again instanceof Interrupt)) throw again;
        io.out("killed\n");
        return 137;
      }
      return INTERRUPTED_STATUS;
    }
  });
  // `docker service ps`: Ctrl-C is not its business (it does not catch the Interrupt).
  cli.register(["service", "ps"], function* (_cmd, io) {
    yield* forMs(60_000);
    io.out("never\n");
    return 0;
  });
  cli.register(["service", "ls"], function* (_cmd, io) {
    yield* forMs(3000);
    io.out("web\napi\n");
    return 0;
  });
  return cli;
}

function start(sim: Sim, cli: DockerCli<null>, line: string) {
  const sink = new BufferSink();
  const job = new RunningJob(sim, cli.lineJob(line, null, sink));
  return { sink, job, text: () => sink.text("stdout") + sink.text("stderr") };
}

describe("the host loop drives a waiting handler", () => {
  it("resumes it when its callback fires, not at the limit; gives up at the limit", () => {
    const sim = new Sim({ seed: "loop" });
    const cli = waitingCli(sim);
    const a = start(sim, cli, "docker info");
    expect(a.job.jobState).toBe("waiting");
    a.job.settle();
    expect(a.job.outcome).toEqual({ kind: "returned", value: 0 });
    expect(a.text()).toBe(" Swarm: active\n");
    expect(sim.now()).toBe(2500);

    const b = start(sim, cli, "docker node ls");
    b.job.settle();
    expect(sim.now()).toBe(12_500);
    expect(b.sink.result(1).stderr).toBe("Error response from daemon: context deadline exceeded\n");
  });

  it("in slices, a live host's way: the job waits across slices and resumes in the slice its answer comes", () => {
    const sim = new Sim({ seed: "loop" });
    const a = start(sim, waitingCli(sim), "docker info");
    a.job.advance(1000);
    a.job.advance(1000);
    expect(a.job.jobState).toBe("waiting");
    expect(sim.now()).toBe(2000);
    a.job.advance(1000);
    expect(a.job.isDone).toBe(true);
    // The job ended at 2.5 s; the rest of the slice is the host's.
    expect(sim.now()).toBe(2500);
    expect(a.text()).toBe(" Swarm: active\n");
  });

  it("a lab line gives the same output, clock and trace settled at once or run in 100 ms slices", () => {
    const script = [
      "docker swarm init",
      "docker run -d --privileged --name node2 docker:dind",
      "docker exec node2 docker swarm join --token $(docker swarm join-token -q worker) 192.168.1.10:2377",
      "sleep 5",
    ];
    const batch = new Lab({ seed: "slices", services: true });
    const live = new Lab({ seed: "slices", services: true });
    for (const l of script) {
      batch.run(l);
      live.run(l);
    }
    const line = "docker service create --name web --replicas 3 nginx";
    const settled = batch.run(line);
    // The live lab: the same step first, then the line as a job, advanced slice by slice.
    live.sim.runFor(live.stepMs);
    const sink = new BufferSink();
    const job = new RunningJob(live.sim, live.cli.lineJob(line, live.currentShell(), sink));
    let slices = 0;
    while (!job.isDone) {
      job.advance(100);
      slices++;
    }
    expect(slices).toBeGreaterThan(10);
    expect(settled.stdout).toMatch(/verify: Service [0-9a-z]{25} converged\n$/);
    expect(sink.text("stdout")).toBe(settled.stdout);
    expect(live.sim.now()).toBe(batch.sim.now());
    expect(live.sim.trace.hash()).toBe(batch.sim.trace.hash());
  });
});

describe("several jobs on one clock (a live lab's terminals)", () => {
  it("each resumes when its own wait is over, inside a slice; the clock moves once for all", () => {
    const sim = new Sim({ seed: "terminals" });
    const cli = waitingCli(sim);
    const info = start(sim, cli, "docker info");
    // 3 s of waiting, then `docker info` from that moment: its answer comes at 5.5 s.
    const ls = start(sim, cli, "docker service ls; docker info");
    const logs = start(sim, cli, "docker service logs --follow web");
    const jobs = [info.job, ls.job, logs.job];
    for (let i = 0; i < 3; i++) RunningJob.advanceAll(sim, jobs, 700);
    expect(sim.now()).toBe(2100);
    expect([info.text(), ls.text(), logs.text()]).toEqual(["", "", "tick 1\ntick 2\n"]);
    RunningJob.advanceAll(sim, jobs, 700);
    expect(info.text()).toBe(" Swarm: active\n");
    expect(info.job.isDone).toBe(true);
    for (let i = 0; i < 4; i++) RunningJob.advanceAll(sim, jobs, 700);
    expect(sim.now()).toBe(5600);
    expect(ls.text()).toBe("web\napi\n Swarm: active\n");
    expect(logs.text()).toBe("tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n");
    expect(logs.job.isAttached).toBe(true);
  });
});

describe("an interrupt delivered to a running job", () => {
  it("reaches the handler at its wait: its output streams as it comes, Ctrl-C stops it, twice kills", () => {
    const sim = new Sim({ seed: "ctrl-c" });
    const cli = waitingCli(sim);
    const once = start(sim, cli, "docker service logs --follow web; echo after");
    once.job.advance(2500);
    // Streamed: what came in the slices is out already, while the job still runs.
    expect(once.text()).toBe("tick 1\ntick 2\n");
    expect(once.job.isAttached).toBe(true);
    once.job.interrupt();
    expect(once.job.jobState).toBe("waiting");
    once.job.advance(5000);
    expect(once.job.outcome).toEqual({ kind: "returned", value: 0 });
    // The handler caught Ctrl-C and ended with 130; the line went on.
    expect(once.text()).toBe("tick 1\ntick 2\nstopping\nafter\n");
    expect(cli.shell.lastStatus).toBe(0);

    const twice = start(sim, cli, "docker service logs --follow web");
    twice.job.advance(1500);
    twice.job.interrupt();
    twice.job.interrupt();
    expect(twice.job.outcome).toEqual({ kind: "returned", value: 137 });
    expect(twice.text()).toBe("tick 1\nstopping\nkilled\n");
  });

  it("a command that does not catch Ctrl-C ends the whole line, as in sh", () => {
    const sim = new Sim({ seed: "ctrl-c" });
    const cli = waitingCli(sim);
    const r = start(sim, cli, "docker service ps web && echo next; echo after");
    r.job.advance(1000);
    r.job.interrupt();
    expect(r.job.outcome).toEqual({ kind: "interrupted" });
    expect(r.text()).toBe("");
    expect(sim.now()).toBe(1000);
  });

  it("the lab's ^C reaches a line the transcript left attached; with nothing attached it says so", () => {
    const lab = new Lab({ seed: "ctrl-c" });
    const cli = lab.cli;
    lab.registerDockerCommand(["compose", "up"], function* (_cmd, io) {
      const started = lab.sim.now();
      try {
        for (;;) yield* attached(() => false, "docker compose up", true);
      } catch (e) {
        if (!(e instanceof Interrupt)) throw e;
        io.out(`stopped after ${(lab.sim.now() - started) / 1000} s\n`);
        return INTERRUPTED_STATUS;
      }
    });
    const up = lab.run("docker compose up; echo after");
    expect(up.exitCode).toBe(0);
    expect(up.stderr).toContain("[lab] docker compose up keeps running attached to this shell");
    expect(up.stdout).toBe("");
    lab.run("sleep 10");
    const stop = lab.run("^C");
    // Parked for the 5 s it showed, the sleep's 10 s and two steps of 1 s.
    expect(stop.stdout).toBe("stopped after 17 s\nafter\n");
    expect(stop.exitCode).toBe(0);
    expect(cli.shell.lastStatus).toBe(0);
    expect(lab.run("^C").stderr).toBe("[lab] ^C: nothing runs in the foreground of this shell\n");
  });
});

describe("waiting stages in pipelines, lists, loops and substitutions", () => {
  it("a pipeline's later stages get the output of a first stage that waited", () => {
    const sim = new Sim({ seed: "pipes" });
    const cli = waitingCli(sim);
    const r = runJob(
      sim,
      captured((sink) => cli.lineJob("docker service ls | grep -c web", null, sink)),
    );
    expect(r).toMatchObject({ stdout: "1\n", exitCode: 0 });
    expect(sim.now()).toBe(3000);
  });

  it("&&, for and $(...) wait for each command in turn", () => {
    const sim = new Sim({ seed: "pipes" });
    const cli = waitingCli(sim);
    const run = (line: string) =>
      runJob(
        sim,
        captured((sink) => cli.lineJob(line, null, sink)),
      );
    expect(run("docker service ls >/dev/null && docker info").stdout).toBe(" Swarm: active\n");
    expect(sim.now()).toBe(5500);
    expect(run("for i in 1 2; do docker service ls | head -1; done").stdout).toBe("web\nweb\n");
    expect(sim.now()).toBe(11_500);
    expect(run('N=$(docker service ls | wc -l); echo "$N services"').stdout).toBe("2 services\n");
    expect(sim.now()).toBe(14_500);
  });

  it("the synchronous run() refuses a line that waits, with a message (no clock of its own)", () => {
    const sim = new Sim({ seed: "pipes" });
    expect(() => waitingCli(sim).run("docker info", null)).toThrow(/waits for the simulated world/);
  });
});

/** A job for the checks below: waits for `ms`, then says so. */
function* waits(ms: number): Job<string> {
  yield* forMs(ms);
  return `waited ${ms}`;
}

describe("runJob", () => {
  it("drives a job to its end; an attached job has no end there", () => {
    const sim = new Sim({ seed: "run" });
    expect(runJob(sim, waits(250))).toBe("waited 250");
    expect(sim.now()).toBe(250);
    expect(() =>
      runJob(
        sim,
        attached(() => false, "docker compose up", true),
      ),
    ).toThrow(/stays attached/);
  });
});
