// A live lab on a process's streams, as `swarm-sim lab` runs it: the session (session.ts), its
// first terminal on stdin/stdout (raw keystrokes on a terminal; whole lines from a pipe), the
// pacer (pacer.ts: the wall clock), the real ports (real-ports.ts) and the session file.
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { Lab } from "../lab";
import { Pacer } from "./pacer";
import { publishedPorts, RealPorts } from "./real-ports";
import { LiveSession, type SessionRecorder } from "./session";
import { eventLine, headerLine } from "./session-file";
import type { TerminalOptions } from "./terminal";

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

/** Runs a live lab until it ends (exit at node1, or the end of piped input). */
export function runLiveLab(lab: Lab, options: LiveLabOptions): Promise<LiveSession> {
  const { input, output } = options;
  const tty = input.isTTY === true && typeof input.setRawMode === "function";
  const recorder = options.sessionPath ? fileRecorder(options.sessionPath) : undefined;
  const session = new LiveSession(lab, { recorder, sessionPath: options.sessionPath });
  if (options.banner) output.write(options.banner.endsWith("\n") ? options.banner : `${options.banner}\n`);
  const term = session.openTerminal({
    mode: tty ? "tty" : "lines",
    stdoutIsTerminal: output.isTTY === true,
    columns: output.columns,
    rows: output.rows,
    completer: options.completer,
  });
  term.onOutput((text) => output.write(text));
  const ports = options.ports
    ? new RealPorts({
        offset: options.ports.offset,
        published: () => publishedPorts(lab.node1),
        send: (req, done) => session.sendHttp(req, done),
        notify: (text) => session.terminal(1)?.notice(text),
        epochNow: () => lab.sim.epochMs + lab.sim.now(),
      })
    : undefined;
  const pacer = new Pacer(session, { speed: options.speed ?? 1, afterTick: () => ports?.sync() });
  session.clock = pacer;
  const onData = (d: Buffer | string) => term.input(typeof d === "string" ? d : d.toString("utf8"));
  const onEnd = () => term.endInput();
  const onResize = () => term.resize(output.columns ?? 80, output.rows ?? 24);
  return new Promise((resolve) => {
    session.onEnd(() => {
      pacer.stop();
      ports?.close();
      recorder?.close();
      input.removeListener("data", onData);
      input.removeListener("end", onEnd);
      (output as NodeJS.EventEmitter).removeListener?.("resize", onResize);
      if (tty) input.setRawMode?.(false);
      input.pause();
      resolve(session);
    });
    if (tty) input.setRawMode?.(true);
    input.on("data", onData);
    input.on("end", onEnd);
    (output as NodeJS.EventEmitter).on?.("resize", onResize);
    input.resume();
    pacer.start();
    term.begin();
    ports?.sync();
  });
}
