// The docker command grammar: the command table (commands/), the tree built from it, and the
// parser that turns an argument vector into a ParsedCommand or into what the CLI would print.
import { docker } from "./commands/root";
import { type ParseOptions, type ParseOutcome, parseDockerArgv } from "./parser";
import { allNodes, buildTree, type CommandNode, findChild } from "./tree";

let tree: CommandNode | undefined;

/** The tree of every docker command (built once). */
export function dockerTree(): CommandNode {
  tree ??= buildTree(docker);
  return tree;
}

/**
 * Parses a command vector whose first word is the program: `docker ...` or `docker-compose ...`
 * (the legacy Compose binary runs the same commands as `docker compose`).
 */
export function parseCommandVector(argv: readonly string[], options: ParseOptions = {}): ParseOutcome {
  const [program, ...rest] = argv;
  if (program === "docker-compose")
    return parseDockerArgv(dockerTree(), ["compose", ...rest], "docker-compose", options);
  if (program !== "docker") throw new Error(`parseCommandVector: not a docker command: ${program}`);
  return parseDockerArgv(dockerTree(), rest, "docker", options);
}

/** The node for a command path as typed or canonical (["ps"], ["container", "ls"], ["node", "list"]). */
export function findCommand(path: readonly string[]): CommandNode | undefined {
  let node: CommandNode | undefined = dockerTree();
  for (const name of path) {
    node = findChild(node, name);
    if (!node) return undefined;
  }
  return node;
}

/** Every modelled (not unsupported) command that can run: the handler keys a backend may register. */
export function runnableCommandIds(): string[] {
  const ids = new Set<string>();
  for (const n of allNodes(dockerTree())) {
    if (n.parent && !n.spec.unsupported && n.children.length === 0) ids.add(n.id);
  }
  return [...ids].sort();
}

export { type DaemonView, type HelpOptions, helpText, pflagWrap, usageString } from "./help";
export type { CliStyle, UsageError } from "./messages";
export { type ParseOptions, type ParseOutcome, parseDockerArgv } from "./parser";
export type { CommandNode } from "./tree";
export type {
  ArgsRule,
  CommandSpec,
  FlagKind,
  FlagSpec,
  FlagValue,
  NetworkAttachment,
  ParsedCommand,
  PlacementPreference,
  PortConfig,
} from "./types";
export { formatGoDuration } from "../format/duration";
export { goQuote, parseGoDuration, parseSleepDuration } from "./go-values";
