// The lab's terminals in the page: one xterm.js per terminal of the session, in tabs. What is
// typed goes to the lab as keystrokes (the lab's terminal does the line editing, as a real
// terminal's shell does); what the lab's terminal writes comes back and is drawn. Every page
// shows every terminal: they share one world, as terminals on the same machines would.
import { FitAddon } from "/vendor/addon-fit.mjs";
import { Terminal } from "/vendor/xterm.mjs";

const THEME = {
  background: "#1e1e1e",
  foreground: "#d4d4d4",
  cursor: "#aeafad",
  selectionBackground: "#264f78",
  black: "#000000",
  red: "#cd3131",
  green: "#0dbc79",
  yellow: "#e5e510",
  blue: "#2472c8",
  magenta: "#bc3fbc",
  cyan: "#11a8cd",
  white: "#e5e5e5",
  brightBlack: "#666666",
  brightRed: "#f14c4c",
  brightGreen: "#23d18b",
  brightYellow: "#f5f543",
  brightBlue: "#3b8eea",
  brightMagenta: "#d670d6",
  brightCyan: "#29b8db",
  brightWhite: "#e5e5e5",
};

export class Terminals {
  /**
   * @param {HTMLElement} tabs @param {HTMLElement} screens
   * @param {(message: any) => void} send
   */
  constructor(tabs, screens, send) {
    this.tabsEl = tabs;
    this.screensEl = screens;
    this.send = send;
    /** @type {Map<number, {term: any, fit: any, el: HTMLElement, tab: HTMLElement, info: any}>} */
    this.items = new Map();
    this.active = undefined;
    this.enabled = true;
    this.newTab = document.createElement("button");
    this.newTab.className = "tab new";
    this.newTab.type = "button";
    this.newTab.title = "a new terminal on the lab (at node1), as a second ssh session would be";
    this.newTab.textContent = "+ terminal";
    this.newTab.addEventListener("click", () => this.openNew());
    this.tabsEl.append(this.newTab);
    new ResizeObserver(() => this.fitActive()).observe(screens);
  }

  openNew() {
    const size = this.guessSize();
    this.send({ type: "open", cols: size.cols, rows: size.rows });
  }

  guessSize() {
    const a = this.active !== undefined ? this.items.get(this.active) : undefined;
    if (a) return { cols: a.term.cols, rows: a.term.rows };
    return { cols: 100, rows: 30 };
  }

  /** Every terminal again (a hello, a seek): the old ones go. */
  reset(infos) {
    const keep = this.active;
    for (const id of [...this.items.keys()]) this.remove(id);
    for (const info of infos) this.add(info);
    const ids = infos.map((i) => i.id);
    const preferred = ids.includes(keep) ? keep : (ids.find((id) => id !== 1) ?? ids[0]);
    if (preferred !== undefined) this.activate(preferred);
  }

  /** A terminal the lab opened (ours when `mine`: it becomes the active one). */
  add(info, mine = false) {
    if (this.items.has(info.id)) {
      if (mine) this.activate(info.id);
      return;
    }
    const el = document.createElement("div");
    el.className = "screen";
    el.hidden = true;
    this.screensEl.append(el);
    const term = new Terminal({
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace',
      fontSize: 13,
      cursorBlink: true,
      scrollback: 5000,
      theme: THEME,
      disableStdin: !info.input,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    term.write(info.screen);
    term.onData((data) => {
      if (this.enabled && info.input) this.send({ type: "input", term: info.id, data });
    });
    term.onResize(({ cols, rows }) => {
      if (!info.own) this.send({ type: "resize", term: info.id, cols, rows });
    });
    const tab = document.createElement("button");
    tab.type = "button";
    tab.className = "tab";
    tab.dataset.term = String(info.id);
    tab.addEventListener("click", (e) => {
      if (e.target instanceof HTMLElement && e.target.classList.contains("x")) {
        this.send({ type: "close", term: info.id });
        return;
      }
      this.activate(info.id);
    });
    this.tabsEl.insertBefore(tab, this.newTab);
    const item = { term, fit, el, tab, info, node: info.node };
    this.items.set(info.id, item);
    this.title(item);
    if (mine || this.active === undefined) this.activate(info.id);
  }

  title(item) {
    item.tab.textContent = `${item.info.id} · ${item.node}`;
    if (!item.info.own) {
      const x = document.createElement("span");
      x.className = "x";
      x.title = "close this terminal";
      x.textContent = "×";
      item.tab.append(x);
    } else item.tab.title = "the lab's own terminal: exit at its node1 ends the lab";
  }

  remove(id) {
    const item = this.items.get(id);
    if (!item) return;
    item.term.dispose();
    item.el.remove();
    item.tab.remove();
    this.items.delete(id);
    if (this.active === id) {
      this.active = undefined;
      const next = [...this.items.keys()].pop();
      if (next !== undefined) this.activate(next);
    }
  }

  activate(id) {
    const item = this.items.get(id);
    if (!item) return;
    this.active = id;
    for (const [k, it] of this.items) {
      it.el.hidden = k !== id;
      it.tab.classList.toggle("active", k === id);
    }
    this.fitActive();
    item.term.focus();
  }

  fitActive() {
    const item = this.active !== undefined ? this.items.get(this.active) : undefined;
    if (!item || item.el.hidden) return;
    try {
      item.fit.fit();
    } catch {
      // (not laid out yet)
    }
  }

  write(id, data) {
    this.items.get(id)?.term.write(data);
  }

  /** The node each terminal's shell is on (the tabs' titles). */
  prompts(list) {
    for (const { id, node } of list) {
      const item = this.items.get(id);
      if (item && item.node !== node) {
        item.node = node;
        this.title(item);
      }
    }
  }

  /** Types a command into the active terminal and presses Enter (a machine's action). */
  typeCommand(command) {
    const item = this.active !== undefined ? this.items.get(this.active) : undefined;
    if (!item?.info.input || !this.enabled) return false;
    this.send({ type: "input", term: item.info.id, data: `${command}\r` });
    item.tab.classList.add("flash");
    // wall-clock: the tab flashes for a moment.
    setTimeout(() => item.tab.classList.remove("flash"), 600);
    item.term.focus();
    return true;
  }

  /** The text a terminal shows (its buffer's lines, a wrapped line whole), for tests and copying. */
  text(id) {
    const item = this.items.get(id);
    if (!item) return "";
    const buf = item.term.buffer.active;
    const lines = [];
    for (let i = 0; i < buf.length; i++) {
      const line = buf.getLine(i);
      const text = line?.translateToString(true) ?? "";
      if (line?.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    return lines.join("\n").replace(/\n+$/, "");
  }
}
