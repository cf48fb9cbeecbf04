// Which compose project a `docker compose` command in the lab acts on: the compose file in the
// shell's directory (or above it), or the files `-f` names, read from the node's file tree;
// the project named after `-p`, the file's `name:` or its directory. One ComposeProject per
// node and project name is kept, so that an attached `up` can be interrupted by a later
// command; it is made afresh when the file changes (its containers are found by their labels).
import { type Engine, type Shell, engineOf } from "@swarm-sim/swarmkit-sim";
import type { HandlerCommand } from "../cli-handlers";
import { parseComposeText, findComposeFile } from "../compose/load";
import { ComposeProject } from "../compose/project";
import { DOCKERCOINS_BUILDS } from "../images";

interface Known {
  text: string;
  project: ComposeProject;
}

export class LabProjects {
  private readonly byEngine = new WeakMap<Engine, Map<string, Known>>();

  /** The project for a command run in `shell`; undefined when no compose file is found. */
  find(shell: Shell, cmd: HandlerCommand, env: Readonly<Record<string, string>>): ComposeProject | undefined {
    const files = shell.node.files;
    const given = cmd.globals?.file;
    const named = Array.isArray(given) && given.length > 0 ? String(given[0]) : undefined;
    let path: string | undefined;
    if (named !== undefined) {
      path = files.resolve(shell.cwd, named);
      if (!files.exists(path) || files.isDir(path))
        throw new Error(`open ${path}: no such file or directory`);
    } else path = findComposeFile(files, shell.cwd);
    if (path === undefined) return undefined;
    const engine = engineOf(shell.node);
    if (!engine)
      throw new Error(
        "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
      );
    const text = files.readFile(path);
    const file = parseComposeText(text, path.slice(0, path.lastIndexOf("/")) || "/", env);
    const override = cmd.globals?.["project-name"];
    const name = typeof override === "string" && override !== "" ? override : file.name!;
    let table = this.byEngine.get(engine);
    if (!table) this.byEngine.set(engine, (table = new Map()));
    const known = table.get(name);
    if (known && known.text === text) return known.project;
    const project = new ComposeProject(engine, { ...file, name }, { builds: DOCKERCOINS_BUILDS });
    table.set(name, { text, project });
    return project;
  }
}
