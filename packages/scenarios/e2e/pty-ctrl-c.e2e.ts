// The real Ctrl-C: `swarm-sim lab` runs in a pseudo-terminal (Python's pty module, as a
// terminal emulator would run it), `docker compose up` is typed into it, and the byte Ctrl-C
// sends (0x03) stops the application as compose does: "Gracefully stopping...", redis and
// hasher exit at once, the others are killed after the 10 s stop timeout (the lab runs at 10x),
// and the prompt comes back. Then exit asks before ending the lab, and the recorded session
// replays to the same trace hash.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAIN, Pty, ROOT, TSX } from "./pty";

describe("swarm-sim lab in a pseudo-terminal", () => {
  it("a real Ctrl-C stops docker compose up as compose does", async () => {
    const session = join(mkdtempSync(join(tmpdir(), "swarm-sim-pty-")), "session.jsonl");
    const pty = Pty.swarmSim(["lab", "--speed", "10", "--no-ports", "--no-web", "--session", session]);
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
      pty.kill();
    }
    // The session, real Ctrl-C included, replays to the same trace hash.
    const r = spawnSync(process.execPath, [TSX, MAIN, "replay", session], { cwd: ROOT, encoding: "utf8" });
    expect(r.stderr).toContain("the trace hash is the session's");
    expect(r.status).toBe(0);
  });
});
