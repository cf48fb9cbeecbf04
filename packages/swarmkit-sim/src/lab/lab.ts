// The interactive lab: node1 (the user's own machine) plus the docker:dind nodes created from
// it, a prompt stack for `docker exec -it nodeX sh`, a fixed step of simulated time per command
// (a person's pace, so heartbeats and elections happen between commands), and the docker CLI
// facade with the handlers of the control plane, the lab's own and its plugins'.
import { DockerCli, type RunOptions } from "../cli/dispatch";
import { Engine } from "../engine/engine";
import { ImageRegistry, normalizeImageName } from "../engine/images";
import type { ImageSpec } from "../engine/program";
import { newId } from "../engine/ids";
import { randomContainerName } from "../engine/names";
import type { Interface, Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import { Sim } from "../kernel/sim";
import type { Manager } from "../manager/manager";
import type { SwarmNode } from "../node/swarm-node";
import { type AttachOptions, type SwarmCommandContext, attachSwarmNode } from "../swarm/index";
import type { EngineCounts } from "../swarm/commands/io";
import { countStates } from "../swarm/commands/info-value";
import { registerLabHandlers } from "./commands";
import { DIND_IMAGE, DindContainer, type Ipam } from "./dind";
import { RepositoryRegistry } from "./file-commands";
import { FileTree } from "./file-tree";
import type { BuiltinCommand } from "./lab-commands";
import { LinkFaults } from "./link-faults";
import { NetFaults } from "./net-faults";
import { engineOf, nodeContainers } from "./node-containers";
import { DIND_ROOT_DIRS, type LabNode, type NodeKind, type Shell, newShell } from "./node";
import type { LabDockerHandler, LabPlugin, LabPluginHost, LabShellCommand } from "./plugin";
import { type ScriptResult, runScript } from "./script";
import { STOCK_IMAGES } from "./stock-images";
import { type LabServices, labServices } from "./services";
import type { RunResult } from "./types";

export interface LabOptions {
  seed: number | string;
  /** Simulated time that passes with every command typed (default 1 s: a person's pace). */
  stepMs?: number;
  /**
   * node1's own interfaces (default eth0 192.168.1.10). Docker's bridge docker0 (172.17.0.1)
   * comes from node1's engine; give two here to reproduce swarm init's advertise-address error.
   */
  node1Interfaces?: Interface[];
  /** The Docker version every engine reports (default 27.5.1). */
  engineVersion?: string;
  /** Passed to attachSwarmNode for every node (leader components, task executors, ...). */
  swarm?: Omit<AttachOptions, "engineVersion">;
  /**
   * Swarm services (`docker service`, `docker stack`): orchestrators on the leader, tasks on
   * every node's engine, overlay DNS and the routing mesh. Off by default.
   */
  services?: boolean;
  plugins?: readonly LabPlugin[];
}

export interface CreateNodeOptions {
  /** Extra interfaces besides eth0 on the bridge (e.g. to reproduce the advertise-address error). */
  extraInterfaces?: Interface[];
  /** Default true; false reproduces dind's failure without --privileged. */
  privileged?: boolean;
}

/** A command's stdin for runIn/execIn: its text and whether it is a terminal. */
export type StdinOptions = Pick<RunOptions, "stdin" | "stdinIsTerminal">;

export const DEFAULT_NODE1_INTERFACES: readonly Interface[] = [{ name: "eth0", address: "192.168.1.10" }];
export const DEFAULT_ENGINE_VERSION = "27.5.1";
export const NODE1 = "node1";
const NODE1_HOME = "/home/docker";

export class Lab implements LabPluginHost {
  readonly sim: Sim;
  readonly stepMs: number;
  readonly engineVersion: string;
  /** Latency and loss set with the lab's commands. */
  readonly links: LinkFaults;
  readonly repositories = new RepositoryRegistry();
  /** node1's docker:dind containers, in creation order. */
  readonly containers: DindContainer[] = [];
  /** True once `exit` (or Ctrl-D) left node1's shell. */
  exited = false;
  readonly cli: DockerCli<Shell>;
  /** Images every node's engine can run (what the simulated registry serves). */
  readonly images = new ImageRegistry();
  /** Partitions and cuts set with the lab's commands. */
  readonly faults: NetFaults;
  private readonly nodes = new Map<string, LabNode>();
  private readonly pulled = new Map<string, Set<string>>();
  private readonly prefixes = new Map<string, number>();
  private builtins: BuiltinCommand[] = [];
  private readonly shells: Shell[] = [];
  private readonly nodeHooks: ((node: LabNode) => void)[] = [];
  private readonly shellCommands = new Map<string, LabShellCommand>();
  private readonly installed = new Set<string>();
  private readonly swarmOptions: Omit<AttachOptions, "engineVersion">;
  private readonly services: LabServices | undefined;
  /** The stream container IDs and names come from. */
  readonly idRandom: Random;

  constructor(opts: LabOptions) {
    this.sim = new Sim({ seed: opts.seed });
    this.stepMs = opts.stepMs ?? 1000;
    this.engineVersion = opts.engineVersion ?? DEFAULT_ENGINE_VERSION;
    this.services = opts.services
      ? labServices(
          () => this.managers(),
          (m) => Engine.of(m),
        )
      : undefined;
    this.swarmOptions = { ...(this.services?.attachOptions ?? {}), ...(opts.swarm ?? {}) };
    this.links = new LinkFaults(this.sim);
    this.faults = new NetFaults(this.sim, this.links, {
      disconnected: () =>
        this.containers.filter((c) => c.machine && c.isDisconnected()).map((c) => c.machine!.name),
    });
    this.idRandom = this.sim.random.fork("lab/ids");
    for (const image of STOCK_IMAGES) this.images.register(image);
    const m = this.sim.addMachine(NODE1, {
      interfaces: (opts.node1Interfaces ?? DEFAULT_NODE1_INTERFACES).map((i) => ({ ...i })),
      start: false,
    });
    const node1 = this.adoptMachine(m, "host", NODE1_HOME);
    m.start();
    this.shells.push(newShell(node1, true));
    this.cli = new DockerCli<Shell>({
      version: { version: this.engineVersion, gitCommit: "4c9b3b0" },
      daemon: (shell) => {
        const swarm = swarmOf(shell.node);
        return {
          osType: "linux",
          swarm: swarm && { nodeState: swarm.state, controlAvailable: swarm.controlError() === null },
        };
      },
    });
    this.builtins = registerLabHandlers(this);
    this.services?.register(this);
    for (const p of opts.plugins ?? []) this.use(p);
  }

  // ---- nodes -------------------------------------------------------------------------------

  /** Wraps a machine as a lab node: file tree, swarm component, plugins' set-up. */
  private adoptMachine(machine: Machine, kind: NodeKind, home: string): LabNode {
    const node: LabNode = {
      name: machine.name,
      kind,
      machine,
      files: new FileTree(home),
      components: new Map(),
    };
    if (kind === "dind") for (const d of DIND_ROOT_DIRS) node.files.mkdirp(`/${d}`);
    this.nodes.set(node.name, node);
    // The engine first: its docker0 bridge takes the machine's next free subnet.
    node.components.set(
      "engine",
      Engine.attach(machine, { images: this.images, version: this.engineVersion }),
    );
    this.services?.onNode(node);
    node.components.set(
      "swarm",
      attachSwarmNode(this.sim, machine, { ...this.swarmOptions, engineVersion: this.engineVersion }),
    );
    for (const hook of this.nodeHooks) hook(node);
    if (!this.links.isEmpty()) this.links.apply();
    return node;
  }

  node(name: string): LabNode {
    const n = this.nodes.get(name);
    if (!n) throw new Error(`no such lab node: ${name}`);
    return n;
  }

  hasNode(name: string): boolean {
    return this.nodes.has(name);
  }

  nodeNames(): string[] {
    return [...this.nodes.keys()];
  }

  get node1(): LabNode {
    return this.node(NODE1);
  }

  /** node1's docker:dind container by name or ID. */
  container(ref: string): DindContainer | undefined {
    return this.containers.find(
      (c) => c.name === ref || c.id === ref || (ref.length >= 1 && c.id.startsWith(ref)),
    );
  }

  /**
   * Creates a docker:dind container on node1 (what `docker run --privileged --name NAME
   * docker:dind` does) and, for a privileged one, its node. Used by the `docker run` handler
   * and by tests; `extraInterfaces` give the node more addresses.
   */
  createDind(
    name: string,
    opts: CreateNodeOptions & { autoRemove?: boolean; image?: string } = {},
  ): DindContainer {
    const c = new DindContainer({
      sim: this.sim,
      ipam: this.ipam,
      id: newId(this.idRandom),
      name,
      image: opts.image ?? DIND_IMAGE,
      privileged: opts.privileged ?? true,
      autoRemove: opts.autoRemove ?? false,
      engineVersion: this.engineVersion,
      rng: this.sim.random.fork(`lab/dind/${name}`),
      onMachine: (m) => {
        for (const i of opts.extraInterfaces ?? []) this.sim.assignAddress(m.name, i.address, i.name);
        this.adoptMachine(m, "dind", "/root");
      },
      onAutoRemove: (ctr) => {
        // After the hooks of the halt that triggered it have run.
        this.sim.after(0, () => this.removeContainer(ctr));
      },
    });
    this.containers.push(c);
    return c;
  }

  /** `docker run -d --privileged --name NAME docker:dind`, for tests and scripts. */
  createNode(name: string, opts: CreateNodeOptions = {}): LabNode | undefined {
    const c = this.createDind(name, opts);
    c.start();
    return this.nodes.get(name);
  }

  /** node1's IP address management: its engine's networks (the bridge, user-defined ones). */
  private readonly ipam: Ipam = {
    allocate: (network) => {
      const n = engineOf(this.node1)?.findNetwork(network);
      if (!n) throw new Error(`network ${network} not found`);
      return n.allocate(this.sim);
    },
    release: (network, address) => engineOf(this.node1)?.findNetwork(network)?.release(address),
  };

  /** A name Docker would give a container started without --name, free on this node. */
  newContainerName(node: LabNode): string {
    const taken = new Set(nodeContainers(node, this.containers).map((c) => c.name));
    return randomContainerName(this.idRandom, (n) => taken.has(n) || this.sim.hasMachine(n));
  }

  /** Images a node has "pulled" (so the pull messages show once per node). */
  pulledImages(node: LabNode): Set<string> {
    let set = this.pulled.get(node.name);
    if (!set) this.pulled.set(node.name, (set = new Set()));
    return set;
  }

  /** The prefix length given with `ip addr add` for an address, if any. */
  addressPrefix(address: string): number | undefined {
    return this.prefixes.get(address);
  }

  recordPrefix(address: string, prefix: number): void {
    this.prefixes.set(address, prefix);
  }

  /** The managers running on the lab's nodes now. */
  private *managers(): Iterable<Manager> {
    for (const n of this.nodes.values()) {
      const m = swarmOf(n)?.manager;
      if (m && !m.isStopped) yield m;
    }
  }

  /** "active, manager (leader)", "active, worker", "inactive"... for `nodes`. */
  swarmSummary(node: LabNode): string {
    const swarm = swarmOf(node);
    if (!swarm) return "-";
    const state = swarm.state;
    if (state !== "active") return state;
    const leading = swarm.manager?.isLeader() ? " (leader)" : "";
    return `active, ${swarm.role ?? "?"}${leading}`;
  }

  /**
   * What the control plane's handlers need for a command run in `shell` (its node's machine and
   * swarm component): pass `(io) => lab.swarmContext(io.context)` to registerSwarmCommands or
   * registerServiceCommands.
   */
  swarmContext(shell: Shell): SwarmCommandContext {
    const node = shell.node;
    const swarm = swarmOf(node);
    if (!swarm) throw new Error(`${node.name} has no swarm component`);
    return { sim: this.sim, machine: node.machine, swarm, engineCounts: () => this.engineCounts(node) };
  }

  /**
   * What `docker info` counts on a node: the containers its `docker ps -a` lists (on node1 its
   * docker:dind nodes too), and the images it holds: those it pulled for `docker run` and
   * those its engine's containers were created from, which stay when the containers go.
   */
  engineCounts(node: LabNode): EngineCounts {
    const containers = nodeContainers(node, this.containers);
    const images = new Set([...this.pulledImages(node), ...(engineOf(node)?.localImages() ?? [])]);
    for (const c of containers) images.add(normalizeImageName(c.image));
    return countStates(
      containers.map((c) => c.state()),
      images.size,
    );
  }

  /** A short welcome for the interactive lab. */
  banner(): string {
    return (
      `swarm-sim lab (seed ${this.sim.seed}): Docker Swarm on simulated machines.\n` +
      "You are on node1, your own machine. Create nodes with: docker run -d --privileged --name node2 docker:dind\n" +
      "Type help for the lab's commands; exit or Ctrl-D leaves a node's shell (and, at node1, the lab).\n"
    );
  }

  /** Forgets a container (and its node's machine). */
  removeContainer(c: DindContainer): void {
    const i = this.containers.indexOf(c);
    if (i < 0) return;
    this.containers.splice(i, 1);
    if (c.machine) {
      this.nodes.delete(c.machine.name);
      this.sim.removeMachine(c.machine.name);
    }
  }

  // ---- shells ------------------------------------------------------------------------------

  /** The shell at the top of the prompt stack. */
  currentShell(): Shell {
    return this.shells[this.shells.length - 1];
  }

  currentNode(): LabNode {
    return this.currentShell().node;
  }

  /** Nesting depth: 1 at node1. */
  depth(): number {
    return this.shells.length;
  }

  /** `docker exec -it NODE sh`: a new interactive shell on the node (with `from`'s cwd and variables). */
  enterShell(node: LabNode, from?: Shell): void {
    const sh = newShell(node, true);
    if (from) {
      sh.cwd = from.cwd;
      for (const [k, v] of from.vars) sh.vars.set(k, v);
    }
    this.shells.push(sh);
  }

  /** `exit` or Ctrl-D: leaves the current shell; false at node1 (nothing to leave). */
  leaveShell(): boolean {
    if (this.shells.length <= 1) {
      this.exited = true;
      return false;
    }
    this.shells.pop();
    return true;
  }

  prompt(): string {
    const sh = this.currentShell();
    return `[${sh.node.name}] ${sh.node.files.display(sh.cwd)} ${sh.busybox ? "#" : "$"} `;
  }

  /** Pops shells whose node stopped under them (as a `docker exec` session ends). */
  private dropDeadShells(): string {
    let note = "";
    while (this.shells.length > 1) {
      const node = this.currentShell().node;
      const m = node.machine;
      if (this.nodes.get(node.name) === node && m.isUp()) break;
      this.shells.pop();
      const c = this.containers.find((x) => x.machine === m);
      note += `[lab] ${node.name} stopped: its shell ended${c ? ` (exit status ${c.exitCode()})` : ""}\n`;
    }
    return note;
  }

  // ---- running lines -----------------------------------------------------------------------

  /**
   * Runs one line as the user typed it at the current prompt. Never throws; a failing command
   * changes nothing but the time that passed (one step).
   */
  run(line: string): RunResult {
    if (this.exited) return { stdout: "", stderr: "[lab] the lab has ended\n", exitCode: 1 };
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return { stdout: "", stderr: "", exitCode: 0 };
    this.advance(this.stepMs);
    const note = this.dropDeadShells();
    const shell = this.currentShell();
    if (shell.node.machine.state === "paused" && !/^exit(\s|$)/.test(trimmed)) {
      return {
        stdout: "",
        stderr: `${note}[lab] ${shell.node.name} is paused: its shell does not answer until \`docker unpause ${shell.node.name}\` on node1 (type exit to leave it)\n`,
        exitCode: 1,
      };
    }
    const r = this.runIn(shell, line);
    if (!note) return r;
    return { ...r, stderr: note + r.stderr, output: [{ stream: "stderr", text: note }, ...(r.output ?? [])] };
  }

  /**
   * Runs a line in a given shell (the current one, or a transient one for `docker exec`), by
   * default with the lab's terminal as stdin.
   */
  runIn(shell: Shell, line: string, input: StdinOptions = {}): RunResult {
    try {
      return this.cli.run(line, shell, { ...input, vars: shell.vars });
    } catch (e) {
      // The dispatcher already turns handler errors into messages; this is the last guard.
      return { stdout: "", stderr: `Error: ${(e as Error).message}\n`, exitCode: 1 };
    }
  }

  /** Runs one argument vector in a shell, without re-parsing it (`docker exec node3 CMD...`). */
  execIn(shell: Shell, argv: readonly string[], input: StdinOptions = {}): RunResult {
    try {
      return this.cli.exec(argv, shell, { ...input, vars: shell.vars });
    } catch (e) {
      return { stdout: "", stderr: `Error: ${(e as Error).message}\n`, exitCode: 1 };
    }
  }

  /** Runs a whole script as a transcript (what `swarm-sim lab --script FILE` prints). */
  runScript(text: string, onOutput?: (chunk: string) => void): ScriptResult {
    return runScript(this, text, onOutput);
  }

  /** Lets simulated time pass. */
  advance(ms: number): void {
    this.sim.runFor(ms);
  }

  // ---- plugins -----------------------------------------------------------------------------

  use(plugin: LabPlugin): this {
    if (this.installed.has(plugin.name)) return this;
    this.installed.add(plugin.name);
    plugin.install(this);
    return this;
  }

  registerImage(spec: ImageSpec): void {
    this.images.register(spec);
  }

  forEachNode(fn: (node: LabNode) => void): void {
    this.nodeHooks.push(fn);
    for (const n of this.nodes.values()) fn(n);
  }

  registerDockerCommand(path: readonly string[], handler: LabDockerHandler): void {
    this.cli.register(path, (cmd, io) => handler(cmd, io, io.context));
  }

  registerShellCommand(cmd: LabShellCommand): void {
    this.shellCommands.set(cmd.name, cmd);
    this.cli.registerLab({
      name: cmd.name,
      usage: cmd.synopsis,
      summary: cmd.description,
      run: (argv, io) => cmd.run(argv, io, io.context),
    });
  }

  /** The lab's own commands (for `help`). */
  builtinCommands(): BuiltinCommand[] {
    return this.builtins;
  }

  /** Shell commands plugins added (for `help`). */
  pluginShellCommands(): LabShellCommand[] {
    return [...this.shellCommands.values()];
  }

  addFiles(files: Readonly<Record<string, string>>, dir = NODE1_HOME): void {
    const tree = this.node1.files;
    tree.writeTree(tree.resolve(NODE1_HOME, dir), files);
  }

  addRepository(url: string, files: Readonly<Record<string, string>>): void {
    this.repositories.add(url, files);
  }
}

/** The swarm component of a lab node. */
export function swarmOf(node: LabNode): SwarmNode | undefined {
  return node.components.get("swarm") as SwarmNode | undefined;
}
