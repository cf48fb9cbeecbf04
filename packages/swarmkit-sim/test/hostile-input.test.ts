// Bad input that cannot hurt (issue 17): each line of the list, with Docker's, SwarmKit's
// or sh's answer, a clear error where those have none, and the lab usable afterwards. Work from
// one line is interruptible in the host loop's terms: a huge service and a long sleep are
// driven in slices with a wall-clock budget and cancelled with Ctrl-C.
import { describe, expect, it } from "vitest";
import { BufferSink } from "../src/cli/io";
import { INTERRUPTED_STATUS } from "../src/cli/job";
import { RunningJob } from "../src/lab/host-loop";
import { Lab } from "../src/lab/index";
import { swarmOf } from "../src/lab/world";

/** What no output may hold: a JavaScript error's text. */
const JS_ERROR =
  /TypeError|RangeError|ReferenceError|Maximum call stack|Invalid string length|Cannot read propert|is not a function|\n\s+at /;

function lab(seed = 1) {
  const l = new Lab({ seed, services: true });
  expect(l.run("docker swarm init").exitCode).toBe(0);
  return l;
}

function run(l: Lab, line: string) {
  const r = l.run(line);
  const text = r.stdout + r.stderr;
  expect(text, line).not.toMatch(JS_ERROR);
  return { code: r.exitCode, out: r.stdout, err: r.stderr };
}

describe("service specs: SwarmKit's checks and the CLI's parsing", () => {
  it("refuses negative delays and monitors, and a bad failure ratio, with SwarmKit's texts", () => {
    const l = lab();
    const refused: [string, string][] = [
      ["--restart-delay -5s", "TaskSpec: restart-delay cannot be negative"],
      ["--restart-window -1s", "TaskSpec: restart-window cannot be negative"],
      ["--update-delay -5s", "TaskSpec: update-delay cannot be negative"],
      ["--update-monitor -1s", "TaskSpec: update-monitor cannot be negative"],
      ["--rollback-delay -1s", "TaskSpec: update-delay cannot be negative"],
      ["--rollback-monitor -1s", "TaskSpec: update-monitor cannot be negative"],
      [
        "--update-max-failure-ratio 2",
        "TaskSpec: update-maxfailureratio cannot be less than 0 or bigger than 1",
      ],
      ["--limit-cpu 0.0001", "invalid cpu value 0.0001: Must be at least 0.001"],
      ["--reserve-memory 1k", "invalid memory value 1024: Must be at least 4MiB"],
    ];
    for (const [flags, text] of refused) {
      const r = run(l, `docker service create --name bad ${flags} nginx`);
      expect(r.code, flags).toBe(1);
      expect(r.err, flags).toBe(
        `Error response from daemon: rpc error: code = InvalidArgument desc = ${text}\n`,
      );
    }
    expect(run(l, "docker service ls -q").out).toBe("");
    // An update is checked the same way, and the service keeps its spec.
    expect(run(l, "docker service create -d --name web nginx").code).toBe(0);
    const upd = run(l, "docker service update --restart-delay -1s web");
    expect(upd.err).toContain("TaskSpec: restart-delay cannot be negative");
    expect(
      run(l, "docker service inspect --format '{{.Spec.TaskTemplate.RestartPolicy.Delay}}' web").out,
    ).toBe("5s\n");
    // The simulation went on: the service runs.
    l.run("sleep 10");
    expect(run(l, "docker service ls --format '{{.Replicas}}'").out).toBe("1/1\n");
  });

  it("replica counts: the CLI's uint64 parsing, and the simulator's bound", () => {
    const l = lab();
    const big = run(l, "docker service create --replicas 99999999999999999999 nginx");
    expect(big.code).toBe(125);
    expect(big.err).toContain(
      'invalid argument "99999999999999999999" for "--replicas" flag: strconv.ParseUint: parsing "99999999999999999999": value out of range',
    );
    expect(run(l, "docker service create -d --name web nginx").code).toBe(0);
    const scale = run(l, "docker service scale web=99999999999999999999");
    expect(scale).toMatchObject({
      code: 1,
      err: 'web: invalid replicas value 99999999999999999999: strconv.ParseUint: parsing "99999999999999999999": value out of range\n',
    });
    expect(run(l, "docker service scale web=-1").err).toBe(
      'web: invalid replicas value -1: strconv.ParseUint: parsing "-1": invalid syntax\n',
    );
    const million = run(l, "docker service create -d --replicas 1000000 nginx");
    expect(million.code).toBe(1);
    expect(million.err).toContain(
      "replicas: 1000000 is more than the simulator runs (at most 100000 per service)",
    );
    expect(run(l, "docker service scale web=18446744073709551615").err).toContain(
      "is more than the simulator runs",
    );
    expect(run(l, "docker service ls --format '{{.Name}} {{.Replicas}}'").out).toBe("web 1/1\n");
  });
});

describe("a line's work is bounded or interruptible with progress (the host loop's terms)", () => {
  /** Drives a line as a live host does: 100 ms slices, at most ~50 ms of wall time each. */
  function live(l: Lab, line: string) {
    const sink = new BufferSink();
    const job = new RunningJob(l.sim, l.cli.lineJob(line, l.currentShell(), sink));
    let slowest = 0;
    const slice = () => {
      const t0 = performance.now(); // wall-clock: the live host's budget per slice
      job.advance(100, () => performance.now() - t0 > 50); // wall-clock: the same budget
      slowest = Math.max(slowest, performance.now() - t0); // wall-clock: measured, not simulated
    };
    return { job, sink, slice, slowest: () => slowest };
  }

  it("a huge service is created, watched and cancelled", () => {
    const replicas = process.env.FUZZ ? 100_000 : 3000;
    const l = lab();
    const d = live(l, `docker service create --name big --replicas ${replicas} nginx`);
    const store = swarmOf(l.node("node1"))!.manager!.store;
    const counts: number[] = [];
    for (let i = 0; i < 40 && !d.job.isDone; i++) {
      d.slice();
      const s = store.serviceByName("big");
      counts.push(s ? store.tasksByService(s.id).length : 0);
    }
    expect(d.job.isDone).toBe(false);
    // Watched: the tasks come, slice after slice, while the command waits.
    expect(counts.at(-1)).toBeGreaterThan(0);
    // Cancelled: Ctrl-C ends the command at once; the service stays, as with Docker.
    d.job.interrupt();
    expect(d.job.isDone).toBe(true);
    expect(d.job.outcome).toEqual({ kind: "interrupted" });
    expect(d.sink.text("stdout")).toMatch(/^[0-9a-z]{25}\n/);
    expect(store.serviceByName("big")?.spec.mode).toEqual({ kind: "replicated", replicas });
    // Each slice gave the host its turn back (one event may overrun the budget, not the slice).
    expect(d.slowest()).toBeLessThan(process.env.FUZZ ? 15_000 : 5_000);
  }, 600_000);

  it("sleep and advance are waits a host can interrupt; their progress is the clock", () => {
    const l = lab();
    for (const line of ["sleep 1000h", "advance 1000h"]) {
      const t0 = l.sim.now();
      const d = live(l, line);
      for (let i = 0; i < 5; i++) d.slice();
      expect(l.sim.now() - t0).toBeGreaterThanOrEqual(500);
      d.job.interrupt();
      expect(d.job.outcome, line).toEqual({ kind: "interrupted" });
      expect(l.sim.now() - t0).toBeLessThan(3_600_000);
    }
    expect(INTERRUPTED_STATUS).toBe(130);
    expect(run(l, "docker node ls -q").out).toMatch(/^[0-9a-z]{25}\n$/);
  });
});

describe("the shell and templates: limits instead of crashes", () => {
  // Each heavy line in a test of its own: between tests the worker's event loop turns (a busy
  // machine makes each several times slower, and vitest's RPC must not wait over ~10 s).
  it("expands hundreds of thousands of words", () => {
    const l = lab();
    expect(run(l, "echo $(seq 1 200000) | wc -c").out).toBe("1288895\n");
    expect(run(l, "X=$(seq 1 130000); echo $X | wc -w").out).toBe("130000\n");
  });

  it("hands hundreds of thousands of words to a docker command, whose flag parser walks them once", () => {
    const l = lab();
    // A copy of the rest per word took over two minutes for this line, which the fuzzer found.
    expect(run(l, "docker service scale $(seq 1 200000)")).toMatchObject({
      code: 1,
      err: expect.stringContaining("invalid scale specifier '1'."),
    });
    expect(run(l, "docker node ps -q -- $(seq 1 200000)").err).toContain("node 1 not found");
  });

  it("refuses substitutions nested too deep", () => {
    const l = lab();
    const deep = `echo ${"$(echo ".repeat(1000)}x${")".repeat(1000)}`;
    expect(run(l, deep)).toMatchObject({
      code: 2,
      err: "sh: syntax error: substitutions and loops nested more than 64 deep\n",
    });
    expect(run(l, `echo ${"$(echo ".repeat(60)}x${")".repeat(60)}`).out).toBe("x\n");
  });

  it("refuses an expansion that would not fit", () => {
    const l = lab();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell line (${#X} is its length)
    const doubled = run(l, "X=ab; for i in $(seq 1 30); do X=$X$X; done; echo ${#X}");
    expect(doubled.out).toBe("16777216\n");
    expect(doubled.err).toContain(
      "sh: expansion too long: more than 16777216 characters (the lab's limit)\n",
    );
  });

  it("truncates an output that would not fit, and goes on", () => {
    const l = lab();
    const flood = run(l, "for i in $(seq 1 3); do seq 1 1000000; done | wc -l");
    expect(flood.err).toContain("sh: output truncated: more than 16777216 characters (the lab's limit)\n");
    expect(run(l, "echo still here").out).toBe("still here\n");
  });

  it("printf widths and precisions as Go's fmt (at most 10^6), pad within the lab's limit", () => {
    const l = lab();
    const f = (t: string) => run(l, `docker node ls --format '${t}'`);
    expect(f('{{printf "%0999999999d" 1}}').out).toBe("%!(NOVERB)%!(EXTRA int=1)\n");
    expect(f('{{printf "%.999999999f" 1.0}}').out).toBe("%!(NOVERB)%!(EXTRA float64=1)\n");
    expect(f('{{printf "%*d" 999999999 1}}').out).toBe("%!(BADWIDTH)1\n");
    expect(f('{{printf "%*d|%-*d|" 4 1 3 2}}').out).toBe("   1|2  |\n");
    expect(f('{{printf "%.*f" 2 3.14159}}').out).toBe("3.14\n");
    expect(f('{{printf "%.102f" 0.5}}').out).toBe(`0.5${"0".repeat(101)}\n`);
    expect(f("{{pad .ID 999999999 0}}")).toMatchObject({
      code: 1,
      err: expect.stringContaining(
        "error calling pad: result longer than 16777216 characters (the lab's limit)",
      ),
    });
    expect(f("{{pad .ID -1 0}}").err).toContain("error calling pad: strings: negative Repeat count");
  });

  it("swarm init --advertise-addr with port 0 is refused", () => {
    const l = new Lab({ seed: 2 });
    const r = run(l, "docker swarm init --advertise-addr 192.168.1.10:0");
    expect(r).toMatchObject({
      code: 1,
      err: "Error response from daemon: advertise address must be a non-zero IP address or network interface (with optional port number)\n",
    });
    expect(run(l, "docker info --format '{{.Swarm.LocalNodeState}}'").out).toBe("inactive\n");
    expect(run(l, "docker swarm init").code).toBe(0);
  });
});
