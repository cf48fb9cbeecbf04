// What commands write to, and what a run returns: the stdout and stderr text, the two streams
// in the order they were written (for a terminal view), and the exit status.
import type { Job } from "./job";

export interface OutputChunk {
  stream: "stdout" | "stderr";
  text: string;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** stdout and stderr writes in order. */
  output: OutputChunk[];
}

/** Where one command's two streams go (a pipe, a redirection, or the terminal). */
export interface Sink {
  write(stream: "stdout" | "stderr", text: string): void;
  /** True when stdout reaches a terminal (isatty(1)); absent: it does not. */
  readonly isTerminal?: boolean;
}

/**
 * The most text one command line's output (or one pipe stage's, or one substitution's) may
 * hold: a JavaScript string stops at about 512 MiB ("Invalid string length"), and a loop that
 * doubles a variable gets there in a few dozen lines. Past it the rest is dropped, once said.
 */
export const MAX_OUTPUT_CHARS = 16 * 1024 * 1024;
export const OUTPUT_TRUNCATED = `sh: output truncated: more than ${MAX_OUTPUT_CHARS} characters (the lab's limit)\n`;

/** Collects chunks in order. */
export class BufferSink implements Sink {
  readonly chunks: OutputChunk[] = [];
  private size = 0;
  private full = false;

  write(stream: "stdout" | "stderr", text: string): void {
    if (text === "" || this.full) return;
    if (this.size + text.length > MAX_OUTPUT_CHARS) {
      this.full = true;
      text = OUTPUT_TRUNCATED;
      stream = "stderr";
    }
    this.size += text.length;
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.stream === stream) last.text += text;
    else this.chunks.push({ stream, text });
  }

  text(stream: "stdout" | "stderr"): string {
    return this.chunks
      .filter((c) => c.stream === stream)
      .map((c) => c.text)
      .join("");
  }

  result(exitCode: number): RunResult {
    return { stdout: this.text("stdout"), stderr: this.text("stderr"), exitCode, output: this.chunks };
  }
}

/** A pipe stage: stdout is captured for the next command, stderr goes on to `next`. */
export class PipeSink implements Sink {
  captured = "";
  private full = false;

  constructor(private readonly next: Sink) {}

  write(stream: "stdout" | "stderr", text: string): void {
    if (stream !== "stdout") this.next.write(stream, text);
    else if (this.full) return;
    else if (this.captured.length + text.length > MAX_OUTPUT_CHARS) {
      this.full = true;
      this.next.write("stderr", OUTPUT_TRUNCATED);
    } else this.captured += text;
  }
}

/** Sends each stream to a chosen target (redirections: >/dev/null, 2>&1, >&2). */
export class RedirectSink implements Sink {
  constructor(
    private readonly next: Sink,
    private readonly targets: Record<"stdout" | "stderr", "stdout" | "stderr" | "null">,
  ) {}

  get isTerminal(): boolean {
    return this.next.isTerminal === true && this.targets.stdout === "stdout";
  }

  write(stream: "stdout" | "stderr", text: string): void {
    const to = this.targets[stream];
    if (to !== "null") this.next.write(to, text);
  }
}

/** Thrown by a handler to end with a message and an exit status (the message is printed as is). */
export class DockerCliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Runs a job that writes to a sink into a fresh buffer; returns what it wrote and its status. */
export function* captured(start: (sink: Sink) => Job<number>): Job<RunResult> {
  const sink = new BufferSink();
  const status = yield* start(sink);
  return sink.result(status);
}
