// SwarmKit's filter pipeline (scheduler/filter.go, pipeline.go), in its order. Each filter is
// enabled only when it applies to the task; a node passes when every enabled filter passes; the
// pipeline counts, per filter, the nodes it turned away, to explain an unschedulable task.
import type { Task } from "../../api/types";
import { type Constraint, constraintsMatch, parseConstraints } from "../constraint/constraint";
import { hostPorts, type NodeInfo } from "./node-info";

export interface Filter {
  readonly name: string;
  /** Prepares for a task; false if the filter does not apply to it. */
  setTask(t: Task): boolean;
  check(n: NodeInfo): boolean;
  explain(nodes: number): string;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

class ReadyFilter implements Filter {
  readonly name = "ready";
  setTask(): boolean {
    return true;
  }
  check(n: NodeInfo): boolean {
    return n.node.status.state === "ready" && n.node.spec.availability === "active";
  }
  explain(nodes: number): string {
    return `${nodes} ${plural(nodes, "node", "nodes")} not available for new tasks`;
  }
}

class ResourceFilter implements Filter {
  readonly name = "resources";
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
  explain(nodes: number): string {
    return `insufficient resources on ${nodes} ${plural(nodes, "node", "nodes")}`;
  }
}

class ConstraintFilter implements Filter {
  readonly name = "constraints";
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
  explain(nodes: number): string {
    return `scheduling constraints not satisfied on ${nodes} ${plural(nodes, "node", "nodes")}`;
  }
}

class HostPortFilter implements Filter {
  readonly name = "hostports";
  private ports: string[] = [];
  setTask(t: Task): boolean {
    this.ports = hostPorts(t);
    return this.ports.length > 0;
  }
  check(n: NodeInfo): boolean {
    for (const p of this.ports) if (n.hostPorts.has(p)) return false;
    return true;
  }
  explain(nodes: number): string {
    return `host-mode port already in use on ${nodes} ${plural(nodes, "node", "nodes")}`;
  }
}

class MaxReplicasFilter implements Filter {
  readonly name = "maxreplicas";
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
  explain(): string {
    return "max replicas per node limit exceed";
  }
}

/**
 * The filters in SwarmKit's order. The plugin filter (volume/network/log plugins) and the
 * platform filter have nothing to check here: simulated engines carry every plugin and task
 * specs name no platform.
 */
export class Pipeline {
  private readonly filters: Filter[] = [
    new ReadyFilter(),
    new ResourceFilter(),
    new ConstraintFilter(),
    new HostPortFilter(),
    new MaxReplicasFilter(),
  ];
  private active: Filter[] = [];
  private failures = new Map<Filter, number>();

  setTask(t: Task): void {
    this.active = this.filters.filter((f) => f.setTask(t));
    this.failures = new Map();
  }

  /** Runs the enabled filters in order, stopping at the first that fails (and counting it). */
  process(n: NodeInfo): boolean {
    for (const f of this.active) {
      if (!f.check(n)) {
        this.failures.set(f, (this.failures.get(f) ?? 0) + 1);
        return false;
      }
    }
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
