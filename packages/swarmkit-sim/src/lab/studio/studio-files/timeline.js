// The timeline: simulated time from the start of the session to now, left to right. A lane of
// who led in which term (an election shows as a change of colour; no leader as grey stripes), a
// lane of markers (faults typed, repairs, swarm changes, leaders elected, nodes changing
// status), and DockerCoins' hashes per second when it runs. Hovering says what and when;
// clicking a marker (or a moment) offers to go back there: the lab replays the session's
// inputs from before that time on a fresh world and branches from it.

const LANES = { axis: 16, leader: 24, events: 30, metric: 64 };
const PAD_LEFT = 82;
const PAD_RIGHT = 14;

const EVENT_STYLE = {
  fault: { colour: "#c62828", shape: "down", lane: 0 },
  repair: { colour: "#2e7d32", shape: "up", lane: 0 },
  change: { colour: "#1565c0", shape: "diamond", lane: 0 },
  leader: { colour: "#1565c0", shape: "dot", lane: 1 },
  "no-leader": { colour: "#c62828", shape: "ring", lane: 1 },
  status: { colour: "#e08a00", shape: "tick", lane: 1 },
  engine: { colour: "#6b7385", shape: "tick", lane: 1 },
  role: { colour: "#8e24aa", shape: "diamond", lane: 1 },
};

const LEADER_COLOURS = [
  "#90caf9",
  "#a5d6a7",
  "#ffcc80",
  "#ce93d8",
  "#80cbc4",
  "#f48fb1",
  "#e6ee9c",
  "#bcaaa4",
  "#b0bec5",
];

function clockText(ms) {
  const s = Math.floor(ms / 1000);
  const hh = String(Math.floor(s / 3600)).padStart(2, "0");
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return `${hh}:${mm}:${ss}`;
}

function niceStep(spanMs, px) {
  const target = (spanMs / Math.max(px, 1)) * 90;
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400].map(
    (s) => s * 1000,
  );
  return steps.find((s) => s >= target) ?? steps[steps.length - 1];
}

export class TimelineView {
  /**
   * @param {HTMLCanvasElement} canvas @param {HTMLElement} tooltip
   * @param {(t: number, what: string, inputs?: number) => void} onPick asked to go back to t
   *   (with the number of inputs the world had seen there, when a marker says it)
   */
  constructor(canvas, tooltip, onPick) {
    this.canvas = canvas;
    this.tooltip = tooltip;
    this.onPick = onPick;
    this.data = { now: 0, spans: [], events: [], metrics: [] };
    this.now = 0;
    this.hover = undefined;
    this.leaderColours = new Map();
    canvas.addEventListener("mousemove", (e) => this.move(e));
    canvas.addEventListener("mouseleave", () => {
      this.hover = undefined;
      this.tooltip.hidden = true;
      this.draw();
    });
    canvas.addEventListener("click", (e) => this.click(e));
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  /** The whole timeline again (a hello, a seek). */
  reset(snapshot) {
    this.data = {
      now: snapshot.now,
      spans: snapshot.spans,
      events: [...snapshot.events],
      metrics: snapshot.metrics.map((m) => ({ ...m, points: [...m.points] })),
    };
    this.draw();
  }

  /** What is new (the spans come whole). */
  extend(delta) {
    this.data.now = delta.now;
    this.data.spans = delta.spans;
    this.data.events.push(...delta.events);
    delta.metrics.forEach((m, i) => {
      if (!this.data.metrics[i]) this.data.metrics[i] = { name: m.name, unit: m.unit, points: [] };
      this.data.metrics[i].points.push(...m.points);
    });
    this.draw();
  }

  setNow(now) {
    this.now = Math.max(now, this.data.now);
    this.draw();
  }

  range() {
    const end = Math.max(this.now, this.data.now, 30_000);
    return { start: 0, end: end * 1.02 };
  }

  x(t, width) {
    const { start, end } = this.range();
    return PAD_LEFT + ((t - start) / (end - start)) * (width - PAD_LEFT - PAD_RIGHT);
  }

  t(x, width) {
    const { start, end } = this.range();
    return start + ((x - PAD_LEFT) / (width - PAD_LEFT - PAD_RIGHT)) * (end - start);
  }

  leaderColour(name) {
    if (!this.leaderColours.has(name))
      this.leaderColours.set(name, LEADER_COLOURS[this.leaderColours.size % LEADER_COLOURS.length]);
    return this.leaderColours.get(name);
  }

  lanes() {
    const top = LANES.axis;
    return {
      leader: { y: top, h: LANES.leader },
      events: { y: top + LANES.leader + 6, h: LANES.events },
      metric: { y: top + LANES.leader + LANES.events + 14, h: LANES.metric },
    };
  }

  draw() {
    const c = this.canvas;
    const dpr = window.devicePixelRatio || 1;
    const width = c.clientWidth;
    const height = c.clientHeight;
    if (width === 0 || height === 0) return;
    if (c.width !== Math.round(width * dpr) || c.height !== Math.round(height * dpr)) {
      c.width = Math.round(width * dpr);
      c.height = Math.round(height * dpr);
    }
    const g = c.getContext("2d");
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);
    g.font = "11px system-ui, sans-serif";
    const lanes = this.lanes();
    this.drawAxis(g, width);
    this.drawLabels(g, lanes);
    this.drawSpans(g, width, lanes.leader);
    this.drawEvents(g, width, lanes.events);
    this.drawMetric(g, width, lanes.metric);
    // Now, and the moment under the mouse.
    const xNow = this.x(this.now, width);
    g.strokeStyle = "#1d2330";
    g.lineWidth = 1.5;
    g.beginPath();
    g.moveTo(xNow, LANES.axis - 2);
    g.lineTo(xNow, lanes.metric.y + lanes.metric.h);
    g.stroke();
    if (this.hover) {
      g.strokeStyle = "rgba(21,101,192,0.6)";
      g.setLineDash([3, 3]);
      g.beginPath();
      g.moveTo(this.hover.x, LANES.axis - 2);
      g.lineTo(this.hover.x, lanes.metric.y + lanes.metric.h);
      g.stroke();
      g.setLineDash([]);
    }
  }

  drawAxis(g, width) {
    const { start, end } = this.range();
    const step = niceStep(end - start, width - PAD_LEFT - PAD_RIGHT);
    g.fillStyle = "#6b7385";
    g.strokeStyle = "#d8dbe2";
    g.lineWidth = 1;
    for (let t = 0; t <= end; t += step) {
      const x = this.x(t, width);
      g.beginPath();
      g.moveTo(x, LANES.axis - 4);
      g.lineTo(x, LANES.axis);
      g.stroke();
      const label = clockText(t);
      g.fillText(label, Math.min(x - 20, width - 50), 10);
    }
  }

  drawLabels(g, lanes) {
    g.fillStyle = "#6b7385";
    g.fillText("leader", 8, lanes.leader.y + 16);
    g.fillText("events", 8, lanes.events.y + 19);
    const m = this.data.metrics[0];
    g.fillText(m ? m.unit : "", 8, lanes.metric.y + 14);
    if (m) g.fillText(m.name, 8, lanes.metric.y + 28);
  }

  drawSpans(g, width, lane) {
    for (const s of this.data.spans) {
      const x0 = this.x(s.from, width);
      const x1 = Math.max(x0 + 1, this.x(Math.max(s.to, s.from), width));
      if (s.leader) {
        g.fillStyle = this.leaderColour(s.leader);
        g.fillRect(x0, lane.y, x1 - x0, lane.h);
        if (x1 - x0 > 70) {
          g.fillStyle = "#1d2330";
          g.fillText(`${s.leader} · term ${s.term}`, x0 + 5, lane.y + 16);
        }
      } else {
        g.fillStyle = "#eceef2";
        g.fillRect(x0, lane.y, x1 - x0, lane.h);
        g.strokeStyle = "#c9ced8";
        g.lineWidth = 1;
        for (let x = x0 - lane.h; x < x1; x += 7) {
          g.beginPath();
          g.moveTo(Math.max(x, x0), lane.y + lane.h - Math.max(0, x0 - x));
          g.lineTo(Math.min(x + lane.h, x1), lane.y + Math.max(0, x + lane.h - x1));
          g.stroke();
        }
        if (x1 - x0 > 70 && s.term > 0) {
          g.fillStyle = "#6b7385";
          g.fillText(`no leader · term ${s.term}`, x0 + 5, lane.y + 16);
        }
      }
    }
  }

  eventPoints(width, lane) {
    return this.data.events.map((e) => {
      const style = EVENT_STYLE[e.kind] ?? EVENT_STYLE.engine;
      const y = lane.y + (style.lane === 0 ? 8 : 22);
      return { e, style, x: this.x(e.t, width), y };
    });
  }

  drawEvents(g, width, lane) {
    g.strokeStyle = "#e4e6ec";
    g.beginPath();
    g.moveTo(PAD_LEFT, lane.y + lane.h / 2);
    g.lineTo(width - PAD_RIGHT, lane.y + lane.h / 2);
    g.stroke();
    for (const p of this.eventPoints(width, lane)) {
      const big = this.hover?.event === p.e;
      const r = big ? 6 : 4.5;
      g.fillStyle = p.style.colour;
      g.strokeStyle = p.style.colour;
      g.lineWidth = 1.5;
      g.beginPath();
      switch (p.style.shape) {
        case "down":
          g.moveTo(p.x - r, p.y - r);
          g.lineTo(p.x + r, p.y - r);
          g.lineTo(p.x, p.y + r);
          g.closePath();
          g.fill();
          break;
        case "up":
          g.moveTo(p.x - r, p.y + r);
          g.lineTo(p.x + r, p.y + r);
          g.lineTo(p.x, p.y - r);
          g.closePath();
          g.fill();
          break;
        case "diamond":
          g.moveTo(p.x, p.y - r);
          g.lineTo(p.x + r, p.y);
          g.lineTo(p.x, p.y + r);
          g.lineTo(p.x - r, p.y);
          g.closePath();
          g.fill();
          break;
        case "ring":
          g.arc(p.x, p.y, r - 1, 0, Math.PI * 2);
          g.stroke();
          break;
        case "tick":
          g.moveTo(p.x, p.y - r);
          g.lineTo(p.x, p.y + r);
          g.stroke();
          break;
        default:
          g.arc(p.x, p.y, r - 0.5, 0, Math.PI * 2);
          g.fill();
      }
    }
  }

  drawMetric(g, width, lane) {
    const m = this.data.metrics[0];
    g.strokeStyle = "#d8dbe2";
    g.lineWidth = 1;
    g.strokeRect(PAD_LEFT, lane.y, width - PAD_LEFT - PAD_RIGHT, lane.h);
    if (!m || m.points.length === 0) {
      g.fillStyle = "#9aa1b0";
      g.fillText(m ? `${m.name}: not running` : "", PAD_LEFT + 8, lane.y + lane.h / 2 + 4);
      return;
    }
    const max = Math.max(1, ...m.points.map((p) => p.value)) * 1.15;
    const yOf = (v) => lane.y + lane.h - (v / max) * lane.h;
    // A steelblue area, as DockerCoins' own page draws it.
    g.fillStyle = "rgba(70,130,180,0.25)";
    g.strokeStyle = "steelblue";
    g.lineWidth = 1.5;
    g.beginPath();
    let started = false;
    let lastX = 0;
    let firstX = 0;
    for (const p of m.points) {
      const x = this.x(p.t, width);
      if (!started) {
        g.moveTo(x, yOf(p.value));
        firstX = x;
        started = true;
      } else g.lineTo(x, yOf(p.value));
      lastX = x;
    }
    g.stroke();
    g.lineTo(lastX, lane.y + lane.h);
    g.lineTo(firstX, lane.y + lane.h);
    g.closePath();
    g.fill();
    g.fillStyle = "#6b7385";
    g.fillText(`${(max / 1.15).toFixed(1)}`, PAD_LEFT + 4, lane.y + 11);
    const last = m.points[m.points.length - 1];
    g.fillStyle = "steelblue";
    g.fillText(
      `${last.value.toFixed(1)} ${m.unit}`,
      Math.min(this.x(last.t, width) + 4, width - 90),
      yOf(last.value) - 4,
    );
  }

  /** Where the marker of the first event whose text is `text` is drawn, in the page's coordinates. */
  markerAt(text) {
    const rect = this.canvas.getBoundingClientRect();
    const p = this.eventPoints(rect.width, this.lanes().events).find((q) => q.e.text === text);
    return p ? { x: rect.left + p.x, y: rect.top + p.y, t: p.e.t } : undefined;
  }

  pointer(e) {
    const rect = this.canvas.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top, width: rect.width };
  }

  /** The event marker under (x, y), if any. */
  eventAt(x, y, width) {
    const lane = this.lanes().events;
    let best;
    let bestD = 8;
    for (const p of this.eventPoints(width, lane)) {
      const d = Math.hypot(p.x - x, p.y - y);
      if (d < bestD) {
        best = p.e;
        bestD = d;
      }
    }
    return best;
  }

  move(e) {
    const { x, y, width } = this.pointer(e);
    if (x < PAD_LEFT) {
      this.hover = undefined;
      this.tooltip.hidden = true;
      this.draw();
      return;
    }
    const event = this.eventAt(x, y, width);
    const t = event ? event.t : Math.max(0, this.t(x, width));
    this.hover = { x: event ? this.x(event.t, width) : x, event };
    const span = this.data.spans.find((s) => s.from <= t && t <= s.to);
    const leader = span
      ? span.leader
        ? `${span.leader} leads, term ${span.term}`
        : `no leader (term ${span.term})`
      : "";
    this.tooltip.textContent = `${clockText(t)}  ${event ? event.text : leader}`;
    this.tooltip.hidden = false;
    this.tooltip.style.left = `${Math.min(x + 16, width - 260)}px`;
    this.tooltip.style.top = `${Math.max(0, y - 30)}px`;
    this.draw();
  }

  click(e) {
    const { x, y, width } = this.pointer(e);
    if (x < PAD_LEFT) return;
    const event = this.eventAt(x, y, width);
    if (event) {
      // A typed command's marker: the world before it ran; the others: as the studio saw it then.
      const typed = event.kind === "fault" || event.kind === "repair" || event.kind === "change";
      this.onPick(event.t, typed ? `just before “${event.text}”` : `when “${event.text}”`, event.inputs);
      return;
    }
    const t = Math.max(0, Math.round(this.t(x, width)));
    if (t < this.now) this.onPick(t, "");
  }
}
