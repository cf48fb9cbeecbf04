// A live lab as its front-ends see it (the process's terminal, node1's real ports, the studio's
// web page): the session now, the pacer that runs it, the session file, and going back in
// time. A seek (seek.ts) replaces the session by one replayed up to an earlier time; the
// front-ends follow through onSwitch. Everything here decides only when the world runs and
// which session is current; what happens in a world is its inputs' doing.
import type { HttpResponse } from "../../engine/http/message";
import type { NetError } from "../../engine/net/errors";
import { simClock } from "../commands/usage";
import type { Lab } from "../lab";
import { Pacer } from "./pacer";
import { publishedPorts, RealPorts } from "./real-ports";
import { SessionSeek } from "./seek";
import { LiveSession, type SessionRecorder } from "./session";
import type { SessionEvent, SessionHeader, SessionHttp } from "./session-file";
import type { LiveTerminal, TerminalOptions } from "./terminal";

export interface LiveLabConfig {
  /** The lab the session starts on. */
  lab: Lab;
  /** A fresh lab as `lab` was built (same seed, services, plugins): without it, no seek. */
  makeLab?: () => Lab;
  /** Where the records go besides memory (the session file). */
  recorder?: SessionRecorder;
  /** The session file's path, named when `exit` asks before ending the lab. */
  sessionPath?: string;
  /** Simulated time per wall-clock time (default 1). */
  speed?: number;
  /** Open node1's published ports on 127.0.0.1 (+ offset); absent: no real ports. */
  ports?: { offset: number };
  /** Wall ms between the pacer's ticks (default 20). */
  tickMs?: number;
  /** The pacer's wall clock (default performance.now); a test may hand its own. */
  wallNow?: () => number;
}

/** running; seeking (a replay is under way: inputs wait); ended. */
export type LiveLabState = "running" | "seeking" | "ended";

/** What a seek did, for the front-ends. */
export interface SeekDone {
  /** Where the session was. */
  from: number;
  /** Where it is now. */
  to: number;
  /** Inputs dropped (recorded at `to` or later). */
  dropped: number;
  /** Each open terminal's screen as the replay drew it, by terminal id. */
  screens: ReadonlyMap<number, string>;
}

/** How many simulated ms a seek replays between two looks at the wall clock. */
const SEEK_CHUNK_MS = 2000;
/** Wall ms a seek runs before it lets the event loop serve others. */
const SEEK_TURN_MS = 30;

type HttpDone = (err: NetError | undefined, res: HttpResponse | undefined) => void;

export class LiveLab {
  lab: Lab;
  session: LiveSession;
  readonly pacer: Pacer;
  readonly ports: RealPorts | undefined;
  private stateNow: LiveLabState = "running";
  private header: SessionHeader | undefined;
  /** Every record written, in order (seek records too): what a seek replays from. */
  private readonly records: SessionEvent[] = [];
  /** How many inputs the world has seen (its history's, after the seeks). */
  private inputs = 0;
  private readonly memory: SessionRecorder;
  /**
   * The options each terminal was opened with, so that a seek opens it again alike (kept after
   * it closes: a later seek may go back to before that; a new terminal of the same id replaces
   * it, as the one it replaces is no longer in the history).
   */
  private readonly terminalOptions = new Map<number, TerminalOptions>();
  private readonly pendingHttp = new Set<HttpDone>();
  private readonly tickListeners: ((lagMs: number) => void)[] = [];
  private readonly switchListeners: ((done: SeekDone) => void)[] = [];
  private readonly endListeners: (() => void)[] = [];
  private readonly notices: ((text: string) => void)[] = [];
  private readonly recordListeners: ((e: SessionEvent) => void)[] = [];

  constructor(private readonly options: LiveLabConfig) {
    const file = options.recorder;
    this.memory = {
      header: (h) => {
        this.header = h;
        file?.header(h);
      },
      event: (e) => {
        this.records.push(e);
        if (e.type === "seek") this.inputs = e.kept;
        else if (e.type !== "end") this.inputs++;
        file?.event(e);
        for (const l of this.recordListeners) l(e);
      },
    };
    this.lab = options.lab;
    this.session = this.adopt(
      new LiveSession(options.lab, { recorder: this.memory, sessionPath: options.sessionPath }),
    );
    const ports = options.ports
      ? new RealPorts({
          offset: options.ports.offset,
          published: () => publishedPorts(this.lab.node1),
          send: (req, done) => this.sendHttp(req, done),
          notify: (text) => this.notice(text),
          epochNow: () => this.lab.sim.epochMs + this.lab.sim.now(),
        })
      : undefined;
    this.ports = ports;
    const self = this;
    this.pacer = new Pacer(
      {
        get now() {
          return self.session.now;
        },
        advanceTo: (t) => {
          if (self.stateNow === "running") self.session.advanceTo(t);
        },
      },
      {
        speed: options.speed ?? 1,
        tickMs: options.tickMs,
        wallNow: options.wallNow,
        afterTick: (lag) => {
          ports?.sync();
          for (const l of this.tickListeners) l(lag);
        },
      },
    );
    this.session.clock = this.pacer;
  }

  get state(): LiveLabState {
    return this.stateNow;
  }

  get now(): number {
    return this.session.now;
  }

  /** Whether seek() can go back (a fresh lab can be made). */
  get canSeek(): boolean {
    return this.options.makeLab !== undefined;
  }

  /** How many inputs the world has seen: with the time, what a seek needs to come back here. */
  get inputCount(): number {
    return this.inputs;
  }

  /** The records so far, in the order written (a copy). */
  recorded(): SessionEvent[] {
    return [...this.records];
  }

  private adopt(session: LiveSession): LiveSession {
    session.onEnd(() => {
      if (this.session === session) this.ended();
    });
    return session;
  }

  // ---- front-ends ----------------------------------------------------------------------------

  /** Opens a terminal on the session now; a seek opens it again with the same options. */
  openTerminal(options: TerminalOptions = {}): LiveTerminal {
    const t = this.session.openTerminal(options);
    this.terminalOptions.set(t.id, options);
    return t;
  }

  /** The terminal `id` of the session now (it changes with a seek). */
  terminal(id: number): LiveTerminal | undefined {
    return this.session.terminal(id);
  }

  /** Called after each tick of the clock, with how far the world lags behind (simulated ms). */
  onTick(cb: (lagMs: number) => void): void {
    this.tickListeners.push(cb);
  }

  /** Called after a seek put a new session in place. */
  onSwitch(cb: (done: SeekDone) => void): void {
    this.switchListeners.push(cb);
  }

  onEnd(cb: () => void): void {
    if (this.stateNow === "ended") cb();
    else this.endListeners.push(cb);
  }

  /** Called with every record written (inputs as they reach the world, the seek records). */
  onRecord(cb: (e: SessionEvent) => void): void {
    this.recordListeners.push(cb);
  }

  /** Where the lab's own messages go (a port opened); by default terminal 1. */
  onNotice(cb: (text: string) => void): void {
    this.notices.push(cb);
  }

  private notice(text: string): void {
    if (this.notices.length === 0) this.session.terminal(1)?.notice(text);
    for (const n of this.notices) n(text);
  }

  /** An HTTP request from the real host into node1's published port (the session records it). */
  sendHttp(req: SessionHttp, done: HttpDone): void {
    if (this.stateNow !== "running") {
      done(undefined, undefined);
      return;
    }
    const once: HttpDone = (err, res) => {
      if (!this.pendingHttp.delete(once)) return;
      done(err, res);
    };
    this.pendingHttp.add(once);
    this.session.sendHttp(req, once);
  }

  start(): void {
    this.pacer.start();
    this.ports?.sync();
  }

  // ---- going back ----------------------------------------------------------------------------

  /**
   * Goes back to simulated time `to` (before now): a fresh world replayed up to it (seek.ts),
   * with the first `inputs` inputs (default: those before `to`), put in the current session's
   * place. The clock is paused there; the later inputs are dropped and the session file says so.
   * Runs in turns of the event loop (`onProgress` after each), inputs waiting meanwhile.
   */
  async seek(
    to: number,
    options: { inputs?: number; onProgress?: (now: number, to: number) => void } = {},
  ): Promise<SeekDone> {
    const makeLab = this.options.makeLab;
    if (!makeLab) throw new Error("this lab cannot go back in time (no way to make a fresh lab)");
    if (this.stateNow !== "running") throw new Error(`cannot go back while the lab is ${this.stateNow}`);
    if (!(to >= 0 && to < this.now))
      throw new Error(`can only go back to an earlier time (0 to ${Math.floor(this.now)} ms)`);
    if (!this.header) throw new Error("the session has no header");
    this.stateNow = "seeking";
    this.pacer.pause();
    try {
      const seek = new SessionSeek({
        makeLab,
        header: this.header,
        events: this.records,
        to,
        inputs: options.inputs,
        terminalOptions: (id, tty) => this.terminalOptions.get(id) ?? { mode: "tty", stdoutIsTerminal: tty },
      });
      // wall-clock: a long replay runs in turns, so the studio's server keeps answering.
      let turnStarted = performance.now();
      while (!seek.replaySlice(SEEK_CHUNK_MS)) {
        // wall-clock: as above.
        if (performance.now() - turnStarted < SEEK_TURN_MS) continue;
        options.onProgress?.(seek.progress.now, to);
        // wall-clock: let the event loop serve the sockets, then go on.
        await new Promise<void>((resolve) => setImmediate(resolve));
        turnStarted = performance.now(); // wall-clock: as above.
        if (this.stateNow !== "seeking") throw new Error("the lab ended while going back");
      }
      return this.switchTo(seek);
    } finally {
      if (this.stateNow === "seeking") this.stateNow = "running";
    }
  }

  private switchTo(seek: SessionSeek): SeekDone {
    const old = this.session;
    const from = old.now;
    seek.stopCapture();
    old.replaced();
    // Requests the old world was answering will never be answered: the real connections reset.
    const pending = [...this.pendingHttp];
    this.pendingHttp.clear();
    for (const done of pending) done(undefined, undefined);
    this.lab = seek.lab;
    this.session = this.adopt(seek.session);
    this.session.clock = this.pacer;
    this.session.continueRecording(this.memory);
    this.session.recordNote({
      t: from,
      type: "seek",
      to: seek.to,
      kept: seek.kept.length,
      dropped: seek.dropped,
    });
    this.stateNow = "running";
    this.pacer.jumped();
    const done: SeekDone = { from, to: seek.to, dropped: seek.dropped, screens: seek.screens };
    for (const l of this.switchListeners) l(done);
    // Once every front-end follows the new session: a word in each terminal, its prompt again.
    const note =
      `[lab] back at ${simClock(seek.to)} (from ${simClock(from)}): the ${seek.dropped} input` +
      `${seek.dropped === 1 ? "" : "s"} after it ${seek.dropped === 1 ? "is" : "are"} dropped; ` +
      "the clock is paused (resume to go on from here)\n";
    for (const t of this.session.openTerminals()) t.notice(note);
    this.ports?.sync();
    return done;
  }

  // ---- ending --------------------------------------------------------------------------------

  /** Ends the lab (as exit at node1 does): the session's end record, then everything stops. */
  end(): void {
    if (this.stateNow === "ended") return;
    this.session.end();
    this.ended();
  }

  private ended(): void {
    if (this.stateNow === "ended") return;
    this.stateNow = "ended";
    this.pacer.stop();
    this.ports?.close();
    for (const l of this.endListeners) l();
  }
}
