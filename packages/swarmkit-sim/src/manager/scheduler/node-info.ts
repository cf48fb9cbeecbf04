// What the scheduler knows about a node (SwarmKit scheduler/nodeinfo.go): the tasks it holds
// (observed state up to RUNNING), how many of them are active (desired state up to COMPLETE)
// per service and in total, the resources they reserve, the host ports they use, and recent
// task failures per service version (for the "avoid nodes that keep failing" rule).
import { type Node, type Task, TaskState } from "../../api/types";

/** SwarmKit maxFailures / monitorFailures: 5 failures within 5 minutes make a node a last resort. */
export const MAX_FAILURES = 5;
export const MONITOR_FAILURES_MS = 5 * 60_000;

export class NodeInfo {
  readonly tasks = new Map<string, Task>();
  readonly activeByService = new Map<string, number>();
  active = 0;
  availableCPUs: number;
  availableMemory: number;
  readonly hostPorts = new Set<string>();
  /** "serviceId/specVersion" -> failure times. */
  readonly failures = new Map<string, number[]>();

  constructor(readonly node: Node) {
    this.availableCPUs = node.description?.resources.nanoCPUs ?? 0;
    this.availableMemory = node.description?.resources.memoryBytes ?? 0;
  }

  get id(): string {
    return this.node.id;
  }

  serviceCount(serviceId: string): number {
    return this.activeByService.get(serviceId) ?? 0;
  }

  addTask(t: Task): void {
    if (this.tasks.has(t.id)) return;
    this.tasks.set(t.id, t);
    if (t.desiredState <= TaskState.COMPLETE) {
      this.active++;
      this.activeByService.set(t.serviceId, this.serviceCount(t.serviceId) + 1);
    }
    const r = t.spec.resources.reservations;
    this.availableCPUs -= r.nanoCPUs;
    this.availableMemory -= r.memoryBytes;
    for (const p of hostPorts(t)) this.hostPorts.add(p);
  }

  recentFailures(serviceId: string, specVersion: number, now: number): number {
    const list = this.failures.get(`${serviceId}/${specVersion}`);
    if (!list) return 0;
    let n = 0;
    for (const at of list) if (now - at <= MONITOR_FAILURES_MS) n++;
    return n;
  }

  recordFailure(serviceId: string, specVersion: number, at: number): void {
    const key = `${serviceId}/${specVersion}`;
    const list = (this.failures.get(key) ?? []).filter((x) => at - x <= MONITOR_FAILURES_MS);
    list.push(at);
    this.failures.set(key, list);
  }
}

/** "tcp/8080" for each host-mode published port of the task. */
export function hostPorts(t: Task): string[] {
  const out: string[] = [];
  for (const p of t.endpoint?.ports ?? [])
    if (p.publishMode === "host" && p.publishedPort) out.push(`${p.protocol}/${p.publishedPort}`);
  return out;
}

/** Node infos for every node, with the tasks the store says they hold. */
export function buildNodeInfos(nodes: Iterable<Node>, tasks: Iterable<Task>): Map<string, NodeInfo> {
  const infos = new Map<string, NodeInfo>();
  for (const n of nodes) infos.set(n.id, new NodeInfo(n));
  for (const t of tasks) {
    if (!t.nodeId || t.status.state > TaskState.RUNNING) continue;
    infos.get(t.nodeId)?.addTask(t);
  }
  return infos;
}
