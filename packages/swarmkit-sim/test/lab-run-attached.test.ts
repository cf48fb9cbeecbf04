// `docker run` without -d stays attached to the container, as the CLI does: its output streams
// until it exits (the CLI exits with its status), and Ctrl-C is forwarded to it as SIGINT
// (--sig-proxy, the default): dockerd in docker:dind shuts down cleanly (exit 0), a program
// without a SIGINT handler (PID 1) ignores it. With --sig-proxy=false Ctrl-C ends the CLI (130)
// and the container keeps running.
import { describe, expect, it } from "vitest";
import type { ProgramContext } from "../src/engine/program";
import { Lab, LiveSession, type LiveTerminal } from "../src/lab/index";

function plain(s: string): string {
  return s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
}

/** A program that logs "tick N" every second; with `handlesInt` SIGINT makes it say so and exit 0. */
function tickerLab(seed: string): Lab {
  const lab = new Lab({ seed });
  for (const handlesInt of [false, true]) {
    lab.registerImage({
      name: handlesInt ? "lab/polite" : "lab/ticker",
      command: ["tick"],
      create: () => {
        let ctx: ProgramContext | undefined;
        return {
          handledSignals: handlesInt ? ["SIGINT"] : [],
          start(c) {
            ctx = c;
            let n = 0;
            const tick = () => {
              c.log(`tick ${++n}`);
              c.after(1000, tick);
            };
            c.after(1000, tick);
          },
          onSignal(sig) {
            ctx?.log(`got ${sig}, bye`);
            ctx?.exit(0);
          },
        };
      },
    });
  }
  lab.registerImage({
    name: "lab/short",
    command: ["short"],
    create: () => ({
      start(c) {
        c.log("working");
        c.after(3000, () => {
          c.log("failed", "stderr");
          c.exit(3);
        });
      },
    }),
  });
  return lab;
}

function live(lab: Lab) {
  const session = new LiveSession(lab, { recorder: { header() {}, event() {} } });
  const open = (): { term: LiveTerminal; out: () => string } => {
    const term = session.openTerminal();
    let text = "";
    term.onOutput((t) => (text += t));
    term.begin();
    return { term, out: () => plain(text) };
  };
  return { session, open };
}

const psStatus = (lab: Lab, name: string) =>
  lab.run(`docker ps -a --filter name=${name} --format '{{.Status}}'`).stdout.trim();

describe("docker run without -d in a live terminal", () => {
  it("stays attached to a docker:dind node; Ctrl-C makes dockerd shut down and the CLI exits 0", () => {
    const lab = new Lab({ seed: "run-dind" });
    const { session, open } = live(lab);
    const a = open();
    a.term.input("docker run --privileged --name node2 docker:dind\r");
    session.advanceTo(session.now + 10_000);
    expect(a.term.state).toBe("running");
    expect(a.out()).toMatch(/API listen on \/var\/run\/docker.sock/);
    a.term.input("\x03");
    expect(a.out()).toContain("^C");
    // dockerd takes a moment to shut down; the CLI waits for the container to exit.
    expect(a.term.state).toBe("running");
    session.advanceTo(session.now + 3000);
    expect(a.term.state).toBe("prompt");
    expect(psStatus(lab, "node2")).toMatch(/^Exited \(0\) /);
  });

  it("streams an engine container's output; Ctrl-C goes to the program (ignored without a handler)", () => {
    const lab = tickerLab("run-ticker");
    const { session, open } = live(lab);
    const a = open();
    const b = open();
    a.term.input("docker run --name t1 lab/ticker\r");
    session.advanceTo(session.now + 2500);
    expect(a.out()).toMatch(/tick 1\ntick 2\n/);
    expect(a.out()).not.toContain("tick 3");
    a.term.input("\x03");
    session.advanceTo(session.now + 2000);
    // PID 1 without a SIGINT handler ignores it: the CLI stays attached, the ticks go on.
    expect(a.term.state).toBe("running");
    expect(a.out()).toContain("tick 4\n");
    b.term.input("docker kill t1\r");
    session.advanceTo(session.now + 100);
    expect(a.term.state).toBe("prompt");
    a.term.input("echo $?\r");
    expect(a.out()).toMatch(/\n137\n/);

    a.term.input("docker run --name t2 lab/polite\r");
    session.advanceTo(session.now + 1500);
    a.term.input("\x03");
    session.advanceTo(session.now + 100);
    expect(a.term.state).toBe("prompt");
    expect(a.out()).toContain("got SIGINT, bye\n");
    expect(psStatus(lab, "t2")).toMatch(/^Exited \(0\) /);
  });

  it("--sig-proxy=false: Ctrl-C ends the CLI (130) and the container keeps running", () => {
    const lab = tickerLab("run-no-proxy");
    const { session, open } = live(lab);
    const a = open();
    a.term.input("docker run --sig-proxy=false --name t3 lab/polite\r");
    session.advanceTo(session.now + 1500);
    a.term.input("\x03");
    expect(a.term.state).toBe("prompt");
    a.term.input("echo $?\r");
    expect(a.out()).toMatch(/\n130\n/);
    expect(psStatus(lab, "t3")).toMatch(/^Up /);
  });
});

describe("docker run without -d in a transcript", () => {
  it("a program that ends by itself: its output in order, the CLI's status is its exit code", () => {
    const lab = tickerLab("run-short");
    const r = lab.run("docker run --rm lab/short");
    expect(r.exitCode).toBe(3);
    expect(r.output?.slice(-2)).toEqual([
      { stream: "stdout", text: "working\n" },
      { stream: "stderr", text: "failed\n" },
    ]);
    expect(lab.run("docker ps -a --format '{{.Image}}'").stdout).toBe("");
  });

  it("a docker:dind node stays attached to the shell; ^C later makes dockerd shut down (exit 0)", () => {
    const lab = new Lab({ seed: "run-dind-transcript" });
    const r = lab.run("docker run --privileged --name node2 docker:dind");
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/API listen on \/var\/run\/docker.sock"\n/);
    expect(r.stderr).toContain("[lab] docker run keeps running attached to this shell");
    expect(psStatus(lab, "node2")).toMatch(/^Up /);
    // The lecture goes on meanwhile: node1's other commands work.
    expect(lab.run("docker swarm init").exitCode).toBe(0);
    const stop = lab.run("^C");
    expect(stop.exitCode).toBe(0);
    expect(psStatus(lab, "node2")).toMatch(/^Exited \(0\) /);
  });
});
