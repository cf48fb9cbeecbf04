// The cluster as docker-swarm-visualizer draws it: a column per machine (its role, status,
// availability, engine, Raft term and commit index), its tasks as boxes coloured by service
// below, machines that cannot reach each other in separate dashed groups. A machine's buttons
// type the lab command that acts on it into the active terminal. Cards are rebuilt only when
// what they show changed, so a button stays put under the mouse.

/** @param {string} tag @param {Record<string, any>} [attrs] @param {...any} children */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "style") el.setAttribute("style", v);
    else if (k.startsWith("data-")) el.setAttribute(k, v);
    else el[k] = v;
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) el.append(c);
  return el;
}

function cap(s) {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : "";
}

function roleBadge(node) {
  if (!node.role)
    return h(
      "span",
      { class: "role", title: "not in a swarm" },
      node.swarm === "inactive" ? "no swarm" : node.swarm,
    );
  const text = node.role === "leader" ? "★ Leader" : cap(node.role);
  return h("span", { class: `role ${node.role}` }, text);
}

function engineText(node) {
  if (node.engine === "stopped")
    return node.exitCode !== undefined ? `stopped (exit ${node.exitCode})` : "stopped";
  return node.engine;
}

function facts(node) {
  const lines = [];
  lines.push(h("div", {}, node.address || "no address"));
  if (node.status)
    lines.push(
      h(
        "div",
        {},
        h("span", { class: `dot ${node.status}` }),
        h("b", {}, cap(node.status)),
        node.availability ? ` · ${cap(node.availability)}` : "",
      ),
    );
  // A manager the leader has not heard from lately (docker node ls: Unreachable).
  if (node.reachability === "unreachable")
    lines.push(h("div", { class: "unreachable" }, "✕ unreachable manager"));
  lines.push(
    h("div", {}, h("span", { class: `dot ${node.engine}` }), "engine ", h("b", {}, engineText(node))),
  );
  if (node.raft)
    lines.push(
      h(
        "div",
        { class: "raft-facts" },
        "raft term ",
        h("b", {}, String(node.raft.term)),
        " · commit ",
        h("b", {}, String(node.raft.commit)),
      ),
    );
  else if (node.role === "manager" || node.role === "leader") lines.push(h("div", {}, "raft: not running"));
  return h("div", { class: "facts" }, lines);
}

function taskBox(t) {
  const pending = t.state !== "running";
  // A click asks the scheduler why the task is where it is (or pending): it types the lab's
  // `explain` with the task's name, or its ID when it has no slot.
  const command = `explain ${t.slot ? `${t.service}.${t.slot}` : t.id}`;
  return h(
    "div",
    {
      class: `task${pending ? " pending" : ""}`,
      style: `background:${t.colour}`,
      title: `${t.service}.${t.slot || ""} (${t.id}) ${t.state}; click: why here? (types: ${command})`,
      "data-service": t.service,
      "data-command": command,
    },
    h("span", {}, t.slot ? `${t.service}.${t.slot}` : t.service),
    h("span", { class: "state" }, t.state),
  );
}

function containerBox(c) {
  return h(
    "div",
    {
      class: `task container${c.state !== "running" ? " pending" : ""}`,
      style: `background:${c.colour}`,
      title: `container ${c.name} (${c.state}), not a swarm task`,
    },
    h("span", {}, c.name),
    h("span", { class: "state" }, c.state),
  );
}

export class ClusterView {
  /**
   * @param {{nodes: HTMLElement, services: HTMLElement, faults: HTMLElement}} els
   * @param {(command: string) => void} onAction
   */
  constructor(els, onAction) {
    this.els = els;
    /** @type {Map<string, {el: HTMLElement, parts: Record<string, string>, sections: Record<string, HTMLElement>}>} */
    this.cards = new Map();
    this.layoutKey = "";
    els.nodes.addEventListener("click", (e) => {
      const b = e.target instanceof HTMLElement ? e.target.closest("[data-command]") : null;
      if (b) onAction(b.getAttribute("data-command"));
    });
  }

  render(view) {
    this.renderServices(view);
    this.renderFaults(view);
    const groups = view.groups ?? [view.nodes.map((n) => n.name)];
    const layoutKey = JSON.stringify(groups);
    const byName = new Map(view.nodes.map((n) => [n.name, n]));
    for (const n of view.nodes) this.card(n);
    for (const name of [...this.cards.keys()])
      if (!byName.has(name)) {
        this.cards.get(name).el.remove();
        this.cards.delete(name);
      }
    if (layoutKey !== this.layoutKey) {
      this.layoutKey = layoutKey;
      const split = groups.length > 1;
      this.els.nodes.replaceChildren(
        ...groups.flatMap((g, i) => {
          const cards = g.filter((name) => this.cards.has(name)).map((name) => this.cards.get(name).el);
          if (!split) return cards;
          return [
            h("div", { class: "group" }, h("span", { class: "group-label" }, `partition ${i + 1}`), cards),
          ];
        }),
      );
    }
  }

  card(node) {
    let card = this.cards.get(node.name);
    if (!card) {
      const sections = {
        head: h("div", { class: "node-head" }),
        actions: h("div", { class: "actions" }),
        tasks: h("div", { class: "tasks" }),
      };
      const el = h(
        "div",
        { class: "node", "data-node": node.name },
        sections.head,
        sections.actions,
        sections.tasks,
      );
      card = { el, parts: {}, sections };
      this.cards.set(node.name, card);
      this.layoutKey = "";
    }
    const status = node.status ?? (node.engine === "running" ? "" : "down");
    card.el.className = `node ${status}${node.engine !== "running" ? " off" : ""}`;
    card.el.setAttribute("data-role", node.role ?? "none");
    card.el.setAttribute("data-status", node.status ?? "none");
    card.el.setAttribute("data-engine", node.engine);
    this.part(
      card,
      "head",
      [
        node.name,
        node.role,
        node.swarm,
        node.status,
        node.availability,
        node.reachability,
        node.engine,
        node.exitCode,
        node.raft,
        node.address,
      ],
      () => [h("div", { class: "node-name" }, h("span", {}, node.name), roleBadge(node)), facts(node)],
    );
    this.part(card, "actions", node.actions, () =>
      node.actions.map((a) =>
        h(
          "button",
          { type: "button", class: a.kind, "data-command": a.command, title: `types: ${a.command}` },
          a.label,
        ),
      ),
    );
    this.part(card, "tasks", [node.tasks, node.containers], () => {
      const boxes = [...node.tasks.map(taskBox), ...node.containers.map(containerBox)];
      return boxes.length > 0 ? boxes : [h("div", { class: "empty" }, "no tasks")];
    });
  }

  part(card, name, data, build) {
    const key = JSON.stringify(data);
    if (card.parts[name] === key) return;
    card.parts[name] = key;
    card.sections[name].replaceChildren(...build());
  }

  renderServices(view) {
    const key = JSON.stringify(view.services);
    if (key === this.servicesKey) return;
    this.servicesKey = key;
    this.els.services.replaceChildren(
      ...view.services.map((s) =>
        h(
          "span",
          { class: "service-key", title: `${s.name}: ${s.running} running of ${s.desired}` },
          h("i", { class: "swatch", style: `background:${s.colour}` }),
          `${s.name} ${s.running}/${s.desired}`,
        ),
      ),
    );
  }

  renderFaults(view) {
    const groups = view.groups;
    const inGroup = new Set();
    if (groups) for (const g of groups) for (const a of g) for (const b of g) inGroup.add(`${a}>${b}`);
    // One-way cuts inside a group (block A B) are not shown by the groups: say them.
    const oneWay = view.unreachable.filter((u) => inGroup.has(`${u.from}>${u.to}`) || !groups);
    const text = oneWay.map((u) => `${u.from} ↛ ${u.to}`).join("   ");
    const words = text ? `messages dropped: ${text}` : "";
    if (this.els.faults.textContent !== words) this.els.faults.textContent = words;
  }
}
