// A live lab: one world, its terminals (the REPL's, a browser's), and the clock that flows. The
// session owns the order of things: the pacer (pacer.ts, the wall clock) only says up to which
// simulated time to run, advanceTo() runs the world there in the host loop's slices, resuming
// each terminal's foreground job when what it waits for has come; every input that reaches the
// world (a line, a control key, a terminal opened or closed, an HTTP request from the real
// host) is applied between two slices and recorded with the simulated time it arrived at. So
// the simulation stays deterministic: the same inputs at the same simulated times give the
// same trace, whatever the wall clock did (replay.ts reruns a session file).
//
// `sleep` and `advance` jump: their time passes at once, not at the clock's pace.
import type { ForWait } from "../../cli/job";
import type { HttpResponse } from "../../engine/http/message";
import type { NetError } from "../../engine/net/errors";
import { advanceClock, RunningJob } from "../host-loop";
import type { LabHost } from "../host";
import type { Lab } from "../lab";
import { PromptStack } from "../prompt-stack";
import { simClock } from "../commands/usage";
import { engineOf, swarmOf } from "../world";
import { clockCommandsPlugin, type ClockControl } from "./clock-commands";
import { HostHttp } from "./host-http";
import {
  SESSION_KIND,
  SESSION_VERSION,
  type SessionEvent,
  type SessionHeader,
  type SessionHttp,
} from "./session-file";
import { LiveTerminal, type TerminalInput, type TerminalOptions, type TerminalOwner } from "./terminal";

/** Where a session's records go (a session file), the header first. */
export interface SessionRecorder {
  header(h: SessionHeader): void;
  event(e: SessionEvent): void;
}

export interface LiveSessionOptions {
  recorder?: SessionRecorder;
  /** The session file's path, named when `exit` asks before ending the lab. */
  sessionPath?: string;
  /** What `speed`, `pause` and `resume` act on (the pacer); absent: they only say so. */
  clock?: ClockControl;
}

/** running; ended (the lab ended: the end record is written); replaced (a seek put another session in its place). */
export type LiveSessionState = "running" | "ended" | "replaced";

export class LiveSession implements TerminalOwner {
  readonly host: LabHost;
  private readonly terminals = new Map<number, LiveTerminal>();
  private nextTerminal = 1;
  private stateNow: LiveSessionState = "running";
  private readonly hostHttp: HostHttp;
  private readonly endListeners: (() => void)[] = [];
  private readonly openListeners: ((t: LiveTerminal) => void)[] = [];
  private readonly closeListeners: ((id: number) => void)[] = [];
  private recorder: SessionRecorder | undefined;
  /** Set by the pacer once it runs (the clock commands act on it). */
  clock: ClockControl | undefined;

  constructor(
    readonly lab: Lab,
    private readonly options: LiveSessionOptions = {},
  ) {
    this.host = lab.host;
    this.recorder = options.recorder;
    this.clock = options.clock;
    this.hostHttp = new HostHttp(lab.node1);
    lab.mainStack.endPolicy = "ask";
    lab.use(clockCommandsPlugin(() => this.clock));
    this.recorder?.header({
      kind: SESSION_KIND,
      version: SESSION_VERSION,
      seed: lab.sim.seed,
      services: lab.servicesEnabled,
      plugins: lab.host.pluginNames(),
    });
  }

  get state(): LiveSessionState {
    return this.stateNow;
  }

  get now(): number {
    return this.lab.sim.now();
  }

  /**
   * Opens a terminal on the world: the first one is the lab's own (node1's shell, whose `exit`
   * ends the lab); each later one starts its own prompt stack at node1.
   */
  openTerminal(options: TerminalOptions = {}): LiveTerminal {
    const id = this.nextTerminal++;
    const stack = id === 1 ? this.lab.mainStack : new PromptStack(this.lab.node1);
    const t = new LiveTerminal(id, this, stack, options);
    this.terminals.set(id, t);
    this.record({ t: this.now, type: "open", term: id, tty: t.stdoutIsTerminal });
    for (const l of this.openListeners) l(t);
    return t;
  }

  terminal(id: number): LiveTerminal | undefined {
    return this.terminals.get(id);
  }

  /** The terminals open now, by id. */
  openTerminals(): LiveTerminal[] {
    return [...this.terminals.values()];
  }

  /** Called with every terminal opened from now on (the studio shows each). */
  onTerminalOpened(cb: (t: LiveTerminal) => void): void {
    this.openListeners.push(cb);
  }

  /** Called with the id of every terminal closed from now on (not when the session ends). */
  onTerminalClosed(cb: (id: number) => void): void {
    this.closeListeners.push(cb);
  }

  /** Closes a terminal (its window went away); the lab's own one ends the lab instead. */
  closeTerminal(id: number): void {
    const t = this.terminals.get(id);
    if (!t) return;
    if (id === 1) {
      this.end();
      return;
    }
    this.terminals.delete(id);
    this.record({ t: this.now, type: "close", term: id });
    t.shutdown();
    for (const l of this.closeListeners) l(id);
  }

  // ---- the clock ---------------------------------------------------------------------------

  /**
   * Runs the world up to simulated time `t` (no further when it is already there), resuming
   * each terminal's job whenever what it waits for has come; a terminal whose job ended gives
   * its prompt back, and runs what was typed ahead.
   */
  advanceTo(t: number): void {
    if (this.stateNow !== "running") return;
    const sim = this.lab.sim;
    while (sim.now() < t && this.stateNow === "running") {
      const jobs = this.waitingJobs();
      if (jobs.length > 0) RunningJob.advanceAll(sim, jobs, t - sim.now());
      else advanceClock(sim, t - sim.now());
      this.afterAdvance();
    }
    this.settleJumps();
  }

  private waitingJobs(): RunningJob<number>[] {
    const out: RunningJob<number>[] = [];
    for (const term of this.terminals.values()) {
      const j = term.runningJob;
      if (j && j.jobState === "waiting") out.push(j);
    }
    return out;
  }

  private afterAdvance(): void {
    for (const term of [...this.terminals.values()]) term.afterAdvance();
  }

  inputApplied(): void {
    this.settleJumps();
  }

  private settling = false;

  /** `sleep` and `advance` jump: the time they wait for passes now, for the whole world. */
  private settleJumps(): void {
    // Inputs applied while settling (lines typed ahead) are seen by the loop below.
    if (this.settling) return;
    this.settling = true;
    try {
      this.settleJumpsNow();
    } finally {
      this.settling = false;
    }
  }

  private settleJumpsNow(): void {
    for (;;) {
      if (this.stateNow !== "running") return;
      let until = Number.POSITIVE_INFINITY;
      for (const j of this.waitingJobs()) {
        const w = j.waitingFor as ForWait | undefined;
        if (w?.kind === "for" && w.jump) until = Math.min(until, j.waitStartedAt + w.ms);
      }
      if (until === Number.POSITIVE_INFINITY) return;
      const sim = this.lab.sim;
      // The wait may have begun inside the last slice: it ends at its own deadline.
      const jobs = this.waitingJobs();
      RunningJob.advanceAll(sim, jobs, Math.max(0, until - sim.now()));
      this.afterAdvance();
      this.clock?.jumped();
    }
  }

  // ---- inputs ------------------------------------------------------------------------------

  recordInput(term: number, input: TerminalInput): void {
    if (input.type === "line") this.record({ t: this.now, type: "line", term, text: input.text });
    else this.record({ t: this.now, type: "key", term, key: input.key });
  }

  /** Applies a terminal's input (a replay's); the terminal records it. */
  apply(term: number, input: TerminalInput): void {
    const t = this.terminals.get(term);
    if (!t) throw new Error(`no terminal ${term} is open`);
    t.apply(input);
  }

  /**
   * An HTTP request from the real host to one of node1's published ports, sent now; `done`
   * gets the simulated answer when the simulation produces it.
   */
  sendHttp(req: SessionHttp, done: (err: NetError | undefined, res: HttpResponse | undefined) => void): void {
    if (this.stateNow !== "running") return;
    this.record({ t: this.now, type: "http", ...req });
    this.hostHttp.send(req, done);
  }

  private record(e: SessionEvent): void {
    this.recorder?.event(e);
  }

  /**
   * From now on the session's records go to `recorder`, which already has the header (a seek
   * replayed the inputs on a fresh session, which goes on in the same session file).
   */
  continueRecording(recorder: SessionRecorder): void {
    this.recorder = recorder;
  }

  /** Notes a record that is not an input (a seek), in the session's file. */
  recordNote(e: Extract<SessionEvent, { type: "seek" }>): void {
    this.record(e);
  }

  // ---- ending ------------------------------------------------------------------------------

  endQuestion(): string {
    const lab = this.lab;
    const names = lab.nodeNames();
    let running = 0;
    let members = 0;
    let managers = 0;
    for (const n of names) {
      const node = lab.node(n);
      running += engineOf(node)?.containers().length ?? 0;
      running += lab.dindOf(node).filter((c) => c.state() === "running").length;
      const swarm = swarmOf(node);
      if (swarm?.state === "active") {
        members++;
        if (swarm.role === "manager") managers++;
      }
    }
    const swarm =
      members > 0
        ? `, a swarm of ${members} node${members === 1 ? "" : "s"} (${managers} manager${managers === 1 ? "" : "s"})`
        : "";
    const path = this.options.sessionPath;
    return (
      `[lab] exit at node1 ends the lab, and the simulated cluster with it: ${names.length} machine${names.length === 1 ? "" : "s"} (${names.join(", ")})${swarm}, ${running} container${running === 1 ? "" : "s"} running, ${simClock(this.now)} of simulated time.\n` +
      (path ? `[lab] The session is recorded in ${path}: swarm-sim replay ${path} runs it again.\n` : "") +
      "[lab] Type y (or exit again) to end the lab; anything else keeps it.\n"
    );
  }

  stackEnded(term: LiveTerminal): void {
    if (term.id === 1) this.end();
    else this.closeTerminal(term.id);
  }

  /** Ends the session: the end record with the trace hash, then every terminal closes. */
  end(): void {
    if (this.stateNow !== "running") return;
    this.stateNow = "ended";
    this.record({ t: this.now, type: "end", traceHash: this.lab.sim.trace.hash() });
    const all = [...this.terminals.values()];
    this.terminals.clear();
    for (const t of all) t.shutdown();
    for (const l of this.endListeners) l();
  }

  onEnd(cb: () => void): void {
    if (this.stateNow === "ended") cb();
    else this.endListeners.push(cb);
  }

  /**
   * Lets the session go without ending the lab: a seek replaced it by a session replayed up to
   * an earlier time. Nothing is recorded; its terminals shut down, its end listeners never run.
   */
  replaced(): void {
    if (this.stateNow !== "running") return;
    this.stateNow = "replaced";
    this.recorder = undefined;
    const all = [...this.terminals.values()];
    this.terminals.clear();
    for (const t of all) t.shutdown();
  }
}
