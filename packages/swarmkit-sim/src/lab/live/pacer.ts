// The wall clock of a live lab, and nothing else: every tick it works out which simulated time
// "now" is at the chosen speed and asks the session to run the world there (session.ts, which
// moves the kernel in the host loop's slices). It decides only *when* the kernel runs, never
// *what* happens: the session records every input with its simulated time, so a replay
// without any wall clock gives the same trace.
//
// A tick runs at most TICK_BUDGET_MS of wall time, so that keystrokes and HTTP requests are
// served between ticks even when the world is busy; when the world cannot keep up with the
// speed for longer than MAX_BEHIND_MS, the clock gives up the backlog (it re-anchors) instead
// of racing to catch up, and counts it.
import type { ClockControl } from "./clock-commands";

/** What the pacer drives: a session's advanceTo. */
export interface Paced {
  readonly now: number;
  advanceTo(t: number): void;
}

export interface PacerOptions {
  speed?: number;
  /** Wall ms between ticks (default 20). */
  tickMs?: number;
  /** Called after each tick (ports follow what node1 publishes, a bench measures the lag). */
  afterTick?: (lagMs: number) => void;
  /** The wall clock in ms (default performance.now); a test may hand its own. */
  wallNow?: () => number;
}

export type PacerState = "stopped" | "running" | "paused";

const TICK_BUDGET_MS = 40;
/** Behind by more than this much wall time: the clock lets the backlog go. */
const MAX_BEHIND_MS = 1000;
/** The longest stretch of simulated time one advanceTo call covers inside a tick. */
const MIN_CHUNK_MS = 50;

export class Pacer implements ClockControl {
  private stateNow: PacerState = "stopped";
  private speedNow: number;
  private readonly tickMs: number;
  private readonly wallNow: () => number;
  /** The anchor: simulated time `simAnchor` was "now" at wall time `wallAnchor`. */
  private wallAnchor = 0;
  private simAnchor = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Times the clock let a backlog go because the world could not keep up. */
  dropped = 0;

  constructor(
    private readonly session: Paced,
    private readonly options: PacerOptions = {},
  ) {
    this.speedNow = options.speed ?? 1;
    this.tickMs = options.tickMs ?? 20;
    // wall-clock: the pacer's whole job is to follow the wall clock.
    this.wallNow = options.wallNow ?? (() => performance.now());
  }

  get state(): PacerState {
    return this.stateNow;
  }

  get speed(): number {
    return this.speedNow;
  }

  get paused(): boolean {
    return this.stateNow === "paused";
  }

  /** Starts the clock; ticks come from a timer, or (`manual`) from whoever calls tick(): a test. */
  start(ticks: "timer" | "manual" = "timer"): void {
    if (this.stateNow !== "stopped") return;
    this.stateNow = "running";
    this.anchor();
    if (ticks === "timer") this.schedule();
  }

  stop(): void {
    this.stateNow = "stopped";
    // wall-clock: the tick timer.
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  setSpeed(speed: number): void {
    this.anchor();
    this.speedNow = speed;
  }

  pause(): void {
    if (this.stateNow === "running") this.stateNow = "paused";
  }

  resume(): void {
    if (this.stateNow !== "paused") return;
    this.stateNow = "running";
    this.anchor();
  }

  jumped(): void {
    this.anchor();
  }

  /** The simulated time it is now on the wall clock. */
  target(): number {
    return this.simAnchor + (this.wallNow() - this.wallAnchor) * this.speedNow;
  }

  private anchor(): void {
    this.wallAnchor = this.wallNow();
    this.simAnchor = this.session.now;
  }

  /** One tick: the world runs towards "now" for at most TICK_BUDGET_MS; returns the lag (simulated ms). */
  tick(): number {
    if (this.stateNow !== "running") {
      this.options.afterTick?.(0);
      return 0;
    }
    const started = this.wallNow();
    let target = this.target();
    // The world jumped ahead (sleep, advance): follow from where it is.
    if (this.session.now > target) {
      this.anchor();
      target = this.session.now;
    }
    const chunk = Math.max(MIN_CHUNK_MS, this.speedNow * this.tickMs);
    while (this.session.now < target && this.stateNow === "running") {
      this.session.advanceTo(Math.min(target, this.session.now + chunk));
      if (this.wallNow() - started > TICK_BUDGET_MS) break;
    }
    const lag = Math.max(0, this.target() - this.session.now);
    if (lag > MAX_BEHIND_MS * this.speedNow) {
      this.dropped++;
      this.anchor();
    }
    this.options.afterTick?.(lag);
    return lag;
  }

  private schedule(): void {
    if (this.stateNow === "stopped") return;
    // wall-clock: the next tick of the live lab's clock.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stateNow === "stopped") return;
      this.tick();
      this.schedule();
    }, this.tickMs);
  }
}
