// Compose's log consumer: lines of several containers, each prefixed with the container's
// name without the project ("rng-1") padded to the widest name so far, as `docker compose
// logs` and an attached `docker compose up` print them. A follower also reports exits
// ("worker-1 exited with code 137") and picks up containers of the project that start
// while it follows. Lines are buffered as data; `read()` drains them.
import type { Container } from "../../engine/container";
import type { Engine } from "../../engine/engine";
import { rfc3339Nano } from "../../engine/human";
import type { LogLine } from "../../engine/logs";
import { logPrefix } from "./format";

export interface LogFormat {
  timestamps: boolean;
  /** false: --no-log-prefix */
  prefix: boolean;
  /** Colour each container's prefix (compose does on a terminal). */
  colour?: boolean;
}

/**
 * Compose's rainbow: each container it starts presenting gets the next colour (cyan, yellow,
 * green, magenta, blue, then the same bold), as ANSI SGR codes.
 */
const RAINBOW = ["36", "33", "32", "35", "34", "36;1", "33;1", "32;1", "35;1", "34;1"];

export class LogConsumer {
  private width = 0;
  private readonly names = new Set<string>();
  private readonly colours = new Map<string, string>();

  constructor(private readonly format: LogFormat) {}

  register(name: string): void {
    if (this.names.has(name)) return;
    this.names.add(name);
    this.width = Math.max(this.width, name.length + 1);
    if (this.format.colour) this.colours.set(name, RAINBOW[this.colours.size % RAINBOW.length]);
  }

  private paint(name: string, text: string): string {
    const c = this.colours.get(name);
    return c === undefined ? text : `\x1b[${c}m${text}\x1b[0m`;
  }

  line(name: string, l: LogLine): string {
    const ts = this.format.timestamps ? `${rfc3339Nano(l.epochMs)} ` : "";
    if (!this.format.prefix) return `${ts}${l.text}`;
    const prefix = logPrefix(name, this.width);
    // The name, its padding and the bar are coloured; the space after them is not.
    return `${this.paint(name, prefix.slice(0, -1))} ${ts}${l.text}`;
  }

  status(name: string, msg: string): string {
    return this.paint(name, `${name} ${msg}`);
  }
}

export interface LogFollowOptions {
  /** Which containers to follow, and how compose names them in the prefix. */
  select: (c: Container) => string | undefined;
  /** Lines already written that the follower starts with (`--tail`); none for an attach. */
  tail?: number | "all";
  timestamps?: boolean;
  prefix?: boolean;
  /** Report exits ("<name> exited with code N"). */
  exits?: boolean;
  /** Coloured prefixes (a terminal). */
  colour?: boolean;
  /**
   * Keep at most this many unread lines (the newest): a follower nobody reads for a long
   * while (an attached `up` in the lab) must not grow without end. Default: no limit.
   */
  keep?: number;
}

/** A live log stream of several containers; `read()` returns what arrived since last time. */
export class LogFollow {
  private buffer: string[] = [];
  private readonly unsub = new Map<Container, () => void>();
  private readonly offEvents: () => void;
  private readonly consumer: LogConsumer;
  private closed = false;

  constructor(
    engine: Engine,
    containers: readonly Container[],
    private readonly opts: LogFollowOptions,
  ) {
    this.consumer = new LogConsumer({
      timestamps: opts.timestamps ?? false,
      prefix: opts.prefix ?? true,
      colour: opts.colour,
    });
    for (const c of containers) {
      const name = opts.select(c);
      if (name !== undefined) this.consumer.register(name);
    }
    for (const c of containers) this.attach(c, opts.tail);
    this.offEvents = engine.on((e) => {
      if (!e.container) return;
      const name = opts.select(e.container);
      if (name === undefined) return;
      if (e.type === "start") {
        this.consumer.register(name);
        this.attach(e.container, 0);
      } else if (e.type === "die" && opts.exits) {
        this.push(this.consumer.status(name, `exited with code ${e.exitCode}`));
      }
    });
  }

  private attach(c: Container, tail: number | "all" | undefined): void {
    if (this.unsub.has(c)) return;
    const name = this.opts.select(c)!;
    if (tail !== undefined && tail !== 0) {
      for (const l of c.log.lines({ tail })) this.push(this.consumer.line(name, l));
    }
    this.unsub.set(
      c,
      c.log.follow((l) => this.push(this.consumer.line(name, l))),
    );
  }

  private push(line: string): void {
    this.buffer.push(line);
    const keep = this.opts.keep;
    // Trim in batches, so that keeping the newest lines costs little per line.
    if (keep !== undefined && this.buffer.length > 2 * keep) this.buffer = this.buffer.slice(-keep);
  }

  /** Whether lines arrived since the last read. */
  get hasUnread(): boolean {
    return this.buffer.length > 0;
  }

  /** Lines that arrived since the last read (at most `keep` of them, the newest). */
  read(): string[] {
    const keep = this.opts.keep;
    const out = keep !== undefined && this.buffer.length > keep ? this.buffer.slice(-keep) : this.buffer;
    this.buffer = [];
    return out;
  }

  /** Forgets what arrived since the last read (lines that scrolled by unseen). */
  discard(): void {
    this.buffer = [];
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.offEvents();
    for (const u of this.unsub.values()) u();
    this.unsub.clear();
  }
}

/** `docker compose logs` without --follow: each container's lines, containers in name order. */
export function logsSnapshot(
  containers: readonly Container[],
  nameOf: (c: Container) => string,
  opts: { tail?: number | "all"; timestamps?: boolean; prefix?: boolean; colour?: boolean } = {},
): string[] {
  const consumer = new LogConsumer({
    timestamps: opts.timestamps ?? false,
    prefix: opts.prefix ?? true,
    colour: opts.colour,
  });
  const sorted = [...containers].sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0));
  for (const c of sorted) consumer.register(nameOf(c));
  const out: string[] = [];
  for (const c of sorted)
    for (const l of c.log.lines({ tail: opts.tail })) out.push(consumer.line(nameOf(c), l));
  return out;
}
