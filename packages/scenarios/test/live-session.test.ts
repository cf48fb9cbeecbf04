// A live lab's session and its replay: commands typed as keystrokes into two terminals while
// the clock runs in uneven wall-clock-like slices, Ctrl-C on an attached `docker compose up`,
// an HTTP request from the real host into node1's published port, `exit` at node1 answered;
// then `swarm-sim replay SESSION` reruns the file to the same trace hash. A session whose
// Ctrl-C is moved by one simulated second replays to another hash (the test can fail).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Lab,
  LiveSession,
  parseSessionFile,
  type SessionEvent,
  type SessionHeader,
} from "@swarm-sim/swarmkit-sim";
import { afterEach, describe, expect, it, vi } from "vitest";
import { replay } from "../src/cli/replay";
import { labPlugins } from "../src/lab-plugins";

function record(): { text: string; out: string; answers: string[] } {
  const lines: string[] = [];
  const lab = new Lab({ seed: 7, services: true, plugins: labPlugins() });
  const session = new LiveSession(lab, {
    recorder: {
      header: (h: SessionHeader) => lines.push(JSON.stringify(h)),
      event: (e: SessionEvent) => lines.push(JSON.stringify(e)),
    },
  });
  const one = session.openTerminal();
  let out = "";
  one.onOutput((t) => (out += t));
  one.begin();
  // Uneven slices, as wall-clock ticks come.
  const slices = [17, 113, 40, 250, 9, 61];
  let k = 0;
  const run = (ms: number) => {
    const end = session.now + ms;
    while (session.now < end) session.advanceTo(Math.min(end, session.now + slices[k++ % slices.length]));
  };
  one.input("git clone https://github.com/jpetazzo/container.training\r");
  run(800);
  one.input("cd container.training/dockercoins\r");
  run(300);
  one.input("docker compose up\r");
  run(6000);
  // A second terminal on the same world, while the first stays attached.
  const two = session.openTerminal();
  two.input("docker ps --format '{{.Names}}' | sort\r");
  run(500);
  const answers: string[] = [];
  session.sendHttp({ port: 8000, method: "GET", path: "/json", host: "127.0.0.1:8000" }, (err, res) =>
    answers.push(err ? err.code : res!.text),
  );
  run(1500);
  one.input("\x03");
  run(12_000);
  one.input("sleep 3\r");
  one.input("exit\r");
  one.input("y\r");
  expect(session.state).toBe("ended");
  return { text: `${lines.join("\n")}\n`, out, answers };
}

describe("a live session and its replay", () => {
  afterEach(() => vi.restoreAllMocks());

  it("replays a recorded session (keystrokes, two terminals, Ctrl-C, HTTP) to the same trace hash", () => {
    const { text, out, answers } = record();
    // What the terminal showed: compose attached until Ctrl-C, then its graceful stop.
    expect(out).toMatch(/Attaching to rng-1, hasher-1, webui-1, redis-1, worker-1/);
    expect(out).toMatch(/\^CGracefully stopping\.\.\. \(press Ctrl\+C again to force\)\n/);
    expect(out).toMatch(/worker-1 exited with code 137/);
    // On a terminal compose colours each container's prefix, in its rainbow's order.
    expect(out).toContain("\x1b[36mrng-1     |\x1b[0m  * Serving Flask app 'rng'");
    expect(out).toContain("\x1b[33mhasher-1  |\x1b[0m ");
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatch(/^\{"coins":\d+,"hashes":"\d+","now":\d+/);
    const file = parseSessionFile(text);
    const types = file.events.map((e) => (e.type === "key" ? `key:${e.key}` : e.type));
    expect(types).toEqual([
      "open",
      "line",
      "line",
      "line",
      "open",
      "line",
      "http",
      "key:ctrl-c",
      "line",
      "line",
      "line",
      "end",
    ]);
    const end = file.events.at(-1) as { traceHash: string };

    const dir = mkdtempSync(join(tmpdir(), "swarm-sim-session-"));
    const path = join(dir, "session.jsonl");
    writeFileSync(path, text);
    const logs: string[] = [];
    vi.spyOn(console, "log").mockImplementation((s: string) => void logs.push(s));
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(replay(path)).toBe(0);
    expect(JSON.parse(logs[0]).traceHash).toBe(end.traceHash);

    // The same inputs with Ctrl-C one simulated second later: another run, another hash.
    const moved = text
      .split("\n")
      .map((l) =>
        l.includes('"ctrl-c"') ? l.replace(/"t":([\d.]+)/, (_m, t) => `"t":${Number(t) + 1000}`) : l,
      )
      .join("\n");
    writeFileSync(path, moved);
    logs.length = 0;
    expect(replay(path)).toBe(1);
    expect(JSON.parse(logs[0]).traceHash).not.toBe(end.traceHash);
    expect(readFileSync(path, "utf8")).toContain('"type":"end"');

    // A damaged file is refused with the line it breaks on (a usage error: exit 2 from the CLI).
    writeFileSync(path, text.replace('"type":"key"', '"type":"keys"'));
    expect(() => replay(path)).toThrow(/line 9: unknown record type "keys"/);
  });
});
