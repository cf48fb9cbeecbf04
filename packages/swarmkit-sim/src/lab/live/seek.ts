// Going back in time, without checkpoints: a fresh world from the seed (the same lab the
// session started from), the session's inputs from before the target time applied again at
// their simulated times, then the world run to the target. The simulation is deterministic, so
// this is the world as it was at that time: the same leader, term, tasks and trace hash. The
// caller (live-lab.ts) then puts the new session in the old one's place; what is recorded from
// there goes on in the same session file, after a seek record that drops the later inputs.
//
// Which inputs are kept is a count: the first `inputs` of the session's history (by default
// those recorded strictly before the target: the clock runs to a time in a slice and an input
// typed then is applied after it, so "the state at t" is the world run to t before t's own
// inputs; a page that saw the world at t says how many inputs it had seen, which settles the
// rare input applied at the very end of a slice).
//
// A seek runs in steps (step(maxMs)), so that a server can keep answering between them; the
// terminals' output during the replay is kept, each line typed at a prompt echoed after it,
// so that a terminal's screen can be drawn again as it was.
import type { Lab } from "../lab";
import { applyRecord, checkLabMatches, type OpenTerminal, openWith } from "./replay";
import { LiveSession } from "./session";
import {
  linearHistory,
  type SessionEvent,
  SessionFileError,
  type SessionHeader,
  type SessionInput,
} from "./session-file";
import type { TerminalOptions } from "./terminal";

export interface SeekOptions {
  /** A fresh lab as the session's started (same seed, services and plugins). */
  makeLab: () => Lab;
  header: SessionHeader;
  /** The session's records so far, as written (seek records included). */
  events: readonly SessionEvent[];
  /** The simulated time to go back to. */
  to: number;
  /** How many inputs of the history to keep (default: those recorded before `to`). */
  inputs?: number;
  /** How each terminal is opened again (as its front-end opened it). */
  terminalOptions: (id: number, tty: boolean) => TerminalOptions;
}

/**
 * The inputs a seek to `to` keeps (the first `inputs`, by default those recorded before `to`)
 * and how many it drops. Throws SessionFileError when the count keeps an input recorded after
 * `to`, or drops one recorded before it (that state never was).
 */
export function inputsBefore(
  events: readonly SessionEvent[],
  to: number,
  inputs?: number,
): { kept: SessionInput[]; dropped: number } {
  const history = linearHistory(events).filter((e): e is SessionInput => e.type !== "end");
  const n = inputs ?? history.filter((e) => e.t < to).length;
  if (!(Number.isInteger(n) && n >= 0 && n <= history.length))
    throw new SessionFileError(`cannot keep ${n} inputs of ${history.length}`);
  if (n > 0 && history[n - 1].t > to)
    throw new SessionFileError(`input ${n} was recorded at ${history[n - 1].t} ms, after ${to} ms`);
  if (n < history.length && history[n].t < to)
    throw new SessionFileError(
      `input ${n + 1} was recorded at ${history[n].t} ms, before ${to} ms: it would be dropped`,
    );
  return { kept: history.slice(0, n), dropped: history.length - n };
}

/** Limits terminal screens kept while replaying (the last characters of each). */
const SCREEN_KEEP = 256 * 1024;

function trimmed(s: string): string {
  return s.length > SCREEN_KEEP * 2 ? s.slice(-SCREEN_KEEP) : s;
}

export class SessionSeek {
  readonly lab: Lab;
  readonly session: LiveSession;
  readonly to: number;
  readonly kept: readonly SessionInput[];
  readonly dropped: number;
  /** What each terminal showed during the replay (the tail), by terminal id. */
  readonly screens = new Map<number, string>();
  private next = 0;
  private readonly open: OpenTerminal;
  private readonly modes = new Map<number, "tty" | "lines">();
  private capturing = true;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(options: SeekOptions) {
    if (!(options.to >= 0)) throw new SessionFileError(`cannot go back to ${options.to} ms`);
    this.to = options.to;
    const { kept, dropped } = inputsBefore(options.events, options.to, options.inputs);
    this.kept = kept;
    this.dropped = dropped;
    this.lab = options.makeLab();
    this.session = new LiveSession(this.lab);
    checkLabMatches(this.lab, this.session, options);
    const screens = this.screens;
    this.session.onTerminalOpened((t) => {
      // (After the seek the session goes on live: its new terminals are their front-ends'.)
      if (!this.capturing) return;
      screens.set(t.id, "");
      const stop = t.onOutput((text) => {
        if (this.capturing) screens.set(t.id, trimmed((screens.get(t.id) ?? "") + text));
      });
      this.unsubscribe.push(stop);
      // Its first prompt, as its front-end drew it when it opened (output only).
      t.begin();
    });
    this.open = openWith((id, tty) => {
      const o = options.terminalOptions(id, tty);
      this.modes.set(id, o.mode ?? "tty");
      return o;
    });
  }

  /** Simulated ms replayed so far, against the target. */
  get progress(): { now: number; to: number } {
    return { now: this.session.now, to: this.to };
  }

  get done(): boolean {
    return this.next >= this.kept.length && this.session.now >= this.to;
  }

  /** Replays up to `maxMs` more simulated ms (and the inputs on the way); true when done. */
  replaySlice(maxMs = Number.POSITIVE_INFINITY): boolean {
    const session = this.session;
    const until = Math.min(this.to, session.now + maxMs);
    for (;;) {
      const e = this.kept[this.next];
      if (e !== undefined && e.t <= session.now) {
        this.apply(e);
        this.next++;
        continue;
      }
      const target = e === undefined ? until : Math.min(e.t, until);
      if (session.now >= target) break;
      session.advanceTo(target);
      if (session.state !== "running")
        throw new SessionFileError(`the session ended at ${session.now} ms, before ${this.to} ms`);
    }
    return this.done;
  }

  /** Stops keeping the terminals' output (the session goes on live; the screens stay). */
  stopCapture(): void {
    this.capturing = false;
    for (const stop of this.unsubscribe.splice(0)) stop();
  }

  /** Replays everything at once (tests, small sessions). */
  run(): this {
    while (!this.replaySlice()) {}
    return this;
  }

  private apply(e: SessionInput): void {
    // A line typed at a prompt was echoed as it was typed (a pipe's, after its prompt): show it.
    if (e.type === "line") {
      const t = this.session.terminal(e.term);
      if (t && (t.state === "prompt" || t.state === "confirming")) {
        const prompt = this.modes.get(e.term) === "lines" && t.state === "prompt" ? t.stack.prompt() : "";
        this.screens.set(e.term, trimmed(`${this.screens.get(e.term) ?? ""}${prompt}${e.text}\n`));
      }
    }
    applyRecord(this.session, e, this.open);
  }
}
