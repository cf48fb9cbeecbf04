// What the replicated and global orchestrators share: a store loop that tracks dirty services
// and tasks, a restart supervisor and an update supervisor, and the bookkeeping that sends a
// task's events to whichever of them cares.
import type { Node, Service, Task } from "../../api/types";
import { TaskState } from "../../api/types";
import type { StoreEvent } from "../store/actions";
import type { WriteTx } from "../store/write-tx";
import { isTaskDirty } from "./dirty";
import { RestartSupervisor } from "./restart-supervisor";
import { StoreLoop } from "./store-loop";
import { slotKey } from "./task-factory";
import { type SlotView, UpdateSupervisor } from "./updater";

export abstract class OrchestratorBase extends StoreLoop {
  protected readonly dirtyServices = new Set<string>();
  /** Services whose tasks changed (restart checks, but no scaling). */
  protected readonly touchedServices = new Set<string>();
  protected readonly dirtyNodes = new Set<string>();
  protected restarts!: RestartSupervisor;
  protected updates!: UpdateSupervisor;

  protected abstract handles(s: Service | undefined): boolean;

  protected init(): void {
    this.restarts = new RestartSupervisor(this.supervisorHost());
    this.updates = new UpdateSupervisor(this.supervisorHost(), this.restarts);
    for (const s of this.ctx.store.values("service")) if (this.handles(s)) this.dirtyServices.add(s.id);
    for (const t of this.ctx.store.values("task")) {
      const s = this.ctx.store.get("service", t.serviceId);
      if (!s)
        this.dirtyServices.add(t.serviceId); // orphans of a deleted service
      else if (this.handles(s)) this.restarts.resume(t);
    }
  }

  protected reset(): void {
    this.restarts?.reset();
    this.updates?.reset();
    this.dirtyServices.clear();
    this.touchedServices.clear();
    this.dirtyNodes.clear();
  }

  protected observe(events: readonly StoreEvent[]): boolean {
    let work = false;
    for (const e of events) {
      if (e.type === "service") {
        const s = e.object as Service;
        if (e.op === "delete" || this.handles(s) || (e.old && this.handles(e.old as Service))) {
          this.dirtyServices.add(s.id);
          work = true;
        }
      } else if (e.type === "node") {
        this.dirtyNodes.add(e.object.id);
        work = true;
      } else if (e.type === "task") {
        const t = e.object as Task;
        if (e.op === "delete") continue;
        if (this.restarts.watches(t.id) || this.updates.watches(t.id)) work = true;
        // A replacement waiting to start that reached the store after this leader's init.
        if (
          t.desiredState === TaskState.READY &&
          this.handles(this.ctx.store.get("service", t.serviceId)) &&
          this.restarts.resume(t)
        )
          work = true;
        const old = e.old as Task | undefined;
        // Restart checks matter when a task stops while it should run.
        if (
          t.desiredState <= TaskState.RUNNING &&
          t.status.state > TaskState.RUNNING &&
          (!old || old.status.state <= TaskState.RUNNING)
        ) {
          const s = this.ctx.store.get("service", t.serviceId);
          if (this.handles(s)) {
            this.touchedServices.add(t.serviceId);
            work = true;
          }
        }
      }
    }
    return work;
  }

  /** The service's runnable tasks grouped by slot, with their dirtiness. */
  protected slotsOf(
    service: Service,
    tasks: readonly Task[],
    nodes: (id: string) => Node | undefined,
  ): Map<string, SlotView> {
    const slots = new Map<string, SlotView>();
    for (const t of tasks) {
      if (t.desiredState > TaskState.RUNNING) continue;
      const key = slotKey(t);
      let v = slots.get(key);
      if (!v)
        slots.set(
          key,
          (v = { key, slot: t.slot, nodeId: t.slot > 0 ? "" : t.nodeId, tasks: [], dirty: false }),
        );
      v.tasks.push(t);
    }
    // SwarmKit's isSlotDirty: a slot needs the updater when its task is out of date, or when it
    // holds more than one runnable task (a restart and an update both replaced the same task).
    // The updater then keeps an up-to-date one, desired RUNNING first (updater.go worker).
    for (const v of slots.values()) {
      let keep: Task | undefined;
      for (const t of v.tasks) {
        if (isTaskDirty(t, service, t.nodeId ? nodes(t.nodeId) : undefined)) continue;
        if (t.desiredState === TaskState.RUNNING) {
          keep = t;
          break;
        }
        keep ??= t;
      }
      v.keep = keep;
      v.dirty = v.tasks.length > 1 || keep === undefined;
    }
    return slots;
  }

  /** Marks the tasks of a deleted (or foreign) service for removal. */
  protected removeAll(tx: WriteTx, serviceId: string): void {
    this.updates.remove(serviceId);
    for (const t of this.ctx.store.tasksByService(serviceId))
      if (t.desiredState < TaskState.REMOVE)
        tx.update("task", t.id, (d) => {
          d.desiredState = TaskState.REMOVE;
        });
  }
}
