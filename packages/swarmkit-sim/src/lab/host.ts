// The lab's CLI host: builds the DockerCli the user types into, registers the docker handlers
// (src/docker/) with contexts drawn from the world, the lab's own commands and the plugins'
// (all through the LabPluginHost interface), and runs lines. A line is a job; in a transcript
// the host drives it at once through the host loop (host-loop.ts), with the foreground policy
// for attached commands (foreground.ts).
import { DockerCli } from "../cli/dispatch";
import { BufferSink, captured, type RunResult as CliRunResult, type Sink } from "../cli/io";
import { Interrupt, type Job } from "../cli/job";
import { registerDockerCommands } from "../docker/register";
import type { ImageSpec } from "../engine/program";
import type { Sim } from "../kernel/sim";
import { labCommandsPlugin } from "./commands/index";
import { labContexts, type ShellRunner } from "./contexts";
import { readShellFile } from "./file-commands";
import { Foregrounds, SwitchSink } from "./foreground";
import { advanceClock, RunningJob } from "./host-loop";
import type { LabNode, Shell } from "./node";
import type { LabDockerHandler, LabPlugin, LabPluginHost, LabShellCommand } from "./plugin";
import type { PromptStack } from "./prompt-stack";
import type { RunResult } from "./types";
import { type LabWorld, swarmOf } from "./world";

/** A command's stdin for runIn/execIn: its text and whether it is a terminal. */
export interface StdinOptions {
  stdin?: string;
  stdinIsTerminal?: boolean;
}

export class LabHost implements LabPluginHost, ShellRunner {
  readonly cli: DockerCli<Shell>;
  private readonly commands: LabShellCommand[] = [];
  private readonly installed = new Set<string>();
  private readonly foregrounds = new Foregrounds();

  constructor(private readonly world: LabWorld) {
    this.cli = new DockerCli<Shell>({
      version: { version: world.engineVersion, gitCommit: "4c9b3b0" },
      daemon: (shell) => {
        const swarm = swarmOf(shell.node);
        return {
          osType: "linux",
          swarm: swarm && { nodeState: swarm.state, controlAvailable: swarm.controlError() === null },
        };
      },
      readFile: readShellFile,
    });
    registerDockerCommands(this.cli, labContexts(world, this), { services: world.servicesEnabled });
    this.use(labCommandsPlugin(world));
    for (const c of this.foregrounds.commands()) this.registerShellCommand(c);
  }

  // ---- the plugin host ---------------------------------------------------------------------

  get sim(): Sim {
    return this.world.sim;
  }

  use(plugin: LabPlugin): void {
    if (this.installed.has(plugin.name)) return;
    this.installed.add(plugin.name);
    plugin.install(this);
  }

  /** The plugins installed so far, by name, in order (a session file's header lists them). */
  pluginNames(): string[] {
    return [...this.installed];
  }

  registerImage(spec: ImageSpec): void {
    this.world.registerImage(spec);
  }

  registerBuild(context: string, image: string): void {
    this.world.registerBuild(context, image);
  }

  forEachNode(fn: (node: LabNode) => void): void {
    this.world.forEachNode(fn);
  }

  registerDockerCommand(path: readonly string[], handler: LabDockerHandler): void {
    this.cli.register(path, (cmd, io) => handler(cmd, io, io.context));
  }

  registerShellCommand(cmd: LabShellCommand): void {
    const i = this.commands.findIndex((c) => c.name === cmd.name);
    if (i >= 0) this.commands[i] = cmd;
    else this.commands.push(cmd);
    this.cli.registerLab({
      name: cmd.name,
      usage: cmd.synopsis,
      summary: cmd.description,
      run: (argv, io) => cmd.run(argv, io, io.context),
    });
  }

  shellCommands(): readonly LabShellCommand[] {
    return this.commands;
  }

  addFiles(files: Readonly<Record<string, string>>, dir?: string): void {
    this.world.addFiles(files, dir);
  }

  addRepository(url: string, files: Readonly<Record<string, string>>): void {
    this.world.addRepository(url, files);
  }

  // ---- running lines -----------------------------------------------------------------------

  /**
   * Runs one line as the user typed it at the current prompt, as a transcript does: one step of
   * simulated time first (a person's pace), then the line, waiting for it. Never throws; a
   * failing command changes nothing but the time that passed.
   */
  run(line: string): RunResult {
    const world = this.world;
    if (world.exited) return { stdout: "", stderr: "[lab] the lab has ended\n", exitCode: 1 };
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return { stdout: "", stderr: "", exitCode: 0 };
    advanceClock(world.sim, world.stepMs);
    const note = world.dropDeadShells();
    const shell = world.currentShell();
    const paused = pausedShellMessage(shell, trimmed);
    if (paused) return { stdout: "", stderr: note + paused, exitCode: 1 };
    const r = this.runIn(shell, line);
    if (!note) return r;
    return { ...r, stderr: note + r.stderr, output: [{ stream: "stderr", text: note }, ...(r.output ?? [])] };
  }

  /**
   * Runs a line in a shell as a transcript does (the current one, or one of the tests' own), by
   * default with the lab's terminal as stdin.
   */
  runIn(shell: Shell, line: string, input: StdinOptions = {}): RunResult {
    const buffer = new BufferSink();
    const sink = new SwitchSink(buffer);
    try {
      const job = new RunningJob(this.world.sim, this.cli.lineJob(line, shell, sink, { ...input, shell }));
      const status = this.foregrounds.runInForeground(shell, job, sink);
      // A line the host ended (Ctrl-C) or left running attached sets $? itself.
      if (job.jobState !== "done" || job.outcome.kind === "interrupted") shell.lastStatus = status;
      return buffer.result(status);
    } catch (e) {
      // The dispatcher already turns handler errors into messages; this is the last guard.
      return { stdout: "", stderr: `Error: ${(e as Error).message}\n`, exitCode: 1 };
    }
  }

  /**
   * Starts a line typed at a live terminal's prompt in the current shell of its prompt stack,
   * writing to `sink` as it runs. No step of time passes first: a live lab's clock flows by
   * itself. Returns the shell the line runs in (whose $? it sets) and the running job (the live
   * loop advances it), or the exit status of a line that did not start.
   */
  startLine(
    stack: PromptStack,
    line: string,
    sink: Sink,
  ): { shell: Shell; started: RunningJob<number> | number } {
    const note = this.world.dropDeadShells(stack);
    if (note) sink.write("stderr", note);
    const shell = stack.current();
    const paused = pausedShellMessage(shell, line.trim());
    if (paused) {
      sink.write("stderr", paused);
      shell.lastStatus = 1;
      return { shell, started: 1 };
    }
    try {
      return {
        shell,
        started: new RunningJob(this.world.sim, this.cli.lineJob(line, shell, sink, { shell })),
      };
    } catch (e) {
      // The dispatcher already turns handler errors into messages; this is the last guard.
      sink.write("stderr", `Error: ${(e as Error).message}\n`);
      shell.lastStatus = 1;
      return { shell, started: 1 };
    }
  }

  /** A line run in a shell as part of another command (`docker exec NODE sh -c LINE`). */
  *lineJob(shell: Shell, line: string, input: StdinOptions): Job<CliRunResult> {
    return yield* this.guarded(captured((sink) => this.cli.lineJob(line, shell, sink, { ...input, shell })));
  }

  /** One command vector run in a shell as part of another command (`docker exec NODE CMD...`). */
  *argvJob(shell: Shell, argv: readonly string[], input: StdinOptions): Job<CliRunResult> {
    return yield* this.guarded(captured((sink) => this.cli.argvJob(argv, shell, sink, { ...input, shell })));
  }

  /** A nested run that fails outside any handler still ends as a message, as a shell's would. */
  private *guarded(job: Job<CliRunResult>): Job<CliRunResult> {
    try {
      return yield* job;
    } catch (e) {
      if (e instanceof Interrupt) throw e;
      const text = `Error: ${(e as Error).message}\n`;
      return { stdout: "", stderr: text, exitCode: 1, output: [{ stream: "stderr", text }] };
    }
  }
}

/** What a paused node's shell answers to anything but `exit` (undefined when it is not paused). */
function pausedShellMessage(shell: Shell, trimmed: string): string | undefined {
  if (shell.node.machine.state !== "paused" || /^exit(\s|$)/.test(trimmed)) return undefined;
  const name = shell.node.name;
  return `[lab] ${name} is paused: its shell does not answer until \`docker unpause ${name}\` on node1 (type exit to leave it)\n`;
}
