// SwarmKit's filter pipeline (scheduler/filter.go, pipeline.go), in its order and with its
// names. Each filter is enabled only when it applies to the task; a node passes when every
// enabled filter passes, the pipeline stopping at the first that fails; it counts, per filter,
// the nodes it turned away, to explain an unschedulable task (Explain's texts are SwarmKit's).
// For "why this node", a filter also says why one node failed (`detail`, only asked for nodes
// that fail, kept as data, worded by `reason`).
import type { Node, Task } from "../../api/types";
import { type Constraint, constraintsMatch, parseConstraints } from "../constraint/constraint";
import { hostPorts, type NodeInfo } from "./node-info";

/** What a filter records about a node it turned away (JSON-able, small). */
export type FilterDetail = Readonly<Record<string, string | number>>;

export interface Filter {
  /** SwarmKit's type name: ReadyFilter, ResourceFilter, ... */
  readonly name: string;
  /** Prepares for a task; false if the filter does not apply to it. */
  setTask(t: Task): boolean;
  check(n: NodeInfo): boolean;
  /** Why `n` failed the check just made (for the decision log). */
  detail(n: NodeInfo): FilterDetail;
  /** SwarmKit's Explain: the text for `nodes` nodes turned away. */
  explain(nodes: number): string;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

class ReadyFilter implements Filter {
  readonly name = "ReadyFilter";
  setTask(): boolean {
    return true;
  }
  check(n: NodeInfo): boolean {
    return n.node.status.state === "ready" && n.node.spec.availability === "active";
  }
  detail(n: NodeInfo): FilterDetail {
    return { status: n.node.status.state, availability: n.node.spec.availability };
  }
  explain(nodes: number): string {
    return `${nodes} ${plural(nodes, "node", "nodes")} not available for new tasks`;
  }
}

class ResourceFilter implements Filter {
  readonly name = "ResourceFilter";
  private cpu = 0;
  private mem = 0;
  setTask(t: Task): boolean {
    this.cpu = t.spec.resources.reservations.nanoCPUs;
    this.mem = t.spec.resources.reservations.memoryBytes;
    return this.cpu > 0 || this.mem > 0;
  }
  check(n: NodeInfo): boolean {
    return n.availableCPUs >= this.cpu && n.availableMemory >= this.mem;
  }
  detail(n: NodeInfo): FilterDetail {
    return {
      neededNanoCPUs: this.cpu,
      neededMemoryBytes: this.mem,
      availableNanoCPUs: n.availableCPUs,
      availableMemoryBytes: n.availableMemory,
    };
  }
  explain(nodes: number): string {
    return `insufficient resources on ${nodes} ${plural(nodes, "node", "nodes")}`;
  }
}

/**
 * A filter of SwarmKit's pipeline that never applies here, kept so that the pipeline, its order
 * and its names are SwarmKit's: volume, network and log-driver plugins (a simulated engine has
 * the built-in drivers only and services name none), and OS and architecture (tasks name no
 * platforms).
 */
class InapplicableFilter implements Filter {
  constructor(
    readonly name: string,
    private readonly failure: string,
  ) {}
  setTask(): boolean {
    return false;
  }
  check(): boolean {
    return true;
  }
  detail(): FilterDetail {
    return {};
  }
  explain(nodes: number): string {
    return `${this.failure} on ${nodes} ${plural(nodes, "node", "nodes")}`;
  }
}

class ConstraintFilter implements Filter {
  readonly name = "ConstraintFilter";
  private constraints: Constraint[] = [];
  setTask(t: Task): boolean {
    if (t.spec.placement.constraints.length === 0) return false;
    const parsed = parseConstraints(t.spec.placement.constraints);
    // The control API rejects bad expressions; one that slips through matches no node.
    this.constraints = parsed.ok ? parsed.constraints : [{ key: "invalid", op: "==", value: "" }];
    return true;
  }
  check(n: NodeInfo): boolean {
    return constraintsMatch(this.constraints, n.node);
  }
  detail(n: NodeInfo): FilterDetail {
    const c = this.constraints.find((x) => !constraintsMatch([x], n.node))!;
    return { constraint: `${c.key}${c.op}${c.value}`, actual: constraintSubject(c.key, n.node) };
  }
  explain(nodes: number): string {
    return `scheduling constraints not satisfied on ${nodes} ${plural(nodes, "node", "nodes")}`;
  }
}

class HostPortFilter implements Filter {
  readonly name = "HostPortFilter";
  private ports: string[] = [];
  setTask(t: Task): boolean {
    this.ports = hostPorts(t);
    return this.ports.length > 0;
  }
  check(n: NodeInfo): boolean {
    for (const p of this.ports) if (n.hostPorts.has(p)) return false;
    return true;
  }
  detail(n: NodeInfo): FilterDetail {
    return { port: this.ports.find((p) => n.hostPorts.has(p)) ?? "" };
  }
  explain(nodes: number): string {
    return `host-mode port already in use on ${nodes} ${plural(nodes, "node", "nodes")}`;
  }
}

class MaxReplicasFilter implements Filter {
  readonly name = "MaxReplicasFilter";
  private max = 0;
  private serviceId = "";
  setTask(t: Task): boolean {
    this.max = t.spec.placement.maxReplicas;
    this.serviceId = t.serviceId;
    return this.max > 0;
  }
  check(n: NodeInfo): boolean {
    return n.serviceCount(this.serviceId) < this.max;
  }
  detail(n: NodeInfo): FilterDetail {
    return { tasks: n.serviceCount(this.serviceId), max: this.max };
  }
  explain(): string {
    return "max replicas per node limit exceed";
  }
}

/** The value a constraint's key has on a node, as the constraint compares it ("" if none). */
function constraintSubject(key: string, n: Node): string {
  const k = key.toLowerCase();
  switch (k) {
    case "node.id":
      return n.id;
    case "node.hostname":
      return n.description?.hostname ?? "";
    case "node.ip":
      return n.status.addr;
    case "node.role":
      return n.role;
    case "node.platform.os":
      return n.description?.platform.os ?? "";
    case "node.platform.arch":
      return n.description?.platform.architecture ?? "";
  }
  if (k.startsWith("node.labels.")) return n.spec.labels[key.slice("node.labels.".length)] ?? "";
  if (k.startsWith("engine.labels."))
    return n.description?.engine.labels[key.slice("engine.labels.".length)] ?? "";
  return "";
}

/** The filters in SwarmKit's order (defaultFilters). */
export const FILTER_NAMES: readonly string[] = [
  "ReadyFilter",
  "ResourceFilter",
  "PluginFilter",
  "ConstraintFilter",
  "PlatformFilter",
  "HostPortFilter",
  "MaxReplicasFilter",
];

export class Pipeline {
  private readonly filters: Filter[] = [
    new ReadyFilter(),
    new ResourceFilter(),
    new InapplicableFilter("PluginFilter", "missing plugin"),
    new ConstraintFilter(),
    new InapplicableFilter("PlatformFilter", "unsupported platform"),
    new HostPortFilter(),
    new MaxReplicasFilter(),
  ];
  private active: Filter[] = [];
  private failures = new Map<Filter, number>();
  /** The enabled filter the last node processed failed at (index into `enabled()`), -1 if it passed. */
  lastFailed = -1;

  setTask(t: Task): void {
    this.active = this.filters.filter((f) => f.setTask(t));
    this.failures = new Map();
  }

  /** The filters enabled for the current task, in order. */
  enabled(): readonly Filter[] {
    return this.active;
  }

  /** Runs the enabled filters in order, stopping at the first that fails (and counting it). */
  process(n: NodeInfo): boolean {
    const active = this.active;
    for (let i = 0; i < active.length; i++) {
      const f = active[i];
      if (!f.check(n)) {
        this.failures.set(f, (this.failures.get(f) ?? 0) + 1);
        this.lastFailed = i;
        return false;
      }
    }
    this.lastFailed = -1;
    return true;
  }

  /** The filters that failed, most failures first: "a; b" (SwarmKit Pipeline.Explain). */
  explain(): string {
    return [...this.failures]
      .sort((a, b) => b[1] - a[1])
      .map(([f, n]) => f.explain(n))
      .join("; ");
  }
}

/** Status.Err of a task that no node can take. */
export function noSuitableNode(explanation: string): string {
  return explanation ? `no suitable node (${explanation})` : "no suitable node";
}
