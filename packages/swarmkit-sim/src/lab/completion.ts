// Tab completion for the REPL: the first word (docker, the lab's commands, the filters), docker's
// sub-commands from the command grammar, then container names on the current node, or files in
// the current directory for the file commands.
import { FILTERS } from "../cli/filters/index";
import type { CommandNode } from "../cli/grammar/tree";
import { daemonContainers } from "../docker/container/engine-containers";
import type { Lab } from "./lab";
import type { Shell } from "./node";
import { engineOf } from "./world";

const FILE_COMMANDS = new Set(["cd", "ls", "cat"]);
const NODE_COMMANDS = new Set(["partition", "block", "latency", "loss"]);

function dockerCandidates(lab: Lab, shell: Shell, words: readonly string[]): string[] {
  let node: CommandNode = lab.cli.commandTree();
  for (const w of words) {
    if (w.startsWith("-")) continue;
    const child = node.children.find((c) => c.name === w || (c.spec.aliases ?? []).includes(w));
    if (!child) break;
    node = child;
  }
  const visible = node.children.filter((c) => !c.spec.hidden && !c.spec.unsupported);
  if (visible.length > 0) return visible.map((c) => c.name);
  const here = shell.node;
  return daemonContainers(engineOf(here), lab.dindOf(here)).map((c) => c.name);
}

/**
 * A readline completer: the candidates for the word being typed, and that word; `shell` is
 * where the line will run (default: the current shell of the lab's terminal).
 */
export function labCompleter(
  lab: Lab,
  shell: () => Shell = () => lab.currentShell(),
): (line: string) => [string[], string] {
  return (line) => {
    const words = line.split(/\s+/);
    const last = words[words.length - 1];
    const before = words.slice(0, -1).filter((w) => w !== "");
    let candidates: string[];
    if (before.length === 0) {
      candidates = [
        "docker",
        "docker-compose",
        ...lab.shellCommands().map((c) => c.name),
        ...Object.keys(FILTERS),
      ];
    } else if (before[0] === "docker") {
      candidates = dockerCandidates(lab, shell(), before.slice(1));
    } else if (FILE_COMMANDS.has(before[0])) {
      const sh = shell();
      candidates = sh.node.files.list(sh.cwd).map((e) => (e.dir ? `${e.name}/` : e.name));
    } else if (NODE_COMMANDS.has(before[0])) {
      candidates = lab.sim.machineNames();
    } else {
      candidates = [];
    }
    const hits = [...new Set(candidates)].filter((c) => c.startsWith(last)).sort();
    return [hits, last];
  };
}
