// The studio's timeline: what happened over simulated time, drawn from the cluster views the
// studio samples (view.ts) and from the session's inputs. Who led in which term (spans), the
// events worth a marker (a leader elected, no leader, a node's status or engine changing, a
// node joining or leaving the swarm, a command that breaks or repairs something), and each
// metric's rate (DockerCoins' hashes per second). Going back in time cuts it at the target.
// Pure bookkeeping: it never touches a world.
import type { LabWorld } from "../world";
import type { ClusterView, NodeView } from "./view";

export type TimelineEventKind =
  | "leader"
  | "no-leader"
  | "status"
  | "engine"
  | "role"
  | "fault"
  | "repair"
  | "change";

export interface TimelineEvent {
  /** Simulated ms. */
  t: number;
  /**
   * How many inputs the world had seen then (a typed command's marker: those before it): with
   * t, where a seek goes back to.
   */
  inputs: number;
  kind: TimelineEventKind;
  text: string;
  node?: string;
}

/** Who led, from `from` to `to` (simulated ms), in which term (leader null: none). */
export interface LeaderSpan {
  from: number;
  to: number;
  leader: string | null;
  term: number;
}

export interface MetricPoint {
  t: number;
  value: number;
}

export interface MetricSeries {
  name: string;
  unit: string;
  points: MetricPoint[];
}

export interface TimelineSnapshot {
  /** The latest time sampled. */
  now: number;
  spans: LeaderSpan[];
  events: TimelineEvent[];
  metrics: MetricSeries[];
}

/** A counter the studio turns into a rate over time (DockerCoins' hashes mined). */
export interface StudioMetric {
  name: string;
  /** The rate's unit, e.g. "hashes/s". */
  unit: string;
  /** The counter now (undefined: not running). Must only read the world. */
  counter(world: LabWorld): number | undefined;
}

/** The markers that come from typed commands (the others from what the world did). */
const INPUT_KINDS: ReadonlySet<TimelineEventKind> = new Set(["fault", "repair", "change"]);

/** A rate point needs at least this much simulated time since the last one. */
export const RATE_WINDOW_MS = 2000;
const MAX_EVENTS = 5000;
const MAX_POINTS = 3000;

/** Commands that break something, repair it, or change the swarm or the application (markers). */
const COMMAND_KINDS: readonly [RegExp, TimelineEventKind][] = [
  [/\bdocker\s+(kill|stop|pause)\s+\S/, "fault"],
  [/\bdocker\s+network\s+disconnect\b/, "fault"],
  [/\bsudo\s+(systemctl\s+stop\s+docker|service\s+docker\s+stop)\b/, "fault"],
  [/^(partition|block|latency|loss)\s/, "fault"],
  [/\bdocker\s+(start|restart|unpause)\s+\S/, "repair"],
  [/\bdocker\s+network\s+connect\b/, "repair"],
  [/\bsudo\s+(systemctl\s+(start|restart)\s+docker|service\s+docker\s+(start|restart))\b/, "repair"],
  [/^heal\b/, "repair"],
  [/\bdocker\s+swarm\s+(init|join|leave)(?![\w-])/, "change"],
  [/\bdocker\s+node\s+(promote|demote|rm|update)\b/, "change"],
  [/\bdocker\s+(service\s+(create|scale|update|rm)|stack\s+(deploy|rm))\b/, "change"],
  [/\bdocker(\s+|-)compose\s+(up|down|stop|start|restart|kill|scale)\b/, "change"],
];

/** The kind of marker a typed line makes, if any. */
export function commandKind(line: string): TimelineEventKind | undefined {
  const text = line.trim();
  for (const [re, kind] of COMMAND_KINDS) if (re.test(text)) return kind;
  return undefined;
}

function statusWord(n: NodeView): string {
  return n.status ? n.status.charAt(0).toUpperCase() + n.status.slice(1) : "";
}

function engineWord(n: NodeView): string {
  if (n.engine === "stopped")
    return `engine stopped${n.exitCode === undefined ? "" : ` (exit ${n.exitCode})`}`;
  return `engine ${n.engine}`;
}

export class Timeline {
  private now = 0;
  private spans: LeaderSpan[] = [];
  private events: TimelineEvent[] = [];
  private readonly series: MetricSeries[];
  private last: ClusterView | undefined;
  private readonly counters: ({ t: number; count: number } | undefined)[];
  /** What was added since the last drain (for the pages). */
  private fresh: { spans: boolean; events: TimelineEvent[]; points: MetricPoint[][] };

  constructor(private readonly metrics: readonly StudioMetric[] = []) {
    this.series = metrics.map((m) => ({ name: m.name, unit: m.unit, points: [] }));
    this.counters = metrics.map(() => undefined);
    this.fresh = this.emptyFresh();
  }

  private emptyFresh(): { spans: boolean; events: TimelineEvent[]; points: MetricPoint[][] } {
    return { spans: false, events: [], points: this.metrics.map(() => []) };
  }

  /** Takes in a view (the metrics' counters read at the same time, the inputs seen so far). */
  sample(view: ClusterView, counters: readonly (number | undefined)[] = [], inputs = 0): void {
    const t = view.t;
    if (t < this.now) return;
    this.now = t;
    this.extendSpan(view);
    this.compare(this.last, view, inputs);
    this.last = view;
    for (let i = 0; i < this.metrics.length; i++) this.sampleCounter(i, t, counters[i]);
  }

  /**
   * A line typed into a terminal, the world having seen `before` inputs: a marker when it
   * breaks, repairs or changes something.
   */
  input(t: number, line: string, before = 0): void {
    const kind = commandKind(line);
    if (kind) this.event({ t, inputs: before, kind, text: line.trim() });
  }

  private extendSpan(view: ClusterView): void {
    const lastSpan = this.spans[this.spans.length - 1];
    if (lastSpan && lastSpan.leader === view.leader && lastSpan.term === view.term) {
      lastSpan.to = view.t;
    } else {
      if (lastSpan) lastSpan.to = view.t;
      this.spans.push({ from: view.t, to: view.t, leader: view.leader, term: view.term });
    }
    this.fresh.spans = true;
  }

  private compare(before: ClusterView | undefined, after: ClusterView, inputs: number): void {
    const t = after.t;
    const event = (kind: TimelineEventKind, text: string, node?: string) =>
      this.event(node === undefined ? { t, inputs, kind, text } : { t, inputs, kind, text, node });
    if (before && (before.leader !== after.leader || (after.leader !== null && before.term !== after.term))) {
      if (after.leader) event("leader", `${after.leader} leads (term ${after.term})`, after.leader);
      else if (before.leader) event("no-leader", `no leader (${before.leader} lost it, term ${after.term})`);
    } else if (!before && after.leader) {
      event("leader", `${after.leader} leads (term ${after.term})`, after.leader);
    }
    const old = new Map((before?.nodes ?? []).map((n) => [n.name, n]));
    for (const n of after.nodes) {
      const o = old.get(n.name);
      if (!o) {
        if (before) event("engine", `${n.name} created`, n.name);
        continue;
      }
      if (o.engine !== n.engine || (n.engine === "stopped" && o.exitCode !== n.exitCode))
        event("engine", `${n.name}: ${engineWord(n)}`, n.name);
      if (o.status !== n.status && n.status !== null) event("status", `${n.name} ${statusWord(n)}`, n.name);
      const wasIn = o.role !== null;
      const isIn = n.role !== null;
      if (!wasIn && isIn)
        event("role", `${n.name} joined the swarm (${n.role === "leader" ? "manager" : n.role})`, n.name);
      else if (wasIn && !isIn && n.engine === "running") event("role", `${n.name} left the swarm`, n.name);
      else if (o.role === "worker" && (n.role === "manager" || n.role === "leader"))
        event("role", `${n.name} is a manager`, n.name);
      else if ((o.role === "manager" || o.role === "leader") && n.role === "worker")
        event("role", `${n.name} is a worker`, n.name);
    }
  }

  private sampleCounter(i: number, t: number, count: number | undefined): void {
    const base = this.counters[i];
    if (count === undefined) {
      this.counters[i] = undefined;
      return;
    }
    if (!base || count < base.count) {
      this.counters[i] = { t, count };
      return;
    }
    if (t - base.t < RATE_WINDOW_MS) return;
    const point = { t, value: ((count - base.count) * 1000) / (t - base.t) };
    const points = this.series[i].points;
    points.push(point);
    if (points.length > MAX_POINTS) {
      // Halve the resolution of the older half: a long session keeps its shape.
      const half = Math.floor(points.length / 2);
      const thinned = points.slice(0, half).filter((_p, k) => k % 2 === 0);
      this.series[i].points = [...thinned, ...points.slice(half)];
    }
    this.fresh.points[i].push(point);
    this.counters[i] = { t, count };
  }

  private event(e: TimelineEvent): void {
    this.events.push(e);
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    this.fresh.events.push(e);
  }

  /** Everything so far. */
  snapshot(): TimelineSnapshot {
    return {
      now: this.now,
      spans: this.spans.map((s) => ({ ...s })),
      events: [...this.events],
      metrics: this.series.map((s) => ({ ...s, points: [...s.points] })),
    };
  }

  /** What was added since the last drain: the spans whole (they are few), new events and points. */
  drain(): TimelineSnapshot | undefined {
    const f = this.fresh;
    if (!f.spans && f.events.length === 0 && f.points.every((p) => p.length === 0)) return undefined;
    this.fresh = this.emptyFresh();
    return {
      now: this.now,
      spans: this.spans.map((s) => ({ ...s })),
      events: f.events,
      metrics: this.series.map((s, i) => ({ name: s.name, unit: s.unit, points: f.points[i] })),
    };
  }

  /**
   * Going back to `to` with the first `inputs` inputs: what happened after it did not happen.
   * `view` is the world there (the next sample compares with it).
   */
  cut(to: number, inputs: number, view: ClusterView): void {
    this.now = to;
    this.spans = this.spans.filter((s) => s.from <= to);
    const lastSpan = this.spans[this.spans.length - 1];
    if (lastSpan) lastSpan.to = Math.min(lastSpan.to, to);
    // A typed command stays if it is among the inputs kept; what a sample saw stays if the
    // world had seen no more inputs then.
    this.events = this.events.filter((e) =>
      INPUT_KINDS.has(e.kind) ? e.inputs < inputs : e.t < to || (e.t === to && e.inputs <= inputs),
    );
    for (const s of this.series) s.points = s.points.filter((p) => p.t <= to);
    this.counters.fill(undefined);
    this.last = view;
    this.fresh = this.emptyFresh();
    this.extendSpan(view);
  }
}
