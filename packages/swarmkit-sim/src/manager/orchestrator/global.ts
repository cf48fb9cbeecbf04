// The global orchestrator (SwarmKit orchestrator/global): one task per eligible node, that is
// a node that is not DOWN, not drained, and satisfies the service's constraints. Paused nodes
// keep what they run but get no new or updated tasks. A task on a node that stops being
// eligible is shut down; one that stops while it should run is restarted on the same node.
import { type Node, type Service, type Task, TaskState } from "../../api/types";
import type { WriteTx } from "../store/write-tx";
import { constraintsMatch, parseConstraints } from "../constraint/constraint";
import { OrchestratorBase } from "./orchestrator-base";
import { createTask, hasStopped, newTask, setDesired } from "./task-factory";

export class GlobalOrchestrator extends OrchestratorBase {
  readonly name = "global-orchestrator";

  protected handles(s: Service | undefined): boolean {
    return !!s && s.spec.mode.kind === "global";
  }

  protected reconcile(tx: WriteTx): (() => void) | undefined {
    const store = this.ctx.store;
    const dirty = new Set(this.dirtyServices);
    const touched = new Set(this.touchedServices);
    const nodesChanged = this.dirtyNodes.size > 0;
    const nodes = new Set(this.dirtyNodes);
    this.dirtyServices.clear();
    this.touchedServices.clear();
    this.dirtyNodes.clear();
    const services = new Set([...dirty, ...touched]);
    for (const s of store.values("service"))
      if (this.handles(s) && (nodesChanged || this.updates.isUpdating(s.id))) services.add(s.id);
    for (const id of services) {
      const s = store.get("service", id);
      if (!s) {
        if (dirty.has(id)) this.removeAll(tx, id);
        continue;
      }
      if (this.handles(s)) this.reconcileService(tx, s);
    }
    this.restarts.applyStarts(tx);
    return () => {
      for (const id of dirty) this.dirtyServices.add(id);
      for (const id of touched) this.touchedServices.add(id);
      for (const id of nodes) this.dirtyNodes.add(id);
    };
  }

  private eligible(s: Service, n: Node | undefined): n is Node {
    if (!n || n.status.state === "down" || n.spec.availability === "drain") return false;
    const parsed = parseConstraints(s.spec.task.placement.constraints);
    return parsed.ok && constraintsMatch(parsed.constraints, n);
  }

  /** The node's task of this version ended and its restart policy says not to replace it. */
  private endedByPolicy(s: Service, tasks: readonly Task[], nodeId: string): boolean {
    return tasks.some(
      (t) =>
        t.nodeId === nodeId &&
        t.specVersion === s.specVersion &&
        t.desiredState === TaskState.SHUTDOWN &&
        hasStopped(t) &&
        !this.restarts.shouldRestart(t, s),
    );
  }

  private reconcileService(tx: WriteTx, s: Service): void {
    const store = this.ctx.store;
    const tasks = store.tasksByService(s.id);
    const created: Task[] = [];
    for (const t of tasks) {
      if (t.desiredState > TaskState.RUNNING) continue;
      const node = store.get("node", t.nodeId);
      if (!this.eligible(s, node)) setDesired(tx, t, TaskState.SHUTDOWN);
      else if (hasStopped(t)) {
        const r = this.restarts.restart(tx, s, t, t.nodeId);
        if (r) created.push(r);
      }
    }
    const current = tasks.map((t) => tx.get("task", t.id) ?? t).concat(created);
    const slots = this.slotsOf(s, current, (id) => store.get("node", id));
    for (const n of store.values("node")) {
      if (!this.eligible(s, n) || n.spec.availability === "pause") continue;
      const key = `node:${n.id}`;
      if (slots.has(key) || this.endedByPolicy(s, current, n.id)) continue;
      const t = createTask(tx, newTask(this.ctx.random, s, 0, n.id, this.now()));
      slots.set(key, { key, slot: 0, nodeId: n.id, tasks: [t], dirty: false });
    }
    // No updates on paused nodes.
    for (const v of slots.values())
      if (store.get("node", v.nodeId)?.spec.availability === "pause") v.dirty = false;
    this.updates.step(tx, s, slots);
  }
}
