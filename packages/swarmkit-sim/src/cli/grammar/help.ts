// `--help` output as the Docker CLI renders it: its cobra usage template (Usage, description,
// Aliases, Options, the command lists, Global Options, the closing hint) and pflag's
// FlagUsagesWrapped for the option columns, wrapped to the terminal width minus one (80
// columns when the output is not a terminal, as in all captured goldens).
import type { CommandNode } from "./tree";
import { hasSubCommands, useLine } from "./tree";
import type { FlagSpec } from "./types";

/** What the help of a running daemon depends on; undefined = no daemon answered (nothing hidden). */
export interface DaemonView {
  osType?: "linux" | "windows";
  experimental?: boolean;
  swarm?: { nodeState: "inactive" | "pending" | "active" | "error" | "locked"; controlAvailable: boolean };
}

export interface HelpOptions {
  /** Terminal width (default 80). */
  width?: number;
  /** "classic" (Docker <= 27) starts help with an empty line. */
  style?: "modern" | "classic";
  daemon?: DaemonView;
  /** Whether the Compose plugin is installed (listed in `docker --help`); default true. */
  composePlugin?: boolean;
}

export const ADDITIONAL_HELP =
  "For more help on how to use Docker, head to https://docs.docker.com/go/guides/";

/** pflag's wrapN: split s at the last blank before i (or slop beyond it at the very end). */
function wrapN(i: number, slop: number, s: string): [string, string] {
  if (i + slop > s.length) return [s, ""];
  const head = s.slice(0, i);
  const w = Math.max(head.lastIndexOf(" "), head.lastIndexOf("\t"), head.lastIndexOf("\n"));
  if (w <= 0) return [s, ""];
  const nl = head.lastIndexOf("\n");
  if (nl > 0 && nl < w) return [s.slice(0, nl), s.slice(nl + 1)];
  return [s.slice(0, w), s.slice(w + 1)];
}

/** pflag's wrap: s wrapped to width w with continuation lines indented by i. */
export function pflagWrap(i: number, w: number, s: string): string {
  if (w === 0) return s.replaceAll("\n", `\n${" ".repeat(i)}`);
  let wrap = w - i;
  let r = "";
  if (wrap < 24) {
    i = 16;
    wrap = w - i;
    r += `\n${" ".repeat(i)}`;
  }
  if (wrap < 24) return s.replaceAll("\n", r);
  const slop = 5;
  wrap -= slop;
  let [l, rest] = wrapN(wrap, slop, s);
  r += l.replaceAll("\n", `\n${" ".repeat(i)}`);
  while (rest !== "") {
    let t: string;
    [t, rest] = wrapN(wrap, slop, rest);
    r += `\n${" ".repeat(i)}${t.replaceAll("\n", `\n${" ".repeat(i)}`)}`;
  }
  return r;
}

function flagHidden(f: FlagSpec, daemon: DaemonView | undefined): boolean {
  if (f.hidden || f.deprecated) return true;
  if (!daemon) return false;
  if (f.osType && daemon.osType && f.osType !== daemon.osType) return true;
  if (f.experimental && !daemon.experimental) return true;
  return false;
}

export function visibleFlags(node: CommandNode, daemon?: DaemonView): FlagSpec[] {
  return node.flags
    .filter((f) => !flagHidden(f, daemon))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** pflag FlagUsagesWrapped(cols). */
export function flagUsages(flags: readonly FlagSpec[], cols: number): string {
  const lines = flags.map((f) => {
    let line = f.short && !f.shorthandDeprecated ? `  -${f.short}, --${f.name}` : `      --${f.name}`;
    if (f.varname) line += ` ${f.varname}`;
    return { head: line, help: f.help };
  });
  const maxlen = Math.max(0, ...lines.map((l) => l.head.length + 1));
  return lines
    .map(
      ({ head, help }) =>
        `${head} ${" ".repeat(maxlen - head.length)} ${pflagWrap(maxlen + 2, cols, help)}\n`,
    )
    .join("");
}

function commandHidden(node: CommandNode, daemon: DaemonView | undefined): boolean {
  const s = node.spec;
  if (s.hidden) return true;
  if (!daemon) return false;
  if (s.experimental && !daemon.experimental) return true;
  const sw = daemon.swarm;
  if (sw && s.swarm === "manager" && !sw.controlAvailable) return true;
  if (sw && s.swarm === "active" && sw.nodeState === "inactive") return true;
  return false;
}

function namePadding(node: CommandNode): number {
  const parent = node.parent;
  return parent && parent.maxChildNameLen > 11 ? parent.maxChildNameLen : 11;
}

const rpad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));
const byName = (a: CommandNode, b: CommandNode) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function aliasesText(node: CommandNode): string | undefined {
  if (node.spec.aliasesLine) return node.spec.aliasesLine;
  const aliases = node.spec.aliases ?? [];
  if (aliases.length === 0) return undefined;
  const parentPath = node.parent ? `${node.parent.commandPath} ` : "";
  return [node.commandPath, ...aliases.map((a) => parentPath + a)].join(", ");
}

/** cobra's UsageString with the Docker CLI's template. */
export function usageString(node: CommandNode, options: HelpOptions = {}): string {
  const daemon = options.daemon;
  const cols = (options.width ?? 80) - 1;
  const flags = visibleFlags(node, daemon);
  const subs = hasSubCommands(node);
  let out = "Usage:";
  if (!subs) out += `  ${useLine(node)}`;
  else out += `  ${node.commandPath}${flags.length > 0 ? " [OPTIONS]" : ""} COMMAND`;
  out += `\n\n${(node.spec.long ?? node.spec.short).trim()}`;
  const aliases = aliasesText(node);
  if (aliases) out += `\n\nAliases:\n  ${aliases}`;
  if (node.parent && flags.length > 0) out += `\n\nOptions:\n${flagUsages(flags, cols).trimEnd()}`;
  const children = node.children.filter(
    (c) => !commandHidden(c, daemon) && !(c.spec.plugin && options.composePlugin === false),
  );
  const decorated = (c: CommandNode) => `${c.name}${c.spec.plugin ? "*" : " "}`;
  const list = (title: string, items: CommandNode[], wide: boolean) => {
    if (items.length === 0) return;
    out += `\n\n${title}:`;
    for (const c of items) {
      out += wide
        ? `\n  ${rpad(decorated(c), namePadding(c) + 1)}${c.spec.short}`
        : `\n  ${rpad(c.name, namePadding(c))} ${c.spec.short}`;
    }
  };
  if (!node.parent) {
    list(
      "Common Commands",
      children
        .filter((c) => c.spec.section === "common")
        .sort((a, b) => (a.spec.topOrder ?? 0) - (b.spec.topOrder ?? 0)),
      true,
    );
    list("Management Commands", children.filter((c) => c.spec.section === "management").sort(byName), true);
    list("Swarm Commands", children.filter((c) => c.spec.section === "swarm").sort(byName), true);
    list("Commands", children.filter((c) => c.spec.section === "commands").sort(byName), false);
    if (flags.length > 0) out += `\n\nGlobal Options:\n${flagUsages(flags, cols).trimEnd()}`;
  } else {
    list("Commands", children.sort(byName), false);
  }
  if (subs) out += `\n\nRun '${node.commandPath} COMMAND --help' for more information on a command.`;
  if (!node.parent) out += `\n\n${ADDITIONAL_HELP}`;
  return `${out}\n`;
}

/** What `docker ... --help` prints. */
export function helpText(node: CommandNode, options: HelpOptions = {}): string {
  const usage = usageString(node, options);
  return options.style === "classic" ? `\n${usage}` : usage;
}
