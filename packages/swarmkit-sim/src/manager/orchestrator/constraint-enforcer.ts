// The constraint enforcer (SwarmKit orchestrator/constraintenforcer), a leader-only loop: when
// a node changes (its labels, its availability, the resources it reports), the tasks it holds
// are checked again against their service's placement constraints, as the service says them
// now (the task's own copy may be older: a constraint-only update does not replace tasks whose
// node still matches), and against the node's resources, in the order the tasks are listed. A
// task that no longer fits is REJECTED ("task rejected by constraint enforcer"); the observed
// state, not the desired one, which is the orchestrators': they replace it on a node that fits,
// as after any failure, and the agent stops its container once it leaves the node's
// assignments. A drained node is the orchestrators' business, a paused one is left alone. It
// checks every node when it starts (a new leader), then the nodes that change.
import { type Node, type Task, TaskState } from "../../api/types";
import { constraintsMatch, parseConstraints } from "../constraint/constraint";
import type { StoreEvent } from "../store/actions";
import type { WriteTx } from "../store/write-tx";
import { StoreLoop } from "./store-loop";

export const ENFORCER_MESSAGE = "task rejected by constraint enforcer";
export const ENFORCER_ERR = "assigned node no longer meets constraints";

export class ConstraintEnforcer extends StoreLoop {
  readonly name = "constraint-enforcer";
  private readonly dirty = new Set<string>();

  protected init(): void {
    for (const n of this.ctx.store.values("node")) this.dirty.add(n.id);
  }

  protected reset(): void {
    this.dirty.clear();
  }

  protected observe(events: readonly StoreEvent[]): boolean {
    let work = false;
    for (const e of events)
      if (e.type === "node" && e.op === "update") {
        this.dirty.add(e.object.id);
        work = true;
      }
    return work;
  }

  protected reconcile(tx: WriteTx): (() => void) | undefined {
    const taken = [...this.dirty];
    this.dirty.clear();
    for (const id of taken) {
      const n = this.ctx.store.get("node", id);
      if (n) for (const t of this.noncompliant(n)) this.reject(tx, t);
    }
    return () => {
      for (const id of taken) this.dirty.add(id);
    };
  }

  /** The tasks on `n` that its labels, role or resources no longer allow (rejectNoncompliantTasks). */
  noncompliant(n: Node): Task[] {
    if (n.spec.availability !== "active") return [];
    const store = this.ctx.store;
    let cpus = n.description?.resources.nanoCPUs ?? 0;
    let memory = n.description?.resources.memoryBytes ?? 0;
    const out: Task[] = [];
    for (const t of store.tasksByNode(n.id)) {
      if (t.desiredState < TaskState.ASSIGNED || t.desiredState > TaskState.COMPLETE) continue;
      // A completed task uses nothing any more (a replicated job's stay desired COMPLETE).
      if (t.status.state >= TaskState.COMPLETE) continue;
      const service = store.get("service", t.serviceId);
      const constraints = (service?.spec.task ?? t.spec).placement.constraints;
      if (constraints.length > 0) {
        const parsed = parseConstraints(constraints);
        if (parsed.ok && !constraintsMatch(parsed.constraints, n)) {
          out.push(t);
          continue;
        }
      }
      const r = t.spec.resources.reservations;
      if (r.memoryBytes > memory || r.nanoCPUs > cpus) {
        out.push(t);
        continue;
      }
      memory -= r.memoryBytes;
      cpus -= r.nanoCPUs;
    }
    return out;
  }

  private reject(tx: WriteTx, t: Task): void {
    const cur = tx.get("task", t.id);
    if (!cur || cur.desiredState > TaskState.COMPLETE || cur.status.state > TaskState.RUNNING) return;
    const now = this.now();
    tx.update("task", t.id, (d) => {
      d.status = {
        ...d.status,
        state: TaskState.REJECTED,
        message: ENFORCER_MESSAGE,
        err: ENFORCER_ERR,
        timestamp: now,
      };
    });
  }
}
