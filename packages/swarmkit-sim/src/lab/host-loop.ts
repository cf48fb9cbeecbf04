// The one owner of time in the lab: every simulated millisecond that passes while a command
// waits, and every step a host lets pass between commands, passes here. Commands never run the
// kernel themselves: a waiting command is a job (src/cli/job.ts) that yields what it waits
// for; a RunningJob advances the clock to it and resumes the job.
//
// Three ways to drive a job, all with the same events in the same order:
//   settle()          run each wait out in full until the job is done or attached (what a
//                     transcript does: `Lab.run(line)` gives the same trace as before jobs);
//   advance(ms)       run the world for at most ms of simulated time, resuming the job each time
//                     what it waits for has come (a live host calls it once per wall-clock slice;
//                     RunningJob.advanceAll does it for several jobs on one clock: terminals);
//   followUntil(t)    let an attached job (`docker compose up`, `logs --follow`) run until
//                     simulated time t, showing its output as it comes.
// interrupt() delivers Ctrl-C to the job at its wait. Tests and experiments drive a job to its
// end with runJob(clock, job).
import { type Job, Interrupt, type Wait } from "../cli/job";

/** The part of the kernel a host loop drives (the Sim). */
export interface Clock {
  now(): number;
  /** Runs every event up to now+ms and leaves the clock there. */
  runFor(ms: number): void;
  /** Runs events until `pred` holds (checked first and after each event) or limitMs pass. */
  runUntil(pred: () => boolean, limitMs: number): boolean;
}

/** Lets simulated time pass with no job waiting (the lab's step between commands). */
export function advanceClock(clock: Clock, ms: number): void {
  clock.runFor(ms);
}

/**
 * Where a job is: running its code (between waits), waiting, finished, or released (handed to
 * another owner, who resumes it from its wait: the batch host parks an attached line so).
 */
export type JobState = "running" | "waiting" | "done" | "released";

/** How a job ended: it returned, or an Interrupt it did not catch ended it (Ctrl-C). */
export type JobEnd<T> = { kind: "returned"; value: T } | { kind: "interrupted" };

/** A job started on a clock (see the header). Starting it runs it to its first wait. */
export class RunningJob<T> {
  private state: JobState = "running";
  private wait: Wait | undefined;
  /** When the current wait began (simulated ms). */
  private waitStart = 0;
  private end: JobEnd<T> | undefined;
  /** When the job first waited attached (a host's show-time policy counts from here). */
  attachedSince: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly job: Job<T>,
  ) {
    this.step(() => job.next());
  }

  get jobState(): JobState {
    return this.state;
  }

  get isDone(): boolean {
    return this.state === "done";
  }

  /** What the job waits for now (undefined unless waiting). */
  get waitingFor(): Wait | undefined {
    return this.state === "waiting" ? this.wait : undefined;
  }

  /** True while the job waits attached (it runs until interrupted). */
  get isAttached(): boolean {
    return this.waitingFor?.kind === "attached";
  }

  /** When the current wait began (simulated ms; meaningful while waiting). */
  get waitStartedAt(): number {
    return this.waitStart;
  }

  /** How the job ended; throws while it runs. */
  get outcome(): JobEnd<T> {
    if (!this.end) throw new Error("RunningJob.outcome: the job has not finished");
    return this.end;
  }

  /**
   * Runs each until/for wait out in full (as long as it lasts), resuming the job after each,
   * until the job is done or waits attached.
   */
  settle(): void {
    for (let w = this.waitingFor; w && w.kind !== "attached"; w = this.waitingFor) {
      if (w.kind === "until") this.clock.runUntil(w.done, this.waitStart + w.limitMs - this.clock.now());
      else this.clock.runFor(this.waitStart + w.ms - this.clock.now());
      this.resume();
    }
  }

  /**
   * Runs the world for at most `ms` of simulated time, resuming the job each time what it waits
   * for has come. Returns early when the job is done; the rest of the slice is the host's.
   */
  advance(ms: number, budget?: () => boolean): void {
    RunningJob.advanceAll(this.clock, [this], ms, budget);
  }

  /**
   * Runs the world for at most `ms`, resuming each of `jobs` (a live lab's terminals, sharing
   * one clock) whenever what it waits for has come: the world runs until the first wait is
   * over (a predicate holds, a for-wait or an until-wait's limit is reached) or the slice ends.
   * With one job, these are the kernel calls settle() makes for it, cut at the slice's end.
   */
  static advanceAll(
    clock: Clock,
    jobs: readonly RunningJob<unknown>[],
    ms: number,
    /**
     * The host's own budget for the slice (a live host's wall time, outside the simulation):
     * checked after each event, and once it says so the slice ends there, at that event, so
     * the host can take input (Ctrl-C) before it advances again. It decides only when the
     * kernel runs, never what happens: the same events run in the same order either way.
     */
    budget?: () => boolean,
  ): void {
    const sliceEnd = clock.now() + ms;
    for (;;) {
      const waiting = jobs.filter((j) => j.state === "waiting");
      if (waiting.length === 0) return;
      let target = sliceEnd;
      for (const j of waiting) target = Math.min(target, j.deadline());
      const predicateHolds = () => waiting.some((j) => j.predicateHolds());
      let spent = false;
      let checks = 0;
      // runUntil checks before the first event too: the budget counts from the first event on.
      const stop = budget ? () => predicateHolds() || (checks++ > 0 && (spent = budget())) : predicateHolds;
      // Stopped early (a predicate holds): what else is due at this instant has not run yet,
      // so only waits whose predicate holds are over; otherwise every event up to `target` ran.
      const early = clock.runUntil(stop, Math.max(0, target - clock.now()));
      if (spent && !predicateHolds()) return;
      let resumed = false;
      for (const j of waiting) {
        if (j.state !== "waiting") continue;
        if (!j.predicateHolds() && (early || clock.now() < j.deadline())) continue;
        j.resume();
        resumed = true;
      }
      if (!resumed && clock.now() >= sliceEnd) return;
    }
  }

  /** When the current wait ends by time alone (Infinity for an attached one). */
  private deadline(): number {
    const w = this.wait!;
    if (w.kind === "until") return this.waitStart + w.limitMs;
    if (w.kind === "for") return this.waitStart + w.ms;
    return Number.POSITIVE_INFINITY;
  }

  /** Whether what the current wait asks for holds, time aside. */
  private predicateHolds(): boolean {
    const w = this.wait!;
    if (w.kind === "until") return w.done();
    if (w.kind === "attached") return w.ready();
    return false;
  }

  /**
   * Lets an attached job run until simulated time `until`: it is resumed whenever it is ready
   * (its output is shown as it comes), and once more with everything due at `until` run, as a
   * terminal would have shown it by then. Returns when that time is reached, the job is done,
   * or it waits for something else (then settle() it).
   */
  followUntil(until: number): void {
    for (let w = this.waitingFor; w?.kind === "attached"; w = this.waitingFor) {
      const ready = this.clock.runUntil(w.ready, Math.max(0, until - this.clock.now()));
      if (ready && this.clock.now() < until) {
        this.resume();
        continue;
      }
      // At `until`: what else is due then, and the output it makes, still show.
      this.clock.runFor(0);
      if (w.ready()) this.resume();
      return;
    }
  }

  /** Resumes the job as long as what it waits for has already come, without running the world. */
  resumeWhileReady(): void {
    for (let w = this.waitingFor; w && this.isSatisfied(w); w = this.waitingFor) this.resume();
  }

  /** Ctrl-C: an Interrupt thrown into the job at its wait; the job runs on to its next wait or end. */
  interrupt(): void {
    if (this.state !== "waiting") return;
    this.step(() => this.job.throw(new Interrupt()));
  }

  /**
   * Hands the waiting job over: whoever takes it resumes it from `wait` (next() or throw()).
   * This RunningJob is then spent.
   */
  release(): { job: Job<T>; wait: Wait } {
    if (this.state !== "waiting" || !this.wait) throw new Error("RunningJob.release: the job is not waiting");
    const wait = this.wait;
    this.state = "released";
    this.wait = undefined;
    return { job: this.job, wait };
  }

  private isSatisfied(w: Wait): boolean {
    const now = this.clock.now();
    if (w.kind === "attached") return w.ready();
    if (w.kind === "until") return w.done() || now >= this.waitStart + w.limitMs;
    return now >= this.waitStart + w.ms;
  }

  private resume(): void {
    this.step(() => this.job.next());
  }

  private step(next: () => IteratorResult<Wait, T>): void {
    if (this.state === "done" || this.state === "released")
      throw new Error(`RunningJob: the job is ${this.state === "done" ? "finished" : "released"}`);
    this.state = "running";
    let r: IteratorResult<Wait, T>;
    try {
      r = next();
    } catch (e) {
      this.state = "done";
      this.wait = undefined;
      if (e instanceof Interrupt) {
        this.end = { kind: "interrupted" };
        return;
      }
      throw e;
    }
    if (r.done) {
      this.state = "done";
      this.wait = undefined;
      this.end = { kind: "returned", value: r.value };
      return;
    }
    this.state = "waiting";
    this.wait = r.value;
    this.waitStart = this.clock.now();
    if (r.value.kind === "attached") this.attachedSince ??= this.waitStart;
  }
}

/**
 * Drives a job to its end on a clock, each wait run out in full: for tests, experiments and
 * hosts without a terminal. A job that waits attached has no end here: that is an error (a
 * host that can interrupt it must drive it).
 */
export function runJob<T>(clock: Clock, job: Job<T>): T {
  const running = new RunningJob(clock, job);
  running.settle();
  if (running.isAttached) {
    const label = (running.waitingFor as { label: string }).label;
    throw new Error(`runJob: ${label} stays attached until interrupted; drive it with a RunningJob`);
  }
  const end = running.outcome;
  if (end.kind === "interrupted") throw new Interrupt();
  return end.value;
}
