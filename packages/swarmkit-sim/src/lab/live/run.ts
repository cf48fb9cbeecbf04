// A live lab on a process's streams, as `swarm-sim lab` runs it: the live lab (live-lab.ts: the
// session, the pacer, the real ports, going back in time), its first terminal on stdin/stdout
// (raw keystrokes on a terminal; whole lines from a pipe), the session file, and more
// front-ends if asked (the studio's web page: run.ts knows them only as FrontEnds).
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { Lab } from "../lab";
import { LiveLab } from "./live-lab";
import type { LiveSession, SessionRecorder } from "./session";
import { eventLine, headerLine } from "./session-file";
import type { TerminalOptions } from "./terminal";

/** Another way into the live lab (the studio's web server); closed when the lab ends. */
export interface FrontEnd {
  close(): void | Promise<void>;
}

export interface LiveLabOptions {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  output: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  /** Simulated time per wall-clock time (default 1). */
  speed?: number;
  /** Open node1's published ports on 127.0.0.1 (+ offset); absent: no real ports. */
  ports?: { offset: number };
  /** Record the session here (JSON lines). */
  sessionPath?: string;
  /** Printed before the first prompt. */
  banner?: string;
  completer?: TerminalOptions["completer"];
  /** A fresh lab as `lab` was built: lets the lab go back in time (the studio's timeline). */
  makeLab?: () => Lab;
  /** More front-ends, started once the session is open and before the clock runs. */
  frontEnds?: ((live: LiveLab) => FrontEnd | Promise<FrontEnd>)[];
}

/** Appends each record to the session file as it comes (a session cut short keeps its inputs). */
export function fileRecorder(path: string): SessionRecorder & { close(): void } {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, "w");
  let open = true;
  return {
    header: (h) => {
      if (open) writeSync(fd, headerLine(h));
    },
    event: (e) => {
      if (open) writeSync(fd, eventLine(e));
    },
    close: () => {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}

/** Runs a live lab until it ends (exit at node1, or the end of piped input); gives its last session. */
export async function runLiveLab(lab: Lab, options: LiveLabOptions): Promise<LiveSession> {
  const { input, output } = options;
  const tty = input.isTTY === true && typeof input.setRawMode === "function";
  const recorder = options.sessionPath ? fileRecorder(options.sessionPath) : undefined;
  const live = new LiveLab({
    lab,
    makeLab: options.makeLab,
    recorder,
    sessionPath: options.sessionPath,
    speed: options.speed,
    ports: options.ports,
  });
  if (options.banner) output.write(options.banner.endsWith("\n") ? options.banner : `${options.banner}\n`);
  const write = (text: string) => output.write(text);
  const first = live.openTerminal({
    mode: tty ? "tty" : "lines",
    stdoutIsTerminal: output.isTTY === true,
    columns: output.columns,
    rows: output.rows,
    completer: options.completer,
  });
  first.onOutput(write);
  // After a seek, terminal 1 is the replayed session's: it goes on here (the live lab says why).
  live.onSwitch(() => live.terminal(1)?.onOutput(write));
  const frontEnds: FrontEnd[] = [];
  try {
    for (const start of options.frontEnds ?? []) frontEnds.push(await start(live));
  } catch (e) {
    // (A front-end that cannot start, a port taken: nothing ran; the others close again.)
    await Promise.all(frontEnds.map((f) => f.close()));
    recorder?.close();
    throw e;
  }
  const onData = (d: Buffer | string) => {
    // Keys typed while the lab goes back in time are dropped (the terminal is being replaced).
    if (live.state !== "running") return;
    live.terminal(1)?.input(typeof d === "string" ? d : d.toString("utf8"));
  };
  const onEnd = () => live.terminal(1)?.endInput();
  const onResize = () => live.terminal(1)?.resize(output.columns ?? 80, output.rows ?? 24);
  return new Promise((resolve) => {
    live.onEnd(() => {
      recorder?.close();
      input.removeListener("data", onData);
      input.removeListener("end", onEnd);
      (output as NodeJS.EventEmitter).removeListener?.("resize", onResize);
      if (tty) input.setRawMode?.(false);
      input.pause();
      Promise.all(frontEnds.map((f) => f.close())).finally(() => resolve(live.session));
    });
    if (tty) input.setRawMode?.(true);
    input.on("data", onData);
    input.on("end", onEnd);
    (output as NodeJS.EventEmitter).on?.("resize", onResize);
    input.resume();
    live.start();
    first.begin();
  });
}
