// The generic parser: walks the command tree as cobra's Traverse does (flags before a
// sub-command belong to the command they follow), parses the last command's flags with pflag's
// rules, then applies the Docker CLI's order of checks: flag errors, --help, management commands
// without a sub-command, the argument count, "no flags means help" and extra argument checks.
import {
  type FlagState,
  initialState,
  longTakesNoValue,
  type ParseNote,
  parseFlags,
  shortTakesNoValue,
} from "./flag-parser";
import { type DaemonView, type HelpOptions, helpText } from "./help";
import {
  argsError,
  type CliStyle,
  flagError,
  notSupported,
  type UsageError,
  unknownCommand,
  unknownComposeCommand,
  unknownSubcommand,
} from "./messages";
import { type CommandNode, findChild, hasSubCommands, useLine } from "./tree";
import type { FlagValue, ParsedCommand } from "./types";

export interface ParseOptions {
  style?: CliStyle;
  width?: number;
  daemon?: DaemonView;
  /** Whether the Compose plugin is installed (listed in `docker --help`); default true. */
  composePlugin?: boolean;
  /** What `docker --version` prints: "Docker version <version>, build <gitCommit>". */
  version?: { version: string; gitCommit: string };
}

/** Either a command to run, or text the CLI prints by itself (help, version, a usage error). */
export type ParseOutcome =
  | { kind: "command"; command: ParsedCommand; node: CommandNode; notes: ParseNote[] }
  | {
      kind: "output";
      reason: "help" | "version" | "error" | "unsupported";
      stdout: string;
      stderr: string;
      exitCode: number;
      node?: CommandNode;
    };

const DEFAULT_VERSION = { version: "28.2.2", gitCommit: "e6534b4" };

function isFlagArg(arg: string): boolean {
  return (arg.length >= 3 && arg.startsWith("--")) || (arg.length >= 2 && arg[0] === "-" && arg[1] !== "-");
}

type OutputOutcome = Extract<ParseOutcome, { kind: "output" }>;

/** Output with the parse notes put before it on their streams. */
function output(
  reason: OutputOutcome["reason"],
  notes: ParseNote[],
  stdout: string,
  stderr: string,
  exitCode: number,
  node?: CommandNode,
): OutputOutcome {
  const on = (stream: ParseNote["stream"]) =>
    notes
      .filter((n) => n.stream === stream)
      .map((n) => n.text)
      .join("");
  return {
    kind: "output",
    reason,
    stdout: on("stdout") + stdout,
    stderr: on("stderr") + stderr,
    exitCode,
    node,
  };
}

function errorOutcome(e: UsageError, notes: ParseNote[], node?: CommandNode, stdout = ""): OutputOutcome {
  return output("error", notes, stdout, `${e.message}\n`, e.exitCode, node);
}

/**
 * Parses argv (after "docker") against the tree rooted at `root`. `program` tells whether the
 * user typed `docker` or the legacy `docker-compose` (whose argv then starts with "compose").
 */
export function parseDockerArgv(
  root: CommandNode,
  argv: readonly string[],
  program: "docker" | "docker-compose" = "docker",
  options: ParseOptions = {},
): ParseOutcome {
  const style = options.style ?? "modern";
  const helpOpts: HelpOptions = {
    style,
    width: options.width,
    daemon: options.daemon,
    composePlugin: options.composePlugin,
  };
  const notes: ParseNote[] = [];
  const states = new Map<CommandNode, FlagState>();
  const stateOf = (n: CommandNode) => {
    let s = states.get(n);
    if (!s) states.set(n, (s = initialState(n.flags)));
    return s;
  };

  // cobra Traverse: collect flag words until a sub-command name, parse them on the command they
  // follow, and go down.
  let node = root;
  let rest = [...argv];
  let helpTopic: string[] | undefined;
  descend: for (;;) {
    const flagWords: string[] = [];
    let inFlag = false;
    for (let i = 0; i < rest.length; i++) {
      const arg = rest[i];
      if (arg.startsWith("--") && !arg.includes("=")) {
        inFlag = !longTakesNoValue(node, arg.slice(2));
        flagWords.push(arg);
        continue;
      }
      if (arg.startsWith("-") && !arg.includes("=") && arg.length === 2 && !shortTakesNoValue(node, arg[1])) {
        inFlag = true;
        flagWords.push(arg);
        continue;
      }
      if (inFlag) {
        inFlag = false;
        flagWords.push(arg);
        continue;
      }
      if (isFlagArg(arg)) {
        flagWords.push(arg);
        continue;
      }
      const child = node.spec.unsupported ? undefined : findChild(node, arg);
      const isHelpCommand = !node.parent && arg === "help" && !child;
      if (!child && !isHelpCommand) break descend;
      const r = parseFlags(node, flagWords, stateOf(node), notes, true);
      if (!r.ok) return errorOutcome(flagError(node, r.error, style), notes, node);
      if (isHelpCommand) {
        helpTopic = rest.slice(i + 1);
        break descend;
      }
      node = child!;
      rest = rest.slice(i + 1);
      continue descend;
    }
    break;
  }

  if (helpTopic !== undefined) return helpCommand(root, helpTopic, helpOpts, notes);

  if (node.spec.unsupported) {
    return { ...errorOutcome(notSupported(node.commandPath), notes, node), reason: "unsupported" };
  }

  const state = stateOf(node);
  const interspersed = node.spec.interspersed ?? true;
  const parsed = parseFlags(node, rest, state, notes, interspersed);
  if (!parsed.ok) return errorOutcome(flagError(node, parsed.error, style), notes, node);
  const positional = parsed.positional;

  // The persistent --help is one flag shared by every level, so `docker --help swarm init`
  // asks for the help of `docker swarm init`.
  const helpAsked = [...states.values()].some((s) => s.values.help === true);
  if (helpAsked) return help(node, helpOpts, notes, "stdout");

  if (!node.parent) {
    if (state.values.version === true) {
      const v = options.version ?? DEFAULT_VERSION;
      return output("version", notes, `Docker version ${v.version}, build ${v.gitCommit}\n`, "", 0, node);
    }
    if (positional.length === 0) return help(node, helpOpts, notes, "stderr");
    return errorOutcome(unknownCommand(positional[0], style), notes, node);
  }

  if (hasSubCommands(node)) {
    if (node.spec.family === "compose") {
      // `docker compose --version` runs `docker compose version`.
      if (state.values.version === true) {
        const r = parseDockerArgv(root, [...node.path, "version"], program, options);
        if (r.kind === "command") r.command.argv = [...argv];
        return r;
      }
      if (positional.length === 0) return help(node, helpOpts, notes, "stdout");
      return errorOutcome(unknownComposeCommand(positional[0]), notes, node, helpText(node, helpOpts));
    }
    if (positional.length === 0) return help(node, helpOpts, notes, "stderr");
    return errorOutcome(unknownSubcommand(node, positional[0], style), notes, node);
  }

  const argsErr = argsError(node, node.spec.args ?? { kind: "any" }, positional, style);
  if (argsErr) return errorOutcome(argsErr, notes, node);

  if (node.spec.helpIfNoFlags && state.changed.size === 0) return help(node, helpOpts, notes, "stdout");

  const ctxFlags = withoutHelp(state.values);
  const validation = node.spec.validate?.({
    args: positional,
    flags: ctxFlags,
    changed: state.changed,
    commandPath: node.commandPath,
    useLine: useLine(node),
    short: node.spec.short,
  });
  if (validation) return errorOutcome({ message: validation, exitCode: 1 }, notes, node);

  const globals: Record<string, FlagValue> = {};
  const globalsChanged = new Set<string>();
  for (let p: CommandNode | undefined = node.parent; p; p = p.parent) {
    const s = stateOf(p);
    for (const [k, v] of Object.entries(withoutHelp(s.values))) if (!(k in globals)) globals[k] = v;
    for (const k of s.changed) if (k !== "help") globalsChanged.add(k);
  }
  const changed = new Set([...state.changed].filter((k) => k !== "help"));
  const command: ParsedCommand = {
    program,
    path: node.id.split(" "),
    typedPath: node.path,
    id: node.id,
    flags: ctxFlags,
    changed,
    raw: state.raw,
    args: positional,
    globals,
    globalsChanged,
    commandPath: node.commandPath,
    useLine: useLine(node),
    argv: [...argv],
  };
  return { kind: "command", command, node, notes };
}

function withoutHelp(values: Record<string, FlagValue>): Record<string, FlagValue> {
  const { help: _help, ...rest } = values;
  return rest;
}

function help(
  node: CommandNode,
  opts: HelpOptions,
  notes: ParseNote[],
  stream: "stdout" | "stderr",
): ParseOutcome {
  const text = helpText(node, opts);
  return stream === "stdout"
    ? output("help", notes, text, "", 0, node)
    : output("help", notes, "", text, 0, node);
}

/** `docker help [COMMAND...]`: cobra's help command (Find ignores flag words). */
function helpCommand(
  root: CommandNode,
  topic: string[],
  opts: HelpOptions,
  notes: ParseNote[],
): ParseOutcome {
  let node = root;
  let i = 0;
  const words = topic.filter((w) => !isFlagArg(w));
  for (; i < words.length; i++) {
    const child = node.spec.unsupported ? undefined : findChild(node, words[i]);
    if (!child) break;
    node = child;
  }
  const left = words.slice(i);
  if (left.length > 0) {
    return errorOutcome({ message: `unknown help topic: ${left.join(" ")}`, exitCode: 1 }, notes, node);
  }
  if (node.spec.unsupported)
    return { ...errorOutcome(notSupported(node.commandPath), notes, node), reason: "unsupported" };
  return help(node, opts, notes, "stdout");
}
