// Which compose project a `docker compose` command acts on: the compose file in the working
// directory (or above it), or the files `-f` names; the project named after `-p`, the file's
// `name:` or its directory. One ComposeProject per engine and project name is kept, so that an
// attached `up` and a later `down` act on the same project; it is made afresh when the file
// changes (its containers are found by their labels).
import type { Engine } from "../../engine/engine";
import type { ComposeFiles } from "./load";
import { findComposeFile, parseComposeText } from "./load";
import { ComposeProject } from "./project";

/** Where a compose command runs: the files it sees and its working directory. */
export interface ComposeWorkdir {
  readonly files: ComposeFiles & { resolve(cwd: string, path: string): string };
  readonly cwd: string;
}

/** What a project lookup reads from the command (compose's -f and -p, given before the verb). */
export interface ComposeGlobals {
  file?: unknown;
  "project-name"?: unknown;
}

interface Known {
  text: string;
  project: ComposeProject;
}

export class ComposeProjects {
  private readonly byEngine = new WeakMap<Engine, Map<string, Known>>();

  /**
   * The project for a command run in `where` on `engine`; undefined when no compose file is
   * found. Throws compose's message for a file it cannot read or load.
   */
  find(
    where: ComposeWorkdir,
    engine: Engine | undefined,
    globals: ComposeGlobals,
    env: Readonly<Record<string, string>>,
    builds: ReadonlyMap<string, string>,
  ): ComposeProject | undefined {
    const files = where.files;
    const given = globals.file;
    const named = Array.isArray(given) && given.length > 0 ? String(given[0]) : undefined;
    let path: string | undefined;
    if (named !== undefined) {
      path = files.resolve(where.cwd, named);
      if (!files.exists(path) || files.isDir(path))
        throw new Error(`open ${path}: no such file or directory`);
    } else path = findComposeFile(files, where.cwd);
    if (path === undefined) return undefined;
    if (!engine)
      throw new Error(
        "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
      );
    const text = files.readFile(path);
    const file = parseComposeText(text, path.slice(0, path.lastIndexOf("/")) || "/", env);
    const override = globals["project-name"];
    const name = typeof override === "string" && override !== "" ? override : file.name!;
    let table = this.byEngine.get(engine);
    if (!table) this.byEngine.set(engine, (table = new Map()));
    const known = table.get(name);
    if (known && known.text === text) return known.project;
    const project = new ComposeProject(engine, { ...file, name }, { builds: Object.fromEntries(builds) });
    table.set(name, { text, project });
    return project;
  }
}
