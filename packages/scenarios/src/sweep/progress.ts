// A sweep's progress, on stderr so that output on stdout (a table, --json, JSON lines) stays
// clean. On a terminal: one live line, redrawn as tasks start and end and once a second, with
// a bar, the count, an ETA and what is running (and for how long). Otherwise: a plain line at
// every tenth of the way. The wall clock here decides only what the line says, never what a
// simulation does.
import type { SweepProgress } from "./pool";

export interface Progress {
  update(progress: SweepProgress): void;
  /** Writes output (to another stream) without the live line getting in its way. */
  print(write: () => void): void;
  stop(): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  /** How a running task is named on the live line (default: its index). */
  describe?: (index: number) => string;
}

const BAR_WIDTH = 20;

export function createProgress(label: string, opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  return stream.isTTY ? new LiveLine(label, stream, opts.describe) : new PlainLines(label, stream);
}

/** "1m05s", "42s". */
export function formatSeconds(s: number): string {
  const whole = Math.max(0, Math.round(s));
  return whole >= 60 ? `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, "0")}s` : `${whole}s`;
}

/** Seconds left at the pace so far; null before the first task is done. */
export function etaSeconds(elapsedS: number, done: number, total: number): number | null {
  return done === 0 ? null : (elapsedS / done) * (total - done);
}

function wallSeconds(): number {
  return performance.now() / 1000; // wall-clock: progress display only
}

class LiveLine implements Progress {
  private last: SweepProgress = { done: 0, total: 0, running: [] };
  private readonly begun = wallSeconds();
  private readonly startedAt = new Map<number, number>();
  private shown = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream,
    private readonly describe: (index: number) => string = (i) => `#${i}`,
  ) {
    this.timer = setInterval(() => this.draw(), 1000); // wall-clock: redraws the elapsed times
    this.timer.unref();
  }

  update(p: SweepProgress): void {
    const now = wallSeconds();
    for (const i of p.running) if (!this.startedAt.has(i)) this.startedAt.set(i, now);
    for (const i of this.startedAt.keys()) if (!p.running.includes(i)) this.startedAt.delete(i);
    this.last = p;
    this.draw();
  }

  print(write: () => void): void {
    this.clear();
    write();
    this.draw();
  }

  stop(): void {
    clearInterval(this.timer);
    this.clear();
  }

  private clear(): void {
    if (this.shown) this.stream.write("\r\x1b[K");
    this.shown = false;
  }

  private draw(): void {
    const { done, total, running } = this.last;
    if (total === 0) return;
    const now = wallSeconds();
    const filled = Math.round((done / total) * BAR_WIDTH);
    const eta = etaSeconds(now - this.begun, done, total);
    const tasks = running
      .map((i) => `${this.describe(i)} ${formatSeconds(now - (this.startedAt.get(i) ?? now))}`)
      .join(", ");
    let line = `${this.label} [${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${done}/${total}`;
    line += eta === null ? "" : ` eta ${formatSeconds(eta)}`;
    if (tasks) line += ` | running: ${tasks}`;
    const width = this.stream.columns || 100;
    if (line.length > width - 1) line = `${line.slice(0, width - 2)}…`;
    this.stream.write(`\r\x1b[K${line}`);
    this.shown = true;
  }
}

class PlainLines implements Progress {
  private lastTenth = 0;
  private readonly begun = wallSeconds();

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WritableStream,
  ) {}

  update({ done, total }: SweepProgress): void {
    const tenth = Math.floor((done / total) * 10);
    if (tenth === this.lastTenth) return;
    this.lastTenth = tenth;
    const eta = etaSeconds(wallSeconds() - this.begun, done, total);
    this.stream.write(
      `${this.label}: ${done}/${total}${eta === null || done === total ? "" : `, eta ${formatSeconds(eta)}`}\n`,
    );
  }

  print(write: () => void): void {
    write();
  }

  stop(): void {}
}
