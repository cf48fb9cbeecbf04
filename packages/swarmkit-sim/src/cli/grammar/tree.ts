// The command table as a tree of nodes, the way cobra links commands: each node knows its
// parent, its full path ("docker swarm init"), its Use line with the parent path, and its
// complete flag set (its own flags plus the persistent flags of its ancestors, such as the
// hidden --help/-h every docker command inherits from the root).
import type { CommandSpec, FlagSpec } from "./types";

export interface CommandNode {
  spec: CommandSpec;
  /** First word of Use: "init". */
  name: string;
  parent?: CommandNode;
  children: CommandNode[];
  /** Names from below the root: ["swarm", "init"]. */
  path: string[];
  /** "docker swarm init". */
  commandPath: string;
  /** Handler key (spec.id or the path joined with spaces). */
  id: string;
  /** Own flags plus inherited persistent flags, as cobra's c.Flags() after merging. */
  flags: FlagSpec[];
  byLong: Map<string, FlagSpec>;
  byShort: Map<string, FlagSpec>;
  /** Longest child name, for cobra's NamePadding. */
  maxChildNameLen: number;
}

/** The persistent --help of the Docker CLI's root: hidden, and -h prints a deprecation note. */
export const ROOT_HELP_FLAG: FlagSpec = {
  name: "help",
  short: "h",
  varname: "",
  kind: "bool",
  help: "Print usage",
  defaultValue: false,
  hidden: true,
  shorthandDeprecated: "use --help",
  persistent: true,
  isHelp: true,
};

export function commandName(spec: CommandSpec): string {
  return spec.use.split(" ")[0];
}

export function buildTree(root: CommandSpec): CommandNode {
  const rootSpec: CommandSpec = { ...root, flags: [...root.flags, ROOT_HELP_FLAG] };
  return makeNode(rootSpec, undefined);
}

function makeNode(spec: CommandSpec, parent: CommandNode | undefined): CommandNode {
  const name = commandName(spec);
  const path = parent ? [...parent.path, name] : [];
  const own = spec.flags;
  const flags = [...own];
  for (let p = parent; p; p = p.parent) {
    for (const f of p.spec.flags) {
      if (!f.persistent || flags.some((x) => x.name === f.name)) continue;
      // A local flag may already use the shorthand (docker run -h is --hostname).
      const clash = f.short !== undefined && flags.some((x) => x.short === f.short);
      flags.push(clash ? { ...f, short: undefined } : f);
    }
  }
  const node: CommandNode = {
    spec,
    name,
    parent,
    children: [],
    path,
    commandPath: parent ? `${parent.commandPath} ${name}` : name,
    id: spec.id ?? path.join(" "),
    flags,
    byLong: new Map(flags.map((f) => [f.name, f])),
    byShort: new Map(flags.filter((f) => f.short).map((f) => [f.short!, f])),
    maxChildNameLen: 0,
  };
  for (const child of spec.subcommands ?? []) {
    const c = makeNode(child, node);
    node.children.push(c);
    node.maxChildNameLen = Math.max(node.maxChildNameLen, c.name.length);
  }
  // cobra adds a "help" command to every command that has sub-commands.
  if (node.children.length > 0) node.maxChildNameLen = Math.max(node.maxChildNameLen, 4);
  return node;
}

/** The child called `name` (or having it as an alias). */
export function findChild(node: CommandNode, name: string): CommandNode | undefined {
  return node.children.find((c) => c.name === name || (c.spec.aliases ?? []).includes(name));
}

/** cobra's UseLine: the parent's path, then this command's Use. */
export function useLine(node: CommandNode): string {
  return node.parent ? `${node.parent.commandPath} ${node.spec.use}` : node.spec.use;
}

export function hasSubCommands(node: CommandNode): boolean {
  return node.children.length > 0;
}

/** Every node of the tree, depth first. */
export function allNodes(node: CommandNode): CommandNode[] {
  return [node, ...node.children.flatMap(allNodes)];
}
