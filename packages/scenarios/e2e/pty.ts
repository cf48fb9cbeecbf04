// A program in a pseudo-terminal, as a terminal emulator runs it (Python's pty module): the
// child gets a 120x40 terminal; what we type goes to it, what it prints comes back. For the
// end-to-end tests of `swarm-sim lab`, which is live only on a terminal.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../../..");
export const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs");
export const MAIN = join(ROOT, "packages/scenarios/src/cli/main.ts");

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

/** Text without ANSI sequences and carriage returns. */
export function plain(s: string): string {
  return s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "");
}

export class Pty {
  private raw = "";
  readonly exited: Promise<number | null>;
  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on("data", (d: Buffer) => (this.raw += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (this.raw += d.toString("utf8")));
    this.exited = new Promise((r) => child.on("exit", (code) => r(code)));
  }

  /** `swarm-sim ARGS...` in a pseudo-terminal. */
  static swarmSim(args: string[]): Pty {
    const child = spawn("python3", ["-c", PTY_DRIVER, process.execPath, TSX, MAIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, TERM: "xterm-256color" },
    });
    return new Pty(child);
  }

  get text(): string {
    return plain(this.raw);
  }

  type(keys: string): void {
    this.child.stdin.write(keys);
  }

  kill(): void {
    this.child.kill();
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
