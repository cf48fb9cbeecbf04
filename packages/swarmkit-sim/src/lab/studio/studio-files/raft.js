// Raft in flight, as RaftScope shows it: the managers on a circle (each with its term, its
// commit index, and its role: the leader ringed, a candidate dashed, a stopped one grey), and
// the messages between them as dots that fly from sender to receiver: votes, appends,
// heartbeats and their answers, each its own colour. A message that never lands (a partition, a
// dead peer) fades out halfway with a cross. Simulated time is far quicker than the eye (a
// message takes a fraction of a millisecond), so each flight takes a fixed part of a second on
// the page, spaced as the simulation sent them, an answer leaving once its question has landed.
import { h } from "./cluster.js";

const SVG = "http://www.w3.org/2000/svg";

const KINDS = [
  { types: ["Vote", "PreVote"], colour: "#f39c12", label: "vote request" },
  { types: ["VoteResp", "PreVoteResp"], colour: "#f39c12", hollow: true, label: "vote answer" },
  { types: ["App"], colour: "#1e88e5", label: "append entries" },
  { types: ["AppResp"], colour: "#1e88e5", hollow: true, label: "append answer" },
  { types: ["Heartbeat"], colour: "#43a047", label: "heartbeat" },
  { types: ["HeartbeatResp"], colour: "#43a047", hollow: true, label: "heartbeat answer" },
  { types: ["TimeoutNow", "Snap", "ReadIndex", "ReadIndexResp"], colour: "#8e24aa", label: "other" },
];

function kindOf(type) {
  return KINDS.find((k) => k.types.includes(type)) ?? KINDS[KINDS.length - 1];
}

/** At most this many flights are drawn at once (the oldest waiting ones are dropped). */
const MAX_FLIGHTS = 80;

function svg(tag, attrs = {}) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

export class RaftView {
  /** @param {SVGSVGElement} el @param {HTMLElement} legend @param {HTMLElement} note */
  constructor(el, legend, note) {
    this.el = el;
    this.note = note;
    this.positions = new Map();
    this.membersKey = "";
    this.links = [];
    this.flights = [];
    this.landed = new Set();
    this.arrivals = new Map();
    this.speed = 1;
    this.shown = 0;
    this.enabled = false;
    this.linksLayer = svg("g");
    this.nodesLayer = svg("g");
    this.flightsLayer = svg("g");
    el.append(this.linksLayer, this.nodesLayer, this.flightsLayer);
    legend.replaceChildren(
      ...KINDS.map((k) =>
        h(
          "li",
          {},
          h("i", {
            style: k.hollow ? `border:2px solid ${k.colour};width:6px;height:6px` : `background:${k.colour}`,
          }),
          k.label,
        ),
      ),
    );
    const frame = (now) => {
      this.animate(now);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  /** The managers (from the cluster view) and what the studio says about showing flights. */
  render(view, clock) {
    this.speed = clock.speed;
    this.enabled = clock.flights;
    const managers = view.nodes.filter((n) => n.role === "manager" || n.role === "leader");
    if (!clock.flights) this.note.textContent = clock.flightsOff ? `messages ${clock.flightsOff}` : "";
    else this.note.textContent = clock.paused ? "paused" : `${managers.length} managers`;
    const key = managers.map((m) => m.name).join(",");
    if (key !== this.membersKey) {
      this.membersKey = key;
      this.layout(managers);
    }
    const cut = new Set(view.unreachable.map((u) => `${u.from}>${u.to}`));
    for (const [name, p] of this.positions) {
      const n = managers.find((m) => m.name === name);
      if (n) this.drawNode(p, n, view);
    }
    for (const link of this.links) {
      const broken = cut.has(`${link.a}>${link.b}`) || cut.has(`${link.b}>${link.a}`);
      link.el.setAttribute("stroke", broken ? "#e53935" : "#c9ced8");
      link.el.setAttribute("stroke-dasharray", broken ? "5 4" : "");
    }
    if (managers.length === 0) this.note.textContent = "no managers yet (docker swarm init)";
  }

  layout(managers) {
    this.positions.clear();
    this.linksLayer.replaceChildren();
    this.nodesLayer.replaceChildren();
    this.links = [];
    const cx = 180;
    const cy = 130;
    const r = managers.length <= 1 ? 0 : 84;
    managers.forEach((m, i) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / managers.length;
      const g = svg("g", { "data-manager": m.name });
      const ring = svg("circle", { r: 24, "stroke-width": 2 });
      const term = svg("text", { "text-anchor": "middle", y: 6, "font-size": 17, "font-weight": 700 });
      const name = svg("text", { "text-anchor": "middle", y: 39, "font-size": 11.5, fill: "#1d2330" });
      const commit = svg("text", { "text-anchor": "middle", y: -29, "font-size": 10, fill: "#6b7385" });
      g.append(ring, term, name, commit);
      this.nodesLayer.append(g);
      this.positions.set(m.name, {
        x: cx + r * Math.cos(a),
        y: cy + r * Math.sin(a),
        g,
        ring,
        term,
        name,
        commit,
      });
    });
    const names = managers.map((m) => m.name);
    for (let i = 0; i < names.length; i++)
      for (let j = i + 1; j < names.length; j++) {
        const a = this.positions.get(names[i]);
        const b = this.positions.get(names[j]);
        const el = svg("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, "stroke-width": 1.5 });
        this.linksLayer.append(el);
        this.links.push({ a: names[i], b: names[j], el });
      }
    for (const p of this.positions.values()) p.g.setAttribute("transform", `translate(${p.x},${p.y})`);
  }

  drawNode(p, n, view) {
    const raft = n.raft;
    const down = !raft;
    const state = down ? "stopped" : raft.state;
    const leader = n.role === "leader";
    p.ring.setAttribute(
      "fill",
      down
        ? "#e0e0e0"
        : leader
          ? "#e3f0ff"
          : state === "candidate" || state === "preCandidate"
            ? "#fff4e0"
            : "#ffffff",
    );
    p.ring.setAttribute(
      "stroke",
      down
        ? "#9e9e9e"
        : leader
          ? "#1565c0"
          : state === "candidate" || state === "preCandidate"
            ? "#f39c12"
            : "#7a8599",
    );
    p.ring.setAttribute("stroke-width", leader ? 4 : 2);
    p.ring.setAttribute("stroke-dasharray", state === "candidate" || state === "preCandidate" ? "4 3" : "");
    p.term.textContent = down ? "–" : String(raft.term);
    p.term.setAttribute("fill", down ? "#9e9e9e" : "#1d2330");
    p.name.textContent = leader ? `★ ${n.name}` : n.name;
    p.commit.textContent = down ? "down" : `commit ${raft.commit}`;
    p.g.setAttribute("data-term", down ? "" : String(raft.term));
    p.g.setAttribute("data-state", state);
    p.g.querySelector("title")?.remove();
    const title = svg("title");
    title.textContent = `${n.name}: ${state}${raft ? `, term ${raft.term}, commit ${raft.commit}, applied ${raft.applied}` : ""} (cluster leader: ${view.leader ?? "none"})`;
    p.g.append(title);
  }

  /** Flights sent (and ids landed) since the last batch. */
  add(batch, wallNow) {
    // (Ids of flights never drawn would pile up: forget them now and then.)
    if (this.landed.size > 5000) this.landed.clear();
    for (const id of batch.landed) this.landed.add(id);
    if (!this.enabled) return;
    const speed = Math.max(this.speed, 0.05);
    const duration = Math.min(1800, Math.max(400, 650 / Math.sqrt(speed)));
    const first = batch.flights[0]?.t ?? 0;
    for (const f of batch.flights) {
      const from = this.positions.get(f.from);
      const to = this.positions.get(f.to);
      if (!from || !to) continue;
      let start = wallNow + Math.min(1500, (f.t - first) / speed);
      // An answer leaves once its question has landed.
      if (f.type.endsWith("Resp")) start = Math.max(start, this.arrivals.get(`${f.to}>${f.from}`) ?? 0);
      else this.arrivals.set(`${f.from}>${f.to}`, start + duration);
      const kind = kindOf(f.type);
      const dot = svg("circle", {
        r: f.type === "App" && f.entries > 0 ? 7 : 5,
        fill: kind.hollow ? "#ffffff" : kind.colour,
        stroke: f.reject ? "#e53935" : kind.colour,
        "stroke-width": kind.hollow ? 2.5 : 1,
        "data-type": f.type,
      });
      const title = svg("title");
      title.textContent = `${f.type} ${f.from} → ${f.to}, term ${f.term}${f.entries ? `, ${f.entries} entries` : ""}${f.reject ? ", rejected" : ""}`;
      dot.append(title);
      dot.style.display = "none";
      this.flightsLayer.append(dot);
      this.flights.push({ f, from, to, start, duration, dot });
      this.shown++;
    }
    if (this.flights.length > MAX_FLIGHTS)
      for (const x of this.flights.splice(0, this.flights.length - MAX_FLIGHTS)) x.dot.remove();
  }

  animate(now) {
    const keep = [];
    for (const x of this.flights) {
      const p = (now - x.start) / x.duration;
      if (p < 0) {
        keep.push(x);
        continue;
      }
      const landed = this.landed.has(x.f.id);
      const lost = !landed && p > 0.55;
      if (p >= 1 || (lost && p > 1.2)) {
        x.dot.remove();
        this.landed.delete(x.f.id);
        continue;
      }
      const q = lost ? 0.55 : p;
      const ease = q < 0.5 ? 2 * q * q : 1 - (-2 * q + 2) ** 2 / 2;
      x.dot.style.display = "";
      x.dot.setAttribute("cx", String(x.from.x + (x.to.x - x.from.x) * ease));
      x.dot.setAttribute("cy", String(x.from.y + (x.to.y - x.from.y) * ease));
      if (lost) {
        x.dot.setAttribute("opacity", String(Math.max(0, 1.2 - p)));
        x.dot.setAttribute("stroke", "#e53935");
      }
      keep.push(x);
    }
    this.flights = keep;
  }

  clear() {
    for (const x of this.flights) x.dot.remove();
    this.flights = [];
    this.landed.clear();
    this.arrivals.clear();
  }
}
