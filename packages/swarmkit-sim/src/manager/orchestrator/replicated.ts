// The replicated orchestrator (SwarmKit orchestrator/replicated): keeps `replicas` slots of
// each replicated service filled. A task that stops while it should run, or whose node is
// gone (down, drained, removed), is handed to the restart supervisor. On a spec change (and
// when it starts as the new leader's) it scales: up by filling the lowest free slot numbers,
// down by removing the slots that crowd a node most (not-running and higher slots first).
// Out-of-date slots go to the update supervisor.
import { type Service, type Task, TaskState } from "../../api/types";
import type { WriteTx } from "../store/write-tx";
import { isInvalidNode } from "./node-validity";
import { OrchestratorBase } from "./orchestrator-base";
import { createTask, hasStopped, newTask } from "./task-factory";
import type { SlotView } from "./updater";

export class ReplicatedOrchestrator extends OrchestratorBase {
  readonly name = "replicated-orchestrator";

  protected handles(s: Service | undefined): boolean {
    return !!s && s.spec.mode.kind === "replicated";
  }

  protected reconcile(tx: WriteTx): (() => void) | undefined {
    const store = this.ctx.store;
    const scale = new Set(this.dirtyServices);
    const touched = new Set(this.touchedServices);
    const nodes = new Set(this.dirtyNodes);
    this.dirtyServices.clear();
    this.touchedServices.clear();
    this.dirtyNodes.clear();
    const services = new Set([...scale, ...touched]);
    for (const nodeId of nodes) {
      if (!isInvalidNode(store.get("node", nodeId))) continue;
      for (const t of store.tasksByNode(nodeId))
        if (t.desiredState <= TaskState.RUNNING) services.add(t.serviceId);
    }
    for (const s of store.values("service")) if (this.updates.isUpdating(s.id)) services.add(s.id);
    for (const id of services) {
      const s = store.get("service", id);
      if (!s) {
        if (scale.has(id)) this.removeAll(tx, id);
        continue;
      }
      if (this.handles(s)) this.reconcileService(tx, s, scale.has(id));
    }
    this.restarts.applyStarts(tx);
    return () => {
      for (const id of scale) this.dirtyServices.add(id);
      for (const id of touched) this.touchedServices.add(id);
      for (const id of nodes) this.dirtyNodes.add(id);
    };
  }

  private reconcileService(tx: WriteTx, s: Service, scale: boolean): void {
    const store = this.ctx.store;
    const tasks = store.tasksByService(s.id);
    const created: Task[] = [];
    for (const t of tasks) {
      if (t.desiredState > TaskState.RUNNING) continue;
      if (hasStopped(t) || (t.nodeId && isInvalidNode(store.get("node", t.nodeId)))) {
        const r = this.restarts.restart(tx, s, t, "");
        if (r) created.push(r);
      }
    }
    const current = tasks.map((t) => tx.get("task", t.id) ?? t).concat(created);
    const slots = this.slotsOf(s, current, (id) => store.get("node", id));
    if (scale && s.spec.mode.kind === "replicated") {
      const replicas = s.spec.mode.replicas;
      if (replicas > slots.size) this.scaleUp(tx, s, slots, replicas - slots.size);
      else if (replicas < slots.size) this.scaleDown(tx, slots, replicas);
    }
    this.updates.step(tx, s, slots);
  }

  private scaleUp(tx: WriteTx, s: Service, slots: Map<string, SlotView>, count: number): void {
    let slot = 0;
    for (let i = 0; i < count; i++) {
      do slot++;
      while (slots.has(`${slot}`));
      const t = createTask(tx, newTask(this.ctx.random, s, slot, "", this.now()));
      slots.set(`${slot}`, { key: `${slot}`, slot, nodeId: "", tasks: [t], dirty: false });
    }
  }

  /** SwarmKit's scale-down order: spread what is kept over the nodes, keep running tasks. */
  private scaleDown(tx: WriteTx, slots: Map<string, SlotView>, keep: number): void {
    const running = (v: SlotView) => v.tasks.some((t) => t.status.state === TaskState.RUNNING);
    const sorted = [...slots.values()].sort(
      (a, b) => Number(running(b)) - Number(running(a)) || a.slot - b.slot,
    );
    const perNode = new Map<string, number>();
    const indexed = sorted.map((v) => {
      const nodeId = v.tasks[0].nodeId;
      if (!nodeId) return { v, index: Number.POSITIVE_INFINITY };
      const index = (perNode.get(nodeId) ?? 0) + 1;
      perNode.set(nodeId, index);
      return { v, index };
    });
    indexed.sort((a, b) => a.index - b.index);
    for (const { v } of indexed.slice(keep)) {
      for (const t of v.tasks)
        tx.update("task", t.id, (d) => {
          d.desiredState = TaskState.REMOVE;
        });
      slots.delete(v.key);
    }
  }
}
