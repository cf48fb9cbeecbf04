// The lab's world, and nothing else: the simulation, node1 (the user's own machine) and the
// docker:dind nodes created from it, each node's files and components (engine, swarm node),
// the prompt stack of shells, the registries (images every engine can run, repositories for
// `git clone`, compose builds), and the faults the user set. Who types what, and how commands
// reach this state, is the CLI host's (host.ts); time is the host loop's (host-loop.ts).
import type { RestartPolicy } from "../engine/container";
import { Engine } from "../engine/engine";
import { newId } from "../engine/ids";
import { ImageRegistry, normalizeImageName } from "../engine/images";
import { randomContainerName } from "../engine/names";
import type { ImageSpec } from "../engine/program";
import type { Interface, Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import { Sim } from "../kernel/sim";
import type { Manager } from "../manager/manager";
import { raftConsensusFactory } from "../manager/raft-factory";
import type { RaftWireTap } from "../manager/raft/index";
import type { SwarmNode } from "../node/swarm-node";
import { type AttachOptions, attachSwarmNode } from "../swarm/attach";
import { daemonContainers } from "../docker/container/engine-containers";
import type { EngineCounts, SwarmCommandContext } from "../docker/io";
import { countStates } from "../docker/system/info-value";
import { DIND_IMAGE, DindContainer, type Ipam, LAB_MACHINE_SIZE } from "./dind";
import { RepositoryRegistry } from "./file-commands";
import { FileTree } from "./file-tree";
import { LinkFaults } from "./link-faults";
import { NetFaults } from "./net-faults";
import { DIND_ROOT_DIRS, type LabNode, type NodeKind, type Shell } from "./node";
import { PromptStack } from "./prompt-stack";
import { type LabServices, labServices } from "./services";
import { STOCK_IMAGES } from "./stock-images";

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
}

export interface CreateNodeOptions {
  /** Extra interfaces besides eth0 on the bridge (e.g. to reproduce the advertise-address error). */
  extraInterfaces?: Interface[];
  /** Default true; false reproduces dind's failure without --privileged. */
  privileged?: boolean;
}

export const DEFAULT_NODE1_INTERFACES: readonly Interface[] = [{ name: "eth0", address: "192.168.1.10" }];
export const DEFAULT_ENGINE_VERSION = "27.5.1";
export const NODE1 = "node1";
export const NODE1_HOME = "/home/docker";

export class LabWorld {
  readonly sim: Sim;
  readonly stepMs: number;
  readonly engineVersion: string;
  /** Latency and loss set with the lab's commands. */
  readonly links: LinkFaults;
  /** Partitions and cuts set with the lab's commands. */
  readonly faults: NetFaults;
  readonly repositories = new RepositoryRegistry();
  /** Images every node's engine can run (what the simulated registry serves). */
  readonly images = new ImageRegistry();
  /** What `docker compose` builds from a build context: an image of the registry, by context. */
  readonly builds = new Map<string, string>();
  /** node1's docker:dind containers, in creation order. */
  readonly containers: DindContainer[] = [];
  /** The prompt stack of the lab's terminal (a live lab's first terminal; a transcript's only one). */
  readonly mainStack: PromptStack;
  /** The stream container IDs and names come from. */
  readonly idRandom: Random;
  /** Whether swarm services are wired in (`docker service|stack`). */
  readonly servicesEnabled: boolean;
  /**
   * Every manager's raft messages, sent and received (the studio's "Raft in flight" sets its
   * handlers while a page watches; with none set it costs nothing). It only looks.
   */
  readonly raftWire: RaftWireTap = {};
  private readonly nodes = new Map<string, LabNode>();
  private readonly pulled = new Map<string, Set<string>>();
  private readonly prefixes = new Map<string, number>();
  private readonly nodeHooks: ((node: LabNode) => void)[] = [];
  private readonly swarmOptions: Omit<AttachOptions, "engineVersion">;
  private readonly services: LabServices | undefined;

  constructor(opts: LabOptions) {
    // A user's lab never lets an exception out of the event loop: it is contained and traced.
    this.sim = new Sim({ seed: opts.seed, eventErrors: "contain" });
    this.stepMs = opts.stepMs ?? 1000;
    this.engineVersion = opts.engineVersion ?? DEFAULT_ENGINE_VERSION;
    this.servicesEnabled = opts.services === true;
    this.services = opts.services
      ? labServices(
          () => this.managers(),
          (m) => Engine.of(m),
        )
      : undefined;
    this.swarmOptions = {
      consensusFactory: (o) => raftConsensusFactory({ ...o, wire: this.raftWire }),
      ...(this.services?.attachOptions ?? {}),
      ...(opts.swarm ?? {}),
    };
    this.links = new LinkFaults(this.sim);
    this.faults = new NetFaults(this.sim, this.links, {
      disconnected: () =>
        this.containers.filter((c) => c.machine && c.isDisconnected()).map((c) => c.machine!.name),
    });
    this.idRandom = this.sim.random.fork("lab/ids");
    for (const image of STOCK_IMAGES) this.images.register(image);
    const m = this.sim.addMachine(NODE1, {
      ...LAB_MACHINE_SIZE,
      interfaces: (opts.node1Interfaces ?? DEFAULT_NODE1_INTERFACES).map((i) => ({ ...i })),
      start: false,
    });
    const node1 = this.adoptMachine(m, "host", NODE1_HOME);
    m.start();
    this.mainStack = new PromptStack(node1);
  }

  /** True once `exit` (or Ctrl-D) left node1's shell of the lab's terminal. */
  get exited(): boolean {
    return this.mainStack.state === "ended";
  }

  // ---- nodes -------------------------------------------------------------------------------

  /**
   * Wraps a machine as a lab node: file tree, swarm component, plugins' set-up. node1's bridges
   * are the lab's network (its docker:dind nodes sit on them); a dind node's engine has its
   * own, avoiding the node1 networks the container is on (as dockerd avoids its routes).
   */
  private adoptMachine(machine: Machine, kind: NodeKind, home: string, dind?: DindContainer): LabNode {
    const node: LabNode = {
      name: machine.name,
      kind,
      machine,
      files: new FileTree(home),
      components: new Map(),
    };
    if (kind === "dind") for (const d of DIND_ROOT_DIRS) node.files.mkdirp(`/${d}`);
    this.nodes.set(node.name, node);
    // The engine first: its docker0 bridge takes its pools' first subnet clear of the machine's routes.
    node.components.set(
      "engine",
      Engine.attach(machine, {
        images: this.images,
        version: this.engineVersion,
        sharedBridges: kind === "host",
        reservedSubnets: () =>
          (dind?.networks() ?? []).flatMap(
            (n) => engineOf(this.node1)?.findNetwork(n)?.subnet?.toString() ?? [],
          ),
      }),
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
    opts: CreateNodeOptions & { autoRemove?: boolean; image?: string; restartPolicy?: RestartPolicy } = {},
  ): DindContainer {
    const c = new DindContainer({
      sim: this.sim,
      ipam: this.ipam,
      id: newId(this.idRandom),
      name,
      image: opts.image ?? DIND_IMAGE,
      privileged: opts.privileged ?? true,
      autoRemove: opts.autoRemove ?? false,
      restartPolicy: opts.restartPolicy ?? { name: "no", maximumRetryCount: 0 },
      engineVersion: this.engineVersion,
      rng: this.sim.random.fork(`lab/dind/${name}`),
      onMachine: (m, container) => {
        for (const i of opts.extraInterfaces ?? []) this.sim.assignAddress(m.name, i.address, i.name);
        this.adoptMachine(m, "dind", "/root", container);
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
      // node1's bridges are the lab's network: their addresses are the world's.
      return n.allocate((a) => this.sim.machineAt(a) !== undefined);
    },
    release: (network, address) => engineOf(this.node1)?.findNetwork(network)?.release(address),
  };

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

  /** The docker:dind containers a node's daemon runs: node1's, none elsewhere. */
  dindOf(node: LabNode): readonly DindContainer[] {
    return node.kind === "host" ? this.containers : [];
  }

  /** A name Docker would give a container started without --name, free on this node. */
  newContainerName(node: LabNode): string {
    const taken = new Set(daemonContainers(engineOf(node), this.dindOf(node)).map((c) => c.name));
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
   * What the control plane's handlers need for a command run in `shell`: its node's machine and
   * swarm component, what `docker info` counts there, and its files (`stack deploy -c FILE`).
   */
  swarmContext(shell: Shell): SwarmCommandContext {
    const node = shell.node;
    const swarm = swarmOf(node);
    if (!swarm) throw new Error(`${node.name} has no swarm component`);
    return {
      sim: this.sim,
      machine: node.machine,
      swarm,
      engineCounts: () => this.engineCounts(node),
      readFile: (path) => readShellFile(shell, path),
      registry: this.images,
    };
  }

  /**
   * What `docker info` counts on a node: the containers its `docker ps -a` lists (on node1 its
   * docker:dind nodes too), and the images it holds: those it pulled for `docker run` and
   * those its engine's containers were created from, which stay when the containers go.
   */
  engineCounts(node: LabNode): EngineCounts {
    const containers = daemonContainers(engineOf(node), this.dindOf(node));
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

  // ---- shells ------------------------------------------------------------------------------

  /** The shell at the top of the lab's terminal's prompt stack. */
  currentShell(): Shell {
    return this.mainStack.current();
  }

  currentNode(): LabNode {
    return this.currentShell().node;
  }

  /** Nesting depth: 1 at node1. */
  depth(): number {
    return this.mainStack.depth();
  }

  /** `docker exec -it NODE sh` on the lab's terminal: a new interactive shell on the node. */
  enterShell(node: LabNode, from?: Shell): void {
    this.mainStack.enter(node, from);
  }

  /** `exit` or Ctrl-D on the lab's terminal: leaves the current shell; false at node1. */
  leaveShell(): boolean {
    return this.mainStack.leave();
  }

  prompt(): string {
    return this.mainStack.prompt();
  }

  /**
   * Pops shells whose node stopped under them (as a `docker exec` session ends), on the lab's
   * terminal or the given one; returns what the lab says about it.
   */
  dropDeadShells(stack: PromptStack = this.mainStack): string {
    let note = "";
    for (const sh of stack.dropWhile(
      (s) => this.nodes.get(s.node.name) !== s.node || !s.node.machine.isUp(),
    )) {
      const m = sh.node.machine;
      const c = this.containers.find((x) => x.machine === m);
      note += `[lab] ${sh.node.name} stopped: its shell ended${c ? ` (exit status ${c.exitCode()})` : ""}\n`;
    }
    return note;
  }

  // ---- what plugins add to the world -------------------------------------------------------

  /** An image every node's engine can run (they share the lab's registry). */
  registerImage(spec: ImageSpec): void {
    this.images.register(spec);
  }

  /** Runs `fn` for every node now and for each node created later. */
  forEachNode(fn: (node: LabNode) => void): void {
    this.nodeHooks.push(fn);
    for (const n of this.nodes.values()) fn(n);
  }

  /** Writes files into node1's file tree (paths relative to the home directory, or absolute). */
  addFiles(files: Readonly<Record<string, string>>, dir = NODE1_HOME): void {
    const tree = this.node1.files;
    tree.writeTree(tree.resolve(NODE1_HOME, dir), files);
  }

  /** A repository that `git clone URL` fetches. */
  addRepository(url: string, files: Readonly<Record<string, string>>): void {
    this.repositories.add(url, files);
  }

  /** What `docker compose` builds from a build context (`build: rng`): an image of the registry. */
  registerBuild(context: string, image: string): void {
    this.builds.set(context, image);
  }
}

/** The swarm component of a lab node. */
export function swarmOf(node: LabNode): SwarmNode | undefined {
  return node.components.get("swarm") as SwarmNode | undefined;
}

/** The Docker engine of a lab node. */
export function engineOf(node: LabNode): Engine | undefined {
  return node.components.get("engine") as Engine | undefined;
}

/** A file a command names, read from the shell's node relative to its directory (the CLI's errors). */
export function readShellFile(shell: Shell, path: string): string {
  const files = shell.node.files;
  const abs = files.resolve(shell.cwd, path);
  if (!files.exists(abs)) throw new Error(`open ${path}: no such file or directory`);
  if (files.isDir(abs)) throw new Error(`read ${path}: is a directory`);
  return files.readFile(abs);
}
