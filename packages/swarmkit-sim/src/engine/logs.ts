// A container's log, as the json-file driver keeps it: one entry per line with its stream and
// the daemon's timestamp. Busy servers log a line per request, so a line can be stored as a
// render function plus its argument and turned into text only when someone reads it, and
// lines live in columns of a ring buffer (no object per line): the hot path pays for a few
// array stores, not for date formatting or garbage. The ring keeps the newest `maxLines`
// lines, like a size-capped log.

export type LogStream = "stdout" | "stderr";

/** Renders a lazily stored line; `epochMs` is the line's timestamp. */
export type LogRender<A> = (epochMs: number, arg: A) => string;

export interface LogLine {
  /** Simulated wall-clock time (ms since the Unix epoch) when the line was written. */
  epochMs: number;
  stream: LogStream;
  text: string;
}

export type LogListener = (line: LogLine) => void;

/** Default cap on kept lines per container (older lines are dropped, like a rotated log). */
export const DEFAULT_MAX_LOG_LINES = 100_000;

const INITIAL_CAPACITY = 256;

export class ContainerLog {
  private times: Float64Array;
  private streams: Uint8Array;
  private texts: (string | undefined)[];
  private renders: (LogRender<any> | undefined)[];
  private args: unknown[];
  /** Index of the oldest kept line in the ring. */
  private head = 0;
  private size = 0;
  private readonly listeners = new Set<LogListener>();
  /** Lines written in total, including dropped ones. */
  written = 0;

  constructor(readonly maxLines = DEFAULT_MAX_LOG_LINES) {
    if (!(maxLines >= 1)) throw new Error(`ContainerLog: maxLines must be at least 1, got ${maxLines}`);
    const cap = Math.min(INITIAL_CAPACITY, maxLines);
    this.times = new Float64Array(cap);
    this.streams = new Uint8Array(cap);
    this.texts = new Array(cap);
    this.renders = new Array(cap);
    this.args = new Array(cap);
  }

  write(epochMs: number, stream: LogStream, text: string): void {
    // A multi-line write is several lines, as the driver splits on newlines.
    if (text.includes("\n")) {
      for (const part of text.replace(/\n$/, "").split("\n"))
        this.push(epochMs, stream, part, undefined, undefined);
      return;
    }
    this.push(epochMs, stream, text, undefined, undefined);
  }

  writeLazy<A>(epochMs: number, stream: LogStream, render: LogRender<A>, arg: A): void {
    this.push(epochMs, stream, undefined, render, arg);
  }

  private push(
    epochMs: number,
    stream: LogStream,
    text: string | undefined,
    render: LogRender<any> | undefined,
    arg: unknown,
  ): void {
    if (this.size === this.times.length && this.size < this.maxLines) this.grow();
    // Ring arithmetic by a compare and a subtraction: an integer `%` costs more, on a path
    // taken for every access-log line.
    const cap = this.times.length;
    let slot: number;
    if (this.size < cap) {
      slot = this.head + this.size;
      if (slot >= cap) slot -= cap;
      this.size++;
    } else {
      slot = this.head;
      this.head = slot + 1 === cap ? 0 : slot + 1;
    }
    this.times[slot] = epochMs;
    this.streams[slot] = stream === "stdout" ? 0 : 1;
    this.texts[slot] = text;
    this.renders[slot] = render;
    this.args[slot] = arg;
    this.written++;
    if (this.listeners.size > 0) {
      const line = this.lineAt(slot);
      for (const l of this.listeners) l(line);
    }
  }

  private grow(): void {
    const cap = this.times.length;
    const next = Math.min(this.maxLines, cap * 2);
    const times = new Float64Array(next);
    const streams = new Uint8Array(next);
    const texts: (string | undefined)[] = new Array(next);
    const renders: (LogRender<any> | undefined)[] = new Array(next);
    const args: unknown[] = new Array(next);
    for (let i = 0; i < this.size; i++) {
      const j = (this.head + i) % cap;
      times[i] = this.times[j];
      streams[i] = this.streams[j];
      texts[i] = this.texts[j];
      renders[i] = this.renders[j];
      args[i] = this.args[j];
    }
    this.times = times;
    this.streams = streams;
    this.texts = texts;
    this.renders = renders;
    this.args = args;
    this.head = 0;
  }

  private lineAt(slot: number): LogLine {
    let text = this.texts[slot];
    if (text === undefined) {
      text = this.renders[slot]!(this.times[slot], this.args[slot]);
      this.texts[slot] = text;
      this.renders[slot] = undefined;
      this.args[slot] = undefined;
    }
    return { epochMs: this.times[slot], stream: this.streams[slot] === 0 ? "stdout" : "stderr", text };
  }

  get length(): number {
    return this.size;
  }

  /**
   * The kept lines, optionally only the last `tail` (`docker logs --tail N`; "all" or a
   * negative number means every line) and only those in [sinceMs, untilMs).
   */
  lines(
    opts: { tail?: number | "all"; sinceMs?: number; untilMs?: number; streams?: readonly LogStream[] } = {},
  ): LogLine[] {
    const { sinceMs, untilMs, streams } = opts;
    const cap = this.times.length;
    const slots: number[] = [];
    for (let i = 0; i < this.size; i++) {
      const slot = (this.head + i) % cap;
      const t = this.times[slot];
      if (sinceMs !== undefined && t < sinceMs) continue;
      if (untilMs !== undefined && t >= untilMs) continue;
      if (streams && !streams.includes(this.streams[slot] === 0 ? "stdout" : "stderr")) continue;
      slots.push(slot);
    }
    const tail = opts.tail;
    const from = typeof tail === "number" && tail >= 0 ? Math.max(0, slots.length - tail) : 0;
    return slots.slice(from).map((s) => this.lineAt(s));
  }

  /** Calls `fn` with every line written from now on; returns the unsubscribe function. */
  follow(fn: LogListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
