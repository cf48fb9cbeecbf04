// The studio page: the lab's terminals (terminals.js), the cluster (cluster.js), Raft in flight
// (raft.js) and the timeline (timeline.js), fed by the lab's messages (connection.js). Plain ES
// modules served as files: no build step, no framework; the few hundred lines of DOM code do
// not need one. What the page last heard is kept on window.studio (tests read it there).
import { ClusterView } from "./cluster.js";
import { Connection } from "./connection.js";
import { RaftView } from "./raft.js";
import { Terminals } from "./terminals.js";
import { TimelineView } from "./timeline.js";

const $ = (id) => document.getElementById(id);

function clockText(ms) {
  const s = Math.floor(ms / 1000);
  const hh = String(Math.floor(s / 3600)).padStart(2, "0");
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return `${hh}:${mm}:${ss}`;
}

const state = {
  link: "connecting",
  seed: "",
  canSeek: false,
  clock: { now: 0, speed: 1, paused: false, state: "running", flights: false },
  view: undefined,
  /** Every view received, oldest first (the last 400): what the page showed, and when. */
  views: [],
  timeline: undefined,
  flightsSeen: 0,
  seeks: [],
  errors: [],
};

const connection = new Connection(onMessage, (link) => {
  state.link = link;
  drawStatus();
});
const send = (m) => connection.send(m);

const terminals = new Terminals($("tabs"), $("screens"), send);
const cluster = new ClusterView(
  { nodes: $("nodes"), services: $("services"), faults: $("faults") },
  (command) => {
    terminals.typeCommand(command);
  },
);
const raft = new RaftView($("raft-svg"), $("raft-legend"), $("raft-note"));
const timeline = new TimelineView($("timeline-canvas"), $("tooltip"), pickSeek);

// ---- the bar ----

$("playpause").addEventListener("click", () => send({ type: state.clock.paused ? "resume" : "pause" }));
$("speed").addEventListener("change", (e) => send({ type: "speed", speed: Number(e.target.value) }));

function drawStatus() {
  const c = state.clock;
  const el = $("status");
  let word = c.state === "seeking" ? "going back…" : c.paused ? "paused" : "running";
  let cls = c.state === "seeking" ? "seeking" : c.paused ? "paused" : "running";
  if (c.state === "ended" || state.link === "ended") {
    word = "the lab has ended";
    cls = "ended";
  } else if (state.link === "offline") {
    word = "no link to the lab";
    cls = "offline";
  }
  el.textContent = word;
  el.className = `status ${cls}`;
  $("clock").textContent = clockText(c.now);
  $("playpause").textContent = c.paused ? "Resume" : "Pause";
  const select = $("speed");
  const value = String(c.speed);
  if (![...select.options].some((o) => o.value === value)) select.append(new Option(`${value}x`, value));
  if (document.activeElement !== select) select.value = value;
}

function drawLeader(view) {
  const el = $("leader");
  el.replaceChildren();
  if (!view) return;
  if (view.leader) {
    const b = document.createElement("b");
    b.textContent = view.leader;
    el.append("leader ", b, ` · term ${view.term}`);
  } else if (view.term > 0) el.append(`no leader · term ${view.term}`);
  else el.append("no swarm yet");
}

function showView(view, clock, inputs) {
  state.view = view;
  state.views.push({ ...view, inputs });
  if (state.views.length > 400) state.views.splice(0, state.views.length - 400);
  if (clock) state.clock = clock;
  cluster.render(view);
  raft.render(view, state.clock);
  drawLeader(view);
  drawStatus();
  timeline.setNow(state.clock.now);
}

// ---- going back ----

let seekTarget;

function pickSeek(t, what, inputs) {
  if (!state.canSeek || state.clock.state !== "running") return;
  seekTarget = inputs === undefined ? { t } : { t, inputs };
  const box = $("seek-box");
  $("seek-text").textContent =
    `Go back to ${clockText(t)}${what ? `, ${what}` : ""}? The lab replays its inputs from before then on a fresh world; what came after is dropped, and you go on from there.`;
  box.hidden = false;
  const width = $("timeline-canvas").clientWidth;
  box.style.left = `${Math.max(8, Math.min(timeline.x(t, width) - 160, width - 340))}px`;
}

$("seek-go").addEventListener("click", () => {
  $("seek-box").hidden = true;
  if (seekTarget !== undefined) send({ type: "seek", ...seekTarget });
  seekTarget = undefined;
});
$("seek-cancel").addEventListener("click", () => {
  $("seek-box").hidden = true;
  seekTarget = undefined;
});

function overlay(text) {
  $("overlay").hidden = text === undefined;
  if (text !== undefined) $("overlay-text").textContent = text;
}

// ---- the lab's messages ----

function onMessage(m) {
  switch (m.type) {
    case "hello":
      state.seed = m.seed;
      state.canSeek = m.canSeek;
      state.clock = m.clock;
      $("seed").textContent = `seed ${m.seed}`;
      terminals.reset(m.terminals);
      timeline.reset(m.timeline);
      state.timeline = m.timeline;
      showView(m.view, m.clock, m.inputs);
      overlay(undefined);
      break;
    case "output":
      terminals.write(m.term, m.data);
      break;
    case "opened":
      terminals.add(m.terminal, m.mine);
      break;
    case "closed":
      terminals.remove(m.term);
      break;
    case "view":
      terminals.prompts(m.prompts);
      showView(m.view, m.clock, m.inputs);
      break;
    case "timeline":
      if (m.reset) timeline.reset(m.timeline);
      else timeline.extend(m.timeline);
      state.timeline = timeline.data;
      break;
    case "raft":
      state.flightsSeen += m.flights.length;
      raft.add(m, performance.now()); // wall-clock: the animation's own clock
      break;
    case "seeking":
      state.clock = { ...state.clock, state: "seeking" };
      terminals.enabled = false;
      overlay(`Going back to ${clockText(m.to)}… ${m.to > 0 ? Math.round((100 * m.now) / m.to) : 100}%`);
      drawStatus();
      break;
    case "seeked":
      state.seeks.push({ from: m.from, to: m.to, dropped: m.dropped });
      raft.clear();
      terminals.enabled = true;
      terminals.reset(m.terminals);
      overlay(undefined);
      break;
    case "ended":
      state.clock = { ...state.clock, state: "ended" };
      terminals.enabled = false;
      drawStatus();
      break;
    case "error":
      state.errors.push(m.message);
      if (state.clock.state === "seeking") {
        state.clock = { ...state.clock, state: "running" };
        terminals.enabled = true;
        overlay(undefined);
      }
      console.warn(`studio: ${m.message}`);
      break;
  }
}

window.studio = {
  state,
  terminals,
  /** The text terminal `id` shows. */
  screenText: (id) => terminals.text(id),
  /** Types a command into the active terminal, as a machine's button does. */
  typeCommand: (command) => terminals.typeCommand(command),
  /** Where a timeline marker is drawn (by its text), to point at it. */
  markerAt: (text) => timeline.markerAt(text),
};
