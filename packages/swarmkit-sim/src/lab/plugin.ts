// How other packages extend the lab (DockerCoins registers its images, `docker compose` and the
// container.training repository this way): a plugin is installed once with `lab.use(plugin)`
// and gets a host through which it registers what it brings.
import type { CommandIO } from "../cli/dispatch";
import type { ParsedCommand } from "../cli/grammar/types";
import type { ImageSpec } from "../engine/program";
import type { Sim } from "../kernel/sim";
import type { LabNode, Shell } from "./node";

/**
 * What a handler gets besides its arguments: the streams (`out`, `err`), the previous pipe
 * stage's output (`stdin`), the shell it runs in (`context`) and the CLI (`cli`, for nested
 * commands).
 */
export type LabIO = CommandIO<Shell>;

/** A handler for a docker command path (e.g. ["compose", "up"]) registered by a plugin. */
export type LabDockerHandler = (cmd: ParsedCommand, io: LabIO, shell: Shell) => number;

/** A shell-level command of the lab (listed by `help`), e.g. `top` or `httping`. */
export interface LabShellCommand {
  name: string;
  /** One line for `help`: the synopsis and what it does. */
  synopsis: string;
  description: string;
  run(argv: readonly string[], io: LabIO, shell: Shell): number;
}

export interface LabPluginHost {
  readonly sim: Sim;
  /** An image every node's engine can run (they share the lab's registry: no pulls to fake). */
  registerImage(spec: ImageSpec): void;
  /** Runs `fn` for every lab node now and for each node created later (engine set-up, images). */
  forEachNode(fn: (node: LabNode) => void): void;
  /** Handles a docker command path (the grammar's canonical path, e.g. ["compose", "up"]). */
  registerDockerCommand(path: readonly string[], handler: LabDockerHandler): void;
  /** Adds a shell command of the lab's own. */
  registerShellCommand(cmd: LabShellCommand): void;
  /** Writes files into node1's file tree (paths relative to the home directory, or absolute). */
  addFiles(files: Readonly<Record<string, string>>, dir?: string): void;
  /** A repository that `git clone URL` fetches (its files, by path inside the repository). */
  addRepository(url: string, files: Readonly<Record<string, string>>): void;
}

export interface LabPlugin {
  readonly name: string;
  install(host: LabPluginHost): void;
}
