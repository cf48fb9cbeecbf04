// The live lab's terminals, session and pacer: keystrokes in, a terminal's output out, the
// clock run by hand (advanceTo) or by a pacer on a fake wall clock.
import { describe, expect, it } from "vitest";
import {
  Lab,
  LiveSession,
  type LiveTerminal,
  Pacer,
  parseSessionFile,
  type SessionEvent,
  SessionFileError,
  splitKeys,
} from "../src/lab/index";

/** Strips ANSI sequences and readline's redraws, keeping the text. */
function plain(s: string): string {
  return s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
}

function live(seed = "live"): { lab: Lab; session: LiveSession; events: SessionEvent[] } {
  const lab = new Lab({ seed });
  const events: SessionEvent[] = [];
  const session = new LiveSession(lab, { recorder: { header() {}, event: (e) => events.push(e) } });
  return { lab, session, events };
}

function open(session: LiveSession): { term: LiveTerminal; out: () => string; clear: () => void } {
  const term = session.openTerminal();
  let text = "";
  term.onOutput((t) => (text += t));
  term.begin();
  return { term, out: () => plain(text), clear: () => (text = "") };
}

describe("live terminals", () => {
  it("two terminals share one world, each with its own prompt stack; exit at node1 asks first", () => {
    const { lab, session, events } = live();
    const a = open(session);
    const b = open(session);
    a.term.input("docker run -d --privileged --name node2 docker:dind\r");
    session.advanceTo(session.now + 3000);
    b.term.input("docker exec -it node2 sh\r");
    expect(b.term.stack.prompt()).toBe("[node2] / # ");
    expect(a.term.stack.prompt()).toBe("[node1] ~ $ ");
    b.term.input("hostname\r");
    expect(b.out()).toContain("node2\n");
    // Ctrl-D in the second terminal leaves node2, then exit at its node1 closes it, not the lab.
    b.term.input("\x04");
    expect(b.term.stack.prompt()).toBe("[node1] ~ $ ");
    b.term.input("exit\r");
    expect(b.term.state).toBe("closed");
    expect(session.state).toBe("running");
    // exit at node1 of the lab's terminal asks, says what would be lost; n keeps the lab.
    a.term.input("exit\r");
    expect(a.term.state).toBe("confirming");
    expect(a.out()).toMatch(
      /exit at node1 ends the lab, and the simulated cluster with it: 2 machines \(node1, node2\), 1 container running/,
    );
    a.term.input("n\r");
    expect(a.out()).toContain("[lab] the lab goes on.");
    expect(a.term.state).toBe("prompt");
    expect(lab.exited).toBe(false);
    // Ctrl-D at node1 asks too; y ends the lab.
    a.term.input("\x04");
    expect(a.term.state).toBe("confirming");
    a.term.input("y\r");
    expect(session.state).toBe("ended");
    expect(lab.exited).toBe(true);
    expect(events.map((e) => e.type)).toEqual([
      "open",
      "open",
      "line",
      "line",
      "line",
      "key",
      "line",
      "close",
      "line",
      "line",
      "key",
      "line",
      "end",
    ]);
  });

  it("Ctrl-S holds the output until Ctrl-Q (or any key); lines typed while a job runs wait for it", () => {
    const { session } = live();
    const a = open(session);
    a.clear();
    a.term.input("sleep 2; echo one\r");
    // sleep jumps: the line is done at once.
    expect(a.term.state).toBe("prompt");
    expect(a.out()).toContain("one\n");
    // top draws a frame every 3 s: while the output is stopped, they wait.
    a.term.input("top\r");
    a.term.input("\x13");
    a.clear();
    session.advanceTo(session.now + 3500);
    expect(a.out()).toBe("");
    a.term.input("\x11");
    expect((a.out().match(/^top - /gm) ?? []).length).toBe(1);
    // Stopped again, any other key (here q, which also quits top) lets it flow.
    a.term.input("\x13");
    session.advanceTo(session.now + 3000);
    a.clear();
    a.term.input("q");
    expect((a.out().match(/^top - /gm) ?? []).length).toBe(1);
    expect(a.term.state).toBe("prompt");
    // Typed ahead while top runs: echoed, and run once q has ended top.
    a.clear();
    a.term.input("top\r");
    a.term.input("echo after\r");
    session.advanceTo(session.now + 1000);
    expect(a.out()).toContain("echo after\n");
    expect(a.out()).not.toContain("after\nafter");
    a.term.input("q");
    expect(a.out()).toContain("echo after\nafter\n");
    // Ctrl-C at the prompt drops what was typed.
    a.clear();
    a.term.input("echo never\x03");
    expect(a.out()).toContain("^C\n");
    expect(a.out()).not.toContain("never\n");
  });

  it("top redraws every 3 s until q; docker stats until Ctrl-C (130); a transcript shows one frame", () => {
    const { session } = live();
    const a = open(session);
    a.term.input("top\r");
    expect(a.term.state).toBe("running");
    const t0 = session.now;
    session.advanceTo(t0 + 6500);
    expect((a.out().match(/^top - /gm) ?? []).length).toBe(3);
    a.term.input("q");
    expect(a.term.state).toBe("prompt");
    expect(a.term.stack.current().lastStatus).toBe(0);
    a.clear();
    a.term.input("docker stats\r");
    session.advanceTo(session.now + 2500);
    expect((a.out().match(/CONTAINER ID/g) ?? []).length).toBe(3);
    a.term.input("\x03");
    expect(a.term.state).toBe("prompt");
    expect(a.term.stack.current().lastStatus).toBe(130);
    // Off a terminal (a transcript): one frame each, as before.
    const t = new Lab({ seed: "transcript" });
    expect((t.run("top").stdout.match(/^top - /gm) ?? []).length).toBe(1);
    expect(t.run("docker stats").stderr).toContain("the lab shows one frame");
  });

  it("each terminal's shell has its own $?", () => {
    const { session } = live();
    const a = open(session);
    const b = open(session);
    a.term.input("false\r");
    b.term.input("echo $?\r");
    expect(b.out()).toMatch(/\n0\n/);
    a.term.input("echo $?\r");
    expect(a.out()).toMatch(/\n1\n/);
    b.term.input("docker stats\r");
    session.advanceTo(session.now + 1500);
    b.term.input("\x03");
    b.term.input("echo $?\r");
    expect(b.out()).toMatch(/\n130\n/);
    a.clear();
    a.term.input("echo $?\r");
    expect(a.out()).toMatch(/\n0\n/);
  });

  it("docker logs -f follows a node's log until it stops (stopped from another terminal)", () => {
    const { session } = live();
    const a = open(session);
    const b = open(session);
    a.term.input("docker run -d --privileged --name node2 docker:dind\r");
    session.advanceTo(session.now + 3000);
    a.clear();
    a.term.input("docker logs -f node2\r");
    expect(a.term.state).toBe("running");
    b.term.input("docker stop node2\r");
    session.advanceTo(session.now + 12_000);
    expect(a.term.state).toBe("prompt");
    expect(a.out()).toMatch(/API listen on \/var\/run\/docker.sock/);
    expect(a.term.stack.current().lastStatus).toBe(0);
  });
});

describe("closing terminals", () => {
  it("a later terminal's close() is recorded and leaves the lab running; the first one's ends it", () => {
    const { session, events } = live();
    const a = open(session);
    const b = open(session);
    b.term.input("top\r");
    b.term.close();
    expect(b.term.state).toBe("closed");
    expect(session.terminal(2)).toBeUndefined();
    b.term.input("echo ignored\r");
    expect(session.state).toBe("running");
    a.term.input("echo still here\r");
    expect(a.out()).toContain("still here\n");
    a.term.close();
    expect(session.state).toBe("ended");
    expect(events.map((e) => e.type)).toEqual(["open", "open", "line", "close", "line", "end"]);
  });
});

describe("the session file", () => {
  it("validates every record and names the line", () => {
    const head = '{"kind":"swarm-sim-session","version":1,"seed":1,"services":false,"plugins":["lab"]}';
    const ok = parseSessionFile(
      `${head}\n{"t":0,"type":"open","term":1,"tty":true}\n{"t":5.5,"type":"line","term":1,"text":"docker ps"}\n`,
    );
    expect(ok.events).toHaveLength(2);
    const bad = (body: string) => () => parseSessionFile(`${head}\n${body}\n`);
    expect(bad('{"t":0,"type":"line","term":1}')).toThrow(/line 2: text must be a string/);
    expect(bad('{"t":-1,"type":"open","term":1,"tty":true}')).toThrow(/line 2: t must be/);
    expect(bad('{"t":0,"type":"key","term":1,"key":"ctrl-z"}')).toThrow(SessionFileError);
    expect(bad('{"t":2,"type":"open","term":1,"tty":true}\n{"t":1,"type":"close","term":1}')).toThrow(
      /line 3: time 1 is before/,
    );
    expect(bad('{"t":0,"type":"http","port":80,"method":"GET","path":"x","host":"h"}')).toThrow(
      /path must start/,
    );
    expect(bad('{"t":0,"type":"open","term":1,"tty":true,"extra":1}')).toThrow(/unknown field "extra"/);
    expect(() => parseSessionFile("{}\n")).toThrow(/not a swarm-sim session/);
    expect(() => parseSessionFile("nope\n")).toThrow(/line 1: not JSON/);
  });

  it("splits keystrokes into keys", () => {
    expect(splitKeys("ls\r\x03\x1b[Aab\x7f")).toEqual(["ls", "\r", "\x03", "\x1b[A", "ab", "\x7f"]);
  });
});

describe("the pacer", () => {
  it("follows the wall clock at its speed; pause stops it, a jump re-anchors it", () => {
    const { session } = live();
    let wall = 0;
    const pacer = new Pacer(session, { speed: 2, wallNow: () => wall });
    session.clock = pacer;
    pacer.start("manual");
    wall = 1000;
    pacer.tick();
    expect(session.now).toBe(2000);
    pacer.pause();
    wall = 3000;
    pacer.tick();
    expect(session.now).toBe(2000);
    pacer.resume();
    wall = 3500;
    pacer.tick();
    expect(session.now).toBe(3000);
    const a = open(session);
    a.term.input("sleep 60\r");
    expect(session.now).toBe(63_000);
    wall = 4000;
    pacer.tick();
    expect(session.now).toBe(64_000);
    pacer.setSpeed(10);
    wall = 4100;
    pacer.tick();
    expect(session.now).toBe(65_000);
  });
});
