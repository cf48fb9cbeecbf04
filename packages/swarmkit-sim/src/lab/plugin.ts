// How the lab is extended: a plugin is installed once with `lab.use(plugin)` and gets a host
// through which it registers what it brings. The lab's own commands (time, faults, nodes, the
// node's shell) are plugins too (commands/); DockerCoins registers its images, its builds and
// the container.training repository this way.
import type { CommandIO, HandlerResult } from "../cli/dispatch";
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

/**
 * A handler for a docker command path (e.g. ["container", "stats"]) registered by a plugin: its
 * exit status, or a job (src/cli/job.ts) when it waits for the simulated world.
 */
export type LabDockerHandler = (cmd: ParsedCommand, io: LabIO, shell: Shell) => HandlerResult;

/** Where `help` lists a shell command. */
export type CommandGroup = "time" | "faults" | "nodes" | "attacks" | "shell" | "plugins";

/** A shell-level command of the lab (listed by `help`), e.g. `sleep`, `partition` or `top`. */
export interface LabShellCommand {
  name: string;
  /** One line for `help`: the synopsis and what it does. */
  synopsis: string;
  description: string;
  /** Where `help` lists it (default "plugins"). */
  group?: CommandGroup;
  run(argv: readonly string[], io: LabIO, shell: Shell): HandlerResult;
}

export interface LabPluginHost {
  readonly sim: Sim;
  /** An image every node's engine can run (they share the lab's registry: no pulls to fake). */
  registerImage(spec: ImageSpec): void;
  /** What `docker compose` builds from a build context (`build: rng`): an image of the registry. */
  registerBuild(context: string, image: string): void;
  /** Runs `fn` for every lab node now and for each node created later (engine set-up, images). */
  forEachNode(fn: (node: LabNode) => void): void;
  /** Handles a docker command path (the grammar's canonical path, e.g. ["container", "stats"]). */
  registerDockerCommand(path: readonly string[], handler: LabDockerHandler): void;
  /** Adds a shell command. */
  registerShellCommand(cmd: LabShellCommand): void;
  /** The shell commands registered so far (for `help`). */
  shellCommands(): readonly LabShellCommand[];
  /** Writes files into node1's file tree (paths relative to the home directory, or absolute). */
  addFiles(files: Readonly<Record<string, string>>, dir?: string): void;
  /** A repository that `git clone URL` fetches (its files, by path inside the repository). */
  addRepository(url: string, files: Readonly<Record<string, string>>): void;
}

export interface LabPlugin {
  readonly name: string;
  install(host: LabPluginHost): void;
}
