// The studio's picture of the cluster: a plain, JSON-able view of a lab's world at one instant,
// read without touching it (no RPC, no event, no randomness: the trace is the same whether a
// page watches or not). Every machine with its engine's state and its place in the swarm, the
// managers' Raft term and commit index, the tasks placed on each node coloured by service (as
// docker-swarm-visualizer draws them), the containers that are not tasks (compose's), which
// machines cannot reach which, and the lab commands that act on each machine.
//
// Where the cluster's own view is needed (a node's status and availability, the tasks), it is
// the leader's store; with no leader, that of the running manager that applied the most.
import { type Node as StoreNode, type Task, TaskState, taskStateName } from "../../api/types";
import { LABEL_SERVICE } from "../../docker/compose/project";
import type { Manager } from "../../manager/manager";
import { RaftHost } from "../../manager/raft/index";
import type { MemoryStore } from "../../manager/store/index";
import { simClock } from "../commands/usage";
import type { LabNode } from "../node";
import { engineOf, type LabWorld, swarmOf } from "../world";
import { machineActions, type MachineAction } from "./actions";

/** What a machine's Docker engine is doing (a dind node's container; node1's dockerd). */
export type EngineState = "running" | "stopped" | "paused" | "disconnected";

export type SwarmRole = "leader" | "manager" | "worker";

export interface RaftView {
  term: number;
  commit: number;
  applied: number;
  /** leader, follower, candidate, pre-candidate (raft's own states). */
  state: string;
}

export interface TaskView {
  id: string;
  service: string;
  /** 1..N for a replicated service, 0 for a global one. */
  slot: number;
  /** Docker's lowercase task state: running, pending, preparing... */
  state: string;
  colour: string;
}

export interface ContainerView {
  name: string;
  /** compose's service, or the image. */
  service: string;
  state: string;
  colour: string;
}

export interface NodeView {
  name: string;
  kind: "host" | "dind";
  address: string;
  engine: EngineState;
  /** A stopped engine's exit code (0: docker stop; 137: docker kill). */
  exitCode?: number;
  /** The node's local swarm state as `docker info` says it: inactive, pending, active, locked. */
  swarm: string;
  role: SwarmRole | null;
  /** The cluster's word on the node: ready, down, unknown, disconnected (null: not in its store). */
  status: string | null;
  availability: string | null;
  /** A manager's reachability, as `docker node ls` shows it. */
  reachability: string | null;
  raft: RaftView | null;
  tasks: TaskView[];
  containers: ContainerView[];
  actions: MachineAction[];
}

export interface ServiceView {
  name: string;
  colour: string;
  /** Tasks running now, and wanted (replicas; for a global service, the nodes it runs on). */
  running: number;
  desired: number;
}

export interface ClusterView {
  /** Simulated ms. */
  t: number;
  clock: string;
  /** The leader's machine (null: no leader, or no swarm). */
  leader: string | null;
  /** The leader's term; with none, the highest term a running manager has (0: no swarm). */
  term: number;
  nodes: NodeView[];
  services: ServiceView[];
  /** Machines split into groups that cannot reach each other (null: every one reaches every other). */
  groups: string[][] | null;
  /** Directed pairs that cannot reach each other (from cannot send to `to`). */
  unreachable: { from: string; to: string }[];
}

/** Colours for services, as docker-swarm-visualizer gives each its own. */
export const SERVICE_COLOURS = [
  "#4e79a7",
  "#f28e2b",
  "#59a14f",
  "#e15759",
  "#b07aa1",
  "#76b7b2",
  "#edc948",
  "#ff9da7",
  "#9c755f",
  "#2f6690",
  "#a0cbe8",
  "#8cd17d",
] as const;

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/**
 * A colour per name: its hash's colour, or the next free one when an earlier name has it
 * (names in a stable order, so a service keeps its colour while the others stay).
 */
export function colourNames(names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<number>();
  for (const name of names) {
    if (out.has(name)) continue;
    let i = hash(name) % SERVICE_COLOURS.length;
    for (let k = 0; k < SERVICE_COLOURS.length && used.has(i); k++) i = (i + 1) % SERVICE_COLOURS.length;
    used.add(i);
    out.set(name, SERVICE_COLOURS[i]);
  }
  return out;
}

interface RunningManager {
  node: LabNode;
  manager: Manager;
  raft: RaftHost | undefined;
}

function runningManagers(world: LabWorld): RunningManager[] {
  const out: RunningManager[] = [];
  for (const name of world.nodeNames()) {
    const node = world.node(name);
    if (!node.machine.isUp()) continue;
    const manager = swarmOf(node)?.manager;
    if (!manager || manager.isStopped) continue;
    const raft = manager.consensus instanceof RaftHost ? manager.consensus : undefined;
    out.push({ node, manager, raft });
  }
  return out;
}

/** The leader (the highest term's, should a stale one still think it leads), and the term. */
function leadership(managers: readonly RunningManager[]): {
  leader: RunningManager | undefined;
  term: number;
} {
  let leader: RunningManager | undefined;
  let term = 0;
  for (const m of managers) {
    const t = m.raft?.status().term ?? 0;
    term = Math.max(term, t);
    if (m.manager.isLeader() && (!leader || t > (leader.raft?.status().term ?? 0))) leader = m;
  }
  return { leader, term: leader ? (leader.raft?.status().term ?? term) : term };
}

/** The manager the view reads the cluster from: the leader, else the one that applied most. */
function clusterReader(
  managers: readonly RunningManager[],
  leader: RunningManager | undefined,
): RunningManager | undefined {
  if (leader) return leader;
  let best: RunningManager | undefined;
  for (const m of managers)
    if (!best || (m.raft?.appliedIndex() ?? 0) > (best.raft?.appliedIndex() ?? 0)) best = m;
  return best;
}

/** A manager's reachability as `docker node ls` computes it (controlapi's listNodes), by node ID. */
function reachabilities(reader: RunningManager | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const c = reader?.manager.consensus;
  if (!c) return out;
  for (const m of c.members())
    out.set(m.nodeId, m.raftId === c.raftId || c.isActive(m.raftId) ? "reachable" : "unreachable");
  return out;
}

/**
 * The machines a partition or a block cuts off: those outside the largest group (every group's
 * when none is largest), and both ends of a one-way block inside a group (healing undoes it).
 */
function cutOff(network: Pick<ClusterView, "groups" | "unreachable">): Set<string> {
  const out = new Set<string>();
  const groupOf = new Map<string, number>();
  if (network.groups) {
    const sizes = network.groups.map((g) => g.length);
    const most = Math.max(...sizes);
    const main = sizes.filter((n) => n === most).length === 1 ? sizes.indexOf(most) : -1;
    network.groups.forEach((g, i) => {
      for (const n of g) {
        groupOf.set(n, i);
        if (i !== main) out.add(n);
      }
    });
  }
  for (const u of network.unreachable)
    if ((groupOf.get(u.from) ?? 0) === (groupOf.get(u.to) ?? 0)) {
      out.add(u.from);
      out.add(u.to);
    }
  return out;
}

function engineState(world: LabWorld, node: LabNode): { engine: EngineState; exitCode?: number } {
  if (node.kind === "host") {
    const st = node.machine.state;
    return st === "running"
      ? { engine: "running" }
      : st === "paused"
        ? { engine: "paused" }
        : { engine: "stopped" };
  }
  const c = world.containers.find((x) => x.machine === node.machine);
  const st = c?.state() ?? (node.machine.isUp() ? "running" : "exited");
  if (st === "paused") return { engine: "paused" };
  if (st !== "running") return { engine: "stopped", exitCode: c?.exitCode() };
  return { engine: c?.isDisconnected() ? "disconnected" : "running" };
}

function isCurrent(t: Task): boolean {
  return t.desiredState <= TaskState.RUNNING && t.status.state <= TaskState.RUNNING;
}

/** Groups of machines that reach each other both ways, when there is more than one. */
function reachGroups(world: LabWorld, names: readonly string[]): Pick<ClusterView, "groups" | "unreachable"> {
  const net = world.sim.net;
  const unreachable: { from: string; to: string }[] = [];
  const parent = new Map(names.map((n) => [n, n]));
  const root = (n: string): string => {
    let r = n;
    while (parent.get(r) !== r) r = parent.get(r)!;
    return r;
  };
  for (const a of names)
    for (const b of names) {
      if (a === b) continue;
      if (!net.canReach(a, b)) unreachable.push({ from: a, to: b });
      else if (a < b && net.canReach(b, a)) parent.set(root(a), root(b));
    }
  const groups = new Map<string, string[]>();
  for (const n of names) {
    const r = root(n);
    const g = groups.get(r) ?? [];
    g.push(n);
    groups.set(r, g);
  }
  return { groups: groups.size > 1 ? [...groups.values()] : null, unreachable };
}

/** The view of `world` now. */
export function clusterView(world: LabWorld): ClusterView {
  const names = world.nodeNames().filter((n) => world.sim.hasMachine(n));
  const managers = runningManagers(world);
  const { leader, term } = leadership(managers);
  const reader = clusterReader(managers, leader);
  const store: MemoryStore | undefined = reader?.manager.store;
  const reachability = reachabilities(reader);
  const storeNodes = new Map<string, StoreNode>();
  for (const n of store?.nodes() ?? []) storeNodes.set(n.id, n);

  const services = [...(store?.services() ?? [])].sort(
    (a, b) => a.createdAt - b.createdAt || a.spec.name.localeCompare(b.spec.name),
  );
  const composeNames: string[] = [];
  for (const name of names)
    for (const c of engineOf(world.node(name))?.containers() ?? [])
      if (c.config.labels["com.docker.swarm.task.id"] === undefined)
        composeNames.push(c.config.labels[LABEL_SERVICE] ?? c.config.image);
  const colours = colourNames([...services.map((s) => s.spec.name), ...composeNames.sort()]);
  const network = reachGroups(world, names);
  const partitioned = cutOff(network);

  const nodes: NodeView[] = names.map((name) => {
    const node = world.node(name);
    const swarm = swarmOf(node);
    const stored = swarm?.nodeId ? storeNodes.get(swarm.nodeId) : undefined;
    const running = managers.find((m) => m.node === node);
    const status = running?.raft?.status();
    const engine = engineState(world, node);
    const inSwarm = swarm !== undefined && (swarm.state === "active" || swarm.state === "locked");
    const role: SwarmRole | null = !inSwarm
      ? null
      : leader?.node === node
        ? "leader"
        : swarm.role === "manager"
          ? "manager"
          : "worker";
    const tasks: TaskView[] = (stored && store ? store.tasksByNode(stored.id) : [])
      .filter(isCurrent)
      .sort(
        (a, b) => a.serviceName.localeCompare(b.serviceName) || a.slot - b.slot || a.id.localeCompare(b.id),
      )
      .map((t) => ({
        id: t.id,
        service: t.serviceName,
        slot: t.slot,
        state: taskStateName(t.status.state),
        colour: colours.get(t.serviceName) ?? SERVICE_COLOURS[0],
      }));
    const containers: ContainerView[] = (engineOf(node)?.containers() ?? [])
      .filter((c) => c.config.labels["com.docker.swarm.task.id"] === undefined)
      .map((c) => {
        const service = c.config.labels[LABEL_SERVICE] ?? c.config.image;
        return {
          name: c.config.name,
          service,
          state: c.state,
          colour: colours.get(service) ?? SERVICE_COLOURS[0],
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    return {
      name,
      kind: node.kind,
      // (A stopped dind node has given its bridge address back; its own docker0 is not it.)
      address:
        (
          node.machine.interfaces.find((i) => i.name === "eth0") ??
          (node.kind === "host" ? node.machine.interfaces[0] : undefined)
        )?.address ?? "",
      ...engine,
      swarm: swarm?.state ?? "inactive",
      role,
      status: stored?.status.state ?? null,
      availability: stored?.spec.availability ?? null,
      reachability: (stored && reachability.get(stored.id)) ?? null,
      raft: status
        ? { term: status.term, commit: status.commit, applied: status.applied, state: status.raftState }
        : null,
      tasks,
      containers,
      actions: machineActions({
        name,
        kind: node.kind,
        engine: engine.engine,
        partitioned: partitioned.has(name),
      }),
    };
  });

  const serviceViews: ServiceView[] = services.map((s) => {
    const tasks = store!.tasksByService(s.id).filter(isCurrent);
    return {
      name: s.spec.name,
      colour: colours.get(s.spec.name) ?? SERVICE_COLOURS[0],
      running: tasks.filter((t) => t.status.state === TaskState.RUNNING).length,
      desired: s.spec.mode.kind === "replicated" ? s.spec.mode.replicas : tasks.length,
    };
  });

  const t = world.sim.now();
  return {
    t,
    clock: simClock(t),
    leader: leader?.node.name ?? null,
    term,
    nodes,
    services: serviceViews,
    ...network,
  };
}
