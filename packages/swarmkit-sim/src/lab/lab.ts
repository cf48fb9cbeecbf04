// The lab as tests, scenarios and the `swarm-sim lab` command use it: a world (world.ts: the
// simulation, node1 and its docker:dind nodes, shells, registries) with its CLI host (host.ts:
// the docker CLI, the handlers, the lab's commands and the plugins'). `lab.run(line)` types a
// line at the current prompt and gives back what a terminal would show.
import type { DockerCli } from "../cli/dispatch";
import { LabHost } from "./host";
import type { Shell } from "./node";
import type { LabDockerHandler, LabPlugin, LabShellCommand } from "./plugin";
import { type ScriptResult, runScript } from "./script";
import type { RunResult } from "./types";
import { type LabOptions as WorldOptions, LabWorld } from "./world";

export interface LabOptions extends WorldOptions {
  plugins?: readonly LabPlugin[];
}

export class Lab extends LabWorld {
  /** The CLI host: what runs the lines typed into this lab. */
  readonly host: LabHost;

  constructor(opts: LabOptions) {
    super(opts);
    this.host = new LabHost(this);
    for (const p of opts.plugins ?? []) this.use(p);
  }

  /** The docker CLI the lines go through. */
  get cli(): DockerCli<Shell> {
    return this.host.cli;
  }

  /**
   * Runs one line as the user typed it at the current prompt (one step of simulated time
   * first). Never throws; a failing command changes nothing but the time that passed.
   */
  run(line: string): RunResult {
    return this.host.run(line);
  }

  /** Runs a whole script as a transcript (what `swarm-sim lab --script FILE` prints). */
  runScript(text: string, onOutput?: (chunk: string) => void): ScriptResult {
    return runScript(this, text, onOutput);
  }

  use(plugin: LabPlugin): this {
    this.host.use(plugin);
    return this;
  }

  registerDockerCommand(path: readonly string[], handler: LabDockerHandler): void {
    this.host.registerDockerCommand(path, handler);
  }

  registerShellCommand(cmd: LabShellCommand): void {
    this.host.registerShellCommand(cmd);
  }

  /** Every shell command (the lab's own and the plugins'), for help and completion. */
  shellCommands(): readonly LabShellCommand[] {
    return this.host.shellCommands();
  }
}
