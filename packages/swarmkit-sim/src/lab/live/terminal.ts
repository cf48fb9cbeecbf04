// One terminal of a live lab: what a person types goes in as keystrokes, what the shell and its
// commands write comes out, as on a real terminal. It has its own prompt stack (so several
// terminals share one world, each on its own node and directory) and at most one foreground
// job, which the live loop (session.ts) advances with the clock.
//
// Keys, as a terminal's line discipline and the shell treat them:
//   at the prompt     line editing, history and Tab completion (node:readline over this
//                     terminal), Enter runs the line, Ctrl-C drops what was typed, Ctrl-D on an
//                     empty line leaves the shell (`exit`);
//   while a job runs  Ctrl-C interrupts it (docker compose up stops the application, a second
//                     Ctrl-C kills), a command's own quit key (q for top) ends it, anything
//                     else is typed ahead: echoed, and run once the job is done;
//   always            Ctrl-S stops the output, Ctrl-Q (or any other key, as the lecture's tip
//                     says) lets it flow again; what was written meanwhile comes then.
// `exit` or Ctrl-D at node1 of the lab's first terminal asks before ending the lab.
//
// Only what reaches the world is an input of the session (the session file records it with
// the simulated time): a line when it starts, a control key when it acts. A replay hands the
// same inputs to apply() at the same times, without keystrokes.
import { EventEmitter } from "node:events";
import { type Interface, createInterface } from "node:readline";
import type { Sink } from "../../cli/io";
import { INTERRUPTED_STATUS } from "../../cli/job";
import type { LabHost } from "../host";
import type { RunningJob } from "../host-loop";
import type { Shell } from "../node";
import type { PromptStack } from "../prompt-stack";
import type { SessionKey } from "./session-file";

/** prompt: waiting for a line; running: a foreground job; confirming: asked whether to end the lab; closed. */
export type TerminalState = "prompt" | "running" | "confirming" | "closed";

const TRANSITIONS: Record<TerminalState, readonly TerminalState[]> = {
  prompt: ["running", "confirming", "closed"],
  running: ["prompt", "confirming", "closed"],
  confirming: ["prompt", "closed"],
  closed: [],
};

/** What a terminal applies to the world (and the session records). */
export type TerminalInput = { type: "line"; text: string } | { type: "key"; key: SessionKey };

export interface TerminalOptions {
  /**
   * "tty": keystrokes with line editing (a terminal, a browser's xterm); "lines": whole lines
   * (a pipe), each echoed after its prompt as a transcript shows it.
   */
  mode?: "tty" | "lines";
  /** Whether the commands' stdout is a terminal (compose colours, stats and top redraw). Default: mode is "tty". */
  stdoutIsTerminal?: boolean;
  columns?: number;
  rows?: number;
  /** Write "\r\n" for "\n" (a browser's terminal without a line discipline). */
  crlf?: boolean;
  completer?: (line: string) => [string[], string];
}

/** What a terminal needs of its session. */
export interface TerminalOwner {
  readonly host: LabHost;
  /** The session records an input that reached the world, stamped with the simulated time. */
  recordInput(term: number, input: TerminalInput): void;
  /** An input was applied (a `sleep` it started jumps now). */
  inputApplied(): void;
  /** What ending the lab loses, for the question `exit` at node1 asks. */
  endQuestion(): string;
  /** This terminal's stack ended (exit at node1): the lab ends with the first terminal. */
  stackEnded(term: LiveTerminal): void;
  /** The terminal's window went away (close()): the session records it and lets it go. */
  closeTerminal(id: number): void;
}

/** A fake input stream for readline: keystrokes are handed to it as 'data' events. */
class KeyInput extends EventEmitter {
  readonly isTTY = true;
  pause(): this {
    return this;
  }
  resume(): this {
    return this;
  }
}

/** A fake output stream for readline: what it writes goes to the terminal's output. */
class ScreenOutput extends EventEmitter {
  readonly isTTY = true;
  constructor(
    private readonly emitText: (s: string) => void,
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write(s: string): boolean {
    this.emitText(s);
    return true;
  }
}

const CTRL_C = "\x03";
const CTRL_D = "\x04";
const CTRL_Q = "\x11";
const CTRL_S = "\x13";
const BACKSPACE = new Set(["\x7f", "\b"]);

export class LiveTerminal {
  private stateNow: TerminalState = "prompt";
  private job: RunningJob<number> | undefined;
  /** The shell the running line runs in (its $? is set there). */
  private jobShell: Shell | undefined;
  private readonly sink: Sink;
  private readonly listeners = new Set<(text: string) => void>();
  /** Ctrl-S: output held until Ctrl-Q (or any key). */
  private flow: "flowing" | "stopped" = "flowing";
  private held: string[] = [];
  /** Lines typed while a job ran, run once it is done; and the line being typed. */
  private readonly typedAhead: string[] = [];
  private partial = "";
  private readonly rl: Interface | undefined;
  private readonly keys: KeyInput | undefined;
  private readonly screen: ScreenOutput | undefined;
  /** Whether output so far ends a line (where a prompt or ^C may start). */
  private atLineStart = true;
  private endOfInput = false;
  /** Whether the commands' stdout is a terminal (see TerminalOptions). */
  readonly stdoutIsTerminal: boolean;
  /** Keystrokes with line editing ("tty"), or whole lines ("lines"): see TerminalOptions. */
  readonly mode: "tty" | "lines";

  constructor(
    readonly id: number,
    private readonly owner: TerminalOwner,
    readonly stack: PromptStack,
    private readonly options: TerminalOptions = {},
  ) {
    this.mode = options.mode ?? "tty";
    const tty = this.mode === "tty";
    const stdoutIsTerminal = options.stdoutIsTerminal ?? tty;
    this.stdoutIsTerminal = stdoutIsTerminal;
    this.sink = {
      isTerminal: stdoutIsTerminal,
      write: (_stream, text) => this.emit(text),
    };
    if (tty) {
      this.keys = new KeyInput();
      this.screen = new ScreenOutput((s) => this.emit(s), options.columns ?? 80, options.rows ?? 24);
      this.rl = createInterface({
        input: this.keys as unknown as NodeJS.ReadableStream,
        output: this.screen as unknown as NodeJS.WritableStream,
        terminal: true,
        prompt: stack.prompt(),
        completer: options.completer,
        historySize: 1000,
      });
      this.rl.on("line", (line) => this.lineEntered(line));
    }
  }

  get state(): TerminalState {
    return this.stateNow;
  }

  /** The foreground job, while one runs (the live loop advances it). */
  get runningJob(): RunningJob<number> | undefined {
    return this.stateNow === "running" ? this.job : undefined;
  }

  isClosed(): boolean {
    return this.stateNow === "closed";
  }

  private moveTo(next: TerminalState): void {
    if (!TRANSITIONS[this.stateNow].includes(next))
      throw new Error(`LiveTerminal: cannot go from ${this.stateNow} to ${next}`);
    this.stateNow = next;
  }

  // ---- output ------------------------------------------------------------------------------

  onOutput(cb: (text: string) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  private emit(text: string): void {
    if (text === "") return;
    this.atLineStart = text.endsWith("\n");
    const out = this.options.crlf ? text.replace(/\r?\n/g, "\r\n") : text;
    if (this.flow === "stopped") {
      this.held.push(out);
      return;
    }
    for (const l of this.listeners) l(out);
  }

  /** Shows the first prompt (tty mode). */
  begin(): void {
    this.showPrompt();
  }

  /** A message from the lab itself (a port opened): on its own line, the prompt drawn again. */
  notice(text: string): void {
    if (this.stateNow === "closed") return;
    if (this.stateNow === "prompt" && this.rl) {
      this.emit("\r\x1b[K");
      this.emit(text);
      this.rl.prompt(true);
      return;
    }
    if (!this.atLineStart) this.emit("\n");
    this.emit(text);
  }

  resize(columns: number, rows: number): void {
    if (!this.screen) return;
    this.screen.columns = columns;
    this.screen.rows = rows;
    this.screen.emit("resize");
  }

  // ---- what the user types -----------------------------------------------------------------

  /** Keystrokes (tty mode) or text with whole lines (lines mode). */
  input(data: string): void {
    if (this.stateNow === "closed") return;
    if (!this.rl) {
      this.inputLines(data);
      return;
    }
    for (const key of splitKeys(data)) {
      // A key may end the lab (exit at node1, then y): the rest goes nowhere.
      if (this.isClosed()) return;
      this.key(key);
    }
  }

  private key(key: string): void {
    if (key === CTRL_S) {
      this.apply({ type: "key", key: "ctrl-s" });
      return;
    }
    if (key === CTRL_Q) {
      this.apply({ type: "key", key: "ctrl-q" });
      return;
    }
    // IXANY, as the lecture's tip says: any other key lets stopped output flow again.
    if (this.flow === "stopped") this.apply({ type: "key", key: "ctrl-q" });
    if (this.stateNow === "running") {
      this.keyWhileRunning(key);
      return;
    }
    if (key === CTRL_C) {
      if (this.stateNow === "confirming") {
        this.apply({ type: "line", text: "" });
        return;
      }
      this.cancelTyping();
      return;
    }
    if (key === CTRL_D && this.rl!.line === "") {
      this.apply({ type: "key", key: "ctrl-d" });
      return;
    }
    this.keys!.emit("data", key);
  }

  private keyWhileRunning(key: string): void {
    const wait = this.job?.waitingFor;
    if (key === CTRL_C) {
      this.apply({ type: "key", key: "ctrl-c" });
      return;
    }
    if (wait && wait.kind !== "until" && wait.quitKeys?.includes(key)) {
      this.apply({ type: "key", key: "quit" });
      return;
    }
    // Typed ahead: the terminal echoes it; the shell reads it when the job is done.
    if (key === "\r" || key === "\n" || key === "\r\n") {
      this.typedAhead.push(this.partial);
      this.partial = "";
      this.emit("\n");
    } else if (BACKSPACE.has(key)) {
      if (this.partial.length > 0) {
        this.partial = this.partial.slice(0, -1);
        this.emit("\b \b");
      }
    } else if (!/^[\x00-\x1f]/.test(key)) {
      this.partial += key;
      this.emit(key);
    }
  }

  /** Ctrl-C at the prompt: what was typed is dropped, a fresh prompt (the world is untouched). */
  private cancelTyping(): void {
    const rl = this.rl!;
    rl.write(null, { ctrl: true, name: "e" });
    rl.write(null, { ctrl: true, name: "u" });
    this.emit("^C\n");
    this.showPrompt();
  }

  private lineEntered(line: string): void {
    this.apply({ type: "line", text: line });
  }

  /** Lines mode: each complete line, echoed after its prompt, runs now or after the job. */
  private inputLines(data: string): void {
    this.partial += data;
    const parts = this.partial.split("\n");
    this.partial = parts.pop() ?? "";
    for (const raw of parts) {
      const line = raw.replace(/\r$/, "");
      // A script can say Ctrl-C: "^C" (twice: "^C^C") while a command runs attached.
      if (this.stateNow === "running" && this.typedAhead.length === 0 && /^(\^C)+$/.test(line.trim())) {
        this.emit(`${line.trim()}\n`);
        for (let i = 0; i < line.trim().length / 2; i++) this.apply({ type: "key", key: "ctrl-c" });
        continue;
      }
      this.typedAhead.push(line);
    }
    this.runTypedAhead();
  }

  /** Lines mode: the input ended; the lab ends once what was typed has run. */
  endInput(): void {
    if (this.partial !== "") {
      this.typedAhead.push(this.partial);
      this.partial = "";
    }
    this.endOfInput = true;
    this.runTypedAhead();
    this.checkEndOfInput();
  }

  /** Whether the input has ended and nothing typed is left to run (attached jobs aside). */
  get drained(): boolean {
    return (
      this.endOfInput &&
      this.typedAhead.length === 0 &&
      (this.stateNow !== "running" || this.job?.isAttached === true || this.redraws())
    );
  }

  /** The job redraws until Ctrl-C (docker stats, top): it never ends by itself. */
  private redraws(): boolean {
    const w = this.job?.waitingFor;
    return w?.kind === "for" && w.quitKeys !== undefined;
  }

  private checkEndOfInput(): void {
    if (this.drained && this.stateNow !== "closed") this.owner.stackEnded(this);
  }

  // ---- what reaches the world ----------------------------------------------------------------

  /** Applies an input (a live keystroke's, or a replay's) and records it. */
  apply(input: TerminalInput): void {
    if (this.stateNow === "closed") return;
    this.applyInput(input);
    this.owner.inputApplied();
  }

  private applyInput(input: TerminalInput): void {
    if (input.type === "line") {
      this.applyLine(input.text);
      return;
    }
    this.owner.recordInput(this.id, input);
    switch (input.key) {
      case "ctrl-s":
        this.flow = "stopped";
        return;
      case "ctrl-q": {
        this.flow = "flowing";
        const held = this.held;
        this.held = [];
        for (const text of held) for (const l of this.listeners) l(text);
        return;
      }
      case "ctrl-c":
      case "quit":
        this.interrupt(input.key === "ctrl-c");
        return;
      case "ctrl-d":
        this.endOfFile();
        return;
    }
  }

  private applyLine(text: string): void {
    if (this.stateNow === "confirming") {
      this.answer(text);
      return;
    }
    if (this.stateNow !== "prompt") {
      this.typedAhead.push(text);
      return;
    }
    this.owner.recordInput(this.id, { type: "line", text });
    if (text.trim() === "" || text.trim().startsWith("#")) {
      this.showPrompt();
      return;
    }
    const { shell, started } = this.owner.host.startLine(this.stack, text, this.sink);
    if (typeof started === "number") {
      this.afterLine();
      return;
    }
    this.job = started;
    this.jobShell = shell;
    this.moveTo("running");
    if (started.isDone) this.finishJob();
  }

  /** Ctrl-C (or a quit key) to the foreground job: it runs on to its next wait or its end. */
  private interrupt(echo: boolean): void {
    const job = this.runningJob;
    if (!job) return;
    if (echo) {
      // The line discipline echoes ^C and, on SIGINT, flushes what was typed ahead.
      this.emit("^C");
      this.typedAhead.length = 0;
      this.partial = "";
    }
    job.interrupt();
    if (job.isDone) this.finishJob();
  }

  /** Ctrl-D on an empty line: leaves the shell as `exit` does. */
  private endOfFile(): void {
    if (this.stateNow === "confirming") {
      this.answer("y");
      return;
    }
    if (this.stateNow !== "prompt") return;
    this.emit("exit\n");
    this.stack.leave();
    this.afterLine();
  }

  private answer(text: string): void {
    this.owner.recordInput(this.id, { type: "line", text });
    if (/^\s*(y|yes|exit)\s*$/i.test(text)) {
      this.stack.confirmEnd();
      this.afterLine();
      return;
    }
    this.stack.cancelEnd();
    this.moveTo("prompt");
    this.emit("[lab] the lab goes on.\n");
    this.showPrompt();
  }

  /** Called by the live loop after it advanced the clock: a job that ended gives the prompt back. */
  afterAdvance(): void {
    if (this.stateNow === "running" && this.job?.isDone) this.finishJob();
    if (this.stateNow === "prompt") this.runTypedAhead();
    this.checkEndOfInput();
  }

  private finishJob(): void {
    const job = this.job!;
    this.job = undefined;
    const end = job.outcome;
    // A line Ctrl-C ended sets $? (130) in the shell it ran in, as sh does for a killed command.
    if (end.kind === "interrupted") this.jobShell!.lastStatus = INTERRUPTED_STATUS;
    this.jobShell = undefined;
    if (!this.atLineStart) this.emit("\n");
    this.moveTo("prompt");
    this.afterLine();
  }

  /** After a line (or Ctrl-D): ask before ending the lab, end, or show the next prompt. */
  private afterLine(): void {
    const stack = this.stack.state;
    if (stack === "ended") {
      this.owner.stackEnded(this);
      return;
    }
    if (stack === "confirming") {
      if (this.stateNow !== "confirming") this.moveTo("confirming");
      this.emit(this.owner.endQuestion());
      if (this.rl) {
        this.rl.setPrompt("End the lab? [y/N] ");
        this.rl.prompt();
      }
      return;
    }
    this.showPrompt();
    this.runTypedAhead();
  }

  private showPrompt(): void {
    if (this.stateNow !== "prompt") return;
    if (!this.rl) return;
    this.rl.setPrompt(this.stack.prompt());
    this.rl.prompt();
    if (this.partial !== "" && this.typedAhead.length === 0) {
      const typed = this.partial;
      this.partial = "";
      this.rl.write(typed);
    }
  }

  /** Runs what was typed ahead, one line after the other, while none waits. */
  private runTypedAhead(): void {
    while ((this.stateNow === "prompt" || this.stateNow === "confirming") && this.typedAhead.length > 0) {
      const line = this.typedAhead.shift()!;
      const prompt = this.stateNow === "prompt" ? this.stack.prompt() : "";
      // A tty echoed the line as it was typed; a pipe's line shows after its prompt.
      if (!this.rl) this.emit(`${prompt}${line}\n`);
      else if (prompt !== "") this.emit(`${line}\n`);
      this.applyLine(line);
    }
  }

  /**
   * The terminal's window went away (a browser tab, a WebSocket): the session records it; the
   * lab's first terminal ends the lab.
   */
  close(): void {
    if (this.stateNow === "closed") return;
    this.owner.closeTerminal(this.id);
  }

  /** Shuts the terminal down (the session's part of closing): a job still running is dropped. */
  shutdown(): void {
    if (this.stateNow === "closed") return;
    const job = this.job;
    this.job = undefined;
    this.moveTo("closed");
    if (job && job.jobState === "waiting") {
      const { job: gen } = job.release();
      try {
        gen.return(INTERRUPTED_STATUS);
      } catch {
        // A job that fails while it is dropped has nothing left to report to.
      }
    }
    this.rl?.close();
    this.listeners.clear();
  }
}

/** Splits keystrokes into keys: control characters one by one, the rest in runs (escape sequences intact). */
export function splitKeys(data: string): string[] {
  const out: string[] = [];
  let run = "";
  for (let i = 0; i < data.length; i++) {
    const c = data[i];
    if (c === CTRL_C || c === CTRL_D || c === CTRL_Q || c === CTRL_S || c === "\r" || c === "\n") {
      if (run !== "") out.push(run);
      run = "";
      if (c === "\r" && data[i + 1] === "\n") {
        out.push("\r\n");
        i++;
      } else out.push(c);
    } else if (c === "\x1b") {
      if (run !== "") out.push(run);
      // An escape sequence: ESC [ params final, or ESC O x; else ESC alone.
      const m = /^\x1b(\[[0-9;]*[~A-Za-z]|O.)?/.exec(data.slice(i))!;
      out.push(m[0]);
      i += m[0].length - 1;
      run = "";
    } else if (BACKSPACE.has(c)) {
      if (run !== "") out.push(run);
      run = "";
      out.push(c);
    } else {
      run += c;
    }
  }
  if (run !== "") out.push(run);
  return out;
}
