// The real Ctrl-C: `swarm-sim lab` runs in a pseudo-terminal (Python's pty module, as a
// terminal emulator would run it), `docker compose up` is typed into it, and the byte Ctrl-C
// sends (0x03) stops the application as compose does: "Gracefully stopping...", redis and
// hasher exit at once, the others are killed after the 10 s stop timeout (the lab runs at 10x),
// and the prompt comes back. Then exit asks before ending the lab, and the recorded session
// replays to the same trace hash.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");
const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs");
const MAIN = join(ROOT, "packages/scenarios/src/cli/main.ts");

/** A pty: the child gets a 120x40 terminal; our stdin goes to it, its output comes to our stdout. */
const PTY_DRIVER = `
import fcntl, os, pty, select, struct, sys, termios
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    os.execvp(sys.argv[1], sys.argv[1:])
stdin_open = True
while True:
    r, _, _ = select.select([fd] + ([0] if stdin_open else []), [], [])
    if fd in r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        os.write(1, data)
    if 0 in r:
        data = os.read(0, 1024)
        if data:
            os.write(fd, data)
        else:
            stdin_open = False
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
`;

function plain(s: string): string {
  return s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "");
}

class Pty {
  private raw = "";
  readonly exited: Promise<number | null>;
  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on("data", (d: Buffer) => (this.raw += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (this.raw += d.toString("utf8")));
    this.exited = new Promise((r) => child.on("exit", (code) => r(code)));
  }
  get text(): string {
    return plain(this.raw);
  }
  type(keys: string): void {
    this.child.stdin.write(keys);
  }
  async waitFor(pattern: RegExp | string, after = 0, limitMs = 30_000): Promise<number> {
    const t0 = Date.now(); // wall-clock: waiting for a real process
    for (;;) {
      const text = this.text.slice(after);
      const i = typeof pattern === "string" ? text.indexOf(pattern) : text.search(pattern);
      if (i >= 0) return after + i;
      if (Date.now() - t0 > limitMs)
        // wall-clock: as above
        throw new Error(`timed out waiting for ${pattern}; the terminal shows:\n${this.text.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 50)); // wall-clock: as above
    }
  }
}

describe("swarm-sim lab in a pseudo-terminal", () => {
  it("a real Ctrl-C stops docker compose up as compose does", async () => {
    const session = join(mkdtempSync(join(tmpdir(), "swarm-sim-pty-")), "session.jsonl");
    const child = spawn(
      "python3",
      [
        "-c",
        PTY_DRIVER,
        process.execPath,
        TSX,
        MAIN,
        "lab",
        "--speed",
        "10",
        "--no-ports",
        "--session",
        session,
      ],
      { cwd: ROOT, env: { ...process.env, TERM: "xterm-256color" } },
    );
    const pty = new Pty(child);
    try {
      await pty.waitFor("[node1] ~ $ ");
      pty.type("git clone https://github.com/jpetazzo/container.training\r");
      await pty.waitFor("Cloning into 'container.training'...");
      pty.type("cd container.training/dockercoins\r");
      await pty.waitFor("[node1] ~/container.training/dockercoins $ ");
      pty.type("docker compose up\r");
      const attached = await pty.waitFor("Attaching to rng-1, hasher-1, webui-1, redis-1, worker-1");
      // It stays attached: the logs keep coming as the clock flows.
      await pty.waitFor(/worker-1 +\| INFO:__main__:\d+ units of work done/, attached);
      const beforeCtrlC = pty.text.length;
      pty.type("\x03");
      const stopping = await pty.waitFor(
        "^CGracefully stopping... (press Ctrl+C again to force)",
        beforeCtrlC,
      );
      const frame = await pty.waitFor("[+] Stopping 5/5", stopping);
      const stopped = pty.text.slice(stopping, frame);
      expect(stopped).toMatch(/hasher-1 exited with code 0/);
      expect(stopped).toMatch(/redis-1 exited with code 0/);
      expect(stopped).toMatch(/worker-1 exited with code 137/);
      expect(pty.text.slice(frame)).toMatch(/Container dockercoins-rng-1 +Stopped +10\.0s/);
      expect(pty.text.slice(frame)).toMatch(/Container dockercoins-hasher-1 +Stopped +0\.0s/);
      await pty.waitFor("[node1] ~/container.training/dockercoins $ ", frame);
      const ps = pty.text.length;
      pty.type("docker compose ps -a\r");
      await pty.waitFor(/dockercoins-worker-1 .* Exited \(137\)/, ps);
      expect(pty.text.slice(ps)).not.toMatch(/ Up /);
      pty.type("exit\r");
      await pty.waitFor("End the lab? [y/N]");
      pty.type("y\r");
      expect(await pty.exited).toBe(0);
    } finally {
      child.kill();
    }
    // The session, real Ctrl-C included, replays to the same trace hash.
    const r = spawnSync(process.execPath, [TSX, MAIN, "replay", session], { cwd: ROOT, encoding: "utf8" });
    expect(r.stderr).toContain("the trace hash is the session's");
    expect(r.status).toBe(0);
  });
});
