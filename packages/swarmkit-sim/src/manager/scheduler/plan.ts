// Scheduling one group of identical tasks (same service and spec version) at once, as
// SwarmKit's scheduleTaskGroup does: the static filters run once per node, placement
// preferences split the candidates into a tree (one level per `spread` preference, nodes
// without the label under ""), and each task goes down the tree to the branch holding the
// fewest tasks of the service, then to the best node of that leaf. The dynamic filters
// (resources, host ports, max replicas) are re-checked on the chosen node after each
// assignment, since every assignment uses some of them up. Each pass and each choice is
// written to the decision log (decisions.ts), for "why this node".
import type { Task } from "../../api/types";
import type { DecisionLog, PassBuilder, RankRecord } from "./decisions";
import { type Candidate, NodeHeap } from "./node-heap";
import type { NodeInfo } from "./node-info";
import { Pipeline, noSuitableNode } from "./filters";

export interface GroupPlan {
  /** taskId -> node. */
  assigned: Map<string, NodeInfo>;
  /** taskId -> Status.Err for tasks no node could take. */
  unschedulable: Map<string, string>;
  /** taskId -> how its node ranked (assigned tasks). */
  ranks: Map<string, RankRecord>;
  /** The pass record each task's verdicts are in (the explanation pass for unschedulable ones). */
  passOf: Map<string, number>;
}

interface Branch {
  /** Tasks of the service in this subtree (existing plus assigned now). */
  count: number;
  full: boolean;
  children?: Map<string, Branch>;
  heap?: NodeHeap;
}

/** The value a node has for a spread descriptor such as "node.labels.zone". */
export function spreadValue(descriptor: string, info: NodeInfo): string {
  const d = descriptor.toLowerCase();
  if (d.startsWith("node.labels."))
    return info.node.spec.labels[descriptor.slice("node.labels.".length)] ?? "";
  if (d.startsWith("engine.labels."))
    return info.node.description?.engine.labels[descriptor.slice("engine.labels.".length)] ?? "";
  return "";
}

function buildTree(cands: Candidate[], descriptors: string[], depth: number): Branch {
  let count = 0;
  for (const c of cands) count += c.serviceTasks;
  if (depth === descriptors.length) return { count, full: cands.length === 0, heap: NodeHeap.from(cands) };
  const groups = new Map<string, Candidate[]>();
  for (const c of cands) {
    const v = spreadValue(descriptors[depth], c.info);
    let g = groups.get(v);
    if (!g) groups.set(v, (g = []));
    g.push(c);
  }
  const children = new Map<string, Branch>();
  for (const v of [...groups.keys()].sort())
    children.set(v, buildTree(groups.get(v)!, descriptors, depth + 1));
  return { count, full: children.size === 0, children };
}

/** Takes the best node for one more task from the subtree; undefined if it is full. */
function take(b: Branch, pipeline: Pipeline): Candidate | undefined {
  while (!b.full) {
    if (b.heap) {
      for (;;) {
        const c = b.heap.pop();
        if (!c) {
          b.full = true;
          return undefined;
        }
        // Nodes that no longer pass (out of resources, ports, replicas) leave the group.
        if (pipeline.process(c.info)) return c;
      }
    }
    let best: Branch | undefined;
    for (const child of b.children!.values())
      if (!child.full && (!best || child.count < best.count)) best = child;
    if (!best) {
      b.full = true;
      return undefined;
    }
    const c = take(best, pipeline);
    if (c) {
      best.count++;
      return c;
    }
  }
  return undefined;
}

/** Puts a node back after it took a task. */
function giveBack(b: Branch, c: Candidate, descriptors: string[], depth: number): void {
  if (b.heap) {
    b.heap.push(c);
    return;
  }
  const child = b.children!.get(spreadValue(descriptors[depth], c.info))!;
  child.full = false;
  b.full = false;
  giveBack(child, c, descriptors, depth + 1);
}

/**
 * Runs the pipeline over every node for `task`, recording each node's verdict when there is a
 * log. Returns the pipeline (its failure counts explain an unschedulable task) and the pass.
 */
export function filterNodes(
  task: Task,
  infos: readonly NodeInfo[],
  now: number,
  log: DecisionLog | undefined,
  onPass?: (info: NodeInfo) => void,
): { pipeline: Pipeline; pass: PassBuilder | undefined } {
  const pipeline = new Pipeline();
  pipeline.setTask(task);
  const enabled = pipeline.enabled();
  const pass = log?.beginPass(
    now,
    task,
    enabled.map((f) => f.name),
    infos.map((i) => i.node),
  );
  for (let i = 0; i < infos.length; i++) {
    const info = infos[i];
    if (pipeline.process(info)) onPass?.(info);
    else pass?.failed(i, pipeline.lastFailed, enabled[pipeline.lastFailed].detail(info));
  }
  return { pipeline, pass };
}

/** The leaf of the spread tree a node sits in, and the branch values down to it. */
function leafOf(root: Branch, c: Candidate, descriptors: string[]): { leaf: Branch; branch: string[] } {
  let b = root;
  const branch: string[] = [];
  for (const d of descriptors) {
    const v = spreadValue(d, c.info);
    branch.push(v);
    b = b.children!.get(v)!;
  }
  return { leaf: b, branch };
}

export function planGroup(
  tasks: readonly Task[],
  infos: readonly NodeInfo[],
  now: number,
  log?: DecisionLog,
): GroupPlan {
  const plan: GroupPlan = {
    assigned: new Map(),
    unschedulable: new Map(),
    ranks: new Map(),
    passOf: new Map(),
  };
  if (tasks.length === 0) return plan;
  const first = tasks[0];
  const cands: Candidate[] = [];
  const { pipeline, pass } = filterNodes(first, infos, now, log, (info) =>
    cands.push({
      info,
      serviceTasks: info.serviceCount(first.serviceId),
      failures: info.recentFailures(first.serviceId, first.specVersion, now),
    }),
  );
  const descriptors = first.spec.placement.preferences.map((p) => p.spreadDescriptor);
  const root = buildTree(cands, descriptors, 0);
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i];
    const c = take(root, pipeline);
    if (!c) {
      // Nothing left: explain with a fresh pass over every node (SwarmKit noSuitableNode).
      const again = filterNodes(t, infos, now, log);
      const err = noSuitableNode(again.pipeline.explain());
      for (let j = i; j < tasks.length; j++) {
        plan.unschedulable.set(tasks[j].id, err);
        if (again.pass) plan.passOf.set(tasks[j].id, again.pass.id);
      }
      break;
    }
    if (log) {
      const { leaf, branch } = leafOf(root, c, descriptors);
      const next = leaf.heap?.peek();
      plan.ranks.set(t.id, {
        serviceTasks: c.serviceTasks,
        activeTasks: c.info.active,
        recentFailures: c.failures,
        branch,
        candidates: cands.length,
        ...(next
          ? {
              runnerUp: {
                nodeId: next.info.id,
                serviceTasks: next.serviceTasks,
                activeTasks: next.info.active,
                recentFailures: next.failures,
              },
            }
          : {}),
      });
      if (pass) plan.passOf.set(t.id, pass.id);
    }
    c.info.addTask({ ...t, nodeId: c.info.id });
    c.serviceTasks++;
    plan.assigned.set(t.id, c.info);
    giveBack(root, c, descriptors, 0);
  }
  return plan;
}

/** A task already bound to a node (global services): does the node accept it? */
export function checkPreassigned(
  t: Task,
  info: NodeInfo | undefined,
  now: number,
  log?: DecisionLog,
): { ok: true; passId?: number } | { ok: false; err: string; passId?: number } {
  if (!info) return { ok: false, err: noSuitableNode("") };
  const { pipeline, pass } = filterNodes(t, [info], now, log);
  if (pipeline.lastFailed < 0) {
    info.addTask(t);
    return { ok: true, passId: pass?.id };
  }
  return { ok: false, err: noSuitableNode(pipeline.explain()), passId: pass?.id };
}
