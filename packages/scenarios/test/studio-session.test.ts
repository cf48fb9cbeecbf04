// The studio in the lab the CLI runs (DockerCoins plugged in): a session typed through the
// studio's protocol (as a browser's terminal types), DockerCoins' hashes/s on the timeline
// (about one worker's rate, then twice that), a seek back to before the scaling, and the
// session file replaying through `swarm-sim replay` to the session's trace hash. Then
// `swarm-sim lab --web-port` itself (its flags, the URL it prints, its session file).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dockercoinsStudioMetric } from "@swarm-sim/dockercoins-sim";
import { Lab, LiveLab, parseSessionFile, type ServerMessage, Studio } from "@swarm-sim/swarmkit-sim";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../src/cli/main";
import { replay } from "../src/cli/replay";
import { labPlugins } from "../src/lab-plugins";

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a) => void out.push(a.join(" ")));
  const error = vi.spyOn(console, "error").mockImplementation((...a) => void err.push(a.join(" ")));
  const write = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
    out.push(String(s));
    return true;
  });
  try {
    const code = await main(argv);
    return { code, out: out.join(""), err: err.join("\n") };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
}

describe("the studio on the CLI's lab", () => {
  afterEach(() => vi.restoreAllMocks());

  it("shows DockerCoins' rate, goes back to before the scaling, and the session replays to its hash", () => {
    const makeLab = () => new Lab({ seed: 11, services: true, plugins: labPlugins() });
    let wall = 0;
    const lines: string[] = [];
    const live = new LiveLab({
      lab: makeLab(),
      makeLab,
      speed: 10,
      wallNow: () => wall,
      recorder: { header: (h) => lines.push(JSON.stringify(h)), event: (e) => lines.push(JSON.stringify(e)) },
    });
    const first = live.openTerminal({ mode: "tty" });
    const studio = new Studio(live, { metrics: [dockercoinsStudioMetric()], wallNow: () => wall });
    first.begin();
    const got: ServerMessage[] = [];
    const page = studio.join({ send: (m) => got.push(m) });
    live.pacer.start("manual");
    const tick = (ms: number) => {
      for (let done = 0; done < ms; done += 100) {
        wall += 100;
        live.pacer.tick();
      }
    };
    const type = (line: string) =>
      page.receive(JSON.stringify({ type: "input", term: 1, data: `${line}\r` }));
    type("git clone https://github.com/jpetazzo/container.training");
    tick(500);
    type("cd container.training/dockercoins");
    type("docker compose up -d");
    tick(9000); // 90 simulated seconds at 10x
    const points = () => {
      const all = got.flatMap((m) => (m.type === "timeline" ? (m.timeline.metrics[0]?.points ?? []) : []));
      return all.slice(-6).reduce((a, p) => a + p.value, 0) / Math.min(6, all.length);
    };
    const one = points();
    expect(one).toBeGreaterThan(2.8);
    expect(one).toBeLessThan(3.8);
    type("docker compose up -d --scale worker=2");
    tick(9000);
    const two = points();
    expect(two / one).toBeGreaterThan(1.7);
    expect(two / one).toBeLessThan(2.3);
    // The scaling's marker: back to just before it.
    const scale = got
      .flatMap((m) => (m.type === "timeline" ? m.timeline.events : []))
      .find((e) => e.text === "docker compose up -d --scale worker=2")!;
    expect(scale).toMatchObject({ kind: "change" });
    // (A short replay may finish before receive() returns: listen first.)
    const done = new Promise<void>((resolve, reject) => {
      live.onSwitch(() => {
        try {
          const workers = (name: string) =>
            live.lab.node(name).components.get("engine") as
              | { containers(): { config: { name: string } }[] }
              | undefined;
          expect(
            workers("node1")!
              .containers()
              .map((c) => c.config.name)
              .filter((n) => n.includes("worker")),
          ).toEqual(["dockercoins-worker-1"]);
          page.receive(JSON.stringify({ type: "resume" }));
          type("docker compose stop worker");
          tick(2000);
          live.end();
          const dir = mkdtempSync(join(tmpdir(), "swarm-sim-studio-"));
          const path = join(dir, "session.jsonl");
          writeFileSync(path, `${lines.join("\n")}\n`);
          const file = parseSessionFile(readFileSync(path, "utf8"));
          expect(file.events.filter((e) => e.type === "seek")).toHaveLength(1);
          const out: string[] = [];
          const err: string[] = [];
          vi.spyOn(console, "log").mockImplementation((s: string) => void out.push(s));
          vi.spyOn(console, "error").mockImplementation((s: string) => void err.push(s));
          expect(replay(path)).toBe(0);
          expect(err.join("\n")).toContain("the trace hash is the session's");
          resolve();
        } catch (e) {
          reject(e);
        }
      });
    });
    page.receive(JSON.stringify({ type: "seek", t: scale.t, inputs: scale.inputs }));
    return done;
  });

  it("swarm-sim lab: --web-port's checks, and a live lab on a script serving the studio", async () => {
    expect(await capture(["lab", "--web-port", "7000", "--no-web", "--speed", "2"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("--web-port and --no-web cannot be used together"),
    });
    expect(await capture(["lab", "--web-port", "70000", "--speed", "2"])).toMatchObject({
      code: 2,
      err: expect.stringContaining('invalid value "70000" for --web-port: a port number (1-65535)'),
    });
    expect(await capture(["lab", "--web-port", "web", "--speed", "2"])).toMatchObject({
      code: 2,
      err: expect.stringContaining('invalid value "web" for --web-port'),
    });
    // Not on a terminal and no --speed: a transcript, which has no studio.
    expect(await capture(["lab", "--web-port", "7000"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("--web-port needs a live lab: run it on a terminal, or give --speed"),
    });

    const dir = mkdtempSync(join(tmpdir(), "swarm-sim-studio-cli-"));
    const script = join(dir, "lab.txt");
    writeFileSync(
      script,
      "docker run -d --privileged --name node2 docker:dind\ndocker ps --format '{{.Names}}'\n",
    );
    const session = join(dir, "session.jsonl");
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const r = await capture([
      "lab",
      "--script",
      script,
      "--speed",
      "20",
      "--no-ports",
      "--web-port",
      String(port),
      "--session",
      session,
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      `The studio (terminals, the cluster, a timeline that goes back, Raft in flight): http://127.0.0.1:${port}/`,
    );
    expect(r.out).toContain("node2\n");
    // The port is free again once the lab has ended.
    await new Promise<void>((resolve, reject) => {
      const s = createServer()
        .once("error", reject)
        .listen(port, "127.0.0.1", () => s.close(() => resolve()));
    });
    expect(parseSessionFile(readFileSync(session, "utf8")).events.at(-1)?.type).toBe("end");
  });
});
