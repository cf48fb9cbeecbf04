// The studio: a live lab shown to web pages (server.ts carries the messages, protocol.ts says
// what they are). It gives each page the lab's terminals (every terminal of the session: the
// lab's own and those pages opened, sharing one world), the cluster's view at a modest rate,
// the timeline, and the Raft messages in flight; it takes the keys the pages type, their clock
// controls, and their requests to go back in time. The keys go into the terminals as typed
// ones (the session records them); the clock controls act on the pacer only; going back is the
// live lab's seek. It decides only when things are shown: it reads the world, never changes it.
import { labCompleter } from "../completion";
import type { LiveLab, SeekDone } from "../live/live-lab";
import { inputsBefore } from "../live/seek";
import type { LiveSession } from "../live/session";
import type { LiveTerminal } from "../live/terminal";
import { simClock } from "../commands/usage";
import {
  type ClientMessage,
  type ClockInfo,
  PROTOCOL_VERSION,
  parseClientMessage,
  type ServerMessage,
  type TerminalInfo,
} from "./protocol";
import { RaftFlights } from "./raft-flights";
import { type StudioMetric, Timeline } from "./timeline";
import { type ClusterView, clusterView } from "./view";

export interface StudioOptions {
  /** Counters shown as rates on the timeline (DockerCoins' hashes). */
  metrics?: readonly StudioMetric[];
  /** The wall clock in ms (default performance.now); a test may hand its own. */
  wallNow?: () => number;
}

/** A page, as the studio sees it: where its messages go. */
export interface StudioClient {
  send(message: ServerMessage): void;
}

/** A page's link to the studio: what it says, and its leaving. */
export interface StudioConnection {
  receive(text: string): void;
  leave(): void;
}

/** The cluster's view is pushed at most this often (wall ms). */
const VIEW_EVERY_MS = 250;
/** The timeline samples the world at most this often (wall ms). */
const SAMPLE_EVERY_MS = 100;
/** Raft flights are pushed at most this often (wall ms). */
const FLIGHTS_EVERY_MS = 50;
/** Raft messages are shown in flight at this speed or slower... */
export const FLIGHTS_MAX_SPEED = 2;
/** ...and for at most this many managers. */
export const FLIGHTS_MAX_MANAGERS = 7;
/** The tail of each terminal's output kept for a page that opens it later. */
const SCREEN_KEEP = 128 * 1024;

/** A browser's terminal has no line discipline: a line feed alone must return the carriage too. */
export function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, "\r\n");
}

function keepTail(s: string): string {
  return s.length > SCREEN_KEEP * 2 ? s.slice(-SCREEN_KEEP) : s;
}

export class Studio {
  private readonly clients = new Set<StudioClient>();
  private readonly timeline: Timeline;
  private readonly flights = new RaftFlights();
  private readonly screens = new Map<number, string>();
  private readonly pendingOutput = new Map<number, string>();
  private flushQueued = false;
  private readonly wallNow: () => number;
  private lastView: ClusterView;
  private lastSampleWall = Number.NEGATIVE_INFINITY;
  /** The simulated time of the timeline's last sample. */
  private lastSampleT: number;
  private lastPushWall = Number.NEGATIVE_INFINITY;
  private lastFlightsWall = Number.NEGATIVE_INFINITY;
  /** An input reached the world since the view was computed (a paused clock: it still shows). */
  private inputsSinceView = false;
  /** How many inputs the world had seen when lastView was computed. */
  private lastViewInputs = 0;
  private readonly metrics: readonly StudioMetric[];

  constructor(
    readonly live: LiveLab,
    options: StudioOptions = {},
  ) {
    this.metrics = options.metrics ?? [];
    this.timeline = new Timeline(this.metrics);
    // wall-clock: the studio paces its pushes to the pages by the wall clock (never the world).
    this.wallNow = options.wallNow ?? (() => performance.now());
    this.attachSession(live.session);
    this.lastView = clusterView(live.lab);
    this.lastSampleT = this.lastView.t;
    this.lastViewInputs = live.inputCount;
    this.timeline.sample(this.lastView, this.counters(), live.inputCount);
    live.onTick(() => this.tick());
    live.onSwitch((done) => this.switched(done));
    live.onRecord((e) => {
      this.inputsSinceView = true;
      // (The live lab has counted this input: the marker goes back to just before it.)
      if (e.type === "line") this.timeline.input(e.t, e.text, live.inputCount - 1);
    });
    live.onEnd(() => {
      this.flights.detach();
      this.broadcast({ type: "ended" });
    });
  }

  // ---- pages ---------------------------------------------------------------------------------

  /** A page joins: it gets the whole picture, then everything as it happens. */
  join(client: StudioClient): StudioConnection {
    this.flushOutput();
    this.clients.add(client);
    client.send({
      type: "hello",
      version: PROTOCOL_VERSION,
      seed: String(this.live.lab.sim.seed),
      canSeek: this.live.canSeek,
      clock: this.clock(),
      terminals: this.terminals(),
      view: this.lastView,
      inputs: this.lastViewInputs,
      timeline: this.timeline.snapshot(),
    });
    if (this.live.state === "ended") client.send({ type: "ended" });
    return {
      receive: (text) => this.receive(client, text),
      leave: () => {
        this.clients.delete(client);
        if (this.clients.size === 0) this.flights.detach();
      },
    };
  }

  private receive(client: StudioClient, text: string): void {
    const parsed = parseClientMessage(text);
    if (!parsed.ok) {
      client.send({ type: "error", message: parsed.error });
      return;
    }
    const error = this.act(client, parsed.message);
    if (error) client.send({ type: "error", message: error });
  }

  /** Does what a page asked; returns why not, when it cannot. */
  private act(client: StudioClient, m: ClientMessage): string | undefined {
    const live = this.live;
    if (live.state === "ended") return "the lab has ended";
    if (live.state === "seeking" && m.type !== "pause" && m.type !== "speed")
      return "the lab is going back in time: wait a moment";
    switch (m.type) {
      case "open": {
        const t = live.openTerminal({
          mode: "tty",
          stdoutIsTerminal: true,
          columns: m.cols,
          rows: m.rows,
          completer: (line) => labCompleter(this.live.lab)(line),
        });
        t.begin();
        this.flushOutput();
        client.send({ type: "opened", terminal: this.info(t), mine: true });
        return undefined;
      }
      case "input": {
        const t = live.terminal(m.term);
        if (!t) return `no terminal ${m.term} is open`;
        if (t.mode !== "tty") return `terminal ${m.term} reads whole lines from its pipe: it takes no keys`;
        t.input(m.data);
        return undefined;
      }
      case "resize": {
        const t = live.terminal(m.term);
        if (!t) return `no terminal ${m.term} is open`;
        // The lab's own terminal has the size of the process's.
        if (m.term !== 1) t.resize(m.cols, m.rows);
        return undefined;
      }
      case "close": {
        if (m.term === 1) return "terminal 1 is the lab's own: exit at its node1 ends the lab";
        const t = live.terminal(m.term);
        if (!t) return `no terminal ${m.term} is open`;
        t.close();
        return undefined;
      }
      case "pause":
        live.pacer.pause();
        this.pushView(true);
        return undefined;
      case "resume":
        live.pacer.resume();
        this.pushView(true);
        return undefined;
      case "speed":
        live.pacer.setSpeed(m.speed);
        this.pushView(true);
        return undefined;
      case "seek":
        return this.seek(m.t, m.inputs);
    }
  }

  private seek(to: number, inputs: number | undefined): string | undefined {
    const live = this.live;
    if (!live.canSeek) return "this lab cannot go back in time";
    if (!(to < live.now)) return `can only go back to an earlier time (before ${simClock(live.now)})`;
    try {
      inputsBefore(live.recorded(), to, inputs);
    } catch (e) {
      return `cannot go back to ${simClock(to)}: ${(e as Error).message}`;
    }
    this.broadcast({ type: "seeking", to, now: 0 });
    live
      .seek(to, { inputs, onProgress: (now) => this.broadcast({ type: "seeking", to, now }) })
      .catch((e: Error) => this.broadcast({ type: "error", message: `going back failed: ${e.message}` }));
    return undefined;
  }

  // ---- terminals -----------------------------------------------------------------------------

  private attachSession(session: LiveSession): void {
    for (const t of session.openTerminals()) this.watch(t);
    session.onTerminalOpened((t) => {
      this.screens.set(t.id, "");
      this.watch(t);
      this.broadcast({ type: "opened", terminal: this.info(t), mine: false });
    });
    session.onTerminalClosed((id) => {
      this.flushOutput();
      this.screens.delete(id);
      this.broadcast({ type: "closed", term: id });
    });
  }

  private watch(t: LiveTerminal): void {
    if (!this.screens.has(t.id)) this.screens.set(t.id, "");
    t.onOutput((text) => this.output(t.id, toCrlf(text)));
  }

  private output(id: number, data: string): void {
    this.screens.set(id, keepTail((this.screens.get(id) ?? "") + data));
    this.pendingOutput.set(id, (this.pendingOutput.get(id) ?? "") + data);
    if (!this.flushQueued) {
      this.flushQueued = true;
      // One message per terminal for all the output of one turn (compose's logs come in bursts).
      queueMicrotask(() => this.flushOutput());
    }
  }

  private flushOutput(): void {
    this.flushQueued = false;
    if (this.pendingOutput.size === 0) return;
    const pending = [...this.pendingOutput];
    this.pendingOutput.clear();
    for (const [term, data] of pending) this.send({ type: "output", term, data });
  }

  private info(t: LiveTerminal): TerminalInfo {
    return {
      id: t.id,
      node: t.stack.current().node.name,
      screen: this.screens.get(t.id) ?? "",
      input: t.mode === "tty",
      own: t.id === 1,
    };
  }

  private terminals(): TerminalInfo[] {
    return this.live.session
      .openTerminals()
      .filter((t) => !t.isClosed())
      .map((t) => this.info(t));
  }

  // ---- the clock and the pictures ------------------------------------------------------------

  private counters(): (number | undefined)[] {
    return this.metrics.map((m) => m.counter(this.live.lab));
  }

  private managerCount(view: ClusterView): number {
    return view.nodes.filter((n) => n.role === "leader" || n.role === "manager").length;
  }

  private flightsOff(): string | undefined {
    const live = this.live;
    if (live.pacer.speed > FLIGHTS_MAX_SPEED) return `shown at ${FLIGHTS_MAX_SPEED}x or slower`;
    const managers = this.managerCount(this.lastView);
    if (managers > FLIGHTS_MAX_MANAGERS)
      return `shown for up to ${FLIGHTS_MAX_MANAGERS} managers (${managers} here)`;
    if (managers < 2) return "shown between two managers or more";
    return undefined;
  }

  private clock(): ClockInfo {
    const live = this.live;
    const off = this.flightsOff();
    return {
      now: live.now,
      speed: live.pacer.speed,
      paused: live.pacer.paused,
      state: live.state,
      flights: off === undefined,
      ...(off ? { flightsOff: off } : {}),
    };
  }

  /** After each tick of the clock: sample, and push what is due (never while going back). */
  private tick(): void {
    if (this.live.state !== "running") return;
    const wall = this.wallNow();
    if (wall - this.lastSampleWall >= SAMPLE_EVERY_MS && this.live.now > this.lastSampleT) {
      this.lastSampleWall = wall;
      this.lastSampleT = this.live.now;
      this.inputsSinceView = false;
      this.lastView = clusterView(this.live.lab);
      this.lastViewInputs = this.live.inputCount;
      this.timeline.sample(this.lastView, this.counters(), this.lastViewInputs);
    }
    if (this.clients.size === 0) return;
    this.followFlights();
    if (wall - this.lastFlightsWall >= FLIGHTS_EVERY_MS && this.flights.attached) {
      this.lastFlightsWall = wall;
      const batch = this.flights.drain();
      if (batch.flights.length > 0 || batch.landed.length > 0) this.broadcast({ type: "raft", ...batch });
    }
    if (wall - this.lastPushWall >= VIEW_EVERY_MS) this.pushView(false);
  }

  /** Watches the managers' raft messages only while a page can see them. */
  private followFlights(): void {
    if (this.clients.size > 0 && this.flightsOff() === undefined && !this.live.pacer.paused)
      this.flights.attach(this.live.lab);
    else this.flights.detach();
  }

  private pushView(now: boolean): void {
    if (this.clients.size === 0 || this.live.state !== "running") return;
    this.lastPushWall = this.wallNow();
    // The sample's view, unless the world moved since (the timeline keeps its samples).
    if (now || this.inputsSinceView || this.live.now !== this.lastView.t) {
      this.inputsSinceView = false;
      this.lastView = clusterView(this.live.lab);
      this.lastViewInputs = this.live.inputCount;
    }
    this.broadcast({
      type: "view",
      view: this.lastView,
      inputs: this.lastViewInputs,
      clock: this.clock(),
      prompts: this.live.session
        .openTerminals()
        .map((t) => ({ id: t.id, node: t.stack.current().node.name })),
    });
    const fresh = this.timeline.drain();
    if (fresh) this.broadcast({ type: "timeline", reset: false, timeline: fresh });
  }

  // ---- going back ----------------------------------------------------------------------------

  private switched(done: SeekDone): void {
    this.flights.detach();
    this.pendingOutput.clear();
    this.screens.clear();
    // (The live lab then writes a word on the seek in each terminal: it comes as output.)
    for (const [id, screen] of done.screens) this.screens.set(id, keepTail(toCrlf(screen)));
    this.attachSession(this.live.session);
    this.lastView = clusterView(this.live.lab);
    this.lastSampleT = this.lastView.t;
    this.lastViewInputs = this.live.inputCount;
    this.timeline.cut(done.to, this.lastViewInputs, this.lastView);
    this.broadcast({
      type: "seeked",
      from: done.from,
      to: done.to,
      dropped: done.dropped,
      terminals: this.terminals(),
    });
    this.broadcast({ type: "timeline", reset: true, timeline: this.timeline.snapshot() });
    this.pushView(true);
  }

  // ---- sending -------------------------------------------------------------------------------

  private send(m: ServerMessage): void {
    for (const c of this.clients) c.send(m);
  }

  /** Sends to every page, after the output still on its way (so the order holds). */
  private broadcast(m: ServerMessage): void {
    this.flushOutput();
    this.send(m);
  }
}
