// A machine of the lab as the user meets it: node1 (the user's own computer) or a docker:dind
// node, with its file tree and the components attached to it (engine, swarm node) by the lab
// and its plugins. A shell is one level of the prompt stack: `docker exec -it node2 sh` pushes
// one for node2, `exit` pops it.
import type { ShellState } from "../cli/dispatch";
import type { Machine } from "../kernel/machine";
import type { FileTree } from "./file-tree";

export type NodeKind = "host" | "dind";

export interface LabNode {
  readonly name: string;
  readonly kind: NodeKind;
  readonly machine: Machine;
  readonly files: FileTree;
  /**
   * Components attached to this node, by name ("swarm", "engine", or a plugin's own), so that
   * handlers find what runs on the node they were called on.
   */
  readonly components: Map<string, unknown>;
}

/** One sh: its variables (NAME=value, TOKEN=$(...)) and its own $? (ShellState), on a node. */
export interface Shell extends ShellState {
  readonly node: LabNode;
  cwd: string;
  /** BusyBox sh in the docker:dind nodes, bash on node1: messages differ. */
  readonly busybox: boolean;
  /** Interactive shells sit on the prompt stack; `docker exec node2 CMD` runs in a transient one. */
  readonly interactive: boolean;
  /** The prompt stack (a terminal's) an interactive shell sits on. */
  readonly stack?: ShellStack;
}

/**
 * What a shell sees of the prompt stack it sits on (prompt-stack.ts's PromptStack): the shell on
 * top, leaving it (`exit`), and entering another on top (`docker exec -it`).
 */
export interface ShellStack {
  current(): Shell;
  leave(): boolean;
  enter(node: LabNode, from?: Shell): void;
}

export function newShell(node: LabNode, interactive: boolean, stack?: ShellStack): Shell {
  const busybox = node.kind === "dind";
  return {
    node,
    // docker exec starts in the image's WORKDIR ("/" for docker:dind); a login shell at home.
    cwd: busybox ? "/" : node.files.home,
    vars: new Map([
      ["HOME", node.files.home],
      ["HOSTNAME", node.name],
      ["USER", busybox ? "root" : "docker"],
    ]),
    lastStatus: 0,
    busybox,
    interactive,
    stack,
  };
}

/** The top-level directories of the Alpine-based docker:dind image. */
export const DIND_ROOT_DIRS = [
  "bin",
  "certs",
  "dev",
  "etc",
  "home",
  "lib",
  "media",
  "mnt",
  "opt",
  "proc",
  "root",
  "run",
  "sbin",
  "srv",
  "sys",
  "tmp",
  "usr",
  "var",
];
