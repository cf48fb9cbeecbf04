// How a command waits for the simulated world without running it. A command that must wait
// (for the cluster to answer, for a container to stop, for time to pass) is a job: a
// generator that yields what it waits for and returns its result. It never advances the clock
// itself: a host loop (src/lab/host-loop.ts) does, and resumes the job once what it asked for
// has come. Everything stays synchronous and deterministic: a job is resumed between kernel
// events, never from a promise.
//
// The three requests:
//   until(done, limitMs)       run the world until `done()` holds, at most limitMs of simulated time
//   forMs(ms)                  let ms of simulated time pass
//   attached(ready, ...)       the job stays in the foreground until interrupted (docker compose up,
//                              logs --follow): wake it whenever `ready()` holds (new output to show)
// and one helper built on `until`: call(op, limitMs), "until this callback fires".
//
// Ctrl-C reaches a job as an `Interrupt` thrown at its current wait. A job that does not catch
// it ends there (the host reports status 130, as sh does for a command killed by SIGINT); a job
// that catches it decides what Ctrl-C means to it (compose up stops the application, and a
// second Interrupt while it stops kills what is left).

/** What a job waits for. */
export type Wait = UntilWait | ForWait | AttachedWait;

export interface UntilWait {
  readonly kind: "until";
  /** Checked before the world runs and after every event. */
  readonly done: () => boolean;
  /** The longest the job waits (simulated ms); it is resumed then even if `done()` is false. */
  readonly limitMs: number;
}

export interface ForWait {
  readonly kind: "for";
  readonly ms: number;
  /**
   * The user asked for this time to pass (`sleep`, `advance`): a host whose clock follows the
   * wall clock lets it pass at once instead of waiting for it.
   */
  readonly jump?: boolean;
  /**
   * Keys that end the command as Ctrl-C does, for a command that redraws on a terminal
   * between these waits (`q` for top); see AttachedWait.quitKeys.
   */
  readonly quitKeys?: string;
}

/**
 * The job runs until the user interrupts it, as an attached command on a terminal does. The
 * host wakes it whenever `ready()` holds (it has output to write, or has finished on its own).
 */
export interface AttachedWait {
  readonly kind: "attached";
  readonly ready: () => boolean;
  /** The command, for what a host says about it ("docker compose up"). */
  readonly label: string;
  /**
   * True when what the job runs lives only as long as the job (Ctrl-C on `docker compose up`
   * stops the application); false when the job only watches (`logs --follow`).
   */
  readonly holdsApplication: boolean;
  /**
   * Keys that end the command as Ctrl-C does (`q` for top), for a host with a terminal; the
   * job gets an Interrupt for them too.
   */
  readonly quitKeys?: string;
  /**
   * How long a transcript (which cannot wait for Ctrl-C) follows the command before handing the
   * prompt back (src/lab/foreground.ts; default there: 5 s). `docker run` of a program that
   * ends by itself (httping -c 5) asks for longer.
   */
  readonly showMs?: number;
}

/** A command that waits: yields what it waits for, resumed with nothing, returns its result. */
export type Job<T = number> = Generator<Wait, T, void>;

/** Ctrl-C, thrown into a job at the wait it is stopped at. */
export class Interrupt extends Error {
  constructor() {
    super("interrupted");
    this.name = "Interrupt";
  }
}

/** Exit status of a command that Ctrl-C ended (128 + SIGINT), as sh reports it. */
export const INTERRUPTED_STATUS = 130;

/** Is this a job (a generator) rather than a plain result? */
export function isJob(x: unknown): x is Job<unknown> {
  return (
    typeof x === "object" &&
    x !== null &&
    typeof (x as { next?: unknown }).next === "function" &&
    typeof (x as { throw?: unknown }).throw === "function"
  );
}

/**
 * Waits until `done()` holds or `limitMs` pass (check `done()` again afterwards to know which).
 * The host loop evaluates `done` before the world runs and after each event, no more: a
 * predicate that keeps state between calls (a progress display) sees what it would see polling.
 */
export function* until(done: () => boolean, limitMs: number): Job<void> {
  yield { kind: "until", done, limitMs };
}

/** Lets `ms` of simulated time pass (0 runs what is due now); `jump`: see ForWait. */
export function* forMs(ms: number, jump?: boolean): Job<void> {
  yield jump ? { kind: "for", ms, jump } : { kind: "for", ms };
}

/**
 * A command that redraws on a terminal until Ctrl-C (`docker stats`, `top`): lets `ms` pass;
 * `quitKeys` end it as Ctrl-C does (a host knows such a wait by its quitKeys, "" for none).
 */
export function* redrawAfter(ms: number, quitKeys?: string): Job<void> {
  yield { kind: "for", ms, quitKeys: quitKeys ?? "" };
}

/** Stays attached until interrupted; returns each time `ready()` holds (see AttachedWait). */
export function* attached(
  ready: () => boolean,
  label: string,
  holdsApplication: boolean,
  options: { quitKeys?: string; showMs?: number } = {},
): Job<void> {
  yield { kind: "attached", ready, label, holdsApplication, ...options };
}

/** What an asynchronous operation called back with. */
export interface Outcome<T> {
  err: Error | null;
  res?: T;
}

/**
 * Starts `op` and waits until it calls back, at most `limitMs`: "until this callback fires".
 * Returns undefined when it had not called back by then.
 */
export function* call<T>(
  op: (done: (err: Error | null, res?: T) => void) => void,
  limitMs: number,
): Job<Outcome<T> | undefined> {
  let result: Outcome<T> | undefined;
  op((err, res) => {
    result ??= { err, res };
  });
  if (result === undefined) yield* until(() => result !== undefined, limitMs);
  return result;
}

/** A job that is already done: lets plain values and jobs be handled alike. */
// biome-ignore lint/correctness/useYield: it has nothing to wait for
export function* done<T>(value: T): Job<T> {
  return value;
}

/**
 * Runs a job that must not wait (the text filters, a handler in a test): its result, or an
 * error naming what it waited for. Hosts that own a clock drive jobs with the host loop.
 */
export function runWithoutWaiting<T>(job: Job<T>): T {
  const step = job.next();
  if (step.done) return step.value;
  job.return(undefined as T);
  throw new Error(
    `this command waits for the simulated world (${step.value.kind}); run it through a host loop (src/lab/host-loop.ts)`,
  );
}
