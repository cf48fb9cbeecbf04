// DockerCli: the lab's command runner. A line is parsed as sh would (shell.ts); each command of a
// pipeline runs in turn with the previous one's stdout as its stdin: `docker ...` and
// `docker-compose ...` through the command grammar to the handler registered for that command,
// the text filters (grep, head, ...), lab commands the backend registers (help, sleep, exit...),
// and a few sh builtins. Anything else is `sh: NAME: not found` (127). A handler that throws never
// leaks a stack trace: its message is printed and the command exits 1. A handler that waits for
// the simulated world returns a job (job.ts), so a line is a job too; the host that owns the
// clock drives it (src/lab/host-loop.ts).
import { FILTERS } from "./filters/index";
import type { FileRead } from "./filters/types";
import { tabwriter } from "./format/tabwriter";
import { dockerTree, findCommand, parseCommandVector } from "./grammar/index";
import type { DaemonView } from "./grammar/help";
import { type CliStyle, notSupported } from "./grammar/messages";
import type { ParseOutcome } from "./grammar/parser";
import type { CommandNode } from "./grammar/tree";
import type { ParsedCommand } from "./grammar/types";
import { captured, DockerCliError, PipeSink, RedirectSink, type RunResult, type Sink } from "./io";
import { Interrupt, isJob, type Job, runWithoutWaiting } from "./job";
import type { Command, ForCommand, Pipeline, Redirect, Script, SimpleCommand, Word } from "./shell/ast";
import {
  type ExpandEnv,
  ExpansionLimitError,
  expandWord,
  expandWordNow,
  expandWords,
  expandWordsNow,
  hasSubstitution,
} from "./shell/expand";
import { parseShell } from "./shell/parser";

/** What a command gets besides its arguments. */
export interface CommandIO<C> {
  /** Everything the previous command of the pipe wrote ("" when there is none). */
  readonly stdin: string;
  /**
   * Whether stdin is the terminal (the first command of a line typed at the prompt) rather than
   * a pipe or nothing: `docker swarm unlock` prompts only on a terminal, as isatty(0) decides.
   * The lab's terminal has nothing typed ahead, so its `stdin` is "".
   */
  readonly stdinIsTerminal: boolean;
  /** Whether stdout reaches a terminal (a live lab's), not a pipe, a file or a transcript. */
  readonly stdoutIsTerminal?: boolean;
  out(text: string): void;
  err(text: string): void;
  /** The opaque context the caller passed to run() (e.g. the machine the lab is on). */
  readonly context: C;
  /** The CLI itself, to run nested commands (docker exec node2 docker ...). */
  readonly cli: DockerCli<C>;
  /** Shell variables plus this command's NAME=value prefixes. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * What a handler returns: its exit status, or, for a command that waits for the simulated
 * world, a job (cli/job.ts) that yields what it waits for and returns the exit status.
 */
export type HandlerResult = number | Job<number>;

/** Runs a parsed docker command. */
export type Handler<C> = (cmd: ParsedCommand, io: CommandIO<C>) => HandlerResult;

/** A command of the lab itself (help, sleep, advance, exit...). */
export interface LabCommand<C> {
  name: string;
  /** "sleep SECONDS". */
  usage: string;
  /** One line for the lab's help. */
  summary: string;
  run(argv: readonly string[], io: CommandIO<C>): HandlerResult;
}

export interface DockerCliOptions<C> {
  /** Docker 28+ messages ("modern", default) or Docker 27 and earlier ("classic"). */
  style?: CliStyle;
  /** Terminal width for help text (default 80, what Docker uses when output is not a terminal). */
  width?: number;
  /** What `docker --version` reports. */
  version?: { version: string; gitCommit: string };
  /** The daemon's view for the current context, so help hides what Docker would hide. */
  daemon?: (context: C) => DaemonView | undefined;
  /** Whether `docker compose` exists (it does in the lab; default true). */
  composePlugin?: boolean;
  /**
   * Reads a file operand of a text filter (`head -5 worker/worker.py`) as the command's shell
   * names it: the lab resolves it against the shell's directory on the shell's node. Without
   * it, every file operand is missing.
   */
  readFile?: (context: C, path: string) => FileRead;
}

export interface RunOptions {
  /** Input of the first command (default ""). */
  stdin?: string;
  /** Whether that input is a terminal (default: true when no `stdin` is given, as at the prompt). */
  stdinIsTerminal?: boolean;
  /** The sh the line runs in (its variables and $?), instead of the CLI's own. */
  shell?: ShellState;
}

/**
 * What one sh keeps from line to line: its variables (TOKEN=$(...)) and the exit status of
 * its last command ($?). Each shell has its own: a terminal's, a nested `docker exec -it NODE
 * sh`, another terminal's.
 */
export interface ShellState {
  readonly vars: Map<string, string>;
  lastStatus: number;
}

const SH_BUILTINS = new Set(["export", "unset", ":"]);

/** A command's standard input: its text, and whether it is a terminal. */
interface Input {
  text: string;
  tty: boolean;
}

function inputOf(options: RunOptions): Input {
  return { text: options.stdin ?? "", tty: options.stdinIsTerminal ?? options.stdin === undefined };
}

/**
 * The docker CLI and the sh around it. A line runs as a job (`lineJob`): the commands of a
 * pipeline one after the other, each stage's stdout the next one's stdin, so a stage that
 * waits (a handler returning a job) holds the line until it is done, in `&&`, `for` and `$(...)`
 * as well. `run` and `exec` are the synchronous forms for lines that never wait.
 */
export class DockerCli<C = unknown> {
  /** The CLI's own shell (its variables and $?), for lines run without `RunOptions.shell`. */
  readonly shell: ShellState = { vars: new Map<string, string>(), lastStatus: 0 };
  private readonly handlers = new Map<string, Handler<C>>();
  private readonly lab = new Map<string, LabCommand<C>>();

  constructor(private readonly options: DockerCliOptions<C> = {}) {
    this.registerLab({
      name: "help",
      usage: "help",
      summary: "Show the lab's commands",
      run: (_argv, io) => {
        io.out(this.labHelp());
        return 0;
      },
    });
  }

  /**
   * Registers the handler of a docker command, by any path that names it: ["swarm", "init"],
   * ["ps"] or ["container", "ls"] (one command), ["compose", "up"] (also docker-compose up).
   */
  register(path: readonly string[], handler: Handler<C>): void {
    const node = findCommand(path);
    if (!node || node.spec.unsupported || node.children.length > 0) {
      throw new Error(`DockerCli.register: no runnable docker command ${JSON.stringify(path.join(" "))}`);
    }
    this.handlers.set(node.id, handler);
  }

  /** Whether a handler is registered for the command at this path. */
  isRegistered(path: readonly string[]): boolean {
    const node = findCommand(path);
    return node !== undefined && this.handlers.has(node.id);
  }

  /** Adds (or replaces) a lab command. */
  registerLab(command: LabCommand<C>): void {
    this.lab.set(command.name, command);
  }

  /** The shell variables of the CLI's own shell (TOKEN=$(...) lands here). */
  get vars(): Map<string, string> {
    return this.shell.vars;
  }

  /**
   * Parses and runs one line (or several, separated by newlines) as a job writing to `sink`;
   * returns the exit status. A syntax error is sh's message and status 2. An Interrupt thrown
   * into the job (Ctrl-C) that no command catches ends the whole line, as in sh.
   */
  *lineJob(line: string, context: C, sink: Sink, options: RunOptions = {}): Job<number> {
    const sh = options.shell ?? this.shell;
    const parsed = parseShell(line);
    if (!parsed.ok) {
      sink.write("stderr", `${parsed.error}\n`);
      sh.lastStatus = 2;
      return 2;
    }
    return yield* this.runScript(parsed.script, context, inputOf(options), sink, sh);
  }

  /** Runs one command vector (no shell parsing) as a job writing to `sink`. */
  *argvJob(argv: readonly string[], context: C, sink: Sink, options: RunOptions = {}): Job<number> {
    const sh = options.shell ?? this.shell;
    const r = this.runArgv([...argv], context, inputOf(options), sink, Object.fromEntries(sh.vars), sh);
    const status = typeof r === "number" ? r : yield* r;
    sh.lastStatus = status;
    return status;
  }

  /** Parses and runs a line that does not wait (see lineJob). Never throws for a command's failure. */
  run(line: string, context: C, options: RunOptions = {}): RunResult {
    return runWithoutWaiting(captured((sink) => this.lineJob(line, context, sink, options)));
  }

  /** Runs one command vector that does not wait: what a handler uses for nested commands. */
  exec(argv: readonly string[], context: C, options: RunOptions = {}): RunResult {
    return runWithoutWaiting(captured((sink) => this.argvJob(argv, context, sink, options)));
  }

  /** The grammar's verdict on a command vector starting with docker or docker-compose. */
  parse(argv: readonly string[], context?: C): ParseOutcome {
    return parseCommandVector(argv, {
      style: this.options.style,
      width: this.options.width,
      version: this.options.version,
      composePlugin: this.options.composePlugin,
      daemon: context === undefined ? undefined : this.options.daemon?.(context),
    });
  }

  /** The lab's own help: its commands, the filters, and where docker's help is. */
  labHelp(): string {
    const rows = [...this.lab.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((c) => [`  ${c.usage}`, c.summary]);
    return [
      "Lab commands:",
      tabwriter(rows, { minwidth: 0, padding: 3 }).trimEnd(),
      "",
      "Text filters (use after a pipe, e.g. docker info | grep Swarm):",
      `  ${Object.keys(FILTERS).join(", ")}`,
      "",
      "Docker commands: docker, docker compose, docker-compose. Run 'docker --help' for the list.",
      "",
    ].join("\n");
  }

  /** The docker command tree (for completion and listings). */
  commandTree(): CommandNode {
    return dockerTree();
  }

  private *runScript(script: Script, context: C, stdin: Input, sink: Sink, sh: ShellState): Job<number> {
    let status = sh.lastStatus;
    for (const list of script.lists) {
      status = yield* this.runPipeline(list.first, context, stdin, sink, sh);
      for (const { op, pipeline } of list.rest) {
        if ((op === "&&") === (status === 0))
          status = yield* this.runPipeline(pipeline, context, stdin, sink, sh);
      }
      sh.lastStatus = status;
    }
    return status;
  }

  private *runPipeline(p: Pipeline, context: C, stdin: Input, sink: Sink, sh: ShellState): Job<number> {
    let input = stdin;
    let status = 0;
    for (let i = 0; i < p.commands.length; i++) {
      const last = i === p.commands.length - 1;
      const stage = last ? sink : new PipeSink(sink);
      const r = this.runCommand(p.commands[i], context, input, stage, sh);
      status = typeof r === "number" ? r : yield* r;
      sh.lastStatus = status;
      if (stage instanceof PipeSink) input = { text: stage.captured, tty: false };
    }
    if (p.negated) status = status === 0 ? 1 : 0;
    return status;
  }

  /** A command's status, or a job when it waits (most commands do not: no generator for them). */
  private runCommand(
    cmd: Command,
    context: C,
    stdin: Input,
    sink: Sink,
    sh: ShellState,
  ): number | Job<number> {
    return "type" in cmd
      ? this.runForLoop(cmd, context, stdin, sink, sh)
      : this.runSimple(cmd, context, stdin, sink, sh);
  }

  /** Runs the body once per word, with the loop variable set (a loop over nothing exits 0). */
  private *runForLoop(loop: ForCommand, context: C, stdin: Input, sink: Sink, sh: ShellState): Job<number> {
    const values = yield* expandWords(
      loop.words,
      this.expandEnv(context, stdin, sink, sh, () => {}),
    );
    let status = 0;
    for (const v of values) {
      sh.vars.set(loop.name, v);
      status = yield* this.runScript(loop.body, context, stdin, sink, sh);
    }
    return status;
  }

  /**
   * A simple command: its words expanded (a job only when a $(...) must run), then run. An
   * expansion past the lab's limit on text fails the command with sh's message.
   */
  private runSimple(
    cmd: SimpleCommand,
    context: C,
    stdin: Input,
    sink: Sink,
    sh: ShellState,
  ): number | Job<number> {
    try {
      const r = this.runSimpleUnguarded(cmd, context, stdin, sink, sh);
      return typeof r === "number" ? r : this.expansionGuarded(r, sink);
    } catch (e) {
      if (!(e instanceof ExpansionLimitError)) throw e;
      sink.write("stderr", `sh: ${e.message}\n`);
      return 1;
    }
  }

  private *expansionGuarded(job: Job<number>, sink: Sink): Job<number> {
    try {
      return yield* job;
    } catch (e) {
      if (!(e instanceof ExpansionLimitError)) throw e;
      sink.write("stderr", `sh: ${e.message}\n`);
      return 1;
    }
  }

  private runSimpleUnguarded(
    cmd: SimpleCommand,
    context: C,
    stdin: Input,
    sink: Sink,
    sh: ShellState,
  ): number | Job<number> {
    const subst: { status?: number } = {};
    const env = this.expandEnv(context, stdin, sink, sh, (status) => {
      subst.status = status;
    });
    if (commandHasSubstitution(cmd)) return this.expandThenRun(cmd, context, stdin, sink, sh, env, subst);
    const assigned = cmd.assignments.map((a) => [a.name, expandWordNow(a.value, env)] as const);
    const argv = expandWordsNow(cmd.words, env);
    const targets = cmd.redirects.map((r) =>
      r.op === ">&" ? undefined : expandWordNow(r.target as Word, env),
    );
    return this.runExpanded(assigned, argv, targets, cmd.redirects, context, stdin, sink, sh, subst);
  }

  /** runSimple for a command whose expansion runs commands (which may wait). */
  private *expandThenRun(
    cmd: SimpleCommand,
    context: C,
    stdin: Input,
    sink: Sink,
    sh: ShellState,
    env: ExpandEnv,
    subst: { status?: number },
  ): Job<number> {
    const assigned: (readonly [string, string])[] = [];
    for (const a of cmd.assignments) assigned.push([a.name, yield* expandWord(a.value, env)]);
    const argv = yield* expandWords(cmd.words, env);
    const targets: (string | undefined)[] = [];
    for (const r of cmd.redirects)
      targets.push(r.op === ">&" ? undefined : yield* expandWord(r.target as Word, env));
    const r = this.runExpanded(assigned, argv, targets, cmd.redirects, context, stdin, sink, sh, subst);
    return typeof r === "number" ? r : yield* r;
  }

  /** The rest of a simple command once its words are expanded: assignments, redirections, the run. */
  private runExpanded(
    assigned: readonly (readonly [string, string])[],
    argv: string[],
    targets: readonly (string | undefined)[],
    redirects: readonly Redirect[],
    context: C,
    stdin: Input,
    sink: Sink,
    sh: ShellState,
    subst: { status?: number },
  ): number | Job<number> {
    const out = this.redirected(redirects, targets, sink);
    if (typeof out === "string") {
      sink.write("stderr", out);
      return 1;
    }
    if (argv.length === 0) {
      for (const [k, v] of assigned) sh.vars.set(k, v);
      return subst.status ?? 0;
    }
    const cmdEnv = { ...Object.fromEntries(sh.vars), ...Object.fromEntries(assigned) };
    return this.runArgv(argv, context, stdin, out, cmdEnv, sh);
  }

  /**
   * Variables and command substitution for expanding words; `substituted` gets each $(...)'s
   * status. A substitution reads the stdin of the command it is part of, as in sh.
   */
  private expandEnv(
    context: C,
    stdin: Input,
    sink: Sink,
    sh: ShellState,
    substituted: (status: number) => void,
  ): ExpandEnv {
    const cli = this;
    return {
      lookup: (name) => {
        if (name === "?") return String(sh.lastStatus);
        if (name === "#") return "0";
        if (name === "0") return "sh";
        return sh.vars.get(name);
      },
      assign: (name, value) => sh.vars.set(name, value),
      *substitute(script) {
        const capture = new PipeSink(sink);
        substituted(yield* cli.runScript(script, context, stdin, capture, sh));
        return capture.captured;
      },
    };
  }

  /** The sink after redirections (`targets`: each one's expanded file word), or an error message. */
  private redirected(
    redirects: readonly Redirect[],
    targets: readonly (string | undefined)[],
    sink: Sink,
  ): Sink | string {
    if (redirects.length === 0) return sink;
    const streams: Record<"stdout" | "stderr", "stdout" | "stderr" | "null"> = {
      stdout: "stdout",
      stderr: "stderr",
    };
    for (let i = 0; i < redirects.length; i++) {
      const r = redirects[i];
      const stream = r.fd === 1 ? "stdout" : "stderr";
      if (r.op === ">&") {
        streams[stream] = streams[r.target === 1 ? "stdout" : "stderr"];
        continue;
      }
      const file = targets[i];
      if (file !== "/dev/null") return `sh: can't create ${file}: Read-only file system\n`;
      streams[stream] = "null";
    }
    return new RedirectSink(sink, streams);
  }

  private runArgv(
    argv: string[],
    context: C,
    stdin: Input,
    sink: Sink,
    env: Record<string, string>,
    sh: ShellState,
  ): number | Job<number> {
    const io: CommandIO<C> = {
      stdin: stdin.text,
      stdinIsTerminal: stdin.tty,
      stdoutIsTerminal: sink.isTerminal === true,
      out: (text) => sink.write("stdout", String(text)),
      err: (text) => sink.write("stderr", String(text)),
      context,
      cli: this,
      env,
    };
    const name = argv[0];
    if (name === "docker" || name === "docker-compose") return this.runDocker(argv, io, sink);
    const labCommand = this.lab.get(name);
    if (labCommand) return this.guard(() => labCommand.run(argv.slice(1), io), io);
    if (Object.hasOwn(FILTERS, name)) {
      const readFile = this.options.readFile;
      const r = FILTERS[name](argv.slice(1), stdin.text, readFile && ((path) => readFile(context, path)));
      for (const chunk of r.output ??
        ([
          { stream: "stdout", text: r.stdout },
          { stream: "stderr", text: r.stderr },
        ] as const))
        sink.write(chunk.stream, chunk.text);
      return r.exitCode;
    }
    if (SH_BUILTINS.has(name)) return this.builtin(argv, io, sh.vars);
    sink.write("stderr", `sh: ${name}: not found\n`);
    return 127;
  }

  private runDocker(argv: string[], io: CommandIO<C>, sink: Sink): number | Job<number> {
    let outcome: ParseOutcome;
    try {
      outcome = this.parse(argv, io.context);
    } catch (e) {
      io.err(`Error: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
    if (outcome.kind === "output") {
      sink.write("stdout", outcome.stdout);
      sink.write("stderr", outcome.stderr);
      return outcome.exitCode;
    }
    for (const note of outcome.notes) sink.write(note.stream, note.text);
    const handler = this.handlers.get(outcome.command.id);
    if (!handler) {
      io.err(`${notSupported(outcome.command.commandPath).message}\n`);
      return 1;
    }
    // Docker takes the flag (the grammar parses it), but the simulator would run without it.
    const unmodelled = outcome.node.spec.unsupportedFlags?.find((f) => outcome.command.changed.has(f));
    if (unmodelled !== undefined) {
      io.err(`${notSupported(`${outcome.command.commandPath} --${unmodelled}`).message}\n`);
      return 1;
    }
    const command = outcome.command;
    const elsewhere = otherDaemonOption(command, io.env);
    if (elsewhere !== undefined) {
      io.err(`${notSupported(elsewhere).message}\n${OTHER_DAEMON_HINT}`);
      return 1;
    }
    return this.guard(() => handler(command, io), io);
  }

  /**
   * Runs a handler: its status, or its job if it returns one; whatever it throws becomes a
   * message and exit status 1 (no stack trace). An Interrupt it does not catch goes on up:
   * Ctrl-C ends the line, not just the command.
   */
  private guard(run: () => HandlerResult, io: CommandIO<C>): number | Job<number> {
    let status: unknown;
    try {
      status = run();
    } catch (e) {
      return this.failed(e, io);
    }
    return isJob(status) ? this.guardJob(status as Job<unknown>, io) : this.checkedStatus(status, io);
  }

  private *guardJob(job: Job<unknown>, io: CommandIO<C>): Job<number> {
    let status: unknown;
    try {
      status = yield* job;
    } catch (e) {
      return this.failed(e, io);
    }
    return this.checkedStatus(status, io);
  }

  /** What a handler threw, as the CLI prints it; an Interrupt is not the handler's to report. */
  private failed(e: unknown, io: CommandIO<C>): number {
    if (e instanceof Interrupt) throw e;
    if (e instanceof DockerCliError) {
      io.err(e.message.endsWith("\n") ? e.message : `${e.message}\n`);
      return e.exitCode;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.err(`Error: ${message}\n`);
    return 1;
  }

  private checkedStatus(status: unknown, io: CommandIO<C>): number {
    if (typeof (status as { then?: unknown } | undefined)?.then === "function") {
      io.err("Error: the command handler returned a promise; handlers must be synchronous\n");
      return 1;
    }
    if (typeof status !== "number" || !Number.isInteger(status)) {
      io.err("Error: the command handler returned no exit status\n");
      return 1;
    }
    return status & 0xff;
  }

  /** export NAME[=value], unset NAME, and ":" (does nothing). */
  private builtin(argv: string[], io: CommandIO<C>, vars: Map<string, string>): number {
    const [name, ...args] = argv;
    if (name === ":") return 0;
    for (const a of args) {
      const eq = a.indexOf("=");
      const key = eq < 0 ? a : a.slice(0, eq);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
        io.err(`sh: ${name}: ${a}: bad variable name\n`);
        return 1;
      }
      if (name === "unset") vars.delete(key);
      else if (eq >= 0) vars.set(key, a.slice(eq + 1));
    }
    return 0;
  }
}

/** Does running this command's expansion run commands ($(...) in a word, an assignment or a redirection)? */
function commandHasSubstitution(cmd: SimpleCommand): boolean {
  if (hasSubstitution(cmd.words)) return true;
  for (const a of cmd.assignments) if (hasSubstitution([a.value])) return true;
  for (const r of cmd.redirects) if (r.op !== ">&" && hasSubstitution([r.target as Word])) return true;
  return false;
}

/** sh's reserved words: as a command's first word they would be read as syntax. */
const RESERVED_WORDS = new Set(
  "if then else elif fi do done case esac while until for in function select time".split(" "),
);

/** Quotes words for display as one sh line ("docker swarm join --token 'a b'"). */
export function shellQuote(argv: readonly string[]): string {
  return argv
    .map((w, i) => {
      const plain = w !== "" && /^[A-Za-z0-9_@%+=:,./-]+$/.test(w);
      // A first word like NAME=value would read as an assignment, a reserved word as syntax.
      const special = i === 0 && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) || RESERVED_WORDS.has(w));
      return plain && !special ? w : `'${w.replaceAll("'", "'\\''")}'`;
    })
    .join(" ");
}

/**
 * The docker CLI's root options that point it at another daemon or at TLS material (-H, a
 * context other than the default, --tls*, --config). The simulator's CLI talks to the daemon of
 * the node it runs on; with one of these it would answer for the wrong daemon, so it refuses.
 * -D and --log-level only change what the CLI logs, and are accepted.
 */
const OTHER_DAEMON_OPTIONS = [
  "host",
  "context",
  "tls",
  "tlscacert",
  "tlscert",
  "tlskey",
  "tlsverify",
  "config",
];

const OTHER_DAEMON_HINT = "[lab] to talk to another node's daemon, run: docker exec NODE docker ...\n";

/** The option (or variable: DOCKER_HOST, DOCKER_CONTEXT) that names another daemon, if any. */
function otherDaemonOption(
  command: ParsedCommand,
  env: Readonly<Record<string, string>>,
): string | undefined {
  const flag = OTHER_DAEMON_OPTIONS.find(
    (f) => command.globalsChanged.has(f) && !(f === "context" && command.globals.context === "default"),
  );
  if (flag !== undefined) return `docker --${flag}`;
  if (!command.globalsChanged.has("context")) {
    if ((env.DOCKER_HOST ?? "") !== "") return "DOCKER_HOST";
    if ((env.DOCKER_CONTEXT ?? "default") !== "default") return "DOCKER_CONTEXT";
  }
  return undefined;
}
